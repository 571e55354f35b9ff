/**
 * `casebridge case documents` and `casebridge document …`: a case's legal documents through the API
 * as the person logged in — the list, a version as PDF or DOCX written to a file (never to the
 * terminal: documents hold personal data), the approval of the current version, and an edited DOCX
 * uploaded back as the next version. The workflow that runs the document's request decides approvals
 * and revisions; a refusal changes nothing and exits 2.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { DocumentSummary } from '../../workflows/messages';
import { arg, optionalArg } from './args';
import { badInput } from './errors';
import { print, table } from './output';
import { api, callOptions, caseIdArg, refusedAs, withTimeout, type Timed } from './session';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** As the API's limit (documents/read-docx.ts). */
const MAX_DOCX_BYTES = 20 * 1024 * 1024;

interface DocumentView {
  documentId: string;
  shortId: string;
  requestId?: string;
  kind: string;
  language: string;
  version: number;
  status: 'DRAFT' | 'APPROVED';
  contentHash: string;
  incomplete: string[];
  approval?: { actor: string; role: string; at: string };
}

const DocArgSchema = z.string().regex(/^([a-z][a-z-]*(-\d+)?\/)?[a-z][a-z-]*(-\d+)?\.[a-z]{2}$/, {
  message: 'must be a document of the case, such as mlat-1/mlat-request.en (see `casebridge case documents`)',
});
const FormatSchema = z.enum(['pdf', 'docx'], { message: 'must be pdf or docx' });
const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be the version’s SHA-256 content hash (64 lowercase hex digits)' });
const VersionSchema = z.coerce.number().int().min(1, { message: 'must be a version number (1, 2, …)' });

/** The document id without the case, as paths take it; a full id of this case is accepted too. */
function docArg(caseId: string, doc: string): string {
  return arg(DocArgSchema, doc.startsWith(`${caseId}/`) ? doc.slice(caseId.length + 1) : doc, 'DOC');
}

const docPath = (caseId: string, doc: string) => `/cases/${caseId}/documents/${encodeURIComponent(doc)}`;

async function listDocuments(caseId: string, o: Timed): Promise<DocumentView[]> {
  return (await api().call<{ documents: DocumentView[] }>('GET', `/cases/${caseId}/documents`, callOptions(o))).documents;
}

