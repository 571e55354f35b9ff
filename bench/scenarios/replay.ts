/**
 * Replay: how long a worker takes to rebuild a long case from its history (what it does after an
 * eviction, a restart, or a query on an uncached case), beside a bare history of the same length.
 *
 * The long case is a real one in the `demo` profile: it waits for a jurisdiction while coordinators
 * add notes (each note an update: five events), its reminder and escalation fire, it is resolved and
 * runs to arrest. The bare history is a trivial workflow taking updates of the same payload size
 * until it has as many events. Both are replayed `repeats` times by one replay worker each
 * (Worker.runReplayHistories); the first replay (which includes creating the replay worker) is left
 * out, the others are timed one by one.
 */
import { Worker } from '@temporalio/worker';
import { caseBridgeDataConverter } from '../../platform/connection';
import { addNote, resolveJurisdiction } from '../../workflows/messages';
import { CASE_PATHS, COORDINATOR, openCase } from '../cases';
import { queueFor, type BenchEnv, type Kind } from '../env';
import { progress } from '../progress';
import type { ReplayResult } from '../result';
import { injectSampleFailure } from '../inject';
import { SampleError, Tally, required, sample, summarizeSamples } from '../samples';
import { ratio } from '../stats';
import { bareRelease, bareRoundTripWorkflow, bareSet } from '../workflows/bare';
import { preservationWorkflowId } from '../../workflows/preservation';

export interface ReplayOptions {
  /** Events the long case should reach (stay below 4,096, where Temporal suggests continue-as-new). */
  targetEvents: number;
  repeats: number;
}

const TASK_QUEUE = 'bench-replay';
/** Writing the histories is not timed: a failed update (with its fixed id) is retried. */
const RETRY = { retries: 2 };
/** A note a coordinator might write (no personal data), the size of a short paragraph. */
const NOTE = 'Called the provider’s law-enforcement desk; they confirmed receipt and expect to answer within the week. '.repeat(2);

type History = Awaited<ReturnType<ReturnType<BenchEnv['client']['workflow']['getHandle']>['fetchHistory']>>;

/** Times each replay after the first; a replay that fails is counted and left out (never retried: a replay is deterministic). */
async function timeReplays(env: BenchEnv, kind: Kind, history: History, repeats: number, label: string): Promise<{ times: number[]; failures: Tally }> {
  const bar = progress(label, repeats + 1);
  const failures = new Tally(label);
  const histories = Array.from({ length: repeats + 1 }, (_, i) => ({ workflowId: `replay-${label}-${i}`, history }));
  const times: number[] = [];
  let last = process.hrtime.bigint();
  let i = 0;
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { code: env.bundles[kind].code }, dataConverter: caseBridgeDataConverter() },
    histories,
  )) {
    const now = process.hrtime.bigint();
    const ms = Number(now - last) / 1e6;
    if (i > 0) {
      const timedMs = await sample(failures, `replay ${i}`, async () => {
        injectSampleFailure('replay', kind);
        if (result.error) throw new SampleError(`replay failed after ${Math.round(ms)} ms: ${result.error.message}`);
        return ms;
      });
      if (timedMs !== undefined) times.push(timedMs);
    }
    last = now;
    i++;
    bar.tick();
  }
  bar.done();
  return { times, failures };
}

export async function replay(env: BenchEnv, opts: ReplayOptions): Promise<ReplayResult> {
  const worker = await env.startWorkers(TASK_QUEUE);
  let caseHistory: History;
  let bareHistory: History;
  const setup = new Tally('replay: writing the histories');
  try {
    const { client } = env;
    const caseId = await openCase(client, env.systems, CASE_PATHS.jurisdiction, { taskQueue: queueFor(TASK_QUEUE, 'case'), profile: 'demo' });
    const h = client.workflow.getHandle(caseId);
    // Resolving, the rest of the path, closing and the preservation child add about 100 events.
    const notes = Math.max(1, Math.floor((opts.targetEvents - 100) / 5));
    const bar = progress('replay: writing a long case (notes)', notes);
    for (let i = 0; i < notes; i++) {
      // A fixed update id: a retried note is applied once (the server deduplicates it), so the retry is honest.
      await required(setup, `note ${i}`, () => h.executeUpdate(addNote, { updateId: `bench-note-${i}`, args: [{ ...COORDINATOR, text: NOTE }] }), RETRY);
      bar.tick();
    }
    bar.done();
    await required(
      setup,
      'resolve-jurisdiction',
      () => h.executeUpdate(resolveJurisdiction, { updateId: 'bench-resolve', args: [{ ...COORDINATOR, suspectCountry: 'US', reason: 'bench replay' }] }),
      RETRY,
    );
    const result = await h.result();
    if (result.outcome !== 'ARRESTED') throw new Error(`long case closed as ${result.outcome}`);
    await client.workflow.getHandle(preservationWorkflowId(caseId)).result();
    caseHistory = await h.fetchHistory();
    const events = caseHistory.events?.length ?? 0;

    const bare = await client.workflow.start(bareRoundTripWorkflow, { workflowId: 'bare-replay', taskQueue: queueFor(TASK_QUEUE, 'bare'), args: [] });
    let bareUpdates = 0;
    const bareBar = progress('replay: writing a bare history of the same length', events);
    for (;;) {
      const { historyLength } = await bare.describe();
      bareBar.set(historyLength);
      // Each update adds five events; the release and completion add about five more.
      const left = events - historyLength - 5;
      if (left <= 0) break;
      for (let i = 0; i < Math.max(1, Math.floor(left / 5)); i++, bareUpdates++) {
        const id = `bench-set-${bareUpdates}`;
        await required(setup, `bare update ${bareUpdates}`, () => bare.executeUpdate(bareSet, { updateId: id, args: [NOTE] }), RETRY);
      }
    }
    await bare.signal(bareRelease);
    await bare.result();
    bareBar.done();
    bareHistory = await bare.fetchHistory();
  } finally {
    await worker.stop();
  }
  const caseRuns = await timeReplays(env, 'case', caseHistory, opts.repeats, 'replay: case');
  const bareRuns = await timeReplays(env, 'bare', bareHistory, opts.repeats, 'replay: bare');
  const c = summarizeSamples('the replay of the long case', caseRuns.times, caseRuns.failures);
  const b = summarizeSamples('the replay of the bare history', bareRuns.times, bareRuns.failures);
  return {
    method: `Worker.runReplayHistories, ${opts.repeats} timed replays of each history (after one untimed), each with its own bundle; a failed replay is counted and left out`,
    case: { events: caseHistory.events?.length ?? 0, replay: c, failures: caseRuns.failures.toJSON() },
    bare: { events: bareHistory.events?.length ?? 0, replay: b, failures: bareRuns.failures.toJSON() },
    ratioP50: ratio(c.p50Ms, b.p50Ms),
    setup: setup.toJSON(),
  };
}
