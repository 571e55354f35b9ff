/**
 * Web sessions: a random id in an HttpOnly, SameSite=Strict cookie (Secure, and `__Host-` named,
 * when the app is served over TLS) pointing at what the server holds — the person's access token
 * from the identity provider, a per-session CSRF token, and when it was last used. A session ends
 * after the idle time (CJIS: 30 minutes), when the token expires, or at sign-out. Held in this
 * process's memory: a restart signs everyone out, and several API processes need sticky sessions.
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Person } from '../api/identity';

export interface Session {
  id: string;
  csrf: string;
  token: string;
  person: Person;
  idToken?: string;
  lastSeen: number;
  /** When the access token stops being accepted (ms). */
  tokenExpiresAt: number;
}

/** A sign-in under way: what the callback checks the identity provider's answer against. */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  expiresAt: number;
}

const LOGIN_TTL_MS = 10 * 60_000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly logins = new Map<string, PendingLogin>();
  readonly sessionCookie: string;
  readonly loginCookie: string;

  constructor(
    readonly idleMs: number,
    readonly secure: boolean,
  ) {
    // `__Host-`: the browser keeps the cookie only if Secure, path=/ and no Domain (no subdomain can set it).
    this.sessionCookie = secure ? '__Host-cb_session' : 'cb_session';
    // `__Secure-`, not `__Host-`: this one is scoped to the callback's path.
    this.loginCookie = secure ? '__Secure-cb_login' : 'cb_login';
  }

  private sweep(now: number): void {
    for (const [k, s] of this.sessions) if (now - s.lastSeen > this.idleMs || now >= s.tokenExpiresAt) this.sessions.delete(k);
    for (const [k, l] of this.logins) if (l.expiresAt < now) this.logins.delete(k);
  }

  create(token: string, person: Person, tokenExpiresAt: number, idToken?: string): Session {
    const now = Date.now();
    this.sweep(now);
    const s: Session = {
      id: crypto.randomBytes(32).toString('base64url'),
      csrf: crypto.randomBytes(32).toString('base64url'),
      token,
      person,
      lastSeen: now,
      tokenExpiresAt,
      ...(idToken ? { idToken } : {}),
    };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The request's live session (its idle clock reset), or undefined. `touch: false` reads without resetting it (live updates are not activity). */
  get(req: FastifyRequest, touch = true): Session | undefined {
    const id = req.cookies[this.sessionCookie];
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const now = Date.now();
    if (now - s.lastSeen > this.idleMs || now >= s.tokenExpiresAt) {
      this.sessions.delete(id);
      return undefined;
    }
    if (touch) s.lastSeen = now;
    return s;
  }

  /** Whether a session is still live without touching it (an open event stream checks this). */
  alive(s: Session): boolean {
    const now = Date.now();
    return this.sessions.get(s.id) === s && now - s.lastSeen <= this.idleMs && now < s.tokenExpiresAt;
  }

  destroy(s: Session): void {
    this.sessions.delete(s.id);
  }

  setCookie(reply: FastifyReply, s: Session): void {
    void reply.setCookie(this.sessionCookie, s.id, { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/' });
  }

  clearCookie(reply: FastifyReply): void {
    void reply.clearCookie(this.sessionCookie, { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/' });
  }

  /**
   * A pending sign-in, bound to this browser by a cookie. Lax, not Strict: the identity provider's
   * redirect back is a cross-site navigation, on which a Strict cookie would not be sent.
   */
  beginLogin(reply: FastifyReply, l: Omit<PendingLogin, 'expiresAt'>): void {
    this.sweep(Date.now());
    const key = crypto.randomBytes(24).toString('base64url');
    this.logins.set(key, { ...l, expiresAt: Date.now() + LOGIN_TTL_MS });
    void reply.setCookie(this.loginCookie, key, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/web/callback', maxAge: LOGIN_TTL_MS / 1000 });
  }

  /** The pending sign-in of this browser, used up. */
  takeLogin(req: FastifyRequest, reply: FastifyReply): PendingLogin | undefined {
    const key = req.cookies[this.loginCookie];
    void reply.clearCookie(this.loginCookie, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/web/callback' });
    if (!key) return undefined;
    const l = this.logins.get(key);
    this.logins.delete(key);
    return l && l.expiresAt >= Date.now() ? l : undefined;
  }

  get size(): number {
    return this.sessions.size;
  }
}

/** Compares a submitted CSRF token with the session's in constant time. */
export function csrfMatches(s: Session, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(s.csrf);
  const b = Buffer.from(submitted);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
