/**
 * The embedded default for operators: `temporal server start-dev` on a SQLite file, with the web
 * UI, the namespace's retention raised so closed cases keep their audit history, and CaseBridge's
 * search attributes registered (on a new or an existing database file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { Connection } from '@temporalio/client';
import Long from 'long';
import { registerSearchAttributes } from './search-attributes';
import { CaseStage } from '../workflows/search-attributes';

export interface EmbeddedServerOptions {
  cliPath: string;
  dataDir: string;
  port: number;
  /** 0 runs headless. */
  uiPort: number;
  namespace: string;
  retentionDays: number;
  /** The codec server the web UI asks to decrypt payloads (see platform/codec-server.ts). */
  uiCodecEndpoint?: string;
  logger: Logger;
}

export interface EmbeddedServer {
  address: string;
  /** SIGTERM (graceful), SIGKILL after a grace period. */
  stop(): Promise<void>;
  process: ChildProcess;
}

const READY_TIMEOUT_MS = 60_000;

export async function startEmbeddedServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const dbFile = path.join(opts.dataDir, 'temporal.sqlite');
  const pidFile = path.join(opts.dataDir, 'temporal.pid');
  await stopStaleServer(pidFile, opts.logger);

  const args = [
    'server',
    'start-dev',
    '--db-filename',
    dbFile,
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
    '--ui-disable-news-fetch',
  ];
  if (opts.uiPort > 0) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);

  const serverLog = fs.openSync(path.join(opts.dataDir, 'temporal-server.log'), 'a');
  // Its own process group: Ctrl-C reaches us alone, so the worker drains before the server stops.
  const child = spawn(opts.cliPath, args, { detached: true, stdio: ['ignore', serverLog, serverLog] });
  fs.closeSync(serverLog);
  fs.writeFileSync(pidFile, String(child.pid));
  const killOnExit = (): void => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${opts.port}`;
  try {
    const connection = await Promise.race([
      waitForServer(address),
      exited.then((code) => {
        throw new Error(
          `temporal server exited with code ${code} during start-up; see ${path.join(opts.dataDir, 'temporal-server.log')} (is port ${opts.port} in use?)`,
        );
      }),
    ]);
    try {
      await ensureRetention(connection, opts.namespace, opts.retentionDays);
      await registerSearchAttributes(connection, opts.namespace);
      await untilNamespaceServes(connection, opts.namespace);
    } finally {
      await connection.close();
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  opts.logger.info({ address, dbFile, uiPort: opts.uiPort || undefined }, 'embedded Temporal server ready');

  return {
    address,
    process: child,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(pidFile, { force: true });
    },
  };
}

async function waitForServer(address: string): Promise<Connection> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`temporal server at ${address} did not become ready: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Describing a namespace reads the database, but starting a workflow resolves the namespace through
 * the frontend's cache, which on a new database file can lag by seconds: the first start then failed
 * with "Namespace not found: 'default'" (seen in CI). Ready means a query by a CaseBridge search
 * attribute answers, which needs the namespace and its attributes in those caches.
 */
async function untilNamespaceServes(connection: Connection, namespace: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const query = `${CaseStage.name} = 'ready'`;
  for (;;) {
    try {
      await connection.workflowService.countWorkflowExecutions({ namespace, query });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`namespace ${namespace} was not ready within ${READY_TIMEOUT_MS / 1000} s: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The dev server creates namespaces with 24 h retention, which would erase closed cases' audit trails. */
export async function ensureRetention(connection: Connection, namespace: string, days: number): Promise<void> {
  const seconds = days * 24 * 3600;
  const described = await connection.workflowService.describeNamespace({ namespace });
  const current = Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
  if (current === seconds) return;
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: { seconds: Long.fromNumber(seconds) } },
  });
}

/** A server left behind by a killed launcher would hold the port and the SQLite file. */
async function stopStaleServer(pidFile: string, logger: Logger): Promise<void> {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  fs.rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isTemporalProcess(pid)) return;
  logger.warn({ pid }, 'stopping a Temporal server left running by an earlier launcher');
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 60 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 250));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isTemporalProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start-dev');
  } catch {
    return false;
  }
}
