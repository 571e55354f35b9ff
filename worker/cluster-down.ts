/**
 * `make cluster-down`: stops what `make cluster-up` started, the API and the worker first (the
 * worker drains its tasks), then the Temporal server, then PostgreSQL. The data stays: `cluster-up`
 * continues every case where it stopped.
 */
import path from 'node:path';
import { API_MAIN } from './api-process';
import { clusterDir, profileFromConfig } from './cluster-up';
import { stopPid } from './cluster/pid-file';

async function stopProcess(name: string, script: string): Promise<void> {
  await stopPid(path.join(clusterDir(), `${name}.pid`), script);
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
