/**
 * A time-skipping server, a worker running the real workflows and activities over simulated
 * systems, and helpers to open cases from the fixture tips. One per test (`beforeEach`), so one
 * test's time skipping never affects another's.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createSimulatedSystems, type CaseScript, type SimulatedSystems } from '../../activities/simulators';
import { startCase } from '../../client/cases';
import { caseWorkflow } from '../../workflows/case';
import { statusQuery, timelineQuery, type CaseStatus, type TimelineEntry } from '../../workflows/messages';
import { TipSchema, type Tip, type TipInput } from '../../workflows/tip';
import { startTimeSkipping, workflowBundle } from '../harness/servers';

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
  open(tip: Tip, script?: CaseScript, opts?: { continueAsNewAfterEvents?: number }): Promise<WorkflowHandle<typeof caseWorkflow>>;
  status(h: WorkflowHandle): Promise<CaseStatus>;
  skip(ms: number): Promise<void>;
  /** Skips time a day at a time until the case closes, then returns its result. */
  finish(h: WorkflowHandle<typeof caseWorkflow>): Promise<Awaited<ReturnType<typeof caseWorkflow>>>;
  timeline(h: WorkflowHandle): Promise<TimelineEntry[]>;
  teardown(): Promise<void>;
}

export const TASK_QUEUE = 'case-tests';

export async function startCaseEnv(): Promise<CaseEnv> {
  const env = await startTimeSkipping();
  const systems = createSimulatedSystems({ seed: 'tests' });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: workflowBundle(),
    activities: createActivities(systems),
  });
  const running = worker.run();
  // The Java test server 1.40.0 sometimes keeps a time-skipping lock after an update (time then
  // passes in real time). A skip that has not returned after 2 s of wall time lifts that lock.
  const skip = async (ms: number): Promise<void> => {
    const slept = env.sleep(ms);
    let timer: NodeJS.Timeout | undefined;
    const stuck = await Promise.race([
      slept.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 2_000))),
    ]);
    clearTimeout(timer);
    if (stuck) {
      await env.connection.testService!.unlockTimeSkipping({});
      await slept;
    }
  };
  return {
    env,
    systems,
    async open(tip, script = {}, opts = {}) {
      const caseId = `case-${tip.ncmecReportNumber}`;
      systems.setScript(caseId, script);
      if (opts.continueAsNewAfterEvents) {
        await env.client.workflow.start(caseWorkflow, {
          workflowId: caseId,
          taskQueue: TASK_QUEUE,
          args: [{ caseId, tip, profile: 'standard', homeCountry: 'US', continueAsNewAfterEvents: opts.continueAsNewAfterEvents }],
        });
      } else {
        const started = await startCase(env.client, tip, { taskQueue: TASK_QUEUE });
        expect(started).toEqual({ caseId, status: 'started' });
      }
      return env.client.workflow.getHandle<typeof caseWorkflow>(caseId);
    },
    status: (h) => h.query(statusQuery),
    skip: (ms) => skip(ms),
    async finish(h) {
      for (let day = 0; day < 400; day++) {
        if ((await h.describe()).status.name !== 'RUNNING') return h.result();
        await skip(DAY);
      }
      throw new Error(`case ${h.workflowId} did not close within 400 simulated days`);
    },
    timeline: (h) => h.query(timelineQuery),
    async teardown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** The stages the case entered, in order, read from its timeline. */
export function stageSequence(timeline: TimelineEntry[]): string[] {
  return timeline.filter((e) => e.kind === 'stage' && e.detail.startsWith('entered ')).map((e) => e.detail.split(/[ ;]/)[1]!);
}

export const DAY = 86_400_000;
