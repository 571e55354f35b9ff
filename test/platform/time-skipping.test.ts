/** Proof that the time-skipping server from .tools/bin runs month-long timers in milliseconds. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startTimeSkipping, workflowBundle } from '../harness/servers';
import { probeWorkflow } from '../../workflows';
import { recordHistory } from '../harness/histories';

const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000;

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment | undefined;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await startTimeSkipping();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'platform-ts',
      workflowBundle: workflowBundle(),
    });
    running = worker.run();
  });

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
  });

  it('runs a 90-day durable timer in a sliver of the wall time (the server skipped the time)', async () => {
    const wallStart = Date.now();
    const handle = await env!.client.workflow.start(probeWorkflow, {
      taskQueue: 'platform-ts',
      workflowId: 'probe-90-days',
      args: [{ timerMs: NINETY_DAYS_MS, marker: 'probe' }],
    });
    const result = await handle.result();
    const wallMs = Date.now() - wallStart;
    // Workflow time really advanced 90 days ...
    expect(result.sleptMs).toBeGreaterThanOrEqual(NINETY_DAYS_MS);
    // ... while the wall clock did not: a minute is 1/129,600 of 90 days, so anything under it was skipped,
    // not waited. Not a latency bound (1 s failed at 1,123 ms in CI on a loaded machine).
    expect(wallMs).toBeLessThan(60_000);
    await recordHistory(handle, 'probe-90-day-timer');
  });
});
