/**
 * `make bench-api`: what the API's door costs, beside Temporal alone in the same run.
 *
 *   node dist/bench/api.js [--samples N] [--seconds S] [--concurrency C]
 *
 * On a fresh embedded dev server with the bench's workers, the API runs as its own process (as
 * `make up` runs it), with the local issuer and a liaison logged in. Measured:
 * - an authenticated `respond` through the API (HTTP POST → token verified, role and unit checked,
 *   one update to the case, audit line fsynced) — p50/p95 — beside the same `respond` update sent
 *   straight to Temporal (the baseline of issue 12's ≤ 1.2×: what the door adds to the same update),
 *   and a bare update on a trivial workflow (what the case adds). The API side is measured twice: on a
 *   case the API process read before (a liaison answering from the case's page: its unit is cached)
 *   and on its first touch of the case (the unit read from Temporal first, one more round trip);
 * - how many `status` reads per second the API sustains at C in flight for S seconds, beside the same
 *   query straight to Temporal.
 * Each respond sample answers a fresh case parked on a foreign-evidence request (SENT →
 * ACKNOWLEDGED); samples alternate between the three sides. Figures print; nothing fails on a time.
 */
import { parseFlags } from './args';
import { z } from 'zod';
import { startCase } from '../client/cases';
import { BENCH_UNIT, startBenchDoor, writeBenchResult } from './api-door';
import { respond, statusQuery } from '../workflows/messages';
import { caseIdFor } from '../workflows/tip';
import { benchTip } from './cases';
import { queueFor, startBenchEnv } from './env';
import { note } from './progress';
import { mapLimit, pollUntil, ratio, summarize, timed } from './stats';
import { bareRoundTripWorkflow, bareSet, bareValueQuery } from './workflows/bare';

const ArgsSchema = z.object({
  samples: z.coerce.number().int().min(3).max(1000).default(30),
  seconds: z.coerce.number().int().min(1).max(120).default(10),
  concurrency: z.coerce.number().int().min(1).max(256).default(16),
});

const parseArgs = (argv: string[]) => parseFlags(argv, ArgsSchema.strict());

