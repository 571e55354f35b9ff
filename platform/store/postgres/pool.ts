/**
 * One connection pool per store URL for the process (the API's audit log and its documents share
 * it), and CaseBridge's tables, created on first use. Creating them takes an advisory lock: a worker
 * and the API starting together must not both run the DDL. Each user of the pool holds a lease; the
 * pool ends when the last lease is released, so closing the audit log's store never ends the pool the
 * documents still query.
 */
import pg from 'pg';

const pools = new Map<string, { pool: pg.Pool; ready: Promise<void>; leases: number }>();

const SCHEMA = `
CREATE TABLE IF NOT EXISTS casebridge_audit (
  seq   bigint PRIMARY KEY,
  at    text   COLLATE "C" NOT NULL, -- ISO 8601 compared as bytes, as the file's export does
  hash  text   NOT NULL,
  line  text   NOT NULL
);
CREATE INDEX IF NOT EXISTS casebridge_audit_at ON casebridge_audit (at);
CREATE TABLE IF NOT EXISTS casebridge_users (
  name   text  PRIMARY KEY,
  record jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS casebridge_signing_keys (
  id  text  PRIMARY KEY,
  key jsonb NOT NULL
);
-- The key sealed as documents are (../documents/sealing.ts); a plaintext key from before is sealed on its first read.
ALTER TABLE casebridge_signing_keys ADD COLUMN IF NOT EXISTS sealed bytea;
ALTER TABLE casebridge_signing_keys ALTER COLUMN key DROP NOT NULL;
CREATE TABLE IF NOT EXISTS casebridge_document_contents (
  hash   text  PRIMARY KEY,
  sealed bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS casebridge_document_records (
  document_id text  PRIMARY KEY,
  case_id     text  NOT NULL,
  sealed      bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS casebridge_document_records_case ON casebridge_document_records (case_id);
`;

async function createSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await lockOn(client, 'casebridge-schema');
    await client.query(SCHEMA);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

function entryFor(url: string) {
  let entry = pools.get(url);
  if (!entry) {
    // allowExitOnIdle: an idle pool never keeps a finished command or a drained worker alive.
    const pool = new pg.Pool({ connectionString: url, max: 10, allowExitOnIdle: true });
    // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const created = { pool, ready: createSchema(pool), leases: 0 };
    pools.set(url, created);
    created.ready.catch(() => pools.delete(url));
    entry = created;
  }
  return entry;
}

/** A lease on the pool for `url`, its tables ready; `release` when done (the last release ends the pool). The URL holds a password: it is never logged. */
export async function acquirePool(url: string): Promise<{ pool: pg.Pool; release: () => Promise<void> }> {
  const entry = entryFor(url);
  entry.leases++;
  try {
    await entry.ready;
  } catch (err) {
    entry.leases--;
    throw err;
  }
  let released = false;
  return {
    pool: entry.pool,
    async release() {
      if (released) return;
      released = true;
      entry.leases--;
      if (entry.leases > 0 || pools.get(url) !== entry) return;
      pools.delete(url);
      await entry.pool.end();
    },
  };
}

/** Ends the pool for `url` whoever holds it (tests, and a process's last word). */
export async function closePool(url: string): Promise<void> {
  const entry = pools.get(url);
  if (!entry) return;
  pools.delete(url);
  await entry.pool.end();
}

/** Runs `fn` in one transaction on one client. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Holds, until the transaction ends, the advisory lock named by `name` (PostgreSQL's own 64-bit
 * hash of it): writers of one audit chain, one document's record or the schema queue on it.
 */
export async function lockOn(client: pg.PoolClient, name: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
}
