/**
 * The worker entry point for a Temporal cluster or Temporal Cloud: connection settings come from
 * envconfig (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, TEMPORAL_API_KEY, profiles).
 * For the embedded single-machine default use worker/up.ts (`make up`).
 */
import { loadConfig } from '../platform/config';
import { caseBridgeDataConverter, loadTemporalTarget } from '../platform/connection';
import { logger } from '../platform/logger';
import { installRuntime } from './runtime';
import { onShutdownSignal, startWorker } from './run-worker';

export async function run(): Promise<void> {
  const config = loadConfig();
  const log = logger().child({ process: 'worker' });
  installRuntime(log);
  // A missing or malformed key stops the worker here, before it connects.
  caseBridgeDataConverter();
  const worker = await startWorker(config, loadTemporalTarget(), log);
  onShutdownSignal(log, () => worker.shutdown());
  await worker.done;
  log.info('worker stopped');
}

if (require.main === module) {
  run().catch((err: unknown) => {
    logger().fatal({ err }, 'worker failed');
    process.exit(1);
  });
}
