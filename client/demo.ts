/**
 * The demo's script of events, run against the embedded server `make demo` starts. Until the case
 * workflow lands it proves the platform: a probe with a durable timer, found again by visibility.
 */
import { connectClient } from './connection';
import { loadConfig } from './config';
import { probeWorkflow } from '../workflows';

export async function run(): Promise<void> {
  const config = loadConfig();
  const client = await connectClient();
  const marker = `demo-probe-${Date.now()}`;
  const result = await client.workflow.execute(probeWorkflow, {
    taskQueue: config.CASEBRIDGE_TASK_QUEUE,
    workflowId: marker,
    args: [{ timerMs: 2_000, marker }],
  });
  console.log(`probe ${marker}: durable timer fired after ${result.sleptMs} ms`);
  const count = await client.workflow.count(`WorkflowType = 'probeWorkflow'`);
  console.log(`probes recorded on this server so far: ${count.count}`);
  await client.connection.close();
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
