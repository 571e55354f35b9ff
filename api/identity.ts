/**
 * Who is asking: a bearer token verified against its issuer's keys — issuer, audience, allowed
 * algorithms, expiry, not-before, clock skew — by one code path for the agency's identity provider
 * and for CaseBridge's local issuer alike (only where the key set comes from differs). The person's
 * name, roles and units come from the configured claims; a role CaseBridge does not know is ignored,
 * a malformed unit refuses the credential (units reach visibility queries).
 */
import crypto from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { PERSON_ROLES, type PersonRole } from '../workflows/vocabulary';
import { UnitSchema } from '../client/schemas';
import { problem } from './problems';
import type { ApiSettings } from './settings';

export interface Person {
  /** `<issuer>|<sub>`: recorded as the actor's id in the timeline and the audit log. */
  id: string;
  issuer: string;
  subject: string;
  name: string;
  roles: PersonRole[];
  units: string[];
}

export interface TokenVerifier {
  issuer: string;
  verify(token: string): Promise<Person>;
}

function claimAt(payload: JWTPayload, dotted: string): unknown {
  let v: unknown = payload;
  for (const part of dotted.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

/** A claim as a list: an array of strings, or one string (some providers send a single value, or space-separated). */
function claimList(payload: JWTPayload, dotted: string): string[] {
  const v = claimAt(payload, dotted);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string') return v.split(/[\s,]+/).filter((x) => x !== '');
  return [];
}

const unauthenticated = (detail: string) =>
  problem(
    'unauthenticated',
    detail,
    {},
    {
      'WWW-Authenticate': `Bearer realm="casebridge", error="invalid_token", error_description="${detail.replace(/["\u2019]/g, "'").replace(/[^\x20-\x7e]/g, '')}"`,
    },
  );

/** jose's refusal, as a person (and a log) can read it; never the token itself. */
function describeFailure(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the credential has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return 'the credential is not valid yet';
    if (err.claim === 'iss') return 'the credential was issued by an issuer this API does not trust';
    if (err.claim === 'aud') return 'the credential is meant for another audience';
    if (err.claim === 'iat') return 'the credential’s issue time is in the future';
    return `the credential’s ${err.claim} claim is not acceptable`;
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the credential is signed with an algorithm this API does not accept';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the credential’s signature does not verify';
  if (err instanceof errors.JWKSNoMatchingKey) return 'the credential is signed with a key the issuer does not publish';
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return 'the identity provider’s keys could not be fetched';
  return 'the credential is not a valid signed token';
}

export interface VerifierOptions {
  settings: ApiSettings;
  /** The local issuer's id and key set (the embedded default); absent with an external provider. */
  local?: { issuer: string; jwks: () => Promise<JSONWebKeySet> };
}

const DiscoverySchema = z.looseObject({ issuer: z.string(), jwks_uri: z.url() });

/** The key set of an external provider, from its discovery document (fetched once, again after a failure). */
function remoteKeys(settings: ApiSettings): JWTVerifyGetKey {
  const issuer = settings.CASEBRIDGE_OIDC_ISSUER!;
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const load = async (): Promise<JWTVerifyGetKey> => {
    if (settings.CASEBRIDGE_OIDC_JWKS_URI) return createRemoteJWKSet(new URL(settings.CASEBRIDGE_OIDC_JWKS_URI));
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`discovery document ${url} answered ${res.status}`);
    const doc = DiscoverySchema.parse(await res.json());
    // OpenID Connect Discovery 1.0 § 4.3: the document's issuer must be the one configured.
    if (doc.issuer !== issuer) throw new Error(`discovery document names issuer ${doc.issuer}, not ${issuer}`);
    return createRemoteJWKSet(new URL(doc.jwks_uri));
  };
  return async (header, token) => {
    keys ??= load().catch((err: unknown) => {
      keys = undefined;
      throw err;
    });
    let getKey: JWTVerifyGetKey;
    try {
      getKey = await keys;
    } catch {
      throw new errors.JWKSInvalid('discovery failed');
    }
    return getKey(header, token);
  };
}

export function createVerifier({ settings, local }: VerifierOptions): TokenVerifier {
  const issuer = local?.issuer ?? settings.CASEBRIDGE_OIDC_ISSUER;
  if (!issuer) throw new Error('no issuer: set CASEBRIDGE_OIDC_ISSUER or run the local issuer');
  let getKey: JWTVerifyGetKey;
  if (local) {
    let set: JWTVerifyGetKey | undefined;
    getKey = async (header, token) => {
      set ??= createLocalJWKSet(await local.jwks());
      return set(header, token);
    };
  } else getKey = remoteKeys(settings);
  const options = {
    issuer,
    audience: settings.CASEBRIDGE_OIDC_AUDIENCE,
    algorithms: settings.CASEBRIDGE_OIDC_ALGORITHMS,
    clockTolerance: settings.CASEBRIDGE_OIDC_CLOCK_SKEW_SECONDS,
    requiredClaims: ['sub', 'exp'],
  };
  return {
    issuer,
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, options));
      } catch (err) {
        throw unauthenticated(describeFailure(err));
      }
      const name = claimAt(payload, settings.CASEBRIDGE_OIDC_NAME_CLAIM);
      const roles = [...new Set(claimList(payload, settings.CASEBRIDGE_OIDC_ROLES_CLAIM))].filter((r): r is PersonRole =>
        (PERSON_ROLES as readonly string[]).includes(r),
      );
      const units = [...new Set(claimList(payload, settings.CASEBRIDGE_OIDC_UNITS_CLAIM))];
      const badUnit = units.find((u) => !UnitSchema.safeParse(u).success);
      if (badUnit !== undefined) throw unauthenticated(`the credential’s ${settings.CASEBRIDGE_OIDC_UNITS_CLAIM} claim holds a value that is not a unit code`);
      return {
        id: `${issuer}|${payload.sub!}`,
        issuer,
        subject: payload.sub!,
        name: typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 200) : payload.sub!,
        roles,
        units,
      };
    },
  };
}

/** A short stable digest of a person's id (update ids, rate-limit keys): no name in it. */
export const personDigest = (p: Person) => crypto.createHash('sha256').update(p.id).digest('base64url').slice(0, 16);
