/**
 * A time-skipping server, a worker running the real workflows and activities over simulated
 * systems, and helpers to open cases from the fixture tips. One per test (`beforeEach`), so one
 * test's time skipping never affects another's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createDocumentPort } from '../../activities/documents';
import { DocumentService } from '../../documents';
import { DEMONSTRATION_AGENCY } from '../../documents/agency';
import { loadTemplates } from '../../documents/settings';
import { FileDocumentStore } from '../../platform/store/documents';
import type { TemplateSet } from '../../documents/templates';
import { documentDesk, type DocumentDesk } from './document-desk';
import { createSimulatedSystems, type CaseScript, type SimulatedSystems } from '../../activities/simulators';
import { startCase } from '../../client/cases';
import { caseWorkflow } from '../../workflows/case';
import { closeWhileSafeguarding, closingWaitsForSafeguarding, statusQuery, timelineQuery, type CaseStatus, type TimelineEntry } from '../../workflows/messages';
import { TipSchema, type Tip, type TipInput } from '../../workflows/tip';
import type { DeploymentPolicy } from '../../workflows/policy/deployment';
import { startTimeSkipping, workflowBundle } from '../harness/servers';
import { answered } from '../harness/answered';

export const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'tips');

export function fixtureTip(name: string, overrides: (t: TipInput) => void = () => {}): Tip {
  const raw = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as TipInput;
  overrides(raw);
  return TipSchema.parse(raw);
}

let reportCounter = 0;
/** A fresh report number per case so cases in one file never collide. */
export function uniqueReport(): string {
  reportCounter++;
  return String(700_000_000 + process.pid * 1000 + reportCounter).slice(0, 12);
}

export interface CaseEnv {
  env: TestWorkflowEnvironment;
  systems: SimulatedSystems;
  /** The worker's document generator and store (a temporary folder, unencrypted: tests read it back). */
  documents: DocumentService;
  documentsDir: string;
  /** The people who complete and approve the documents requests wait for (off with `documentDesk: false`). */
  desk: DocumentDesk;
  /**
   * `afterArrest`: the case runs on after the arrest to its charging outcome (CUSTODY, CHARGING), as every
   * case through the API does. Without it the case closes at the arrest (ARRESTED, EXTRADITED), as the
   * tests of the path up to the arrest expect (the start option endAtArrest).
   */
  open(
    tip: Tip,
    script?: CaseScript,
    opts?: { continueAsNewAfterEvents?: number; homeCountry?: string; afterArrest?: boolean; unit?: string; referralUnit?: string },
  ): Promise<WorkflowHandle<typeof caseWorkflow>>;
  status(h: WorkflowHandle): Promise<CaseStatus>;
  skip(ms: number): Promise<void>;
  /**
   * Skips time a day at a time until the case closes, then returns its result. `whileSafeguarding`: when
   * the case waits to close because a child's safeguarding is open, a coordinator lets it close with
   * this reason (the safeguarding goes on beside it).
   */
  finish(h: WorkflowHandle<typeof caseWorkflow>, opts?: { whileSafeguarding?: string }): Promise<Awaited<ReturnType<typeof caseWorkflow>>>;
  timeline(h: WorkflowHandle): Promise<TimelineEntry[]>;
  teardown(): Promise<void>;
}

export const TASK_QUEUE = 'case-tests';

let templates: TemplateSet | undefined;

/**
 * `policy`: the deployment's own values (none by default, as on a deployment that set none); `documentDesk: false` for tests of
 * approval, `'case-requests'` for tests of a child workflow's approval (the case's own papers are approved as usual).
 */
