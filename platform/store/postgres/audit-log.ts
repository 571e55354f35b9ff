/**
 * The audit log in PostgreSQL: the same hash chain as the file (../audit-chain.ts), one row per line
 * with the line's exact text, so `verify` checks what was written byte for byte. Appends are group
 * committed (../group-commit.ts) as on the file; each batch takes an advisory lock and reads the
 * head inside its transaction, so several API processes can append to one chain.
 */
import type pg from 'pg';
import { ChainVerifier, GENESIS } from '../audit-chain';
import { GroupCommit, chainAll } from '../group-commit';
import type { AuditEntry, AuditLine, AuditLog, AuditRange, AuditVerification } from '../store';
import { inTransaction, lockOn } from './pool';

const PAGE = 1000;

export class PgAuditLog implements AuditLog {
  private readonly commits = new GroupCommit((entries) => this.writeBatch(entries));

  constructor(private readonly pool: pg.Pool) {}

  append(entry: AuditEntry): Promise<AuditLine> {
    return this.commits.append(entry);
  }

  /** One transaction per batch; with synchronous_commit on, COMMIT returns once the lines are in the WAL on disk. */
  private writeBatch(entries: AuditEntry[]): Promise<AuditLine[]> {
    return inTransaction(this.pool, async (client) => {
      await lockOn(client, 'casebridge-audit');
      const last = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM casebridge_audit ORDER BY seq DESC LIMIT 1');
      const head = last.rows[0] ? { seq: Number(last.rows[0].seq), hash: last.rows[0].hash } : { seq: 0, hash: GENESIS };
      const lines = chainAll(entries, head);
      const values = lines.flatMap((l) => [l.seq, l.at, l.hash, JSON.stringify(l)]);
      const rows = lines.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`);
      await client.query(`INSERT INTO casebridge_audit (seq, at, hash, line) VALUES ${rows.join(', ')}`, values);
      return lines;
    });
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

  close(): Promise<void> {
    return this.commits.close();
  }
}
