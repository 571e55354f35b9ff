/**
 * The activities the worker runs: today the simulated external systems, configured from the
 * environment (validated); a deployment with real integrations builds `ExternalSystems` from them
 * instead and passes it to the same `createActivities`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseSettings, type CaseBridgeConfig } from '../client/config';
import { createActivities } from '../activities';
import { CaseScriptSchema, createSimulatedSystems, type SimulatedSystems } from '../activities/simulators';

const SimulatorEnvSchema = z.object({
  CASEBRIDGE_SIM_SEED: z.string().min(1).default('casebridge'),
  CASEBRIDGE_SIM_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  CASEBRIDGE_SIM_LATENCY_MS: z
    .string()
    .regex(/^\d+(-\d+)?$/, { message: 'must be MS or MIN-MAX, e.g. 50-400' })
    .default('0'),
  CASEBRIDGE_SIM_WARRANT_DENIAL_RATE: z.coerce.number().min(0).max(1).default(0.1),
  CASEBRIDGE_SIM_EMERGENCY_REFUSAL_RATE: z.coerce.number().min(0).max(1).default(0.2),
  /** A JSON file of scripted paths by case id (the demo's and tests' way to choose a path). */
  CASEBRIDGE_SIM_SCRIPTS: z.string().optional(),
});

export function simulatorOptionsFromEnv(config: CaseBridgeConfig, env: NodeJS.ProcessEnv = process.env) {
  const e = parseSettings(SimulatorEnvSchema, env);
  const [min, max] = e.CASEBRIDGE_SIM_LATENCY_MS.split('-').map(Number);
  let scripts = {};
  if (e.CASEBRIDGE_SIM_SCRIPTS) {
    const result = z.record(z.string(), CaseScriptSchema).safeParse(JSON.parse(fs.readFileSync(e.CASEBRIDGE_SIM_SCRIPTS, 'utf8')));
    if (!result.success) throw new Error(`invalid CASEBRIDGE_SIM_SCRIPTS file ${e.CASEBRIDGE_SIM_SCRIPTS}: ${result.error.issues[0]!.path.join('.')}: ${result.error.issues[0]!.message}`);
    scripts = result.data;
  }
  return {
    seed: e.CASEBRIDGE_SIM_SEED,
    transientFailureRate: e.CASEBRIDGE_SIM_FAILURE_RATE,
    latencyMs: { min: min!, max: max ?? min! },
    ledgerPath: path.join(config.CASEBRIDGE_DATA_DIR, 'simulator-ledger.jsonl'),
    scripts,
    warrantDenialRate: e.CASEBRIDGE_SIM_WARRANT_DENIAL_RATE,
    emergencyRefusalRate: e.CASEBRIDGE_SIM_EMERGENCY_REFUSAL_RATE,
  };
}

export function createWorkerActivities(config: CaseBridgeConfig, env: NodeJS.ProcessEnv = process.env): { activities: ReturnType<typeof createActivities>; systems: SimulatedSystems } {
  const systems = createSimulatedSystems(simulatorOptionsFromEnv(config, env));
  return { activities: createActivities(systems), systems };
}
