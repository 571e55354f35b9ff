/**
 * The audit log's hash chain, apart from where the lines are kept (so every store implementation
 * checks it the same way): each line carries its sequence number, the previous line's hash and its
 * own hash over everything else in it. Changing a line breaks its hash; removing, inserting or
 * reordering lines breaks the sequence and the `prev` links. Removing the newest lines leaves a valid
 * shorter chain: compare the head (seq and hash) with one recorded elsewhere to catch that.
 */
import crypto from 'node:crypto';
import type { AuditEntry, AuditLine, AuditVerification } from './store';

export const GENESIS = '0'.repeat(64);

/** Canonical JSON (keys sorted at every depth), so a line's hash does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function lineHash(line: Omit<AuditLine, 'hash'>): string {
  return crypto.createHash('sha256').update(canonical(line)).digest('hex');
}

export function chain(entry: AuditEntry, previous: { seq: number; hash: string }): AuditLine {
  const unhashed = { ...entry, seq: previous.seq + 1, prev: previous.hash };
  return { ...unhashed, hash: lineHash(unhashed) };
}

/** Checks lines in file order; `number` is the 1-based line number in the file. */
export class ChainVerifier {
  private seq = 0;
  private hash = GENESIS;
  private count = 0;
  private failure: { line: number; problem: string } | undefined;

  add(text: string, number: number): void {
    if (this.failure) return;
    this.count++;
    let line: AuditLine;
    try {
      line = JSON.parse(text) as AuditLine;
    } catch {
      this.failure = { line: number, problem: 'not valid JSON' };
      return;
    }
    const { hash, ...rest } = line;
    if (line.seq !== this.seq + 1)
      this.failure = { line: number, problem: `sequence ${String(line.seq)} where ${this.seq + 1} was due (a line removed, inserted or moved)` };
    else if (line.prev !== this.hash)
      this.failure = { line: number, problem: 'its prev does not match the previous line’s hash (a line removed, inserted or moved)' };
    else if (lineHash(rest) !== hash) this.failure = { line: number, problem: 'its content does not match its hash (the line was changed)' };
    else {
      this.seq = line.seq;
      this.hash = hash;
    }
  }

  result(): AuditVerification {
    if (this.failure) return { ok: false, lines: this.count, ...this.failure };
    return { ok: true, lines: this.count, head: { seq: this.seq, hash: this.hash } };
  }
}
