/**
 * The pages ask the API itself: every read and write a page makes is an in-process HTTP request
 * (Fastify's inject) to the API's own route with the session's bearer token, so it passes the same
 * credential check, role and need-to-know checks, schema validation and audit line as the CLI's
 * request — there is no second path to a case.
 */
import type { FastifyInstance } from 'fastify';
import type { Problem } from '../api/problems';
import type { Session } from './sessions';

export type ApiAnswer<T> = { ok: true; status: number; body: T } | { ok: false; status: number; problem: Problem };

export interface CallOptions {
  body?: unknown;
  /** Raw bytes with their content type (an uploaded tips file). */
  raw?: { bytes: Buffer | string; contentType: string };
  headers?: Record<string, string>;
}

export type ApiCaller = <T>(session: Session, method: 'GET' | 'POST', url: string, opts?: CallOptions) => Promise<ApiAnswer<T>>;

export function apiCaller(app: FastifyInstance): ApiCaller {
  return async <T>(session: Session, method: 'GET' | 'POST', url: string, opts: CallOptions = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${session.token}`, ...(opts.headers ?? {}) };
    let payload: string | Buffer | undefined;
    if (opts.raw) {
      payload = opts.raw.bytes;
      headers['content-type'] = opts.raw.contentType;
    } else if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      parsed = undefined;
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, status: res.statusCode, body: parsed as T };
    return refusal(res.statusCode, parsed);
  };
}

type Refusal = Extract<ApiAnswer<never>, { ok: false }>;

function refusal(status: number, parsed: unknown): Refusal {
  const p = (parsed ?? {}) as Partial<Problem>;
  return {
    ok: false,
    status,
    problem: { type: p.type ?? 'about:blank', title: p.title ?? 'Error', status, detail: p.detail ?? `the API answered ${status}`, ...p },
  };
}

/** A file the API serves (a document's PDF or DOCX), with the headers a browser needs to show or save it. */
export type FileAnswer = { ok: true; status: number; bytes: Buffer; contentType: string; disposition: string } | Refusal;

export function apiFileCaller(app: FastifyInstance): (session: Session, url: string) => Promise<FileAnswer> {
  return async (session, url) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${session.token}` } });
    if (res.statusCode !== 200) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(res.body);
      } catch {
        parsed = undefined;
      }
      return refusal(res.statusCode, parsed);
    }
    return {
      ok: true,
      status: 200,
      bytes: res.rawPayload,
      contentType: String(res.headers['content-type'] ?? 'application/octet-stream'),
      disposition: String(res.headers['content-disposition'] ?? 'attachment'),
    };
  };
}
