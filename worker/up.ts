/**
 * `make up`: the embedded single-machine deployment. Starts `temporal server start-dev` on
 * .data/temporal.sqlite (web UI on CASEBRIDGE_UI_PORT), raises retention, registers search
 * attributes, then runs the worker and the API (loopback, CASEBRIDGE_API_PORT). SIGINT/SIGTERM stop
 * the worker and the API first, then the server;
 * starting again continues where it stopped.
 */
import { loadConfig } from '../platform/config';
import { startCodecServerForUi } from '../platform/codec-server';
import { caseBridgeDataConverter, loadTemporalTarget } from '../platform/connection';
import { logger } from '../platform/logger';
import { startApiProcess, type ApiProcess } from './api-process';
import { startEmbeddedServer } from './embedded-server';
import { installRuntime } from './runtime';
import { onShutdownSignal, startWorker } from './run-worker';

export async function run(): Promise<void> {
  const config = loadConfig();
  const log = logger().child({ process: 'up' });
  installRuntime(log);
  // A missing or malformed key stops us here, before anything starts.
  caseBridgeDataConverter();
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  // With a key configured, the web UI decrypts case data through the codec server (loopback only).
  const codec = config.CASEBRIDGE_UI_PORT > 0 ? await startCodecServerForUi({ uiPort: config.CASEBRIDGE_UI_PORT, logger: log }) : undefined;
  const server = await startEmbeddedServer({
    cliPath: config.TEMPORAL_CLI_PATH,
    dataDir: config.CASEBRIDGE_DATA_DIR,
    port: config.CASEBRIDGE_DEV_SERVER_PORT,
    uiPort: config.CASEBRIDGE_UI_PORT,
    namespace,
    retentionDays: config.CASEBRIDGE_RETENTION_DAYS,
    uiCodecEndpoint: codec?.uiEndpoint,
    logger: log,
  }).catch(async (err: unknown) => {
    await codec?.close();
    throw err;
  });
  let stopping = false;
  let api: ApiProcess | undefined;
  try {
    const target = loadTemporalTarget({ ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: namespace });
    const worker = await startWorker(config, target, log);
    api = await startApiProcess({ ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: namespace }, log).catch((err: unknown) => {
      worker.shutdown();
      throw err;
    });
    const apiProcess = api;
    onShutdownSignal(log, () => {
      stopping = true;
      worker.shutdown();
      void apiProcess.stop();
    });
    apiProcess.process.once('exit', (code) => {
      if (!stopping) {
        log.error({ code }, 'the API stopped unexpectedly; stopping');
        stopping = true;
        worker.shutdown();
      }
    });
    server.process.once('exit', (code) => {
      if (!stopping) {
        log.error({ code }, 'the Temporal server stopped unexpectedly; stopping the worker');
        worker.shutdown();
      }
    });
    // Operators look for this line (and scripts wait for it).
    console.log(
      `CaseBridge is up: API at ${api.url} (docs ${api.url}/docs), Temporal at ${server.address}` +
        (config.CASEBRIDGE_UI_PORT > 0 ? `, web UI at http://127.0.0.1:${config.CASEBRIDGE_UI_PORT}` : '') +
        (codec ? `, codec server at ${codec.url} (token not shown)` : ', payloads unencrypted (no key configured)') +
        `, task queue ${config.CASEBRIDGE_TASK_QUEUE}. Ctrl-C stops.`,
    );
    await worker.done;
  } finally {
    await api?.stop();
    await server.stop();
    await codec?.close();
    log.info('stopped');
  }
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`casebridge up: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
