/** CaseBridge's own store in PostgreSQL (CASEBRIDGE_STORE_URL): the same interfaces as the embedded one. */
import type { KeyRing } from '../../crypto/keys';
import type { DocumentStore } from '../documents/store';
import type { CaseBridgeStore } from '../store';
import { PgAuditLog } from './audit-log';
import { PgDocumentStore } from './document-store';
import { PgKeyStore, PgUserStore } from './issuer';
import { closePool, poolFor } from './pool';

export async function openPostgresStore(url: string): Promise<CaseBridgeStore> {
  const pool = await poolFor(url);
  const audit = new PgAuditLog(pool);
  return {
    audit,
    users: new PgUserStore(pool),
    keys: new PgKeyStore(pool),
    async close() {
      await audit.close();
      await closePool(url);
    },
  };
}

export function openPostgresDocumentStore(url: string, keyRing: KeyRing | undefined): DocumentStore {
  return new PgDocumentStore(url, keyRing);
}

export { closePool, poolFor } from './pool';
