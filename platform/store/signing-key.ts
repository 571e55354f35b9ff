/** The local issuer's ES256 key, made the same way whichever store keeps it. */
import crypto from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { SigningKey } from './store';

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  // The key id is the thumbprint of the public key: the same key always has the same id.
  const kid = crypto
    .createHash('sha256')
    .update(JSON.stringify([publicJwk.crv, publicJwk.x, publicJwk.y]))
    .digest('base64url')
    .slice(0, 16);
  return {
    kid,
    alg: 'ES256',
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
  };
}
