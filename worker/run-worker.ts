/**
 * Runs a CaseBridge worker until SIGINT/SIGTERM, then lets in-flight tasks finish. Shared by the
 * plain worker entry point (worker/main.ts) and the embedded launcher (worker/up.ts).
 */
import os from 'node:os';
import type { Logger } from 'pino';
import type { CaseBridgeConfig } from '../platform/config';
import type { TemporalTarget } from '../platform/connection';
import { createWorkerActivities } from './activities';
import { requireNamespaceReady } from './namespace';
import { connectWorker, createCaseBridgeWorker } from './worker';

export interface RunningWorker {
  /** Resolves when the worker has drained and stopped. */
  done: Promise<void>;
  shutdown(): void;
}

export async function startWorker(config: CaseBridgeConfig, target: TemporalTarget, log: Logger): Promise<RunningWorker> {
  const connection = await connectWorker(target);
  // Before polling: a namespace without CaseBridge's attributes or retention fails cases quietly.
  await requireNamespaceReady(connection, target.namespace, config.CASEBRIDGE_RETENTION_DAYS).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  const worker = await createCaseBridgeWorker({
    connection,
    namespace: target.namespace,
    taskQueue: config.CASEBRIDGE_TASK_QUEUE,
    activities: createWorkerActivities(config).activities,
    identity: `casebridge-worker@${os.hostname()}:${process.pid}`,
  });
  log.info({ taskQueue: config.CASEBRIDGE_TASK_QUEUE, namespace: target.namespace, address: target.connectionOptions.address }, 'worker started');
  const done = worker.run().finally(() => connection.close());
  return {
    done,
    shutdown: () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}

/** Calls `onSignal` once on the first SIGINT/SIGTERM; a second signal exits at once. */
export function onShutdownSignal(log: Logger, onSignal: (signal: NodeJS.Signals) => void): void {
  let received = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (received) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    received = true;
    log.info({ signal }, 'shutting down');
    onSignal(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
