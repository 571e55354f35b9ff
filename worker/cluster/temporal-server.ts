/**
 * The real Temporal server (go.temporal.io/server, all four services in one process) on the
 * profile's PostgreSQL, for persistence and for visibility (SQL visibility: the managers' views stay
 * flat as open cases grow, BENCHMARKS.md). Its schemas are set up by temporal-sql-tool from the
 * schema files cached with the binaries.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import type { Postgres } from './postgres';
import { runningPid, stopPid } from './pid-file';

const run = promisify(execFile);

export interface TemporalServerOptions {
  /** The profile's directory: config, pid file and log live in it. */
  dir: string;
  /** The cached build: temporal-server, temporal-sql-tool, schema/postgresql/v12 (scripts/install-cluster-tools.sh). */
  toolsDir: string;
  /** The frontend's gRPC port; the other services take the next ports (see `ports`). */
  port: number;
  postgres: Postgres;
  /** History shards are fixed for a cluster's life; 4 suits one machine (docs/SIZING.md for more). */
  historyShards?: number;
}

const DATABASES = [
  { name: 'temporal', schema: 'temporal' },
  { name: 'temporal_visibility', schema: 'visibility' },
] as const;

/** Loopback ports from the frontend's: gRPC frontend+0…+3, membership +10…+13, HTTP +20. */
export function ports(frontend: number) {
  return {
    frontend,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 3,
    membership: { frontend: frontend + 10, history: frontend + 11, matching: frontend + 12, worker: frontend + 13 },
    http: frontend + 20,
  };
}

export class TemporalServer {
  readonly configFile: string;
  readonly logFile: string;
  readonly pidFile: string;
  process?: ChildProcess;

  constructor(readonly opts: TemporalServerOptions) {
    this.configFile = path.join(opts.dir, 'temporal-server.yaml');
    this.logFile = path.join(opts.dir, 'temporal-server.log');
    this.pidFile = path.join(opts.dir, 'temporal-server.pid');
  }

  get address(): string {
    return `127.0.0.1:${this.opts.port}`;
  }

  private sqlTool(database: string, args: string[]) {
    const pg = this.opts.postgres;
    return run(
      path.join(this.opts.toolsDir, 'temporal-sql-tool'),
      ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pg.port), '-u', pg.user, '--db', database, ...args],
      // The password by environment, not argv: argv is readable by every user in /proc.
      { env: { ...process.env, SQL_PASSWORD: pg.password } },
    );
  }

  /** Creates both databases on the first run and brings their schemas to this version's (idempotent). */
  async setupSchemas(): Promise<void> {
    for (const db of DATABASES) {
      if (!(await this.opts.postgres.databaseExists(db.name))) {
        await this.sqlTool(db.name, ['create-database']);
        await this.sqlTool(db.name, ['setup-schema', '-v', '0.0']);
      }
      await this.sqlTool(db.name, ['update-schema', '-d', path.join(this.opts.toolsDir, 'schema', 'postgresql', 'v12', db.schema, 'versioned')]);
    }
  }

  writeConfig(): void {
    const p = ports(this.opts.port);
    const pg = this.opts.postgres;
    const store = (database: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "127.0.0.1:${pg.port}"
        connectProtocol: tcp
        user: ${pg.user}
        password: "${pg.password}"
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
    const service = (grpc: number, membership: number, extra = '') => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${extra}`;
    const dynamic = path.join(this.opts.dir, 'dynamic-config.yaml');
    // New search attributes must be visible to the namespace at once: the worker's start-up check and
    // a test's fresh namespace read them straight after adding them.
    fs.writeFileSync(dynamic, `system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n    constraints: {}\n`);
    const yaml = `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${this.opts.historyShards ?? 4}
  datastores:
    default:${store('temporal', 20)}
    visibility:${store('temporal_visibility', 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:${service(p.frontend, p.membership.frontend, `\n      httpPort: ${p.http}`)}
  history:${service(p.history, p.membership.history)}
  matching:${service(p.matching, p.membership.matching)}
  worker:${service(p.worker, p.membership.worker)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${p.frontend}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${dynamic}
  pollInterval: 10s
`;
    // It holds the database password: readable by its owner only.
    fs.writeFileSync(this.configFile, yaml, { mode: 0o600 });
  }

  /** The pid of a server this profile started earlier and that still runs, if any. */
  runningPid(): number | undefined {
    return runningPid(this.pidFile, this.configFile);
  }

  /**
   * Starts the server unless this profile's server already runs, and returns once its frontend
   * answers. `detached`: the server outlives this process (`make cluster-up`); otherwise it is a child.
   */
  async start(opts: { detached?: boolean } = {}): Promise<void> {
    if (this.runningPid() === undefined) {
      this.writeConfig();
      const log = fs.openSync(this.logFile, 'a');
      const child = spawn(path.join(this.opts.toolsDir, 'temporal-server'), ['--config-file', this.configFile, '--allow-no-auth', 'start'], {
        detached: true,
        stdio: ['ignore', log, log],
      });
      fs.closeSync(log);
      fs.writeFileSync(this.pidFile, String(child.pid));
      if (opts.detached) child.unref();
      this.process = child;
    }
    await this.untilServing();
  }

  private async untilServing(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.runningPid() === undefined) throw new Error(`the Temporal server exited during start-up: see ${this.logFile}`);
      try {
        const connection = await Connection.connect({ address: this.address, connectTimeout: 1_000 });
        try {
          await connection.workflowService.getSystemInfo({});
          return;
        } finally {
          await connection.close();
        }
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`the Temporal server at ${this.address} did not answer within ${timeoutMs / 1000} s: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }

  /** SIGTERM (graceful, up to 30 s) or SIGKILL (a crash); waits until the process is gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await stopPid(this.pidFile, this.configFile, { signal });
    this.process = undefined;
  }
}
