/**
 * The embedded document store: files under `<data dir>/documents/`, for the two-command start.
 *
 *   content/<first 2 hex>/<sha256>     sealed content, addressed by the SHA-256 of its plaintext
 *   records/<sha256(case id)>/<sha256(document id)>   sealed record of one document
 *
 * File names are digests, so no case id or document id appears in a path. Every write goes to a
 * temporary file, is fsynced and renamed into place; a record's read-change-write holds a lock file
 * (created exclusively) so two worker processes never lose each other's versions.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { KeyRing } from '../../crypto/keys';
import { Sealer } from './sealing';
import { byAge, changedRecord, checkContentAddress, checkOwnCase, openContent, openRecord, sha256 } from './records';
import { DocumentTamperedError, type DocumentRecord, type DocumentStore } from './store';

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 20;
const LOCK_GIVE_UP_MS = 60_000;

export class FileDocumentStore implements DocumentStore {
  private readonly sealer: Sealer;
  /** Within one process, updates of one record queue here before taking the file lock. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    readonly root: string,
    keyRing: KeyRing | undefined,
  ) {
    this.sealer = new Sealer(keyRing);
  }

  get encrypting(): boolean {
    return this.sealer.encrypting;
  }

  private contentPath(hash: string): string {
    return path.join(this.root, 'content', hash.slice(0, 2), hash);
  }

  private caseDir(caseId: string): string {
    return path.join(this.root, 'records', sha256(`case:${caseId}`));
  }

  private recordPath(caseId: string, documentId: string): string {
    return path.join(this.caseDir(caseId), sha256(`document:${documentId}`));
  }

  async putContent(content: string): Promise<string> {
    const bytes = Buffer.from(content, 'utf8');
    const hash = sha256(bytes);
    const file = this.contentPath(hash);
    if (await exists(file)) return hash; // content-addressed: already there
    await writeAtomically(file, await this.sealer.seal(`content:${hash}`, bytes));
    return hash;
  }

  async getContent(contentHash: string): Promise<string> {
    checkContentAddress(contentHash);
    return openContent(this.sealer, contentHash, await readOrUndefined(this.contentPath(contentHash)));
  }

  /** Records are found through their case; the document id names its case (see documents/ids). */
  async getRecord(documentId: string): Promise<DocumentRecord | undefined> {
    const caseId = documentId.split('/')[0];
    return this.readRecord(caseId, documentId);
  }

  private async readRecord(caseId: string, documentId: string): Promise<DocumentRecord | undefined> {
    const bytes = await readOrUndefined(this.recordPath(caseId, documentId));
    if (!bytes) return undefined;
    return this.parseRecord(`document:${documentId}`, bytes, `the record of document ${documentId}`);
  }

  private parseRecord(address: string, bytes: Uint8Array, what: string): Promise<DocumentRecord> {
    return openRecord(this.sealer, address, bytes, what);
  }

  async updateRecord(documentId: string, caseId: string, change: (current: DocumentRecord | undefined) => DocumentRecord): Promise<DocumentRecord> {
    checkOwnCase(documentId, caseId);
    const file = this.recordPath(caseId, documentId);
    const previous = this.queues.get(file) ?? Promise.resolve();
    const run = previous.then(
      () => this.withLock(file, () => this.changeRecord(file, caseId, documentId, change)),
      () => this.withLock(file, () => this.changeRecord(file, caseId, documentId, change)),
    );
    this.queues.set(file, run);
    try {
      return await run;
    } finally {
      if (this.queues.get(file) === run) this.queues.delete(file);
    }
  }

  private async changeRecord(
    file: string,
    caseId: string,
    documentId: string,
    change: (current: DocumentRecord | undefined) => DocumentRecord,
  ): Promise<DocumentRecord> {
    const current = await this.readRecord(caseId, documentId);
    const next = changedRecord(documentId, caseId, current, change);
    if (!next) return current!;
    await writeAtomically(file, await this.sealer.seal(`document:${documentId}`, Buffer.from(JSON.stringify(next), 'utf8')));
    return next;
  }

  async listRecords(caseId: string): Promise<DocumentRecord[]> {
    const dir = this.caseDir(caseId);
    let names: string[];
    try {
      names = (await fs.readdir(dir)).filter((n) => /^[0-9a-f]{64}$/.test(n));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const records: DocumentRecord[] = [];
    for (const name of names) {
      const bytes = await fs.readFile(path.join(dir, name));
      // The sealed record names its own address; a record file copied under another name fails that check.
      const record = await this.parseListed(bytes, name);
      if (record.caseId !== caseId) throw new DocumentTamperedError(`a record filed under case ${caseId} belongs to another case`);
      records.push(record);
    }
    return records.sort(byAge);
  }

  /** A record found by listing: its file name must be the digest of the address sealed inside it. */
  private async parseListed(bytes: Uint8Array, fileName: string): Promise<DocumentRecord> {
    const what = 'a record listed for its case';
    const { address } = await this.sealer.unwrap(bytes, what);
    if (!address?.startsWith('document:') || sha256(address) !== fileName) {
      throw new DocumentTamperedError(`${what} was refused: it is filed under another document's name`);
    }
    return this.parseRecord(address, bytes, `the record of document ${address.slice('document:'.length)}`);
  }

  private async withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
    const lock = `${file}.lock`;
    await fs.mkdir(path.dirname(lock), { recursive: true });
    const started = Date.now();
    for (;;) {
      try {
        const handle = await fs.open(lock, 'wx');
        await handle.writeFile(`${process.pid}\n`);
        await handle.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const stat = await fs.stat(lock).catch(() => undefined);
        // A lock left by a process that died mid-write is taken over once stale.
        if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) await fs.rm(lock, { force: true });
        if (Date.now() - started > LOCK_GIVE_UP_MS) throw new Error(`document record is locked by another process for over ${LOCK_GIVE_UP_MS / 1000} s`);
        await new Promise((r) => setTimeout(r, LOCK_WAIT_MS));
      }
    }
    try {
      return await fn();
    } finally {
      await fs.rm(lock, { force: true });
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function readOrUndefined(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes `data` to a temporary file beside `file`, fsyncs it and renames it into place. */
async function writeAtomically(file: string, data: Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
}
