/**
 * The bench's own Temporal: the product's embedded dev server (`temporal server start-dev` on a
 * SQLite file, worker/embedded-server.ts) in a fresh temporary folder on free ports, one client, the
 * bench bundle (CaseBridge's workflows beside the bare baselines) and in-process workers.
 */
import fs from 'node:fs';
import { freePort } from '../platform/free-port';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { FAILURE_CONVERTER_PATH, caseBridgeDataConverter, loadPayloadCodec } from '../platform/connection';
import { createLogger } from '../platform/logger';
import { ClusterProfile, clusterToolsDir } from '../worker/cluster/profile';
import { startEmbeddedServer } from '../worker/embedded-server';
import { installRuntime } from '../worker/runtime';
import { WORKFLOWS_PATH, createCaseBridgeWorker } from '../worker/worker';
import { createBenchActivities } from './activities';
import { approveWhenHeld } from './document-desk';
import type { SimulatedSystems } from '../activities/simulators';

/** The bare baselines' workflows; cases run from the product's own (worker/worker.ts WORKFLOWS_PATH). */
export const BARE_WORKFLOWS_PATH = require.resolve(path.join(__dirname, 'workflows'));
export const NAMESPACE = 'default';

/** Cases and bare workflows run on separate workers (one bundle each), on these task queues. */
export type Kind = 'case' | 'bare';
export const queueFor = (base: string, kind: Kind): string => `${base}-${kind}`;

export interface RunningWorker {
  /** Workflow activations and activities the worker(s) are processing right now. */
  inFlight(): number;
  stop(): Promise<void>;
}

export interface BenchEnv {
  client: Client;
  address: string;
  /** The Temporal server's process id (dev server or cluster), to read its CPU time (see cpu.ts). */
  serverPid: number;
  dataDir: string;
  /** Each kind's bundle, in memory and on disk (for worker processes the bench spawns). */
  bundles: Record<Kind, { code: string; path: string }>;
  systems: SimulatedSystems;
  log: Logger;
  /** An in-process worker for `kind` on `queueFor(base, kind)` (CaseBridge's and the bare activities). */
  startWorker(base: string, kind: Kind, opts?: { maxCachedWorkflows?: number }): Promise<RunningWorker>;
  /** Both kinds' workers on `base`. */
  startWorkers(base: string): Promise<RunningWorker>;
  teardown(): Promise<void>;
}

/**
 * Modules to share across case workflows (`bundleWorkflowCode({ preloadModules })`), from
 * CASEBRIDGE_BENCH_PRELOAD (comma-separated; `case`, `policy`, … name modules of workflows/ as the
 * worker bundles them, anything else is a package): a tuning experiment, off by default so the bench
 * measures the worker as the product builds it. Recorded in the results.
 */
export function casePreloadModules(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.CASEBRIDGE_BENCH_PRELOAD ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
}

function resolvePreload(name: string): string {
  try {
    return require.resolve(path.join(path.dirname(WORKFLOWS_PATH), name));
  } catch {
    return name;
  }
}

/** Set to 1 to keep the run's server folder (SQLite file, temporal-server.log, bundles) after the run, to look into a failure. */
export const KEEP_DATA_ENV = 'CASEBRIDGE_BENCH_KEEP_DATA';
const keepData = () => process.env[KEEP_DATA_ENV] === '1';

export const BENCH_SERVERS = ['embedded', 'cluster'] as const;
export type BenchServer = (typeof BENCH_SERVERS)[number];
/** Apart from `make cluster-up`'s (15432/17233) and the tests' (15452/17433, 15472/17633). */
const BENCH_CLUSTER_PORTS = { pg: 15492, frontend: 17833 } as const;

