/**
 * `make up` end to end: the embedded server + worker launcher keeps workflows across a Ctrl-C and a
 * restart on the same SQLite file, and leaves no server process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { probeWorkflow } from '../../workflows';
import { waitFor } from '../harness/wait';
import { freePort } from '../harness/ports';

const ROOT = path.resolve(__dirname, '..', '..');
const UP = path.join(ROOT, 'dist', 'worker', 'up.js');

interface Launched {
  child: ChildProcess;
  output: () => string;
}

async function launch(dataDir: string, port: number, uiPort: number): Promise<Launched> {
  let output = '';
  const apiPort = await freePort();
  const child = spawn(process.execPath, [UP], {
    env: {
      ...process.env,
      CASEBRIDGE_DATA_DIR: dataDir,
      CASEBRIDGE_DEV_SERVER_PORT: String(port),
      CASEBRIDGE_UI_PORT: String(uiPort),
      CASEBRIDGE_API_PORT: String(apiPort),
      CASEBRIDGE_TASK_QUEUE: 'platform-up',
      CASEBRIDGE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  await waitFor(async () => (output.includes('CaseBridge is up') ? true : undefined), 90_000).catch((err) => {
    throw new Error(`${String(err)}\n${output}`);
  });
  return { child, output: () => output };
}

async function interrupt(l: Launched): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => l.child.once('exit', (code) => resolve(code)));
  l.child.kill('SIGINT');
  return exited;
}

function serverPids(dbFile: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dbFile);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('make up (worker/up.ts)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-up-'));
  let current: Launched | undefined;

  afterAll(async () => {
    if (current?.child.exitCode === null) await interrupt(current);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps workflows, timers and search attributes across Ctrl-C and a restart', async () => {
    expect(fs.existsSync(UP)).toBe(true); // built by `make test` (npm run build)
    const port = await freePort();
    const uiPort = await freePort();
    current = await launch(dataDir, port, uiPort);

    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    let client = new Client({ connection });
    const marker = `up-${Date.now()}`;
    const handle = await client.workflow.start(probeWorkflow, {
      taskQueue: 'platform-up',
      workflowId: marker,
      args: [{ timerMs: 3_600_000, marker }],
    });
    await waitFor(async () => ((await client.workflow.count(`CaseStage = '${marker}'`)).count === 1 ? true : undefined));
    const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(3650 * 24 * 3600);
    await connection.close();

    expect(await interrupt(current)).toBe(0);
    expect(serverPids(path.join(dataDir, 'temporal.sqlite'))).toEqual([]);

    current = await launch(dataDir, port, uiPort);
    const connection2 = await Connection.connect({ address: `127.0.0.1:${port}` });
    client = new Client({ connection: connection2 });
    const listed: string[] = [];
    for await (const wf of client.workflow.list({ query: `CaseStage = '${marker}'` })) listed.push(wf.workflowId);
    expect(listed).toEqual([marker]);
    // The one-hour timer survived the restart: the probe is still running, not lost or failed.
    expect((await client.workflow.getHandle(handle.workflowId).describe()).status.name).toBe('RUNNING');
    await client.workflow.getHandle(handle.workflowId).terminate('test done');
    await connection2.close();

    expect(await interrupt(current)).toBe(0);
    expect(serverPids(path.join(dataDir, 'temporal.sqlite'))).toEqual([]);
  });
});
