/**
 * Keeps the bench harness working: the real `node dist/bench/run.js --size tiny` (as `make bench`
 * runs it, on its own embedded dev server) must run every scenario and write a result file whose
 * fields are all there and whose numbers make sense; a failed sample must be counted beside its
 * figure while the scenario carries on; and a run that breaks part-way must keep, on disk and in its
 * output, what it measured before, and exit non-zero. Failures are injected through the bench's
 * test-only CASEBRIDGE_BENCH_INJECT (bench/inject.ts), never by mocking Temporal. Tiny figures mean
 * nothing, so nothing here compares a time to a threshold: a slow or loaded machine never fails this test.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INJECT_ENV, parseInjection } from '../../bench/inject';
import { BadArgs, SCENARIOS, parseArgs, run } from '../../bench/run';
import { BenchResultSchema, type BenchResult } from '../../bench/result';
import { PLANS } from '../../bench/sizes';
import { PATHS } from '../../bench/cases';
import { cacheSettings } from '../../bench/scenarios/memory';
import { mapLimit } from '../../bench/stats';

const ROOT = path.resolve(__dirname, '..', '..');
const RUN = path.join(ROOT, 'dist', 'bench', 'run.js');
const tiny = PLANS.tiny;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real entry point, compiled, as a child process (`make build` recompiles only what changed). */
async function runTiny(args: string[], inject: string): Promise<Finished> {
  execFileSync('make', ['build'], { cwd: ROOT, stdio: 'pipe' });
  if (!fs.existsSync(RUN)) throw new Error(`${RUN} is missing after make build`);
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(process.execPath, [RUN, '--size', 'tiny', ...args], {
      cwd: ROOT,
      env: { ...process.env, CASEBRIDGE_LOG_LEVEL: 'error', [INJECT_ENV]: inject },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function resultFiles(dir: string): { json: string; md: string } {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('-tiny.json'));
  if (files.length !== 1) throw new Error(`expected one result file in ${dir}, found ${files.join(', ') || 'none'}`);
  return { json: path.join(dir, files[0]), md: path.join(dir, files[0].replace(/\.json$/, '.md')) };
}

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

  it('takes a test-only injection only in its documented form, naming the variable otherwise', () => {
    expect(parseInjection('fail-sample:memory, stop:replay', SCENARIOS)).toEqual(['fail-sample:memory', 'stop:replay']);
    expect(() => parseInjection('explode:memory', SCENARIOS)).toThrow(/^CASEBRIDGE_BENCH_INJECT: explode:memory: each entry must be/);
    expect(() => parseInjection('stop:speed', SCENARIOS)).toThrow(/^CASEBRIDGE_BENCH_INJECT: stop:speed: unknown scenario speed/);
    parseInjection('', SCENARIOS);
  });

  it('exits 2 on a bad injection before starting anything', async () => {
    const before = process.env[INJECT_ENV];
    process.env[INJECT_ENV] = 'stop:nowhere';
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      expect(await run(['--size', 'tiny'])).toBe(2);
    } finally {
      spy.mockRestore();
      if (before === undefined) delete process.env[INJECT_ENV];
      else process.env[INJECT_ENV] = before;
    }
    expect(written.join('')).toMatch(/CASEBRIDGE_BENCH_INJECT: stop:nowhere: unknown scenario/);
  });
});

describe('mapLimit', () => {
  it('lets the lanes in flight finish before it throws, and starts nothing new', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const work = mapLimit([0, 1, 2, 3, 4, 5], 3, async (i) => {
      started.push(i);
      if (i === 0) throw new Error('lane 0 broke');
      await new Promise((r) => setTimeout(r, 50));
      finished.push(i);
      return i;
    });
    await expect(work).rejects.toThrow('lane 0 broke');
    // 1 and 2 were in flight when 0 broke: they ended before the error reached the caller.
    expect(finished.sort()).toEqual([1, 2]);
    expect(started.sort()).toEqual([0, 1, 2]);
  });
});

/** Every scenario's first sample of each kind fails as if Temporal had answered with an error. */
const FAIL_SAMPLES = SCENARIOS.map((s) => `fail-sample:${s}`).join(',');
const injectedReason = (reasons: string[]) => reasons.some((r) => r.includes(`injected sample failure (${INJECT_ENV})`));

