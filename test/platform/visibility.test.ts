/** Proof that the dev server from .tools/bin indexes CaseBridge's custom search attributes. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startDevServer, workflowBundle } from '../harness/servers';
import { probeWorkflow } from '../../workflows';
import { waitFor } from '../harness/wait';

describe('dev server visibility', () => {
  let env: TestWorkflowEnvironment | undefined;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await startDevServer();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'platform-dev',
      workflowBundle: workflowBundle(),
    });
    running = worker.run();
  });

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
  });

  it('finds a workflow by a query on a custom search attribute it set', async () => {
    const marker = `probe-${Date.now()}`;
    const handle = await env!.client.workflow.start(probeWorkflow, {
      taskQueue: 'platform-dev',
      workflowId: `visibility-${marker}`,
      args: [{ timerMs: 60_000, marker }],
    });
    // Visibility is eventually consistent: poll until the upsert is indexed.
    const found = await waitFor(async () => {
      const ids: string[] = [];
      for await (const wf of env!.client.workflow.list({ query: `CaseStage = '${marker}'` })) ids.push(wf.workflowId);
      return ids.length > 0 ? ids : undefined;
    });
    expect(found).toEqual([handle.workflowId]);
    expect(await env!.client.workflow.count(`CaseStage = 'no-such-${marker}'`)).toMatchObject({ count: 0 });
    await handle.terminate('test done');
  });
});
