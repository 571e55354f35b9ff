/**
 * The codec server: lets the Temporal web UI (`--ui-codec-endpoint`) and the `temporal` CLI
 * (`--codec-endpoint`, `--codec-auth`) show case data to someone who holds the key, while the
 * Temporal server itself only ever stores ciphertext. It speaks Temporal's remote codec protocol:
 * `POST …/encode` and `POST …/decode`, a Payloads message as protobuf JSON in and out
 * (`{"payloads":[{"metadata":{"encoding":"<base64>"},"data":"<base64>"}]}`); only the last path
 * segment selects the operation, so it can be mounted under any prefix.
 *
 * Access:
 * - `Authorization: Bearer <CASEBRIDGE_CODEC_TOKEN>` (the CLI's `--codec-auth "Bearer …"`), or the
 *   token as a path segment before the operation (`http://host:port/<token>/decode`). The second
 *   form exists because the web UI sends an Authorization header only when it forwards an OIDC
 *   access token over HTTPS; the embedded dev server's UI has neither, so it is given the endpoint
 *   `http://127.0.0.1:8234/<token>` instead. Both are compared in constant time.
 * - CORS only for the configured UI origins: a browser request from any other origin is refused
 *   (403) without CORS headers, so no other page can use a logged-in operator's browser to decode.
 * - Request bodies above a size limit are refused (413) without being read to the end.
 * Nothing it decodes is logged; the log names the operation, the status and the payload count.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { parseSettings } from './config';
import { loadPayloadCodec } from './connection';
import { logger } from './logger';

export const DEFAULT_CODEC_PORT = 8234;
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const MIN_TOKEN_LENGTH = 32;

const OriginSchema = z
  .string()
  .trim()
  .refine((o) => {
    try {
      const u = new URL(o);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o;
    } catch {
      return false;
    }
  }, 'an origin is scheme://host[:port] with no path or trailing slash, e.g. http://127.0.0.1:8233');

export const CodecServerSettingsSchema = z.object({
  CASEBRIDGE_CODEC_TOKEN: z
    .string({ error: `set CASEBRIDGE_CODEC_TOKEN to a random secret of at least ${MIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`)` })
    .min(MIN_TOKEN_LENGTH, `the token must be at least ${MIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`)
    .regex(/^[A-Za-z0-9._~-]+$/, 'the token may hold only letters, digits, ".", "_", "~" and "-" (it can appear in a URL path)'),
  CASEBRIDGE_CODEC_HOST: z.string().min(1).default('127.0.0.1'),
  CASEBRIDGE_CODEC_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_CODEC_PORT),
  /** Comma-separated origins of the web UI allowed to call the codec server from a browser. */
  CASEBRIDGE_CODEC_UI_ORIGINS: z
    .string()
    .default('http://127.0.0.1:8233,http://localhost:8233')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o.length > 0),
    )
    .pipe(z.array(OriginSchema)),
  CASEBRIDGE_CODEC_MAX_BODY_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_BODY_BYTES),
});
export type CodecServerSettings = z.infer<typeof CodecServerSettingsSchema>;

export function loadCodecServerSettings(env: NodeJS.ProcessEnv = process.env): CodecServerSettings {
  return parseSettings(CodecServerSettingsSchema, env);
}

/** A Payload as protobuf JSON: bytes fields are base64. */
const JsonPayloadSchema = z.object({
  metadata: z.record(z.string(), z.string()).optional(),
  data: z.string().optional(),
});
export const CodecRequestSchema = z.object({ payloads: z.array(JsonPayloadSchema) });
export type CodecRequest = z.infer<typeof CodecRequestSchema>;
type JsonPayload = z.infer<typeof JsonPayloadSchema>;

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function fromJsonPayload(p: JsonPayload, index: number): Payload {
  const bytes = (value: string, field: string): Uint8Array => {
    if (!BASE64.test(value)) throw new BadRequest(`payloads[${index}].${field} is not base64`);
    return Buffer.from(value, 'base64');
  };
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = bytes(v, `metadata.${k}`);
  return { metadata, data: bytes(p.data ?? '', 'data') };
}

