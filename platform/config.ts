/**
 * CaseBridge's own settings, read from the environment once and validated with zod. Connection
 * settings (address, namespace, TLS, API key, profiles) are Temporal's own and come through
 * `@temporalio/envconfig` in ./connection.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The folder holding package.json, whether this runs from the sources (ts-jest) or from dist/. */
export const PROJECT_ROOT = ((): string => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

const durationDays = z.coerce.number().int().positive();

export const CaseBridgeConfigSchema = z.object({
  CASEBRIDGE_TASK_QUEUE: z.string().min(1).default('casebridge'),
  CASEBRIDGE_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  CASEBRIDGE_DATA_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, '.data')),
  /** How long closed cases (and their audit history) are kept by the embedded server. */
  CASEBRIDGE_RETENTION_DAYS: durationDays.default(3650),
  /** The country whose agency runs CaseBridge: domestic process is its own, everything else crosses a border. */
  CASEBRIDGE_HOME_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code such as US' })
    .default('US'),
  /**
   * The unit that receives NCMEC's referrals and disseminates them to forces (in the UK the NCA's referrals
   * bureau, CEOP Command). A GB case opened in it is graded and disseminated, not investigated; unset, none is.
   */
  CASEBRIDGE_REFERRAL_UNIT: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be a unit code (letters, digits, . _ -; up to 64)' })
    .optional(),
  CASEBRIDGE_DEV_SERVER_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  /** 0 runs the embedded server headless (no web UI). */
  CASEBRIDGE_UI_PORT: z.coerce.number().int().min(0).max(65535).default(8233),
  /** The cluster profile (`make cluster-up`): its PostgreSQL and its Temporal frontend, loopback only. */
  CASEBRIDGE_CLUSTER_PG_PORT: z.coerce.number().int().min(1).max(65535).default(15432),
  CASEBRIDGE_CLUSTER_PORT: z.coerce.number().int().min(1).max(65515).default(17233),
  CASEBRIDGE_CLUSTER_NAMESPACE: z.string().min(1).default('casebridge'),
  /**
   * CaseBridge's own data (audit log, documents, the local issuer's users and key) in PostgreSQL
   * (`postgres://user:password@host:port/database`); unset, the embedded store under CASEBRIDGE_DATA_DIR.
   * `make cluster-up` sets it to a database on the profile's PostgreSQL.
   */
  CASEBRIDGE_STORE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// connection URL' })
    .optional(),
  TEMPORAL_CLI_PATH: z
    .string()
    .min(1)
    .default(path.join(PROJECT_ROOT, '.tools', 'bin', 'temporal')),
  TEMPORAL_TEST_SERVER_PATH: z
    .string()
    .min(1)
    .default(path.join(PROJECT_ROOT, '.tools', 'bin', 'temporal-test-server')),
});
export type CaseBridgeConfig = z.infer<typeof CaseBridgeConfigSchema>;

/** Parses settings from the environment; a bad one stops the process with the variable's name. */
export function parseSettings<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid setting ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CaseBridgeConfig {
  return parseSettings(CaseBridgeConfigSchema, env);
}