describe('bench harness at tiny size, a failed sample in every scenario (real process, embedded dev server)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-bench-test-'));
  let result: BenchResult;
  let bench: Finished;
  let tables = '';

  beforeAll(async () => {
    bench = await runTiny(['--out', out], FAIL_SAMPLES);
    if (bench.code !== 0) throw new Error(`bench exited with ${bench.code}:\n${bench.stderr.slice(-4000)}`);
    const files = resultFiles(out);
    result = BenchResultSchema.parse(JSON.parse(fs.readFileSync(files.json, 'utf8')));
    tables = fs.readFileSync(files.md, 'utf8');
  }, 1_200_000);

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('ran every scenario to the end despite the failed samples, and says on what, with which versions and command', () => {
    expect(bench.code).toBe(0);
    expect(result.outcome).toEqual({ status: 'complete' });
    expect([...result.measured].sort()).toEqual([...SCENARIOS].sort());
    expect(result.injected).toEqual(FAIL_SAMPLES.split(','));
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

  it('prints the tables, the targets last, and writes the same tables beside the JSON', () => {
    for (const heading of ['### Throughput', '### Stalled-case view', '### Input round trip', '### Worker memory', '### Replay', '### Targets']) {
      expect(bench.stdout).toContain(heading);
      expect(tables).toContain(heading);
    }
    expect(bench.stdout.indexOf('### Targets')).toBeGreaterThan(bench.stdout.indexOf('### Worker memory'));
    expect(bench.stdout).toMatch(/Complete: .* measured/);
    expect(tables).toContain('Test run: failures injected');
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
          expect(side.failed).toBeLessThanOrEqual(r.n);
          expect(side.workflowTasks).toBeGreaterThanOrEqual(r.n);
          expect(side.casesPerSec).toBeCloseTo((r.n * 1000) / side.spanMs, 1);
        }
        expect(r.ratio).toBeCloseTo(r.case.casesPerSec / r.bare.casesPerSec, 2);
      }
    }
    // The injected failure of each side was counted in some batch, with its reason.
    for (const side of ['case', 'bare'] as const) {
      const runs = t.paths.flatMap((p) => p.runs.map((r) => r[side]));
      expect(runs.reduce((sum, b) => sum + b.failed, 0)).toBeGreaterThanOrEqual(1);
      expect(injectedReason(runs.flatMap((b) => b.failures))).toBe(true);
    }
    // The desk's work on every path to arrest: the warrant application and affidavit each completed (a revision) and
    // approved (4), with the subpoena approved where the subscriber is identified (domestic: 5); the coordinator's
    // jurisdiction answer instead of the subpoena on the proxy path (5); nothing where the tip is closed without action.
    const updates = (path: string) => t.paths.find((p) => p.path === path)!.perCase.case.updates;
    expect(updates('domestic-arrest')).toBe(5);
    expect(updates('jurisdiction')).toBe(5);
    expect(updates('no-action')).toBe(0);
    expect(t.paths.find((p) => p.path === 'no-action')!.perCase.case.children).toBe(0);
  });

  it('throughput: the cross-border paths run to arrest on the liaison’s answers, the twin doing their updates and children', () => {
    const t = result.throughput!;
    const pathOf = (name: string) => t.paths.find((p) => p.path === name)!;
    // What the liaison recorded on the calibrating case, in order: the order produced; the MLAT acknowledged, then executed.
    expect(pathOf('cloud-act').liaison).toEqual(['cloud-act-order produced']);
    expect(pathOf('mlat').liaison).toEqual(['mlat acknowledged', 'mlat executed']);
    expect(pathOf('eu-order').liaison).toEqual(['eu-production-order produced']);
    // The domestic paths have no liaison.
    for (const name of ['domestic-arrest', 'priority-1', 'no-action', 'jurisdiction']) expect(pathOf(name).liaison).toBeUndefined();
    for (const name of ['cloud-act', 'mlat', 'eu-order']) {
      const p = pathOf(name);
      // A case that closed otherwise than ARRESTED, or before the liaison had answered, is a failure with its reason:
      // none here but the injected one, so every other case of these batches was arrested on the liaison's answers.
      for (const r of p.runs) expect({ path: name, failures: r.case.failures.filter((f) => !f.includes(INJECT_ENV)) }).toEqual({ path: name, failures: [] });
      expect(p.runs.every((r) => r.case.failed < r.n)).toBe(true);
    }
    // The orders run in the case: the liaison's update lands on the case (beside the desk's), with a preservation child;
    // the EU order waits out its refusal window (a fired timer) before the evidence is used.
    for (const name of ['cloud-act', 'eu-order']) {
      const { case: c } = pathOf(name).perCase;
      expect({ path: name, updates: c.updates >= 1 + 2, children: c.children }).toEqual({ path: name, updates: true, children: 1 });
    }
    expect(pathOf('eu-order').perCase.case.timersFired).toBeGreaterThanOrEqual(1);
    // The MLAT runs in its own child, which reports to the case by signal: the twin's child sends as many and its parent
    // receives every one (the case outlives its MLAT; a bare parent ending first would lose the last ones).
    const mlat = pathOf('mlat').perCase;
    expect(mlat.case.children).toBe(1);
    expect(mlat.case.updates).toBeGreaterThanOrEqual(2);
    expect(mlat.case.signalsSent).toBeGreaterThan(0);
    expect(mlat.bare.signalsReceived).toBe(mlat.case.signalsReceived);
  });

  it('stalled view: the same fixed answer at every size, and the naive way agrees with it', () => {
    const s = result.stalledView!;
    expect(s.sizes.map((x) => x.openCases)).toEqual(tiny.openCases.sizes);
    for (const size of s.sizes) {
      expect(size.answer).toBe(tiny.openCases.answer);
      expect(size.naiveAgrees).toBe(true);
      // Every planned sample is either in the latency or counted as failed, never lost.
      for (const [l, f] of [
        [size.stalled, size.failures.stalled],
        [size.deadlines, size.failures.deadlines],
      ] as const) {
        expect(l.samples + f.failed).toBe(tiny.stalledView.samples);
        expect(l.p50Ms).toBeLessThanOrEqual(l.p95Ms);
      }
      expect(size.naive.samples + size.failures.naive.failed).toBe(tiny.stalledView.naiveSamples);
    }
    // The injected failures hit the first size, once per kind of sample, and the scenario carried on.
    const first = s.sizes[0].failures;
    for (const f of [first.stalled, first.deadlines, first.naive]) {
      expect(f.failed).toBeGreaterThanOrEqual(1);
      expect(injectedReason(f.reasons)).toBe(true);
    }
  });

  it('round trip: a liaison’s respond, every sample on both sides, the halves adding up', () => {
    const r = result.roundTrip!;
    expect(r.update).toMatch(/^respond \(liaison\): \S+ \S+ → '[a-z-]+' → [A-Z_]+/);
    expect(r.ratioP50).toBeCloseTo(r.case.p50Ms / r.bare.p50Ms, 2);
    // A failed round trip is left out and counted (not retried): the samples and the failures add up to the plan.
    expect(r.case.samples + r.failures.case.failed).toBe(tiny.roundTrip.samples);
    expect(r.bare.samples + r.failures.bare.failed).toBe(tiny.roundTrip.samples);
    for (const f of [r.failures.case, r.failures.bare]) {
      expect(f.failed).toBeGreaterThanOrEqual(1);
      expect(f.retried).toBe(0);
      expect(injectedReason(f.reasons)).toBe(true);
    }
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
          expect(f.loadQuery.samples + f.loadFailures.failed).toBe(2 * size.openCases);
        }
      }
    }
    // The injected failure of a load query was retried (the figure does not time the query), so the
    // cache still holds every workflow (checked above) and nothing was given up.
    const first = m.sizes[0].settings[0];
    for (const f of [first.case.loadFailures, first.bare.loadFailures]) {
      expect(f.retried).toBeGreaterThanOrEqual(1);
      expect(f.failed).toBe(0);
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
    for (const side of [r.case, r.bare]) {
      expect(side.replay.samples + side.failures.failed).toBe(tiny.replay.repeats);
      expect(side.failures.failed).toBeGreaterThanOrEqual(1);
      expect(injectedReason(side.failures.reasons)).toBe(true);
    }
  });
});

