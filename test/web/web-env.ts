/**
 * The web app end to end for the browser tests: a dev server and a real worker, a test identity
 * provider as its own process (the API's local issuer in a process of its own, with its own data dir
 * and users: OpenID discovery, the authorization endpoint's login page, the code + PKCE token
 * endpoint), and the API with its web app (dist/web/main.js) trusting that provider as an agency's
 * would be trusted. Chromium is Debian's (scripts/install-browser.sh), driven by playwright-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { chromium, type Browser } from 'playwright-core';
import { createActivities } from '../../activities';
import { createDocumentPort } from '../../activities/documents';
import { createDocumentLayer, type DocumentService } from '../../documents';
import { createSimulatedSystems } from '../../activities/simulators';
import { freePort } from '../../platform/free-port';
import { hashPassword, openIssuerStore } from '../../platform/store';
import { createCaseBridgeWorker } from '../../worker/worker';
import type { PersonRole } from '../../workflows/vocabulary';
import { startDevServer, workflowBundle } from '../harness/servers';
import { request, startApiProcess, type ApiProcess, type HttpAnswer } from '../api/api-env';

export const WEB_MAIN = path.resolve(__dirname, '..', '..', 'dist', 'web', 'main.js');
export const CHROMIUM = process.env.CASEBRIDGE_CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the tests put what they take (ignored by git; `make web-screenshots` copies them to docs/web/). */
export const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'web');

export interface WebEnv {
  env: TestWorkflowEnvironment;
  idp: ApiProcess;
  web: ApiProcess;
  webDataDir: string;
  browser: Browser;
  /** The worker's document store: a request abroad waits for its document's approval (the test's document desk gives it). */
  documents: DocumentService;
  /** A person at the identity provider (password `pw-<name>`), and a bearer token for them (for the test's own API calls). */
  person(name: string, roles: PersonRole[], units: string[]): Promise<string>;
  http(method: string, route: string, opts?: Parameters<typeof request>[3]): Promise<HttpAnswer>;
  teardown(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-browser.sh (make test does)`);
  // --no-sandbox: the tests run as root on CI, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export async function startWebEnv(opts: { taskQueue: string; webSettings?: NodeJS.ProcessEnv }): Promise<WebEnv> {
  const env = await startDevServer();
  const idpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-idp-'));
  const webDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-web-'));
  // One document store for the worker and the web process's API, as `make up` has: the pages list and serve what the workflows drew up.
  const documents = createDocumentLayer({ CASEBRIDGE_DATA_DIR: webDataDir }).service;
  const worker: Worker = await createCaseBridgeWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: opts.taskQueue,
    workflowBundle: workflowBundle(),
    activities: createActivities(createSimulatedSystems({ seed: 'web', warrantDenialRate: 0, emergencyRefusalRate: 0 }), {
      documents: createDocumentPort(documents),
    }),
  });
  const running = worker.run();
  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  const common = { TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default', CASEBRIDGE_TASK_QUEUE: opts.taskQueue, CASEBRIDGE_API_RATE_LIMIT: '100000' };
  // The identity provider: another process, another data dir, its own users and signing key.
  const idp = await startApiProcess({ ...common, CASEBRIDGE_DATA_DIR: idpDir, CASEBRIDGE_LOCAL_REDIRECT_URIS: `${webUrl}/web/callback` });
  const web = await startApiProcess(
    {
      ...common,
      CASEBRIDGE_DATA_DIR: webDataDir,
      CASEBRIDGE_API_PORT: String(webPort),
      CASEBRIDGE_OIDC_ISSUER: idp.url,
      CASEBRIDGE_OIDC_ALGORITHMS: 'ES256',
      ...(opts.webSettings ?? {}),
    },
    WEB_MAIN,
  );
  const browser = await launchChromium();
  const users = openIssuerStore(idpDir).users;
  return {
    env,
    idp,
    web,
    webDataDir,
    browser,
    documents,
    http: (method, route, o) => request(web.url, method, route, o),
    async person(name, roles, units) {
      await users.put({ name, roles, units, passwordHash: await hashPassword(`pw-${name}`) });
      const r = await request(idp.url, 'POST', '/auth/token', { body: { name, password: `pw-${name}` } });
      if (r.status !== 200) throw new Error(`login of ${name} failed: ${r.status} ${r.text}`);
      return r.body.token as string;
    },
    async teardown() {
      await browser.close().catch(() => undefined);
      await web.stop();
      await idp.stop();
      worker.shutdown();
      await running;
      await env.teardown();
      fs.rmSync(idpDir, { recursive: true, force: true });
      fs.rmSync(webDataDir, { recursive: true, force: true });
    },
  };
}
