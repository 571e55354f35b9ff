/**
 * Throughput: N cases of each path in the `demo` profile (a policy day lasts a second), end to end,
 * beside N bare workflows doing the same Temporal work, in the same run on the same worker.
 *
 * Per path: one case is run first and its history (and its children's: preservation, safeguarding,
 * an MLAT) read back; that gives the bare shape (same activities, fired/cancelled timers, updates,
 * signals, children). On a cross-border path the bench's liaison (bench/liaison.ts) records the
 * answers from abroad with `respond`; those updates are in the histories, so the bare twin gets as many. Then, per
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
import { resolveJurisdiction, respond } from '../../workflows/messages';
import { caseIdFor } from '../../workflows/tip';
import { onActivity } from '../activities';
import { CASE_PATHS, COORDINATOR, benchTip, caseInputBytes, type PathName } from '../cases';
import { queueFor, type BenchEnv, type Kind } from '../env';
import { cpuMark, cpuSince } from '../cpu';
import { progress, note } from '../progress';
import type { Batch, ThroughputResult, WorkProfile } from '../result';
import { bareShapeOf, childIds, familyHistories, profileOf, sumProfiles } from '../shape';
import { injectSampleFailure, injectStop } from '../inject';
import { answerAsLiaison } from '../liaison';
import { SampleError, Tally, describeError, isSampleFailure, required } from '../samples';
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
  /** Null when the workflow never started. */
  id: string | null;
  failed: string | null;
  /** What the bench's liaison recorded on the case's requests (cross-border paths), as `<kind> <outcome>`. */
  liaison?: string[];
}

/** A failed workflow's reason: the workflow's own failure, or what the server answered. */
function failureText(err: unknown): string {
  return err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : describeError(err);
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
      const off =
        p.coordinatorResolves || p.closesWhileSafeguarding
          ? onActivity(caseId, (event) => {
              // The coordinator answers the jurisdiction reminder as soon as it arrives.
              if (event === 'alert:jurisdiction-reminder') {
                resolved = env.client.workflow
                  .getHandle(caseId)
                  .executeUpdate(resolveJurisdiction, { args: [{ ...COORDINATOR, suspectCountry: 'US', reason: 'bench' }] });
              }
              // A flagged case waits to close while its child's safeguarding is open: the coordinator closes the safeguarding
              // (its workflow ends, so no reminders outlive the case to load later batches), and the case closes.
              if (event === 'alert:closing-waits-for-safeguarding') {
                const requestId = `${caseId}/safeguarding-1`;
                resolved = env.client.workflow
                  .getHandle(requestId)
                  .executeUpdate(respond, { args: [{ ...COORDINATOR, requestId, outcome: 'closed', reason: 'bench: no child at risk' }] });
              }
            })
          : () => undefined;
      const { status } = await startCase(env.client, tip, {
        taskQueue: queueFor(TASK_QUEUE, 'case'),
        profile: 'demo',
        homeCountry: p.homeCountry ?? 'US',
        endAtArrest: true,
      });
      if (status !== 'started') throw new Error(`bench case ${caseId} already existed`);
      // A cross-border case waits for the answers from abroad: the liaison records them as they become possible.
      const liaison = p.liaison ? answerAsLiaison(env.client, caseId, p.liaison) : undefined;
      return {
        async finish() {
          try {
            const result = await env.client.workflow
              .getHandle(caseId)
              .result()
              .finally(() => liaison?.stop());
            await resolved;
            await liaison?.done;
            if (liaison && !liaison.complete())
              throw new SampleError(`closed before the liaison recorded everything; recorded: ${liaison.recorded().join(', ') || 'nothing'}`);
            if (result.outcome !== p.outcome) throw new SampleError(`closed as ${result.outcome}, expected ${p.outcome}`);
            await waitClosed(env.client, preservationWorkflowId(caseId));
            for (const id of liaison?.requestWorkflows() ?? []) await waitClosed(env.client, id);
          } catch (err) {
            // A case that fails (or its driver's update, or the wait for it) is counted and reported;
            // its preservation child is left as it stands.
            if (isSampleFailure(err)) return { id: caseId, failed: `${caseId}: ${failureText(err)}` };
            throw err;
          } finally {
            off();
          }
          return { id: caseId, failed: null, ...(liaison ? { liaison: liaison.recorded() } : {}) };
        },
      };
    },
  };
}

