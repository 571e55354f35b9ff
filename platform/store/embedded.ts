/**
 * The embedded store under the data dir (CASEBRIDGE_DATA_DIR), for the single-machine default:
 *
 *   audit/audit.ndjson          the hash-chained audit log, appended and fsynced per batch
 *   issuer/users.json           the local issuer's users (scrypt hashes), 0600
 *   issuer/signing-key.jwk.json the local issuer's ES256 key, 0600
 *
 * One process writes the audit log at a time (the API); appends made while a write is in flight are
 * written and fsynced together (group commit), so every caller still resolves only once its line is
 * on disk.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ChainVerifier, GENESIS } from './audit-chain';
import { GroupCommit, chainAll } from './group-commit';
import { ensurePrivateDir, readJsonIfExists, writeFileDurably } from './files';
import { newSigningKey } from './signing-key';
import type { AuditEntry, AuditLine, AuditLog, AuditRange, CaseBridgeStore, KeyStore, SigningKey, UserRecord, UserStore } from './store';

export function auditFile(dataDir: string): string {
  return path.join(dataDir, 'audit', 'audit.ndjson');
}

async function* readLines(file: string): AsyncIterable<{ text: string; number: number }> {
  if (!fs.existsSync(file)) return;
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  for await (const text of rl) {
    number++;
    if (text.trim() !== '') yield { text, number };
  }
}

/** The last line's seq and hash, read from the file's tail. */
function readHead(file: string): { seq: number; hash: string } {
  if (!fs.existsSync(file)) return { seq: 0, hash: GENESIS };
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let chunk = 4096;
    for (;;) {
      const start = Math.max(0, size - chunk);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      const lines = buf
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      // A complete last line, or the whole file read.
      if (lines.length >= 2 || start === 0) {
        if (lines.length === 0) return { seq: 0, hash: GENESIS };
        const last = JSON.parse(lines[lines.length - 1]) as AuditLine;
        return { seq: last.seq, hash: last.hash };
      }
      chunk *= 4;
    }
  } finally {
    fs.closeSync(fd);
  }
}

class FileAuditLog implements AuditLog {
  private head: { seq: number; hash: string };
  private readonly commits = new GroupCommit((entries) => this.writeBatch(entries));
  private fd: number;
  private closed = false;

  constructor(private readonly file: string) {
    ensurePrivateDir(path.dirname(file));
    this.head = readHead(file);
    this.fd = fs.openSync(file, 'a', 0o600);
  }

  append(entry: AuditEntry): Promise<AuditLine> {
    return this.commits.append(entry);
  }

  /** One write and one fdatasync per batch; the head moves only once the batch is on disk. */
  private async writeBatch(entries: AuditEntry[]): Promise<AuditLine[]> {
    const lines = chainAll(entries, this.head);
    const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    await new Promise<void>((resolve, reject) => fs.write(this.fd, text, null, 'utf8', (err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve, reject) => fs.fdatasync(this.fd, (err) => (err ? reject(err) : resolve())));
    this.head = lines[lines.length - 1];
    return lines;
  }

  async *export(range: AuditRange): AsyncIterable<AuditLine> {
    const from = range.from?.toISOString();
    const to = range.to?.toISOString();
    for await (const { text } of readLines(this.file)) {
      const line = JSON.parse(text) as AuditLine;
      if ((from === undefined || line.at >= from) && (to === undefined || line.at < to)) yield line;
    }
  }

  async verify() {
    return verifyAuditFile(this.file);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // What was appended before the close is written and fsynced first.
    await this.commits.close();
    fs.closeSync(this.fd);
  }
}

/** Verifies an audit log file without opening it for writing (the operators' `casebridge audit verify`). */
export async function verifyAuditFile(file: string) {
  const v = new ChainVerifier();
  for await (const { text, number } of readLines(file)) v.add(text, number);
  return v.result();
}

class FileUserStore implements UserStore {
  constructor(private readonly file: string) {}

  private read(): Record<string, UserRecord> {
    return readJsonIfExists<{ users: Record<string, UserRecord> }>(this.file)?.users ?? {};
  }

  async put(user: Omit<UserRecord, 'subject' | 'createdAt'>): Promise<UserRecord> {
    ensurePrivateDir(path.dirname(this.file));
    const users = this.read();
    const existing = users[user.name];
    const record: UserRecord = {
      ...user,
      subject: existing?.subject ?? crypto.randomUUID(),
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    };
    users[user.name] = record;
    writeFileDurably(this.file, JSON.stringify({ users }, null, 2) + '\n');
    return record;
  }

  async get(name: string): Promise<UserRecord | undefined> {
    return Object.hasOwn(this.read(), name) ? this.read()[name] : undefined;
  }

  async list(): Promise<UserRecord[]> {
    return Object.values(this.read()).sort((a, b) => a.name.localeCompare(b.name));
  }
}

class FileKeyStore implements KeyStore {
  private key: SigningKey | undefined;
  constructor(private readonly file: string) {}

  async signingKey(): Promise<SigningKey> {
    if (this.key) return this.key;
    let key = readJsonIfExists<SigningKey>(this.file);
    if (!key) {
      key = await newSigningKey();
      ensurePrivateDir(path.dirname(this.file));
      writeFileDurably(this.file, JSON.stringify(key) + '\n');
    }
    this.key = key;
    return key;
  }
}

export function openEmbeddedStore(dataDir: string): CaseBridgeStore {
  const audit = new FileAuditLog(auditFile(dataDir));
  return {
    audit,
    users: new FileUserStore(path.join(dataDir, 'issuer', 'users.json')),
    keys: new FileKeyStore(path.join(dataDir, 'issuer', 'signing-key.jwk.json')),
    close: () => audit.close(),
  };
}

/** The users and keys alone, for operators' commands that must not open the audit log for writing. */
export function openIssuerStore(dataDir: string): Pick<CaseBridgeStore, 'users' | 'keys'> {
  return { users: new FileUserStore(path.join(dataDir, 'issuer', 'users.json')), keys: new FileKeyStore(path.join(dataDir, 'issuer', 'signing-key.jwk.json')) };
}
