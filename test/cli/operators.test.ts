/**
 * The operators' commands, as real processes: `casebridge worker` runs cases for the Temporal
 * service in TEMPORAL_ADDRESS (here a dev server), `casebridge up` brings up the embedded server on
 * its data folder with a worker; both stop cleanly on a signal (exit 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from '../harness/ports';
import { startDevServer } from '../harness/servers';
import { waitFor } from '../harness/wait';
import { CLI, runCli, sampleTip, writeJson } from './cli-process';


interface Running {
  child: ChildProcess;
  output: () => string;
  stop: (signal: NodeJS.Signals) => Promise<number | null>;
}

function start(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    stop: async (signal) => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

describe('casebridge worker and casebridge up (real processes)', () => {
  let env: TestWorkflowEnvironment | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-operators-'));
  const running: Running[] = [];
  const tag = String(Date.now()).slice(-7);

  beforeAll(async () => {
    env = await startDevServer();
  });
  afterAll(async () => {
    for (const r of running) await r.stop('SIGKILL');
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('`casebridge worker` runs the cases of its task queue and stops on SIGTERM', async () => {
    const cliEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: env!.address,
      TEMPORAL_NAMESPACE: 'default',
      CASEBRIDGE_TASK_QUEUE: 'operators-worker',
      CASEBRIDGE_DATA_DIR: path.join(tmp, 'worker-data'),
      CASEBRIDGE_LOG_LEVEL: 'info',
    };
    const worker = start(['worker'], cliEnv);
    running.push(worker);
    await waitFor(async () => (worker.output().includes('worker started') ? true : undefined), 90_000, 500);
    const file = writeJson(tmp, 'tip-worker.json', sampleTip('no-action-viral', `${tag}1`));
    expect(await runCli(['case', 'start', '--tip', file], cliEnv)).toEqual({ code: 0, stdout: `case-${tag}1  started\n`, stderr: '' });
    expect(await env!.client.workflow.getHandle(`case-${tag}1`).result()).toMatchObject({ outcome: 'NO_ACTION' });
    expect(await worker.stop('SIGTERM')).toBe(0);
  });

  it('`casebridge up` starts the embedded server on its data folder with a worker, and stops on SIGINT', async () => {
    const port = await freePort();
    const upEnv = {
      ...process.env,
      CASEBRIDGE_DATA_DIR: path.join(tmp, 'up-data'),
      CASEBRIDGE_DEV_SERVER_PORT: String(port),
      CASEBRIDGE_UI_PORT: '0',
      CASEBRIDGE_LOG_LEVEL: 'warn',
    };
    const up = start(['up'], upEnv);
    running.push(up);
    await waitFor(async () => (up.output().includes('CaseBridge is up') ? true : undefined), 90_000, 500);
    expect(up.output()).toContain(`CaseBridge is up: Temporal at 127.0.0.1:${port}`);
    const cliEnv = { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${port}`, CASEBRIDGE_LOG_LEVEL: 'warn' };
    const file = writeJson(tmp, 'tip-up.json', sampleTip('no-action-viral', `${tag}2`));
    expect(await runCli(['case', 'start', '--tip', file], cliEnv)).toEqual({ code: 0, stdout: `case-${tag}2  started\n`, stderr: '' });
    await waitFor(async () => {
      const rows = JSON.parse((await runCli(['cases', '--closed', '--json'], cliEnv)).stdout) as { caseId: string; outcome: string }[];
      return rows.find((r) => r.caseId === `case-${tag}2` && r.outcome === 'NO_ACTION') ? true : undefined;
    }, 30_000, 500);
    expect(await up.stop('SIGINT')).toBe(0);
    expect(fs.existsSync(path.join(tmp, 'up-data', 'temporal.sqlite'))).toBe(true);
  });
});
