/**
 * The API with its web app, as one process (`make up` runs this beside the worker; `node
 * dist/web/main.js` alone serves a Temporal cluster named by envconfig). The web app is a layer above
 * the API: it is registered onto the API's server (startApi's `extend`), never imported by it.
 */
import { loadConfig } from '../platform/config';
import { serveUntilStopped, startApi, type RunningApi } from '../api/main';
import { loadApiSettings } from '../api/settings';
import type { Client } from '@temporalio/client';
import { webApp } from './app';
import { loadWebSettings } from './settings';

export async function startWeb(client: Client, env: NodeJS.ProcessEnv = process.env): Promise<RunningApi> {
  const config = loadConfig(env);
  const settings = loadApiSettings(env);
  const web = loadWebSettings(env);
  let issuer: string | undefined = settings.CASEBRIDGE_OIDC_ISSUER;
  const api = await startApi({
    client,
    config,
    settings,
    extend: async (app, ctx) => {
      // The local issuer lives at the API's own URL, known only once the port is.
      issuer ??= ctx.publicUrl!;
      await webApp({ settings: web, issuer, publicUrl: ctx.publicUrl! })(app, ctx);
    },
  });
  return api;
}

export async function run(): Promise<void> {
  await serveUntilStopped(
    (client) => startWeb(client),
    (url) => `CaseBridge API at ${url} (docs ${url}/docs, web app ${url}/web/). Ctrl-C stops.`,
  );
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`casebridge web: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
