/**
 * The real `casebridge` process against the dev server, for every command, including bad input:
 * exact exit codes and messages, and proof that bad input changed nothing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createSimulatedSystems } from '../../activities/simulators';
import { startDevServer, workflowBundle } from '../harness/servers';
import { waitFor } from '../harness/wait';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'client', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'tips');
const TASK_QUEUE = 'cli-e2e';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('casebridge CLI (real process, dev server)', () => {
  let env: TestWorkflowEnvironment | undefined;
  let worker: Worker;
  let running: Promise<void>;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-cli-'));
  const runTag = String(Date.now()).slice(-7);

  function cli(args: string[], stdin?: string): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: { ...process.env, TEMPORAL_ADDRESS: env!.address, TEMPORAL_NAMESPACE: 'default', CASEBRIDGE_TASK_QUEUE: TASK_QUEUE, CASEBRIDGE_LOG_LEVEL: 'warn' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.stdin.end(stdin ?? '');
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  function tipFile(fixture: string, n: number, change: (t: Record<string, any>) => void = () => {}): string {
    const t = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${fixture}.json`), 'utf8'));
    t.ncmecReportNumber = `${runTag}${n}`;
    change(t);
    const file = path.join(tmp, `${fixture}-${n}.json`);
    fs.writeFileSync(file, JSON.stringify(t));
    return file;
  }
  const caseCount = async () => (await env!.client.workflow.count(`WorkflowType = 'caseWorkflow'`)).count;

  beforeAll(async () => {
    expect(fs.existsSync(CLI)).toBe(true); // built by `make test`
    env = await startDevServer();
    const systems = createSimulatedSystems({ seed: 'cli', warrantDenialRate: 0, emergencyRefusalRate: 0 });
    worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: workflowBundle(), activities: createActivities(systems) });
    running = worker.run();
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('opens cases from a tip file, and reports a re-submitted tip as existing', async () => {
    const file = tipFile('jurisdiction-unresolved', 1);
    const first = await cli(['case', 'start', '--tip', file, '--json']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toEqual([{ caseId: `case-${runTag}1`, status: 'started' }]);
    const again = await cli(['case', 'start', '--tip', file]);
    expect(again).toMatchObject({ code: 0, stdout: `case-${runTag}1  exists\n` });
  });

  it('starts the valid tips of a batch (array or NDJSON on stdin) and names the invalid one by position and field', async () => {
    const before = await caseCount();
    const good = JSON.parse(fs.readFileSync(tipFile('domestic-arrest', 2), 'utf8'));
    const bad = { ...good, ncmecReportNumber: `${runTag}3`, incidentSummary: { ...good.incidentSummary, incidentType: 'Jaywalking' } };
    const ndjson = [good, bad].map((t) => JSON.stringify(t)).join('\n');
    const r = await cli(['case', 'start', '--tip', '-', '--json', '--profile', 'demo'], ndjson);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual([{ caseId: `case-${runTag}2`, status: 'started' }]);
    expect(r.stderr).toMatch(/^casebridge: tip 2: incidentSummary\.incidentType: Invalid option: expected one of .*\n$/);
    await waitFor(async () => ((await caseCount()) === before + 1 ? true : undefined));
  });

  it('rejects a missing file, invalid JSON and an unknown incident type with exit 2, starting nothing', async () => {
    const before = await caseCount();
    expect(await cli(['case', 'start', '--tip', path.join(tmp, 'nope.json')])).toEqual({ code: 2, stdout: '', stderr: `casebridge: --tip: cannot read ${path.join(tmp, 'nope.json')}: no such file\n` });
    const broken = path.join(tmp, 'broken.json');
    fs.writeFileSync(broken, '{"ncmecReportNumber": ');
    expect(await cli(['case', 'start', '--tip', broken])).toEqual({ code: 2, stdout: '', stderr: 'casebridge: --tip: not valid JSON (expected a tip, an array of tips, or one tip per line)\n' });
    const unknownType = tipFile('domestic-arrest', 4, (t) => (t.incidentSummary.incidentType = 'Jaywalking'));
    const r = await cli(['case', 'start', '--tip', unknownType]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^casebridge: tip 1: incidentSummary\.incidentType: /);
    expect(await caseCount()).toBe(before);
  });

  it('shows status and timeline, takes coordinator inputs, and rejects an input in the wrong stage without changing the case', async () => {
    const caseId = `case-${runTag}1`;
    await waitFor(async () => {
      const s = JSON.parse((await cli(['case', 'status', caseId, '--json'])).stdout);
      // Preservation reports in on its own; wait for it so the timeline comparisons below are about our inputs.
      return s.stage === 'JURISDICTION' && s.preservation?.state === 'PRESERVED' ? true : undefined;
    });
    const status = JSON.parse((await cli(['case', 'status', caseId, '--json'])).stdout);
    expect(status).toMatchObject({ caseId, stage: 'JURISDICTION', outcome: null, priority: 2, suspectCountry: null, dataCountry: 'US', awaiting: 'coordinator' });
    expect(status.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'jurisdiction-reminder', dueAt: expect.any(String) })]));
    expect(status.requests).toEqual([expect.objectContaining({ requestId: `${caseId}/preservation`, kind: 'preservation', status: expect.any(String) })]);

    const timelineBefore = JSON.parse((await cli(['case', 'timeline', caseId, '--json'])).stdout);
    expect(Object.keys(timelineBefore[0]).sort()).toEqual(['actor', 'at', 'detail', 'kind', 'stage']);

    const wrongStage = await cli(['case', 'amend-reapply', caseId, '--amendment', 'more facts', '--actor', 'Ann Coordinator']);
    expect(wrongStage).toEqual({
      code: 2,
      stdout: '',
      stderr: `casebridge: input rejected, nothing changed: case ${caseId} is in stage JURISDICTION: there is no denied or expired warrant to reapply for\n`,
    });
    const badCountry = await cli(['case', 'resolve-jurisdiction', caseId, '--suspect-country', 'usa', '--actor', 'Ann Coordinator']);
    expect(badCountry).toEqual({ code: 2, stdout: '', stderr: 'casebridge: --suspect-country: must be an ISO 3166-1 alpha-2 country code such as US or GB\n' });
    expect(JSON.parse((await cli(['case', 'timeline', caseId, '--json'])).stdout)).toEqual(timelineBefore);

    const note = await cli(['case', 'note', caseId, '--text', 'called the provider', '--actor', 'Ann Coordinator']);
    expect(note).toMatchObject({ code: 0, stdout: `${caseId}: note added; now in JURISDICTION, awaiting coordinator\n` });
    const withdrawn = await cli(['case', 'withdraw', caseId, '--reason', 'duplicate of an open investigation', '--actor', 'Ann Coordinator', '--json']);
    expect(withdrawn.code).toBe(0);
    await waitFor(async () => (JSON.parse((await cli(['case', 'status', caseId, '--json'])).stdout).outcome === 'WITHDRAWN' ? true : undefined));
    const timeline = JSON.parse((await cli(['case', 'timeline', caseId, '--json'])).stdout) as { kind: string; actor: string; detail: string }[];
    expect(timeline.filter((e) => e.actor === 'Ann Coordinator').map((e) => e.kind)).toEqual(['note', 'input']);
    // The audit trail only grows: what was there before is still there, unchanged, in order.
    expect(timeline.slice(0, timelineBefore.length)).toEqual(timelineBefore);
    expect(await cli(['case', 'note', caseId, '--text', 'late', '--actor', 'Ann Coordinator'])).toEqual({ code: 2, stdout: '', stderr: `casebridge: case ${caseId} is closed and accepts no more input\n` });
  });

  it('names an unknown or malformed case id with exit 2', async () => {
    expect(await cli(['case', 'status', 'case-99999999999'])).toEqual({ code: 2, stdout: '', stderr: 'casebridge: case case-99999999999 not found\n' });
    expect(await cli(['case', 'timeline', 'nope'])).toEqual({ code: 2, stdout: '', stderr: 'casebridge: CASE_ID: must be a case id such as case-190000001\n' });
  });

  it('answers the managers’ views from visibility', async () => {
    const open = tipFile('jurisdiction-unresolved', 5);
    expect((await cli(['case', 'start', '--tip', open, '--profile', 'demo'])).code).toBe(0);
    const caseId = `case-${runTag}5`;
    await waitFor(async () => {
      const rows = JSON.parse((await cli(['cases', '--open', '--stage', 'JURISDICTION', '--json'])).stdout) as { caseId: string }[];
      return rows.some((r) => r.caseId === caseId) ? true : undefined;
    });
    expect(JSON.parse((await cli(['stalled', '--idle', '1h', '--json'])).stdout)).toEqual([]);
    await new Promise((r) => setTimeout(r, 3_000));
    const stalled = JSON.parse((await cli(['stalled', '--idle', '2s', '--stage', 'JURISDICTION', '--json'])).stdout) as { caseId: string; idleMs: number; awaiting: string }[];
    expect(stalled.find((s) => s.caseId === caseId)).toMatchObject({ awaiting: expect.stringMatching(/coordinator|manager/) });
    expect(stalled.map((s) => s.idleMs)).toEqual([...stalled.map((s) => s.idleMs)].sort((a, b) => b - a));
    const deadlines = JSON.parse((await cli(['deadlines', '--within', '30d', '--json'])).stdout) as { caseId: string; name: string; dueAt: string }[];
    expect(deadlines.find((d) => d.caseId === caseId)).toMatchObject({ name: expect.any(String), dueAt: expect.any(String) });
    expect(deadlines.map((d) => d.dueAt)).toEqual([...deadlines.map((d) => d.dueAt)].sort());
    const closed = JSON.parse((await cli(['cases', '--closed', '--json'])).stdout) as { caseId: string; outcome: string }[];
    expect(closed).toEqual(expect.arrayContaining([expect.objectContaining({ caseId: `case-${runTag}1`, outcome: 'WITHDRAWN' })]));
    // Managers' views are read-only: they send the case no update and no signal.
    const inputs = async () => {
      const { EventType } = temporal.api.enums.v1;
      const events = (await env!.client.workflow.getHandle(caseId).fetchHistory()).events ?? [];
      return events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED || e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).length;
    };
    const inputsBefore = await inputs();
    for (const args of [['cases'], ['stalled', '--idle', '1s'], ['deadlines', '--within', '365d']]) expect((await cli(args)).code).toBe(0);
    expect(await inputs()).toBe(inputsBefore);
    expect(await cli(['stalled', '--idle', 'soon'])).toEqual({ code: 2, stdout: '', stderr: 'casebridge: --idle: must be a duration such as 90m, 12h, 30d or 2w\n' });
    expect(await cli(['cases', '--open', '--closed'])).toEqual({ code: 2, stdout: '', stderr: 'casebridge: --open and --closed exclude each other\n' });
  });

  it('has --help on every command and exits 2 on an unknown one', async () => {
    for (const args of [['--help'], ['case', 'start', '--help'], ['stalled', '--help'], ['deadlines', '--help'], ['cases', '--help']]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: casebridge');
    }
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });
});
