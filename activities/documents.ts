/**
 * The document port over CaseBridge's own generator and store. The call's idempotency key is the
 * version's key: a retried or replayed activity gets the version it generated the first time.
 * What cannot succeed on a retry (facts a template cannot take, a language with no template, a
 * stored document that fails its integrity check) is a rejection; a disk that is briefly full or
 * locked is retried.
 */
import { DocumentRequestError, TemplateError, type DocumentService } from '../documents';
import { DocumentNotFoundError, DocumentTamperedError } from '../platform/store/documents';
import { RejectedRequestError, type DocumentPort } from './ports';

/** What retrying cannot fix becomes a rejection; anything else (a disk briefly full or locked) is retried. */
async function rejecting<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DocumentRequestError || err instanceof TemplateError || err instanceof DocumentTamperedError || err instanceof DocumentNotFoundError) {
      throw new RejectedRequestError('documents', err.message);
    }
    throw err;
  }
}

export function createDocumentPort(service: DocumentService): DocumentPort {
  return {
    recordApproval: (ctx, req) =>
      rejecting(async () => {
        if (req.documentId.split('/')[0] !== ctx.caseId) throw new RejectedRequestError('documents', `document ${req.documentId} is not of case ${ctx.caseId}`);
        return service.recordApproval(req);
      }),
    generate: async (ctx, req) => {
      try {
        const ref = await service.generate({
          idempotencyKey: ctx.idempotencyKey,
          kind: req.kind,
          facts: req.facts,
          language: req.language,
          author: req.author,
          fromRevision: req.fromRevision,
        });
        if (ref.documentId.split('/')[0] !== ctx.caseId) throw new RejectedRequestError('documents', `document ${ref.documentId} is not of case ${ctx.caseId}`);
        return ref;
      } catch (err) {
        if (err instanceof DocumentRequestError || err instanceof TemplateError || err instanceof DocumentTamperedError) {
          throw new RejectedRequestError('documents', err.message);
        }
        throw err;
      }
    },
  };
}
