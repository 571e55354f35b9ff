/**
 * `make cluster-down`: stops what `make cluster-up` started, the API and the worker first (the
 * worker drains its tasks), then the Temporal server, then PostgreSQL. The data stays: `cluster-up`
 * continues every case where it stopped.
 */
import path from 'node:path';
import fs from 'node:fs';
import { API_MAIN } from './api-process';
import { clusterDir, profileFromConfig, runningPid } from './cluster-up';

async function stopProcess(name: string, script: string): Promise<void> {
  const pidFile = path.join(clusterDir(), `${name}.pid`);
  const pid = runningPid(pidFile, script);
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (runningPid(pidFile, script) !== undefined) {
      if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  fs.rmSync(pidFile, { force: true });
}

export async function run(): Promise<void> {
  await stopProcess('api', API_MAIN);
  await stopProcess('worker', path.join(__dirname, 'main.js'));
  await profileFromConfig().down();
  console.log('CaseBridge cluster profile stopped (its data stays in ' + clusterDir() + ')');
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`casebridge cluster-down: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
