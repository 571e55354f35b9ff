/**
 * `make cluster-up`: CaseBridge on the real Temporal server with PostgreSQL, on this machine. Starts
 * (or finds running) the profile's PostgreSQL and Temporal server, prepares the namespace, then a
 * worker and the API (with the web app) against it, each detached with its log and pid file in
 * CASEBRIDGE_DATA_DIR/cluster. `make cluster-down` stops them. Running it again changes nothing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../platform/config';
import { API_MAIN } from './api-process';
import { ClusterProfile, clusterToolsDir } from './cluster/profile';
import { runningPid } from './cluster/pid-file';

const WORKER_MAIN = path.join(__dirname, 'main.js');

export function clusterDir(): string {
  return path.join(loadConfig().CASEBRIDGE_DATA_DIR, 'cluster');
}

export function profileFromConfig(): ClusterProfile {
  const config = loadConfig();
  return new ClusterProfile({
    dir: clusterDir(),
    pgPort: config.CASEBRIDGE_CLUSTER_PG_PORT,
    port: config.CASEBRIDGE_CLUSTER_PORT,
    namespace: config.CASEBRIDGE_CLUSTER_NAMESPACE,
    retentionDays: config.CASEBRIDGE_RETENTION_DAYS,
    toolsDir: clusterToolsDir(),
  });
}

/** Starts `script` detached unless it runs, and waits for `ready` in its log. */
async function startDetached(name: string, script: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<string> {
  const dir = clusterDir();
  const pidFile = path.join(dir, `${name}.pid`);
  const logFile = path.join(dir, `${name}.log`);
  if (runningPid(pidFile, script) === undefined) {
    const start = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
    const log = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, [script], { env, detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    fs.writeFileSync(pidFile, String(child.pid));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.unref();
    const deadline = Date.now() + 90_000;
    for (;;) {
      const text = fs.readFileSync(logFile, 'utf8').slice(start);
      const m = ready.exec(text);
      if (m) return m[1] ?? '';
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('waiting'), 250))]);
      if (code !== 'waiting') throw new Error(`the ${name} exited (code ${String(code)}) during start-up: ${text.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`the ${name} did not start within 90 s: see ${logFile}`);
    }
  }
  const m = ready.exec(fs.readFileSync(logFile, 'utf8'));
  return m?.[1] ?? '';
}

export async function run(): Promise<void> {
  const config = loadConfig();
  const profile = profileFromConfig();
  const storeUrl = await profile.up();
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: profile.address,
    TEMPORAL_NAMESPACE: config.CASEBRIDGE_CLUSTER_NAMESPACE,
    CASEBRIDGE_STORE_URL: storeUrl,
  };
  // For the operator's own commands (`casebridge users add`, `audit verify`, the demo): the same
  // Temporal and the same store as the worker and the API. It holds the database password: 0600.
  const envFile = path.join(clusterDir(), 'casebridge.env');
  fs.writeFileSync(envFile, ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'CASEBRIDGE_STORE_URL'].map((k) => `${k}=${env[k as keyof typeof env]}\n`).join(''), {
    mode: 0o600,
  });
  await startDetached('worker', WORKER_MAIN, env, /worker started/);
  const api = await startDetached('api', API_MAIN, env, /CaseBridge API at (\S+)/);
  console.log(
    `CaseBridge is up on the cluster profile: API at ${api || '(see ' + path.join(clusterDir(), 'api.log') + ')'}, Temporal at ${profile.address} ` +
      `(namespace ${config.CASEBRIDGE_CLUSTER_NAMESPACE}), PostgreSQL at 127.0.0.1:${config.CASEBRIDGE_CLUSTER_PG_PORT} (CaseBridge's own data in database ${ClusterProfile.STORE_DATABASE}); logs in ${clusterDir()}; \`set -a; . ${envFile}\` points your own commands at it. make cluster-down stops it.`,
  );
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`casebridge cluster-up: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
