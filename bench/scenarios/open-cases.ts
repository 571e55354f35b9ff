/**
 * A population of open cases for the stalled-case view and the worker-memory scenarios: real cases
 * (standard profile) parked in JURISDICTION, each with its preservation child parked on its
 * renewal timer, exactly as an unresolved case sits for days. It grows in place (1,000, then 10,000),
 * started in parallel batches.
 *
 * The first `answer` cases are opened before a cut-off time and all later ones after it, so "stalled
 * since before the cut-off" and "next deadline due before the cut-off plus the reminder interval"
 * return exactly those `answer` cases at every population size: the answer stays fixed while the
 * number of open cases grows, which is what "its cost grows with the answer, not with the number
 * of cases" needs.
 *
 * Beside it, for the memory scenario, bare workflows doing the same work up to the same point and
 * parked the same way (waiting for an update that never comes; the child waiting for a release).
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { queueFor, type BenchEnv, type RunningWorker } from '../env';
import { CASE_PATHS, caseInputBytes, openCase } from '../cases';
import { progress, note } from '../progress';
import { bareShapeOf, familyHistories } from '../shape';
import { delay, mapLimit } from '../stats';
import { preservationWorkflowId } from '../../workflows/preservation';
import { Tally, required, sample } from '../samples';
import { bareChildId, bareStateQuery, bareWorkflow, type BareShape } from '../workflows/bare';

export const OPEN_TASK_QUEUE = 'bench-open';
const PARKED_SCRIPT = { suspectCountry: null, preservation: 'preserve' as const };

export interface Population {
  caseIds: string[];
  /** The cases opened before the cut-off: the fixed answer of the stalled and deadlines views. */
  answerIds: Set<string>;
  cutoff: Date;
  bareIds: string[];
  bareShape: BareShape | null;
  /** The worker serving the population (stopped while a memory worker process serves it). */
  worker: RunningWorker | null;
}

export function emptyPopulation(): Population {
  return { caseIds: [], answerIds: new Set(), cutoff: new Date(0), bareIds: [], bareShape: null, worker: null };
}

export async function ensureWorker(env: BenchEnv, pop: Population): Promise<void> {
  pop.worker ??= await env.startWorkers(OPEN_TASK_QUEUE);
}

export async function stopWorker(pop: Population): Promise<void> {
  await pop.worker?.stop();
  pop.worker = null;
}

/** A visibility count, or undefined when the server failed to answer (a poll simply asks again). */
async function count(env: BenchEnv, query: string, tally: Tally): Promise<number | undefined> {
  return (await sample(tally, `count ${query}`, () => env.client.workflow.count(query)))?.count;
}

/**
 * Waits until visibility shows `expected` workflows for `query` and the population worker has
 * nothing in flight. Gives up only when nothing moves for `stallMs` (never on a total time).
 */
async function settle(env: BenchEnv, pop: Population, label: string, query: string, expected: number, stallMs = 300_000): Promise<void> {
  const bar = progress(label, expected);
  const polls = new Tally(label);
  let last = -1;
  let lastChange = Date.now();
  let idleSince = 0;
  for (;;) {
    const answered = await count(env, query, polls);
    const n = answered ?? last;
    bar.set(n);
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    }
    const idle = !pop.worker || pop.worker.inFlight() === 0;
    if (answered !== undefined && n >= expected && idle) {
      idleSince ||= Date.now();
      if (Date.now() - idleSince >= 500) break;
    } else {
      idleSince = 0;
    }
    if (Date.now() - lastChange > stallMs) throw new Error(`${label}: stuck at ${n} of ${expected}`);
    await delay(200);
  }
  bar.done();
}

const PARKED_CASES = `WorkflowType = 'caseWorkflow' AND ExecutionStatus = 'Running' AND CaseStage = 'JURISDICTION'`;
const RUNNING_BARE = `WorkflowType = 'bareWorkflow' AND ExecutionStatus = 'Running'`;

async function openParked(env: BenchEnv, n: number, concurrency: number, label: string): Promise<string[]> {
  const bar = progress(label, n);
  const ids = await mapLimit(Array.from({ length: n }), concurrency, async () => {
    const id = await openCase(
      env.client,
      env.systems,
      CASE_PATHS.jurisdiction,
      { taskQueue: queueFor(OPEN_TASK_QUEUE, 'case'), profile: 'standard' },
      PARKED_SCRIPT,
    );
    bar.tick();
    return id;
  });
  bar.done();
  return ids;
}

/** Grows the population to `target` open cases (the first call also opens the fixed answer). */
export async function growCases(env: BenchEnv, pop: Population, target: number, opts: { answer: number; startConcurrency: number }): Promise<void> {
  await ensureWorker(env, pop);
  if (pop.caseIds.length === 0) {
    const first = await openParked(env, opts.answer, opts.startConcurrency, `open cases: the ${opts.answer} stalled ones`);
    await settle(env, pop, 'open cases: parked', PARKED_CASES, opts.answer);
    first.forEach((id) => pop.answerIds.add(id));
    pop.caseIds.push(...first);
    // Every later case enters JURISDICTION after the cut-off.
    pop.cutoff = new Date(Date.now() + 500);
    await delay(1_000);
  }
  const more = target - pop.caseIds.length;
  if (more <= 0) return;
  note(`open cases: opening ${more} more (to ${target})`);
  pop.caseIds.push(...(await openParked(env, more, opts.startConcurrency, `open cases: to ${target}`)));
  await settle(env, pop, `open cases: ${target} parked`, PARKED_CASES, target);
}

