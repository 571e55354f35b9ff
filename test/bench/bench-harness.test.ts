/**
 * Keeps the bench harness working: the real `node dist/bench/run.js --size tiny` (as `make bench`
 * runs it, on its own embedded dev server) must run every scenario and write a result file whose
 * fields are all there and whose numbers make sense. Tiny figures mean nothing, so nothing here
 * compares a time to a threshold: a slow or loaded machine never fails this test.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BadArgs, SCENARIOS, parseArgs } from '../../bench/run';
import { BenchResultSchema, type BenchResult } from '../../bench/result';
import { PLANS } from '../../bench/sizes';
import { PATHS } from '../../bench/cases';
import { cacheSettings } from '../../bench/scenarios/memory';

const ROOT = path.resolve(__dirname, '..', '..');
const RUN = path.join(ROOT, 'dist', 'bench', 'run.js');
const tiny = PLANS.tiny;

describe('bench arguments', () => {
  it('defaults to every scenario at the small size', () => {
    const args = parseArgs([]);
    expect(args.scenario).toEqual(['all']);
    expect(args.size).toBe('small');
  });

  it('accepts a list of scenarios and a size, in both flag forms', () => {
    expect(parseArgs(['--scenario', 'throughput,replay', '--size=tiny'])).toMatchObject({ scenario: ['throughput', 'replay'], size: 'tiny' });
  });

  it.each([
    [['--size', 'huge'], /^--size: must be one of tiny, small, full$/],
    [['--scenario', 'speed'], /^--scenario: must be all or one or more of/],
    [['--color', 'red'], /^unknown option --color$/],
    [['--size'], /^--size: needs a value$/],
    [['tiny'], /^unexpected argument tiny$/],
  ])('rejects %j naming what is wrong', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(BadArgs);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('bench harness at tiny size (real process, embedded dev server)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-bench-test-'));
  let result: BenchResult;
  let stdout = '';
  let stderr = '';
  let code: number | null = null;

  beforeAll(async () => {
    // The real entry point, compiled: `make build` recompiles only when a source is newer than dist/.
    execFileSync('make', ['build'], { cwd: ROOT, stdio: 'pipe' });
    if (!fs.existsSync(RUN)) throw new Error(`${RUN} is missing after make build`);
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [RUN, '--size', 'tiny', '--out', out], {
        cwd: ROOT,
        env: { ...process.env, CASEBRIDGE_LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.on('exit', (c) => {
        code = c;
        resolve();
      });
    });
    const files = fs.readdirSync(out).filter((f) => f.endsWith('-tiny.json'));
    if (code !== 0 || files.length !== 1) throw new Error(`bench exited with ${code}, wrote ${files.join(', ') || 'nothing'}:\n${stderr.slice(-4000)}`);
    result = BenchResultSchema.parse(JSON.parse(fs.readFileSync(path.join(out, files[0]!), 'utf8')));
  }, 1_200_000);

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('ran every scenario and says on what, with which versions and command', () => {
    expect(code).toBe(0);
    expect(result.size).toBe('tiny');
    expect(result.scenarios.sort()).toEqual([...SCENARIOS].sort());
    expect(result.command).toBe(`node dist/bench/run.js --size tiny --out ${out}`);
    expect(result.machine.cores).toBe(os.cpus().length);
    expect(result.versions.node).toBe(process.version);
    expect(result.versions.sdk).toBe('1.24.0');
    expect(result.versions.temporalCli).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.server).toMatch(/start-dev, SQLite/);
    expect(result.casePreloadModules).toEqual([]);
  });

  it('prints the tables, the targets last', () => {
    for (const heading of ['### Throughput', '### Stalled-case view', '### Input round trip', '### Worker memory', '### Replay', '### Targets']) {
      expect(stdout).toContain(heading);
    }
    expect(result.targets.map((t) => t.name)).toEqual(['throughput', 'stalled-view-growth', 'stalled-view-vs-naive', 'round-trip', 'cached-heap']);
    // Every target judged (true or false), none skipped: the figures behind each one were measured.
    expect(result.targets.every((t) => typeof t.met === 'boolean')).toBe(true);
  });

  it('throughput: every path, the bare twin doing the same Temporal work without CaseBridge’s', () => {
    const t = result.throughput!;
    expect(t.paths.map((p) => p.path)).toEqual([...PATHS]);
    for (const p of t.paths) {
      const { case: c, bare: b } = p.perCase;
      for (const k of ['activities', 'timersFired', 'timersCancelled', 'updates', 'signalsSent', 'children'] as const) {
        expect({ path: p.path, [k]: b[k] }).toEqual({ path: p.path, [k]: c[k] });
      }
      expect(c.activities).toBeGreaterThan(0);
      expect(c.searchAttributeUpserts).toBeGreaterThan(0);
      expect(b.searchAttributeUpserts).toBe(0);
      expect(p.runs.map((r) => r.n)).toEqual(tiny.throughput.sizes);
      for (const r of p.runs) {
        for (const side of [r.case, r.bare]) {
          expect(side.workflows).toBe(r.n);
          // A failing workflow is reported with its reason (a product finding), never silently counted.
          expect(side.failures.length).toBe(Math.min(side.failed, 5));
          expect(side.workflowTasks).toBeGreaterThanOrEqual(r.n);
          expect(side.casesPerSec).toBeCloseTo((r.n * 1000) / side.spanMs, 1);
        }
        expect(r.ratio).toBeCloseTo(r.case.casesPerSec / r.bare.casesPerSec, 2);
      }
    }
    const jurisdiction = t.paths.find((p) => p.path === 'jurisdiction')!;
    expect(jurisdiction.perCase.case.updates).toBe(1);
    expect(t.paths.find((p) => p.path === 'no-action')!.perCase.case.children).toBe(0);
  });

  it('stalled view: the same fixed answer at every size, and the naive way agrees with it', () => {
    const s = result.stalledView!;
    expect(s.sizes.map((x) => x.openCases)).toEqual(tiny.openCases.sizes);
    for (const size of s.sizes) {
      expect(size.answer).toBe(tiny.openCases.answer);
      expect(size.naiveAgrees).toBe(true);
      for (const l of [size.stalled, size.deadlines]) {
        expect(l.samples).toBe(tiny.stalledView.samples);
        expect(l.p50Ms).toBeLessThanOrEqual(l.p95Ms);
      }
      expect(size.naive.samples).toBe(tiny.stalledView.naiveSamples);
    }
  });

  it('round trip: a liaison’s respond, every sample on both sides, the halves adding up', () => {
    const r = result.roundTrip!;
    expect(r.update).toMatch(/^respond \(liaison\): \S+ \S+ → '[a-z-]+' → [A-Z_]+/);
    expect(r.ratioP50).toBeCloseTo(r.case.p50Ms / r.bare.p50Ms, 2);
    expect(r.case.samples).toBe(tiny.roundTrip.samples);
    expect(r.bare.samples).toBe(tiny.roundTrip.samples);
    expect(r.case.p50Ms).toBeLessThanOrEqual(r.case.p95Ms);
    expect(r.case.meanMs).toBeCloseTo(r.parts.caseUpdate.meanMs + r.parts.caseQuery.meanMs, 0);
    expect(r.bare.meanMs).toBeCloseTo(r.parts.bareUpdate.meanMs + r.parts.bareQuery.meanMs, 0);
  });

  it('memory: each setting caches as many workflows as it allows, and eviction empties the cache', () => {
    const m = result.memory!;
    expect(m.sizes.map((x) => x.openCases)).toEqual(tiny.openCases.sizes);
    for (const size of m.sizes) {
      expect(size.settings.map((st) => st.maxCachedWorkflows)).toEqual(cacheSettings(size.openCases, tiny.memory.maxCache));
      for (const st of size.settings) {
        for (const f of [st.case, st.bare]) {
          // A case and its preservation child (a bare workflow and its child) were each queried once.
          expect(f.cached.cachedWorkflows).toBe(Math.min(2 * size.openCases, st.maxCachedWorkflows));
          expect(f.evicted.cachedWorkflows).toBe(0);
        }
      }
    }
    expect(m.caseRecordBytes).toBeGreaterThan(500);
  });

  it('every figure is a finite number and every ratio is computed', () => {
    const numbers: [string, unknown][] = [];
    const walk = (v: unknown, at: string): void => {
      if (typeof v === 'number') numbers.push([at, v]);
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
    };
    walk(result, 'result');
    expect(numbers.length).toBeGreaterThan(200);
    expect(numbers.filter(([, v]) => !Number.isFinite(v))).toEqual([]);
    const ratios = numbers.filter(([at]) => /ratio|Over|Growth/i.test(at.split('.').pop()!));
    expect(ratios.length).toBeGreaterThanOrEqual(PATHS.length + 2 * tiny.openCases.sizes.length + 2 + 2 + 2 * tiny.openCases.sizes.length + 1);
    // Latency and throughput ratios are positive; a heap ratio may read 0 when a tiny bare cache's heap
    // growth is lost in the garbage collector's noise (it is still computed and finite).
    for (const [at, v] of ratios.filter(([a]) => !a.endsWith('.heapRatio'))) expect({ at, positive: (v as number) > 0 }).toEqual({ at, positive: true });
  });

  it('replay: a long case and a bare history of the same length both replay', () => {
    const r = result.replay!;
    expect(r.ratioP50).toBeCloseTo(r.case.replay.p50Ms / r.bare.replay.p50Ms, 2);
    expect(r.case.events).toBeGreaterThanOrEqual(tiny.replay.targetEvents * 0.8);
    expect(Math.abs(r.bare.events - r.case.events)).toBeLessThanOrEqual(10);
    expect(r.case.replay.samples).toBe(tiny.replay.repeats);
    expect(r.bare.replay.samples).toBe(tiny.replay.repeats);
  });
});
