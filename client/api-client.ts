/**
 * The CLI's way to CaseBridge for people: HTTP to the API with the stored token. What the API
 * refuses becomes one line and an exit code: a missing or expired login, a role that may not, an
 * unknown case, a refused input are bad input the person fixes (exit 2); an API or Temporal that
 * cannot answer, or a rate limit, a failure (exit 1).
 */
import { CliError, EXIT, badInput, failure } from './cli/errors';
import { loadLogin } from './login-store';

export const DEFAULT_API_URL = 'http://127.0.0.1:8240';

/** The API's URL: CASEBRIDGE_API_URL, else the one logged in to, else the embedded default. */
export function apiUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.CASEBRIDGE_API_URL ?? loadLogin(env)?.apiUrl ?? DEFAULT_API_URL).replace(/\/$/, '');
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
  caseId?: string;
  stage?: string;
  [k: string]: unknown;
}

/** An answer the API refused, with its problem details (the CLI words some of them itself). */
export class ApiRefusal extends CliError {
  constructor(readonly problem: Problem) {
    super(problem.detail, problem.status >= 500 || problem.status === 429 ? EXIT.failure : EXIT.badInput);
  }
}

export interface CallOptions {
  body?: unknown;
  raw?: string | Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  /** How long the API may wait for a worker (the API's own limit applies too). */
  timeoutMs?: number;
  /** No credential (the token endpoint). */
  anonymous?: boolean;
}

export class ApiClient {
  constructor(
    readonly url: string,
    private readonly token: string | undefined,
  ) {}

  static fromLogin(env: NodeJS.ProcessEnv = process.env): ApiClient {
    const login = loadLogin(env);
    const url = apiUrl(env);
    if (!login) return new ApiClient(url, undefined);
    return new ApiClient(url, Date.parse(login.expiresAt) > Date.now() ? login.token : undefined);
  }

  async call<T>(method: string, route: string, o: CallOptions = {}): Promise<T> {
    const res = await this.send(method, route, o);
    const text = await res.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The raw answer (NDJSON exports), after the same refusal handling. */
  async send(method: string, route: string, o: CallOptions = {}): Promise<Response> {
    if (!o.anonymous && !this.token) throw badInput('not logged in, or the login has expired: run `casebridge login NAME`');
    const headers: Record<string, string> = { accept: 'application/json', ...(o.headers ?? {}) };
    if (!o.anonymous) headers.authorization = `Bearer ${this.token!}`;
    if (o.timeoutMs !== undefined) headers['casebridge-timeout-ms'] = String(o.timeoutMs);
    let body: string | Uint8Array | undefined;
    if (o.raw !== undefined) {
      body = o.raw;
      headers['content-type'] = o.contentType ?? 'application/json';
    } else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    let res: Response;
    try {
      res = await fetch(`${this.url}${route}`, { method, headers, body, signal: AbortSignal.timeout((o.timeoutMs ?? 30_000) + 15_000) });
    } catch (err) {
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw failure(`cannot reach the CaseBridge API at ${this.url} (${cause}); is \`make up\` running, or CASEBRIDGE_API_URL set?`);
    }
    if (res.ok) return res;
    const text = await res.text();
    let p: Problem;
    try {
      p = JSON.parse(text) as Problem;
      if (typeof p.detail !== 'string') throw new Error('not a problem');
    } catch {
      p = { type: 'about:blank', title: res.statusText, status: res.status, detail: `the API answered ${res.status} ${res.statusText}` };
    }
    if (res.status === 401) throw new CliError(`not logged in, or the login has expired (${p.detail}): run \`casebridge login NAME\``, EXIT.badInput);
    throw new ApiRefusal(p);
  }
}
