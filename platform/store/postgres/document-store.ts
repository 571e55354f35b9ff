/**
 * The document store in PostgreSQL, for the cluster profile: the same sealed items as the files
 * (../documents/sealing.ts), content by its SHA-256, one row per document's record. A record's
 * read-change-write holds the row (SELECT … FOR UPDATE), or for a new record an advisory lock on its
 * id, so two workers never lose each other's versions.
 */
import type pg from 'pg';
import type { KeyRing } from '../../crypto/keys';
import { byAge, changedRecord, checkContentAddress, checkOwnCase, openContent, openRecord, sha256 } from '../documents/records';
import { Sealer } from '../documents/sealing';
import { DocumentTamperedError, type DocumentRecord, type DocumentStore } from '../documents/store';
import { acquirePool, inTransaction, lockOn } from './pool';

export class PgDocumentStore implements DocumentStore {
  private readonly sealer: Sealer;

  /** The URL, not a pool: the document layer is built synchronously, the pool (and its tables) on first use. */
  constructor(
    private readonly url: string,
    keyRing: KeyRing | undefined,
  ) {
    this.sealer = new Sealer(keyRing);
  }

  private lease: Promise<pg.Pool> | undefined;

  /** One lease, taken on first use and held for the process (the pool lets the process exit when idle). */
  private get pool(): Promise<pg.Pool> {
    if (!this.lease) {
      const taken = acquirePool(this.url).then((l) => l.pool);
      taken.catch(() => (this.lease = undefined));
      this.lease = taken;
    }
    return this.lease;
  }

  get encrypting(): boolean {
    return this.sealer.encrypting;
  }

  async putContent(content: string): Promise<string> {
    const bytes = Buffer.from(content, 'utf8');
    const hash = sha256(bytes);
    const sealed = await this.sealer.seal(`content:${hash}`, bytes);
    await (
      await this.pool
    ).query('INSERT INTO casebridge_document_contents (hash, sealed) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING', [hash, Buffer.from(sealed)]);
    return hash;
  }

  async getContent(contentHash: string): Promise<string> {
    checkContentAddress(contentHash);
    const { rows } = await (await this.pool).query<{ sealed: Buffer }>('SELECT sealed FROM casebridge_document_contents WHERE hash = $1', [contentHash]);
    return openContent(this.sealer, contentHash, rows[0]?.sealed);
  }

  private open(documentId: string, sealed: Buffer): Promise<DocumentRecord> {
    return openRecord(this.sealer, `document:${documentId}`, sealed, `the record of document ${documentId}`);
  }

  async getRecord(documentId: string): Promise<DocumentRecord | undefined> {
    const { rows } = await (await this.pool).query<{ sealed: Buffer }>('SELECT sealed FROM casebridge_document_records WHERE document_id = $1', [documentId]);
    return rows[0] ? this.open(documentId, rows[0].sealed) : undefined;
  }

  async updateRecord(documentId: string, caseId: string, change: (current: DocumentRecord | undefined) => DocumentRecord): Promise<DocumentRecord> {
    checkOwnCase(documentId, caseId);
    return inTransaction(await this.pool, async (client) => {
      await lockOn(client, `document:${documentId}`);
      const { rows } = await client.query<{ sealed: Buffer }>('SELECT sealed FROM casebridge_document_records WHERE document_id = $1 FOR UPDATE', [documentId]);
      const current = rows[0] ? await this.open(documentId, rows[0].sealed) : undefined;
      const next = changedRecord(documentId, caseId, current, change);
      if (!next) return current!;
      const sealed = Buffer.from(await this.sealer.seal(`document:${documentId}`, Buffer.from(JSON.stringify(next), 'utf8')));
      await client.query(
        `INSERT INTO casebridge_document_records (document_id, case_id, sealed) VALUES ($1, $2, $3)
         ON CONFLICT (document_id) DO UPDATE SET sealed = EXCLUDED.sealed`,
        [documentId, caseId, sealed],
      );
      return next;
    });
  }

  async listRecords(caseId: string): Promise<DocumentRecord[]> {
    const { rows } = await (
      await this.pool
    ).query<{ document_id: string; sealed: Buffer }>('SELECT document_id, sealed FROM casebridge_document_records WHERE case_id = $1', [caseId]);
    const records: DocumentRecord[] = [];
    for (const r of rows) {
      // The sealed record names its own id: a row copied under another id fails to open there.
      const record = await this.open(r.document_id, r.sealed);
      if (record.caseId !== caseId) throw new DocumentTamperedError(`a record filed under case ${caseId} belongs to another case`);
      records.push(record);
    }
    return records.sort(byAge);
  }
}
