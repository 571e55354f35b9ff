/**
 * How every CaseBridge process reaches Temporal. Settings come from `@temporalio/envconfig`, the
 * same variables and TOML profiles the `temporal` CLI reads (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE), so moving from the
 * embedded dev server to a Temporal cluster or Temporal Cloud is configuration only.
 */
import path from 'node:path';
import { Client, Connection, type ConnectionOptions, type DataConverter } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { AesGcmPayloadCodec } from './crypto/codec';
import { loadEncryptionSettings } from './crypto/keys';

export interface TemporalTarget {
  connectionOptions: ConnectionOptions;
  namespace: string;
}

export const DEFAULT_ADDRESS = 'localhost:7233';

export function loadTemporalTarget(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const overrideEnvVars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const { connectionOptions, namespace } = loadClientConnectConfig({
    profile: env.TEMPORAL_PROFILE,
    overrideEnvVars,
  });
  return {
    connectionOptions: { ...connectionOptions, address: connectionOptions.address ?? DEFAULT_ADDRESS },
    namespace: namespace ?? 'default',
  };
}

/**
 * The module whose `failureConverter` export encodes failure messages and stack traces, so the codec
 * encrypts them. Resolved like workflows/index: the .ts source under ts-jest, the .js under dist/.
 * A worker given a prebuilt `workflowBundle` must have been bundled with
 * `bundleWorkflowCode({ failureConverterPath: FAILURE_CONVERTER_PATH, ... })`, or failures thrown by
 * workflow code stay plaintext.
 */
export const FAILURE_CONVERTER_PATH = require.resolve(path.join(__dirname, 'crypto', 'failure-converter'));

/** The payload codec the environment's key ring configures, or undefined when no key is configured. */
export function loadPayloadCodec(env: NodeJS.ProcessEnv = process.env): AesGcmPayloadCodec | undefined {
  const { keyRing } = loadEncryptionSettings(env);
  return keyRing ? new AesGcmPayloadCodec(keyRing) : undefined;
}

/**
 * The data converter every client and worker shares. With a key configured (CASEBRIDGE_ENCRYPTION_KEYS
 * or CASEBRIDGE_KEY_FILE, see client/crypto/keys.ts) every payload and every failure message and
 * stack trace is AES-256-GCM encrypted; without one, payloads stay plaintext, unless
 * CASEBRIDGE_REQUIRE_ENCRYPTION=true, which makes this throw instead. Throws EncryptionConfigError
 * on malformed key settings: call it at start-up so a bad key stops the process before it connects.
 */
export function caseBridgeDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter {
  const codec = loadPayloadCodec(env);
  if (!codec) return {};
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}

export async function connectClient(target: TemporalTarget = loadTemporalTarget(), env: NodeJS.ProcessEnv = process.env): Promise<Client> {
  // Before connecting: a bad or missing key fails fast, with no connection left open.
  const dataConverter = caseBridgeDataConverter(env);
  const connection = await Connection.connect(target.connectionOptions);
  return new Client({ connection, namespace: target.namespace, dataConverter });
}