describe('a run that breaks part-way keeps what it measured (real process, embedded dev server)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-bench-test-'));
  let result: BenchResult;
  let bench: Finished;
  let tables = '';

  beforeAll(async () => {
    // Replay is measured first; memory measures its first size, then the harness breaks.
    bench = await runTiny(['--scenario', 'replay,memory', '--out', out], 'stop:memory');
    const files = resultFiles(out);
    result = BenchResultSchema.parse(JSON.parse(fs.readFileSync(files.json, 'utf8')));
    tables = fs.readFileSync(files.md, 'utf8');
  }, 1_200_000);

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('exits non-zero, saying in which scenario it stopped and why', () => {
    expect(bench.code).toBe(1);
    expect(bench.stderr).toMatch(/bench: stopped in memory: Error: injected harness failure after 1 part of memory \(CASEBRIDGE_BENCH_INJECT\)/);
    expect(bench.stderr).toMatch(/what was measured before is in /);
    expect(result.outcome).toMatchObject({ status: 'stopped', scenario: 'memory' });
    expect(result.outcome.status === 'stopped' && result.outcome.reason).toMatch(/^Error: injected harness failure after 1 part of memory/);
  });

  it('keeps the scenario measured before, whole, on disk and in its output', () => {
    expect(result.measured).toEqual(['replay']);
    const r = result.replay!;
    expect(r.case.replay.samples).toBe(tiny.replay.repeats);
    expect(r.ratioP50).toBeGreaterThan(0);
    for (const text of [bench.stdout, tables]) {
      expect(text).toContain('### Replay');
      expect(text).toContain('**Stopped in memory**');
      expect(text).toContain('### Targets');
    }
  });

  it('keeps the part of the stopped scenario it had measured', () => {
    const m = result.memory!;
    expect(m.sizes.map((s) => s.openCases)).toEqual([tiny.openCases.sizes[0]]);
    for (const st of m.sizes[0].settings) expect(st.case.cached.cachedWorkflows).toBe(Math.min(2 * tiny.openCases.sizes[0], st.maxCachedWorkflows));
    expect(bench.stdout).toContain('### Worker memory');
    expect(tables).toContain('### Worker memory');
    // Judged from what was measured; the scenarios not selected are not run.
    expect(result.targets.find((t) => t.name === 'cached-heap')!.met).not.toBeNull();
    expect(result.targets.find((t) => t.name === 'throughput')!.measured).toBe('not run');
    expect(result.stalledView).toBeUndefined();
  });
});
