/**
 * CaseBridge's own store, one contract for both implementations: the embedded files (the default)
 * and PostgreSQL (CASEBRIDGE_STORE_URL, the cluster profile), the latter on a real PostgreSQL
 * started here from Debian's binaries. Each backend must keep the audit chain whole under
 * concurrent appends and name a tampered line; keep a replaced user's subject; give every process
 * the same signing key; and store documents encrypted, content-addressed, refusing tampering and
 * losing no version to a concurrent writer. In PostgreSQL the signing key is sealed with the operator's
 * keys (a plaintext one from before is sealed on its first read), and one store's close leaves the
 * pool to the others on it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseKeyList } from '../../platform/crypto/keys';
import { auditFile, openStore, type AuditEntry, type CaseBridgeStore } from '../../platform/store';
import { DocumentTamperedError, FileDocumentStore, sha256, type DocumentRecord, type DocumentStore } from '../../platform/store/documents';
import { closePool, openPostgresDocumentStore } from '../../platform/store/postgres';
import { newSigningKey } from '../../platform/store/signing-key';
import { Postgres } from '../../worker/cluster/postgres';
import { freePort } from '../harness/ports';

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

interface Backend {
  /** A fresh, empty store (its own directory or database). */
  store(): Promise<CaseBridgeStore>;
  /** A second process's view of the same store's data. */
  again(): Promise<CaseBridgeStore>;
  documents(): DocumentStore;
  /** Replaces the text of the audit line `seq`. */
  rewriteAuditLine(seq: number, change: (line: string) => string): Promise<void>;
  /** Flips a bit in the stored (sealed) content at `hash`. */
  flipContent(hash: string): Promise<void>;
  /** Stores document `from`'s sealed record as document `to`'s. */
  copyRecord(from: string, to: string, caseId: string): Promise<void>;
  /** What the store keeps, as bytes: nothing of a document's text may appear in it. */
  rawBytes(): Promise<Buffer>;
  cleanup(): Promise<void>;
}

