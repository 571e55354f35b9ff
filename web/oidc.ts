/**
 * The web app as an OpenID Connect relying party (openid-client: a certified implementation of the
 * code flow, PKCE, and the ID token's checks, so none of that is written here): the authorization
 * code flow with PKCE (S256), state and nonce against the API's identity provider — the agency's
 * (CASEBRIDGE_OIDC_ISSUER) or the local issuer at the API's own URL. The access token it gets is what
 * the API verifies on every call the pages make.
 */
import * as oidc from 'openid-client';
import type { WebSettings } from './settings';

export interface LoginStart {
  url: string;
  state: string;
  nonce: string;
  verifier: string;
}

export interface LoginResult {
  accessToken: string;
  idToken?: string;
  /** ms since the epoch. */
  expiresAt: number;
}

export class OidcClient {
  private config: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly issuer: string,
    private readonly redirectUri: string,
    private readonly settings: WebSettings,
  ) {}

  /** The provider's configuration from its discovery document (fetched once; again after a failure). */
  private configuration(): Promise<oidc.Configuration> {
    this.config ??= (async () => {
      const url = new URL(this.issuer);
      const auth = this.settings.CASEBRIDGE_WEB_CLIENT_SECRET ? oidc.ClientSecretPost(this.settings.CASEBRIDGE_WEB_CLIENT_SECRET) : oidc.None();
      return oidc.discovery(url, this.settings.CASEBRIDGE_WEB_CLIENT_ID, undefined, auth, {
        // Plain HTTP only for a provider on this machine (the embedded default, tests); anything else must be TLS.
        ...(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 10,
      });
    })().catch((err: unknown) => {
      this.config = undefined;
      throw err;
    });
    return this.config;
  }

  async begin(): Promise<LoginStart> {
    const config = await this.configuration();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope: ['openid', ...this.settings.CASEBRIDGE_WEB_SCOPES.split(' ').filter(Boolean)].join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.toString(), state, nonce, verifier };
  }

  /** Exchanges the code in the callback URL; throws when anything does not check out (state, iss, PKCE, the ID token). */
  async finish(callbackUrl: URL, expected: { state: string; nonce: string; verifier: string }): Promise<LoginResult> {
    const config = await this.configuration();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: expected.verifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
    const expiresIn = tokens.expiresIn();
    return {
      accessToken: tokens.access_token,
      ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
      expiresAt: Date.now() + (expiresIn ?? 3600) * 1000,
    };
  }

  /** Where to send the browser to end the provider's session too, when it has an end-session endpoint. */
  async endSessionUrl(idToken: string | undefined, after: string): Promise<string | undefined> {
    const config = await this.configuration().catch(() => undefined);
    if (!config?.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, { post_logout_redirect_uri: after, ...(idToken ? { id_token_hint: idToken } : {}) }).toString();
  }
}