export function registerDocumentCommands(program: Command): void {
  const caseCmd = program.commands.find((c) => c.name() === 'case');
  if (!caseCmd) throw new Error('the case command is registered before the document commands');
  withTimeout(caseCmd.command('documents'))
    .description('the case’s documents: kind, current version, DRAFT or APPROVED, content hash, who approved (--json: the versions too)')
    .argument('<CASE_ID>')
    .action(async (id: string, o: Timed) => {
      const caseId = caseIdArg(id);
      const docs = await listDocuments(caseId, o);
      print(!!o.json, docs, () =>
        docs.length === 0
          ? `${caseId}: no documents yet`
          : table(
              ['DOC', 'VERSION', 'STATUS', 'HASH', 'APPROVED BY', 'GAPS'],
              docs.map((d) => [
                d.shortId,
                d.version,
                d.status,
                d.contentHash.slice(0, 16),
                d.approval ? `${d.approval.actor} (${d.approval.role}) ${d.approval.at}` : null,
                d.incomplete.length || null,
              ]),
            ),
      );
    });

  const doc = program.command('document').description('a case’s legal documents: download, approve, upload a revision');

  withTimeout(doc.command('get'))
    .description('write a version of a document to a file: PDF for sending, DOCX for editing (DRAFT-marked until approved)')
    .argument('<CASE_ID>')
    .argument('<DOC>', 'the document, e.g. mlat-1/mlat-request.en (see `casebridge case documents`)')
    .option('--format <format>', 'pdf or docx', 'pdf')
    .requiredOption('--out <file>', 'where to write it (documents hold personal data: they are never printed)')
    .option('--version <n>', 'a version number (default: the latest)')
    .action(async (id: string, docText: string, o: Timed & { format: string; out: string; version?: string }) => {
      const caseId = caseIdArg(id);
      const d = docArg(caseId, docText);
      const format = arg(FormatSchema, o.format, '--format');
      const version = optionalArg(VersionSchema, o.version, '--version');
      const query = new URLSearchParams({ format, ...(version ? { version: String(version) } : {}) });
      const flags = { format: '--format', version: '--version', documentId: 'DOC' };
      const res = await refusedAs(caseId, flags, () =>
        api().send('GET', `${docPath(caseId, d)}?${query.toString()}`, {
          ...callOptions(o),
          headers: { ...callOptions(o).headers, accept: format === 'pdf' ? 'application/pdf' : DOCX_TYPE },
        }),
      );
      const bytes = Buffer.from(await res.arrayBuffer());
      fs.writeFileSync(o.out, bytes, { mode: 0o600 });
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
      print(
        !!o.json,
        { caseId, document: d, format, file: o.out, bytes: bytes.length, name },
        () => `${caseId}: ${d} written to ${o.out} (${name ?? format}, ${bytes.length} bytes)`,
      );
    });

  withTimeout(doc.command('approve'))
    .description('approve the current version of a document for sending (its content hash goes into the case’s timeline)')
    .argument('<CASE_ID>')
    .argument('<DOC>', 'the document, e.g. mlat-1/mlat-request.en')
    .option('--hash <sha256>', 'the content hash of the version you read (default: the current version’s, as listed)')
    .action(async (id: string, docText: string, o: Timed & { hash?: string }) => {
      const caseId = caseIdArg(id);
      const d = docArg(caseId, docText);
      let contentHash = optionalArg(HashSchema, o.hash, '--hash');
      if (!contentHash) {
        const listed = (await listDocuments(caseId, o)).find((x) => x.shortId === d);
        if (!listed) throw badInput(`DOC: case ${caseId} has no document ${d} (see \`casebridge case documents ${caseId}\`)`);
        contentHash = listed.contentHash;
      }
      const flags = { contentHash: '--hash', documentId: 'DOC' };
      const approved = await refusedAs(caseId, flags, () =>
        api().call<DocumentSummary>('POST', `${docPath(caseId, d)}/approve`, { ...callOptions(o), body: { contentHash } }),
      );
      print(!!o.json, approved, () => `${caseId}: ${d} version ${approved.version} approved (sha256 ${approved.contentHash})`);
    });

  withTimeout(doc.command('upload'))
    .description('upload an edited DOCX as the next version of a document (it then needs approval again)')
    .argument('<CASE_ID>')
    .argument('<DOC>', 'the document, e.g. mlat-1/mlat-request.en')
    .argument('<FILE>', 'the edited DOCX')
    .option('--based-on <n>', 'the version you edited (refused if the document has moved on since)')
    .action(async (id: string, docText: string, file: string, o: Timed & { basedOn?: string }) => {
      const caseId = caseIdArg(id);
      const d = docArg(caseId, docText);
      const basedOn = optionalArg(VersionSchema, o.basedOn, '--based-on');
      let bytes: Buffer;
      try {
        if (fs.statSync(file).size > MAX_DOCX_BYTES) throw badInput(`FILE: ${file} is larger than ${MAX_DOCX_BYTES / 1024 / 1024} MiB`);
        bytes = fs.readFileSync(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw badInput(`FILE: ${file} does not exist`);
        throw err;
      }
      if (bytes.subarray(0, 4).toString('binary') !== 'PK\x03\x04') throw badInput(`FILE: ${file} is not a DOCX document`);
      const flags = { file: 'FILE', basedOn: '--based-on', documentId: 'DOC' };
      const query = basedOn ? `?basedOn=${basedOn}` : '';
      const revised = await refusedAs(caseId, flags, () =>
        api().call<DocumentSummary>('POST', `${docPath(caseId, d)}/revisions${query}`, { ...callOptions(o), raw: bytes, contentType: DOCX_TYPE }),
      );
      const gaps = revised.incomplete.length ? `; ${revised.incomplete.length} gap(s) still to complete` : '';
      print(!!o.json, revised, () => `${caseId}: ${d} version ${revised.version} uploaded (sha256 ${revised.contentHash})${gaps}; it needs approval`);
    });
}
