/**
 * A case's documents through the door: the list (kind, version, DRAFT or APPROVED, hash, who
 * approved), the file itself (PDF for sending, DOCX for editing; a read of personal data, audited as
 * such), a preview, the approval, and an edited DOCX uploaded back as a revision. The content lives
 * in the encrypted document store; the workflow that runs the document's request holds only its id
 * and hash and decides approvals and revisions in its validators (refusals: 403 for the role, else
 * 409 with the reason). A stored document that fails its integrity check is never served.
 *
 * Document ids in paths are the id without the case (`mlat-1/mlat-request.en`, its `/` encoded as
 * `%2F`): a document id names its case, request, kind and language, never a person.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DocumentRequestError, DocxReadError, type DocumentService } from '../../documents';
import { MAX_DOCX_BYTES } from '../../documents/read-docx';
import { DocumentNotFoundError, DocumentTamperedError, type DocumentRecord } from '../../platform/store/documents';
import { approveDocument, reviseDocument, statusQuery, type DocumentSummary } from '../../workflows/messages';
import { parseRequestId, requestWorkflowId } from '../../workflows/requests/ids';
import { ROLES } from '../../workflows/vocabulary';
import { admitInput, admitRead } from '../admit';
import { ProblemSchema, problem, type ApiProblem } from '../problems';
import { CaseParams, InputHeaders, ReadHeaders } from '../schemas';
import { header, type ApiContext, type ZodApp } from '../server';
import { temporalProblem, updateProblem, within } from '../temporal';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PDF_TYPE = 'application/pdf';
const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  429: ProblemSchema,
  500: ProblemSchema,
  503: ProblemSchema,
};

export const DocumentParams = CaseParams.extend({
  documentId: z
    .string()
    .regex(/^([a-z][a-z-]*(-\d+)?\/)?[a-z][a-z-]*(-\d+)?\.[a-z]{2}$/, {
      message: 'must be a document id of the case without the case, such as mlat-1/mlat-request.en (see GET /cases/{caseId}/documents)',
    })
    .meta({ description: 'the document id without the case, e.g. mlat-1/mlat-request.en (the `/` encoded as %2F)' }),
});
const FileQuery = z
  .object({
    format: z.enum(['pdf', 'docx']).optional().meta({ description: 'pdf (default) or docx; without it the Accept header decides' }),
    version: z.coerce.number().int().min(1).optional().meta({ description: 'a version number; default the latest' }),
  })
  .strict();
const RevisionQuery = z.object({ basedOn: z.coerce.number().int().min(1).optional().meta({ description: 'the version the DOCX was edited from' }) }).strict();
const ApproveBody = z
  .object({ contentHash: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be the version’s SHA-256 content hash (64 lowercase hex digits)' }) })
  .strict();

const Person = z.object({ actor: z.string(), role: z.string(), actorId: z.string().optional() });
export const DocumentVersionViewSchema = z.object({
  version: z.number().int(),
  contentHash: z.string(),
  status: z.enum(['DRAFT', 'APPROVED']),
  source: z.enum(['generated', 'uploaded']),
  createdAt: z.string(),
  author: Person.optional(),
  incomplete: z.array(z.string()),
  approval: Person.extend({ at: z.string() }).optional(),
});
export const DocumentViewSchema = z
  .object({
    documentId: z.string(),
    /** The id in paths and the CLI: without the case. */
    shortId: z.string(),
    requestId: z.string().optional(),
    kind: z.string(),
    language: z.string(),
    version: z.number().int(),
    status: z.enum(['DRAFT', 'APPROVED']),
    contentHash: z.string(),
    incomplete: z.array(z.string()),
    approval: Person.extend({ at: z.string() }).optional(),
    versions: z.array(DocumentVersionViewSchema),
  })
  .meta({ id: 'Document' });
const DocumentSummarySchema = z
  .object({
    documentId: z.string(),
    requestId: z.string(),
    kind: z.string(),
    language: z.string(),
    version: z.number().int(),
    contentHash: z.string(),
    status: z.enum(['DRAFT', 'APPROVED']),
    incomplete: z.array(z.string()),
    author: z.object({ actor: z.string(), role: z.enum(ROLES), actorId: z.string().optional() }).optional(),
    approval: z.object({ actor: z.string(), role: z.enum(ROLES), actorId: z.string().optional(), at: z.string() }).optional(),
  })
  .meta({ id: 'RequestDocument', description: 'a document as the workflow of its request knows it: id, version, hash, approval' });

function view(record: DocumentRecord): z.infer<typeof DocumentViewSchema> {
  const versions = record.versions.map((v) => ({
    version: v.version,
    contentHash: v.contentHash,
    status: v.approval ? ('APPROVED' as const) : ('DRAFT' as const),
    source: v.source,
    createdAt: v.createdAt,
    ...(v.author ? { author: v.author } : {}),
    incomplete: v.incomplete,
    ...(v.approval ? { approval: v.approval } : {}),
  }));
  const latest = versions.at(-1)!;
  return {
    documentId: record.documentId,
    shortId: record.documentId.slice(record.caseId.length + 1),
    ...(record.requestId ? { requestId: record.requestId } : {}),
    kind: record.kind,
    language: record.language,
    version: latest.version,
    status: latest.status,
    contentHash: latest.contentHash,
    incomplete: latest.incomplete,
    ...(latest.approval ? { approval: latest.approval } : {}),
    versions,
  };
}

