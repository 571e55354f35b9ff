/**
 * The document store at rest: content and records are encrypted with the payload codec's keys,
 * found by the SHA-256 of the content, and refused with a clear error when anything on disk was
 * altered, moved or replaced; key rotation keeps old documents readable while the old key is listed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseKeyList } from '../../platform/crypto/keys';
import { DocumentTamperedError, FileDocumentStore, sha256 } from '../../platform/store/documents';
import { CASE_ID, PERSONAL, factsFor, key, service, tempDir } from './fixture';

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

describe('document store', () => {
  const k1 = `k1:${key()}`;

  it('keeps content and records encrypted: no identifier of the case is readable on disk', async () => {
    const dir = tempDir('store-enc');
    const docs = service(dir, k1);
    const ref = await docs.generate({ idempotencyKey: `${CASE_ID}/enc`, kind: 'preservation-letter', facts: factsFor('preservation-letter') });
    expect((await docs.content(ref.documentId)).content).toContain(PERSONAL.screenName);
    const files = filesUnder(dir);
    expect(files.length).toBe(2); // one content item, one record
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const secret of [PERSONAL.screenName, PERSONAL.espIdentifier, PERSONAL.ip, CASE_ID, 'preservation-letter']) {
        expect(bytes.includes(Buffer.from(secret))).toBe(false);
      }
      expect(path.basename(f)).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(fs.existsSync(path.join(dir, 'content', ref.contentHash.slice(0, 2), ref.contentHash))).toBe(true);
  });

  it('addresses content by the SHA-256 of its text: the same text is stored once', async () => {
    const store = new FileDocumentStore(tempDir('store-addr'), parseKeyList(k1));
    const a = await store.putContent('# Title\n\nSame text.\n');
    const b = await store.putContent('# Title\n\nSame text.\n');
    expect(a).toBe(b);
    expect(a).toBe(sha256(Buffer.from('# Title\n\nSame text.\n', 'utf8')));
    expect(await store.getContent(a)).toBe('# Title\n\nSame text.\n');
  });

  it('refuses content whose ciphertext was altered', async () => {
    const dir = tempDir('store-tamper');
    const store = new FileDocumentStore(dir, parseKeyList(k1));
    const hash = await store.putContent('the original text\n');
    const file = path.join(dir, 'content', hash.slice(0, 2), hash);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 20] ^= 0x01; // one bit inside the AES-GCM ciphertext
    fs.writeFileSync(file, bytes);
    await expect(store.getContent(hash)).rejects.toThrow(DocumentTamperedError);
    await expect(store.getContent(hash)).rejects.toThrow(
      `document content ${hash} was refused: payload encrypted with key 'k1' could not be decrypted: the key configured as 'k1' is not the one it was encrypted with, or the stored payload was altered`,
    );
  });

  it('refuses content moved to another address, even though it decrypts', async () => {
    const dir = tempDir('store-move');
    const store = new FileDocumentStore(dir, parseKeyList(k1));
    const real = await store.putContent('text A\n');
    const other = await store.putContent('text B\n');
    fs.copyFileSync(path.join(dir, 'content', other.slice(0, 2), other), path.join(dir, 'content', real.slice(0, 2), real));
    await expect(store.getContent(real)).rejects.toThrow(
      `document content ${real} was refused: the stored item belongs to another address (it was moved or replaced)`,
    );
  });

  it('without a key, refuses plaintext content that no longer matches its address', async () => {
    const dir = tempDir('store-plain');
    const store = new FileDocumentStore(dir, undefined);
    const hash = await store.putContent('approved text: transfer 10 files\n');
    const file = path.join(dir, 'content', hash.slice(0, 2), hash);
    const bytes = fs.readFileSync(file);
    expect(bytes.includes(Buffer.from('transfer 10 files'))).toBe(true); // plaintext, as Temporal payloads are without a key
    fs.writeFileSync(file, Buffer.from(bytes.toString('latin1').replace('transfer 10 files', 'transfer 90 files'), 'latin1'));
    await expect(store.getContent(hash)).rejects.toThrow(`document content ${hash} was refused: its content does not match its address (altered at rest)`);
  });

  it('refuses a tampered record, and a record copied under another document', async () => {
    const dir = tempDir('store-record');
    const docs = service(dir, k1);
    const a = await docs.generate({ idempotencyKey: `${CASE_ID}/ra`, kind: 'preservation-letter', facts: factsFor('preservation-letter') });
    const b = await docs.generate({ idempotencyKey: `${CASE_ID}/rb`, kind: 'diplomatic-note', facts: factsFor('diplomatic-note') });
    const caseDir = path.join(dir, 'records', sha256(`case:${CASE_ID}`));
    const fileOf = (id: string) => path.join(caseDir, sha256(`document:${id}`));
    fs.copyFileSync(fileOf(b.documentId), fileOf(a.documentId));
    await expect(docs.record(a.documentId)).rejects.toThrow(`the record of document ${a.documentId} was refused: the stored item belongs to another address`);
    await expect(docs.list(CASE_ID)).rejects.toThrow(DocumentTamperedError);
  });

  it('rotation: a document written under k1 reads after k2 becomes active, and not once k1 is removed', async () => {
    const dir = tempDir('store-rotate');
    const k2 = `k2:${key()}`;
    const before = service(dir, k1);
    const ref = await before.generate({ idempotencyKey: `${CASE_ID}/rot`, kind: 'mlat-request', facts: factsFor('mlat-request') });
    const text = (await before.content(ref.documentId)).content;

    const rotated = new FileDocumentStore(dir, parseKeyList(`${k1},${k2}`, 'k2'));
    expect(await rotated.getContent(ref.contentHash)).toBe(text);
    // New content is written under k2, and both stay readable.
    const fresh = await rotated.putContent('written after rotation\n');
    expect(await rotated.getContent(fresh)).toBe('written after rotation\n');
    expect(await new FileDocumentStore(dir, parseKeyList(k1)).getContent(ref.contentHash)).toBe(text);

    const withoutK1 = new FileDocumentStore(dir, parseKeyList(k2));
    expect(await withoutK1.getContent(fresh)).toBe('written after rotation\n');
    await expect(withoutK1.getContent(ref.contentHash)).rejects.toThrow(
      `document content ${ref.contentHash} was refused: payload was encrypted with key 'k1' which is not configured (configured: k2)`,
    );
  });

  it('lists a case’s documents, and keeps versions from two writers at once', async () => {
    const dir = tempDir('store-list');
    const one = service(dir, k1);
    const two = service(dir, k1);
    const facts = factsFor('mlat-request');
    // Two services (two workers) drafting different versions of the same document at the same time.
    const refs = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        (n % 2 ? one : two).generate({
          idempotencyKey: `${CASE_ID}/w${n}`,
          kind: 'mlat-request',
          facts: { ...facts, additions: { ...facts.additions, procedures: `procedure ${n}` } },
        }),
      ),
    );
    expect(refs.map((r) => r.version).sort()).toEqual([1, 2, 3, 4]);
    const [record] = await one.list(CASE_ID);
    expect(record.versions.map((v) => v.idempotencyKey).sort()).toEqual([1, 2, 3, 4].map((n) => `${CASE_ID}/w${n}`));
  });
});
