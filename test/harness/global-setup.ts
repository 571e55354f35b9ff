/**
 * Runs once before all test files: makes sure the Temporal binaries are there and bundles the
 * workflows once, so no test file pays for webpack.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(path.join(root, 'scripts', 'install-tools.sh'), { stdio: 'inherit' });
  process.env.CASEBRIDGE_TEST_RUN ??= String(process.pid);
  const { BUNDLE_PATH } = await import('./servers');
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(root, 'workflows', 'index.ts'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  fs.writeFileSync(BUNDLE_PATH, code);
  const { onCluster, startTestCluster } = await import('./cluster-target');
  if (onCluster()) await startTestCluster();
}