function toJsonPayload(p: Payload): JsonPayload {
  const b64 = (u: Uint8Array | null | undefined): string => Buffer.from(u ?? new Uint8Array()).toString('base64');
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
    data: b64(p.data),
  };
}

class BadRequest extends Error {}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Constant-time: equal-length digests, so neither content nor length leaks through timing. */
function tokenMatches(candidate: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(candidate), expectedDigest);
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  token: string;
  allowedOrigins: readonly string[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  maxBodyBytes?: number;
  logger?: Logger;
}

export interface RunningCodecServer {
  /** Base URL for API clients, which send the bearer token: `temporal --codec-endpoint <url> --codec-auth "Bearer <token>"`. */
  url: string;
  /** Base URL with the token as a path segment, for `temporal server start-dev --ui-codec-endpoint`. */
  uiEndpoint: string;
  port: number;
  close(): Promise<void>;
}

export async function startCodecServer(opts: CodecServerOptions): Promise<RunningCodecServer> {
  const settingsCheck = CodecServerSettingsSchema.shape.CASEBRIDGE_CODEC_TOKEN.safeParse(opts.token);
  if (!settingsCheck.success) throw new Error(`codec server token: ${settingsCheck.error.issues[0].message}`);
  const origins = new Set(opts.allowedOrigins);
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const expected = digest(opts.token);
  const log = (opts.logger ?? logger()).child({ component: 'codec-server' });

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'codec server request failed');
      if (!res.headersSent) send(res, 500, { message: 'internal error' });
      else res.destroy();
    });
  });
  // Slow-loris protection; the UI's requests are small and quick.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Vary', 'Origin');
    if (origin !== undefined) {
      if (!origins.has(origin)) {
        // No CORS headers: the browser keeps the response from the page, and nothing was decoded.
        log.warn({ origin }, 'codec request from a disallowed origin refused');
        return send(res, 403, { message: 'origin not allowed' });
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
    }
    if (req.method === 'OPTIONS') {
      // CORS preflight: carries no credentials; the actual POST is authorized below.
      if (origin === undefined) return send(res, 400, { message: 'not a CORS preflight' });
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return;
    }

    const segments = new URL(req.url ?? '/', 'http://codec.invalid').pathname.split('/').filter((s) => s.length > 0);
    const operation = segments.at(-1);
    if (operation !== 'encode' && operation !== 'decode') return send(res, 404, { message: 'use POST /encode or /decode' });
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST, OPTIONS');
      return send(res, 405, { message: 'use POST' });
    }
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
    // Evaluate every candidate (no short-circuit) so timing does not tell which one was tried.
    let authorized = bearer !== undefined && tokenMatches(bearer, expected);
    for (const segment of segments.slice(0, -1)) authorized = tokenMatches(decodeURIComponentSafe(segment), expected) || authorized;
    if (!authorized) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      log.warn({ operation }, 'codec request without a valid token refused');
      return send(res, 401, { message: 'missing or wrong bearer token' });
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== 'application/json') return send(res, 415, { message: 'send Content-Type: application/json' });

    let body: string;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (err) {
      if (err instanceof HttpError) {
        res.setHeader('Connection', 'close');
        send(res, err.status, { message: err.message });
        // The rest of an oversized upload is discarded unread; closing the socket at once could
        // reset the connection before the client reads the 413, so it gets a short grace period.
        req.resume();
        res.once('finish', () => setTimeout(() => req.destroy(), 2_000).unref());
        return;
      }
      throw err;
    }
    let request: CodecRequest;
    let payloads: Payload[];
    try {
      const parsed = CodecRequestSchema.safeParse(JSON.parse(body));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new BadRequest(`${issue.path.join('.') || 'body'}: ${issue.message}`);
      }
      request = parsed.data;
      payloads = request.payloads.map(fromJsonPayload);
    } catch (err) {
      const message = err instanceof BadRequest ? err.message : 'the body is not valid JSON';
      return send(res, 400, { message });
    }
    let result: Payload[];
    try {
      result = operation === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
    } catch (err) {
      // The codec's messages name key ids, never data or key material (PayloadDecryptionError).
      log.warn({ operation, namespace: req.headers['x-namespace'], error: (err as Error).message }, 'codec operation failed');
      return send(res, 400, { message: (err as Error).message });
    }
    log.debug({ operation, namespace: req.headers['x-namespace'], payloads: result.length }, 'codec request served');
    send(res, 200, { payloads: result.map(toJsonPayload) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_CODEC_PORT, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  log.info({ url, allowedOrigins: [...origins] }, 'codec server listening');
  return {
    url,
    uiEndpoint: `${url}/${encodeURIComponent(opts.token)}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new HttpError(413, `body larger than ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new HttpError(413, `body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

/**
 * Entry point: `node dist/client/codec-server.js`. Needs the same key settings as the worker
 * (CASEBRIDGE_ENCRYPTION_KEYS / CASEBRIDGE_KEY_FILE) and CASEBRIDGE_CODEC_TOKEN; see
 * CodecServerSettingsSchema for the rest. Resolves once the server listens.
 */
export async function run(env: NodeJS.ProcessEnv = process.env, log: Logger = logger().child({ process: 'codec-server' })): Promise<RunningCodecServer> {
  const settings = loadCodecServerSettings(env);
  const codec = loadPayloadCodec(env);
  if (!codec) {
    throw new Error('no encryption key is configured (CASEBRIDGE_ENCRYPTION_KEYS or CASEBRIDGE_KEY_FILE): there is nothing for a codec server to do');
  }
  return startCodecServer({
    codec,
    token: settings.CASEBRIDGE_CODEC_TOKEN,
    allowedOrigins: settings.CASEBRIDGE_CODEC_UI_ORIGINS,
    host: settings.CASEBRIDGE_CODEC_HOST,
    port: settings.CASEBRIDGE_CODEC_PORT,
    maxBodyBytes: settings.CASEBRIDGE_CODEC_MAX_BODY_BYTES,
    logger: log,
  });
}

/**
 * For `make up` (worker/up.ts): the codec server the embedded server's web UI uses, when a key is
 * configured; undefined otherwise. The token is CASEBRIDGE_CODEC_TOKEN, or a random one for this run
 * (then only the UI, which gets it inside `uiEndpoint`, can use the server). The allowed origins
 * default to the UI's own (`http://127.0.0.1:<uiPort>`, `http://localhost:<uiPort>`). Pass
 * `uiEndpoint` to startEmbeddedServer's `uiCodecEndpoint`, and close() on shutdown.
 */
export async function startCodecServerForUi(opts: { uiPort: number; env?: NodeJS.ProcessEnv; logger?: Logger }): Promise<RunningCodecServer | undefined> {
  const env = opts.env ?? process.env;
  const codec = loadPayloadCodec(env);
  if (!codec) return undefined;
  const settings = loadCodecServerSettings({
    ...env,
    CASEBRIDGE_CODEC_TOKEN: env.CASEBRIDGE_CODEC_TOKEN ?? randomBytes(32).toString('base64url'),
    CASEBRIDGE_CODEC_UI_ORIGINS: env.CASEBRIDGE_CODEC_UI_ORIGINS ?? `http://127.0.0.1:${opts.uiPort},http://localhost:${opts.uiPort}`,
  });
  return startCodecServer({
    codec,
    token: settings.CASEBRIDGE_CODEC_TOKEN,
    allowedOrigins: settings.CASEBRIDGE_CODEC_UI_ORIGINS,
    host: settings.CASEBRIDGE_CODEC_HOST,
    port: settings.CASEBRIDGE_CODEC_PORT,
    maxBodyBytes: settings.CASEBRIDGE_CODEC_MAX_BODY_BYTES,
    logger: opts.logger,
  });
}

if (require.main === module) {
  run().then(
    (server) => {
      console.log(`CaseBridge codec server at ${server.url} (POST /encode, /decode). Ctrl-C stops.`);
      const stop = (): void => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      console.error(`casebridge codec server: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
