/**
 * Which store a process opens: PostgreSQL when CASEBRIDGE_STORE_URL is set (the cluster profile),
 * else the embedded files under CASEBRIDGE_DATA_DIR. The API, the worker's documents and the
 * operators' commands all choose here, so they never disagree on where the data is.
 */
import type { CaseBridgeConfig } from '../config';
import { loadEncryptionSettings, type KeyRing } from '../crypto/keys';
import { openEmbeddedStore, openIssuerStore } from './embedded';
import { acquirePool, openPostgresStore } from './postgres';
import { PgKeyStore, PgUserStore } from './postgres/issuer';
import type { CaseBridgeStore } from './store';

type StoreConfig = Pick<CaseBridgeConfig, 'CASEBRIDGE_DATA_DIR' | 'CASEBRIDGE_STORE_URL'>;

/** The operator's encryption keys (the environment's, as the payload codec reads them): they seal the signing key in PostgreSQL. */
const configuredKeys = (): KeyRing | undefined => loadEncryptionSettings().keyRing;

export async function openStore(config: StoreConfig, keyRing: KeyRing | undefined = configuredKeys()): Promise<CaseBridgeStore> {
  return config.CASEBRIDGE_STORE_URL ? openPostgresStore(config.CASEBRIDGE_STORE_URL, keyRing) : openEmbeddedStore(config.CASEBRIDGE_DATA_DIR);
}

/** The users and keys alone (operators' commands: they must not open the audit log for writing); `close` when done. */
export async function openIssuerStoreFor(
  config: StoreConfig,
  keyRing: KeyRing | undefined = configuredKeys(),
): Promise<Pick<CaseBridgeStore, 'users' | 'keys' | 'close'>> {
  const url = config.CASEBRIDGE_STORE_URL;
  if (!url) return { ...openIssuerStore(config.CASEBRIDGE_DATA_DIR), close: async () => undefined };
  const { pool, release } = await acquirePool(url);
  return { users: new PgUserStore(pool), keys: new PgKeyStore(pool, keyRing), close: release };
}
