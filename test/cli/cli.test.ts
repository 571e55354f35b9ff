/**
 * The real `casebridge` process against the API (its own process) on the dev server, for every
 * command, including bad input: exact exit codes and messages, and proof that bad input changed
 * nothing (the timeline is the same, no workflow was started — counted through visibility). People
 * log in (`casebridge login`, each with their own config dir); who acts is the login, never a flag.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createDocumentPort } from '../../activities/documents';
import { createDocumentLayer, type DocumentService } from '../../documents';
import { documentDesk, type DocumentDesk } from '../case/document-desk';
import { createSimulatedSystems } from '../../activities/simulators';
import { createCaseBridgeWorker } from '../../worker/worker';
import { type CaseStatus, type TimelineEntry } from '../../workflows/messages';
import { REQUEST_MACHINES } from '../../workflows/requests/machines';
import type { RequestMachine } from '../../workflows/requests/machines';
import { INCIDENT_TYPES } from '../../workflows/tip';
import { hashPassword, openIssuerStore } from '../../platform/store';
import { startApiProcess, type ApiProcess } from '../api/api-env';
import { startDevServer, workflowBundle } from '../harness/servers';
import { namespaceOf } from '../harness/cluster-target';
import { waitFor } from '../harness/wait';
import { CLI, runCli, sampleTip, writeJson, type Run } from './cli-process';

const TASK_QUEUE = 'cli-e2e';
const COORDINATOR = 'Ann Coordinator';
const LIAISON = 'Lee Liaison';
const MANAGER = 'Max Manager';
const UNIT = 'cli-unit';
type Who = typeof COORDINATOR | typeof LIAISON | typeof MANAGER | 'nobody' | 'no-worker coordinator';

describe('casebridge CLI (real process, dev server)', () => {
  let env: TestWorkflowEnvironment | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  /** The worker's document store (a temporary data dir). */
  let documents: DocumentService | undefined;
  let caseDesk: DocumentDesk | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-cli-'));
  const tag = String(Date.now()).slice(-7);
  const report = (n: number) => `${tag}${String(n).padStart(2, '0')}`;
  const caseOf = (n: number) => `case-${report(n)}`;

  let api: ApiProcess | undefined;
  let noWorkerApi: ApiProcess | undefined;
  /** Each person's config dir (their stored login); the API they use. */
  const home = (who: Who) => path.join(tmp, 'home', who.replace(/\W+/g, '-'));
  const cliEnv = (who: Who, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    XDG_CONFIG_HOME: home(who),
    CASEBRIDGE_API_URL: who === 'no-worker coordinator' ? noWorkerApi!.url : api!.url,
    CASEBRIDGE_LOG_LEVEL: 'warn',
    ...extra,
  });
  /** The person whose job a command is: managers read the views, liaisons respond, coordinators do the rest. */
  const personFor = (args: string[]): Who => (['cases', 'stalled', 'deadlines'].includes(args[0]) ? MANAGER : args[0] === 'respond' ? LIAISON : COORDINATOR);
  const cli = (args: string[], stdin?: string, extra?: NodeJS.ProcessEnv): Promise<Run> => runCli(args, cliEnv(personFor(args), extra), stdin);
  const cliAs = (who: Who, args: string[], stdin?: string): Promise<Run> => runCli(args, cliEnv(who), stdin);
  const json = async <T>(args: string[]): Promise<T> => {
    const r = await cli([...args, '--json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(r.stdout) as T;
  };
  const status = (caseId: string) => json<CaseStatus>(['case', 'status', caseId]);
  const timeline = (caseId: string) => json<TimelineEntry[]>(['case', 'timeline', caseId]);
  const caseCount = async () => (await env!.client.workflow.count(`WorkflowType = 'caseWorkflow'`)).count;
  const until = (caseId: string, done: (s: CaseStatus) => boolean, timeoutMs = 30_000) =>
    waitFor(async () => {
      const s = await env!.client.workflow.getHandle(caseId).query<CaseStatus>('status');
      return done(s) ? s : undefined;
    }, timeoutMs);
  /** Opens a case through the CLI and checks it started. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a tip file edited freely, as a person might
  const open = async (n: number, fixture: string, profile: 'standard' | 'demo', change?: (t: any) => void) => {
    const file = writeJson(tmp, `tip-${n}.json`, sampleTip(fixture, report(n), change));
    expect(await cli(['case', 'start', '--tip', file, '--profile', profile])).toEqual({ code: 0, stdout: `${caseOf(n)}  started\n`, stderr: '' });
    return caseOf(n);
  };
  /** A case's inputs so far: accepted updates and signals from outside in its history (managers' views must add none). */
  const inputsIn = async (caseId: string) => {
    const { EventType } = temporal.api.enums.v1;
    const events = (await env!.client.workflow.getHandle(caseId).fetchHistory()).events ?? [];
    // Reports from the case's own children (requestChanged, preservationChanged) come by signal on their own clock: not inputs.
    const fromChildren = new Set(['requestChanged', 'preservationChanged']);
    return events.filter(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED ||
        (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED && !fromChildren.has(e.workflowExecutionSignaledEventAttributes?.signalName ?? '')),
    ).length;
  };

  // Cases shared by the tests below (numbers are their report-number suffixes).
  const JURISDICTION = 1; // standard profile: sits in JURISDICTION for days
  const ABROAD = 2; // standard profile: data in GB, a CLOUD Act order answered through a liaison
  const STUCK = 3; // demo profile: the court rejects the arrest warrant application → NEEDS_ATTENTION
  const SUSPECT_ABROAD = 4; // demo profile, priority 1: extradition from GB (a child workflow runs the request)

  /** An operator adds the person to the API's local issuer; they log in as a person would. */
  const enrol = async (who: Who, roles: string[], dataDir: string) => {
    await openIssuerStore(dataDir).users.put({ name: who, roles, units: [UNIT], passwordHash: await hashPassword(`pw ${who} pw`) });
    const r = await cliAs(who, ['login', who, '--password-stdin'], `pw ${who} pw\n`);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^logged in to http://127\\.0\\.0\\.1:\\d+ as ${who} \\(${roles.join(', ')}; units ${UNIT}\\) until \\S+\n$`));
    expect(fs.statSync(path.join(home(who), 'casebridge', 'login.json')).mode & 0o777).toBe(0o600);
  };

  beforeAll(async () => {
    expect(fs.existsSync(CLI)).toBe(true); // built by `make test` (npx tsc -p tsconfig.build.json)
    env = await startDevServer();
    const apiEnv = (queue: string, dataDir: string) => ({
      TEMPORAL_ADDRESS: env!.address,
      TEMPORAL_NAMESPACE: namespaceOf(env!),
      CASEBRIDGE_TASK_QUEUE: queue,
      CASEBRIDGE_DATA_DIR: dataDir,
    });
    api = await startApiProcess(apiEnv(TASK_QUEUE, path.join(tmp, 'api-data')));
    noWorkerApi = await startApiProcess(apiEnv('cli-e2e-no-worker', path.join(tmp, 'no-worker-api-data')));
    await enrol(COORDINATOR, ['coordinator'], path.join(tmp, 'api-data'));
    await enrol(LIAISON, ['liaison'], path.join(tmp, 'api-data'));
    await enrol(MANAGER, ['manager'], path.join(tmp, 'api-data'));
    await enrol('no-worker coordinator', ['coordinator'], path.join(tmp, 'no-worker-api-data'));
    const systems = createSimulatedSystems({ seed: 'cli', warrantDenialRate: 0, emergencyRefusalRate: 0 });
    documents = createDocumentLayer({ CASEBRIDGE_DATA_DIR: path.join(tmp, 'worker-data') }).service;
    worker = await createCaseBridgeWorker({
      connection: env.nativeConnection,
      namespace: namespaceOf(env),
      taskQueue: TASK_QUEUE,
      workflowBundle: workflowBundle(),
      activities: createActivities(systems, { documents: createDocumentPort(documents) }),
    });
    running = worker.run();
    // The people who complete and approve the papers the cases' requests wait for (the subpoena, the warrant papers, the CLOUD Act order).
    caseDesk = documentDesk(env.client, documents, new Set([JURISDICTION, ABROAD, STUCK].map(caseOf)));
    caseDesk.start(250);
  });
  afterAll(async () => {
    await caseDesk?.stop();
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await api?.stop();
    await noWorkerApi?.stop();
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('case start', () => {
    it('opens a case per tip, prints its id once Temporal recorded it, and reports a re-submitted tip as existing', async () => {
      const before = await caseCount();
      const file = writeJson(tmp, 'jurisdiction.json', sampleTip('jurisdiction-unresolved', report(JURISDICTION)));
      const first = await cli(['case', 'start', '--tip', file, '--json']);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(first.stdout)).toEqual([{ caseId: caseOf(JURISDICTION), status: 'started' }]);
      expect(await cli(['case', 'start', '--tip', file])).toEqual({ code: 0, stdout: `${caseOf(JURISDICTION)}  exists\n`, stderr: '' });
      // An array with the known tip and a new one: one exists, one starts.
      const batch = writeJson(tmp, 'batch.json', [
        sampleTip('jurisdiction-unresolved', report(JURISDICTION)),
        sampleTip('data-in-uk-cloud-act', report(ABROAD)),
      ]);
      expect(JSON.parse((await cli(['case', 'start', '--tip', batch, '--json'])).stdout)).toEqual([
        { caseId: caseOf(JURISDICTION), status: 'exists' },
        { caseId: caseOf(ABROAD), status: 'started' },
      ]);
      expect(await caseCount()).toBe(before + 2);
    });

    it('starts the valid tips of an NDJSON batch on stdin and names the invalid one by position and field, exit 2', async () => {
      const before = await caseCount();
      const good = sampleTip('domestic-arrest', report(10));
      const bad = sampleTip('domestic-arrest', report(11), (t) => (t.incidentSummary.incidentType = 'Jaywalking'));
      // A blank line between the tips: the error names the tip's line in the file, not its count of non-blank lines.
      const r = await cli(['case', 'start', '--tip', '-', '--json', '--profile', 'demo'], [good, bad].map((t) => JSON.stringify(t)).join('\n\n'));
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout)).toEqual([{ caseId: caseOf(10), status: 'started' }]);
      expect(r.stderr).toBe(
        `casebridge: tip 2 (line 3): incidentSummary.incidentType: Invalid option: expected one of ${INCIDENT_TYPES.map((t) => JSON.stringify(t)).join('|')}\n`,
      );
      expect(await caseCount()).toBe(before + 1);
      expect(
        await env!.client.workflow
          .getHandle(caseOf(11))
          .describe()
          .catch((e: Error) => e.name),
      ).toBe('WorkflowNotFoundError');
    });

    it('rejects a missing file, invalid JSON, an unknown incident type, empty input and a bad profile with exit 2, starting nothing', async () => {
      const before = await caseCount();
      const missing = path.join(tmp, 'nope.json');
      const broken = writeJson(tmp, 'broken.json', '{"ncmecReportNumber": ');
      const unknownType = writeJson(
        tmp,
        'unknown-type.json',
        sampleTip('domestic-arrest', report(12), (t) => (t.incidentSummary.incidentType = 'Jaywalking')),
      );
      const twoProblems = writeJson(
        tmp,
        'two-problems.json',
        sampleTip('domestic-arrest', report(13), (t) => ((t.files = []), (t.reporter.dataCountry = 'usa'))),
      );
      const [a, b, c, d, e, f] = await Promise.all([
        cli(['case', 'start', '--tip', missing]),
        cli(['case', 'start', '--tip', broken]),
        cli(['case', 'start', '--tip', unknownType]),
        cli(['case', 'start', '--tip', '-'], '  \n'),
        cli(['case', 'start', '--tip', unknownType, '--profile', 'fast']),
        cli(['case', 'start', '--tip', twoProblems, '--json']),
      ]);
      expect(a).toEqual({ code: 2, stdout: '', stderr: `casebridge: --tip: cannot read ${missing}: no such file\n` });
      expect(b).toEqual({ code: 2, stdout: '', stderr: 'casebridge: --tip: not valid JSON (expected a tip, an array of tips, or one tip per line)\n' });
      expect(c).toEqual({
        code: 2,
        stdout: '',
        stderr: `casebridge: tip 1: incidentSummary.incidentType: Invalid option: expected one of ${INCIDENT_TYPES.map((t) => JSON.stringify(t)).join('|')}\n`,
      });
      expect(d).toEqual({ code: 2, stdout: '', stderr: 'casebridge: --tip: the input is empty\n' });
      expect(e).toEqual({ code: 2, stdout: '', stderr: 'casebridge: --profile: must be one of standard, demo\n' });
      expect(f).toEqual({
        code: 2,
        stdout: '[]\n',
        stderr: 'casebridge: tip 1: reporter.dataCountry: must be an ISO 3166-1 alpha-2 country code such as US or GB (and 1 more)\n',
      });
      expect(await caseCount()).toBe(before);
    });

    it('is accepted once Temporal recorded the start, even with no worker running; reading the case then fails with exit 1 after --timeout', async () => {
      const file = writeJson(tmp, 'no-worker.json', sampleTip('domestic-arrest', report(20)));
      // Through an API whose task queue no worker polls.
      expect(await cliAs('no-worker coordinator', ['case', 'start', '--tip', file])).toEqual({ code: 0, stdout: `${caseOf(20)}  started\n`, stderr: '' });
      expect((await env!.client.workflow.getHandle(caseOf(20)).describe()).status.name).toBe('RUNNING');
      expect(await cli(['case', 'status', caseOf(20), '--timeout', '2s'])).toEqual({
        code: 1,
        stdout: '',
        stderr: `casebridge: case ${caseOf(20)}: no worker answered in time; is a worker running (\`make up\` or \`casebridge worker\`)?\n`,
      });
      const note = await cli(['case', 'note', caseOf(20), '--text', 'x', '--timeout', '2s']);
      expect(note.code).toBe(1);
      expect(note.stderr).toMatch(
        /^casebridge: case \S+: no worker answered in time; .*The input may still be applied when one is: check the case timeline before sending it again\n$/,
      );
    });
  });

  describe('reading a case and the coordinators’ inputs', () => {
    it('shows status and timeline with the contract’s fields', async () => {
      const caseId = caseOf(JURISDICTION);
      // Preservation reports in on its own; wait for it so later timeline comparisons are about our inputs.
      await until(caseId, (s) => s.stage === 'JURISDICTION' && s.preservation?.state === 'PRESERVED');
      const s = await status(caseId);
      expect(s).toMatchObject({ caseId, stage: 'JURISDICTION', outcome: null, priority: 2, suspectCountry: null, dataCountry: 'US', awaiting: 'coordinator' });
      expect(s.deadlines).toEqual(
        expect.arrayContaining([{ name: 'jurisdiction-reminder', dueAt: expect.any(String), stage: 'JURISDICTION', source: expect.any(String) }]),
      );
      expect(s.requests).toEqual([expect.objectContaining({ requestId: `${caseId}/preservation`, kind: 'preservation', status: 'PRESERVED' })]);
      const t = await timeline(caseId);
      expect(t.length).toBeGreaterThan(3);
      for (const e of t) expect(Object.keys(e)).toEqual(['at', 'kind', 'stage', 'actor', 'detail']);
      expect(t[0]).toMatchObject({ kind: 'stage', stage: 'INTAKE', actor: 'system:casebridge' });

      const text = await cli(['case', 'status', caseId]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`case      ${caseId}\n`);
      expect(text.stdout).toMatch(/^stage     JURISDICTION since \S+$/m);
      expect(text.stdout).toMatch(/^jurisdiction-reminder +\S+ +CaseBridge: remind the coordinator/m);
      const timelineText = await cli(['case', 'timeline', caseId]);
      expect(timelineText.stdout.split('\n')[0]).toMatch(/^at +stage +kind +actor +detail$/);
    });

    it('rejects inputs that do not fit the stage, bad values and unknown cases — one line, exit 2, nothing changed', async () => {
      const caseId = caseOf(JURISDICTION);
      const before = { timeline: await timeline(caseId), inputs: await inputsIn(caseId) };
      const results = await Promise.all([
        cli(['case', 'amend-reapply', caseId, '--amendment', 'more facts']),
        cli(['case', 'retry', caseId]),
        cli(['case', 'close', caseId, '--reason', 'stuck']),
        cli(['respond', caseId, '--request', 'foreign-evidence-1', '--outcome', 'produced', '--reference', 'EV-1']),
        cli(['respond', caseId, '--request', 'preservation', '--outcome', 'produced', '--reference', 'EV-1']),
        cliAs(LIAISON, ['case', 'resolve-jurisdiction', caseId, '--suspect-country', 'GB']),
        cli(['case', 'resolve-jurisdiction', caseId, '--suspect-country', 'usa']),
        cli(['case', 'resolve-jurisdiction', caseId, '--suspect-country', 'UK']),
        cli(['case', 'note', caseId, '--text', '   ']),
        cli(['case', 'note', caseId, '--text', 'x', '--actor', 'Anyone']),
        cli(['case', 'note', caseId, '--text', 'x', '--as', 'boss']),
        cliAs('nobody', ['case', 'note', caseId, '--text', 'x']),
        cli(['case', 'withdraw', caseId]),
      ]);
      const rejected = (reason: string) => ({ code: 2, stdout: '', stderr: `casebridge: ${reason}\n` });
      expect(results).toEqual([
        rejected(`rejected, nothing changed: case ${caseId} is in stage JURISDICTION: there is no denied or expired warrant to reapply for`),
        rejected(`rejected, nothing changed: case ${caseId} is in stage JURISDICTION: no failed step to retry`),
        rejected(`rejected, nothing changed: case ${caseId} is in stage JURISDICTION, not NEEDS_ATTENTION: to end it, withdraw it with a reason`),
        rejected(`rejected, nothing changed: --request: case ${caseId} has no request ${caseId}/foreign-evidence-1 (open: ${caseId}/preservation)`),
        rejected(
          `case ${caseId} (stage JURISDICTION): rejected, nothing changed: --outcome: 'produced' cannot be recorded on a preservation request (its answers come from the provider's system); it takes no response from a person`,
        ),
        // The API refuses the role before the case hears of it (workflows/access.ts).
        rejected(`case ${caseId}: rejected, nothing changed: role: a coordinator or a manager resolves jurisdiction`),
        rejected('--suspect-country: must be an ISO 3166-1 alpha-2 country code such as US or GB'),
        rejected('--suspect-country: UK is not an ISO 3166-1 alpha-2 country code (did you mean GB?)'),
        rejected('--text: must not be empty'),
        // Who acts is the login, never a flag.
        rejected("unknown option '--actor'"),
        rejected('--as: must be one of coordinator, liaison, manager, analyst'),
        rejected('not logged in, or the login has expired: run `casebridge login NAME`'),
        rejected("required option '--reason <text>' not specified"),
      ]);
      expect(await timeline(caseId)).toEqual(before.timeline);
      expect(await inputsIn(caseId)).toBe(before.inputs);
    });

    it('names an unknown or malformed case id with exit 2, for reads and inputs alike', async () => {
      const unknown = 'case-99999999999';
      const results = await Promise.all([
        cli(['case', 'status', unknown]),
        cli(['case', 'timeline', unknown, '--json']),
        cli(['case', 'note', unknown, '--text', 'x']),
        cli(['respond', unknown, '--request', 'mlat-1', '--outcome', 'acknowledged', '--reference', 'R']),
        cli(['case', 'timeline', 'nope']),
        cli(['case', 'status', 'case-12']),
      ]);
      expect(results).toEqual([
        ...Array(4).fill({ code: 2, stdout: '', stderr: `casebridge: case ${unknown} not found\n` }),
        ...Array(2).fill({ code: 2, stdout: '', stderr: 'casebridge: CASE_ID: must be a case id such as case-190000001\n' }),
      ]);
    });

    it('takes a note and a jurisdiction decision, each recorded with actor and role; the audit trail only grows', async () => {
      const caseId = caseOf(JURISDICTION);
      const before = await timeline(caseId);
      expect(await cli(['case', 'note', caseId, '--text', 'called the provider'])).toEqual({
        code: 0,
        stdout: `${caseId}: note added; now in JURISDICTION, awaiting coordinator\n`,
        stderr: '',
      });
      const decided = await json<CaseStatus>(['case', 'resolve-jurisdiction', caseId, '--suspect-country', 'us', '--reason', 'subscriber records']);
      expect(decided).toMatchObject({ caseId, suspectCountry: 'US' });
      const after = await timeline(caseId);
      expect(after.slice(0, before.length)).toEqual(before);
      // The actor is the logged-in person, in the role the API chose for them.
      for (const e of after.filter((x) => x.actor === COORDINATOR)) expect(e.role).toBe('coordinator');
      expect(after.filter((e) => e.actor === COORDINATOR).map((e) => [e.kind, e.detail])).toEqual([
        ['note', 'called the provider'],
        ['input', 'jurisdiction resolved: suspect in US — subscriber records'],
      ]);
      await until(caseId, (s) => s.stage !== 'JURISDICTION');
    });

    it('withdraws a case; a closed case accepts no more input', async () => {
      const caseId = caseOf(JURISDICTION);
      const r = await cli(['case', 'withdraw', caseId, '--reason', 'duplicate of an open investigation', '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ caseId });
      await waitFor(async () => ((await env!.client.workflow.getHandle(caseId).describe()).status.name === 'COMPLETED' ? true : undefined));
      expect((await status(caseId)).outcome).toBe('WITHDRAWN');
      expect(await cli(['case', 'note', caseId, '--text', 'late'])).toEqual({
        code: 2,
        stdout: '',
        stderr: `casebridge: case ${caseId} is closed (WITHDRAWN) and accepts no more input\n`,
      });
    });

    it('retries a failed step and closes a stuck case as UNRESOLVED', async () => {
      const caseId = await open(STUCK, 'domestic-arrest', 'demo', (t) => (t.simulatorDirectives = ['casebridge-sim:rejectOps=court.applyForArrestWarrant']));
      const stuck = await until(caseId, (s) => s.stage === 'NEEDS_ATTENTION');
      expect(stuck.attention).toMatchObject({ step: 'arrest-warrant' });
      expect(await cli(['case', 'retry', caseId, '--reason', 'the clerk fixed the filing'])).toEqual({
        code: 0,
        stdout: `${caseId}: retry accepted; now in ARREST_WARRANT\n`,
        stderr: '',
      });
      // The court still rejects it: back in NEEDS_ATTENTION, after a second application.
      await waitFor(
        async () =>
          (await timeline(caseId)).filter((e) => e.kind === 'alert' && e.detail.startsWith('arrest-warrant needs attention')).length === 2 ? true : undefined,
        30_000,
      );
      await until(caseId, (s) => s.stage === 'NEEDS_ATTENTION');
      expect((await cli(['case', 'close', caseId, '--reason', 'the court keeps rejecting the filing'])).code).toBe(0);
      expect(await env!.client.workflow.getHandle(caseId).result()).toMatchObject({ outcome: 'UNRESOLVED', reason: 'the court keeps rejecting the filing' });
    });
  });

  describe('liaisons: respond', () => {
    it('records the other side’s answers; responses that do not fit are rejected and change nothing', async () => {
      const caseId = caseOf(ABROAD);
      const s = await until(
        caseId,
        (x) =>
          x.stage === 'CLOUD_ACT_ORDER' && x.requests.some((r) => r.kind === 'cloud-act-order' && r.status === 'SENT') && x.preservation?.state === 'PRESERVED',
      );
      const request = s.requests.find((r) => r.kind === 'cloud-act-order')!;
      expect(request).toMatchObject({ requestId: `${caseId}/cloud-act-order-1`, status: 'SENT', awaiting: 'provider' });
      const before = await timeline(caseId);
      const respond = (...args: string[]) => cli(['respond', caseId, '--request', request.requestId, ...args]);
      const results = await Promise.all([
        respond('--outcome', 'produced'),
        respond('--outcome', 'refused', '--reason', 'too busy'),
        cliAs(COORDINATOR, ['respond', caseId, '--request', request.requestId, '--outcome', 'produced', '--reference', 'R-1']),
        respond('--outcome', 'executed-maybe'),
        respond('--outcome', 'acknowledged', '--reference', 'R-1', '--as', 'coordinator'),
        respond('--outcome', 'executed', '--reference', 'R-1'),
      ]);
      const stage = `case ${caseId} (stage CLOUD_ACT_ORDER): rejected, nothing changed`;
      expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
        [2, '', `casebridge: ${stage}: --reference: 'produced' on a cloud-act-order request needs a reference\n`],
        [
          2,
          '',
          expect.stringMatching(
            new RegExp(
              `^casebridge: ${stage.replace(/[()]/g, '\\$&')}: --reason: 'too busy' is not a ground for 'refused'; one of targets-receiving-country-person, .*\\n$`,
            ),
          ),
        ],
        // Coordinators respond to a child's safeguarding, so the request's machine decides, naming the outcome and the role.
        [2, '', `casebridge: ${stage}: role: a liaison records 'produced' on a cloud-act-order request, not a coordinator\n`],
        [2, '', expect.stringMatching(/^casebridge: --outcome: must be one of .*acknowledged.*\n$/)],
        [2, '', `casebridge: case ${caseId}: rejected, nothing changed: role: your credential does not carry the role coordinator\n`],
        [2, '', `casebridge: ${stage}: --outcome: 'executed' cannot be recorded on a cloud-act-order request; allowed now: produced, refused\n`],
      ]);
      expect(await timeline(caseId)).toEqual(before);

      // The short request id (without the case prefix) names the case's own request.
      const produced = await json<{ request: { requestId: string; status: string; reference: string } }>([
        'respond',
        caseId,
        '--request',
        'cloud-act-order-1',
        '--outcome',
        'produced',
        '--reference',
        'EV-42',
        '--note',
        'via the provider',
      ]);
      expect(produced.request).toMatchObject({ requestId: request.requestId, status: 'PRODUCED', reference: 'EV-42' });
      // The arrest follows; the case runs on in CUSTODY (after the arrest) for the court's events.
      await waitFor(async () => ((await env!.client.workflow.getHandle(caseId).query<CaseStatus>('status')).stage === 'CUSTODY' ? true : undefined), 60_000);
      const responses = (await timeline(caseId)).filter((e) => e.actor === LIAISON);
      expect(responses.map((e) => [e.kind, e.stage, e.detail])).toEqual([
        ['response', 'CLOUD_ACT_ORDER', `${request.requestId}: produced (SENT → PRODUCED) — reference: EV-42; note: via the provider`],
      ]);
      // Answered already: a late response changes nothing.
      const late = await cli(['respond', caseId, '--request', request.requestId, '--outcome', 'refused', '--reason', 'not-serious-crime']);
      expect(late).toMatchObject({ code: 2, stdout: '' });
      expect(late.stderr).toContain('PRODUCED');
      // The coordinator takes it on to its charging outcome once its clocks run: the initial appearance, then the indictment.
      await until(caseId, (x) => x.deadlines.some((d) => d.name === 'indictment'));
      const appeared = await cliAs(COORDINATOR, [
        'case',
        'court-event',
        caseId,
        '--event',
        'initial-appearance',
        '--custody',
        'detained',
        '--detention-hearing',
        'held',
      ]);
      expect(appeared).toMatchObject({ code: 0, stderr: '' });
      await until(caseId, (x) => x.stage === 'CHARGING');
      expect(await cliAs(COORDINATOR, ['case', 'court-event', caseId, '--event', 'indictment', '--reference', 'IND-7'])).toMatchObject({ code: 0, stderr: '' });
      expect(await env!.client.workflow.getHandle(caseId).result()).toMatchObject({ outcome: 'INDICTED' });
    });

    it('lists in --help every outcome a person records and every ground, from the request tables', async () => {
      const help = await cli(['respond', '--help']);
      expect(help.code).toBe(0);
      const machines = Object.entries(REQUEST_MACHINES as Record<string, RequestMachine>);
      let outcomes = 0;
      for (const [kind, m] of machines) {
        for (const t of m.transitions.filter((x) => x.by.some((b) => b !== 'system'))) {
          outcomes++;
          expect(help.stdout).toMatch(new RegExp(`^${kind} +${t.outcome} +${t.from.join('\\|')} +${t.to} `, 'm'));
          for (const ground of t.grounds ?? []) expect(help.stdout).toMatch(new RegExp(`^  ${ground}$`, 'm'));
        }
      }
      expect(outcomes).toBeGreaterThan(0);
    });
  });

  describe('managers’ views (read-only, from visibility)', () => {
    it('filters cases, lists stalled cases most idle first and deadlines soonest first, and sends no case anything', async () => {
      const open1 = await open(30, 'jurisdiction-unresolved', 'standard');
      const abroad = await open(SUSPECT_ABROAD, 'suspect-abroad-extradition', 'demo');
      await until(open1, (s) => s.stage === 'JURISDICTION');
      const extradition = `${abroad}/extradition-1`;
      // The formal request leaves once its document is completed and approved (the document desk's people do it).
      const desk = documentDesk(env!.client, documents!, new Set([abroad]));
      desk.start(250);
      // Settled into waiting for the foreign proceedings (the next reminder is 30 demo-seconds away).
      await until(abroad, (s) => s.stage === 'EXTRADITION' && s.requests.some((r) => r.requestId === extradition && r.status === 'FORMAL_REQUEST_SENT'));
      await desk.stop();
      const inVisibility = async (args: string[], caseId: string) =>
        waitFor(async () => ((await json<{ caseId: string }[]>(args)).some((r) => r.caseId === caseId) ? true : undefined));
      await inVisibility(['cases', '--stage', 'EXTRADITION'], abroad);
      await inVisibility(['cases', '--stage', 'JURISDICTION'], open1);
      const ids = async (args: string[]) => (await json<{ caseId: string }[]>(args)).map((r) => r.caseId);
      const mine = [open1, abroad, caseOf(ABROAD), caseOf(STUCK), caseOf(JURISDICTION)];
      const ours = async (args: string[]) => (await ids(args)).filter((id) => mine.includes(id));

      // Every view lists a child at risk first (abroad's tip flags imminent danger), then by case id.
      expect(await ours(['cases', '--open'])).toEqual([abroad, open1]);
      expect(await ours(['cases', '--closed'])).toEqual([caseOf(JURISDICTION), caseOf(ABROAD), caseOf(STUCK)].sort());
      expect(await ours(['cases', '--country', 'gb'])).toEqual([abroad, caseOf(ABROAD)]);
      expect(await ours(['cases', '--priority', '1'])).toEqual([abroad]);
      expect(await ours(['cases', '--stage', 'JURISDICTION', '--open'])).toEqual([open1]);
      const closed = await json<{ caseId: string; outcome: string; open: boolean }[]>(['cases', '--closed']);
      expect(closed.find((c) => c.caseId === caseOf(STUCK))).toMatchObject({ outcome: 'UNRESOLVED', open: false });

      await new Promise((r) => setTimeout(r, 1_500));
      const stalled = await json<{ caseId: string; idleMs: number; stage: string; awaiting: string; childAtRisk: boolean }[]>(['stalled', '--idle', '1s']);
      // A child at risk first (abroad's tip flags imminent danger), then the most idle: open1 entered its stage first.
      expect(stalled.filter((s) => mine.includes(s.caseId)).map((s) => [s.caseId, s.childAtRisk])).toEqual([
        [abroad, true],
        [open1, false],
      ]);
      const atRiskFirst = stalled.map((s) => s.childAtRisk);
      expect(atRiskFirst).toEqual([...atRiskFirst].sort((a, b) => Number(b) - Number(a)));
      for (const part of [true, false]) {
        const idle = stalled.filter((s) => s.childAtRisk === part).map((s) => s.idleMs);
        expect(idle).toEqual([...idle].sort((a, b) => b - a));
      }
      expect(await ours(['stalled', '--idle', '1s', '--stage', 'EXTRADITION'])).toEqual([abroad]);
      expect(await ours(['stalled', '--idle', '1s', '--awaiting', 'foreign-authority', '--country', 'GB'])).toEqual([abroad]);
      expect(await ours(['stalled', '--idle', '1h'])).toEqual([]);
      expect(await ours(['stalled'])).toEqual([]); // default: idle for more than 30 days

      // open1 (standard profile) is next due to remind its coordinator in 2 days; abroad's deadlines are seconds away.
      const within3d = await json<{ caseId: string; name: string; dueAt: string; childAtRisk: boolean }[]>(['deadlines', '--within', '3d']);
      expect(within3d.find((d) => d.caseId === open1)).toMatchObject({ name: 'jurisdiction-reminder' });
      // A child at risk first (as every view), then soonest first within each part.
      const dueAtRiskFirst = within3d.map((d) => d.childAtRisk);
      expect(dueAtRiskFirst).toEqual([...dueAtRiskFirst].sort((a, b) => Number(b) - Number(a)));
      for (const part of [true, false]) {
        const due = within3d.filter((d) => d.childAtRisk === part).map((d) => d.dueAt);
        expect(due).toEqual([...due].sort());
      }
      expect((await ids(['deadlines', '--within', '1d'])).filter((id) => mine.includes(id))).toEqual([abroad]);

      const text = await cli(['stalled', '--idle', '1s']);
      expect(text.stdout.split('\n')[0]).toMatch(/^case +stage +idle +awaiting +suspect +data +P$/);

      const inputsBefore = [await inputsIn(open1), await inputsIn(abroad)];
      for (const args of [['cases'], ['stalled', '--idle', '1s'], ['deadlines', '--within', '365d']]) expect((await cli(args)).code).toBe(0);
      expect([await inputsIn(open1), await inputsIn(abroad)]).toEqual(inputsBefore);

      // A liaison's response to a request a child workflow runs: the CLI sends it there, the case shows it.
      expect(await cli(['respond', abroad, '--request', 'extradition-1', '--outcome', 'hearing-scheduled', '--note', 'Westminster, 12 January'])).toEqual({
        code: 0,
        stdout: `${abroad}: ${extradition} hearing-scheduled (request now HEARING_SCHEDULED); now in EXTRADITION, awaiting foreign-authority\n`,
        stderr: '',
      });
      const wrong = await cli(['respond', abroad, '--request', 'extradition-1', '--outcome', 'surrendered']);
      expect(wrong).toEqual({
        code: 2,
        stdout: '',
        stderr: `casebridge: case ${abroad} (stage EXTRADITION): rejected, nothing changed: --outcome: request ${extradition} is HEARING_SCHEDULED; 'surrendered' is not allowed in that state (allowed: hearing-scheduled, extradition-ordered, refused)\n`,
      });
      expect((await timeline(abroad)).filter((e) => e.actor === LIAISON).map((e) => [e.stage, e.kind, e.detail])).toEqual([
        ['EXTRADITION', 'response', `${extradition}: hearing-scheduled (FORMAL_REQUEST_SENT → HEARING_SCHEDULED) — note: Westminster, 12 January`],
      ]);
    });

    it('rejects bad filters with exit 2 and one line', async () => {
      const results = await Promise.all([
        cli(['stalled', '--idle', 'soon']),
        cli(['cases', '--open', '--closed']),
        cli(['cases', '--country', 'UK']),
        cli(['cases', '--priority', '4']),
        cli(['cases', '--stage', 'LIMBO']),
        cli(['stalled', '--awaiting', 'nobody']),
        cli(['deadlines', '--within', '-1d']),
      ]);
      expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
        [2, '', 'casebridge: --idle: must be a duration such as 90m, 12h, 30d or 2w\n'],
        [2, '', 'casebridge: --open and --closed exclude each other\n'],
        [2, '', 'casebridge: --country: UK is not an ISO 3166-1 alpha-2 country code (did you mean GB?)\n'],
        [2, '', 'casebridge: --priority: must be 1, 2 or 3\n'],
        [2, '', expect.stringMatching(/^casebridge: --stage: must be one of INTAKE, TRIAGE, .*CLOSED\n$/)],
        [2, '', expect.stringMatching(/^casebridge: --awaiting: must be one of coordinator, .*\n$/)],
        [2, '', 'casebridge: --within: must be a duration such as 90m, 12h, 30d or 2w\n'],
      ]);
    });
  });

  describe('the command line itself', () => {
    it('has --help (and --json) on every command, and exits 2 with one line on an unknown command or a missing subcommand', async () => {
      const commands = [
        ['case', 'start'],
        ['case', 'status'],
        ['case', 'timeline'],
        ['case', 'resolve-jurisdiction'],
        ['case', 'note'],
        ['case', 'withdraw'],
        ['case', 'amend-reapply'],
        ['case', 'retry'],
        ['case', 'close'],
        ['respond'],
        ['cases'],
        ['stalled'],
        ['deadlines'],
      ];
      const helps = await Promise.all(commands.map((c) => cli([...c, '--help'])));
      helps.forEach((r, i) => {
        expect(r).toMatchObject({ code: 0, stderr: '' });
        expect(r.stdout).toContain(`Usage: casebridge ${commands[i].join(' ')} [options]`);
        expect(r.stdout).toContain('--json');
      });
      const top = await cli(['--help']);
      expect(top.code).toBe(0);
      for (const c of ['case', 'respond', 'cases', 'stalled', 'deadlines', 'up', 'worker']) expect(top.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
      expect(await cli(['frobnicate'])).toEqual({ code: 2, stdout: '', stderr: "casebridge: unknown command 'frobnicate'\n" });
      const bare = await cli(['case']);
      expect(bare.code).toBe(2);
      expect(bare.stdout).toBe('');
    });

    it('prints a stack trace only with --debug', async () => {
      const plain = await cli(['case', 'status', 'case-99999999999']);
      expect(plain.stderr.trim().split('\n')).toHaveLength(1);
      const debug = await cli(['case', 'status', 'case-99999999999', '--debug']);
      expect(debug.code).toBe(2);
      const lines = debug.stderr.trim().split('\n');
      expect(lines[0]).toBe('casebridge: case case-99999999999 not found');
      expect(lines.slice(1).some((l) => /^\s+at /.test(l))).toBe(true);
    });

    it('fails with exit 1 and one line when the API cannot be reached', async () => {
      const r = await runCli(['cases'], cliEnv(MANAGER, { CASEBRIDGE_API_URL: 'http://127.0.0.1:1' }));
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^casebridge: cannot reach the CaseBridge API at http:\/\/127\.0\.0\.1:1 \(.*\); is `make up` running, or CASEBRIDGE_API_URL set\?\n$/,
      );
    });
  });
});
