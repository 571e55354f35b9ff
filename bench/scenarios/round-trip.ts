/**
 * A liaison's round trip: from sending a `respond` update to seeing the request's new state in the
 * case's `status`, beside a bare update on a trivial workflow followed by a bare query.
 *
 * Which request and which outcome are read from the product at run time, not written here, so the
 * scenario keeps working as request kinds change: a sample tip whose data is held abroad (any fixture
 * with a non-US `dataCountry`) is opened, and the first request in its `status` that waits for the
 * liaison is answered with an outcome `allowedOutcomes(request, 'liaison')` offers (preferring one that
 * leaves the request open, so the case stays parked), carrying what `checkResponse` says it needs.
 * The response goes where the product sends it (the request's own workflow when a child runs it, else
 * the case); the round trip ends when the case's `status` shows the request in the state the
 * request's machine says the outcome leads to (a child-run request reaches the case by a signal, so
 * `status` is read until it does).
 *
 * Each sample uses a fresh case parked on that request (standard profile: nothing else happens to it
 * meanwhile) and a fresh trivial workflow; samples alternate between the two sides and are spaced out
 * so the case's continuation after the response does not overlap the next sample.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { PROJECT_ROOT } from '../../platform/config';
import { respond, statusQuery, type CaseStatus, type RequestSummary, type Respond } from '../../workflows/messages';
import { preservationWorkflowId } from '../../workflows/preservation';
import { allowedOutcomes, checkResponse, isTerminal, machineFor, targetOf } from '../../workflows/requests/machines';
import { type CasePath, openCase } from '../cases';
import { queueFor, type BenchEnv } from '../env';
import { note, progress } from '../progress';
import type { RoundTripResult } from '../result';
import { injectSampleFailure } from '../inject';
import { SampleError, Tally, sample, summarizeSamples } from '../samples';
import { delay, mapLimit, pollUntil, ratio, summarize, timed } from '../stats';
import { bareRelease, bareRoundTripWorkflow, bareSet, bareValueQuery } from '../workflows/bare';

export interface RoundTripOptions {
  samples: number;
  gapMs: number;
}

const TASK_QUEUE = 'bench-round-trip';
const LIAISON = { actor: 'Bench Liaison', role: 'liaison' as const };
/** Evidence abroad is preserved by the foreign 24/7 contact and the provider: the case reaches its request. */
const SCRIPT = { preservation: 'preserve' as const, foreignPreservation: 'preserve' as const };
/** Setup polls that failed (asked again; only shown on stderr). */
const setupPolls = new Tally('round trip: setup');
/** How long a probe case may take to show a request waiting for the liaison (standard profile: no timer is due that soon). */
const PARK_TIMEOUT_MS = 60_000;

/** Sample tips whose data is held outside the US, `*foreign*` ones first. */
export function dataAbroadFixtures(dir = path.join(PROJECT_ROOT, 'test', 'fixtures', 'tips')): string[] {
  const abroad = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.some(abroad);
    if (v === null || typeof v !== 'object') return false;
    return Object.entries(v).some(([k, x]) => (k === 'dataCountry' && typeof x === 'string' && x !== 'US') || abroad(x));
  };
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => abroad(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))))
    .map((f) => f.slice(0, -'.json'.length))
    .sort((a, b) => Number(b.includes('foreign')) - Number(a.includes('foreign')) || a.localeCompare(b));
}

/**
 * The request a liaison answers now: one waiting for the liaison if there is one, else one whose
 * other side (a provider abroad, a foreign authority) answers through the liaison, i.e. any open
 * request on which `allowedOutcomes(request, 'liaison')` offers an outcome.
 */
function liaisonRequest(s: CaseStatus): RequestSummary | undefined {
  const answerable = s.requests.filter((r) => !isTerminal(r.kind, r.status) && allowedOutcomes(r, 'liaison').length > 0);
  return answerable.find((r) => r.awaiting === 'liaison') ?? answerable[0];
}

