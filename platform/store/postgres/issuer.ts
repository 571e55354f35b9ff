/** The local issuer's users and signing key in PostgreSQL (the embedded store keeps them as files). */
import crypto from 'node:crypto';
import type pg from 'pg';
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

export class PgKeyStore implements KeyStore {
  private key: SigningKey | undefined;
  constructor(private readonly pool: pg.Pool) {}

  async signingKey(): Promise<SigningKey> {
    if (this.key) return this.key;
    const made = await newSigningKey();
    // The first process to store a key wins; every other one reads that key back, so all sign alike.
    await this.pool.query(`INSERT INTO casebridge_signing_keys (id, key) VALUES ('local-issuer', $1) ON CONFLICT (id) DO NOTHING`, [JSON.stringify(made)]);
    const { rows } = await this.pool.query<{ key: SigningKey }>(`SELECT key FROM casebridge_signing_keys WHERE id = 'local-issuer'`);
    this.key = rows[0].key;
    return this.key;
  }
}
