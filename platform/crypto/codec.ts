/**
 * AES-256-GCM payload encryption for every Temporal payload CaseBridge writes: workflow and
 * activity inputs and results, update and signal arguments, memos, query results, and (through
 * ./failure-converter.ts) failure messages and stack traces. The whole Payload (its metadata, such
 * as the JSON encoding, and its data) is serialized and encrypted; the stored payload keeps only
 * what decryption needs:
 *
 *   metadata.encoding          = "binary/encrypted"
 *   metadata.encryption-key-id = the id of the key it was encrypted with
 *   data                       = 12-byte IV || ciphertext || 16-byte GCM tag
 *
 * The key id is bound to the ciphertext as GCM associated data, so relabelling a payload with
 * another key id fails authentication instead of decrypting under the wrong key.
 */
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KEY_ID_PATTERN, type KeyRing } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A payload that cannot be decrypted with the configured keys. Never carries plaintext or keys. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

function metadataString(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? fromUtf8.decode(value) : undefined;
}

/** A key id read from storage goes into error messages: show it only if it looks like one. */
function printableKeyId(id: string): string {
  return KEY_ID_PATTERN.test(id) ? `'${id}'` : `(unprintable id of ${id.length} characters)`;
}

export function isEncrypted(payload: Payload): boolean {
  return metadataString(payload, 'encoding') === ENCRYPTED_ENCODING;
}

/** The key id an encrypted payload names, or undefined for a plaintext payload. */
export function encryptionKeyId(payload: Payload): string | undefined {
  return isEncrypted(payload) ? metadataString(payload, KEY_ID_METADATA) : undefined;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyRing: KeyRing) {}

  get activeKeyId(): string {
    return this.keyRing.activeKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keyRing.activeKeyId;
    const key = this.keyRing.keys.get(keyId)!;
    return payloads.map((payload) => ({
      metadata: {
        encoding: utf8.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: utf8.encode(keyId),
      },
      data: encrypt(key, keyId, temporal.api.common.v1.Payload.encode(payload).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decodeOne(payload));
  }

  private decodeOne(payload: Payload): Payload {
    // Payloads written before encryption was switched on stay readable.
    if (!isEncrypted(payload)) return payload;
    const keyId = metadataString(payload, KEY_ID_METADATA);
    if (!keyId) {
      throw new PayloadDecryptionError(`encrypted payload has no '${KEY_ID_METADATA}' metadata: cannot tell which key to use`);
    }
    const key = this.keyRing.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `payload was encrypted with key ${printableKeyId(keyId)} which is not configured ` +
          `(configured: ${[...this.keyRing.keys.keys()].join(', ')}); add it to CASEBRIDGE_ENCRYPTION_KEYS or the key file`,
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`payload encrypted with key ${printableKeyId(keyId)} is truncated (${data.length} bytes)`);
    }
    let plaintext: Buffer;
    try {
      plaintext = decrypt(key, keyId, data);
    } catch {
      throw new PayloadDecryptionError(
        `payload encrypted with key ${printableKeyId(keyId)} could not be decrypted: the key configured as ` +
          `${printableKeyId(keyId)} is not the one it was encrypted with, or the stored payload was altered`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plaintext);
  }
}

function encrypt(key: KeyObject, keyId: string, plaintext: Uint8Array): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(utf8.encode(keyId));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

function decrypt(key: KeyObject, keyId: string, data: Uint8Array): Buffer {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const iv = bytes.subarray(0, IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const ciphertext = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(utf8.encode(keyId));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}
