/** What every document store does the same way with a record: open it sealed, and apply a change to it. */
import type { Sealer } from './sealing';
import { createHash } from 'node:crypto';
import { CONTENT_HASH, DocumentNotFoundError, DocumentRecordSchema, DocumentTamperedError, type DocumentRecord } from './store';

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A content address must be a SHA-256 before any store is asked for it. */
export function checkContentAddress(contentHash: string): void {
  if (!CONTENT_HASH.test(contentHash)) throw new DocumentNotFoundError(`no document content ${JSON.stringify(contentHash)}: not a SHA-256 address`);
}

/** Sealed content read from a store (undefined: absent), opened and checked against its address. */
export async function openContent(sealer: Sealer, contentHash: string, bytes: Uint8Array | undefined): Promise<string> {
  if (!bytes) throw new DocumentNotFoundError(`no document content ${contentHash}`);
  const what = `document content ${contentHash}`;
  const data = await sealer.open(`content:${contentHash}`, bytes, what);
  if (sha256(data) !== contentHash) throw new DocumentTamperedError(`${what} was refused: its content does not match its address (altered at rest)`);
  return Buffer.from(data).toString('utf8');
}

/** A sealed record opened at `address`: it must decrypt there, be JSON and be a valid record. */
export async function openRecord(sealer: Sealer, address: string, bytes: Uint8Array, what: string): Promise<DocumentRecord> {
  const data = await sealer.open(address, bytes, what);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    throw new DocumentTamperedError(`${what} was refused: it is not valid JSON`);
  }
  const parsed = DocumentRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DocumentTamperedError(`${what} was refused: ${issue.path.join('.') || '(record)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The record `change` makes of `current`, validated; undefined when nothing changed (nothing to write). */
export function changedRecord(
  documentId: string,
  caseId: string,
  current: DocumentRecord | undefined,
  change: (current: DocumentRecord | undefined) => DocumentRecord,
): DocumentRecord | undefined {
  const next = DocumentRecordSchema.parse(change(current));
  if (next.documentId !== documentId || next.caseId !== caseId) throw new Error(`a record change may not move document ${documentId} to another id or case`);
  if (current && JSON.stringify(current) === JSON.stringify(next)) return undefined;
  return next;
}

/** A document id names its case first (documents/ids): the check both stores make before a write. */
export function checkOwnCase(documentId: string, caseId: string): void {
  if (documentId.split('/')[0] !== caseId) throw new Error(`document id ${documentId} does not belong to case ${caseId}`);
}

/** Oldest first, as `listRecords` promises. */
export function byAge(a: DocumentRecord, b: DocumentRecord): number {
  return a.versions[0].createdAt.localeCompare(b.versions[0].createdAt) || a.documentId.localeCompare(b.documentId);
}
