/**
 * Prepares a namespace for CaseBridge on a self-hosted cluster: creates it when absent, raises its
 * retention to CASEBRIDGE_RETENTION_DAYS, registers CaseBridge's search attributes, and waits until
 * a query by them answers. Connection settings as every process reads them (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TLS, profiles). Idempotent.
 */
import { Connection } from '@temporalio/client';
import { loadConfig } from '../platform/config';
import { loadTemporalTarget } from '../platform/connection';
import { namespaceProblems, prepareNamespace } from './namespace';

export async function run(): Promise<void> {
  const config = loadConfig();
  const target = loadTemporalTarget();
  const connection = await Connection.connect(target.connectionOptions);
  try {
    await prepareNamespace(connection, target.namespace, config.CASEBRIDGE_RETENTION_DAYS);
    const problems = await namespaceProblems(connection, target.namespace, config.CASEBRIDGE_RETENTION_DAYS);
    if (problems.length > 0) throw new Error(problems.join('; '));
    console.log(`namespace ${target.namespace} is ready for CaseBridge (retention ≥ ${config.CASEBRIDGE_RETENTION_DAYS} days, search attributes registered)`);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(`casebridge prepare-namespace: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
