/**
 * The managers' stalled-case and deadlines views at growing numbers of open cases, beside the naive
 * way: list every open case and query each one's `status`.
 *
 * The views are the CLI's own functions (`stalledCases`, `dueDeadlines` from
 * client/cli/manager-views.ts), called in-process with the bench's client: the figures are the
 * visibility queries and their handling, without a process start per call. The answer is fixed (see
 * open-cases.ts); every sample checks it, and the naive way must return the very same cases.
 * Samples are paced (`paceMs` apart) to stay under the dev server's per-namespace visibility rate
 * limit, which would otherwise measure the limiter. The naive way queries `naiveConcurrency` cases at
 * a time, served by the population's worker with its default cache (as `make up` runs it).
 */
import type { Client } from '@temporalio/client';
import { dueDeadlines, stalledCases } from '../../client/cli/manager-views';
import { statusQuery, type CaseStatus } from '../../workflows/messages';
import { INSTRUMENTS, scaledMs } from '../../workflows/policy';
import type { BenchEnv } from '../env';
import { progress } from '../progress';
import type { StalledViewResult } from '../result';
import { injectSampleFailure } from '../inject';
import { SampleError, Tally, sample, summarizeSamples } from '../samples';
import { delay, mapLimit, ratio, timed } from '../stats';
import type { Population } from './open-cases';

export interface StalledViewOptions {
  samples: number;
  naiveSamples: number;
  naiveConcurrency: number;
  paceMs: number;
}

type SizeResult = StalledViewResult['sizes'][number];

/** The reminder is a parked case's next deadline: due this long after it entered JURISDICTION. */
const REMINDER_MS = scaledMs(INSTRUMENTS.jurisdiction.reminderAfter.value, 'standard');

function sameIds(ids: string[], expected: Set<string>): boolean {
  return ids.length === expected.size && ids.every((id) => expected.has(id));
}

async function naive(client: Client, cutoff: Date, until: Date, concurrency: number): Promise<{ stalled: string[]; deadlines: string[] }> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'caseWorkflow' AND ExecutionStatus = 'Running'` })) ids.push(wf.workflowId);
  const statuses: CaseStatus[] = await mapLimit(ids, concurrency, (id) => client.workflow.getHandle(id).query(statusQuery));
  const stalled = statuses
    .filter((s) => s.stage !== 'CLOSED' && Date.parse(s.stageEnteredAt) < cutoff.getTime())
    .sort((a, b) => a.stageEnteredAt.localeCompare(b.stageEnteredAt))
    .map((s) => s.caseId);
  const deadlines = statuses
    .filter((s) => s.deadlines[0] && Date.parse(s.deadlines[0].dueAt) <= until.getTime())
    .sort((a, b) => a.deadlines[0].dueAt.localeCompare(b.deadlines[0].dueAt))
    .map((s) => s.caseId);
  return { stalled, deadlines };
}

export async function measureViews(env: BenchEnv, pop: Population, opts: StalledViewOptions, populateMs: number): Promise<SizeResult> {
  const { client } = env;
  const expected = pop.answerIds;
  const until = new Date(pop.cutoff.getTime() + REMINDER_MS);
  const at = `at ${pop.caseIds.length} open cases`;
  // A view call that fails, or returns other cases than the fixed answer, is counted and left out;
  // none is retried (a retry's time is not one call's).
  const failures = { stalled: new Tally(`stalled view ${at}`), deadlines: new Tally(`deadlines view ${at}`), naive: new Tally(`naive ${at}`) };
  const stalledMs: number[] = [];
  const deadlinesMs: number[] = [];
  const bar = progress(`stalled view ${at}`, opts.samples + 1);
  for (let i = 0; i <= opts.samples; i++) {
    // The first pair warms the client and the server's query path: its failures are not counted.
    const warm = i === 0;
    const now = new Date();
    const s = await sample(warm ? new Tally('stalled view (warm-up)') : failures.stalled, `stalled view sample ${i}`, async () => {
      if (!warm) injectSampleFailure('stalled-view', 'stalled');
      const t = await timed(() => stalledCases(client, {}, now.getTime() - pop.cutoff.getTime(), now));
      const ids = t.value.map((r) => r.caseId);
      if (!sameIds(ids, expected)) throw new SampleError(`returned ${ids.length} cases, expected the ${expected.size} opened before the cut-off`);
      return t.ms;
    });
    await delay(opts.paceMs);
    const d = await sample(warm ? new Tally('deadlines view (warm-up)') : failures.deadlines, `deadlines view sample ${i}`, async () => {
      if (!warm) injectSampleFailure('stalled-view', 'deadlines');
      const t = await timed(() => dueDeadlines(client, until.getTime() - now.getTime(), now));
      const ids = t.value.map((r) => r.caseId);
      if (!sameIds(ids, expected)) throw new SampleError(`returned ${ids.length} cases, expected ${expected.size}`);
      return t.ms;
    });
    await delay(opts.paceMs);
    if (!warm && s !== undefined) stalledMs.push(s);
    if (!warm && d !== undefined) deadlinesMs.push(d);
    bar.tick();
  }
  bar.done();

  const naiveMs: number[] = [];
  let agrees = true;
  const nbar = progress(`naive (query each of ${pop.caseIds.length})`, opts.naiveSamples);
  for (let i = 0; i < opts.naiveSamples; i++) {
    // One sweep is one sample: if any of its queries fails, the sweep gave no answer.
    const got = await sample(failures.naive, `naive sweep ${i}`, async () => {
      injectSampleFailure('stalled-view', 'naive');
      return timed(() => naive(client, pop.cutoff, until, opts.naiveConcurrency));
    });
    if (got) {
      agrees &&= sameIds(got.value.stalled, expected) && sameIds(got.value.deadlines, expected);
      naiveMs.push(got.ms);
    }
    nbar.tick();
    await delay(opts.paceMs);
  }
  nbar.done();
  const stalled = summarizeSamples(`the stalled view ${at}`, stalledMs, failures.stalled);
  const deadlines = summarizeSamples(`the deadlines view ${at}`, deadlinesMs, failures.deadlines);
  const naiveLat = summarizeSamples(`the naive sweep ${at}`, naiveMs, failures.naive);
  return {
    openCases: pop.caseIds.length,
    answer: expected.size,
    stalled,
    deadlines,
    naive: naiveLat,
    naiveAgrees: agrees,
    naiveOverStalled: ratio(naiveLat.p50Ms, stalled.p50Ms),
    naiveOverDeadlines: ratio(naiveLat.p50Ms, deadlines.p50Ms),
    populateMs: Math.max(1, Math.round(populateMs)),
    failures: { stalled: failures.stalled.toJSON(), deadlines: failures.deadlines.toJSON(), naive: failures.naive.toJSON() },
  };
}

export function stalledViewResult(sizes: SizeResult[], opts: StalledViewOptions): StalledViewResult {
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  return {
    method:
      `client/cli/manager-views.ts stalledCases/dueDeadlines called in-process (not the CLI process), ${opts.samples} samples each, ${opts.paceMs} ms apart; ` +
      `naive = list open cases + status query each (${opts.naiveConcurrency} at a time), ${opts.naiveSamples} samples; a failed call or sweep (or a wrong answer) is counted, left out and not retried`,
    sizes,
    stalledGrowth: ratio(last.stalled.p50Ms, first.stalled.p50Ms),
    deadlinesGrowth: ratio(last.deadlines.p50Ms, first.deadlines.p50Ms),
  };
}