function embedded(): Backend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-store-'));
  const docsDir = path.join(dir, 'documents');
  const all = (d: string): string[] =>
    fs.existsSync(d)
      ? fs
          .readdirSync(d, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => path.join(e.parentPath, e.name))
      : [];
  const opened: CaseBridgeStore[] = [];
  const open = async () => {
    const s = await openStore({ CASEBRIDGE_DATA_DIR: dir, CASEBRIDGE_STORE_URL: undefined });
    opened.push(s);
    return s;
  };
  return {
    store: open,
    again: open,
    documents: () => new FileDocumentStore(docsDir, parseKeyList(KEY)),
    async rewriteAuditLine(seq, change) {
      const lines = fs.readFileSync(auditFile(dir), 'utf8').split('\n');
      lines[seq - 1] = change(lines[seq - 1]);
      fs.writeFileSync(auditFile(dir), lines.join('\n'));
    },
    async flipContent(hash) {
      const file = path.join(docsDir, 'content', hash.slice(0, 2), hash);
      const bytes = fs.readFileSync(file);
      bytes[bytes.length - 20] ^= 0x01;
      fs.writeFileSync(file, bytes);
    },
    async copyRecord(from, to, caseId) {
      const caseDir = path.join(docsDir, 'records', sha256(`case:${caseId}`));
      fs.copyFileSync(path.join(caseDir, sha256(`document:${from}`)), path.join(caseDir, sha256(`document:${to}`)));
    },
    async rawBytes() {
      return Buffer.concat(all(docsDir).map((f) => fs.readFileSync(f)));
    },
    async cleanup() {
      for (const s of opened) await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgres(server: () => Postgres, n: number): Backend {
  const database = `store_contract_${n}`;
  let url = '';
  const opened: CaseBridgeStore[] = [];
  const admin = () => new pg.Client({ connectionString: url });
  const exec = async (sql: string, params: unknown[] = []) => {
    const c = admin();
    await c.connect();
    try {
      return await c.query(sql, params);
    } finally {
      await c.end();
    }
  };
  return {
    async store() {
      url = await server().database(database);
      const s = await openStore({ CASEBRIDGE_DATA_DIR: '/nonexistent', CASEBRIDGE_STORE_URL: url });
      opened.push(s);
      return s;
    },
    async again() {
      // Another pool (another process's connections) on the same database.
      const s = await openStore({ CASEBRIDGE_DATA_DIR: '/nonexistent', CASEBRIDGE_STORE_URL: `${url}?application_name=second` });
      opened.push(s);
      return s;
    },
    documents: () => openPostgresDocumentStore(url, parseKeyList(KEY)),
    async rewriteAuditLine(seq, change) {
      const { rows } = await exec('SELECT line FROM casebridge_audit WHERE seq = $1', [seq]);
      await exec('UPDATE casebridge_audit SET line = $2 WHERE seq = $1', [seq, change(rows[0].line as string)]);
    },
    async flipContent(hash) {
      const { rows } = await exec('SELECT sealed FROM casebridge_document_contents WHERE hash = $1', [hash]);
      const bytes = Buffer.from(rows[0].sealed as Buffer);
      bytes[bytes.length - 20] ^= 0x01;
      await exec('UPDATE casebridge_document_contents SET sealed = $2 WHERE hash = $1', [hash, bytes]);
    },
    async copyRecord(from, to, caseId) {
      await exec(
        `INSERT INTO casebridge_document_records (document_id, case_id, sealed)
         SELECT $2, $3, sealed FROM casebridge_document_records WHERE document_id = $1
         ON CONFLICT (document_id) DO UPDATE SET sealed = EXCLUDED.sealed`,
        [from, to, caseId],
      );
    },
    async rawBytes() {
      const a = await exec('SELECT sealed FROM casebridge_document_contents');
      const b = await exec('SELECT sealed FROM casebridge_document_records');
      return Buffer.concat([...a.rows, ...b.rows].map((r) => r.sealed as Buffer));
    },
    async cleanup() {
      for (const s of opened) await s.close();
      await closePool(url);
    },
  };
}

const entry = (i: number, at = new Date()): AuditEntry => ({
  at: at.toISOString(),
  subject: 'issuer|subject-1',
  name: 'A. Manager',
  role: 'manager',
  units: ['unit-a'],
  method: 'GET',
  route: '/cases/:caseId/status',
  action: 'read',
  caseId: `case-${i}`,
  status: 200,
});

const CASE = 'case-424242';
const record = (documentId: string, version: number, hash: string): DocumentRecord => ({
  documentId,
  caseId: CASE,
  kind: 'mlat-request',
  language: 'en',
  requestId: `${CASE}/mlat-1`,
  versions: Array.from({ length: version }, (_, i) => ({
    version: i + 1,
    contentHash: hash,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    source: 'generated' as const,
    incomplete: [],
  })),
});

let pgServer: Postgres | undefined;
let pgDir: string | undefined;
let backendCount = 0;

beforeAll(async () => {
  pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-store-pg-'));
  pgServer = new Postgres({ dir: pgDir, port: await freePort() });
  await pgServer.init();
  await pgServer.start();
}, 120_000);

afterAll(async () => {
  await pgServer?.stop('fast');
  if (pgDir) fs.rmSync(pgDir, { recursive: true, force: true });
});

describe.each([
  ['embedded files', () => embedded()],
  ['PostgreSQL', () => postgres(() => pgServer!, ++backendCount)],
] as const)('the store on %s', (_name, make) => {
  let b: Backend;
  beforeEach(() => {
    b = make();
  });
  afterEach(async () => {
    await b.cleanup();
  });

  it('chains 200 concurrent audit appends without a gap, exports by range, and names a changed line', async () => {
    const s = await b.store();
    const lines = await Promise.all(Array.from({ length: 200 }, (_, i) => s.audit.append(entry(i))));
    expect(lines.map((l) => l.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const old = await s.audit.append(entry(999, new Date('2020-01-01T00:00:00Z')));
    expect(await s.audit.verify()).toMatchObject({ ok: true, lines: 201, head: { seq: 201, hash: old.hash } });

    const in2020: string[] = [];
    for await (const l of s.audit.export({ from: new Date('2020-01-01T00:00:00Z'), to: new Date('2020-01-02T00:00:00Z') })) in2020.push(l.caseId!);
    expect(in2020).toEqual(['case-999']);
    let all = 0;
    for await (const l of s.audit.export({})) all += l.seq > 0 ? 1 : 0;
    expect(all).toBe(201);

    await b.rewriteAuditLine(17, (text) => text.replace('"status":200', '"status":404'));
    expect(await s.audit.verify()).toEqual({ ok: false, lines: 17, line: 17, problem: 'its content does not match its hash (the line was changed)' });
  });

  it('continues the chain from a second process, and refuses appends after close', async () => {
    const s = await b.store();
    await s.audit.append(entry(1));
    await s.close();
    await expect(s.audit.append(entry(2))).rejects.toThrow('the audit log is closed');
    const t = await b.again();
    const line = await t.audit.append(entry(3));
    expect(line.seq).toBe(2);
    expect(await t.audit.verify()).toMatchObject({ ok: true, lines: 2 });
  });

  it('keeps a replaced user’s subject, and gives every process the same signing key', async () => {
    const s = await b.store();
    const first = await s.users.put({ name: 'Ann Coordinator', roles: ['coordinator'], units: ['unit-a'], passwordHash: 'h1' });
    const second = await s.users.put({ name: 'Ann Coordinator', roles: ['coordinator', 'manager'], units: ['unit-b'], passwordHash: 'h2' });
    expect(second).toEqual({ ...first, roles: ['coordinator', 'manager'], units: ['unit-b'], passwordHash: 'h2' });
    await s.users.put({ name: 'Bo Analyst', roles: ['analyst'], units: ['unit-a'], passwordHash: 'h3' });
    expect((await s.users.list()).map((u) => u.name)).toEqual(['Ann Coordinator', 'Bo Analyst']);
    expect(await s.users.get('Nobody')).toBeUndefined();

    const k1 = await s.keys.signingKey();
    const t = await b.again();
    const k2 = await t.keys.signingKey();
    expect(k1.kid).toBe(k2.kid);
    expect(k1.publicJwk).toEqual(k2.publicJwk);
    expect(await t.users.get('Ann Coordinator')).toEqual(second);
  });

  it('stores documents sealed and content-addressed, and refuses altered content and a record under another id', async () => {
    await b.store();
    const docs = b.documents();
    const text = '# Request\n\nThe account nightowl_1989 at 198.51.100.7.\n';
    const hash = await docs.putContent(text);
    expect(await docs.putContent(text)).toBe(hash);
    expect(hash).toBe(sha256(Buffer.from(text, 'utf8')));
    expect(await docs.getContent(hash)).toBe(text);
    const raw = await b.rawBytes();
    for (const secret of ['nightowl_1989', '198.51.100.7']) expect(raw.includes(Buffer.from(secret))).toBe(false);

    const a = `${CASE}/mlat-1/mlat-request.en`;
    const other = `${CASE}/mlat-1/diplomatic-note.en`;
    await docs.updateRecord(a, CASE, () => record(a, 1, hash));
    await docs.updateRecord(other, CASE, () => ({ ...record(other, 1, hash), kind: 'diplomatic-note' }));
    expect((await docs.listRecords(CASE)).map((r) => r.documentId)).toEqual([a, other].sort());
    await expect(docs.updateRecord(a, 'case-1', () => record(a, 1, hash))).rejects.toThrow(`document id ${a} does not belong to case case-1`);

    await b.flipContent(hash);
    await expect(docs.getContent(hash)).rejects.toThrow(DocumentTamperedError);
    await b.copyRecord(other, a, CASE);
    await expect(docs.getRecord(a)).rejects.toThrow(`the record of document ${a} was refused: the stored item belongs to another address`);
    await expect(docs.listRecords(CASE)).rejects.toThrow(DocumentTamperedError);
  });

  it('loses no version when two writers change one record at once', async () => {
    await b.store();
    const one = b.documents();
    const two = b.documents();
    const id = `${CASE}/mlat-1/mlat-request.en`;
    const hash = await one.putContent('v\n');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).updateRecord(id, CASE, (current) => record(id, (current?.versions.length ?? 0) + 1, hash))),
    );
    expect((await one.getRecord(id))!.versions.map((v) => v.version)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});

describe('the local issuer’s signing key and the pool in PostgreSQL', () => {
  let n = 0;
  const fresh = async () => pgServer!.database(`store_signing_${++n}`);
  const rows = async (url: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<{ key: unknown; sealed: Buffer | null }>('SELECT key, sealed FROM casebridge_signing_keys')).rows;
    } finally {
      await c.end();
    }
  };
  const config = (url: string) => ({ CASEBRIDGE_DATA_DIR: '/nonexistent', CASEBRIDGE_STORE_URL: url });

  it('is sealed with the operator’s keys: the table holds no private key, and a process without the keys cannot read it', async () => {
    const url = await fresh();
    const s = await openStore(config(url), parseKeyList(KEY));
    const key = await s.keys.signingKey();
    const stored = await rows(url);
    expect(stored).toHaveLength(1);
    expect(stored[0].key).toBeNull();
    const d = String((key.privateJwk as { d: string }).d);
    expect(stored[0].sealed!.includes(Buffer.from(d))).toBe(false);
    expect(stored[0].sealed!.includes(Buffer.from(key.kid))).toBe(false);
    const keyless = await openStore(config(`${url}?application_name=keyless`), undefined);
    await expect(keyless.keys.signingKey()).rejects.toThrow(/the local issuer’s signing key/);
    // With the keys, a second process signs with the same key.
    const again = await openStore(config(`${url}?application_name=again`), parseKeyList(KEY));
    expect((await again.keys.signingKey()).publicJwk).toEqual(key.publicJwk);
    for (const x of [s, keyless, again]) await x.close();
  });

  it('seals a key stored in plaintext by a version before, on its first read, keeping the key', async () => {
    const url = await fresh();
    const old = await newSigningKey();
    const setup = await openStore(config(url), undefined); // creates the tables
    await setup.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`INSERT INTO casebridge_signing_keys (id, key) VALUES ('local-issuer', $1)`, [JSON.stringify(old)]);
    await c.end();
    const s = await openStore(config(url), parseKeyList(KEY));
    expect((await s.keys.signingKey()).kid).toBe(old.kid);
    const stored = await rows(url);
    expect(stored[0].key).toBeNull();
    expect(stored[0].sealed!.includes(Buffer.from(String((old.privateJwk as { d: string }).d)))).toBe(false);
    await s.close();
  });

  it('closing one store leaves the pool to the others on it (the documents, another store) until the last closes', async () => {
    const url = await fresh();
    const a = await openStore(config(url), undefined);
    const b = await openStore(config(url), undefined);
    const docs = openPostgresDocumentStore(url, parseKeyList(KEY));
    const hash = await docs.putContent('a document');
    await a.close();
    expect(await b.users.list()).toEqual([]);
    expect(await docs.getContent(hash)).toBe('a document');
    await b.close();
    // The documents hold their own lease: they still read after every store closed.
    expect(await docs.getContent(hash)).toBe('a document');
    await closePool(url);
  });
});
