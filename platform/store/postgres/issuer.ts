/** The local issuer's users and signing key in PostgreSQL (the embedded store keeps them as files). */
import crypto from 'node:crypto';
import type pg from 'pg';
import type { KeyRing } from '../../crypto/keys';
import { Sealer } from '../documents/sealing';
import { newSigningKey } from '../signing-key';
import type { KeyStore, SigningKey, UserRecord, UserStore } from '../store';

export class PgUserStore implements UserStore {
  constructor(private readonly pool: pg.Pool) {}

  async put(user: Omit<UserRecord, 'subject' | 'createdAt'>): Promise<UserRecord> {
    const fresh: UserRecord = { ...user, subject: crypto.randomUUID(), createdAt: new Date().toISOString() };
    // One statement: a replaced user keeps their subject and creation time, even with two writers at once.
    const { rows } = await this.pool.query<{ record: UserRecord }>(
      `INSERT INTO casebridge_users (name, record) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET record = EXCLUDED.record
         || jsonb_build_object('subject', casebridge_users.record->'subject', 'createdAt', casebridge_users.record->'createdAt')
       RETURNING record`,
      [user.name, JSON.stringify(fresh)],
    );
    return rows[0].record;
  }

  async get(name: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<{ record: UserRecord }>('SELECT record FROM casebridge_users WHERE name = $1', [name]);
    return rows[0]?.record;
  }

  async list(): Promise<UserRecord[]> {
    const { rows } = await this.pool.query<{ record: UserRecord }>('SELECT record FROM casebridge_users');
    return rows.map((r) => r.record).sort((a, b) => a.name.localeCompare(b.name));
  }
}

/**
 * The local issuer's private key, sealed with the operator's encryption keys as documents are (a table
 * dump or a backup must not hand out a key that signs anyone's credential). Without configured keys it
 * is a plaintext payload, as documents and Temporal payloads then are.
 */
export class PgKeyStore implements KeyStore {
  private key: SigningKey | undefined;
  private readonly sealer: Sealer;
  constructor(
    private readonly pool: pg.Pool,
    keyRing: KeyRing | undefined,
  ) {
    this.sealer = new Sealer(keyRing);
  }

  async signingKey(): Promise<SigningKey> {
    if (this.key) return this.key;
    const made = await newSigningKey();
    // The first process to store a key wins; every other one reads that key back, so all sign alike.
    await this.pool.query(`INSERT INTO casebridge_signing_keys (id, sealed) VALUES ('local-issuer', $1) ON CONFLICT (id) DO NOTHING`, [await this.seal(made)]);
    const { rows } = await this.pool.query<{ key: SigningKey | null; sealed: Buffer | null }>(
      `SELECT key, sealed FROM casebridge_signing_keys WHERE id = 'local-issuer'`,
    );
    const row = rows[0];
    if (row.sealed) {
      const bytes = await this.sealer.open(ADDRESS, row.sealed, 'the local issuer’s signing key');
      this.key = JSON.parse(Buffer.from(bytes).toString('utf8')) as SigningKey;
    } else {
      // Stored in plaintext by a version before the sealing: sealed now, once, and the plaintext dropped.
      this.key = row.key!;
      await this.pool.query(`UPDATE casebridge_signing_keys SET sealed = $1, key = NULL WHERE id = 'local-issuer' AND sealed IS NULL`, [
        await this.seal(this.key),
      ]);
    }
    return this.key;
  }

  private async seal(key: SigningKey): Promise<Buffer> {
    return Buffer.from(await this.sealer.seal(ADDRESS, Buffer.from(JSON.stringify(key), 'utf8')));
  }
}

const ADDRESS = 'signing-key:local-issuer';
