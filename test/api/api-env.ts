/**
 * The API end to end for tests: a dev server, a real worker (simulated external systems), the API on
 * a free loopback port with its own data dir (store, local issuer), and people made with the
 * operators' store functions and logged in over HTTP like `casebridge login`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createDocumentPort } from '../../activities/documents';
import { createDocumentLayer } from '../../documents';
import { documentDesk, type DocumentDesk } from '../case/document-desk';
import { createSimulatedSystems, type SimulatedSystems } from '../../activities/simulators';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../platform/free-port';
import pg from 'pg';
import { auditFile, hashPassword, openIssuerStoreFor, type SigningKey } from '../../platform/store';
import { waitFor } from '../harness/wait';
import { createCaseBridgeWorker } from '../../worker/worker';
import type { PersonRole } from '../../workflows/vocabulary';
import { startDevServer, workflowBundle } from '../harness/servers';
import { clusterStoreUrl, namespaceOf, onCluster } from '../harness/cluster-target';

export const API_MAIN = path.resolve(__dirname, '..', '..', 'dist', 'api', 'main.js');

/** The API as its own process (node dist/api/main.js, built by `make test`), as it runs in production. */
export interface ApiProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `main`: another entry point that starts the API (dist/web/main.js: the API with its web app). */
export async function startApiProcess(env: NodeJS.ProcessEnv, main = API_MAIN): Promise<ApiProcess> {
  const port = Number(env.CASEBRIDGE_API_PORT) || (await freePort());
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, CASEBRIDGE_LOG_LEVEL: 'warn', ...env, CASEBRIDGE_API_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`the API exited: ${out}`);
      return out.includes('CaseBridge API at') ? true : undefined;
    },
    60_000,
    100,
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(err)}\n${out}`);
  });
  return {
    url: /CaseBridge API at (\S+)/.exec(out)![1],
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface ApiEnv {
  env: TestWorkflowEnvironment;
  api: ApiProcess;
  dataDir: string;
  /** Under `make test-cluster`: the API's store is this PostgreSQL database, not files in dataDir. */
  storeUrl?: string;
  taskQueue: string;
  /** The audit log's lines as stored (the file's text, or the rows' text in seq order), each ending in a newline. */
  auditText(): Promise<string>;
  /** The local issuer's signing key as stored (a forger who stole it). */
  signingKey(): Promise<SigningKey>;
  /** Adds a user to the local issuer and returns a token from its token endpoint. */
  person(name: string, roles: PersonRole[], units: string[]): Promise<string>;
  http(
    method: string,
    route: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string | Uint8Array; contentType?: string },
  ): Promise<HttpAnswer>;
  teardown(): Promise<void>;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are asserted with jest's matchers
  body: any;
  text: string;
}

export async function request(
  base: string,
  method: string,
  route: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string | Uint8Array; contentType?: string } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Uint8Array | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] = opts.contentType ?? 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${base}${route}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (NDJSON, metrics)
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export async function startApiEnv(
  opts: {
    taskQueue: string;
    settings?: NodeJS.ProcessEnv;
    worker?: boolean;
    /** Off: nobody approves the documents the cases' requests wait for (tests of approval). */
    documentDesk?: boolean;
    /** Scripts for the simulated systems (a court that denies a case's warrant, …) before the worker starts. */
    systems?: (systems: SimulatedSystems) => void;
  } = { taskQueue: 'api' },
): Promise<ApiEnv> {
  const env = await startDevServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-api-'));
  const storeUrl = onCluster() ? await clusterStoreUrl() : undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let desk: DocumentDesk | undefined;
  let discovery: NodeJS.Timeout | undefined;
  if (opts.worker !== false) {
    const systems = createSimulatedSystems({ seed: 'api', warrantDenialRate: 0, emergencyRefusalRate: 0 });
    opts.systems?.(systems);
    // The worker's documents are the API's (the same data dir or store): the API lists and serves what the cases generate.
    const documents = createDocumentLayer(
      { CASEBRIDGE_DATA_DIR: dataDir, ...(storeUrl ? { CASEBRIDGE_STORE_URL: storeUrl } : {}) },
      { ...(opts.settings ?? {}) },
    ).service;
    worker = await createCaseBridgeWorker({
      connection: env.nativeConnection,
      namespace: namespaceOf(env),
      taskQueue: opts.taskQueue,
      workflowBundle: workflowBundle(),
      activities: createActivities(systems, { documents: createDocumentPort(documents) }),
    });
    running = worker.run();
    if (opts.documentDesk !== false) {
      // The people who complete and approve the papers the running cases' requests wait for (found by visibility).
      const caseIds = new Set<string>();
      desk = documentDesk(env.client, documents, caseIds);
      const query = `WorkflowType = 'caseWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${opts.taskQueue}'`;
      const find = async () => {
        for await (const wf of env.client.workflow.list({ query })) caseIds.add(wf.workflowId);
      };
      discovery = setInterval(() => void find().catch(() => undefined), 500);
      desk.start(250);
    }
  }
  const api = await startApiProcess({
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: namespaceOf(env),
    CASEBRIDGE_DATA_DIR: dataDir,
    ...(storeUrl ? { CASEBRIDGE_STORE_URL: storeUrl } : {}),
    CASEBRIDGE_TASK_QUEUE: opts.taskQueue,
    CASEBRIDGE_API_RATE_LIMIT: '100000',
    ...(opts.settings ?? {}),
  });
  const issuer = await openIssuerStoreFor({ CASEBRIDGE_DATA_DIR: dataDir, CASEBRIDGE_STORE_URL: storeUrl });
  const users = issuer.users;
  const http: ApiEnv['http'] = (method, route, o) => request(api.url, method, route, o);
  return {
    env,
    api,
    dataDir,
    ...(storeUrl ? { storeUrl } : {}),
    taskQueue: opts.taskQueue,
    http,
    async auditText() {
      if (!storeUrl) return fs.existsSync(auditFile(dataDir)) ? fs.readFileSync(auditFile(dataDir), 'utf8') : '';
      const c = new pg.Client({ connectionString: storeUrl });
      await c.connect();
      try {
        const { rows } = await c.query<{ line: string }>('SELECT line FROM casebridge_audit ORDER BY seq');
        return rows.map((r) => `${r.line}\n`).join('');
      } finally {
        await c.end();
      }
    },
    signingKey: () => issuer.keys.signingKey(),
    async person(name, roles, units) {
      await users.put({ name, roles, units, passwordHash: await hashPassword(`pw-${name}`) });
      const r = await http('POST', '/auth/token', { body: { name, password: `pw-${name}` } });
      if (r.status !== 200) throw new Error(`login of ${name} failed: ${r.status} ${r.text}`);
      return r.body.token as string;
    },
    async teardown() {
      clearInterval(discovery);
      await desk?.stop();
      await api.stop();
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await running;
      await env.teardown();
      await issuer.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
