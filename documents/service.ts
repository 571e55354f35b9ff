/**
 * The documents of a case: generated from the case's facts by template, kept as versions in the
 * encrypted content-addressed store, rendered to PDF (for sending) or DOCX (for editing) on
 * request, revised by uploading an edited DOCX, and approved version by version.
 *
 * A document's id names its case, the request it belongs to, its kind and language
 * (`case-190000042/mlat-1/mlat-request.en`); its versions are numbered from 1. What leaves this
 * module for a workflow is a reference — id, version, language, kind, content hash — never content.
 */
import type { Logger } from 'pino';
import { logger } from '../platform/logger';
import { type DocumentStore, type DocumentRecord, type DocumentVersion, DocumentNotFoundError } from '../platform/store/documents';
import { approvalRefusal, DocumentFactsSchema, DocumentKindSchema, type DocumentFacts, type DocumentKind } from '../workflows/documents';
import { describeIssues } from '../workflows/tip';
import { RoleSchema, type Role } from '../workflows/vocabulary';
import type { AgencyProfile } from './agency';
import { canonicalContent, contentHash, openPlaceholders, parseContent } from './content';
import { isLanguage, type Language } from './i18n';
import type { Approval } from './marks';
import { readDocx } from './read-docx';
import { renderDocx } from './render-docx';
import { renderPdf } from './render-pdf';
import type { TemplateSet } from './templates';
import { buildView } from './view';

export interface DocumentRef {
  documentId: string;
  version: number;
  kind: DocumentKind;
  language: string;
  contentHash: string;
  /** Gaps a person must fill before the version can be approved (their labels; no case content). */
  incomplete: string[];
}

export interface Person {
  actor: string;
  role: Role;
  actorId?: string | undefined;
}

/** A request this module cannot carry out as asked (bad input, wrong role, wrong version): the message names the field. */
export class DocumentRequestError extends Error {
  override name = 'DocumentRequestError';
}

export interface GenerateRequest {
  idempotencyKey: string;
  kind: DocumentKind;
  facts: DocumentFacts;
  /** ISO 639-1; default English. */
  language?: string | undefined;
  author?: Person | undefined;
  /**
   * A redraft that starts from a person's uploaded revision (this version of the same document): its
   * text, with the edits asked for (`facts.additions.edits`) added under their own heading, instead of
   * the template filled again — what the person completed and changed stays.
   */
  fromRevision?: number | undefined;
}

export type RenderFormat = 'pdf' | 'docx';

const CONTENT_TYPES: Record<RenderFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function documentIdFor(kind: DocumentKind, facts: Pick<DocumentFacts, 'caseId' | 'request' | 'sequence'>, language: string): string {
  const owner = facts.request?.requestId ?? facts.caseId;
  return `${owner}/${kind}${facts.sequence > 1 ? `-${facts.sequence}` : ''}.${language}`;
}

function refOf(record: DocumentRecord, v: DocumentVersion): DocumentRef {
  return {
    documentId: record.documentId,
    version: v.version,
    kind: record.kind as DocumentKind,
    language: record.language,
    contentHash: v.contentHash,
    incomplete: [...v.incomplete],
  };
}

export class DocumentService {
  private readonly now: () => Date;
  /** Logs ids, kinds, versions and hashes only: never facts or content. */
  private readonly log: Logger;

  constructor(private readonly deps: { store: DocumentStore; templates: TemplateSet; agency: AgencyProfile; now?: () => Date; log?: Logger }) {
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log ?? logger().child({ component: 'documents' });
  }

  get templates(): TemplateSet {
    return this.deps.templates;
  }