/** The response a liaison records on `r`, and the status it leads to, as the request's machine says. */
export function liaisonResponse(r: RequestSummary, reference: string): { input: Respond; expected: string; description: string } {
  const machine = machineFor(r.kind)!;
  const outcomes = allowedOutcomes(r, 'liaison');
  const transitionOf = (o: string) => machine.transitions.find((t) => t.outcome === o && t.from.includes(r.status) && t.by.includes('liaison'))!;
  // An outcome that keeps the request open leaves the case parked: the next samples' cases are alike.
  const outcome = outcomes.find((o) => !machine.terminal.includes(transitionOf(o).to)) ?? outcomes[0];
  const t = transitionOf(outcome);
  const reason = t.requires?.includes('reason') ? (t.grounds?.[0] ?? 'bench') : undefined;
  const input: Respond = {
    ...LIAISON,
    requestId: r.requestId,
    outcome,
    ...(t.requires?.includes('reference') ? { reference } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
  const checked = checkResponse(r, input);
  if (!checked.ok) throw new Error(`bench: the response chosen for ${r.kind} is not acceptable: ${checked.reason}`);
  const expected = targetOf(checked.transition, reason);
  return {
    input,
    expected,
    description: `respond (liaison): ${r.kind} ${r.status} → '${outcome}' → ${expected}${r.workflowId ? ' (sent to the request’s own workflow)' : ''}`,
  };
}

async function parkedRequest(client: Client, caseId: string): Promise<RequestSummary> {
  return pollUntil(
    `case ${caseId} to wait for a liaison`,
    async () => {
      // Setup: a status the server failed to give is asked again on the next poll.
      const s = await sample(setupPolls, `status of ${caseId}`, () => client.workflow.getHandle(caseId).query(statusQuery));
      if (!s) return undefined;
      if (s.stage === 'CLOSED') throw new Error(`case ${caseId} closed (${s.outcome}) before waiting for a liaison`);
      return liaisonRequest(s);
    },
    { everyMs: 200, timeoutMs: PARK_TIMEOUT_MS },
  );
}

/**
 * A path to a case waiting for its liaison: one probe case per data-abroad fixture, opened together;
 * the first to wait on a request a liaison answers wins (in fixture order among those ready at once).
 */
async function findLiaisonPath(env: BenchEnv): Promise<{ path: CasePath; probeId: string }> {
  const fixtures = dataAbroadFixtures();
  if (fixtures.length === 0) throw new Error('no sample tip in test/fixtures/tips holds its data outside the US');
  const probes = await Promise.all(
    fixtures.map(async (fixture) => {
      const p: CasePath = { fixture, script: SCRIPT, coordinatorResolves: false, outcome: '', story: '' };
      return { path: p, id: await openCase(env.client, env.systems, p, { taskQueue: queueFor(TASK_QUEUE, 'case'), profile: 'standard' }) };
    }),
  );
  let winner: (typeof probes)[number] | undefined;
  try {
    winner = await pollUntil(
      'a sample tip with data abroad to wait on a request a liaison answers',
      async () => {
        const ready = [];
        for (const probe of probes) {
          const s = await sample(setupPolls, `status of ${probe.id}`, () => env.client.workflow.getHandle(probe.id).query(statusQuery));
          const r = s && liaisonRequest(s);
          if (r) ready.push({ probe, liaison: r.awaiting === 'liaison' });
        }
        return (ready.find((x) => x.liaison) ?? ready[0])?.probe;
      },
      { everyMs: 200, timeoutMs: PARK_TIMEOUT_MS },
    );
    return { path: winner.path, probeId: winner.id };
  } finally {
    await Promise.all(probes.filter((x) => x !== winner).map((x) => terminateCase(env.client, x.id)));
  }
}

async function terminateCase(client: Client, caseId: string, also: string[] = []): Promise<void> {
  for (const wid of [...also, caseId, preservationWorkflowId(caseId)]) {
    await client.workflow
      .getHandle(wid)
      .terminate('bench round trip done')
      .catch(() => undefined);
  }
}

export async function roundTrip(env: BenchEnv, opts: RoundTripOptions): Promise<RoundTripResult> {
  const worker = await env.startWorkers(TASK_QUEUE);
  const { client } = env;
  const caseIds: string[] = [];
  const requestWorkflows: string[] = [];
  try {
    const { path: p, probeId } = await findLiaisonPath(env);
    note(`round trip: ${p.fixture} waits for its liaison`);
    // The probe case is the first (warm-up) sample; one spare of each side warms the path.
    const n = opts.samples + 1;
    const prep = progress('round trip: parking cases and trivial workflows', 2 * n);
    prep.tick();
    caseIds.push(
      probeId,
      ...(await mapLimit(Array.from({ length: n - 1 }), 10, async () => {
        const id = await openCase(client, env.systems, p, { taskQueue: queueFor(TASK_QUEUE, 'case'), profile: 'standard' });
        await parkedRequest(client, id);
        prep.tick();
        return id;
      })),
    );
    const bareIds = await mapLimit(Array.from({ length: n }), 10, async (_, i) => {
      const h = await client.workflow.start(bareRoundTripWorkflow, { workflowId: `bare-rt-${i}`, taskQueue: queueFor(TASK_QUEUE, 'bare'), args: [] });
      await h.query(bareValueQuery); // its first workflow task has run: it waits, as the case does
      prep.tick();
      return h.workflowId;
    });
    prep.done();

    let update = '';
    const samples = {
      case: [] as number[],
      bare: [] as number[],
      caseUpdate: [] as number[],
      caseQuery: [] as number[],
      bareUpdate: [] as number[],
      bareQuery: [] as number[],
    };
    const sampleCase = async (id: string, i: number) => {
      const h = client.workflow.getHandle(id);
      // Read before the clock starts: a liaison answers what the case shows them.
      const r = liaisonRequest(await h.query(statusQuery));
      if (!r) throw new SampleError(`case ${id} no longer waits for a liaison`);
      if (r.workflowId) requestWorkflows.push(r.workflowId);
      const { input, expected, description } = liaisonResponse(r, `BENCH-${i}`);
      update ||= description;
      const target = client.workflow.getHandle(r.workflowId ?? id);
      if (i > 0) injectSampleFailure('round-trip', 'case');
      const u = await timed(() => target.executeUpdate(respond, { args: [input] }));
      // Read `status` until the request shows its new state (at once when the case runs the request).
      const q = await timed(async () => {
        for (let reads = 0; ; reads++) {
          const s = await h.query(statusQuery);
          if (s.requests.find((x) => x.requestId === r.requestId)?.status === expected) return;
          if (reads > 500) throw new SampleError(`case ${id}: status never showed ${r.requestId} as ${expected}`);
          if (reads >= 3) await delay(5);
        }
      });
      return [u.ms, q.ms] as const;
    };
    const sampleBare = async (id: string, i: number) => {
      const h = client.workflow.getHandle(id);
      if (i > 0) injectSampleFailure('round-trip', 'bare');
      const u = await timed(() => h.executeUpdate(bareSet, { args: [`value-${i}`] }));
      const q = await timed(() => h.query(bareValueQuery));
      if (q.value !== `value-${i}`) throw new SampleError(`bare ${id}: query does not show the update`);
      return [u.ms, q.ms] as const;
    };

    // A failed round trip is counted and left out, never retried: a retry's time is not one round
    // trip's, and a failed update may still have changed the case (the next sample has its own).
    const failures = { case: new Tally('round trip (case)'), bare: new Tally('round trip (bare)') };
    const warmUp = new Tally('round trip (warm-up)');
    const bar = progress('round trip: samples', n);
    for (let i = 0; i < n; i++) {
      const order = i % 2 === 0 ? (['case', 'bare'] as const) : (['bare', 'case'] as const);
      for (const side of order) {
        const run = () => (side === 'case' ? sampleCase(caseIds[i], i) : sampleBare(bareIds[i], i));
        const got = await sample(i > 0 ? failures[side] : warmUp, `${side} sample ${i}`, run);
        if (got && i > 0) {
          const [updateMs, queryMs] = got;
          samples[side].push(updateMs + queryMs);
          samples[side === 'case' ? 'caseUpdate' : 'bareUpdate'].push(updateMs);
          samples[side === 'case' ? 'caseQuery' : 'bareQuery'].push(queryMs);
        }
        await delay(opts.gapMs);
      }
      bar.tick();
    }
    bar.done(failures.case.failed + failures.bare.failed ? `failed: ${failures.case.failed} case, ${failures.bare.failed} bare` : undefined);
    await mapLimit(bareIds, 10, (id) => client.workflow.getHandle(id).signal(bareRelease));

    const c = summarizeSamples('the round trip (case)', samples.case, failures.case);
    const b = summarizeSamples('the round trip (bare)', samples.bare, failures.bare);
    return {
      update: `${update} (tip ${p.fixture})`,
      method: `executeUpdate(respond) then status until it shows the request's new state, in-process client, ${opts.samples} samples per side alternating, ${opts.gapMs} ms apart; fresh parked case / fresh trivial workflow per sample; a failed sample is counted, left out and not retried`,
      case: c,
      bare: b,
      parts: {
        caseUpdate: summarize(samples.caseUpdate),
        caseQuery: summarize(samples.caseQuery),
        bareUpdate: summarize(samples.bareUpdate),
        bareQuery: summarize(samples.bareQuery),
      },
      ratioP50: ratio(c.p50Ms, b.p50Ms),
      ratioP95: ratio(c.p95Ms, b.p95Ms),
      failures: { case: failures.case.toJSON(), bare: failures.bare.toJSON() },
    };
  } finally {
    // The sampled cases would otherwise stay open and show up in the managers' views measured later.
    await mapLimit(caseIds, 10, (id) =>
      terminateCase(
        client,
        id,
        requestWorkflows.filter((w) => w.startsWith(id)),
      ),
    );
    await worker.stop();
  }
}
