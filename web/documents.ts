/**
 * The web app's document pages: a case's documents, a version's file (preview inline or download),
 * approval and a revised DOCX's upload. Each is the API's own document route called with the
 * session's token (web/api-call.ts), so the role, need to know, audit line (a download is a read of
 * personal data) and the request workflow's decision are the API's, never re-implemented here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../platform/html';
import type { ApiAnswer, ApiCaller, FileAnswer } from './api-call';
import { messagePage, page, sendPage } from './layout';
import { documentsBody, type DocumentFormResult, type DocumentView } from './pages/documents';
import { csrfMatches, type Session } from './sessions';

const CASE_ID = /^case-\d{1,19}$/;
/** As the API's document id without the case (api/routes/documents.ts): checked here too, so no other path is built. */
const SHORT_DOCUMENT = /^([a-z][a-z-]*(-\d+)?\/)?[a-z][a-z-]*(-\d+)?\.[a-z]{2}$/;
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const DONE: Record<string, string> = { approved: 'the approval', revised: 'the revised version' };

export interface DocumentPageKit {
  api: ApiCaller;
  file: (session: Session, url: string) => Promise<FileAnswer>;
  need: (req: FastifyRequest, reply: FastifyReply) => Session | undefined;
  refused: (reply: FastifyReply, s: Session, a: Extract<ApiAnswer<unknown>, { ok: false }>) => unknown;
  // The page routes' options (no bearer token: the session stands for it), as web/app.ts declares them.
  open: { config: { auth: boolean; rateLimit: false }; schema: { hide: boolean } };
}

const documentPath = (caseId: string, shortId: string) => `/cases/${caseId}/documents/${encodeURIComponent(shortId)}`;

export function registerDocumentPages(app: FastifyInstance, kit: DocumentPageKit): void {
  const { api, need, refused, open } = kit;
  const notFound = (reply: FastifyReply, s: Session) => sendPage(reply, 404, messagePage('Not found', html`<p>No such document.</p>`, s));

  const render = async (reply: FastifyReply, s: Session, caseId: string, status: number, result?: DocumentFormResult) => {
    const a = await api<{ documents: DocumentView[] }>(s, 'GET', `/cases/${caseId}/documents`);
    if (!a.ok) return refused(reply, s, a);
    return sendPage(
      reply,
      status,
      page({ title: 'Documents', session: s, pageUrl: `/web/cases/${caseId}/documents`, body: documentsBody(s, caseId, a.body.documents, result) }),
    );
  };

  app.get('/web/cases/:caseId/documents', open, async (req, reply) => {
    const s = need(req, reply);
    if (!s) return reply;
    const { caseId } = req.params as { caseId: string };
    if (!CASE_ID.test(caseId)) return notFound(reply, s);
    const q = req.query as Record<string, string | undefined>;
    const done = q.done ? DONE[q.done] : undefined;
    return render(reply, s, caseId, 200, done && q.doc && SHORT_DOCUMENT.test(q.doc) ? { shortId: q.doc, done } : undefined);
  });

  app.get('/web/cases/:caseId/documents/file', open, async (req, reply) => {
    const s = need(req, reply);
    if (!s) return reply;
    const { caseId } = req.params as { caseId: string };
    const q = req.query as Record<string, string | undefined>;
    const format = q.format === 'docx' ? 'docx' : 'pdf';
    if (!CASE_ID.test(caseId) || !q.doc || !SHORT_DOCUMENT.test(q.doc) || (q.version !== undefined && !/^\d{1,6}$/.test(q.version))) return notFound(reply, s);
    const inline = q.inline === '1' && format === 'pdf';
    const params = new URLSearchParams({ format, ...(q.version ? { version: q.version } : {}) });
    const a = await kit.file(s, `${documentPath(caseId, q.doc)}${inline ? '/preview' : ''}?${params.toString()}`);
    if (!a.ok) return refused(reply, s, a);
    return reply
      .code(200)
      .header('content-type', a.contentType)
      .header('content-disposition', a.disposition)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(a.bytes);
  });

  app.post('/web/cases/:caseId/documents/approve', open, async (req, reply) => {
    const s = need(req, reply);
    if (!s) return reply;
    const { caseId } = req.params as { caseId: string };
    const form = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string>;
    if (!csrfMatches(s, form._csrf)) return outOfDate(reply, s);
    if (!CASE_ID.test(caseId) || !SHORT_DOCUMENT.test(form.doc ?? '')) return notFound(reply, s);
    const headers = /^[A-Za-z0-9-]{1,100}$/.test(form._key ?? '') ? { 'idempotency-key': `web-${form._key}` } : undefined;
    const a = await api(s, 'POST', `${documentPath(caseId, form.doc)}/approve`, {
      body: { contentHash: form.contentHash ?? '' },
      ...(headers ? { headers } : {}),
    });
    if (a.ok) return reply.redirect(`/web/cases/${caseId}/documents?done=approved&doc=${encodeURIComponent(form.doc)}`, 303);
    if (a.status === 401 || a.status === 404) return refused(reply, s, a);
    return render(reply, s, caseId, a.status, { shortId: form.doc, form: 'approve', refused: a.problem.detail });
  });

  app.post('/web/cases/:caseId/documents/revise', open, async (req, reply) => {
    const s = need(req, reply);
    if (!s) return reply;
    const { caseId } = req.params as { caseId: string };
    if (!req.isMultipart()) return sendPage(reply, 415, messagePage('Refused', html`<p>Upload the file with the form.</p>`, s));
    const fields: Record<string, string> = {};
    let docx: Buffer | undefined;
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') docx = await part.toBuffer();
        else fields[part.fieldname] = String(part.value);
      }
    } catch {
      return sendPage(reply, 413, messagePage('Refused', html`<p>The file could not be read (at most 64 MiB).</p>`, s));
    }
    if (!csrfMatches(s, fields._csrf)) return outOfDate(reply, s);
    if (!CASE_ID.test(caseId) || !SHORT_DOCUMENT.test(fields.doc ?? '')) return notFound(reply, s);
    if (!docx || docx.length === 0) return render(reply, s, caseId, 422, { shortId: fields.doc, form: 'revise', refused: 'file: choose the edited DOCX' });
    const basedOn = /^\d{1,6}$/.test(fields.basedOn ?? '') ? `?basedOn=${fields.basedOn}` : '';
    const a = await api(s, 'POST', `${documentPath(caseId, fields.doc)}/revisions${basedOn}`, { raw: { bytes: docx, contentType: DOCX_TYPE } });
    if (a.ok) return reply.redirect(`/web/cases/${caseId}/documents?done=revised&doc=${encodeURIComponent(fields.doc)}`, 303);
    if (a.status === 401 || a.status === 404) return refused(reply, s, a);
    return render(reply, s, caseId, a.status, { shortId: fields.doc, form: 'revise', refused: a.problem.detail });
  });
}

function outOfDate(reply: FastifyReply, s: Session) {
  return sendPage(reply, 403, messagePage('Refused', html`<p>This form is out of date or did not come from CaseBridge: reload the page and try again.</p>`, s));
}
