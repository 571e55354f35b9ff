/**
 * `make bench-web`: the web app's pages at a population of open cases, beside the JSON API routes
 * they are built from, in the same run.
 *
 *   node dist/bench/web.js [--cases N] [--samples S]
 *
 * On a fresh embedded dev server with the bench's workers, N cases are opened and parked on a request
 * a liaison answers (foreign-evidence SENT); the API with its web app runs as its own process (as
 * `make up` runs it), people sign in through the local issuer's login page in Debian's Chromium.
 * Measured, S samples each:
 * - the managers' board and a case page: time to first byte and to rendered (the browser's navigation
 *   timing: responseStart and loadEventEnd), p50/p95; beside the JSON routes they read (one page of
 *   `GET /cases?state=open`, and `GET /cases/:id/status`) fetched from Node;
 * - update → event: from an accepted response (the API's 200) to the `change` event reaching an open
 *   case page, and an open board, through server-sent events.
 * Figures print and are written to bench/results/tmp/; nothing fails on a time.
 */
import { parseFlags } from './args';
import fs from 'node:fs';
import { z } from 'zod';
import { chromium, type Page } from 'playwright-core';
import { startCase } from '../client/cases';
import { BENCH_UNIT, startBenchDoor, writeBenchResult } from './api-door';
import { statusQuery } from '../workflows/messages';
import { CASE_WORKFLOW_TYPE } from '../client/views';
import { CaseStage } from '../workflows/search-attributes';
import { caseIdFor } from '../workflows/tip';
import { benchTip } from './cases';
import { queueFor, startBenchEnv } from './env';
import { note } from './progress';
import { mapLimit, pollUntil, summarize, timed } from './stats';

const ArgsSchema = z.object({
  cases: z.coerce.number().int().min(10).max(20_000).default(1000),
  samples: z.coerce.number().int().min(3).max(500).default(20),
});

const parseArgs = (argv: string[]) => parseFlags(argv, ArgsSchema.strict());

