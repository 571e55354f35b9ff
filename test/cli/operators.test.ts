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
import { namespaceOf } from '../harness/cluster-target';
import { waitFor } from '../harness/wait';
import { startCase } from '../../client/cases';
import { TipSchema } from '../../workflows/tip';
import { CLI, runCli, sampleTip, writeJson } from './cli-process';

interface Running {
  child: ChildProcess;
  output: () => string;
  stop: (signal: NodeJS.Signals) => Promise<number | null>;
}

function start(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
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
      TEMPORAL_NAMESPACE: namespaceOf(env!),
      CASEBRIDGE_TASK_QUEUE: 'operators-worker',
      CASEBRIDGE_DATA_DIR: path.join(tmp, 'worker-data'),
      CASEBRIDGE_LOG_LEVEL: 'info',
    };
    const worker = start(['worker'], cliEnv);
    running.push(worker);
    await waitFor(async () => (worker.output().includes('worker started') ? true : undefined), 90_000, 500);
    // People reach cases through the API; here the case is opened the way the API opens it, to show the worker runs it.
    await startCase(env!.client, TipSchema.parse(sampleTip('no-action-viral', `${tag}1`)), { taskQueue: 'operators-worker', unit: 'ops' });
    expect(await env!.client.workflow.getHandle(`case-${tag}1`).result()).toMatchObject({ outcome: 'NO_ACTION' });
    expect(await worker.stop('SIGTERM')).toBe(0);
  });

  it('`casebridge up` starts the embedded server on its data folder with a worker and the API, and stops on SIGINT', async () => {
    const port = await freePort();
    const apiPort = await freePort();
    const upEnv = {
      ...process.env,
      CASEBRIDGE_DATA_DIR: path.join(tmp, 'up-data'),
      CASEBRIDGE_DEV_SERVER_PORT: String(port),
      CASEBRIDGE_UI_PORT: '0',
      CASEBRIDGE_API_PORT: String(apiPort),
      CASEBRIDGE_LOG_LEVEL: 'warn',
    };
    const up = start(['up'], upEnv);
    running.push(up);
    await waitFor(async () => (up.output().includes('CaseBridge is up') ? true : undefined), 90_000, 500);
    expect(up.output()).toContain(
      `CaseBridge is up: API at http://127.0.0.1:${apiPort} (docs http://127.0.0.1:${apiPort}/docs), Temporal at 127.0.0.1:${port}`,
    );
    // An operator adds a person on the data dir; they log in to the API `up` started.
    const cliEnv = { ...process.env, CASEBRIDGE_API_URL: `http://127.0.0.1:${apiPort}`, XDG_CONFIG_HOME: path.join(tmp, 'home'), CASEBRIDGE_LOG_LEVEL: 'warn' };
    const added = await runCli(
      ['users', 'add', 'Dana', '--role', 'coordinator', '--role', 'manager', '--unit', 'ops', '--password-stdin'],
      upEnv,
      'a long enough password\n',
    );
    expect(added).toEqual({ code: 0, stdout: 'Dana: coordinator, manager; units ops\n', stderr: '' });
    const short = await runCli(['users', 'add', 'Eve', '--role', 'coordinator', '--password-stdin'], upEnv, 'short\n');
    expect(short).toEqual({ code: 2, stdout: '', stderr: 'casebridge: password: must be at least 12 characters\n' });
    expect((await runCli(['login', 'Dana', '--password-stdin'], cliEnv, 'a long enough password\n')).code).toBe(0);
    expect(await runCli(['login', 'Dana', '--password-stdin'], { ...cliEnv, XDG_CONFIG_HOME: path.join(tmp, 'home2') }, 'wrong password!!\n')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'casebridge: login refused: unknown name or wrong password\n',
    });
    const file = writeJson(tmp, 'tip-up.json', sampleTip('no-action-viral', `${tag}2`));
    expect(await runCli(['case', 'start', '--tip', file], cliEnv)).toEqual({ code: 0, stdout: `case-${tag}2  started\n`, stderr: '' });
    await waitFor(
      async () => {
        const rows = JSON.parse((await runCli(['cases', '--closed', '--json'], cliEnv)).stdout) as { caseId: string; outcome: string }[];
        return rows.find((r) => r.caseId === `case-${tag}2` && r.outcome === 'NO_ACTION') ? true : undefined;
      },
      30_000,
      500,
    );
    expect(await up.stop('SIGINT')).toBe(0);
    expect(fs.existsSync(path.join(tmp, 'up-data', 'temporal.sqlite'))).toBe(true);
  });
});
