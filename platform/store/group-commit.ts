/**
 * Group commit for an audit log, whichever store keeps it: appends made while a batch is being
 * written wait and go together in the next one, and each caller resolves only once its own line is
 * durable. After `close` an append is refused rather than written anywhere (a late request while the
 * API stops: on the file, the descriptor's number may already belong to another file).
 */
import { chain } from './audit-chain';
import type { AuditEntry, AuditLine } from './store';

/** The lines `entries` make after `head`, in order. */
export function chainAll(entries: readonly AuditEntry[], head: { seq: number; hash: string }): AuditLine[] {
  const lines: AuditLine[] = [];
  for (const entry of entries) {
    const line = chain(entry, head);
    lines.push(line);
    head = line;
  }
  return lines;
}

export class GroupCommit {
  private pending: { entry: AuditEntry; resolve: (l: AuditLine) => void; reject: (e: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;

  /** `write` makes one batch durable and returns its lines, in the batch's order. */
  constructor(private readonly write: (entries: AuditEntry[]) => Promise<AuditLine[]>) {}

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
        const lines = await this.write(batch.map((p) => p.entry));
        batch.forEach((p, i) => p.resolve(lines[i]));
      } catch (err) {
        batch.forEach((p) => p.reject(err));
      }
    }
    this.writing = undefined;
  }

  /** Refuses appends from now on; resolves once everything appended before is durable. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
  }
}
