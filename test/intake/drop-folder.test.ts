/**
 * The drop folder on the dev server with a real worker: files become cases and move to done/ or
 * failed/ with their outcome beside them; a re-submitted report answers `exists`; a drop-folder
 * process killed (SIGKILL) in the middle of a file of 200 reports and started again leaves no report
 * out and none doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import yazl from 'yazl';
import { createActivities } from '../../activities';
import { createDocumentPort } from '../../activities/documents';
import { createSimulatedSystems } from '../../activities/simulators';
import { createDocumentLayer } from '../../documents';
import { sampleFileDetails, sampleReceivedReport, sampleReport, writeSampleBatch } from '../../bench/ncmec-sample';
import { startCase } from '../../client/cases';
import { DropFolder, loadDropFolderSettings, prepareDropFolder } from '../../intake/drop-folder';
import { createCaseBridgeWorker } from '../../worker/worker';
import type { CaseStatus } from '../../workflows/messages';
import type { Tip } from '../../workflows/tip';
import { ROOT } from '../cli/cli-process';
import { startDevServer, workflowBundle } from '../harness/servers';
import { waitFor } from '../harness/wait';

const TASK_QUEUE = 'intake-e2e';
const MAIN = path.join(ROOT, 'dist', 'intake', 'drop-folder-main.js');
const tag = String(Date.now()).slice(-5);
const report = (n: number) => `19${tag}${String(n).padStart(4, '0')}`;

const zip = (entries: Record<string, string>): Promise<Buffer> => {
  const z = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) z.addBuffer(Buffer.from(text), name);
  z.end();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
};

/** Writes a file the way a feed should: under a temporary name, then renamed into the folder. */
const drop = (dir: string, name: string, content: string | Buffer) => {
  fs.writeFileSync(path.join(dir, `.${name}.part`), content);
  fs.renameSync(path.join(dir, `.${name}.part`), path.join(dir, name));
};
const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
const original = (claimed: string) => claimed.replace(/^[^-]+-[0-9a-f]+--/, '');

