/**
 * Real Temporal servers for tests, started from the binaries scripts/install-tools.sh installs.
 * Each test file starts its own servers (own ports, own clock) and tears them down in afterAll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../client/config';
import { registerSearchAttributes } from '../../worker/search-attributes';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

export const BUNDLE_PATH = path.join(os.tmpdir(), `casebridge-test-bundle-${process.env.CASEBRIDGE_TEST_RUN ?? 'local'}.js`);

function binary(p: string): string {
  if (!fs.existsSync(p)) throw new Error(`Temporal binary ${p} is missing: run scripts/install-tools.sh (make test does)`);
  return p;
}

/** The Java time-skipping test server: long timers finish in milliseconds. No visibility (list/count). */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: binary(loadConfig().TEMPORAL_TEST_SERVER_PATH) } },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** The `temporal server start-dev` server: visibility queries, real timers, CaseBridge's search attributes. */
export async function startDevServer(opts: { dbFilename?: string } = {}): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: binary(loadConfig().TEMPORAL_CLI_PATH) },
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
      dbFilename: opts.dbFilename,
    },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** The workflow bundle global-setup built once for the whole run. */
export function workflowBundle(): { code: string } {
  return { code: fs.readFileSync(BUNDLE_PATH, 'utf8') };
}
