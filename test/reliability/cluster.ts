/**
 * A small CaseBridge installation for fault tests: the embedded dev server on a SQLite file (which
 * can be stopped, killed and restarted on the same file and port) and worker processes running the
 * built worker (`dist/worker/main.js`) that can be killed with SIGKILL. All share one data dir, so
 * the simulators' ledger survives a worker's death like a real external system's records would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { readLedgerFile, type LedgerEntry } from '../../activities/simulators/ledger';
import { startEmbeddedServer, type EmbeddedServer } from '../../worker/embedded-server';
import { clusterNamespace, onCluster } from '../harness/cluster-target';
import { freePort } from '../harness/ports';
import { waitFor } from '../harness/wait';

const ROOT = path.resolve(__dirname, '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
}

export class Cluster {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-cluster-'));
  readonly taskQueue = 'reliability';
  server?: EmbeddedServer;
  port = 0;
  namespace = 'default';
  private connection?: Connection;
  client!: Client;
  readonly workers: WorkerProcess[] = [];

  async startServer(): Promise<void> {
    if (onCluster()) {
      // `make test-cluster`: a namespace of this file's own on the run's server on PostgreSQL.
      const { address, namespace } = await clusterNamespace();
      this.namespace = namespace;
      this.port = Number(address.split(':').pop());
      await this.connect(address);
      return;
    }
    this.port ||= await freePort();
    this.server = await startEmbeddedServer({
      cliPath: loadConfig().TEMPORAL_CLI_PATH,
      dataDir: this.dir,
      port: this.port,
      uiPort: 0,
      namespace: 'default',
      retentionDays: loadConfig().CASEBRIDGE_RETENTION_DAYS,
      logger: createLogger({ level: 'silent' }),
    });
    await this.connect(this.server.address);
  }

  /** A new client for a (re)started server; the workers reconnect on their own. */
  protected async connect(address: string): Promise<void> {
    await this.connection?.close().catch(() => undefined);
    this.connection = await Connection.connect({ address });
    this.client = new Client({ connection: this.connection, namespace: this.namespace });
  }

  /** SIGTERM (graceful) or SIGKILL, then waits for the process to be gone. */
  async stopServer(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    // The run's shared cluster outlives every file; temporal-cluster.test.ts stops a cluster of its own.
    if (onCluster() && !this.server) throw new Error('the shared test cluster is not stopped by one test file');
    const server = this.server!;
    if (signal === 'SIGKILL') {
      const exited = new Promise((r) => server.process.once('exit', r));
      server.process.kill('SIGKILL');
      await exited;
    }
    await server.stop();
    this.server = undefined;
  }

  startWorker(env: Record<string, string> = {}): WorkerProcess {
    let out = '';
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'worker', 'main.js')], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: `127.0.0.1:${this.port}`,
        TEMPORAL_NAMESPACE: this.namespace,
        CASEBRIDGE_TASK_QUEUE: this.taskQueue,
        CASEBRIDGE_DATA_DIR: this.dir,
        CASEBRIDGE_LOG_LEVEL: 'info',
        CASEBRIDGE_SIM_WARRANT_DENIAL_RATE: '0',
        CASEBRIDGE_SIM_EMERGENCY_REFUSAL_RATE: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const w = { child, output: () => out };
    this.workers.push(w);
    return w;
  }

  async workerReady(w: WorkerProcess): Promise<void> {
    await waitFor(async () => (w.output().includes('worker started') ? true : undefined), 60_000);
  }

  async kill(w: WorkerProcess, signal: NodeJS.Signals): Promise<void> {
    if (w.child.exitCode !== null || w.child.signalCode !== null) return;
    const exited = new Promise((r) => w.child.once('exit', r));
    w.child.kill(signal);
    await exited;
  }

  /** Every line of the ledger file, not deduplicated: a request recorded twice would show twice. */
  ledgerLines(): LedgerEntry[] {
    const file = path.join(this.dir, 'simulator-ledger.jsonl');
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as LedgerEntry);
  }

  ledger(): LedgerEntry[] {
    return readLedgerFile(path.join(this.dir, 'simulator-ledger.jsonl'));
  }

  async teardown(): Promise<void> {
    for (const w of this.workers) await this.kill(w, 'SIGKILL');
    await this.connection?.close().catch(() => undefined);
    if (this.server) await this.server.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