/** The bench's server, whichever it is: where it listens, its process (for CPU), how to stop it. */
interface ServerUnderTest {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

async function startServerUnderTest(kind: BenchServer, dataDir: string, log: Logger): Promise<ServerUnderTest> {
  if (kind === 'cluster') {
    const profile = new ClusterProfile({
      dir: dataDir,
      // Fixed, below the ephemeral range: the server takes the frontend's port and 20 after it, which a
      // kernel-picked port's neighbours cannot promise (seen: the server exited on a taken neighbour).
      pgPort: BENCH_CLUSTER_PORTS.pg,
      port: BENCH_CLUSTER_PORTS.frontend,
      namespace: NAMESPACE,
      retentionDays: 1,
      toolsDir: clusterToolsDir(),
    });
    try {
      await profile.up();
    } catch (err) {
      await profile.down().catch(() => undefined);
      throw err;
    }
    return { address: profile.address, pid: profile.server.runningPid() ?? 0, stop: () => profile.down() };
  }
  const server = await startEmbeddedServer({
    cliPath: loadConfig().TEMPORAL_CLI_PATH,
    dataDir,
    port: await freePort(),
    uiPort: 0,
    namespace: NAMESPACE,
    retentionDays: 1,
    logger: log,
  });
  return { address: server.address, pid: server.process.pid ?? 0, stop: () => server.stop() };
}

export async function startBenchEnv(opts: { server?: BenchServer } = {}): Promise<BenchEnv> {
  const casePreload = casePreloadModules();
  // Logs go to stderr at warn: stdout is the results table.
  const log = createLogger({ level: process.env.CASEBRIDGE_LOG_LEVEL ?? 'warn', name: 'casebridge-bench', destination: pino.destination(2) });
  installRuntime(log);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-bench-'));
  let server: ServerUnderTest | undefined;
  const connections: { close(): Promise<void> }[] = [];
  try {
    server = await startServerUnderTest(opts.server ?? 'embedded', dataDir, log);
    const dataConverter = caseBridgeDataConverter();
    const codec = loadPayloadCodec() !== undefined;
    const bundle = async (kind: Kind, workflowsPath: string, preloadModules: string[] = []) => {
      const { code } = await bundleWorkflowCode({
        workflowsPath,
        preloadModules,
        // As the product's worker bundles (worker/worker.ts with caseBridgeDataConverter).
        ...(codec ? { failureConverterPath: FAILURE_CONVERTER_PATH } : {}),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => log.error(m) },
      });
      const file = path.join(dataDir, `${kind}-bundle.js`);
      fs.writeFileSync(file, code);
      return { code, path: file };
    };
    const bundles: Record<Kind, { code: string; path: string }> = {
      case: await bundle('case', WORKFLOWS_PATH, casePreload.map(resolvePreload)),
      bare: await bundle('bare', BARE_WORKFLOWS_PATH),
    };
    const connection = await Connection.connect({ address: server.address });
    connections.push(connection);
    const client = new Client({ connection, namespace: NAMESPACE, dataConverter });
    // The document desk approves what a case's request waits for the moment it is generated (bench/document-desk.ts).
    const desk = new Set<Promise<void>>();
    const bench = createBenchActivities(dataDir, (documentId) => {
      const p = approveWhenHeld(client, bench.documents, documentId)
        .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'the bench desk failed to approve a document'))
        .finally(() => desk.delete(p));
      desk.add(p);
    });
    const { activities, systems } = bench;
    const workers = new Set<RunningWorker>();
    const srv = server;

    const startWorker: BenchEnv['startWorker'] = async (base, kind, opts = {}) => {
      const nativeConnection = await NativeConnection.connect({ address: srv.address });
      const cache = opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {};
      // Cases run on the product's own worker (worker/worker.ts); the bare baselines on a plain SDK
      // worker with the same data converter, so the two differ only in what CaseBridge adds.
      const worker =
        kind === 'case'
          ? await createCaseBridgeWorker({
              connection: nativeConnection,
              namespace: NAMESPACE,
              taskQueue: queueFor(base, kind),
              activities,
              workflowBundle: { code: bundles.case.code },
              ...cache,
            })
          : await Worker.create({
              connection: nativeConnection,
              namespace: NAMESPACE,
              taskQueue: queueFor(base, kind),
              workflowBundle: { code: bundles.bare.code },
              activities,
              dataConverter,
              ...cache,
            });
      const running = worker.run().finally(() => nativeConnection.close());
      const handle: RunningWorker = {
        inFlight() {
          const st = worker.getStatus();
          return st.numInFlightWorkflowActivations + st.numInFlightActivities;
        },
        async stop() {
          workers.delete(handle);
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running.catch(() => undefined);
        },
      };
      workers.add(handle);
      return handle;
    };

    return {
      client,
      address: server.address,
      serverPid: server.pid,
      dataDir,
      bundles,
      systems,
      log,
      startWorker,
      async startWorkers(base) {
        const both = [await startWorker(base, 'case'), await startWorker(base, 'bare')];
        return {
          inFlight: () => both.reduce((sum, w) => sum + w.inFlight(), 0),
          stop: async () => void (await Promise.all(both.map((w) => w.stop()))),
        };
      },
      async teardown() {
        for (const w of [...workers]) await w.stop();
        await Promise.all([...desk]);
        for (const c of connections) await c.close().catch(() => undefined);
        await srv.stop();
        if (keepData()) process.stderr.write(`bench: kept the server's data and log in ${dataDir} (${KEEP_DATA_ENV})\n`);
        else fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const c of connections) await c.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
