/**
 * `make test-cluster`: the end-to-end suites on the cluster profile instead of a dev server per
 * file. Global setup starts one real Temporal server on its own PostgreSQL (worker/cluster) and every
 * `startDevServer()` gets a namespace of its own there, prepared as an operator would
 * (`prepareNamespace`): files see only their own cases, as they would on their own server, and the
 * suites' visibility assertions meet PostgreSQL's SQL visibility rather than SQLite's.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../platform/config';
import { Postgres } from '../../worker/cluster/postgres';
import { ClusterProfile, clusterToolsDir } from '../../worker/cluster/profile';
import { prepareNamespace } from '../../worker/namespace';

/** Below the ephemeral range and apart from `make cluster-up`'s and the fault test's ports. */
const PG_PORT = 15472;
const FRONTEND_PORT = 17633;

export function onCluster(): boolean {
  return process.env.CASEBRIDGE_TEST_TARGET === 'cluster';
}

function profileIn(dir: string): ClusterProfile {
  return new ClusterProfile({
    dir,
    pgPort: PG_PORT,
    port: FRONTEND_PORT,
    namespace: 'casebridge-test',
    retentionDays: loadConfig().CASEBRIDGE_RETENTION_DAYS,
    toolsDir: clusterToolsDir(),
  });
}

/** Global setup: the run's cluster, its directory handed to the test workers through the environment. */
export async function startTestCluster(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-test-cluster-'));
  process.env.CASEBRIDGE_TEST_CLUSTER_DIR = dir;
  const profile = profileIn(dir);
  await profile.up();
  process.env.CASEBRIDGE_TEST_CLUSTER_ADDRESS = profile.address;
}

/** Global teardown: stops the run's server and PostgreSQL and removes their data. */
export async function stopTestCluster(): Promise<void> {
  const dir = process.env.CASEBRIDGE_TEST_CLUSTER_DIR;
  if (!dir) return;
  await profileIn(dir).down();
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh namespace on the run's cluster, prepared with CaseBridge's retention and search attributes. */
export async function clusterNamespace(): Promise<{ address: string; namespace: string }> {
  const address = process.env.CASEBRIDGE_TEST_CLUSTER_ADDRESS;
  if (!address) throw new Error('CASEBRIDGE_TEST_TARGET=cluster but no cluster was started: run the suites through `make test-cluster`');
  // Random: jest runs many files in one worker process and resets module state between them.
  const namespace = `t-${randomBytes(6).toString('hex')}`;
  const connection = await Connection.connect({ address });
  try {
    await prepareNamespace(connection, namespace, loadConfig().CASEBRIDGE_RETENTION_DAYS);
  } finally {
    await connection.close();
  }
  return { address, namespace };
}

/** A test environment on a fresh namespace of the run's cluster; its teardown closes its connections only. */
export async function clusterEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer(await clusterNamespace());
}

/**
 * A fresh database on the run's PostgreSQL for CaseBridge's own store (CASEBRIDGE_STORE_URL), so
 * the API suites meet the PostgreSQL audit log, issuer and documents the cluster profile runs on.
 */
export async function clusterStoreUrl(): Promise<string> {
  const dir = process.env.CASEBRIDGE_TEST_CLUSTER_DIR;
  if (!dir) throw new Error('CASEBRIDGE_TEST_TARGET=cluster but no cluster was started: run the suites through `make test-cluster`');
  return new Postgres({ dir, port: PG_PORT }).database(`store_${randomBytes(6).toString('hex')}`);
}

/** The namespace a test environment's clients and the processes it starts must name. */
export function namespaceOf(env: TestWorkflowEnvironment): string {
  return env.namespace ?? 'default';
}