describe('drop folder', () => {
  let env: TestWorkflowEnvironment | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-drop-'));
  const caseCount = async () => (await env!.client.workflow.count(`WorkflowType = 'caseWorkflow'`)).count;

  beforeAll(async () => {
    expect(fs.existsSync(MAIN)).toBe(true); // built by `make test`
    env = await startDevServer();
    worker = await createCaseBridgeWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: TASK_QUEUE,
      workflowBundle: workflowBundle(),
      // The cases' requests send generated documents: the worker has a store for them, as the product's has.
      activities: createActivities(createSimulatedSystems({ seed: 'drop', warrantDenialRate: 0, emergencyRefusalRate: 0 }), {
        documents: createDocumentPort(createDocumentLayer({ CASEBRIDGE_DATA_DIR: path.join(tmp, 'worker-data') }).service),
      }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('validates its settings at start-up, naming the setting', async () => {
    expect(loadDropFolderSettings({})).toBeUndefined();
    expect(() => loadDropFolderSettings({ CASEBRIDGE_DROP_DIR: tmp, CASEBRIDGE_DROP_POLL_MS: 'often' })).toThrow(/^invalid setting CASEBRIDGE_DROP_POLL_MS: /);
    expect(() => loadDropFolderSettings({ CASEBRIDGE_DROP_DIR: tmp, CASEBRIDGE_DROP_PROFILE: 'fast' })).toThrow(
      'invalid setting CASEBRIDGE_DROP_PROFILE: must be standard or demo',
    );
    expect(() => prepareDropFolder(path.join(tmp, 'nowhere'))).toThrow(/^invalid setting CASEBRIDGE_DROP_DIR: .*nowhere does not exist$/);
    fs.writeFileSync(path.join(tmp, 'a-file'), '');
    expect(() => prepareDropFolder(path.join(tmp, 'a-file'))).toThrow(/is not a folder$/);
    // The process refuses to start on a bad setting, with exit 2.
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, CASEBRIDGE_DROP_DIR: path.join(tmp, 'nowhere'), CASEBRIDGE_LOG_LEVEL: 'silent' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    expect(await new Promise((r) => child.on('close', r))).toBe(2);
    expect(stderr).toMatch(/casebridge drop folder: invalid setting CASEBRIDGE_DROP_DIR: .*nowhere does not exist/);
  });

  it('opens cases from reports, ZIPs and batches; moves each file to done/ or failed/ with what happened beside it', async () => {
    const dir = path.join(tmp, 'drop');
    fs.mkdirSync(dir);
    const before = await caseCount();
    const folder = new DropFolder({
      dir,
      pollMs: 100,
      settleMs: 0,
      concurrency: 4,
      startCase: (tip) => startCase(env!.client, tip, { taskQueue: TASK_QUEUE, profile: 'standard' }),
    });
    drop(dir, 'one.xml', sampleReceivedReport(report(1), { directives: ['casebridge-sim:searchWarrants=grant'] }));
    const zipped: Record<string, string> = { 'report.xml': sampleReport(report(2)) };
    for (const i of [1, 2, 3, 4, 5]) zipped[`fileDetails-${i}.xml`] = sampleFileDetails(report(2), i);
    drop(dir, 'five-files.zip', await zip(zipped));
    drop(
      dir,
      'bad.xml',
      sampleReceivedReport(report(3)).replace('<platform>ExampleChat</platform>', '<platform>ExampleChat</platform><platform>again</platform>'),
    );
    drop(dir, 'broken.xml', sampleReceivedReport(report(4)).replace('</reporter>', ''));
    fs.writeFileSync(path.join(dir, 'still-copying.xml.part'), '<receivedReport');
    await folder.start();
    try {
      await waitFor(async () => (list(path.join(dir, 'done')).length + list(path.join(dir, 'failed')).length === 8 ? true : undefined), 60_000);

      const done = list(path.join(dir, 'done'));
      expect(done.map(original)).toEqual(['five-files.zip', 'five-files.zip.result.txt', 'one.xml', 'one.xml.result.txt']);
      const result = (name: string, sub = 'done') =>
        fs.readFileSync(
          path.join(
            dir,
            sub,
            list(path.join(dir, sub)).find((f) => original(f) === name)!,
          ),
          'utf8',
        );
      expect(result('one.xml.result.txt')).toMatch(
        new RegExp(
          `^casebridge intake: one.xml\\nread from .*\\nreport 1 \\(line 1\\): case-${report(1)} started\\nsummary: 1 report: 1 started, 0 exists, 0 refused\\n$`,
        ),
      );
      expect(result('five-files.zip.result.txt')).toContain(`report 1 (report.xml) (line 1): case-${report(2)} started`);

      const failed = list(path.join(dir, 'failed'));
      expect(failed.map(original)).toEqual(['bad.xml', 'bad.xml.reason.txt', 'broken.xml', 'broken.xml.reason.txt']);
      expect(result('bad.xml.reason.txt', 'failed')).toMatch(
        /report 1: refused: line 5: receivedReport\/report\/incidentSummary\/platform: is out of order or repeated too often.*\nsummary: 1 report: 0 started, 0 exists, 1 refused\n$/,
      );
      expect(result('broken.xml.reason.txt', 'failed')).toMatch(
        /file: refused: line \d+: not well-formed XML: unexpected close tag.*\nsummary: the file was refused as a whole; 0 started, 0 exists\n$/,
      );
      // Only the two good files opened cases; nothing is left behind but the file still being written.
      expect(await caseCount()).toBe(before + 2);
      expect(list(path.join(dir, 'processing'))).toEqual([]);
      expect(list(dir)).toEqual(['done', 'failed', 'processing', 'still-copying.xml.part']);

      // The ZIP's case carries the five files; the worker runs the cases.
      const history = await env!.client.workflow.getHandle(`case-${report(2)}`).fetchHistory();
      const input = defaultPayloadConverter.fromPayload<{ tip: Tip }>(history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0]);
      expect(input.tip.files.map((f) => f.fileId)).toEqual(['f-1', 'f-2', 'f-3', 'f-4', 'f-5']);
      await waitFor(async () => {
        const s = await env!.client.workflow.getHandle(`case-${report(1)}`).query<CaseStatus>('status');
        return s.stage !== 'INTAKE' && s.stage !== 'TRIAGE' ? s : undefined;
      }, 30_000);

      // The same report again: `exists`, no second case.
      drop(dir, 'one.xml', sampleReceivedReport(report(1)));
      await waitFor(async () => (list(path.join(dir, 'done')).length === 6 ? true : undefined), 30_000);
      const again = list(path.join(dir, 'done')).filter((f) => original(f) === 'one.xml.result.txt');
      expect(again).toHaveLength(2);
      expect(fs.readFileSync(path.join(dir, 'done', again[1]), 'utf8')).toContain(`report 1 (line 1): case-${report(1)} exists\n`);
      expect(await caseCount()).toBe(before + 2);
    } finally {
      await folder.stop();
    }
  });

  it('a process killed mid-file and started again: every report has its case, none twice', async () => {
    const dir = path.join(tmp, 'crash');
    fs.mkdirSync(dir);
    const N = 200;
    const first = Number(report(1000));
    await writeSampleBatch(path.join(tmp, 'batch.xml'), N, first);
    fs.renameSync(path.join(tmp, 'batch.xml'), path.join(dir, 'batch.xml'));
    const before = await caseCount();
    const childEnv = {
      ...process.env,
      CASEBRIDGE_DROP_DIR: dir,
      CASEBRIDGE_DROP_POLL_MS: '100',
      CASEBRIDGE_DROP_SETTLE_MS: '0',
      CASEBRIDGE_DROP_CONCURRENCY: '1',
      CASEBRIDGE_DROP_UNIT: 'icac-test',
      CASEBRIDGE_TASK_QUEUE: TASK_QUEUE,
      CASEBRIDGE_LOG_LEVEL: 'warn',
      TEMPORAL_ADDRESS: env!.address,
      TEMPORAL_NAMESPACE: 'default',
    };
    const run = (): ChildProcess => spawn(process.execPath, [MAIN], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    const outcomeLines = () => {
      const part = list(path.join(dir, 'processing')).find((f) => f.endsWith('.outcome.part'));
      return part
        ? fs
            .readFileSync(path.join(dir, 'processing', part), 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('report ')).length
        : 0;
    };

    const firstRun = run();
    const exited = new Promise((r) => firstRun.on('exit', r));
    await waitFor(async () => (outcomeLines() >= 20 ? true : undefined), 60_000, 5);
    firstRun.kill('SIGKILL');
    await exited;
    // Killed in the middle: the file is still claimed, some of its cases exist, not all.
    expect(list(path.join(dir, 'processing')).map(original)).toEqual(['batch.xml', 'batch.xml.outcome.part']);
    // Visibility catches up with the last starts within moments: read the count once it holds still.
    let last = -1;
    const startedBeforeKill =
      (await waitFor(
        async () => {
          const c = await caseCount();
          const settled = c === last ? c : undefined;
          last = c;
          return settled;
        },
        15_000,
        500,
      )) - before;
    expect(startedBeforeKill).toBeGreaterThanOrEqual(20);
    expect(startedBeforeKill).toBeLessThan(N);

    const secondRun = run();
    try {
      await waitFor(async () => (list(path.join(dir, 'done')).length === 2 ? true : undefined), 120_000);
    } finally {
      secondRun.kill('SIGTERM');
      await new Promise((r) => secondRun.on('exit', r));
    }
    const [, resultFile] = list(path.join(dir, 'done'));
    const lines = fs
      .readFileSync(path.join(dir, 'done', resultFile), 'utf8')
      .trim()
      .split('\n');
    const outcomes = lines.filter((l) => l.startsWith('report '));
    expect(outcomes).toHaveLength(N);
    const byPosition = outcomes.map((l) => /^report (\d+) \(line \d+\): case-(\d+) (started|exists)$/.exec(l));
    expect(byPosition.every(Boolean)).toBe(true);
    expect(byPosition.map((m) => Number(m![1]))).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(byPosition.map((m) => Number(m![2]))).toEqual(Array.from({ length: N }, (_, i) => first + i));
    // What the first run had started reads as `exists` the second time; the rest started once.
    const exists = byPosition.filter((m) => m![3] === 'exists').length;
    expect(exists).toBe(startedBeforeKill);
    expect(lines.at(-1)).toBe(`summary: ${N} reports: ${N - exists} started, ${exists} exists, 0 refused`);
    expect(await caseCount()).toBe(before + N);
    expect(list(path.join(dir, 'processing'))).toEqual([]);
    expect(list(dir)).toEqual(['done', 'failed', 'processing']);
  });
});
