/**
 * Credentials a test forges against the local issuer, to show the API refuses each fault: signed
 * with the issuer's own key (read from the data dir) but expired, not yet valid, for another issuer
 * or audience; signed with a stranger's key under the issuer's key id; `alg: none`; and HS256 keyed
 * with the issuer's public key (the classic algorithm-confusion attack).
 */
import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';

export const FAULTS = ['none', 'expired', 'not yet valid', 'wrong issuer', 'wrong audience', 'bad signature', 'alg none', 'HS256 with the public key'] as const;
export type Fault = (typeof FAULTS)[number];

interface Claims {
  issuer: string;
  name: string;
  roles: string[];
  units: string[];
  sub?: string;
}

/** A token made with the local issuer's own key (read from its store, as a thief would), broken by `fault`. */
export async function forge(key: { kid: string; privateJwk: JWK; publicJwk: JWK }, fault: Exclude<Fault, 'none'>, c: Claims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { name: c.name, roles: c.roles, units: c.units };
  let iat = now;
  let nbf = now;
  let exp = now + 3600;
  let iss = c.issuer;
  let aud = 'casebridge';
  if (fault === 'expired') [iat, nbf, exp] = [now - 8 * 3600, now - 8 * 3600, now - 600];
  if (fault === 'not yet valid') [nbf, exp] = [now + 600, now + 4000];
  if (fault === 'wrong issuer') iss = 'https://idp.elsewhere.example';
  if (fault === 'wrong audience') aud = 'another-app';
  const jwt = new SignJWT(claims)
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject(c.sub ?? 'forged-subject')
    .setIssuedAt(iat)
    .setNotBefore(nbf)
    .setExpirationTime(exp);
  if (fault === 'alg none') {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss, aud, sub: c.sub ?? 'forged-subject', iat, nbf, exp })}.`;
  }
  if (fault === 'HS256 with the public key') {
    return jwt.setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(new TextEncoder().encode(JSON.stringify(key.publicJwk)));
  }
  if (fault === 'bad signature') {
    const { privateKey } = await generateKeyPair('ES256');
    return jwt.setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(privateKey);
  }
  return jwt.setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(await importJWK(key.privateJwk, 'ES256'));
}
