/**
 * `make bench` / `npm run bench`: what a case costs, measured beside bare Temporal in the same run.
 *
 *   node dist/bench/run.js [--scenario NAME[,NAME…]|all] [--size tiny|small|full] [--out DIR]
 *
 * Starts its own embedded dev server (the product's `temporal server start-dev` on a SQLite file,
 * in a fresh temporary folder on free ports), runs the scenarios and, after each one, rewrites the
 * result under bench/results/ (JSON, and the tables as Markdown beside it) and prints its tables.
 * No figure ever fails a run, and neither does a failed sample (counted beside its figure): exit 1
 * means the harness broke and the run stopped (the result file says in which scenario and why, and
 * keeps what was measured before), exit 2 a bad argument.
 */
import { BadArgs, parseFlags } from './args';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT, loadConfig } from '../platform/config';
import { BENCH_SERVERS, casePreloadModules, startBenchEnv, type BenchEnv } from './env';
import { machine, versions } from './machine';
import { note } from './progress';
import { INJECT_ENV, injectStop, parseInjection } from './inject';
import { RunRecord } from './record';
import { SECTIONS, renderHeader, renderOutcome, renderSection, renderTargets, type Section } from './report';
import type { BenchResult, MemoryResult, StalledViewResult } from './result';
import { describeError } from './samples';
import { PLANS, SIZES, type SizePlan } from './sizes';
import { caseRecordBytes, measureMemory, memoryResult, type MemorySize } from './scenarios/memory';
import { emptyPopulation, growBare, growCases, stopWorker } from './scenarios/open-cases';
import { replay } from './scenarios/replay';
import { roundTrip } from './scenarios/round-trip';
import { measureViews, stalledViewResult } from './scenarios/stalled-view';
import { throughput } from './scenarios/throughput';

