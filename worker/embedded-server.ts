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
import { prepareNamespace } from './namespace';
import { runningPid, stopPid } from './cluster/pid-file';

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
      await prepareNamespace(connection, opts.namespace, opts.retentionDays, { readyTimeoutMs: READY_TIMEOUT_MS });
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

/** A server left behind by a killed launcher would hold the port and the SQLite file. */
async function stopStaleServer(pidFile: string, logger: Logger): Promise<void> {
  if (runningPid(pidFile, 'start-dev') !== undefined) logger.warn('stopping a Temporal server left running by an earlier launcher');
  await stopPid(pidFile, 'start-dev', { graceMs: 15_000 });
}