/** The store's refusals as problems: a tampered item is named (never its content), a missing one is a 404. */
function storeProblem(err: unknown, caseId: string): ApiProblem | undefined {
  if (err instanceof DocumentTamperedError) return problem('tampered', `${err.message}; it is not served`, { caseId });
  if (err instanceof DocumentNotFoundError) return problem('not-found', err.message, { caseId });
  if (err instanceof DocxReadError) return problem('invalid-field', err.message, { caseId, field: 'file' });
  if (err instanceof DocumentRequestError) return problem('invalid-field', err.message, { caseId, field: /^(\w+):/.exec(err.message)?.[1] ?? 'body' });
  return undefined;
}

export function registerDocumentRoutes(app: ZodApp, ctx: ApiContext, documents: DocumentService): void {
  // An edited DOCX arrives as its bytes; what is not a DOCX is refused by the reader (422 naming file).
  app.addContentTypeParser([DOCX_TYPE, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_DOCX_BYTES }, (_req, body, done) => done(null, body));

  async function recordOf(caseId: string, shortId: string): Promise<DocumentRecord> {
    try {
      const record = await documents.record(`${caseId}/${shortId}`);
      if (record.caseId !== caseId) throw new DocumentNotFoundError(`no document ${caseId}/${shortId}`);
      return record;
    } catch (err) {
      throw storeProblem(err, caseId) ?? err;
    }
  }

  /** The workflow that runs the document's request: approvals and revisions go there. */
  function runnerOf(caseId: string, documentId: string): { requestId: string; runnerId: string } {
    const requestId = documentId.slice(0, documentId.lastIndexOf('/'));
    const runnerId = parseRequestId(requestId)?.caseId === caseId ? requestWorkflowId(requestId) : undefined;
    if (!runnerId)
      throw problem('conflict', `documentId: ${documentId} belongs to no request of case ${caseId}: it needs no approval`, { caseId, field: 'documentId' });
    return { requestId, runnerId };
  }

  app.get(
    '/cases/:caseId/documents',
    {
      config: { audit: 'read' },
      schema: {
        summary: 'the case’s documents: kind, version, DRAFT or APPROVED, content hash, who approved',
        tags: ['documents'],
        params: CaseParams,
        headers: ReadHeaders,
        response: { 200: z.object({ documents: z.array(DocumentViewSchema) }), ...errors },
      },
    },
    async (req) => {
      await admitRead(ctx, req, req.params.caseId);
      try {
        return { documents: (await documents.list(req.params.caseId)).map(view) };
      } catch (err) {
        throw storeProblem(err, req.params.caseId) ?? err;
      }
    },
  );

  /** The version as a file; the store checks its hash on the way out. */
  async function sendFile(
    req: FastifyRequest,
    reply: FastifyReply,
    at: { params: z.infer<typeof DocumentParams>; query: z.infer<typeof FileQuery> },
    disposition: 'attachment' | 'inline',
    format: 'pdf' | 'docx',
  ) {
    const { caseId, documentId } = at.params;
    await admitRead(ctx, req, caseId);
    const record = await recordOf(caseId, documentId);
    req.auditNote.documentId = record.documentId;
    req.auditNote.personalData = true;
    if (record.requestId) req.auditNote.requestId = record.requestId;
    try {
      const file = await documents.render(record.documentId, at.query.version, format);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `${disposition}; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(file.bytes);
    } catch (err) {
      throw storeProblem(err, caseId) ?? err;
    }
  }

  const fileSchema = (summary: string, description: string) => ({
    summary,
    description,
    tags: ['documents'],
    params: DocumentParams,
    querystring: FileQuery,
    headers: ReadHeaders,
    response: { 200: z.any().meta({ description: 'the file (application/pdf or the DOCX type)' }), ...errors },
  });

  app.get(
    '/cases/:caseId/documents/:documentId',
    {
      config: { audit: 'read' },
      schema: fileSchema(
        'download a document version as PDF (for sending) or DOCX (for editing)',
        '`?format=pdf|docx`, else the Accept header (the DOCX type gives DOCX), else PDF. DRAFT-marked until approved. A read of personal data, audited as such.',
      ),
    },
    async (req, reply) => {
      const accept = header(req, 'accept') ?? '';
      const format = req.query.format ?? (accept.includes(DOCX_TYPE) && !accept.includes(PDF_TYPE) ? 'docx' : 'pdf');
      return sendFile(req, reply, req, 'attachment', format);
    },
  );

  // The preview is the PDF itself, inline: browsers show PDF natively, it is exactly the file that is
  // sent (DRAFT marks and all), and no rasteriser has to be installed and kept patched beside it.
  app.get(
    '/cases/:caseId/documents/:documentId/preview',
    {
      config: { audit: 'read' },
      schema: fileSchema('preview a document version: the PDF, inline', 'The sending PDF with `Content-Disposition: inline`, for a browser’s own viewer.'),
    },
    async (req, reply) => {
      if (req.query.format === 'docx') throw problem('bad-request', 'format: a preview is the PDF; download the DOCX instead', { field: 'format' });
      return sendFile(req, reply, req, 'inline', 'pdf');
    },
  );

  app.post(
    '/cases/:caseId/documents/:documentId/approve',
    {
      config: { audit: 'write' },
      schema: {
        summary: 'approve the current version of a document for sending, named by its content hash',
        description:
          'One update to the workflow that runs the document’s request. Refused when the role does not approve the kind (403), the hash is not the ' +
          'current version’s, gaps are open, or the approver wrote the version where four eyes are needed (409). The hash goes into the timeline.',
        tags: ['documents'],
        params: DocumentParams,
        headers: InputHeaders,
        body: ApproveBody,
        response: { 200: DocumentSummarySchema, ...errors, 422: ProblemSchema },
      },
    },
    async (req) => {
      const { caseId } = req.params;
      const { actor, updateId } = await admitInput(ctx, req, caseId, 'approveDocument');
      const documentId = `${caseId}/${req.params.documentId}`;
      req.auditNote.documentId = documentId;
      const { requestId, runnerId } = runnerOf(caseId, documentId);
      req.auditNote.requestId = requestId;
      let approved: DocumentSummary;
      try {
        approved = await within(ctx.client, ctx.timeoutMs(req), () =>
          ctx.client.workflow
            .getHandle(runnerId)
            .executeUpdate(approveDocument, { args: [{ ...actor, documentId, contentHash: req.body.contentHash }], ...(updateId ? { updateId } : {}) }),
        );
      } catch (err) {
        throw await updateProblem(ctx.client, err, caseId, { requestId, runnerId });
      }
      // The workflow records it in the store too (an activity); doing it here as well means the answer's files already carry it.
      await documents
        .recordApproval({ documentId, version: approved.version, contentHash: approved.contentHash, approver: actor, at: approved.approval!.at })
        .catch((err: unknown) =>
          ctx.log.warn({ err, documentId, version: approved.version }, 'approval not yet in the document store; the workflow records it'),
        );
      return approved;
    },
  );

  app.post(
    '/cases/:caseId/documents/:documentId/revisions',
    {
      config: { audit: 'write' },
      schema: {
        summary: 'upload an edited DOCX as the next version of a document (it then needs approval)',
        description: `Body: the DOCX (${DOCX_TYPE}), at most ${MAX_DOCX_BYTES / 1024 / 1024} MiB. Only while the document’s request waits for its approval.`,
        tags: ['documents'],
        params: DocumentParams,
        querystring: RevisionQuery,
        headers: InputHeaders,
        response: { 200: DocumentSummarySchema, ...errors, 413: ProblemSchema, 415: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (req) => {
      const { caseId } = req.params;
      const { actor, updateId } = await admitInput(ctx, req, caseId, 'reviseDocument');
      const documentId = `${caseId}/${req.params.documentId}`;
      req.auditNote.documentId = documentId;
      const { requestId, runnerId } = runnerOf(caseId, documentId);
      req.auditNote.requestId = requestId;
      const body: unknown = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw problem('unsupported-media-type', `body: send the edited document as ${DOCX_TYPE}`, { field: 'body' });
      }
      if (body.subarray(0, 4).toString('binary') !== 'PK\x03\x04')
        throw problem('invalid-field', 'file: not a DOCX document (not a ZIP package)', { field: 'file', caseId });
      // Only what the request waits for takes a revision: asked first, so a refused upload stores nothing.
      const status = await within(ctx.client, ctx.timeoutMs(req), () => ctx.client.workflow.getHandle(caseId).query(statusQuery)).catch((err: unknown) => {
        throw temporalProblem(err, caseId);
      });
      const pending = status.requests.find((r) => r.requestId === requestId)?.pendingApproval;
      if (pending?.documentId !== documentId) {
        throw problem('conflict', `documentId: request ${requestId} is not waiting for ${documentId} to be approved: it takes no revision now`, {
          caseId,
          field: 'documentId',
          stage: status.stage,
        });
      }
      let stored;
      try {
        stored = await documents.uploadRevision({ documentId, docx: body, author: actor, ...(req.query.basedOn ? { basedOn: req.query.basedOn } : {}) });
      } catch (err) {
        throw storeProblem(err, caseId) ?? err;
      }
      if (stored.version <= pending.version) {
        throw problem('conflict', `file: the uploaded document has the text of version ${stored.version}: nothing changed`, { caseId, field: 'file' });
      }
      try {
        return await within(ctx.client, ctx.timeoutMs(req), () =>
          ctx.client.workflow.getHandle(runnerId).executeUpdate(reviseDocument, {
            args: [{ ...actor, documentId, version: stored.version, contentHash: stored.contentHash, incomplete: stored.incomplete }],
            ...(updateId ? { updateId } : {}),
          }),
        );
      } catch (err) {
        throw await updateProblem(ctx.client, err, caseId, { requestId, runnerId });
      }
    },
  );
}
