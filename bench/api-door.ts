/**
 * The API (with its web app) as the benches run it: its own process against the bench's dev server,
 * rate limits out of the way, and people of the bench's unit signed in through the local issuer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../platform/config';
import type { PersonRole } from '../workflows/vocabulary';
import { hashPassword, openIssuerStore } from '../platform/store';
import { startApiProcess, type ApiProcess } from '../worker/api-process';
import { queueFor, type BenchEnv } from './env';

export const BENCH_UNIT = 'bench-unit';
const PASSWORD = 'bench bench bench';

export interface BenchDoor {
  api: ApiProcess;
  /** Adds a person of the bench's unit and returns the headers that carry their token. */
  signIn(name: string, role: PersonRole): Promise<{ authorization: string }>;
}

/** `base`: the bench's task-queue base (its cases run on `<base>-case`); `dir`: the API's data dir under the bench's. */
export async function startBenchDoor(env: BenchEnv, base: string, dir: string): Promise<BenchDoor> {
  const dataDir = path.join(env.dataDir, dir);
  const api = await startApiProcess(
    {
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: 'default',
      CASEBRIDGE_DATA_DIR: dataDir,
      CASEBRIDGE_TASK_QUEUE: queueFor(base, 'case'),
      CASEBRIDGE_API_PORT: '0',
      CASEBRIDGE_API_RATE_LIMIT: '100000000',
      CASEBRIDGE_LOG_LEVEL: 'warn',
    },
    env.log,
  );
  const users = openIssuerStore(dataDir).users;
  return {
    api,
    async signIn(name, role) {
      await users.put({ name, roles: [role], units: [BENCH_UNIT], passwordHash: await hashPassword(PASSWORD) });
      const login = await fetch(`${api.url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password: PASSWORD }),
      });
      if (!login.ok) throw new Error(`bench sign-in of ${name} failed: HTTP ${login.status}`);
      return { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    },
  };
}

/** Writes a door bench's result beside the run's others (bench/results/tmp/, not committed) and says where. */
export function writeBenchResult(kind: string, result: { date: string }): void {
  const out = path.join(PROJECT_ROOT, 'bench', 'results', 'tmp');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${result.date.replace(/[:.]/g, '-')}-${kind}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  process.stderr.write(`bench: results written to ${path.relative(process.cwd(), file)}\n`);
}
