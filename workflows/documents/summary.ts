import type { GeneratedDocument } from '../../activities/ports';
import type { DocumentSummary } from '../messages';
import type { DocumentKind } from './kinds';

/** What a workflow keeps of a version the document activity just generated: a draft, never its text. */
export function draftOf(ref: GeneratedDocument, requestId: string, kind: DocumentKind): DocumentSummary {
  return {
    documentId: ref.documentId,
    requestId,
    kind,
    language: ref.language,
    version: ref.version,
    contentHash: ref.contentHash,
    status: 'DRAFT',
    incomplete: [...ref.incomplete],
  };
}
