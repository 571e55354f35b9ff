/**
 * The SQLite-backed dev server stopped in the middle of a run — gracefully (SIGTERM) and hard
 * (SIGKILL) — and started again on the same file: no case, timer, deadline or accepted input is lost.
 */
import { Cluster } from './cluster';
import { outageKeepsEverything } from './outage-check';

describe.each(['SIGTERM', 'SIGKILL'] as const)('dev server stopped with %s and restarted', (signal) => {
  let c: Cluster;
  beforeAll(async () => {
    c = new Cluster();
    await c.startServer();
  });
  afterAll(async () => {
    await c?.teardown();
  });

  it('keeps every case, timer, deadline and accepted input', async () => {
    await outageKeepsEverything(c, signal, signal === 'SIGTERM' ? 3 : 4, async () => {
      await c.stopServer(signal);
      await new Promise((r) => setTimeout(r, 3_000)); // timers come due while the server is down
      await c.startServer();
    });
  });
});
