/**
 * The key ring settings and the AES-256-GCM payload codec, without a server: what operators can
 * get wrong in the settings (each mistake named, no key material echoed), and what the codec does
 * with a right key, a missing key, a wrong key, a tampered or relabelled payload, and old keys.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultFailureConverter, ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { caseBridgeDataConverter, FAILURE_CONVERTER_PATH } from '../../platform/connection';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError, encryptionKeyId } from '../../platform/crypto/codec';
import { EncryptionConfigError, loadEncryptionSettings, parseKeyFile, parseKeyList } from '../../platform/crypto/keys';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const utf8 = new TextDecoder();

function codecFor(env: NodeJS.ProcessEnv): AesGcmPayloadCodec {
  const { keyRing } = loadEncryptionSettings(env);
  return new AesGcmPayloadCodec(keyRing!);
}

const secret = { screenName: 'darkfalcon_1987', ipAddress: '203.0.113.45' };
const plain = (): Payload => defaultPayloadConverter.toPayload(secret);

describe('key ring settings', () => {
  it('reads id:base64 lists; one key is active by default, several need CASEBRIDGE_ENCRYPTION_KEY_ID', () => {
    expect(parseKeyList(`k1:${k1}`).activeKeyId).toBe('k1');
    const ring = parseKeyList(` k1:${k1} , k2:${k2} `, 'k2');
    expect(ring.activeKeyId).toBe('k2');
    expect([...ring.keys.keys()]).toEqual(['k1', 'k2']);
    expect(() => parseKeyList(`k1:${k1},k2:${k2}`)).toThrow(/CASEBRIDGE_ENCRYPTION_KEY_ID must name the active key .*k1, k2/);
    expect(() => parseKeyList(`k1:${k1}`, 'k3')).toThrow("the active key 'k3' is not among the listed keys (k1)");
  });

  it.each([
    ['no colon', `${k1}`, /entry 1 is not of the form id:base64key/],
    ['bad id', `k 1:${k1}`, /entry 1: a key id is/],
    ['not base64', 'k1:not*base64', /entry 1 \('k1'\): a key is standard base64/],
    ['16-byte key', `k1:${randomBytes(16).toString('base64')}`, /exactly 32 bytes/],
    ['duplicate id', `k1:${k1},k1:${k2}`, /key id 'k1' is listed twice/],
  ])('rejects %s with a message naming the setting, without echoing key material', (_case, list, message) => {
    let thrown: unknown;
    try {
      parseKeyList(list, 'k1');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(EncryptionConfigError);
    expect((thrown as Error).message).toMatch(/^CASEBRIDGE_ENCRYPTION_KEYS/);
    expect((thrown as Error).message).toMatch(message);
    for (const key of [k1, k2]) expect((thrown as Error).message).not.toContain(key);
  });

  it('reads a JSON key file validated by its schema', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-keys-'));
    try {
      const file = path.join(dir, 'keys.json');
      fs.writeFileSync(file, JSON.stringify({ activeKeyId: 'k2', keys: { k1, k2 } }), { mode: 0o600 });
      const { keyRing } = loadEncryptionSettings({ CASEBRIDGE_KEY_FILE: file });
      expect(keyRing?.activeKeyId).toBe('k2');
      expect([...keyRing!.keys.keys()]).toEqual(['k1', 'k2']);

      expect(() => parseKeyFile(`{"activeKeyId": "k1", "keys": {"k1": "${k1}"`)).toThrow('CASEBRIDGE_KEY_FILE: the key file is not valid JSON');
      expect(() => parseKeyFile(JSON.stringify({ activeKeyId: 'k1', keys: { k1: 'c2hvcnQ=' } }))).toThrow(
        /CASEBRIDGE_KEY_FILE\.keys\.k1: a key is exactly 32 bytes/,
      );
      expect(() => parseKeyFile(JSON.stringify({ activeKeyId: 'k1', keys: { k1 }, extra: 1 }))).toThrow(/CASEBRIDGE_KEY_FILE: .*extra/);
      expect(() => parseKeyFile(JSON.stringify({ keys: { k1 } }))).toThrow(/CASEBRIDGE_KEY_FILE\.activeKeyId/);
      expect(() => loadEncryptionSettings({ CASEBRIDGE_KEY_FILE: path.join(dir, 'missing.json') })).toThrow(/cannot read .*missing\.json: ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses ambiguous settings, and no key at all when CASEBRIDGE_REQUIRE_ENCRYPTION is set', () => {
    expect(() => loadEncryptionSettings({ CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k1}`, CASEBRIDGE_KEY_FILE: '/x' })).toThrow(
      'either CASEBRIDGE_ENCRYPTION_KEYS or CASEBRIDGE_KEY_FILE, not both',
    );
    expect(() => loadEncryptionSettings({ CASEBRIDGE_ENCRYPTION_KEY_ID: 'k1' })).toThrow(/lists no keys/);
    expect(loadEncryptionSettings({})).toEqual({ keyRing: undefined, required: false });
    expect(() => loadEncryptionSettings({ CASEBRIDGE_REQUIRE_ENCRYPTION: 'true' })).toThrow(
      /CASEBRIDGE_REQUIRE_ENCRYPTION is set but no encryption key is configured/,
    );
    expect(() => caseBridgeDataConverter({ CASEBRIDGE_REQUIRE_ENCRYPTION: 'true' })).toThrow(EncryptionConfigError);
    expect(() => loadEncryptionSettings({ CASEBRIDGE_REQUIRE_ENCRYPTION: 'maybe' })).toThrow(/invalid setting CASEBRIDGE_REQUIRE_ENCRYPTION/);
    expect(loadEncryptionSettings({ CASEBRIDGE_REQUIRE_ENCRYPTION: 'true', CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k1}` }).required).toBe(true);
  });
});

describe('AES-256-GCM payload codec', () => {
  const codec = codecFor({ CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k1}` });

  it('encrypts the whole payload, names the key, and decrypts it back', async () => {
    const [encrypted] = await codec.encode([plain()]);
    expect(utf8.decode(encrypted.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(utf8.decode(encrypted.metadata![KEY_ID_METADATA])).toBe('k1');
    expect(Object.keys(encrypted.metadata!)).toEqual(['encoding', KEY_ID_METADATA]);
    const bytes = Buffer.from(encrypted.data!);
    expect(bytes.includes('darkfalcon_1987')).toBe(false);
    expect(bytes.includes('json/plain')).toBe(false);
    const [decoded] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(secret);
    // A fresh IV each time: equal inputs give different ciphertexts.
    const [again] = await codec.encode([plain()]);
    expect(Buffer.from(again.data!).equals(bytes)).toBe(false);
  });

  it('passes plaintext payloads (written before encryption was switched on) through', async () => {
    const [decoded] = await codec.decode([plain()]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(secret);
  });

  it('fails with a clear message for a key that is not configured, a wrong key, tampering and relabelling', async () => {
    const [encrypted] = await codec.encode([plain()]);
    const otherRing = codecFor({ CASEBRIDGE_ENCRYPTION_KEYS: `k2:${k2}` });
    await expect(otherRing.decode([encrypted])).rejects.toThrow(
      "payload was encrypted with key 'k1' which is not configured (configured: k2); add it to CASEBRIDGE_ENCRYPTION_KEYS or the key file",
    );
    const wrongK1 = codecFor({ CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k2}` });
    await expect(wrongK1.decode([encrypted])).rejects.toThrow(
      "payload encrypted with key 'k1' could not be decrypted: the key configured as 'k1' is not the one it was encrypted with, or the stored payload was altered",
    );
    const tampered = { ...encrypted, data: Buffer.from(encrypted.data!) };
    tampered.data[20] ^= 1;
    await expect(codec.decode([tampered])).rejects.toThrow(PayloadDecryptionError);
    // Same key bytes under another id: the id is authenticated data, so relabelling fails.
    const both = codecFor({ CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k1},alias:${k1}`, CASEBRIDGE_ENCRYPTION_KEY_ID: 'k1' });
    const relabelled = { ...encrypted, metadata: { ...encrypted.metadata, [KEY_ID_METADATA]: new TextEncoder().encode('alias') } };
    await expect(both.decode([relabelled])).rejects.toThrow(/key 'alias' could not be decrypted/);
    const noId = { ...encrypted, metadata: { encoding: encrypted.metadata!.encoding } };
    await expect(codec.decode([noId])).rejects.toThrow("encrypted payload has no 'encryption-key-id' metadata");
    const truncated = { ...encrypted, data: encrypted.data!.subarray(0, 10) };
    await expect(codec.decode([truncated])).rejects.toThrow(/is truncated \(10 bytes\)/);
  });

  it('rotation: the active key encrypts, every listed key decrypts', async () => {
    const [old] = await codec.encode([plain()]);
    const rotated = codecFor({ CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k1},k2:${k2}`, CASEBRIDGE_ENCRYPTION_KEY_ID: 'k2' });
    const [fresh] = await rotated.encode([plain()]);
    expect([encryptionKeyId(old), encryptionKeyId(fresh)]).toEqual(['k1', 'k2']);
    const decoded = await rotated.decode([old, fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([secret, secret]);
  });
});

describe('caseBridgeDataConverter', () => {
  it('is the plain converter without a key', () => {
    expect(caseBridgeDataConverter({})).toEqual({});
  });

  it('with a key: the codec and a failure converter that moves messages and stack traces into an encrypted payload', async () => {
    const dc = caseBridgeDataConverter({ CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k1}` });
    expect(dc.payloadCodecs).toHaveLength(1);
    expect(dc.failureConverterPath).toBe(FAILURE_CONVERTER_PATH);
    const loaded = loadDataConverter(dc);
    expect(loaded.failureConverter).toBeInstanceOf(DefaultFailureConverter);
    const failure = loaded.failureConverter.errorToFailure(ApplicationFailure.create({ message: 'no account for darkfalcon_1987' }), loaded.payloadConverter);
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    const [encrypted] = await loaded.payloadCodecs[0].encode([failure.encodedAttributes!]);
    expect(Buffer.from(encrypted.data!).includes('darkfalcon_1987')).toBe(false);
  });
});
