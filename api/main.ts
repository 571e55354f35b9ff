/**
 * Starts the API: the store under the data dir, the identity (the agency's provider, or the local
 * issuer), the Temporal client. `startApi` is what `make up` calls beside the worker; run alone
 * (`node dist/api/main.js`) it serves a Temporal cluster named by envconfig.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig, type CaseBridgeConfig } from '../platform/config';
import { connectClient } from '../platform/connection';
import { freePort } from '../platform/free-port';
import { logger } from '../platform/logger';
import { openStore, type CaseBridgeStore } from '../platform/store';
import { ChangeFeed } from './changes';
import { createVerifier } from './identity';
import { LocalIssuer } from './local-issuer';
import { createMetrics } from './metrics';
import { buildApi, type ApiExtension } from './server';
import { loadApiSettings, type ApiSettings } from './settings';
import { createDocumentLayer } from '../documents';
import { configuredDropFolder, loadDropFolderSettings, type DropFolder } from '../intake/drop-folder';

export interface RunningApi {
  url: string;
  app: FastifyInstance;
  store: CaseBridgeStore;
  close(): Promise<void>;
}

export interface StartApiOptions {
  client: Client;
  config?: CaseBridgeConfig;
  settings?: ApiSettings;
  log?: Logger;
  /** Another store implementation (the default: CASEBRIDGE_STORE_URL's PostgreSQL, else embedded under CASEBRIDGE_DATA_DIR). */
  store?: CaseBridgeStore;
  /** Routes of a layer above the API served by the same process (web/main.ts registers the web app). */
  extend?: ApiExtension;
}

export async function startApi(opts: StartApiOptions): Promise<RunningApi> {
  const config = opts.config ?? loadConfig();
  const settings = opts.settings ?? loadApiSettings();
  const log = (opts.log ?? logger()).child({ process: 'api' });
  const store = opts.store ?? (await openStore(config));
  let app: FastifyInstance | undefined;
  const changes = new ChangeFeed(opts.client, { log });
  try {
    // The local issuer's `iss` is the API's public URL, so the port is settled before anything is built.
    const port = settings.CASEBRIDGE_API_PORT || (await freePort());
    const host = settings.CASEBRIDGE_API_HOST.includes(':') ? `[${settings.CASEBRIDGE_API_HOST}]` : settings.CASEBRIDGE_API_HOST;
    const url = (settings.CASEBRIDGE_API_PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/$/, '');
    const localIssuer = settings.CASEBRIDGE_OIDC_ISSUER ? undefined : new LocalIssuer(store, url, settings);
    const verifier = createVerifier({ settings, ...(localIssuer ? { local: { issuer: url, jwks: () => localIssuer.jwks() } } : {}) });
    // Templates, the agency profile and the document store are checked here: a bad one stops the API naming it.
    const documents = createDocumentLayer(config);
    for (const warning of documents.warnings) log.warn(`documents: ${warning}`);
    app = await buildApi(
      {
        documents: documents.service,
        client: opts.client,
        taskQueue: config.CASEBRIDGE_TASK_QUEUE,
        homeCountry: config.CASEBRIDGE_HOME_COUNTRY,
        ...(config.CASEBRIDGE_REFERRAL_UNIT ? { referralUnit: config.CASEBRIDGE_REFERRAL_UNIT } : {}),
        store,
        verifier,
        ...(localIssuer ? { localIssuer } : {}),
        settings,
        metrics: createMetrics(opts.client),
        log,
        changes,
        publicUrl: url,
      },
      opts.extend,
    );
    await app.listen({ host: settings.CASEBRIDGE_API_HOST, port });
    log.info({ url, issuer: settings.CASEBRIDGE_OIDC_ISSUER ?? 'local' }, 'API listening');
    const running = app;
    const drop = await startDropFolder(opts.client, config, log);
    return {
      url,
      app: running,
      store,
      async close() {
        await drop?.stop();
        changes.close();
        await running.close();
        await store.close();
      },
    };
  } catch (err) {
    changes.close();
    await app?.close();
    await store.close();
    throw err;
  }
}

/**
 * The watched drop folder an operator configures (CASEBRIDGE_DROP_DIR, intake/drop-folder.ts), hosted by
 * the API process since only the API and the worker hold Temporal credentials. Its cases belong to
 * CASEBRIDGE_DROP_UNIT.
 */
async function startDropFolder(client: Client, config: CaseBridgeConfig, log: Logger): Promise<DropFolder | undefined> {
  const settings = loadDropFolderSettings();
  if (!settings) return undefined;
  const folder = configuredDropFolder(settings, client, config, log);
  await folder.start();
  return folder;
}

/** An entry point's life: connect, start, say where, serve until SIGINT or SIGTERM, then close the server and the connection. */
export async function serveUntilStopped(start: (client: Client) => Promise<RunningApi>, banner: (url: string) => string): Promise<void> {
  const client = await connectClient();
  const api = await start(client);
  console.log(banner(api.url));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await api.close();
  await client.connection.close();
}

export async function run(): Promise<void> {
  const config = loadConfig();
  const settings = loadApiSettings();
  await serveUntilStopped(
    (client) => startApi({ client, config, settings }),
    (url) => `CaseBridge API at ${url} (docs ${url}/docs). Ctrl-C stops.`,
  );
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`casebridge api: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