/** Grows the bare population to `target`, shaped like a parked case (and its child) up to the point it parks. */
export async function growBare(env: BenchEnv, pop: Population, target: number, opts: { startConcurrency: number }): Promise<void> {
  await ensureWorker(env, pop);
  if (!pop.bareShape) {
    const fam = await familyHistories(env.client, pop.caseIds[0]);
    // The population is counted, queried and quiesced in pairs (bench/scenarios/memory.ts too).
    if (fam.children.length !== 1)
      throw new Error(`open cases: a parked case has ${fam.children.length} children, the bare pairs expect its preservation alone`);
    // Parked waiting for the coordinator: the bare one waits for an update that never comes.
    pop.bareShape = { ...bareShapeOf(fam.parent, fam.children), updates: 1 };
  }
  const shape = pop.bareShape;
  const ballast = 'x'.repeat(caseInputBytes(CASE_PATHS.jurisdiction.fixture));
  const more = target - pop.bareIds.length;
  if (more <= 0) return;
  const from = pop.bareIds.length;
  const bar = progress(`bare parked: to ${target}`, more);
  const starts = new Tally('bare parked: starting');
  const ids = await mapLimit(Array.from({ length: more }), opts.startConcurrency, async (_, i) => {
    const workflowId = `bare-open-${from + i}`;
    let attempt = 0;
    // Setup: a start the server failed to answer is retried; on a retry, "already started" is that start.
    await required(
      starts,
      `starting ${workflowId}`,
      async () => {
        attempt++;
        try {
          await env.client.workflow.start(bareWorkflow, { workflowId, taskQueue: queueFor(OPEN_TASK_QUEUE, 'bare'), args: [{ shape, ballast }] });
        } catch (err) {
          if (!(attempt > 1 && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      },
      { retries: 2 },
    );
    bar.tick();
    return workflowId;
  });
  bar.done();
  pop.bareIds.push(...ids);
  // Parent and child both run until the end of the bench: both are Running from the moment they start.
  await settle(env, pop, `bare started: ${target}`, RUNNING_BARE, 2 * target);
  // Started is not parked: on a loaded server a bare workflow can be Running for minutes before its
  // first task runs (the memory scenario of a small run once found 707 of 2,000 still moving). Each
  // pair is asked where it stands, the child first: a child waiting for its release has delivered
  // its reports, and a query to the parent then waits for any task those reports caused.
  await parkBare(env, ids);
}

/** Waits until every bare pair in `ids` is parked (the parent waiting for its update, the child for its release). */
async function parkBare(env: BenchEnv, ids: string[], stallMs = 300_000): Promise<void> {
  const bar = progress(`bare parked: ${ids.length} pairs`, ids.length);
  // Not a sample: a query that fails here only means "ask again".
  const tally = new Tally('bare parked');
  let waiting = ids;
  let lastChange = Date.now();
  for (;;) {
    const parked = await mapLimit(waiting, 16, async (id) => {
      const child = await sample(tally, `state of ${bareChildId(id, 0)}`, () => env.client.workflow.getHandle(bareChildId(id, 0)).query(bareStateQuery));
      if (child?.phase !== 'awaiting-release') return false;
      const parent = await sample(tally, `state of ${id}`, () => env.client.workflow.getHandle(id).query(bareStateQuery));
      return parent?.phase === 'awaiting-update';
    });
    const still = waiting.filter((_, i) => !parked[i]);
    bar.set(ids.length - still.length);
    if (still.length === 0) break;
    if (still.length < waiting.length) lastChange = Date.now();
    if (Date.now() - lastChange > stallMs) throw new Error(`bare parked: ${still.length} of ${ids.length} pairs never parked (first: ${still[0]})`);
    waiting = still;
    await delay(1_000);
  }
  bar.done();
}

/**
 * Waits until no workflow of the population has a workflow task or an activity pending, on two
 * sweeps in a row with no history growing between them: what the memory scenario needs before it
 * stops the population's worker. A task left pending would move to the stopped worker's sticky
 * queue, wait out its schedule-to-start timeout there (10 s), then wait on the normal queue for the
 * memory worker, and a query to that workflow waits behind it (the dev server gives up on a query
 * after 30 s: `query timed out before a worker could process it`).
 */
export async function quiesce(env: BenchEnv, pop: Population, stallMs = 300_000): Promise<void> {
  const ids = [...pop.caseIds.flatMap((id) => [id, preservationWorkflowId(id)]), ...pop.bareIds.flatMap((id) => [id, bareChildId(id, 0)])];
  const tally = new Tally('quiesce');
  let previous = new Map<string, number>();
  const started = Date.now();
  let lastChange = Date.now();
  let lastBusy = -1;
  for (let sweep = 1; ; sweep++) {
    const lengths = new Map<string, number>();
    let busy = 0;
    await mapLimit(ids, 16, async (id) => {
      const d = await sample(tally, `describe ${id}`, () => env.client.workflow.getHandle(id).describe());
      if (!d) return void busy++;
      lengths.set(id, d.historyLength);
      if (d.raw.pendingWorkflowTask || (d.raw.pendingActivities?.length ?? 0) > 0) busy++;
    });
    const grew = [...lengths].filter(([id, n]) => previous.get(id) !== n).length;
    if (busy === 0 && grew === 0) {
      if (sweep > 2) note(`open cases: the population was still moving; quiet after ${sweep} sweeps (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      return;
    }
    if (busy !== lastBusy) lastChange = Date.now();
    lastBusy = busy;
    if (Date.now() - lastChange > stallMs) throw new Error(`open cases: ${busy} of ${ids.length} workflows still have pending work after ${sweep} sweeps`);
    previous = lengths;
    if (busy > 0) await delay(1_000);
  }
}
