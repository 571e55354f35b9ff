/**
 * Worker memory with many open cases: RSS and heap of a worker process holding them in its cache,
 * and after they are evicted, for two `maxCachedWorkflows` settings, beside bare workflows parked
 * the same way.
 *
 * For each size, setting and kind (case or bare), a fresh worker process (bench/memory-worker.ts,
 * --expose-gc) is the only worker on the population's task queue. It is measured idle; then every
 * open case and its preservation child (or every bare workflow and its child) is queried once, which
 * makes the worker replay it into its cache; it is measured again ("cached", with as many as the
 * setting allows); then its worker is shut down (which evicts every cached workflow) and a fresh one
 * started in the same process, and it is measured a third time ("evicted"). Per-case figures are
 * (cached − idle) ÷ cases in the cache, a case counting with its child.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { statusQuery, timelineQuery } from '../../workflows/messages';
import { preservationStatusQuery, preservationWorkflowId } from '../../workflows/preservation';
import type { BenchEnv } from '../env';
import { NAMESPACE, queueFor, type Kind } from '../env';
import { CONFIG_ENV, type MemoryCommand, type MemoryReply, type MemoryWorkerConfig } from '../memory-worker';
import { progress } from '../progress';
import type { MemoryFigures, MemoryResult } from '../result';
import { injectSampleFailure } from '../inject';
import { Tally, sample, summarizeSamples } from '../samples';
import { mapLimit, ratio, timed } from '../stats';
import { bareChildId, bareStateQuery } from '../workflows/bare';
import { OPEN_TASK_QUEUE, quiesce, stopWorker, type Population } from './open-cases';

export interface MemoryOptions {
  /** Heap limit of the worker process (MB). */
  maxOldSpaceMb: number;
  /** The larger cache setting never exceeds this (workflows): it must fit in the heap limit. */
  maxCache: number;
  loadConcurrency: number;
  /** Measure the case and the bare worker processes at once (tiny only). */
  parallelKinds?: boolean;
}

/** Further attempts for a load query that failed. */
const LOAD_RETRIES = 2;

class WorkerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (r: MemoryReply) => void>();
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: MemoryReply) => {
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(config: MemoryWorkerConfig, maxOldSpaceMb: number): Promise<WorkerProcess> {
    const child = fork(path.join(__dirname, '..', 'memory-worker.js'), [], {
      execArgv: ['--expose-gc', `--max-old-space-size=${maxOldSpaceMb}`],
      env: { ...process.env, [CONFIG_ENV]: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const wp = new WorkerProcess(child);
    const ready = new Promise<MemoryReply>((resolve) => wp.pending.set(0, resolve));
    const outcome = await Promise.race([ready, wp.exited.then((code) => ({ id: 0, ok: false, error: `memory worker exited with code ${code}` }))]);
    if (!outcome.ok) throw new Error(outcome.error);
    return wp;
  }

  async call(cmd: MemoryCommand['cmd']): Promise<MemoryReply> {
    const id = this.nextId++;
    const reply = new Promise<MemoryReply>((resolve) => this.pending.set(id, resolve));
    this.child.send({ id, cmd } satisfies MemoryCommand);
    const r = await Promise.race([reply, this.exited.then((code) => ({ id, ok: false, error: `memory worker exited with code ${code}` }))]);
    if (!r.ok) throw new Error(`memory worker ${cmd}: ${r.error}`);
    return r;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      await this.call('exit').catch(() => this.child.kill('SIGKILL'));
      await this.exited;
    }
  }
}

/**
 * Fills the worker's cache: one query per workflow (the case's `status`, its child's; the bare pair's
 * state). A failed query is retried (the figure is the memory of a full cache, not the query's time:
 * a retry hides nothing), then counted; a workflow whose query gave up is simply not in the cache,
 * which the worker's own count shows.
 */
async function load(
  client: Client,
  kind: Kind,
  ids: string[],
  concurrency: number,
  label: string,
): Promise<{ ms: number; queryMs: number[]; failures: Tally }> {
  const bar = progress(label, ids.length);
  const failures = new Tally(label);
  const queryMs: number[] = [];
  const query = async (workflowId: string, fn: () => Promise<unknown>) => {
    const t = await sample(
      failures,
      `query ${workflowId}`,
      () => {
        injectSampleFailure('memory', kind);
        return timed(fn);
      },
      { retries: LOAD_RETRIES },
    );
    if (t) queryMs.push(t.ms);
  };
  const { ms } = await timed(() =>
    mapLimit(ids, concurrency, async (id) => {
      if (kind === 'case') {
        await query(id, () => client.workflow.getHandle(id).query(statusQuery));
        const child = preservationWorkflowId(id);
        await query(child, () => client.workflow.getHandle(child).query(preservationStatusQuery));
      } else {
        await query(id, () => client.workflow.getHandle(id).query(bareStateQuery));
        const child = bareChildId(id, 0);
        await query(child, () => client.workflow.getHandle(child).query(bareStateQuery));
      }
      bar.tick();
    }),
  );
  bar.done(failures.failed ? `${failures.failed} queries failed` : undefined);
  return { ms, queryMs, failures };
}

async function measureKind(env: BenchEnv, kind: Kind, ids: string[], maxCachedWorkflows: number, opts: MemoryOptions): Promise<MemoryFigures> {
  const wp = await WorkerProcess.start(
    { address: env.address, namespace: NAMESPACE, taskQueue: queueFor(OPEN_TASK_QUEUE, kind), bundlePath: env.bundles[kind].path, maxCachedWorkflows },
    opts.maxOldSpaceMb,
  );
  try {
    const idle = await wp.call('measure');
    const loaded = await load(env.client, kind, ids, opts.loadConcurrency, `memory: ${ids.length} ${kind}s into a cache of ${maxCachedWorkflows}`);
    const cached = await wp.call('measure');
    await wp.call('evict');
    const evicted = await wp.call('measure');
    const cases = cached.cachedWorkflows! / 2;
    return {
      idle: { rssBytes: idle.rssBytes!, heapUsedBytes: idle.heapUsedBytes! },
      cached: { rssBytes: cached.rssBytes!, heapUsedBytes: cached.heapUsedBytes!, cachedWorkflows: cached.cachedWorkflows! },
      evicted: { rssBytes: evicted.rssBytes!, heapUsedBytes: evicted.heapUsedBytes!, cachedWorkflows: evicted.cachedWorkflows! },
      heapPerCaseBytes: cases > 0 ? Math.round((cached.heapUsedBytes! - idle.heapUsedBytes!) / cases) : 0,
      rssPerCaseBytes: cases > 0 ? Math.round((cached.rssBytes! - idle.rssBytes!) / cases) : 0,
      loadMs: Math.max(1, Math.round(loaded.ms)),
      loadQuery: summarizeSamples(`the load queries (${kind}, cache of ${maxCachedWorkflows})`, loaded.queryMs, loaded.failures),
      loadFailures: loaded.failures.toJSON(),
    };
  } finally {
    await wp.stop();
  }
}

export type MemorySize = MemoryResult['sizes'][number];

/**
 * Two settings: room for every case with its child (up to `maxCache`, which the heap limit must
 * hold), and a tenth of that.
 */
export function cacheSettings(openCases: number, maxCache: number): number[] {
  const large = Math.min(2 * openCases, maxCache);
  return [large, Math.max(4, Math.round(large / 10))];
}

export async function measureMemory(env: BenchEnv, pop: Population, opts: MemoryOptions): Promise<MemorySize> {
  // Nothing may be left for the memory worker to run but the queries (see quiesce), and it must be
  // the only worker on the queue.
  await quiesce(env, pop);
  await stopWorker(pop);
  const n = pop.caseIds.length;
  const settings: MemorySize['settings'] = [];
  for (const maxCachedWorkflows of cacheSettings(n, opts.maxCache)) {
    // Each kind has its own task queue and worker process; tiny measures them at once to stay short.
    const [c, b] = opts.parallelKinds
      ? await Promise.all([
          measureKind(env, 'case', pop.caseIds, maxCachedWorkflows, opts),
          measureKind(env, 'bare', pop.bareIds.slice(0, n), maxCachedWorkflows, opts),
        ])
      : [
          await measureKind(env, 'case', pop.caseIds, maxCachedWorkflows, opts),
          await measureKind(env, 'bare', pop.bareIds.slice(0, n), maxCachedWorkflows, opts),
        ];
    settings.push({ maxCachedWorkflows, case: c, bare: b, heapRatio: b.heapPerCaseBytes > 0 ? ratio(c.heapPerCaseBytes, b.heapPerCaseBytes) : 0 });
  }
  return { openCases: n, settings };
}

/** The JSON size of one parked case's record as its status and timeline queries return it. */
export async function caseRecordBytes(client: Client, caseId: string): Promise<number> {
  const h = client.workflow.getHandle(caseId);
  const [status, timeline] = await Promise.all([h.query(statusQuery), h.query(timelineQuery)]);
  return JSON.stringify(status).length + JSON.stringify(timeline).length;
}

export function memoryResult(sizes: MemorySize[], recordBytes: number, opts: MemoryOptions): MemoryResult {
  return {
    method:
      `one worker process per size × setting × kind (--expose-gc, --max-old-space-size=${opts.maxOldSpaceMb}, debugMode: workflows in the main isolate); ` +
      `settings: every case with its child (at most ${opts.maxCache} workflows) and a tenth of that; ` +
      `population quiet first (no pending task or activity); cache filled by one query per workflow (${opts.loadConcurrency} at a time; a failed query retried twice, then counted); evicted = worker shut down and a fresh one started in the same process; gc ×3 before each reading; case and bare processes ${opts.parallelKinds ? 'at the same time (tiny)' : 'one after the other'}`,
    sizes,
    caseRecordBytes: recordBytes,
  };
}
