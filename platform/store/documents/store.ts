/**
 * CaseBridge's document store: one interface, an embedded implementation on disk (./file-store.ts)
 * and, later, PostgreSQL behind the same calls. Content is addressed by the SHA-256 of its plaintext
 * and stored encrypted with the payload codec's keys; each document's record (its versions, who
 * wrote and approved each, which content each is) is stored encrypted beside it.
 *
 * A stored item that does not decrypt, or whose content does not hash to its address, is refused on
 * read with DocumentTamperedError: a document that was altered at rest is never handed out.
 */
import { z } from 'zod';

export const CONTENT_HASH = /^[0-9a-f]{64}$/;

const Person = z
  .object({
    actor: z.string().min(1).max(200),
    role: z.string().min(1).max(50),
    actorId: z.string().min(1).max(500).optional(),
  })
  .strict();

export const DocumentVersionSchema = z
  .object({
    version: z.number().int().min(1),
    contentHash: z.string().regex(CONTENT_HASH),
    createdAt: z.iso.datetime({ offset: true }),
    source: z.enum(['generated', 'uploaded']),
    /** Who generated it (the step's requester) or uploaded it. */
    author: Person.optional(),
    /** The activity call that generated it: the same key returns this version again. */
    idempotencyKey: z.string().min(1).max(500).optional(),
    /** The gaps a person must still fill before the version can be approved (their labels). */
    incomplete: z.array(z.string().max(200)),
    approval: Person.extend({ at: z.iso.datetime({ offset: true }) })
      .strict()
      .optional(),
  })
  .strict();
export type DocumentVersion = z.infer<typeof DocumentVersionSchema>;

export const DocumentRecordSchema = z
  .object({
    documentId: z.string().min(1).max(500),
    caseId: z.string().min(1).max(100),
    kind: z.string().min(1).max(100),
    language: z.string().regex(/^[a-z]{2}$/),
    requestId: z.string().min(1).max(300).optional(),
    versions: z.array(DocumentVersionSchema).min(1),
  })
  .strict();
export type DocumentRecord = z.infer<typeof DocumentRecordSchema>;

/** A stored document or record that fails decryption or its address check. The message names the item, never its content. */
export class DocumentTamperedError extends Error {
  override name = 'DocumentTamperedError';
}

export class DocumentNotFoundError extends Error {
  override name = 'DocumentNotFoundError';
}

export interface DocumentStore {
  /** Stores `content` (idempotent: the same content is the same address) and returns its SHA-256. */
  putContent(content: string): Promise<string>;
  /** The content at `contentHash`; DocumentNotFoundError if absent, DocumentTamperedError if altered. */
  getContent(contentHash: string): Promise<string>;
  getRecord(documentId: string): Promise<DocumentRecord | undefined>;
  /**
   * Reads, changes and writes one document's record as one step (no other writer in between, across
   * processes). `change` returns the new record, or the current one unchanged to write nothing.
   */
  updateRecord(documentId: string, caseId: string, change: (current: DocumentRecord | undefined) => DocumentRecord): Promise<DocumentRecord>;
  /** Every document of a case, oldest first. */
  listRecords(caseId: string): Promise<DocumentRecord[]>;
}