export const SCENARIOS = ['throughput', 'stalled-view', 'round-trip', 'memory', 'replay'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const BenchArgsSchema = z
  .object({
    scenario: z
      .string()
      .default('all')
      .transform((s) => s.split(',').map((x) => x.trim()))
      .pipe(z.array(z.enum([...SCENARIOS, 'all'], { message: `must be all or one or more of ${SCENARIOS.join(', ')}, comma-separated` }))),
    size: z.enum(SIZES, { message: `must be one of ${SIZES.join(', ')}` }).default('small'),
    server: z.enum(BENCH_SERVERS, { message: `must be one of ${BENCH_SERVERS.join(', ')}` }).default('embedded'),
    out: z
      .string()
      .min(1)
      .default(path.join(PROJECT_ROOT, 'bench', 'results')),
  })
  .strict();
export type BenchArgs = z.infer<typeof BenchArgsSchema>;

export { BadArgs };
/** `--help`: not an error, the usage goes to stdout. */
export class HelpRequested extends Error {}
export const USAGE =
  'usage: node dist/bench/run.js [--scenario NAME[,NAME…]|all] [--size tiny|small|full] [--server embedded|cluster] [--out DIR]\n' +
  `  scenarios: ${SCENARIOS.join(', ')} (default all); size: tiny (CI), small (default), full (issue 7's sizes)\n` +
  '  server: embedded (the dev server on SQLite, default) or cluster (the real Temporal server on PostgreSQL, worker/cluster)\n';

/** The bench's flags (bench/args.ts); `--help` is not an error: the usage goes to stdout. */
export function parseArgs(argv: string[]): BenchArgs {
  if (argv.some((a) => a === '--help' || a === '-h')) throw new HelpRequested(USAGE);
  return parseFlags(argv, BenchArgsSchema);
}

/** How a run ended: its result (as last written), where, and the exit code (0 complete, 1 stopped). */
export interface RunEnd {
  result: BenchResult;
  file: string;
  code: 0 | 1;
}

/** One line for a harness failure: the error, its causes, and where in the harness it was thrown. */
function reasonOf(err: unknown): string {
  const at = err instanceof Error ? (err.stack ?? '').split('\n').find((l) => /^\s+at /.test(l) && l.includes('/bench/')) : undefined;
  return `${describeError(err)}${at ? ` (${at.trim()})` : ''}`;
}

/**
 * Runs the selected scenarios, writing the result after each one (and each open-cases size) and
 * printing each scenario's tables to `out` as soon as it is measured. A failed sample is counted by
 * its scenario, which carries on; anything else that goes wrong stops the run: the result file then
 * says in which scenario and why, and keeps everything measured before.
 */
export async function runBench(args: BenchArgs, command: string, out: NodeJS.WritableStream = process.stdout): Promise<RunEnd> {
  const selected = new Set<ScenarioName>(args.scenario.includes('all') ? SCENARIOS : (args.scenario as ScenarioName[]));
  const injected = parseInjection(process.env[INJECT_ENV], SCENARIOS);
  const plan = PLANS[args.size];
  const m = machine();
  const config = loadConfig();
  note(`size ${args.size}, scenarios ${[...selected].join(', ')}; ${m.cores} cores, load ${m.loadAvgStart.join('/')}`);
  const rec = new RunRecord(args.out, {
    schema: 2,
    injected,
    date: new Date().toISOString(),
    command,
    size: args.size,
    scenarios: [...selected],
    versions: versions(config.TEMPORAL_CLI_PATH),
    casePreloadModules: casePreloadModules(),
    server:
      (args.server === 'cluster'
        ? 'cluster profile (worker/cluster: the real Temporal server v1.32.2, persistence and SQL visibility on its own PostgreSQL on local disk; server CPU excludes PostgreSQL’s), fresh per run; payloads '
        : 'embedded dev server (worker/embedded-server.ts: temporal server start-dev, SQLite file on local disk, headless), fresh per run; payloads ') +
      (process.env.CASEBRIDGE_ENCRYPTION_KEYS || process.env.CASEBRIDGE_KEY_FILE ? 'encrypted (AES-GCM codec)' : 'plaintext (no key configured)'),
    machine: m,
  });
  // The file exists from the first moment: a run that never gets further still says what it was.
  out.write(renderHeader(rec.write()) + '\n\n');
  note(`results go to ${path.relative(process.cwd(), rec.file) || rec.file} (rewritten after each scenario)`);

  let current = 'start-up';
  const shown = new Set<Section>();
  const show = (section: Section) => {
    const text = renderSection(rec.write(), section);
    if (text) out.write(text + '\n\n');
    shown.add(section);
  };
  const stop = (err: unknown) => {
    if (rec.status === 'stopped') return;
    const reason = reasonOf(err);
    rec.stopped(current, reason);
    note(`stopped in ${current}: ${reason}`);
    // What the stopped scenario measured before it broke (a sized scenario keeps its sizes).
    const r = rec.write();
    for (const section of SECTIONS) if (!shown.has(section) && renderSection(r, section)) show(section);
  };
  // An error thrown where nothing awaits it (a timer of the gRPC client after its channel closed) would
  // end the process with nothing said: it stops the run like any other harness failure.
  const onStray = (err: unknown) => {
    stop(err);
    out.write(`${renderTargets(rec.result())}\n\n${renderOutcome(rec.result())}\n`);
    process.stderr.write(`bench: results written to ${rec.file}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);

  const scenario = async (name: ScenarioName, fn: () => Promise<void>) => {
    current = name;
    rec.running(name);
    rec.write();
    await fn();
    rec.finished(name);
    show(name);
  };

  let env: BenchEnv | undefined;
  try {
    env = await startBenchEnv({ server: args.server });
    const e = env;
    if (selected.has('throughput'))
      await scenario('throughput', async () =>
        rec.set('throughput', await throughput(e, plan.throughput, (partial) => (rec.set('throughput', partial), rec.write()))),
      );
    if (selected.has('round-trip')) await scenario('round-trip', async () => rec.set('roundTrip', await roundTrip(e, plan.roundTrip)));
    if (selected.has('replay')) await scenario('replay', async () => rec.set('replay', await replay(e, plan.replay)));
    if (selected.has('stalled-view') || selected.has('memory'))
      await openCaseScenarios(
        e,
        selected,
        plan,
        rec,
        (name) => {
          current = name;
          rec.running(name);
          rec.write();
        },
        (name) => {
          rec.finished(name);
          show(name);
        },
      );
    current = 'teardown';
  } catch (err) {
    stop(err);
  } finally {
    try {
      await env?.teardown();
    } catch (err) {
      current = 'teardown';
      stop(err);
    }
    process.removeListener('uncaughtException', onStray);
    process.removeListener('unhandledRejection', onStray);
  }
  if (rec.status !== 'stopped') rec.complete();
  const result = rec.write();
  out.write(`${renderTargets(result)}\n\n${renderOutcome(result)}\n`);
  return { result, file: rec.file, code: result.outcome.status === 'complete' ? 0 : 1 };
}

/**
 * The stalled-case view and worker memory share one population of open cases, grown size by size;
 * each size's figures are written as soon as they are measured, and a scenario is shown once its
 * last size is.
 */
async function openCaseScenarios(
  env: BenchEnv,
  selected: Set<ScenarioName>,
  plan: SizePlan,
  rec: RunRecord,
  begin: (name: ScenarioName) => void,
  end: (name: ScenarioName) => void,
): Promise<void> {
  const pop = emptyPopulation();
  const views: StalledViewResult['sizes'] = [];
  const memory: MemorySize[] = [];
  let recordBytes = 0;
  const sizes = plan.openCases.sizes;
  try {
    for (const [i, size] of sizes.entries()) {
      const last = i === sizes.length - 1;
      // Growing the population is the work of whichever scenario needs it next.
      for (const name of ['memory', 'stalled-view'] as const) {
        if (!selected.has(name)) continue;
        begin(name);
        injectStop(name, i);
      }
      const t0 = Date.now();
      await growCases(env, pop, size, plan.openCases);
      const populateMs = Date.now() - t0;
      if (selected.has('memory')) await growBare(env, pop, size, plan.openCases);
      if (selected.has('stalled-view')) {
        views.push(await measureViews(env, pop, plan.stalledView, populateMs));
        rec.set('stalledView', stalledViewResult(views, plan.stalledView));
        rec.write();
        if (last) end('stalled-view');
      }
      if (selected.has('memory')) {
        begin('memory');
        recordBytes ||= await caseRecordBytes(env.client, pop.caseIds[0]);
        memory.push(await measureMemory(env, pop, plan.memory));
        rec.set('memory', memoryResult(memory, recordBytes, plan.memory) satisfies MemoryResult);
        rec.write();
        if (last) end('memory');
      }
    }
  } finally {
    await stopWorker(pop);
  }
}

export async function run(argv = process.argv.slice(2), out: NodeJS.WritableStream = process.stdout): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(argv);
    parseInjection(process.env[INJECT_ENV], SCENARIOS);
  } catch (err) {
    if (err instanceof HelpRequested) {
      out.write(USAGE);
      return 0;
    }
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const { file, code, result } = await runBench(args, ['node', 'dist/bench/run.js', ...argv].join(' '), out);
    const where = path.relative(process.cwd(), file) || file;
    if (code === 0) process.stderr.write(`bench: results written to ${where}\n`);
    else if (result.outcome.status === 'stopped')
      process.stderr.write(`bench: stopped in ${result.outcome.scenario}: ${result.outcome.reason}\nbench: what was measured before is in ${where}\n`);
    return code;
  } catch (err) {
    // Only before the result file exists (e.g. the machine cannot be read): nothing was measured.
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void run().then((code) => {
    process.exitCode = code;
    // Native handles (the SDK's runtime) may linger after teardown: the results are written.
    setTimeout(() => process.exit(code), 1_000).unref();
  });
}
