/**
 * How every CaseBridge process reaches Temporal. Settings come from `@temporalio/envconfig`, the
 * same variables and TOML profiles the `temporal` CLI reads (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE), so moving from the
 * embedded dev server to a Temporal cluster or Temporal Cloud is configuration only.
 */
import { Client, Connection, type ConnectionOptions, type DataConverter } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';

export interface TemporalTarget {
  connectionOptions: ConnectionOptions;
  namespace: string;
}

export const DEFAULT_ADDRESS = 'localhost:7233';

export function loadTemporalTarget(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const overrideEnvVars = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const { connectionOptions, namespace } = loadClientConnectConfig({
    profile: env.TEMPORAL_PROFILE,
    overrideEnvVars,
  });
  return {
    connectionOptions: { ...connectionOptions, address: connectionOptions.address ?? DEFAULT_ADDRESS } as ConnectionOptions,
    namespace: namespace ?? 'default',
  };
}

/** The data converter every client and worker shares (payload encryption plugs in here). */
export function caseBridgeDataConverter(): DataConverter {
  return {};
}

export async function connectClient(target: TemporalTarget = loadTemporalTarget()): Promise<Client> {
  const connection = await Connection.connect(target.connectionOptions);
  return new Client({ connection, namespace: target.namespace, dataConverter: caseBridgeDataConverter() });
}
