/**
 * The fault tests' installation on the cluster profile: the real Temporal server on its own
 * PostgreSQL (worker/cluster), in the test's directory, on fixed loopback ports below the ephemeral
 * range (ports picked by the kernel for other tests never collide with them). One file uses it.
 */
import { loadConfig } from '../../platform/config';
import { ClusterProfile, clusterToolsDir } from '../../worker/cluster/profile';
import { Cluster } from './cluster';

const PG_PORT = 15452;
const FRONTEND_PORT = 17433;

export class PgCluster extends Cluster {
  profile?: ClusterProfile;

  override async startServer(): Promise<void> {
    this.port = FRONTEND_PORT;
    this.profile ??= new ClusterProfile({
      dir: this.dir,
      pgPort: PG_PORT,
      port: FRONTEND_PORT,
      namespace: 'default',
      retentionDays: loadConfig().CASEBRIDGE_RETENTION_DAYS,
      toolsDir: clusterToolsDir(),
    });
    await this.profile.up();
    await this.connect(this.profile.address);
  }

  override async stopServer(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    await this.profile!.server.stop(signal);
  }

  /** PostgreSQL crashes (`immediate`: no checkpoint, recovery from the WAL on start) and comes back. */
  async crashPostgres(downMs: number): Promise<void> {
    await this.profile!.postgres.stop('immediate');
    await new Promise((r) => setTimeout(r, downMs));
    await this.profile!.postgres.start();
  }

  override async teardown(): Promise<void> {
    for (const w of this.workers) await this.kill(w, 'SIGKILL');
    await this.profile?.down().catch(() => undefined);
    await super.teardown();
  }
}
