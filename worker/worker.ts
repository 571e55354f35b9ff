/**
 * Builds a CaseBridge worker: the workflows in workflows/ and the activities the caller injects
 * (simulated systems in development and tests, real integrations in production).
 */
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { TemporalTarget } from '../platform/connection';
import { caseBridgeDataConverter } from '../platform/connection';

/** Resolves workflows/index whether running from the TypeScript sources or from dist/. */
export const WORKFLOWS_PATH = require.resolve(path.join(__dirname, '..', 'workflows'));

export interface CaseBridgeWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** A prebuilt bundle (tests); otherwise the workflows are bundled at start-up. */
  workflowBundle?: { code: string };
  maxCachedWorkflows?: number;
  identity?: string;
}

export async function createCaseBridgeWorker(opts: CaseBridgeWorkerOptions): Promise<Worker> {
  const options: WorkerOptions = {
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    dataConverter: caseBridgeDataConverter(),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    ...(opts.identity ? { identity: opts.identity } : {}),
    // A case's activities wait on slow external systems; let the worker drain them on shutdown.
    shutdownGraceTime: '10s',
  };
  return Worker.create(options);
}

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  const { address, tls, apiKey, metadata } = target.connectionOptions;
  return NativeConnection.connect({ address, tls, apiKey, metadata } as Parameters<typeof NativeConnection.connect>[0]);
}