const BASE = 'bench-web';
const UNIT = BENCH_UNIT;
const FIXTURE = 'data-abroad-no-route';
const CHROMIUM = process.env.CASEBRIDGE_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The browser's own timing of the last navigation, in ms from its start. */
async function navigationTiming(page: Page): Promise<{ ttfb: number; rendered: number }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { performance: { getEntriesByType(t: string): { responseStart: number; startTime: number; loadEventEnd: number }[] } };
    const n = g.performance.getEntriesByType('navigation')[0];
    return { ttfb: n.responseStart - n.startTime, rendered: n.loadEventEnd - n.startTime };
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-browser.sh`);
  const env = await startBenchEnv();
  const workers = await env.startWorkers(BASE);
  const door = await startBenchDoor(env, BASE, 'web');
  const web = door.api;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const managerAuth = await door.signIn('Bench Manager', 'manager');
    const liaisonAuth = await door.signIn('Bench Liaison', 'liaison');

    note(`opening ${args.cases} cases (${FIXTURE}), parked on a foreign-evidence request`);
    const started = Date.now();
    const ids = await mapLimit(Array.from({ length: args.cases }), 20, async () => {
      const tip = benchTip(FIXTURE);
      const caseId = caseIdFor(tip.ncmecReportNumber);
      env.systems.setScript(caseId, { preservation: 'preserve', foreignPreservation: 'preserve' });
      await startCase(env.client, tip, { taskQueue: queueFor(BASE, 'case'), profile: 'standard', unit: UNIT });
      return caseId;
    });
    // The samples' cases must be parked before they are answered; the rest only need to be open.
    const sampleIds = ids.slice(0, args.samples + 1);
    const requests = await mapLimit(sampleIds, 10, async (caseId) =>
      pollUntil(
        `case ${caseId} to wait for its liaison`,
        // A query can fail while a busy worker has not yet taken the case's first task: ask again.
        async () =>
          (
            await env.client.workflow
              .getHandle(caseId)
              .query(statusQuery)
              .catch(() => undefined)
          )?.requests.find((r) => r.kind === 'foreign-evidence' && r.status === 'SENT'),
        { everyMs: 250, timeoutMs: 300_000 },
      ),
    );
    // Every case parked, not only open: at 1,000 the workers were still taking the other cases' first stages on the
    // 2 cores when sampling began, and the board's first load ran past 30 s (the figures measured that contention).
    await pollUntil(
      `visibility to list ${args.cases} cases parked on their foreign-evidence request`,
      async () => {
        const c = await env.client.workflow.count(
          `ExecutionStatus = 'Running' AND WorkflowType = '${CASE_WORKFLOW_TYPE}' AND ${CaseStage.name} = 'FOREIGN_EVIDENCE'`,
        );
        return c.count >= args.cases ? true : undefined;
      },
      { everyMs: 1000, timeoutMs: 1_800_000 },
    );
    note(`${args.cases} cases open and parked in ${Math.round((Date.now() - started) / 1000)} s`);

    const signIn = async (name: string) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      // A slow page is a figure to report, not a reason to stop the run.
      page.setDefaultNavigationTimeout(300_000);
      await page.goto(`${web.url}/web/`);
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Password').fill('bench bench bench');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${web.url}/web/`);
      return page;
    };
    const manager = await signIn('Bench Manager');
    const liaison = await signIn('Bench Liaison');

    const board = { ttfb: [] as number[], rendered: [] as number[], json: [] as number[] };
    const casePage = { ttfb: [] as number[], rendered: [] as number[], json: [] as number[] };
    for (let i = 0; i <= args.samples; i++) {
      await manager.goto(`${web.url}/web/board`);
      const b = await navigationTiming(manager);
      const bj = await timed(async () => {
        const r = await fetch(`${web.url}/cases?state=open&pageSize=1000`, { headers: managerAuth });
        if (r.status !== 200) throw new Error(`GET /cases answered ${r.status}`);
        return r.json();
      });
      const id = sampleIds[i % sampleIds.length];
      await liaison.goto(`${web.url}/web/cases/${id}`);
      const c = await navigationTiming(liaison);
      const cj = await timed(async () => {
        const r = await fetch(`${web.url}/cases/${id}/status`, { headers: liaisonAuth });
        if (r.status !== 200) throw new Error(`GET status answered ${r.status}`);
        return r.json();
      });
      if (i === 0) continue; // warm-up
      board.ttfb.push(b.ttfb);
      board.rendered.push(b.rendered);
      board.json.push(bj.ms);
      casePage.ttfb.push(c.ttfb);
      casePage.rendered.push(c.rendered);
      casePage.json.push(cj.ms);
    }

    // update → event: each sample answers a parked case with its page open on the liaison's side and the board open on the manager's.
    await manager.goto(`${web.url}/web/board`);
    const listen = async (page: Page, url: string) => {
      await page.evaluate(async (u) => {
        const g = globalThis as unknown as {
          benchEvents: number[];
          EventSource: new (u: string) => { addEventListener(t: string, f: () => void): void };
          performance: { timeOrigin: number; now(): number };
        };
        g.benchEvents = [];
        const es = new g.EventSource(u);
        es.addEventListener('change', () => g.benchEvents.push(g.performance.timeOrigin + g.performance.now()));
        await new Promise<void>((resolve) => es.addEventListener('open', () => resolve()));
      }, url);
    };
    const eventsAfter = async (page: Page, t: number, timeoutMs = 10_000): Promise<number | undefined> => {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const seen = await page.evaluate(() => (globalThis as unknown as { benchEvents: number[] }).benchEvents);
        const first = seen.find((x) => x >= t - 50);
        if (first !== undefined) return first;
        await new Promise((r) => setTimeout(r, 10));
      }
      return undefined;
    };
    await listen(manager, '/web/events?view=board');
    const toCase: number[] = [];
    const toBoard: number[] = [];
    let missed = 0;
    for (let i = 1; i <= args.samples; i++) {
      const caseId = sampleIds[i];
      const request = requests[i];
      await liaison.goto(`${web.url}/web/cases/${caseId}`);
      await listen(liaison, `/web/events?case=${caseId}`);
      const sent = Date.now();
      const res = await fetch(`${web.url}/cases/${caseId}/requests/${request.requestId.slice(caseId.length + 1)}/responses`, {
        method: 'POST',
        headers: { ...liaisonAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'acknowledged', reference: `WEB-${i}` }),
      });
      const accepted = Date.now();
      if (res.status !== 200) throw new Error(`respond answered ${res.status}: ${await res.text()}`);
      const [c, b] = await Promise.all([eventsAfter(liaison, sent), eventsAfter(manager, sent)]);
      if (c === undefined || b === undefined) missed++;
      if (c !== undefined) toCase.push(Math.max(0, c - accepted));
      if (b !== undefined) toBoard.push(Math.max(0, b - accepted));
    }

    const s = {
      board: { ttfb: summarize(board.ttfb), rendered: summarize(board.rendered), json: summarize(board.json) },
      casePage: { ttfb: summarize(casePage.ttfb), rendered: summarize(casePage.rendered), json: summarize(casePage.json) },
      updateToEvent: { casePage: summarize(toCase), board: summarize(toBoard), missed },
    };
    const result = { date: new Date().toISOString(), args, ...s };
    const row = (name: string, l: { p50Ms: number; p95Ms: number; samples: number }) =>
      `  ${name.padEnd(52)} p50 ${String(Math.round(l.p50Ms)).padStart(7)} ms   p95 ${String(Math.round(l.p95Ms)).padStart(7)} ms   (${l.samples} samples)`;
    process.stdout.write(
      [
        `web app at ${args.cases} open cases, ${args.samples} samples each:`,
        `managers' board (every open case read for the counts):`,
        row('time to first byte', s.board.ttfb),
        row('rendered (load event)', s.board.rendered),
        row('baseline: GET /cases?state=open, one page of 1,000', s.board.json),
        `case page:`,
        row('time to first byte', s.casePage.ttfb),
        row('rendered (load event)', s.casePage.rendered),
        row('baseline: GET /cases/:id/status', s.casePage.json),
        `accepted update → server-sent event in the open page:`,
        row('case page', s.updateToEvent.casePage),
        row('board', s.updateToEvent.board),
        ...(missed ? [`  ${missed} sample(s) saw no event within 10 s`] : []),
        '',
      ].join('\n'),
    );
    writeBenchResult('web', result);
  } finally {
    await browser.close().catch(() => undefined);
    await web.stop();
    await workers.stop();
    await env.teardown();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench web: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