  /**
   * Generates the document of `kind` from `facts` as a new version (or the same version again for
   * the same idempotency key, or when the text came out unchanged).
   */
  async generate(req: GenerateRequest): Promise<DocumentRef> {
    const kind = DocumentKindSchema.safeParse(req.kind);
    if (!kind.success) throw new DocumentRequestError(`kind: ${kind.error.issues[0].message}`);
    const parsed = DocumentFactsSchema.safeParse(req.facts);
    if (!parsed.success) throw new DocumentRequestError(describeIssues(parsed.error, 'facts')[0]);
    const facts = parsed.data;
    const language = req.language ?? 'en';
    if (!isLanguage(language) || !this.deps.templates.has(kind.data, language)) {
      throw new DocumentRequestError(`language: no ${language} template for ${kind.data} (available: ${this.deps.templates.languages(kind.data).join(', ')})`);
    }
    const documentId = documentIdFor(kind.data, facts, language);
    const existing = await this.deps.store.getRecord(documentId);
    const known = existing?.versions.find((v) => v.idempotencyKey === req.idempotencyKey);
    if (existing && known) return refOf(existing, known);

    const content =
      req.fromRevision !== undefined
        ? await this.redraftOf(documentId, req.fromRevision, facts)
        : this.deps.templates.render(kind.data, language, buildView(kind.data, facts, this.deps.agency, language));
    const hash = await this.deps.store.putContent(content);
    const incomplete = openPlaceholders(content);
    const record = await this.deps.store.updateRecord(documentId, facts.caseId, (current) => {
      if (current?.versions.some((v) => v.idempotencyKey === req.idempotencyKey)) return current;
      const latest = current?.versions.at(-1);
      if (current && latest?.contentHash === hash) return current;
      const version: DocumentVersion = {
        version: (latest?.version ?? 0) + 1,
        contentHash: hash,
        createdAt: this.now().toISOString(),
        source: 'generated',
        ...(req.author ? { author: personOf(req.author) } : {}),
        idempotencyKey: req.idempotencyKey,
        incomplete,
      };
      return current
        ? { ...current, versions: [...current.versions, version] }
        : {
            documentId,
            caseId: facts.caseId,
            kind: kind.data,
            language,
            ...(facts.request ? { requestId: facts.request.requestId } : {}),
            versions: [version],
          };
    });
    const v = record.versions.find((x) => x.idempotencyKey === req.idempotencyKey) ?? record.versions.find((x) => x.contentHash === hash)!;
    this.log.info({ documentId, kind: kind.data, language, version: v.version, contentHash: v.contentHash, gaps: incomplete.length }, 'document generated');
    return refOf(record, v);
  }

  /** The text of an uploaded revision with the edits asked for added: the start of a redraft. */
  private async redraftOf(documentId: string, version: number, facts: DocumentFacts): Promise<string> {
    const { v } = await this.versionOf(documentId, version);
    if (v.source !== 'uploaded') throw new DocumentRequestError(`fromRevision: version ${version} of ${documentId} is not an uploaded revision`);
    const text = await this.deps.store.getContent(v.contentHash);
    const edits = facts.additions.edits;
    return canonicalContent(edits ? `${text}\n\n## Changes asked for on review\n\n${edits}\n` : text);
  }

  async record(documentId: string): Promise<DocumentRecord> {
    const record = await this.deps.store.getRecord(documentId);
    if (!record) throw new DocumentNotFoundError(`no document ${documentId}`);
    return record;
  }

  async list(caseId: string): Promise<DocumentRecord[]> {
    return this.deps.store.listRecords(caseId);
  }

  private async versionOf(documentId: string, version?: number): Promise<{ record: DocumentRecord; v: DocumentVersion }> {
    const record = await this.record(documentId);
    const v = version === undefined ? record.versions.at(-1)! : record.versions.find((x) => x.version === version);
    if (!v) throw new DocumentRequestError(`version: document ${documentId} has versions 1 to ${record.versions.length}, not ${version}`);
    return { record, v };
  }

  /** A version's text (the latest when `version` is omitted). */
  async content(documentId: string, version?: number): Promise<{ ref: DocumentRef; content: string }> {
    const { record, v } = await this.versionOf(documentId, version);
    return { ref: refOf(record, v), content: await this.deps.store.getContent(v.contentHash) };
  }

  /** The version as a file: DRAFT-marked until approved, then with its approval. */
  async render(documentId: string, version: number | undefined, format: RenderFormat): Promise<{ bytes: Buffer; fileName: string; contentType: string }> {
    const { record, v } = await this.versionOf(documentId, version);
    const blocks = parseContent(await this.deps.store.getContent(v.contentHash));
    const language = record.language as Language;
    const meta = {
      documentId: record.documentId,
      version: v.version,
      contentHash: v.contentHash,
      language,
      approval: v.approval ? ({ actor: v.approval.actor, role: v.approval.role, at: v.approval.at } satisfies Approval) : undefined,
      agency: this.deps.agency.name,
    };
    const bytes = format === 'pdf' ? await renderPdf(blocks, meta) : await renderDocx(blocks, meta);
    // The file name carries the kind and version, never the case's content (titles can hold names).
    const fileName = `${record.kind}-v${v.version}${v.approval ? '' : '-draft'}.${language}.${format}`;
    return { bytes, fileName, contentType: CONTENT_TYPES[format] };
  }

