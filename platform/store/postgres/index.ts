/** CaseBridge's own store in PostgreSQL (CASEBRIDGE_STORE_URL): the same interfaces as the embedded one. */
import type { KeyRing } from '../../crypto/keys';
import type { DocumentStore } from '../documents/store';
import type { CaseBridgeStore } from '../store';
import { PgAuditLog } from './audit-log';
import { PgDocumentStore } from './document-store';
import { PgKeyStore, PgUserStore } from './issuer';
import { acquirePool } from './pool';

/** `keyRing`: the operator's encryption keys, which seal the local issuer's signing key as they seal documents. */
export async function openPostgresStore(url: string, keyRing: KeyRing | undefined): Promise<CaseBridgeStore> {
  const { pool, release } = await acquirePool(url);
  const audit = new PgAuditLog(pool);
  return {
    audit,
    users: new PgUserStore(pool),
    keys: new PgKeyStore(pool, keyRing),
    async close() {
      await audit.close();
      await release();
    },
  };
}

export function openPostgresDocumentStore(url: string, keyRing: KeyRing | undefined): DocumentStore {
  return new PgDocumentStore(url, keyRing);
}

export { acquirePool, closePool } from './pool';
