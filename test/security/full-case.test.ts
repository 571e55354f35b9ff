/**
 * A full case with encryption on: the real worker process and the real CLI against the dev server's
 * SQLite file. Afterwards the database holds neither the suspect's screen name nor an IP address from
 * the tip, `casebridge case status` (with the key) still shows them, and no log line of the worker,
 * its activities or the CLI carries any of the tip's identifiers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer } from '../harness/servers';
import { waitFor } from '../harness/wait';

const ROOT = path.resolve(__dirname, '..', '..');
const nonce = randomBytes(4).toString('hex');
const SCREEN_NAME = `shadowfox_${nonce}`;
const ESP_ID = `esp-user-${nonce}`;
const IP = '203.0.113.77';
const HASH = `c0ffee${nonce}c0ffee${nonce}`;

describe('a full encrypted case (worker process + CLI + dev server)', () => {
  let env: TestWorkflowEnvironment | undefined;
  let worker: ChildProcess | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-fullcase-'));
  const workerLog: string[] = [];
  const cliOutput: string[] = [];
  const key = randomBytes(32).toString('base64');

  const baseEnv = () => ({
    ...process.env,
    TEMPORAL_ADDRESS: env!.address,
    TEMPORAL_NAMESPACE: 'default',
    CASEBRIDGE_TASK_QUEUE: 'full-case',
    CASEBRIDGE_DATA_DIR: path.join(dir, 'data'),
    CASEBRIDGE_ENCRYPTION_KEYS: `k1:${key}`,
    CASEBRIDGE_REQUIRE_ENCRYPTION: 'true',
    CASEBRIDGE_LOG_LEVEL: 'trace',
    CASEBRIDGE_SIM_WARRANT_DENIAL_RATE: '0',
  });

  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'client', 'cli.js'), ...args], { env: baseEnv() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.on('exit', (code) => {
        cliOutput.push(stderr);
        resolve({ code, stdout, stderr });
      });
    });
  }

  beforeAll(async () => {
    env = await startDevServer({ dbFilename: path.join(dir, 'temporal.sqlite') });
    worker = spawn(process.execPath, [path.join(ROOT, 'dist', 'worker', 'main.js')], { env: baseEnv() });
    worker.stdout!.on('data', (d) => workerLog.push(String(d)));
    worker.stderr!.on('data', (d) => workerLog.push(String(d)));
    await waitFor(async () => (workerLog.join('').includes('worker started') ? true : undefined), 60_000);
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker!.once('exit', r));
    }
    await env?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs to arrest, keeps the identifiers out of the database and the logs, and shows them to key holders', async () => {
    const tip = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'tips', 'domestic-arrest.json'), 'utf8'));
    tip.ncmecReportNumber = `${Date.now()}`.slice(-9);
    tip.personOrUserReported.screenName = SCREEN_NAME;
    tip.personOrUserReported.espIdentifier = ESP_ID;
    tip.personOrUserReported.ipCaptureEvent[0].ipAddress = IP;
    tip.files[0].originalFileHash = [HASH];
    const tipFile = path.join(dir, 'tip.json');
    fs.writeFileSync(tipFile, JSON.stringify(tip));
    const caseId = `case-${tip.ncmecReportNumber}`;

    expect(await cli(['case', 'start', '--tip', tipFile, '--profile', 'demo'])).toMatchObject({ code: 0, stdout: `${caseId}  started\n` });
    const status = await waitFor(async () => {
      const r = await cli(['case', 'status', caseId, '--json']);
      const s = JSON.parse(r.stdout);
      return s.outcome === 'ARRESTED' ? s : undefined;
    }, 60_000);
    expect(status.suspect).toEqual({ espIdentifier: ESP_ID, screenName: SCREEN_NAME, ipAddresses: [IP] });
    expect((await cli(['case', 'status', caseId])).stdout).toContain(SCREEN_NAME);
    // Without the key the CLI refuses clearly instead of printing ciphertext.
    const noKey = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const e: NodeJS.ProcessEnv = { ...baseEnv(), CASEBRIDGE_ENCRYPTION_KEYS: `k9:${randomBytes(32).toString('base64')}` };
      const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'client', 'cli.js'), 'case', 'status', caseId], { env: e });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain("encrypted with key 'k1' which is not configured");

    worker!.kill('SIGTERM');
    await new Promise((r) => worker!.once('exit', r));
    const logs = workerLog.join('') + cliOutput.join('');
    expect(logs).toContain('"level":10'); // trace logging really was on
    for (const secret of [SCREEN_NAME, ESP_ID, IP, HASH]) expect(logs).not.toContain(secret);
    // Nor does the simulators' ledger (decisions and references only; identifiers as digests).
    const ledger = fs.readFileSync(path.join(dir, 'data', 'simulator-ledger.jsonl'), 'utf8');
    expect(ledger).toContain(caseId);
    for (const secret of [SCREEN_NAME, ESP_ID, IP, HASH]) expect(ledger).not.toContain(secret);

    await env!.teardown();
    env = undefined;
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('temporal.sqlite'));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(dir, f))));
    expect(bytes.includes(Buffer.from(caseId))).toBe(true); // the scan sees the case ...
    for (const secret of [SCREEN_NAME, ESP_ID, IP, HASH]) expect(bytes.includes(Buffer.from(secret))).toBe(false); // ... but none of this
  });
});
