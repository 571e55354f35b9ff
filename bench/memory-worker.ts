/**
 * A worker alone in its own process (started by bench/scenarios/memory.ts with --expose-gc), so its
 * memory figures hold nothing but the worker and the workflows it caches.
 *
 * Workflows run in the main isolate (`debugMode`: the SDK's in-thread reusable V8 context, the same
 * sandbox the production worker runs in its worker thread), so `heapUsed` covers the cached
 * workflows' state; RSS covers everything, including the SDK core's native cache.
 *
 * Commands arrive over the IPC channel: `measure` (collect garbage, report memory and the cache
 * size), `evict` (shut the worker down, which evicts every cached workflow, and start a fresh one on
 * the same task queue), `exit`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { caseBridgeDataConverter } from '../platform/connection';
import { createBenchActivities } from './activities';

export const MemoryWorkerConfigSchema = z.object({
  address: z.string().min(1),
  namespace: z.string().min(1),
  taskQueue: z.string().min(1),
  bundlePath: z.string().min(1),
  maxCachedWorkflows: z.number().int().positive(),
});
export type MemoryWorkerConfig = z.infer<typeof MemoryWorkerConfigSchema>;

export const MemoryCommandSchema = z.object({ id: z.number().int(), cmd: z.enum(['measure', 'evict', 'exit']) });
export type MemoryCommand = z.infer<typeof MemoryCommandSchema>;

export interface MemoryReply {
  id: number;
  ok: boolean;
  error?: string;
  rssBytes?: number;
  heapUsedBytes?: number;
  cachedWorkflows?: number;
}

export const CONFIG_ENV = 'CASEBRIDGE_BENCH_MEMORY_WORKER';

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Twice, with turns of the event loop between: finalizers and weak references settle.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function run(): Promise<void> {
  const config = MemoryWorkerConfigSchema.parse(JSON.parse(process.env[CONFIG_ENV] ?? '{}'));
  Runtime.install({
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => process.stderr.write(`memory worker: ${m}\n`) },
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    shutdownSignals: [],
  });
  const code = fs.readFileSync(config.bundlePath, 'utf8');
  // Its cases' documents in its own folder: nobody approves them here (the memory scenario's cases wait open).
  const documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-bench-memory-'));
  process.on('exit', () => fs.rmSync(documentsDir, { recursive: true, force: true }));
  const { activities } = createBenchActivities(documentsDir);
  const connection = await NativeConnection.connect({ address: config.address });

  const start = async () => {
    const worker = await Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      workflowBundle: { code },
      activities,
      dataConverter: caseBridgeDataConverter(),
      maxCachedWorkflows: config.maxCachedWorkflows,
      debugMode: true,
    });
    return { worker, running: worker.run() };
  };
  let current = await start();

  const send = (reply: MemoryReply) => process.send?.(reply);
  let exiting = false;
  process.on('message', async (raw) => {
    const parsed = MemoryCommandSchema.safeParse(raw);
    if (!parsed.success) return;
    const { id, cmd } = parsed.data;
    try {
      if (cmd === 'measure') {
        await collectGarbage();
        const m = process.memoryUsage();
        send({ id, ok: true, rssBytes: m.rss, heapUsedBytes: m.heapUsed, cachedWorkflows: current.worker.getStatus().numCachedWorkflows });
      } else if (cmd === 'evict') {
        current.worker.shutdown();
        await current.running;
        current = await start();
        send({ id, ok: true });
      } else {
        current.worker.shutdown();
        await current.running;
        await connection.close();
        send({ id, ok: true });
        exiting = true;
        process.disconnect?.();
      }
    } catch (err) {
      send({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });
  // The bench that started this process is gone (it stopped, or died): nobody will measure or stop us.
  process.on('disconnect', () => exiting || process.exit(1));
  send({ id: 0, ok: true });
}

if (require.main === module) {
  run().catch((err: unknown) => {
    process.stderr.write(`memory worker: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
