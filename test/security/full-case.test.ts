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
import { hashPassword, openIssuerStore } from '../../platform/store';
import { startApiProcess, type ApiProcess } from '../api/api-env';
import { fillDocxGaps } from '../../client/document-drafts';
import type { CaseStatus } from '../../workflows/messages';

const ROOT = path.resolve(__dirname, '..', '..');
const nonce = randomBytes(4).toString('hex');
const SCREEN_NAME = `shadowfox_${nonce}`;
const ESP_ID = `esp-user-${nonce}`;
// A fixed-line address: the simulator's 203.0.113.x is a carrier's shared (CGNAT) range, whose subscriber a coordinator must decide.
const IP = '198.51.100.77';
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

  let api: ApiProcess | undefined;
  /** The person's CLI: no key, no Temporal address — the API decrypts for them. */
  const personEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, 'home'),
    CASEBRIDGE_API_URL: api!.url,
    CASEBRIDGE_LOG_LEVEL: 'trace',
  });
  function cli(args: string[], env: NodeJS.ProcessEnv = personEnv(), stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'client', 'cli.js'), ...args], { env });
      child.stdin.end(stdin);
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

  /**
   * The papers the case's requests wait for (the subpoena, the warrant application and affidavit), through the
   * CLI as people handle them: Bea downloads the DOCX, completes its gaps and uploads it; Ann approves (four eyes).
   * Their text names the suspect: it must stay out of the database and the logs as the tip's does.
   */
  const drafterEnv = (): NodeJS.ProcessEnv => ({ ...personEnv(), XDG_CONFIG_HOME: path.join(dir, 'home-drafter') });
  async function documentDesk(caseId: string, s: CaseStatus): Promise<void> {
    for (const r of s.requests) {
      if (!r.pendingApproval) continue;
      const doc = r.pendingApproval.documentId.slice(caseId.length + 1);
      const listed = JSON.parse((await cli(['case', 'documents', caseId, '--json'])).stdout) as { shortId: string; incomplete: string[] }[];
      if ((listed.find((d) => d.shortId === doc)?.incomplete.length ?? 0) > 0) {
        const draft = path.join(dir, 'draft.docx');
        expect(await cli(['document', 'get', caseId, doc, '--format', 'docx', '--out', draft], drafterEnv())).toMatchObject({ code: 0 });
        fs.writeFileSync(
          draft,
          await fillDocxGaps(fs.readFileSync(draft), () => `Sworn by the case agent; the account ${SCREEN_NAME} is described in the tip.`),
        );
        expect(await cli(['document', 'upload', caseId, doc, draft, '--based-on', String(r.pendingApproval.version)], drafterEnv())).toMatchObject({ code: 0 });
      }
      expect(await cli(['document', 'approve', caseId, doc])).toMatchObject({ code: 0 });
    }
  }

  beforeAll(async () => {
    env = await startDevServer({ dbFilename: path.join(dir, 'temporal.sqlite') });
    worker = spawn(process.execPath, [path.join(ROOT, 'dist', 'worker', 'main.js')], { env: baseEnv() });
    worker.stdout!.on('data', (d) => workerLog.push(String(d)));
    worker.stderr!.on('data', (d) => workerLog.push(String(d)));
    await waitFor(async () => (workerLog.join('').includes('worker started') ? true : undefined), 60_000);
    api = await startApiProcess({ ...baseEnv() });
    // Ann coordinates and approves; Bea, a liaison, drafts the papers (four eyes).
    const users = openIssuerStore(path.join(dir, 'data')).users;
    for (const [name, role, home] of [
      ['Ann', 'coordinator', personEnv()],
      ['Bea', 'liaison', drafterEnv()],
    ] as const) {
      await users.put({ name, roles: [role], units: ['u'], passwordHash: await hashPassword('pw pw pw pw pw') });
      expect((await cli(['login', name, '--password-stdin'], home, 'pw pw pw pw pw\n')).code).toBe(0);
    }
  });
  afterAll(async () => {
    await api?.stop();
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
    // Captured just now: in the demo profile a provider's log retention (days as seconds) counts from the capture.
    tip.personOrUserReported.ipCaptureEvent[0].dateTime = new Date().toISOString();
    tip.files[0].originalFileHash = [HASH];
    const tipFile = path.join(dir, 'tip.json');
    fs.writeFileSync(tipFile, JSON.stringify(tip));
    const caseId = `case-${tip.ncmecReportNumber}`;

    expect(await cli(['case', 'start', '--tip', tipFile, '--profile', 'demo'])).toMatchObject({ code: 0, stdout: `${caseId}  started\n` });
    const status = await waitFor(async () => {
      const r = await cli(['case', 'status', caseId, '--json']);
      const s = JSON.parse(r.stdout) as CaseStatus;
      if (s.stage === 'CUSTODY') return s; // arrested: the case runs on after the arrest
      await documentDesk(caseId, s);
      return undefined;
    }, 90_000);
    expect(status.suspect).toEqual({ espIdentifier: ESP_ID, screenName: SCREEN_NAME, ipAddresses: [IP] });
    expect((await cli(['case', 'status', caseId])).stdout).toContain(SCREEN_NAME);
    // An API without the key refuses clearly instead of answering ciphertext.
    const wrongKeyDir = path.join(dir, 'wrong-key-data');
    const wrongKeyApi = await startApiProcess({
      ...baseEnv(),
      CASEBRIDGE_DATA_DIR: wrongKeyDir,
      CASEBRIDGE_ENCRYPTION_KEYS: `k9:${randomBytes(32).toString('base64')}`,
    });
    try {
      await openIssuerStore(wrongKeyDir).users.put({ name: 'Ann', roles: ['coordinator'], units: ['u'], passwordHash: await hashPassword('pw pw pw pw pw') });
      const other = { ...personEnv(), XDG_CONFIG_HOME: path.join(dir, 'home-2'), CASEBRIDGE_API_URL: wrongKeyApi.url };
      expect((await cli(['login', 'Ann', '--password-stdin'], other, 'pw pw pw pw pw\n')).code).toBe(0);
      const noKey = await cli(['case', 'status', caseId], other);
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toContain("encrypted with key 'k1' which is not configured");
      cliOutput.push(wrongKeyApi.output());
    } finally {
      await wrongKeyApi.stop();
    }

    worker!.kill('SIGTERM');
    await new Promise((r) => worker!.once('exit', r));
    await api!.stop();
    const logs = workerLog.join('') + cliOutput.join('') + api!.output();
    expect(logs).toContain('"level":10'); // trace logging really was on
    for (const secret of [SCREEN_NAME, ESP_ID, IP, HASH]) expect(logs).not.toContain(secret);
    // Nor does the simulators' ledger (decisions and references only; identifiers as digests).
    const ledger = fs.readFileSync(path.join(dir, 'data', 'simulator-ledger.jsonl'), 'utf8');
    expect(ledger).toContain(caseId);
    for (const secret of [SCREEN_NAME, ESP_ID, IP, HASH]) expect(ledger).not.toContain(secret);

    // The stored documents (the drafter's revisions name the suspect) are encrypted at rest.
    const stored = fs.readdirSync(path.join(dir, 'data', 'documents'), { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(stored.length).toBeGreaterThan(0);
    const storedBytes = Buffer.concat(stored.map((f) => fs.readFileSync(path.join(f.parentPath, f.name))));
    for (const secret of [SCREEN_NAME, ESP_ID, IP, HASH]) expect(storedBytes.includes(Buffer.from(secret))).toBe(false);

    await env!.teardown();
    env = undefined;
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('temporal.sqlite'));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(dir, f))));
    expect(bytes.includes(Buffer.from(caseId))).toBe(true); // the scan sees the case ...
    for (const secret of [SCREEN_NAME, ESP_ID, IP, HASH]) expect(bytes.includes(Buffer.from(secret))).toBe(false); // ... but none of this
  });
});