/**
 * Sends a bare workflow the updates its shape waits for, once it waits (after the first half of its
 * activities), as people send them to the case and to its child: a child the case's people answered
 * (a safeguarding) waits for its updates as the parent does.
 */
function driveUpdates(env: BenchEnv, workflowId: string, shape: BareShape): { started(): void; off(): void; sent(): Promise<unknown> } {
  let sent: Promise<unknown> = Promise.resolve();
  const trigger = Math.ceil(shape.activities / 2) - 1;
  const send = () => {
    const h = env.client.workflow.getHandle(workflowId);
    sent = (async () => {
      for (let i = 0; i < shape.updates; i++) await h.executeUpdate(bareUpdate, { args: ['bench'] });
    })();
  };
  const off = trigger >= 0 ? onActivity(workflowId, (event) => event === `noop:${trigger}` && send()) : () => undefined;
  return { started: () => void (trigger < 0 && send()), off, sent: () => sent };
}

function bareRunner(env: BenchEnv, shape: BareShape, ballast: string): Runner {
  return {
    async start() {
      const id = `bare-${++bareSeq}`;
      const children = (shape.children ?? []).map((child, i) => ({ id: bareChildId(id, i), shape: child }));
      const family = [{ id, shape }, ...children];
      const drivers = family.filter((w) => w.shape.updates > 0).map((w) => driveUpdates(env, w.id, w.shape));
      const handle = await env.client.workflow.start(bareWorkflow, { workflowId: id, taskQueue: queueFor(TASK_QUEUE, 'bare'), args: [{ shape, ballast }] });
      for (const d of drivers) d.started();
      return {
        async finish() {
          try {
            await handle.result();
            await Promise.all(drivers.map((d) => d.sent()));
            for (const child of children) await waitClosed(env.client, child.id);
          } catch (err) {
            if (isSampleFailure(err)) return { id, failed: `${id}: ${failureText(err)}` };
            throw err;
          } finally {
            for (const d of drivers) d.off();
          }
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

async function batch(
  env: BenchEnv,
  kind: Kind,
  label: string,
  n: number,
  runner: Runner,
  opts: ThroughputOptions,
): Promise<{ batch: Batch; first: WorkProfile }> {
  const loadBefore = os.loadavg()[0];
  const cpu0 = cpuMark(env.serverPid);
  const bar = progress(label, n);
  // All N are submitted together (at most `startConcurrency` start calls at once) and run concurrently.
  const started = await mapLimit(Array.from({ length: n }), opts.startConcurrency, async () => {
    try {
      return await runner.start();
    } catch (err) {
      // Not retried: a start made later would not be one of the N submitted at once.
      if (!isSampleFailure(err)) throw err;
      return { finish: async (): Promise<Finished> => ({ id: null, failed: `start: ${failureText(err)}` }) };
    }
  });
  const finished = await Promise.all(
    started.map(async (s): Promise<Finished> => {
      const f = await s.finish();
      bar.tick();
      try {
        injectSampleFailure('throughput', kind);
      } catch (err) {
        return { ...f, failed: f.failed ?? `${f.id}: ${describeError(err)}` };
      }
      return f;
    }),
  );
  const ids = finished.flatMap((f) => (f.id ? [f.id] : []));
  if (ids.length === 0) throw new Error(`${label}: every workflow of the batch failed; first: ${finished[0]?.failed}`);
  const failures = finished.flatMap((f) => (f.failed ? [f.failed] : []));
  if (failures.length) note(`${label}: ${failures.length} of ${n} failed, first: ${failures[0]}`);
  const cpu = cpuSince(cpu0, env.serverPid);
  const loadAfter = os.loadavg()[0];
  bar.done();
  const count = progress(`${label}: reading histories`, n);
  const reads = new Tally(`${label}: reading histories`);
  const profiles = await mapLimit(ids, opts.readConcurrency, async (id) => {
    // Reading a history back is not timed: a failed read is retried.
    const p = await required(reads, `history of ${id}`, () => familyProfile(env.client, id), { retries: 2 });
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
  return { batch: batchResult, first: profiles[0] };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Like Promise.all, but waits for every promise before throwing the first error: nothing is left running against a torn-down server. */
async function allOrFirstError<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** `onPath` receives the result so far each time a path is measured, so a later failure cannot take it away. */
export async function throughput(
  env: BenchEnv,
  opts: ThroughputOptions,
  onPath: (partial: ThroughputResult) => void = () => undefined,
): Promise<ThroughputResult> {
  const worker = await env.startWorkers(TASK_QUEUE);
  try {
    // Calibration is not measured: every path's calibrating case runs at once.
    note(`throughput: calibrating ${opts.paths.join(', ')} (one case each)`);
    const calibrated = await allOrFirstError(
      opts.paths.map(async (pathName) => {
        // Calibration is not measured: a calibrating case that fails is replaced by another (twice).
        const calibration = new Tally(`throughput: calibrating ${pathName}`);
        let recorded: string[] | undefined;
        const caseId = await required(
          calibration,
          `the calibrating case of ${pathName}`,
          async () => {
            const { id, failed, liaison } = await (await caseRunner(env, pathName).start()).finish();
            if (failed || !id) throw new SampleError(failed ?? 'never started');
            recorded = liaison;
            // Every child closed before its history is read: a safeguarding child still sending its last
            // change to the case would be copied as one awaiting a release, one signal more than the case.
            for (const child of childIds(await env.client.workflow.getHandle(id).fetchHistory())) await waitClosed(env.client, child);
            return id;
          },
          { retries: 2 },
        );
        const fam = await required(calibration, `the calibrating case's histories (${pathName})`, () => familyHistories(env.client, caseId), {
          retries: 2,
        });
        return {
          shape: bareShapeOf(fam.parent, fam.children),
          ballast: 'x'.repeat(caseInputBytes(CASE_PATHS[pathName].fixture, CASE_PATHS[pathName].homeCountry)),
          caseProfile: sumProfiles([profileOf(fam.parent), ...fam.children.map(profileOf)]),
          liaison: recorded,
        };
      }),
    );
    const runPath = async (pathName: PathName, i: number): Promise<ThroughputResult['paths'][number]> => {
      const p = CASE_PATHS[pathName];
      const { shape, ballast, caseProfile, liaison } = calibrated[i];
      const runs: ThroughputResult['paths'][number]['runs'] = [];
      let bareProfile: WorkProfile | undefined;
      for (const n of opts.sizes) {
        const caseFirst = (i + runs.length) % 2 === 0;
        const runCase = () => batch(env, 'case', `throughput ${pathName} ×${n} case`, n, caseRunner(env, pathName), opts);
        const runBare = async () => {
          const b = await batch(env, 'bare', `throughput ${pathName} ×${n} bare`, n, bareRunner(env, shape, ballast), opts);
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
      return { path: pathName, story: p.story, perCase: { case: caseProfile, bare: bareProfile! }, ...(liaison ? { liaison } : {}), runs };
    };
    const done: ThroughputResult['paths'] = [];
    const measured = async (pathName: PathName, i: number) => {
      const r = await runPath(pathName, i);
      done.push(r);
      onPath({ profile: 'demo', paths: [...done] });
      injectStop('throughput', done.length);
      return r;
    };
    // Side by side only where the plan says so (tiny, to keep CI short): the batches then share the machine.
    const paths = opts.parallelPaths
      ? await allOrFirstError(opts.paths.map((pathName, i) => measured(pathName, i)))
      : await opts.paths.reduce<Promise<ThroughputResult['paths']>>(
          async (acc, pathName, i) => [...(await acc), await measured(pathName, i)],
          Promise.resolve([]),
        );
    return { profile: 'demo', paths };
  } finally {
    await worker.stop();
  }
}
