/**
 * The activities the worker runs: today the simulated external systems, configured from the
 * environment (validated); a deployment with real integrations builds `ExternalSystems` from them
 * instead and passes it to the same `createActivities`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseSettings, type CaseBridgeConfig } from '../platform/config';
import { createActivities } from '../activities';
import { createDocumentPort } from '../activities/documents';
import { createDocumentLayer } from '../documents';
import { logger } from '../platform/logger';
import { CaseScriptSchema, createSimulatedSystems, type SimulatedSystems } from '../activities/simulators';
import { DEPLOYMENT_SETTINGS, DeploymentPolicySchema, type DeploymentPolicy } from '../workflows/policy/deployment';

const SimulatorEnvSchema = z.object({
  CASEBRIDGE_SIM_SEED: z.string().min(1).default('casebridge'),
  CASEBRIDGE_SIM_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** The most attempts of one call a simulated outage may fail (unset: no bound). */
  CASEBRIDGE_SIM_MAX_FAILURES_PER_CALL: z.coerce.number().int().min(0).optional(),
  CASEBRIDGE_SIM_LATENCY_MS: z
    .string()
    .regex(/^\d+(-\d+)?$/, { message: 'must be MS or MIN-MAX, e.g. 50-400' })
    .default('0'),
  CASEBRIDGE_SIM_WARRANT_DENIAL_RATE: z.coerce.number().min(0).max(1).default(0.1),
  CASEBRIDGE_SIM_EMERGENCY_REFUSAL_RATE: z.coerce.number().min(0).max(1).default(0.2),
  /** A JSON file of scripted paths by case id (the demo's and tests' way to choose a path). */
  CASEBRIDGE_SIM_SCRIPTS: z.string().optional(),
});

/**
 * The deployment's own policy values (workflows/policy/deployment.ts): the numbers no source gives, such
 * as each provider's log retention. A file that does not parse, or a field that is wrong, stops the
 * worker naming the file and the field; settings it leaves out are warned about, never defaulted.
 */
export function loadDeploymentPolicy(env: NodeJS.ProcessEnv = process.env): { policy: DeploymentPolicy; missing: string[] } {
  const file = env.CASEBRIDGE_POLICY_FILE;
  let raw: unknown = {};
  if (file) {
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`invalid setting CASEBRIDGE_POLICY_FILE: cannot read ${file} as JSON (${err instanceof Error ? err.message : String(err)})`, {
        cause: err,
      });
    }
  }
  const parsed = DeploymentPolicySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid CASEBRIDGE_POLICY_FILE ${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  const policy = parsed.data;
  const missing = (Object.keys(DEPLOYMENT_SETTINGS) as (keyof DeploymentPolicy)[])
    .filter((k) => (k === 'providerLogRetention' ? Object.keys(policy.providerLogRetention).length === 0 : policy[k] === undefined))
    .map((k) => `${k}: ${DEPLOYMENT_SETTINGS[k]}`);
  return { policy, missing };
}

export function simulatorOptionsFromEnv(config: CaseBridgeConfig, env: NodeJS.ProcessEnv = process.env) {
  const e = parseSettings(SimulatorEnvSchema, env);
  const [min, max] = e.CASEBRIDGE_SIM_LATENCY_MS.split('-').map(Number);
  let scripts = {};
  if (e.CASEBRIDGE_SIM_SCRIPTS) {
    const result = z.record(z.string(), CaseScriptSchema).safeParse(JSON.parse(fs.readFileSync(e.CASEBRIDGE_SIM_SCRIPTS, 'utf8')));
    if (!result.success)
      throw new Error(
        `invalid CASEBRIDGE_SIM_SCRIPTS file ${e.CASEBRIDGE_SIM_SCRIPTS}: ${result.error.issues[0].path.join('.')}: ${result.error.issues[0].message}`,
      );
    scripts = result.data;
  }
  return {
    seed: e.CASEBRIDGE_SIM_SEED,
    transientFailureRate: e.CASEBRIDGE_SIM_FAILURE_RATE,
    maxFailuresPerCall: e.CASEBRIDGE_SIM_MAX_FAILURES_PER_CALL,
    latencyMs: { min: min, max: max ?? min },
    ledgerPath: path.join(config.CASEBRIDGE_DATA_DIR, 'simulator-ledger.jsonl'),
    scripts,
    warrantDenialRate: e.CASEBRIDGE_SIM_WARRANT_DENIAL_RATE,
    emergencyRefusalRate: e.CASEBRIDGE_SIM_EMERGENCY_REFUSAL_RATE,
  };
}

export function createWorkerActivities(
  config: CaseBridgeConfig,
  env: NodeJS.ProcessEnv = process.env,
): { activities: ReturnType<typeof createActivities>; systems: SimulatedSystems } {
  const systems = createSimulatedSystems(simulatorOptionsFromEnv(config, env));
  // Templates, the agency profile and the store are checked here: a bad one stops the worker naming it.
  const documents = createDocumentLayer(config, env);
  for (const warning of documents.warnings) logger().child({ process: 'worker' }).warn(`documents: ${warning}`);
  const { policy, missing } = loadDeploymentPolicy(env);
  for (const m of missing)
    logger().child({ process: 'worker' }).warn(`deployment policy not set (CASEBRIDGE_POLICY_FILE): ${m}; cases will say so and set no deadline for it`);
  return { activities: createActivities(systems, { documents: createDocumentPort(documents.service), policy }), systems };
}
