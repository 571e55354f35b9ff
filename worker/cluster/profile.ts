/**
 * The cluster profile on one machine: the profile's PostgreSQL, the real Temporal server on it, and
 * the namespace prepared with CaseBridge's retention and search attributes. Its parts run detached
 * and are found again by their pid files, so `up` is idempotent and `down` stops only them.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../../platform/config';
import { prepareNamespace } from '../namespace';
import { Postgres } from './postgres';
import { TemporalServer } from './temporal-server';

export interface ClusterProfileOptions {
  dir: string;
  pgPort: number;
  port: number;
  namespace: string;
  retentionDays: number;
}

/** Builds or finds the pinned server binaries (scripts/install-cluster-tools.sh prints their directory last). */
export function clusterToolsDir(): string {
  const out = execFileSync(path.join(PROJECT_ROOT, 'scripts', 'install-cluster-tools.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

export class ClusterProfile {
  readonly postgres: Postgres;
  readonly server: TemporalServer;

  constructor(readonly opts: ClusterProfileOptions & { toolsDir: string }) {
    this.postgres = new Postgres({ dir: opts.dir, port: opts.pgPort });
    this.server = new TemporalServer({ dir: opts.dir, toolsDir: opts.toolsDir, port: opts.port, postgres: this.postgres });
  }

  get address(): string {
    return this.server.address;
  }

  /** CaseBridge's own data (audit log, documents, users) beside Temporal's, in a database of its own. */
  static readonly STORE_DATABASE = 'casebridge_store';

  /** Brings everything up; returns the URL of CaseBridge's store database (CASEBRIDGE_STORE_URL). */
  async up(): Promise<string> {
    await this.postgres.init();
    await this.postgres.start();
    await this.server.setupSchemas();
    const storeUrl = await this.postgres.database(ClusterProfile.STORE_DATABASE);
    await this.server.start({ detached: true });
    const connection = await Connection.connect({ address: this.address });
    try {
      await prepareNamespace(connection, this.opts.namespace, this.opts.retentionDays);
    } finally {
      await connection.close();
    }
    return storeUrl;
  }

  async down(): Promise<void> {
    await this.server.stop('SIGTERM');
    await this.postgres.stop('fast');
  }
}
