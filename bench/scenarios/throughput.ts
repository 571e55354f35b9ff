/**
 * Throughput: N cases of each path in the `demo` profile (a policy day lasts a second), end to end,
 * beside N bare workflows doing the same Temporal work, in the same run on the same worker.
 *
 * Per path: one case is run first and its history (and its preservation child's) read back; that
 * gives the bare shape (same activities, fired/cancelled timers, updates, signals, child). Then, per
 * N, a batch of N cases and a batch of N bare workflows, in alternating order across paths so load
 * from elsewhere does not always hit the same side. All N of a batch are submitted at once (at most
 * `startConcurrency` starts in flight) and run concurrently. The span runs from the first event of
 * the first workflow to the last event of the last one, children included, on the server's clock;
 * workflow and activity tasks are counted from the histories (WorkflowTaskStarted,
 * ActivityTaskStarted).
 */
import os from 'node:os';
import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { preservationWorkflowId } from '../../workflows/preservation';
import { resolveJurisdiction } from '../../workflows/messages';
import { caseIdFor } from '../../workflows/tip';
import { onActivity } from '../activities';
import { CASE_PATHS, COORDINATOR, benchTip, caseInputBytes, type PathName } from '../cases';
import { queueFor, type BenchEnv } from '../env';
import { cpuMark, cpuSince } from '../cpu';
import { progress, note } from '../progress';
import type { Batch, ThroughputResult, WorkProfile } from '../result';
import { bareShapeOf, familyHistories, profileOf, sumProfiles } from '../shape';
import { mapLimit, ratio } from '../stats';
import { startCase } from '../../client/cases';
import { bareChildId, bareUpdate, bareWorkflow, type BareShape } from '../workflows/bare';

export interface ThroughputOptions {
  paths: readonly PathName[];
  sizes: number[];
  startConcurrency: number;
  /** How many histories are read at once when counting tasks. */
  readConcurrency: number;
  /** Run the paths side by side (tiny only: the figures then mean nothing, the harness is exercised). */
  parallelPaths?: boolean;
}

const TASK_QUEUE = 'bench-throughput';
let bareSeq = 0;

interface Finished {
  id: string;
  failed: string | null;
}

interface Runner {
  /**
   * Starts one workflow (and arms its driver); `finish` resolves when it and its child have closed,
   * or when the workflow failed (`failed` says why: a finding to report, not a reason to stop the run).
   */
  start(): Promise<{ finish(): Promise<Finished> }>;
}

function caseRunner(env: BenchEnv, pathName: PathName): Runner {
  const p = CASE_PATHS[pathName];
  return {
    async start() {
      const tip = benchTip(p.fixture);
      const caseId = caseIdFor(tip.ncmecReportNumber);
      env.systems.setScript(caseId, p.script);
      let resolved: Promise<unknown> = Promise.resolve();
      const off = p.coordinatorResolves
        ? onActivity(caseId, (event) => {
            // The coordinator answers the jurisdiction reminder as soon as it arrives.
            if (event === 'alert:jurisdiction-reminder') {
              resolved = env.client.workflow
                .getHandle(caseId)
                .executeUpdate(resolveJurisdiction, { args: [{ ...COORDINATOR, suspectCountry: 'US', reason: 'bench' }] });
            }
          })
        : () => undefined;
      const { status } = await startCase(env.client, tip, { taskQueue: queueFor(TASK_QUEUE, 'case'), profile: 'demo', homeCountry: 'US' });
      if (status !== 'started') throw new Error(`bench case ${caseId} already existed`);
      return {
        async finish() {
          try {
            const result = await env.client.workflow.getHandle(caseId).result();
            await resolved;
            if (result.outcome !== p.outcome) throw new Error(`bench case ${caseId} closed as ${result.outcome}, expected ${p.outcome}`);
          } catch (err) {
            // A case that fails is counted and reported; its preservation child is left as it stands.
            if (err instanceof WorkflowFailedError) return { id: caseId, failed: `${caseId}: ${err.cause?.message ?? err.message}` };
            throw err;
          } finally {
            off();
          }
          await waitClosed(env.client, preservationWorkflowId(caseId));
          return { id: caseId, failed: null };
        },
      };
    },
  };
}

function bareRunner(env: BenchEnv, shape: BareShape, ballast: string): Runner {
  return {
    async start() {
      const id = `bare-${++bareSeq}`;
      let updated: Promise<unknown> = Promise.resolve();
      // The bare workflow waits for its updates after the first half of its activities.
      const trigger = Math.ceil(shape.activities / 2) - 1;
      const sendUpdates = () => {
        const h = env.client.workflow.getHandle(id);
        updated = (async () => {
          for (let i = 0; i < shape.updates; i++) await h.executeUpdate(bareUpdate, { args: ['bench'] });
        })();
      };
      const off = shape.updates > 0 && trigger >= 0 ? onActivity(id, (event) => event === `noop:${trigger}` && sendUpdates()) : () => undefined;
      const handle = await env.client.workflow.start(bareWorkflow, { workflowId: id, taskQueue: queueFor(TASK_QUEUE, 'bare'), args: [{ shape, ballast }] });
      if (shape.updates > 0 && trigger < 0) sendUpdates();
      return {
        async finish() {
          try {
            await handle.result();
            await updated;
          } finally {
            off();
          }
          if (shape.child) await waitClosed(env.client, bareChildId(id));
          return { id, failed: null };
        },
      };
    },
  };
}

