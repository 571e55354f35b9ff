/**
 * The web app's settings, validated at start-up. The identity provider is the API's
 * (CASEBRIDGE_OIDC_ISSUER, or the local issuer at the API's own URL); the web app is its client.
 */
import { z } from 'zod';
import { parseSettings } from '../platform/config';

export const WebSettingsSchema = z.object({
  /** The web app's client id at the identity provider (the local issuer's CASEBRIDGE_LOCAL_CLIENT_ID). */
  CASEBRIDGE_WEB_CLIENT_ID: z.string().min(1).max(200).default('casebridge-web'),
  /** A confidential client's secret (client_secret_post); absent: a public client (PKCE alone). */
  CASEBRIDGE_WEB_CLIENT_SECRET: z.string().min(1).optional(),
  /** Idle time after which a session ends: CJIS Security Policy 5.5.5 (session lock) allows at most 30 minutes. */
  CASEBRIDGE_WEB_IDLE_MINUTES: z.coerce.number().min(0.05).max(30, { message: 'must be at most 30 (CJIS: 30 minutes idle)' }).default(30),
  /** The scopes asked for besides openid (a provider that needs one to release roles and units). */
  CASEBRIDGE_WEB_SCOPES: z
    .string()
    .regex(/^[A-Za-z0-9_:./ -]*$/)
    .default(''),
});
export type WebSettings = z.infer<typeof WebSettingsSchema>;

export function loadWebSettings(env: NodeJS.ProcessEnv = process.env): WebSettings {
  return parseSettings(WebSettingsSchema, env);
}