export async function startCaseEnv(opts: { policy?: DeploymentPolicy; documentDesk?: boolean | 'case-requests' } = {}): Promise<CaseEnv> {
  const env = await startTimeSkipping();
  const systems = createSimulatedSystems({ seed: 'tests' });
  const documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-case-documents-'));
  templates ??= loadTemplates(undefined, DEMONSTRATION_AGENCY);
  const documents = new DocumentService({ store: new FileDocumentStore(documentsDir, undefined), templates, agency: DEMONSTRATION_AGENCY });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: workflowBundle(),
    activities: createActivities(systems, { documents: createDocumentPort(documents), ...(opts.policy ? { policy: opts.policy } : {}) }),
  });
  const running = worker.run();
  const opened = new Set<string>();
  // 'case-requests': the desk approves only what the case's own requests wait for (tests of an MLAT's or an extradition's approval).
  const desk = documentDesk(env.client, documents, opened, opts.documentDesk === 'case-requests' ? (r) => r.workflowId === undefined : undefined);
  const deskOn = opts.documentDesk !== false;
  if (deskOn) desk.start();
  // The Java test server 1.40.0 sometimes keeps a time-skipping lock after an update (time then
  // passes in real time). A skip that has not returned after 15 s of wall time lifts that lock. Not
  // sooner: on a loaded machine a skip legitimately waits seconds for workflow tasks in flight, and
  // lifting a lock a task holds lets time jump under it (its task expires, its timers fire weeks late).
  const STUCK_AFTER_MS = 15_000;
  const skip = async (ms: number): Promise<void> => {
    // What waits for a person at the document desk is done before time moves on.
    if (deskOn) await desk.pass();
    const slept = env.sleep(ms);
    let timer: NodeJS.Timeout | undefined;
    const stuck = await Promise.race([slept.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STUCK_AFTER_MS)))]);
    clearTimeout(timer);
    // The lock can be kept more than once: after forty updates across a continue-as-new, 3 skips in 16 tries
    // still waited a day of wall time after one unlock. Lift one more every few seconds until the skip
    // returns; an unlock with no lock kept is refused by the server, which changes nothing.
    for (let lift = 0; stuck && lift < 20; lift++) {
      await answered(env.client, () => env.connection.testService!.unlockTimeSkipping({})).catch(() => undefined);
      const done = await Promise.race([slept.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 3_000)))]);
      clearTimeout(timer);
      if (done) return;
    }
    // Twenty lifts and still waiting: nothing more to lift, the skip returns when the server says.
    if (stuck) await slept;
  };
  return {
    env,
    systems,
    documents,
    documentsDir,
    desk,
    async open(tip, script = {}, opts = {}) {
      const caseId = `case-${tip.ncmecReportNumber}`;
      opened.add(caseId);
      systems.setScript(caseId, script);
      // A referral disseminated to a force: the force's case (a child) runs on the same script, its papers at the desk.
      if (opts.referralUnit) {
        opened.add(`${caseId}-force`);
        systems.setScript(`${caseId}-force`, script);
      }
      if (opts.continueAsNewAfterEvents) {
        await env.client.workflow.start(caseWorkflow, {
          workflowId: caseId,
          taskQueue: TASK_QUEUE,
          args: [
            {
              caseId,
              tip,
              profile: 'standard',
              homeCountry: opts.homeCountry ?? 'US',
              ...(opts.continueAsNewAfterEvents ? { continueAsNewAfterEvents: opts.continueAsNewAfterEvents } : {}),
              ...(opts.afterArrest ? {} : { endAtArrest: true }),
            },
          ],
        });
      } else {
        const started = await startCase(env.client, tip, {
          taskQueue: TASK_QUEUE,
          ...(opts.homeCountry ? { homeCountry: opts.homeCountry } : {}),
          ...(opts.unit ? { unit: opts.unit } : {}),
          ...(opts.referralUnit ? { referralUnit: opts.referralUnit } : {}),
          ...(opts.afterArrest ? {} : { endAtArrest: true }),
        });
        expect(started).toEqual({ caseId, status: 'started' });
      }
      return env.client.workflow.getHandle<typeof caseWorkflow>(caseId);
    },
    status: (h) => answered(env.client, () => h.query(statusQuery)),
    skip: (ms) => skip(ms),
    async finish(h, opts = {}) {
      let reasonGiven = false;
      for (let day = 0; day < 400; day++) {
        if ((await answered(env.client, () => h.describe())).status.name !== 'RUNNING') return h.result();
        if (opts.whileSafeguarding && !reasonGiven) {
          const s = await answered(env.client, () => h.query(statusQuery));
          if (s.awaiting === 'coordinator' && closingWaitsForSafeguarding(s)) {
            await h.executeUpdate(closeWhileSafeguarding, { args: [{ actor: 'A. Coordinator', role: 'coordinator', reason: opts.whileSafeguarding }] });
            reasonGiven = true;
            continue;
          }
        }
        await skip(DAY);
      }
      const s = await answered(env.client, () => h.query(statusQuery));
      const waiting = s.requests.filter((r) => r.pendingApproval).map((r) => `${r.kind} awaits approval of ${r.pendingApproval!.documentId}`);
      throw new Error(
        `case ${h.workflowId} did not close within 400 simulated days: stage ${s.stage}${s.attention ? ` (${s.attention.step}: ${s.attention.reason})` : ''}, awaiting ${s.awaiting ?? 'nobody'}; ${waiting.join('; ') || 'no document waits'}`,
      );
    },
    timeline: (h) => answered(env.client, () => h.query(timelineQuery)),
    async teardown() {
      await desk.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await env.teardown();
      fs.rmSync(documentsDir, { recursive: true, force: true });
    },
  };
}

/** The stages the case entered, in order, read from its timeline. */
export function stageSequence(timeline: TimelineEntry[]): string[] {
  return timeline.filter((e) => e.kind === 'stage' && e.detail.startsWith('entered ')).map((e) => e.detail.split(/[ ;]/)[1]);
}

export const DAY = 86_400_000;
