/**
 * CaseBridge's own issuer, for the single-machine default: users with scrypt-hashed passwords in the
 * store, an ES256 key under the data dir, and tokens of the same kind a real provider issues (iss,
 * aud, sub, exp, nbf, iat, jti, name, roles, units under the configured claim names). It publishes a
 * JWKS and an OpenID discovery document; the API verifies its tokens with the code that verifies a
 * real provider's (api/identity.ts). It does no MFA: that is an identity provider's job.
 *
 * Two ways in: the JSON token endpoint behind `casebridge login` (name and password), and, for the
 * web app, the OpenID Connect authorization code flow with PKCE (RFC 7636, S256 only) for one public
 * client: a plain login page at the authorization endpoint, a one-use code bound to the client, the
 * redirect URI and the code challenge (60 s), and a token endpoint that answers the code with the
 * same access token plus an ID token for the client.
 */
import crypto from 'node:crypto';
import { SignJWT, importJWK, type JSONWebKeySet } from 'jose';
import type { CaseBridgeStore, UserRecord } from '../platform/store';
import { UNUSABLE_HASH, verifyPassword } from '../platform/store';
import type { ApiSettings } from './settings';

export interface IssuedToken {
  token: string;
  expiresAt: string;
  name: string;
}

/** What the authorization endpoint was asked, once checked (RFC 6749 § 4.1.1, OIDC Core § 3.1.2.1). */
export interface AuthorizationAsk {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  nonce?: string;
}

interface PendingCode extends AuthorizationAsk {
  user: UserRecord;
  expiresAt: number;
}

