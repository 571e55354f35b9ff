import fs from 'node:fs';

/** Removes the run's workflow bundle from the temp folder, and stops `make test-cluster`'s cluster. */
export default async function globalTeardown(): Promise<void> {
  const { BUNDLE_PATH } = await import('./servers');
  fs.rmSync(BUNDLE_PATH, { force: true });
  const { stopTestCluster } = await import('./cluster-target');
  await stopTestCluster();
}