  /** An edited DOCX becomes the next version; an unchanged one returns the latest version. */
  async uploadRevision(req: { documentId: string; docx: Uint8Array; author: Person; basedOn?: number }): Promise<DocumentRef> {
    const author = checkPerson(req.author);
    const record = await this.record(req.documentId);
    if (req.basedOn !== undefined && req.basedOn !== record.versions.at(-1)!.version) {
      throw new DocumentRequestError(
        `basedOn: the revision was edited from version ${req.basedOn}, but document ${req.documentId} is at version ${record.versions.at(-1)!.version}: download the latest and edit that`,
      );
    }
    const content = await readDocx(req.docx);
    const hash = contentHash(content);
    if (hash === record.versions.at(-1)!.contentHash) return refOf(record, record.versions.at(-1)!);
    await this.deps.store.putContent(content);
    const updated = await this.deps.store.updateRecord(req.documentId, record.caseId, (current) => {
      const base = current ?? record;
      const latest = base.versions.at(-1)!;
      if (latest.contentHash === hash) return base;
      return {
        ...base,
        versions: [
          ...base.versions,
          {
            version: latest.version + 1,
            contentHash: hash,
            createdAt: this.now().toISOString(),
            source: 'uploaded',
            author,
            incomplete: openPlaceholders(content),
          },
        ],
      };
    });
    const latest = updated.versions.at(-1)!;
    this.log.info(
      { documentId: req.documentId, version: latest.version, contentHash: latest.contentHash, gaps: latest.incomplete.length },
      'document revision uploaded',
    );
    return refOf(updated, latest);
  }

  /**
   * Records that `approver` approved `version`, whose content hash they saw. Refused (and nothing
   * changes) when the role may not approve the kind, the approver wrote the version where four eyes
   * are needed, the hash is not the version's, or gaps remain open. The case's approval update is
   * the authority; this keeps the store's copy and the rendered files in step with it.
   */
  async recordApproval(req: { documentId: string; version: number; contentHash: string; approver: Person; at?: string }): Promise<DocumentRef> {
    const approver = checkPerson(req.approver);
    const { record, v } = await this.versionOf(req.documentId, req.version);
    const refusal = approvalRefusal(record.kind as DocumentKind, approver.role as Role, approver.actor, v.author?.actor);
    if (refusal) throw new DocumentRequestError(refusal);
    if (req.contentHash !== v.contentHash) {
      throw new DocumentRequestError(`contentHash: version ${v.version} of ${req.documentId} has content ${v.contentHash}, not ${req.contentHash}`);
    }
    if (v.incomplete.length > 0) throw new DocumentRequestError(`version: version ${v.version} still has gaps to complete: ${v.incomplete.join('; ')}`);
    if (v.approval) return refOf(record, v);
    const at = req.at ?? this.now().toISOString();
    const updated = await this.deps.store.updateRecord(req.documentId, record.caseId, (current) => ({
      ...(current ?? record),
      versions: (current ?? record).versions.map((x) => (x.version === v.version && !x.approval ? { ...x, approval: { ...approver, at } } : x)),
    }));
    this.log.info({ documentId: req.documentId, version: v.version, contentHash: v.contentHash, approverRole: approver.role }, 'document version approved');
    return refOf(
      updated,
      updated.versions.find((x) => x.version === v.version)!,
    );
  }
}

function personOf(p: Person): DocumentVersion['author'] {
  return { actor: p.actor, role: p.role, ...(p.actorId ? { actorId: p.actorId } : {}) };
}

function checkPerson(p: Person): NonNullable<DocumentVersion['author']> {
  if (typeof p?.actor !== 'string' || p.actor.trim() === '') throw new DocumentRequestError('actor: must name the person acting');
  const role = RoleSchema.safeParse(p.role);
  if (!role.success) throw new DocumentRequestError(`role: ${role.error.issues[0].message}`);
  return personOf({ ...p, actor: p.actor.trim() })!;
}
