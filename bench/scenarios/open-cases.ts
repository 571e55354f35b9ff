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
import { queueFor, type BenchEnv, type RunningWorker } from '../env';
import { CASE_PATHS, caseInputBytes, openCase } from '../cases';
import { progress, note } from '../progress';
import { bareShapeOf, familyHistories } from '../shape';
import { delay, mapLimit } from '../stats';
import { bareWorkflow, type BareShape } from '../workflows/bare';

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

async function count(env: BenchEnv, query: string): Promise<number> {
  return (await env.client.workflow.count(query)).count;
}

/**
 * Waits until visibility shows `expected` workflows for `query` and the population worker has
 * nothing in flight. Gives up only when nothing moves for `stallMs` (never on a total time).
 */
async function settle(env: BenchEnv, pop: Population, label: string, query: string, expected: number, stallMs = 300_000): Promise<void> {
  const bar = progress(label, expected);
  let last = -1;
  let lastChange = Date.now();
  let idleSince = 0;
  for (;;) {
    const n = await count(env, query);
    bar.set(n);
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    }
    const idle = !pop.worker || pop.worker.inFlight() === 0;
    if (n >= expected && idle) {
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
    const id = await openCase(env.client, env.systems, CASE_PATHS.jurisdiction, { taskQueue: queueFor(OPEN_TASK_QUEUE, 'case'), profile: 'standard' }, PARKED_SCRIPT);
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
    const fam = await familyHistories(env.client, pop.caseIds[0]!);
    // Parked waiting for the coordinator: the bare one waits for an update that never comes.
    pop.bareShape = { ...bareShapeOf(fam.parent, fam.children[0]), updates: 1 };
  }
  const shape = pop.bareShape;
  const ballast = 'x'.repeat(caseInputBytes(CASE_PATHS.jurisdiction.fixture));
  const more = target - pop.bareIds.length;
  if (more <= 0) return;
  const from = pop.bareIds.length;
  const bar = progress(`bare parked: to ${target}`, more);
  const ids = await mapLimit(Array.from({ length: more }), opts.startConcurrency, async (_, i) => {
    const h = await env.client.workflow.start(bareWorkflow, { workflowId: `bare-open-${from + i}`, taskQueue: queueFor(OPEN_TASK_QUEUE, 'bare'), args: [{ shape, ballast }] });
    bar.tick();
    return h.workflowId;
  });
  bar.done();
  pop.bareIds.push(...ids);
  // Parent and child both run until the end of the bench.
  await settle(env, pop, `bare parked: ${target}`, RUNNING_BARE, 2 * target);
}