/** A token endpoint refusal in RFC 6749 § 5.2 terms. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_grant' | 'invalid_client' | 'unsupported_grant_type' | 'unauthorized_client',
    readonly description: string,
  ) {
    super(description);
  }
}

const CODE_TTL_MS = 60_000;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export class LocalIssuer {
  private readonly codes = new Map<string, PendingCode>();

  constructor(
    private readonly store: Pick<CaseBridgeStore, 'users' | 'keys'>,
    readonly issuer: string,
    private readonly settings: ApiSettings,
  ) {}

  async jwks(): Promise<JSONWebKeySet> {
    return { keys: [(await this.store.keys.signingKey()).publicJwk] };
  }

  discovery(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/.well-known/jwks.json`,
      authorization_endpoint: `${this.issuer}/oauth/authorize`,
      token_endpoint: `${this.issuer}/oauth/token`,
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['none'],
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid'],
      authorization_response_iss_parameter_supported: true,
      subject_types_supported: ['public'],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'nbf',
        'iat',
        'jti',
        this.settings.CASEBRIDGE_OIDC_NAME_CLAIM,
        this.settings.CASEBRIDGE_OIDC_ROLES_CLAIM,
        this.settings.CASEBRIDGE_OIDC_UNITS_CLAIM,
      ],
    };
  }

  /** The user if the password is theirs; undefined otherwise (the same work either way). */
  async check(name: string, password: string): Promise<UserRecord | undefined> {
    const user = await this.store.users.get(name);
    const ok = await verifyPassword(password, user?.passwordHash ?? UNUSABLE_HASH);
    return user && ok ? user : undefined;
  }

  /** A token for `name` if the password is theirs; undefined otherwise (the same work either way). */
  async login(name: string, password: string): Promise<IssuedToken | undefined> {
    const user = await this.check(name, password);
    return user ? this.issue(user) : undefined;
  }

  /** The redirect URIs the client may use: configured, or this process's own web app. */
  redirectUris(): string[] {
    return this.settings.CASEBRIDGE_LOCAL_REDIRECT_URIS ?? [`${this.issuer}/web/callback`];
  }

  /**
   * Checks an authorization request. A bad client or redirect URI is answered on the page (never
   * redirected: RFC 6749 § 4.1.2.1); anything else wrong is for the client (`redirect: true`).
   */
  checkAsk(q: Record<string, string | undefined>): { ok: true; ask: AuthorizationAsk } | { ok: false; error: string; description: string; redirect: boolean } {
    const fail = (error: string, description: string, redirect = true) => ({ ok: false as const, error, description, redirect });
    if (q.client_id !== this.settings.CASEBRIDGE_LOCAL_CLIENT_ID) return fail('unauthorized_client', 'client_id: not a client of this issuer', false);
    if (!q.redirect_uri || !this.redirectUris().includes(q.redirect_uri)) return fail('invalid_request', 'redirect_uri: not registered for this client', false);
    if (q.response_type !== 'code') return fail('unsupported_response_type', 'response_type: only code');
    if (!(q.scope ?? '').split(' ').includes('openid')) return fail('invalid_scope', 'scope: must include openid');
    if (q.code_challenge_method !== 'S256' || !CHALLENGE.test(q.code_challenge ?? ''))
      return fail('invalid_request', 'code_challenge: PKCE with S256 is required');
    if (!q.state || q.state.length > 500) return fail('invalid_request', 'state: required');
    if (q.nonce !== undefined && q.nonce.length > 500) return fail('invalid_request', 'nonce: too long');
    return {
      ok: true,
      ask: { clientId: q.client_id, redirectUri: q.redirect_uri, state: q.state, codeChallenge: q.code_challenge!, ...(q.nonce ? { nonce: q.nonce } : {}) },
    };
  }

  /** A one-use code for a user who signed in on the login page. */
  issueCode(ask: AuthorizationAsk, user: UserRecord): string {
    const now = Date.now();
    for (const [k, v] of this.codes) if (v.expiresAt < now) this.codes.delete(k);
    const code = crypto.randomBytes(32).toString('base64url');
    this.codes.set(code, { ...ask, user, expiresAt: now + CODE_TTL_MS });
    return code;
  }

  /** The token endpoint's answer to a code (RFC 6749 § 4.1.3, RFC 7636 § 4.6). */
  async redeem(p: Record<string, string | undefined>): Promise<Record<string, unknown>> {
    if (p.grant_type !== 'authorization_code') throw new OAuthError('unsupported_grant_type', 'grant_type: only authorization_code');
    if (p.client_id !== this.settings.CASEBRIDGE_LOCAL_CLIENT_ID) throw new OAuthError('invalid_client', 'client_id: not a client of this issuer');
    const pending = p.code ? this.codes.get(p.code) : undefined;
    // One use: a code is gone once presented, whether the rest checks out or not.
    if (p.code) this.codes.delete(p.code);
    if (!pending || pending.expiresAt < Date.now()) throw new OAuthError('invalid_grant', 'code: unknown, used or expired');
    if (pending.clientId !== p.client_id || pending.redirectUri !== p.redirect_uri)
      throw new OAuthError('invalid_grant', 'redirect_uri: not the one the code was issued for');
    if (!VERIFIER.test(p.code_verifier ?? '')) throw new OAuthError('invalid_request', 'code_verifier: required (PKCE)');
    const challenge = crypto.createHash('sha256').update(p.code_verifier!).digest('base64url');
    if (challenge !== pending.codeChallenge) throw new OAuthError('invalid_grant', 'code_verifier: does not match the code challenge');
    // The user as they are now: roles or units changed since the login page are what the token carries.
    const user = await this.store.users.get(pending.user.name);
    if (!user || user.subject !== pending.user.subject) throw new OAuthError('invalid_grant', 'the user no longer exists');
    const access = await this.issue(user);
    const key = await this.store.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      [this.settings.CASEBRIDGE_OIDC_NAME_CLAIM.split('.')[0]]: user.name,
      ...(pending.nonce ? { nonce: pending.nonce } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(pending.clientId)
      .setSubject(user.subject)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(await importJWK(key.privateJwk, 'ES256'));
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: Math.max(1, Math.floor((Date.parse(access.expiresAt) - Date.now()) / 1000)),
      id_token: idToken,
      scope: 'openid',
    };
  }

  private async issue(user: UserRecord): Promise<IssuedToken> {
    const key = await this.store.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const exp = now + Math.round(this.settings.CASEBRIDGE_TOKEN_TTL_HOURS * 3600);
    const claims: Record<string, unknown> = {};
    // Claim names as configured, so the verifier reads the local issuer's tokens as it reads a provider's.
    const put = (dotted: string, value: unknown) => {
      const parts = dotted.split('.');
      let o = claims;
      for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
      o[parts[parts.length - 1]] = value;
    };
    put(this.settings.CASEBRIDGE_OIDC_NAME_CLAIM, user.name);
    put(this.settings.CASEBRIDGE_OIDC_ROLES_CLAIM, user.roles);
    put(this.settings.CASEBRIDGE_OIDC_UNITS_CLAIM, user.units);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.settings.CASEBRIDGE_OIDC_AUDIENCE)
      .setSubject(user.subject)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .setJti(crypto.randomUUID())
      .sign(await importJWK(key.privateJwk, 'ES256'));
    return { token, expiresAt: new Date(exp * 1000).toISOString(), name: user.name };
  }
}
