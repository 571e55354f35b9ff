/**
 * How a stored item is sealed: exactly as a Temporal payload is, by the payload codec
 * (platform/crypto/codec.ts: AES-256-GCM, the active key, its id authenticated with the data), so
 * documents share the operator's keys and their rotation. The item's address (its content hash, or
 * its document id) travels inside the encrypted payload, so a file moved to another address — or
 * replaced by another sealed file — is refused even when it decrypts.
 *
 * Without a configured key the item is stored as a plaintext payload, as Temporal payloads are
 * (CASEBRIDGE_REQUIRE_ENCRYPTION=true refuses to start without one).
 */
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { AesGcmPayloadCodec } from '../../crypto/codec';
import type { KeyRing } from '../../crypto/keys';
import { DocumentTamperedError } from './store';

const ADDRESS = 'casebridge-document-address';
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export class Sealer {
  private readonly codec: AesGcmPayloadCodec | undefined;

  constructor(keyRing: KeyRing | undefined) {
    this.codec = keyRing ? new AesGcmPayloadCodec(keyRing) : undefined;
  }

  get encrypting(): boolean {
    return this.codec !== undefined;
  }

  async seal(address: string, data: Uint8Array): Promise<Uint8Array> {
    const inner: Payload = { metadata: { encoding: utf8.encode('binary/plain'), [ADDRESS]: utf8.encode(address) }, data };
    const [stored] = this.codec ? await this.codec.encode([inner]) : [inner];
    return temporal.api.common.v1.Payload.encode(stored).finish();
  }

  /** The data sealed at `address`; `what` names the item in errors (never its content). */
  async open(address: string, bytes: Uint8Array, what: string): Promise<Uint8Array> {
    const item = await this.unwrap(bytes, what);
    if (item.address !== address) {
      throw new DocumentTamperedError(`${what} was refused: the stored item belongs to another address (it was moved or replaced)`);
    }
    return item.data;
  }

  /** Decrypts an item and says which address it was sealed for (the caller checks it). */
  async unwrap(bytes: Uint8Array, what: string): Promise<{ address: string | undefined; data: Uint8Array }> {
    let inner: Payload;
    try {
      const stored = temporal.api.common.v1.Payload.decode(bytes);
      [inner] = this.codec ? await this.codec.decode([stored]) : [stored];
    } catch (err) {
      // The codec's message says which key and why, and never carries plaintext or key material.
      const why = err instanceof Error && err.name === 'PayloadDecryptionError' ? err.message : 'it is not a sealed CaseBridge item';
      throw new DocumentTamperedError(`${what} was refused: ${why}`);
    }
    const encoding = inner.metadata?.encoding ? fromUtf8.decode(inner.metadata.encoding) : '';
    if (encoding === 'binary/encrypted') {
      throw new DocumentTamperedError(
        `${what} was refused: it is encrypted but no encryption key is configured (set CASEBRIDGE_ENCRYPTION_KEYS or CASEBRIDGE_KEY_FILE)`,
      );
    }
    if (encoding !== 'binary/plain') throw new DocumentTamperedError(`${what} was refused: it is not a sealed CaseBridge item`);
    const address = inner.metadata?.[ADDRESS] ? fromUtf8.decode(inner.metadata[ADDRESS]) : undefined;
    return { address, data: inner.data ?? new Uint8Array() };
  }
}
