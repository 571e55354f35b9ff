/**
 * The audit log in PostgreSQL: the same hash chain as the file (../audit-chain.ts), one row per line
 * with the line's exact text, so `verify` checks what was written byte for byte. Appends made while
 * a batch is being committed are committed together (group commit, as the file fsyncs per batch);
 * each batch takes an advisory lock and reads the head inside its transaction, so several API
 * processes can append to one chain.
 */
import type pg from 'pg';
import { ChainVerifier, GENESIS, chain } from '../audit-chain';
import type { AuditEntry, AuditLine, AuditLog, AuditRange, AuditVerification } from '../store';
import { inTransaction } from './pool';

/** Spells "CBAUDIT" in ASCII. */
const AUDIT_LOCK = '0x43424155444954';
const PAGE = 1000;

export class PgAuditLog implements AuditLog {
  private pending: { entry: AuditEntry; resolve: (l: AuditLine) => void; reject: (e: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly pool: pg.Pool) {}

  append(entry: AuditEntry): Promise<AuditLine> {
    if (this.closed) return Promise.reject(new Error('the audit log is closed: the API is stopping'));
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      this.writing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        const lines = await inTransaction(this.pool, async (client) => {
          await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [BigInt(AUDIT_LOCK).toString()]);
          const last = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM casebridge_audit ORDER BY seq DESC LIMIT 1');
          let head = last.rows[0] ? { seq: Number(last.rows[0].seq), hash: last.rows[0].hash } : { seq: 0, hash: GENESIS };
          const made: AuditLine[] = [];
          for (const p of batch) {
            const line = chain(p.entry, head);
            made.push(line);
            head = line;
          }
          const values: unknown[] = [];
          const rows = made.map((l, i) => {
            values.push(l.seq, l.at, l.hash, JSON.stringify(l));
            return `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`;
          });
          await client.query(`INSERT INTO casebridge_audit (seq, at, hash, line) VALUES ${rows.join(', ')}`, values);
          return made;
        });
        // Resolved only after COMMIT: with synchronous_commit on, the lines are in the WAL on disk.
        batch.forEach((p, i) => p.resolve(lines[i]));
      } catch (err) {
        batch.forEach((p) => p.reject(err));
      }
    }
    this.writing = undefined;
  }

  /** Every row in seq order, a page at a time (a year's log does not sit in memory). */
  private async *rows(where = 'TRUE', params: unknown[] = []): AsyncIterable<{ seq: number; line: string }> {
    let after = 0;
    for (;;) {
      const { rows } = await this.pool.query<{ seq: string; line: string }>(
        `SELECT seq, line FROM casebridge_audit WHERE seq > $1 AND ${where} ORDER BY seq LIMIT ${PAGE}`,
        [after, ...params],
      );
      for (const r of rows) yield { seq: Number(r.seq), line: r.line };
      if (rows.length < PAGE) return;
      after = Number(rows[rows.length - 1].seq);
    }
  }

  async *export(range: AuditRange): AsyncIterable<AuditLine> {
    const where: string[] = [];
    const params: string[] = [];
    if (range.from) where.push(`at >= $${params.push(range.from.toISOString()) + 1}`);
    if (range.to) where.push(`at < $${params.push(range.to.toISOString()) + 1}`);
    for await (const r of this.rows(where.join(' AND ') || 'TRUE', params)) yield JSON.parse(r.line) as AuditLine;
  }

  async verify(): Promise<AuditVerification> {
    const v = new ChainVerifier();
    let n = 0;
    for await (const r of this.rows()) v.add(r.line, ++n);
    return v.result();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
  }
}
