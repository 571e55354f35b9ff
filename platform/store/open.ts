/**
 * Which store a process opens: PostgreSQL when CASEBRIDGE_STORE_URL is set (the cluster profile),
 * else the embedded files under CASEBRIDGE_DATA_DIR. The API, the worker's documents and the
 * operators' commands all choose here, so they never disagree on where the data is.
 */
import type { CaseBridgeConfig } from '../config';
import { openEmbeddedStore, openIssuerStore } from './embedded';
import { closePool, openPostgresStore } from './postgres';
import { PgKeyStore, PgUserStore } from './postgres/issuer';
import { poolFor } from './postgres/pool';
import type { CaseBridgeStore } from './store';

type StoreConfig = Pick<CaseBridgeConfig, 'CASEBRIDGE_DATA_DIR' | 'CASEBRIDGE_STORE_URL'>;

export async function openStore(config: StoreConfig): Promise<CaseBridgeStore> {
  return config.CASEBRIDGE_STORE_URL ? openPostgresStore(config.CASEBRIDGE_STORE_URL) : openEmbeddedStore(config.CASEBRIDGE_DATA_DIR);
}

/** The users and keys alone (operators' commands: they must not open the audit log for writing); `close` when done. */
export async function openIssuerStoreFor(config: StoreConfig): Promise<Pick<CaseBridgeStore, 'users' | 'keys' | 'close'>> {
  const url = config.CASEBRIDGE_STORE_URL;
  if (!url) return { ...openIssuerStore(config.CASEBRIDGE_DATA_DIR), close: async () => undefined };
  const pool = await poolFor(url);
  return { users: new PgUserStore(pool), keys: new PgKeyStore(pool), close: () => closePool(url) };
}
