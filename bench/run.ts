/**
 * `make bench` / `npm run bench`: what a case costs, measured beside bare Temporal in the same run.
 *
 *   node dist/bench/run.js [--scenario NAME[,NAME…]|all] [--size tiny|small|full] [--out DIR]
 *
 * Starts its own embedded dev server (the product's `temporal server start-dev` on a SQLite file,
 * in a fresh temporary folder on free ports), runs the scenarios, writes the result as JSON under
 * bench/results/ and prints the tables. No figure ever fails a run: exit 1 means the harness broke,
 * exit 2 a bad argument.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT, loadConfig } from '../client/config';
import { casePreloadModules, startBenchEnv, type BenchEnv } from './env';
import { machine, versions } from './machine';
import { note } from './progress';
import { renderTables, targets } from './report';
import { BenchResultSchema, type BenchResult, type MemoryResult, type StalledViewResult } from './result';
import { PLANS, SIZES } from './sizes';
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
    out: z.string().min(1).default(path.join(PROJECT_ROOT, 'bench', 'results')),
  })
  .strict();
export type BenchArgs = z.infer<typeof BenchArgsSchema>;

export class BadArgs extends Error {}
/** `--help`: not an error, the usage goes to stdout. */
export class HelpRequested extends Error {}
export const USAGE = 'usage: node dist/bench/run.js [--scenario NAME[,NAME…]|all] [--size tiny|small|full] [--out DIR]\n' +
  `  scenarios: ${SCENARIOS.join(', ')} (default all); size: tiny (CI), small (default), full (issue 7's sizes)\n`;

/** `--name value` and `--name=value` into an object, validated: a wrong flag or value names itself. */
export function parseArgs(argv: string[]): BenchArgs {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') throw new HelpRequested(USAGE);
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new BadArgs(`unexpected argument ${a}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new BadArgs(`--${m[1]}: needs a value`);
    raw[m[1]!] = value;
  }
  const parsed = BenchArgsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') throw new BadArgs(`unknown option --${issue.keys[0]}`);
    throw new BadArgs(`--${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

export async function runBench(args: BenchArgs, command: string): Promise<{ result: BenchResult; file: string }> {
  const selected = new Set<ScenarioName>(args.scenario.includes('all') ? SCENARIOS : (args.scenario as ScenarioName[]));
  const plan = PLANS[args.size];
  const started = Date.now();
  const m = machine();
  const config = loadConfig();
  note(`size ${args.size}, scenarios ${[...selected].join(', ')}; ${m.cores} cores, load ${m.loadAvgStart.join('/')}`);
  const env: BenchEnv = await startBenchEnv();
  const partial: Omit<BenchResult, 'targets' | 'durationMs' | 'machine'> = {
    schema: 1,
    date: new Date(started).toISOString(),
    command,
    size: args.size,
    scenarios: [...selected],
    versions: versions(config.TEMPORAL_CLI_PATH),
    casePreloadModules: casePreloadModules(),
    server: 'embedded dev server (worker/embedded-server.ts: temporal server start-dev, SQLite file on local disk, headless), fresh per run; payloads ' + (process.env.CASEBRIDGE_ENCRYPTION_KEYS || process.env.CASEBRIDGE_KEY_FILE ? 'encrypted (AES-GCM codec)' : 'plaintext (no key configured)'),
  };
  try {
    if (selected.has('throughput')) partial.throughput = await throughput(env, plan.throughput);
    if (selected.has('round-trip')) partial.roundTrip = await roundTrip(env, plan.roundTrip);
    if (selected.has('replay')) partial.replay = await replay(env, plan.replay);
    if (selected.has('stalled-view') || selected.has('memory')) {
      const pop = emptyPopulation();
      const views: StalledViewResult['sizes'] = [];
      const memory: MemorySize[] = [];
      let recordBytes = 0;
      try {
        for (const size of plan.openCases.sizes) {
          const t0 = Date.now();
          await growCases(env, pop, size, plan.openCases);
          const populateMs = Date.now() - t0;
          if (selected.has('memory')) await growBare(env, pop, size, plan.openCases);
          if (selected.has('stalled-view')) views.push(await measureViews(env, pop, plan.stalledView, populateMs));
          if (selected.has('memory')) {
            recordBytes ||= await caseRecordBytes(env.client, pop.caseIds[0]!);
            memory.push(await measureMemory(env, pop, plan.memory));
          }
        }
      } finally {
        await stopWorker(pop);
      }
      if (views.length) partial.stalledView = stalledViewResult(views, plan.stalledView);
      if (memory.length) partial.memory = memoryResult(memory, recordBytes, plan.memory) satisfies MemoryResult;
    }
  } finally {
    await env.teardown();
  }
  const withMachine = { ...partial, durationMs: Date.now() - started, machine: { ...m, loadAvgEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) } };
  const result = BenchResultSchema.parse({ ...withMachine, targets: targets(withMachine) });
  fs.mkdirSync(args.out, { recursive: true });
  const file = path.join(args.out, `${result.date.replace(/[:.]/g, '-')}-${result.size}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return { result, file };
}

export async function run(argv = process.argv.slice(2)): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof HelpRequested) {
      process.stdout.write(USAGE);
      return 0;
    }
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const { result, file } = await runBench(args, ['node', 'dist/bench/run.js', ...argv].join(' '));
    process.stdout.write(renderTables(result));
    process.stderr.write(`bench: results written to ${path.relative(process.cwd(), file) || file}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  run().then((code) => {
    process.exitCode = code;
    // Native handles (the SDK's runtime) may linger after teardown: the results are written.
    setTimeout(() => process.exit(code), 1_000).unref();
  });
}
