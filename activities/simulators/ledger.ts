/**
 * What each simulated system received, keyed by idempotency key. Appended to a JSONL file and fsynced
 * before the answer goes back, and loaded again on start, so a worker that crashes and retries gets
 * the original answer and the request is on record exactly once. Tests read it to prove that.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface LedgerEntry {
  key: string;
  system: string;
  op: string;
  caseId: string;
  at: string;
  /** The answer given (never tip content: simulators record decisions and references only). */
  result?: unknown;
  /** A rejection, recorded so a retry with the same key is rejected the same way. */
  rejected?: string;
}

export class Ledger {
  private readonly entries = new Map<string, LedgerEntry>();
  private readonly ordered: LedgerEntry[] = [];
  /** Requests that arrived again under a key already on record (answered from the record). */
  duplicatesAnswered = 0;

  constructor(private readonly file?: string) {
    if (file && fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          this.remember(JSON.parse(line) as LedgerEntry);
        } catch {
          // A line torn by a crash mid-write was never acknowledged: the caller retried it.
        }
      }
    }
    if (file) fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  get(key: string): LedgerEntry | undefined {
    return this.entries.get(key);
  }

  record(entry: LedgerEntry): void {
    if (this.entries.has(entry.key)) throw new Error(`ledger already holds ${entry.key}`);
    if (this.file) {
      const fd = fs.openSync(this.file, 'a');
      try {
        fs.writeSync(fd, JSON.stringify(entry) + '\n');
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    this.remember(entry);
  }

  all(filter: Partial<Pick<LedgerEntry, 'system' | 'op' | 'caseId'>> = {}): LedgerEntry[] {
    return this.ordered.filter(
      (e) =>
        (filter.system === undefined || e.system === filter.system) &&
        (filter.op === undefined || e.op === filter.op) &&
        (filter.caseId === undefined || e.caseId === filter.caseId),
    );
  }

  private remember(entry: LedgerEntry): void {
    if (this.entries.has(entry.key)) return;
    this.entries.set(entry.key, entry);
    this.ordered.push(entry);
  }
}

/** Reads a ledger file written by another process (e.g. a worker under test). */
export function readLedgerFile(file: string): LedgerEntry[] {
  return new Ledger(file).all();
}
