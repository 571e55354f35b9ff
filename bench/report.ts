/**
 * Issue 7's targets, each judged from one run's ratios, and the tables (Markdown, so BENCHMARKS.md
 * can quote them as they are): printed scenario by scenario as each is measured, and written whole
 * beside the JSON after each. Nothing here fails a run: a missed target is a finding to explain, not
 * an error.
 */
import type { BenchResult, Failures, Latency, Target } from './result';

const x = (r: number) => `${r.toFixed(2)}×`;
const msf = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const lat = (l: Latency) => `${msf(l.p50Ms)} / ${msf(l.p95Ms)}`;
const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const n = (v: number) => v.toLocaleString('en-US');
/** A figure's failed samples, beside it: `0`, or `2 (1 retried)`. */
/** A table row of a latency's spread; the samples and failures only on the rows that measured whole samples. */
const spread = (label: string, l: Latency, samples: number | '' = '', failures = ''): (string | number)[] => [
  label,
  msf(l.p50Ms),
  msf(l.p95Ms),
  msf(l.minMs),
  msf(l.maxMs),
  samples,
  failures,
];
const failed = (f: Failures) => `${f.failed}${f.retried ? ` (${f.retried} retried)` : ''}`;
const reasons = (label: string, fs: Failures[]) => {
  const all = fs.flatMap((f) => f.reasons);
  return all.length ? [`${label}: ${all.map((r) => `\`${r}\``).join('; ')}`] : [];
};

export type Section = 'throughput' | 'stalled-view' | 'round-trip' | 'memory' | 'replay';

export function targets(r: Omit<BenchResult, 'targets'>): Target[] {
  const out: Target[] = [];
  const t = r.throughput;
  if (t) {
    const largest = Math.max(...t.paths.flatMap((p) => p.runs.map((run) => run.n)));
    const at = t.paths.map((p) => ({ path: p.path, ratio: p.runs.find((run) => run.n === largest)!.ratio }));
    const worst = at.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    out.push({
      name: 'throughput',
      target: 'case throughput ≥ 0.8 × bare',
      measured: `worst ${x(worst.ratio)} (${worst.path}, N=${n(largest)}); ${at.map((a) => `${a.path} ${x(a.ratio)}`).join(', ')}`,
      met: worst.ratio >= 0.8,
    });
  } else out.push({ name: 'throughput', target: 'case throughput ≥ 0.8 × bare', measured: 'not run', met: null });

  const s = r.stalledView;
  if (s && s.sizes.length > 1) {
    const first = s.sizes[0];
    const last = s.sizes[s.sizes.length - 1];
    out.push({
      name: 'stalled-view-growth',
      target: 'stalled view at 10,000 open cases ≤ 1.5 × its latency at 1,000',
      measured: `p50 at ${n(last.openCases)} ÷ at ${n(first.openCases)}: stalled ${x(s.stalledGrowth)}, deadlines ${x(s.deadlinesGrowth)}`,
      met: s.stalledGrowth <= 1.5 && s.deadlinesGrowth <= 1.5,
    });
  } else out.push({ name: 'stalled-view-growth', target: 'stalled view at 10,000 open cases ≤ 1.5 × its latency at 1,000', measured: 'not run', met: null });
  if (s) {
    const last = s.sizes[s.sizes.length - 1];
    out.push({
      name: 'stalled-view-vs-naive',
      target: 'stalled view ≥ 20 × faster than querying each case',
      measured: `at ${n(last.openCases)} open cases, naive p50 ÷ view p50: stalled ${x(last.naiveOverStalled)}, deadlines ${x(last.naiveOverDeadlines)}`,
      met: last.naiveOverStalled >= 20 && last.naiveOverDeadlines >= 20,
    });
  } else out.push({ name: 'stalled-view-vs-naive', target: 'stalled view ≥ 20 × faster than querying each case', measured: 'not run', met: null });

  const rt = r.roundTrip;
  out.push(
    rt
      ? {
          name: 'round-trip',
          target: 'liaison round trip ≤ 1.2 × a bare update',
          measured: `p50 ${x(rt.ratioP50)} (${msf(rt.case.p50Ms)} vs ${msf(rt.bare.p50Ms)} ms), p95 ${x(rt.ratioP95)}`,
          met: rt.ratioP50 <= 1.2,
        }
      : { name: 'round-trip', target: 'liaison round trip ≤ 1.2 × a bare update', measured: 'not run', met: null },
  );

  const m = r.memory;
  if (m) {
    const last = m.sizes[m.sizes.length - 1];
    const all = last.settings[0];
    out.push({
      name: 'cached-heap',
      target: 'a cached case’s heap ≤ 2 × a bare workflow’s',
      measured: `${x(all.heapRatio)} at ${n(last.openCases)} cached (${kb(all.case.heapPerCaseBytes)} vs ${kb(all.bare.heapPerCaseBytes)} KB per case with its child)`,
      met: all.heapRatio > 0 && all.heapRatio <= 2,
    });
  } else out.push({ name: 'cached-heap', target: 'a cached case’s heap ≤ 2 × a bare workflow’s', measured: 'not run', met: null });
  return out;
}

function table(headers: string[], rows: (string | number)[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The run's header: what ran, where, with what (the load at the last write). */
export function renderHeader(r: BenchResult): string {
  return (
    `Run ${r.date} · size ${r.size} · ${r.machine.cpuModel} × ${r.machine.cores} cores, ${(r.machine.memoryBytes / 1024 ** 3).toFixed(0)} GB · ` +
    `load ${r.machine.loadAvgStart.join('/')} → ${r.machine.loadAvgEnd.join('/')} · node ${r.versions.node}, Temporal CLI ${r.versions.temporalCli}, SDK ${r.versions.sdk}\n` +
    `Server: ${r.server}\nCommand: \`${r.command}\`` +
    (r.casePreloadModules.length ? `\nExperiment: case bundle with preloadModules ${r.casePreloadModules.join(', ')} (not the product's build)` : '') +
    (r.injected.length ? `\nTest run: failures injected (${r.injected.join(', ')}); its figures are not measurements` : '')
  );
}