/** Waits for a workflow to close, if it exists (a case that closed at triage has no child). */
async function waitClosed(client: Client, workflowId: string): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).result();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    throw err;
  }
}

async function familyProfile(client: Client, workflowId: string): Promise<WorkProfile> {
  const { parent, children } = await familyHistories(client, workflowId);
  return sumProfiles([profileOf(parent), ...children.map(profileOf)]);
}

async function batch(env: BenchEnv, label: string, n: number, runner: Runner, opts: ThroughputOptions): Promise<{ batch: Batch; first: WorkProfile }> {
  const loadBefore = os.loadavg()[0]!;
  const cpu0 = cpuMark(env.serverPid);
  const bar = progress(label, n);
  // All N are submitted together (at most `startConcurrency` start calls at once) and run concurrently.
  const started = await mapLimit(Array.from({ length: n }), opts.startConcurrency, () => runner.start());
  const finished = await Promise.all(
    started.map(async (s) => {
      const f = await s.finish();
      bar.tick();
      return f;
    }),
  );
  const ids = finished.map((f) => f.id);
  const failures = finished.flatMap((f) => (f.failed ? [f.failed] : []));
  if (failures.length) note(`${label}: ${failures.length} of ${n} failed, first: ${failures[0]}`);
  const cpu = cpuSince(cpu0, env.serverPid);
  const loadAfter = os.loadavg()[0]!;
  bar.done();
  const count = progress(`${label}: reading histories`, n);
  const profiles = await mapLimit(ids, opts.readConcurrency, async (id) => {
    const p = await familyProfile(env.client, id);
    count.tick();
    return p;
  });
  count.done();
  const total = sumProfiles(profiles);
  const spanMs = Math.max(1, total.lastEventAt - total.firstEventAt);
  const batchResult: Batch = {
    workflows: n,
    failed: failures.length,
    failures: failures.slice(0, 5),
    spanMs,
    casesPerSec: round((n * 1000) / spanMs),
    workflowTasks: total.workflowTasks,
    activityTasks: total.activityTasks,
    tasksPerSec: round(((total.workflowTasks + total.activityTasks) * 1000) / spanMs),
    eventsPerCase: round(total.events / n),
    serverCpuMsPerCase: round(cpu.serverMs / n),
    benchCpuMsPerCase: round(cpu.benchMs / n),
    loadBefore: round(loadBefore),
    loadAfter: round(loadAfter),
  };
  return { batch: batchResult, first: profiles[0]! };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Like Promise.all, but waits for every promise before throwing the first error: nothing is left running against a torn-down server. */
async function allOrFirstError<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

export async function throughput(env: BenchEnv, opts: ThroughputOptions): Promise<ThroughputResult> {
  const worker = await env.startWorkers(TASK_QUEUE);
  try {
    // Calibration is not measured: every path's calibrating case runs at once.
    note(`throughput: calibrating ${opts.paths.join(', ')} (one case each)`);
    const calibrated = await allOrFirstError(
      opts.paths.map(async (pathName) => {
        const { id: caseId, failed } = await (await caseRunner(env, pathName).start()).finish();
        if (failed) throw new Error(`throughput: the calibrating case of ${pathName} failed: ${failed}`);
        const fam = await familyHistories(env.client, caseId);
        return {
          shape: bareShapeOf(fam.parent, fam.children[0]),
          ballast: 'x'.repeat(caseInputBytes(CASE_PATHS[pathName].fixture)),
          caseProfile: sumProfiles([profileOf(fam.parent), ...fam.children.map(profileOf)]),
        };
      }),
    );
    const runPath = async (pathName: PathName, i: number): Promise<ThroughputResult['paths'][number]> => {
      const p = CASE_PATHS[pathName];
      const { shape, ballast, caseProfile } = calibrated[i]!;
      const runs: ThroughputResult['paths'][number]['runs'] = [];
      let bareProfile: WorkProfile | undefined;
      for (const n of opts.sizes) {
        const caseFirst = (i + runs.length) % 2 === 0;
        const runCase = () => batch(env, `throughput ${pathName} ×${n} case`, n, caseRunner(env, pathName), opts);
        const runBare = async () => {
          const b = await batch(env, `throughput ${pathName} ×${n} bare`, n, bareRunner(env, shape, ballast), opts);
          bareProfile ??= b.first;
          return b;
        };
        let c: Batch;
        let b: Batch;
        if (caseFirst) {
          c = (await runCase()).batch;
          b = (await runBare()).batch;
        } else {
          b = (await runBare()).batch;
          c = (await runCase()).batch;
        }
        runs.push({ n, order: caseFirst ? 'case-first' : 'bare-first', case: c, bare: b, ratio: ratio(c.casesPerSec, b.casesPerSec) });
      }
      // One bare workflow of the first batch, children included: every one of a batch does the same work.
      return { path: pathName, story: p.story, perCase: { case: caseProfile, bare: bareProfile! }, runs };
    };
    // Side by side only where the plan says so (tiny, to keep CI short): the batches then share the machine.
    const paths = opts.parallelPaths
      ? await allOrFirstError(opts.paths.map((pathName, i) => runPath(pathName, i)))
      : await opts.paths.reduce<Promise<ThroughputResult['paths']>>(async (acc, pathName, i) => [...(await acc), await runPath(pathName, i)], Promise.resolve([]));
    return { profile: 'demo', paths };
  } finally {
    await worker.stop();
  }
}
