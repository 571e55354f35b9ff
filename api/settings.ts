/**
 * The API's settings, validated at start-up (a bad value stops the process naming the variable).
 * Identity: without CASEBRIDGE_OIDC_ISSUER the API is its own local issuer (the embedded default);
 * with it, tokens come from the agency's identity provider, found through its discovery document.
 */
import { z } from 'zod';
import { parseSettings } from '../platform/config';

/** Asymmetric algorithms only: an HMAC (HS*) key would be a shared secret, and `none` no signature at all. */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const claimPath = z.string().regex(/^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/, { message: 'must be a claim name, or a dotted path such as realm_access.roles' });
const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    )
    .pipe(z.array(item).min(1, { message: 'must list at least one' }));

export const ApiSettingsSchema = z
  .object({
    CASEBRIDGE_API_HOST: z.string().min(1).default('127.0.0.1'),
    /** 0: any free port (tests). */
    CASEBRIDGE_API_PORT: z.coerce.number().int().min(0).max(65535).default(8240),
    /** The address people reach the API at (behind a proxy); default http://HOST:PORT. The local issuer's `iss`. */
    CASEBRIDGE_API_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    CASEBRIDGE_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
    /** Where the provider's keys are, when its discovery document should not be used. */
    CASEBRIDGE_OIDC_JWKS_URI: z.url({ protocol: /^https?$/ }).optional(),
    CASEBRIDGE_OIDC_AUDIENCE: z.string().min(1).default('casebridge'),
    CASEBRIDGE_OIDC_ALGORITHMS: list(z.enum(ALLOWED_ALGORITHMS, { message: `must be among ${ALLOWED_ALGORITHMS.join(', ')}` })).optional(),
    CASEBRIDGE_OIDC_ROLES_CLAIM: claimPath.default('roles'),
    CASEBRIDGE_OIDC_UNITS_CLAIM: claimPath.default('units'),
    CASEBRIDGE_OIDC_NAME_CLAIM: claimPath.default('name'),
    CASEBRIDGE_OIDC_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(60),
    /** Lifetime of the local issuer's tokens. */
    CASEBRIDGE_TOKEN_TTL_HOURS: z.coerce.number().min(0.01).max(24).default(8),
    /** The client the local issuer's authorization endpoint serves (the web app; a public client with PKCE). */
    CASEBRIDGE_LOCAL_CLIENT_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/)
      .default('casebridge-web'),
    /** Where the local issuer may send a code back; default: this process's own web app (PUBLIC_URL/web/callback). */
    CASEBRIDGE_LOCAL_REDIRECT_URIS: list(z.url({ protocol: /^https?$/ })).optional(),
    /** Requests per minute per person (per client address before a credential is verified). */
    CASEBRIDGE_API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
    /** Password attempts per minute per client address and name at the local token endpoint. */
    CASEBRIDGE_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
    /** Longest wait for Temporal (a worker's answer) per request; a client may ask for less. */
    CASEBRIDGE_API_TEMPORAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
    /** `true` behind a reverse proxy that sets X-Forwarded-For (rate limits by the real client). */
    CASEBRIDGE_API_TRUST_PROXY: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .transform((s) => ({
    ...s,
    CASEBRIDGE_OIDC_ALGORITHMS: s.CASEBRIDGE_OIDC_ALGORITHMS ?? (s.CASEBRIDGE_OIDC_ISSUER ? ['RS256', 'ES256'] : ['ES256']),
  }));
export type ApiSettings = z.infer<typeof ApiSettingsSchema>;

export function loadApiSettings(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  return parseSettings(ApiSettingsSchema, env);
}
