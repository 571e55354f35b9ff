/**
 * The one pino logger. Tips describe child abuse and name suspects: logs are a second copy of
 * whatever they mention, outside the encrypted Temporal store, so the logger assumes any log call
 * may be careless and removes personal data in three layers:
 *
 * 1. By field name, at any depth (log objects and child-logger bindings): a field named like tip
 *    content or an identifier (`tip`, `screenName`, `ipAddress`, `email`, `details`, `payload`, …,
 *    compared case-insensitively) prints as "[redacted]", so a careless `log.info({ tip })` prints
 *    nothing sensitive. Binary data (Temporal payload bytes) prints as its length only.
 * 2. Errors anywhere in a log object print as { type, message, stack frames, code, cause }: never
 *    their other fields, which for Temporal failures hold payloads (`details`, `failure`).
 * 3. The finished line, message included, is scrubbed of IP addresses (loopback excepted), e-mail
 *    addresses, URL paths and hex digests (file hashes), and of every value registered with
 *    `addSensitiveValues()` — the way to keep, say, a screen name out of an error message that a
 *    remote system wrote. Activities that handle a tip register its identifiers.
 *
 * Bind context with child loggers (`logger.child({ caseId, stage })`); case ids are derived from
 * NCMEC report numbers and carry no personal data.
 */
import net from 'node:net';
import pino, { type Logger } from 'pino';

/** Field names that hold tip content, personal data, payloads or secrets, matched at any depth. */
export const SENSITIVE_KEYS = [
  'tip',
  'report',
  'incidentSummary',
  'personOrUserReported',
  'espIdentifier',
  'screenName',
  'displayName',
  'profileUrl',
  'ipCaptureEvent',
  'ipAddress',
  'deviceId',
  'estimatedLocation',
  'victim',
  'intendedRecipient',
  'files',
  'originalFileName',
  'originalFileHash',
  'hash',
  'email',
  'phone',
  'name',
  'notes',
  'text',
  'reason',
  'detail',
  'args',
  'payload',
  'result',
  // Temporal values that carry payloads (decoded data in the worker's memory).
  'payloads',
  'input',
  'details',
  'failure',
  'encodedAttributes',
  'memo',
  'heartbeatDetails',
  'lastHeartbeatDetails',
  'body',
  // Secrets.
  'authorization',
  'apiKey',
  'token',
  'password',
  'secret',
  'cookie',
] as const;

const SENSITIVE = new Set<string>(SENSITIVE_KEYS.map((k) => k.toLowerCase()));
const CENSOR = '[redacted]';
const MAX_DEPTH = 12;

function isErrorLike(v: object): v is Error {
  return v instanceof Error || (typeof (v as Error).message === 'string' && typeof (v as Error).stack === 'string');
}

