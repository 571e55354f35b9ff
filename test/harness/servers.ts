/**
 * Real Temporal servers for tests, started from the binaries scripts/install-tools.sh installs.
 * Each test file starts its own servers (own ports, own clock) and tears them down in afterAll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../platform/config';
import { prepareNamespace } from '../../worker/namespace';
import { clusterEnvironment, onCluster } from './cluster-target';
import { registerSearchAttributes } from '../../worker/search-attributes';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

export const BUNDLE_PATH = path.join(os.tmpdir(), `casebridge-test-bundle-${process.env.CASEBRIDGE_TEST_RUN ?? 'local'}.js`);

function binary(p: string): string {
  if (!fs.existsSync(p)) throw new Error(`Temporal binary ${p} is missing: run scripts/install-tools.sh (make test does)`);
  return p;
}

/**
 * Starts a server, again if it was not up within the SDK's fixed 5 s: at the start of a run every jest
 * worker starts servers at once on 2 cores, and a server that is merely slow is not a failed test.
 */
async function started(start: () => Promise<TestWorkflowEnvironment>): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= 3 || !/did not start within/.test(String(err))) throw err;
    }
  }
}

/** The Java time-skipping test server: long timers finish in milliseconds. No visibility (list/count). */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const env = await started(() =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: binary(loadConfig().TEMPORAL_TEST_SERVER_PATH) } },
    }),
  );
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/**
 * The `temporal server start-dev` server: visibility queries, real timers, CaseBridge's search attributes.
 * Under `make test-cluster`, a namespace of its own on the run's real server on PostgreSQL instead.
 */
export async function startDevServer(opts: { dbFilename?: string } = {}): Promise<TestWorkflowEnvironment> {
  if (onCluster()) {
    // A file that reads the server's own SQLite file belongs to the dev server's suites alone.
    if (opts.dbFilename) throw new Error("a test that reads the dev server's SQLite file cannot run on the cluster profile");
    return clusterEnvironment();
  }
  const env = await started(() =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: binary(loadConfig().TEMPORAL_CLI_PATH) },
        searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
        dbFilename: opts.dbFilename,
      },
    }),
  );
  // As `make up` leaves it: a worker process (dist/worker/main.js) refuses a namespace with less.
  await prepareNamespace(env.connection, env.namespace ?? 'default', loadConfig().CASEBRIDGE_RETENTION_DAYS);
  return env;
}

/** The workflow bundle global-setup built once for the whole run. */
export function workflowBundle(): { code: string } {
  return { code: fs.readFileSync(BUNDLE_PATH, 'utf8') };
}

/** A dev server with a CaseBridge worker on `taskQueue`, running the real workflows over `activities`; `teardown` stops both. */
export async function startDevServerWithWorker(opts: {
  taskQueue: string;
  activities: object;
}): Promise<{ env: TestWorkflowEnvironment; teardown(): Promise<void> }> {
  const env = await startDevServer();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: opts.taskQueue,
    workflowBundle: workflowBundle(),
    activities: opts.activities,
  });
  const running = worker.run();
  return {
    env,
    async teardown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
