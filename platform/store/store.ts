/**
 * CaseBridge's own store, outside Temporal: the audit log of who read and changed which case, and the
 * local issuer's users and signing key. One interface with an embedded implementation under the data
 * dir (./embedded.ts); a PostgreSQL implementation goes behind the same interface for the cluster
 * profile. Nothing here ever holds tip content or personal data: people are named by their
 * credential (subject, name), cases by their id.
 */
import type { JWK } from 'jose';

/** One access to CaseBridge as the API saw it: who, what, when, and how it ended. */
export interface AuditEntry {
  /** ISO 8601, when the answer was decided. */
  at: string;
  /** `<issuer>|<sub>` of the verified credential; null when no credential could be verified (401). */
  subject: string | null;
  name: string | null;
  /** The role the person acted or read in (null when none applied). */
  role: string | null;
  units: string[];
  method: string;
  /** The route's pattern (`/cases/:caseId/status`), never the URL with its query. */
  route: string;
  action: 'read' | 'write' | 'login' | 'export';
  caseId?: string;
  /** Cases a batch opened (POST /cases). */
  caseIds?: string[];
  requestId?: string;
  /** The unit that owns the case, when known. */
  caseUnit?: string;
  /** The HTTP status of the answer. */
  status: number;
  /** The update id (Idempotency-Key) of a write. */
  updateId?: string;
  /** The document read or changed (its id: case, request, kind, language; never content). */
  documentId?: string;
  /** The answer carried personal data (a document's file). */
  personalData?: boolean;
}

/** A line of the log: the entry, its place in the chain, and the chain's hash up to it. */
export interface AuditLine extends AuditEntry {
  seq: number;
  /** The previous line's hash (GENESIS for the first line). */
  prev: string;
  /** sha256 over this line without `hash` (prev included), hex. */
  hash: string;
}

export type AuditVerification = { ok: true; lines: number; head: { seq: number; hash: string } } | { ok: false; lines: number; line: number; problem: string };

export interface AuditRange {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

export interface AuditLog {
  /** Appends the entry and makes it durable (fsync) before resolving. */
  append(entry: AuditEntry): Promise<AuditLine>;
  /** Lines whose `at` falls in the range, in log order. */
  export(range: AuditRange): AsyncIterable<AuditLine>;
  /** Walks the whole chain: a changed, removed, inserted or reordered line is found and named. */
  verify(): Promise<AuditVerification>;
}

/** A person the local issuer knows. */
export interface UserRecord {
  name: string;
  /** A stable random subject: the token's `sub` (names may be reused, subjects never). */
  subject: string;
  roles: string[];
  units: string[];
  /** `scrypt$N$r$p$salt$hash` (base64): see ./passwords.ts. */
  passwordHash: string;
  createdAt: string;
}

export interface UserStore {
  /** Adds or replaces the user of that name (a replaced user keeps their subject). */
  put(user: Omit<UserRecord, 'subject' | 'createdAt'>): Promise<UserRecord>;
  get(name: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
}

export interface SigningKey {
  kid: string;
  alg: 'ES256';
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface KeyStore {
  /** The local issuer's signing key, created on first use. */
  signingKey(): Promise<SigningKey>;
}

export interface CaseBridgeStore {
  audit: AuditLog;
  users: UserStore;
  keys: KeyStore;
  close(): Promise<void>;
}