const BASE = 'bench-api';
const UNIT = BENCH_UNIT;
const FIXTURE = 'data-abroad-no-route';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const env = await startBenchEnv();
  const workers = await env.startWorkers(BASE);
  const door = await startBenchDoor(env, BASE, 'api');
  const api = door.api;
  try {
    const auth = await door.signIn('Bench Liaison', 'liaison');

    // Cases parked on a request the liaison answers: one per respond sample and side (API with the case
    // read before, API first touch, direct), plus a warm-up each.
    const n = args.samples + 1;
    note(`opening ${3 * n} cases (${FIXTURE}) and ${n} trivial workflows`);
    const parked = await mapLimit(Array.from({ length: 3 * n }), 10, async () => {
      const tip = benchTip(FIXTURE);
      const caseId = caseIdFor(tip.ncmecReportNumber);
      env.systems.setScript(caseId, { preservation: 'preserve', foreignPreservation: 'preserve' });
      await startCase(env.client, tip, { taskQueue: queueFor(BASE, 'case'), profile: 'standard', unit: UNIT });
      const request = await pollUntil(
        `case ${caseId} to wait for its liaison`,
        async () => (await env.client.workflow.getHandle(caseId).query(statusQuery)).requests.find((r) => r.kind === 'foreign-evidence' && r.status === 'SENT'),
        { everyMs: 200, timeoutMs: 120_000 },
      );
      return { caseId, requestId: request.requestId };
    });
    const bare = await mapLimit(Array.from({ length: n }), 10, async (_, i) => {
      const h = await env.client.workflow.start(bareRoundTripWorkflow, { workflowId: `bench-api-bare-${i}`, taskQueue: queueFor(BASE, 'bare'), args: [] });
      await h.query(bareValueQuery);
      return h;
    });

    const samples = { api: [] as number[], apiFirstTouch: [] as number[], direct: [] as number[], bare: [] as number[] };
    const respondThroughApi = (c: { caseId: string; requestId: string }, reference: string) =>
      timed(async () => {
        const short = c.requestId.slice(c.caseId.length + 1);
        const res = await fetch(`${api.url}/cases/${c.caseId}/requests/${short}/responses`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ outcome: 'acknowledged', reference }),
        });
        if (res.status !== 200) throw new Error(`respond through the API answered ${res.status}: ${await res.text()}`);
        return res.json();
      });
    for (let i = 0; i < n; i++) {
      const [viaApi, firstTouch, direct] = parked.slice(3 * i, 3 * i + 3);
      // A liaison answers from the case's page: the API read the case before (its unit is known), untimed.
      const page = await fetch(`${api.url}/cases/${viaApi.caseId}/status`, { headers: auth });
      if (page.status !== 200) throw new Error(`status through the API answered ${page.status}`);
      await page.arrayBuffer();
      const a = await respondThroughApi(viaApi, `API-${i}`);
      // The first time this API process touches the case: it reads the case's unit from Temporal first.
      const f = await respondThroughApi(firstTouch, `API-FIRST-${i}`);
      const d = await timed(() =>
        env.client.workflow.getHandle(direct.caseId).executeUpdate(respond, {
          args: [{ actor: 'Bench Liaison', role: 'liaison', requestId: direct.requestId, outcome: 'acknowledged', reference: `DIRECT-${i}` }],
        }),
      );
      const b = await timed(() => bare[i].executeUpdate(bareSet, { args: [`v${i}`] }));
      if (i === 0) continue; // warm-up
      samples.api.push(a.ms);
      samples.apiFirstTouch.push(f.ms);
      samples.direct.push(d.ms);
      samples.bare.push(b.ms);
    }

    // Throughput of `status` reads: C in flight for S seconds, through the API and straight to Temporal.
    const readIds = parked.slice(0, Math.min(8, parked.length)).map((p) => p.caseId);
    const sustain = async (read: (caseId: string) => Promise<unknown>) => {
      const until = Date.now() + args.seconds * 1000;
      const lat: number[] = [];
      let k = 0;
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: args.concurrency }, async () => {
          while (Date.now() < until) {
            const id = readIds[k++ % readIds.length];
            lat.push((await timed(() => read(id))).ms);
          }
        }),
      );
      return { perSecond: Math.round((lat.length / (Date.now() - t0)) * 1000), latency: summarize(lat) };
    };
    const apiStatus = await sustain(async (id) => {
      const res = await fetch(`${api.url}/cases/${id}/status`, { headers: auth });
      if (res.status !== 200) throw new Error(`status through the API answered ${res.status}`);
      return await res.json();
    });
    const directStatus = await sustain((id) => env.client.workflow.getHandle(id).query(statusQuery));

    const s = {
      api: summarize(samples.api),
      apiFirstTouch: summarize(samples.apiFirstTouch),
      direct: summarize(samples.direct),
      bare: summarize(samples.bare),
    };
    const result = {
      date: new Date().toISOString(),
      args,
      respond: {
        ...s,
        ratioApiToBareP50: ratio(s.api.p50Ms, s.bare.p50Ms),
        ratioApiToBareP95: ratio(s.api.p95Ms, s.bare.p95Ms),
        ratioApiToDirectP50: ratio(s.api.p50Ms, s.direct.p50Ms),
        ratioApiToDirectP95: ratio(s.api.p95Ms, s.direct.p95Ms),
        ratioFirstTouchToDirectP50: ratio(s.apiFirstTouch.p50Ms, s.direct.p50Ms),
      },
      status: { api: apiStatus, direct: directStatus },
    };
    const row = (name: string, l: { p50Ms: number; p95Ms: number; samples: number }) =>
      `  ${name.padEnd(46)} p50 ${String(l.p50Ms).padStart(8)} ms   p95 ${String(l.p95Ms).padStart(8)} ms   (${l.samples} samples)`;
    process.stdout.write(
      [
        `respond (foreign-evidence SENT → ACKNOWLEDGED), ${args.samples} samples each, alternating:`,
        row('through the API, case read before (page)', s.api),
        row('through the API, first touch (unit looked up)', s.apiFirstTouch),
        row('the same update straight to Temporal', s.direct),
        row('bare update on a trivial workflow', s.bare),
        `  API / direct (what the door costs): p50 ${result.respond.ratioApiToDirectP50}×, p95 ${result.respond.ratioApiToDirectP95}× (target ≤ 1.2×); first touch / direct: p50 ${result.respond.ratioFirstTouchToDirectP50}×`,
        `  API / bare (door and case together): p50 ${result.respond.ratioApiToBareP50}×, p95 ${result.respond.ratioApiToBareP95}×`,
        `status reads, ${args.concurrency} in flight for ${args.seconds} s:`,
        `  through the API: ${apiStatus.perSecond}/s (p50 ${apiStatus.latency.p50Ms} ms, p95 ${apiStatus.latency.p95Ms} ms)`,
        `  straight to Temporal: ${directStatus.perSecond}/s (p50 ${directStatus.latency.p50Ms} ms, p95 ${directStatus.latency.p95Ms} ms)`,
        '',
      ].join('\n'),
    );
    writeBenchResult('api', result);
  } finally {
    await api.stop();
    await workers.stop();
    await env.teardown();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench api: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
