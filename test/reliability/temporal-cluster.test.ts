/**
 * Faults on the cluster profile (the real Temporal server on PostgreSQL, worker/cluster): the server
 * killed mid-run and restarted, and PostgreSQL crashed mid-run and restarted. No case, timer,
 * deadline or accepted input is lost, and no external call is made twice.
 */
import { outageKeepsEverything } from './outage-check';
import { PgCluster } from './pg-cluster';

describe('the cluster profile', () => {
  let c: PgCluster;
  beforeAll(async () => {
    c = new PgCluster();
    await c.startServer();
  }, 180_000);
  afterAll(async () => {
    await c?.teardown();
  });

  it('keeps everything when the Temporal server is killed and restarted', async () => {
    await outageKeepsEverything(c, 'server SIGKILL', 1, async () => {
      await c.stopServer('SIGKILL');
      await new Promise((r) => setTimeout(r, 3_000)); // timers come due while the server is down
      await c.startServer();
    });
  });

  it('keeps everything when PostgreSQL crashes and restarts under the running server', async () => {
    await outageKeepsEverything(c, 'PostgreSQL crash', 2, async () => {
      await c.crashPostgres(3_000);
    });
  });
});