/** How the run ended, or that it has not. */
export function renderOutcome(r: BenchResult): string {
  const o = r.outcome;
  const measured = r.measured.join(', ') || 'nothing';
  const after = `${(r.durationMs / 1000).toFixed(0)} s, load ${r.machine.loadAvgEnd.join('/')}`;
  if (o.status === 'complete') return `Complete: ${measured} measured (${after})`;
  if (o.status === 'stopped') return `**Stopped in ${o.scenario}** (${after}): ${o.reason}\nMeasured before it: ${measured}`;
  return `Running${o.scenario ? ` (${o.scenario})` : ''}: ${measured} measured so far (${after})`;
}

/** One scenario's tables, or '' when the result has none of it yet. */
export function renderSection(r: BenchResult, section: Section): string {
  const parts: string[] = [];
  if (section === 'throughput' && r.throughput) {
    parts.push('### Throughput (demo profile, N cases of each path submitted at once)');
    parts.push(
      table(
        [
          'path',
          'N',
          'case cases/s',
          'bare cases/s',
          'ratio',
          'case tasks/s',
          'bare tasks/s',
          'events/case (case / bare)',
          'server CPU ms/case (case / bare)',
          'bench CPU ms/case (case / bare)',
          'order',
          'load 1m',
          'failed (case / bare)',
        ],
        r.throughput.paths.flatMap((p) =>
          p.runs.map((run) => [
            p.path,
            n(run.n),
            run.case.casesPerSec.toFixed(1),
            run.bare.casesPerSec.toFixed(1),
            x(run.ratio),
            run.case.tasksPerSec.toFixed(0),
            run.bare.tasksPerSec.toFixed(0),
            `${run.case.eventsPerCase.toFixed(0)} / ${run.bare.eventsPerCase.toFixed(0)}`,
            `${run.case.serverCpuMsPerCase.toFixed(0)} / ${run.bare.serverCpuMsPerCase.toFixed(0)}`,
            `${run.case.benchCpuMsPerCase.toFixed(0)} / ${run.bare.benchCpuMsPerCase.toFixed(0)}`,
            run.order,
            `${run.case.loadBefore.toFixed(1)}–${run.case.loadAfter.toFixed(1)}`,
            `${run.case.failed} / ${run.bare.failed}`,
          ]),
        ),
      ),
    );
    const failures = r.throughput.paths.flatMap((p) => p.runs.flatMap((run) => run.case.failures.concat(run.bare.failures)));
    if (failures.length) parts.push(`Failed workflows (first of each batch): ${failures.map((f) => `\`${f}\``).join('; ')}`);
    parts.push('Work per case, children included (case / bare):');
    parts.push(
      table(
        ['path', 'activities', 'timers fired', 'timers cancelled', 'updates', 'signals', 'children', 'SA upserts', 'workflow tasks', 'events'],
        r.throughput.paths.map((p) => {
          const c = p.perCase.case;
          const b = p.perCase.bare;
          const pair = (k: keyof typeof c) => `${c[k]} / ${b[k]}`;
          return [
            p.path,
            pair('activities'),
            pair('timersFired'),
            pair('timersCancelled'),
            pair('updates'),
            pair('signalsSent'),
            pair('children'),
            pair('searchAttributeUpserts'),
            pair('workflowTasks'),
            pair('events'),
          ];
        }),
      ),
    );
    const answered = r.throughput.paths.filter((p) => p.liaison?.length);
    if (answered.length)
      parts.push(`Answers from abroad, recorded by the bench's liaison (respond): ${answered.map((p) => `${p.path}: ${p.liaison!.join(', ')}`).join('; ')}`);
  }
  if (section === 'stalled-view' && r.stalledView) {
    parts.push(`### Stalled-case view (ms, p50 / p95)\n${r.stalledView.method}`);
    parts.push(
      table(
        [
          'open cases',
          'answer',
          'stalled',
          'deadlines',
          'naive',
          'naive ÷ stalled',
          'naive ÷ deadlines',
          'naive agrees',
          'failed (stalled / deadlines / naive)',
        ],
        r.stalledView.sizes.map((s) => [
          n(s.openCases),
          s.answer,
          lat(s.stalled),
          lat(s.deadlines),
          lat(s.naive),
          x(s.naiveOverStalled),
          x(s.naiveOverDeadlines),
          s.naiveAgrees ? 'yes' : 'NO',
          `${failed(s.failures.stalled)} / ${failed(s.failures.deadlines)} / ${failed(s.failures.naive)}`,
        ]),
      ),
    );
    parts.push(
      ...reasons(
        'Failed samples (first few)',
        r.stalledView.sizes.flatMap((s) => [s.failures.stalled, s.failures.deadlines, s.failures.naive]),
      ),
    );
    parts.push(`Growth of p50 from the smallest to the largest size: stalled ${x(r.stalledView.stalledGrowth)}, deadlines ${x(r.stalledView.deadlinesGrowth)}`);
  }
  if (section === 'round-trip' && r.roundTrip) {
    const rt = r.roundTrip;
    parts.push(`### Input round trip (ms)\n${r.roundTrip.method}; update: ${r.roundTrip.update}`);
    parts.push(
      table(
        ['side', 'p50', 'p95', 'min', 'max', 'samples', 'failed'],
        [
          spread('case: update + status', rt.case, rt.case.samples, failed(rt.failures.case)),
          spread('… of which the update', rt.parts.caseUpdate),
          spread('… of which `status`', rt.parts.caseQuery),
          spread('bare: update + query', rt.bare, rt.bare.samples, failed(rt.failures.bare)),
          spread('… of which the update', rt.parts.bareUpdate),
          spread('… of which the query', rt.parts.bareQuery),
          ['ratio', x(rt.ratioP50), x(rt.ratioP95), '', '', '', ''],
        ],
      ),
    );
    parts.push(...reasons('Failed round trips (first few)', [r.roundTrip.failures.case, r.roundTrip.failures.bare]));
  }
  if (section === 'memory' && r.memory) {
    parts.push(
      `### Worker memory (MB; per case in KB, a case with its child)\n${r.memory.method}; a parked case's status + timeline JSON: ${kb(r.memory.caseRecordBytes)} KB`,
    );
    parts.push(
      table(
        [
          'open',
          'maxCached',
          'kind',
          'idle RSS / heap',
          'cached RSS / heap',
          'in cache',
          'evicted RSS / heap',
          'heap/case',
          'RSS/case',
          'heap ratio',
          'load query ms p50 / max',
          'failed queries',
        ],
        r.memory.sizes.flatMap((s) =>
          s.settings.flatMap((st) =>
            (['case', 'bare'] as const).map((k) => {
              const f = st[k];
              return [
                n(s.openCases),
                n(st.maxCachedWorkflows),
                k,
                `${mb(f.idle.rssBytes)} / ${mb(f.idle.heapUsedBytes)}`,
                `${mb(f.cached.rssBytes)} / ${mb(f.cached.heapUsedBytes)}`,
                n(f.cached.cachedWorkflows),
                `${mb(f.evicted.rssBytes)} / ${mb(f.evicted.heapUsedBytes)}`,
                kb(f.heapPerCaseBytes),
                kb(f.rssPerCaseBytes),
                k === 'case' ? x(st.heapRatio) : '',
                `${msf(f.loadQuery.p50Ms)} / ${msf(f.loadQuery.maxMs)}`,
                failed(f.loadFailures),
              ];
            }),
          ),
        ),
      ),
    );
    parts.push(
      ...reasons(
        'Failed load queries (first few)',
        r.memory.sizes.flatMap((s) => s.settings.flatMap((st) => [st.case.loadFailures, st.bare.loadFailures])),
      ),
    );
  }
  if (section === 'replay' && r.replay) {
    parts.push(`### Replay (ms)\n${r.replay.method}`);
    parts.push(
      table(
        ['history', 'events', 'p50', 'p95', 'replays', 'failed'],
        [
          [
            'long case',
            n(r.replay.case.events),
            msf(r.replay.case.replay.p50Ms),
            msf(r.replay.case.replay.p95Ms),
            r.replay.case.replay.samples,
            failed(r.replay.case.failures),
          ],
          [
            'bare, same length',
            n(r.replay.bare.events),
            msf(r.replay.bare.replay.p50Ms),
            msf(r.replay.bare.replay.p95Ms),
            r.replay.bare.replay.samples,
            failed(r.replay.bare.failures),
          ],
          ['ratio', '', x(r.replay.ratioP50), '', '', ''],
        ],
      ),
    );
    if (r.replay.setup.retried) parts.push(`Writing the histories: ${failed(r.replay.setup)} updates`);
    parts.push(...reasons('Failed replays and retried updates (first few)', [r.replay.case.failures, r.replay.bare.failures, r.replay.setup]));
  }
  return parts.join('\n\n');
}

export function renderTargets(r: BenchResult): string {
  return [
    '### Targets',
    table(
      ['target', 'measured', 'met'],
      r.targets.map((t) => [t.target, t.measured, t.met === null ? '–' : t.met ? 'yes' : 'no']),
    ),
  ].join('\n\n');
}

export const SECTIONS: readonly Section[] = ['throughput', 'stalled-view', 'round-trip', 'memory', 'replay'];

/** Everything so far, as written beside the JSON (and quoted in BENCHMARKS.md). */
export function renderTables(r: BenchResult): string {
  return [renderHeader(r), renderOutcome(r), ...SECTIONS.map((s) => renderSection(r, s)).filter((x) => x !== ''), renderTargets(r)].join('\n\n') + '\n';
}
