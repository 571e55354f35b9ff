/**
 * A human input's round trip: from sending the update to seeing the new state in `status`, beside
 * a bare update on a trivial workflow followed by a bare query.
 *
 * The case's input is `resolveJurisdiction`, the coordinator's update the CLI sends
 * (`casebridge case resolve-jurisdiction`): the liaisons' `respond` update arrives with the
 * cross-border stages and does not exist yet; it takes the same path (validator, handler, durable
 * acceptance, status) and will be measured here once it does. Each sample uses a fresh case parked in
 * JURISDICTION (standard profile: nothing else happens to it meanwhile) and a fresh trivial workflow;
 * samples alternate between the two sides and are spaced out, so the case's continuation (it moves
 * on to file review and the warrant after the input) does not overlap the next sample.
 */
import { queueFor, type BenchEnv } from '../env';
import { CASE_PATHS, COORDINATOR, openCase } from '../cases';
import { progress } from '../progress';
import type { RoundTripResult } from '../result';
import { delay, mapLimit, pollUntil, ratio, summarize, timed } from '../stats';
import { resolveJurisdiction, statusQuery } from '../../workflows/messages';
import { preservationWorkflowId } from '../../workflows/preservation';
import { bareRelease, bareRoundTripWorkflow, bareSet, bareValueQuery } from '../workflows/bare';

export interface RoundTripOptions {
  samples: number;
  gapMs: number;
}

const TASK_QUEUE = 'bench-round-trip';

export async function roundTrip(env: BenchEnv, opts: RoundTripOptions): Promise<RoundTripResult> {
  const worker = await env.startWorkers(TASK_QUEUE);
  try {
    const { client } = env;
    // One spare of each warms the path (first-use costs in the client, the worker and the server).
    const n = opts.samples + 1;
    const prep = progress('round trip: parking cases and trivial workflows', 2 * n);
    const caseIds = await mapLimit(Array.from({ length: n }), 10, async () => {
      const id = await openCase(client, env.systems, CASE_PATHS.jurisdiction, { taskQueue: queueFor(TASK_QUEUE, 'case'), profile: 'standard' });
      await pollUntil(`case ${id} to wait in JURISDICTION`, async () => ((await client.workflow.getHandle(id).query(statusQuery)).stage === 'JURISDICTION' ? true : undefined), {
        everyMs: 200,
      });
      prep.tick();
      return id;
    });
    const bareIds = await mapLimit(Array.from({ length: n }), 10, async (_, i) => {
      const h = await client.workflow.start(bareRoundTripWorkflow, { workflowId: `bare-rt-${i}`, taskQueue: queueFor(TASK_QUEUE, 'bare'), args: [] });
      await h.query(bareValueQuery); // its first workflow task has run: it waits, as the case does
      prep.tick();
      return h.workflowId;
    });
    prep.done();

    const samples = { case: [] as number[], bare: [] as number[], caseUpdate: [] as number[], caseQuery: [] as number[], bareUpdate: [] as number[], bareQuery: [] as number[] };
    const sampleCase = async (id: string) => {
      const h = client.workflow.getHandle(id);
      const u = await timed(() => h.executeUpdate(resolveJurisdiction, { args: [{ ...COORDINATOR, suspectCountry: 'US', reason: 'bench round trip' }] }));
      const q = await timed(() => h.query(statusQuery));
      if (q.value.suspectCountry !== 'US') throw new Error(`case ${id}: status does not show the resolved jurisdiction`);
      return [u.ms, q.ms] as const;
    };
    const sampleBare = async (id: string, i: number) => {
      const h = client.workflow.getHandle(id);
      const u = await timed(() => h.executeUpdate(bareSet, { args: [`value-${i}`] }));
      const q = await timed(() => h.query(bareValueQuery));
      if (q.value !== `value-${i}`) throw new Error(`bare ${id}: query does not show the update`);
      return [u.ms, q.ms] as const;
    };

    const bar = progress('round trip: samples', n);
    for (let i = 0; i < n; i++) {
      const order = i % 2 === 0 ? (['case', 'bare'] as const) : (['bare', 'case'] as const);
      for (const side of order) {
        const [updateMs, queryMs] = side === 'case' ? await sampleCase(caseIds[i]!) : await sampleBare(bareIds[i]!, i);
        if (i > 0) {
          samples[side].push(updateMs + queryMs);
          samples[side === 'case' ? 'caseUpdate' : 'bareUpdate'].push(updateMs);
          samples[side === 'case' ? 'caseQuery' : 'bareQuery'].push(queryMs);
        }
        await delay(opts.gapMs);
      }
      bar.tick();
    }
    bar.done();
    await mapLimit(bareIds, 10, (id) => client.workflow.getHandle(id).signal(bareRelease));
    // The sampled cases would otherwise stay open and show up in the managers' views measured later.
    await mapLimit(caseIds, 10, async (id) => {
      for (const wid of [id, preservationWorkflowId(id)]) {
        await client.workflow.getHandle(wid).terminate('bench round trip done').catch(() => undefined);
      }
    });

    const c = summarize(samples.case);
    const b = summarize(samples.bare);
    return {
      update: 'resolveJurisdiction (coordinator); `respond` does not exist yet',
      method: `executeUpdate then query, in-process client, ${opts.samples} samples per side alternating, ${opts.gapMs} ms apart; fresh parked case / fresh trivial workflow per sample`,
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
    };
  } finally {
    await worker.stop();
  }
}