/** Stack frames only: the first lines of `stack` repeat the message, which is logged once, as `message`. */
function stackFrames(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

function safeError(err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const e = err as Error & { code?: unknown; type?: unknown; nonRetryable?: unknown; cause?: unknown };
  const out: Record<string, unknown> = {
    type: e.name || e.constructor?.name || 'Error',
    message: e.message,
  };
  const frames = stackFrames(e.stack);
  if (frames) out.stack = frames;
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  // ApplicationFailure's type names an error class, not data.
  if (typeof e.type === 'string') out.failureType = e.type;
  if (typeof e.nonRetryable === 'boolean') out.nonRetryable = e.nonRetryable;
  if (e.cause !== undefined && e.cause !== null) out.cause = sanitize(e.cause, depth + 1, seen);
  return out;
}

/** A copy of `value` with sensitive fields censored, errors made safe and binary data summarized. */
export function sanitize(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (ArrayBuffer.isView(value)) return `[binary ${value.byteLength} bytes]`;
    if (value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
    if (value instanceof Date) return value;
    if (isErrorLike(value)) return safeError(value, depth, seen);
    if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1, seen));
    if (value instanceof Set) return [...value].map((v) => sanitize(v, depth + 1, seen));
    const entries: Array<[unknown, unknown]> = value instanceof Map ? [...value.entries()] : Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const key = String(k);
      out[key] = SENSITIVE.has(key.toLowerCase()) ? CENSOR : sanitize(v, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

// ---- values registered as sensitive (layer 3) ----

const MAX_REGISTERED = 10_000;
const MIN_VALUE_LENGTH = 3;
const registered = new Set<string>();
let registeredPattern: RegExp | undefined | null = null; // null: stale

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Registers strings (a suspect's screen name, an e-mail address, a device id, ...) that must never
 * appear in a log line, whatever field or message carries them. Process-wide; the oldest values are
 * forgotten past 10,000. Values shorter than 3 characters are ignored (they would censor ordinary words).
 */
export function addSensitiveValues(values: Iterable<string | null | undefined>): void {
  for (const raw of values) {
    if (typeof raw !== 'string') continue;
    const v = raw.trim();
    if (v.length < MIN_VALUE_LENGTH || registered.has(v)) continue;
    registered.add(v);
    if (registered.size > MAX_REGISTERED) registered.delete(registered.values().next().value!);
    registeredPattern = null;
  }
}

/** For tests: forget every registered value. */
export function clearSensitiveValues(): void {
  registered.clear();
  registeredPattern = null;
}

function registeredValuesPattern(): RegExp | undefined {
  if (registeredPattern === null) {
    const forms = new Set<string>();
    for (const v of registered) {
      forms.add(v);
      // As it appears inside a JSON string (quotes, backslashes, control characters escaped).
      forms.add(JSON.stringify(v).slice(1, -1));
    }
    registeredPattern =
      forms.size === 0
        ? undefined
        : new RegExp(
            [...forms]
              .sort((a, b) => b.length - a.length)
              .map(escapeRegExp)
              .join('|'),
            'giu',
          );
  }
  return registeredPattern;
}

const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
const IPV6 = /(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|\[ip\])(?![0-9A-Za-z:])/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const URL_PATH = /\b(https?:\/\/[^\s/"'\\<>]+)\/[^\s"'\\<>]+/g;
const HEX_DIGEST = /\b[0-9A-Fa-f]{32,}\b/g;

/** Removes identifiers from free text: registered values, IPs (not loopback), e-mails, URL paths, hex digests. */
export function scrubText(text: string): string {
  const pattern = registeredValuesPattern();
  let s = pattern ? text.replace(pattern, CENSOR) : text;
  s = s.replace(IPV4, (ip) => (net.isIPv4(ip) && !ip.startsWith('127.') && ip !== '0.0.0.0' ? '[ip]' : ip));
  s = s.replace(IPV6, (ip) => (ip.includes('[ip]') || (net.isIPv6(ip) && ip !== '::1' && ip !== '::') ? '[ip]' : ip));
  s = s.replace(EMAIL, '[email]');
  s = s.replace(URL_PATH, '$1/[redacted]');
  s = s.replace(HEX_DIGEST, '[hash]');
  return s;
}

export function createLogger(options: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  const name = options.name ?? 'casebridge';
  const opts: pino.LoggerOptions = {
    name,
    level: options.level ?? process.env.CASEBRIDGE_LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    formatters: {
      log: (obj) => sanitize(obj) as Record<string, unknown>,
      bindings: (bindings) => {
        const { name: loggerName, ...rest } = bindings as { name?: unknown } & Record<string, unknown>;
        const safe = sanitize(rest) as Record<string, unknown>;
        // The logger's own name is configuration, not a person's name.
        return loggerName === name ? { name: loggerName, ...safe } : { ...safe, ...(loggerName === undefined ? {} : { name: CENSOR }) };
      },
    },
    // formatters.log has already turned errors into safe plain objects; pino's own err serializer
    // would copy every enumerable field back in.
    serializers: { err: (v: unknown) => v },
    hooks: { streamWrite: scrubText },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

let root: Logger | undefined;

/** The process-wide logger, created on first use. */
export function logger(): Logger {
  root ??= createLogger();
  return root;
}
