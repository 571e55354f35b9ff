/**
 * The one pino logger. Tips describe child abuse and name suspects: anything that could carry tip
 * content or personal data is redacted by path, wherever it sits in a log object, so that a careless
 * `log.info({ tip })` still prints nothing sensitive. Bind context with child loggers
 * (`logger.child({ caseId, stage })`); case ids are derived from NCMEC report numbers and carry no
 * personal data.
 */
import pino, { type Logger } from 'pino';

/** Field names that hold tip content or personal data, at any depth up to four levels. */
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
] as const;

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SENSITIVE_KEYS) {
    // pino's own top-level `name` is the logger's name, not a person's.
    if (key !== 'name') paths.push(key);
    paths.push(`*.${key}`, `*.*.${key}`, `*.*.*.${key}`);
  }
  return paths;
}

export function createLogger(options: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  const opts: pino.LoggerOptions = {
    name: options.name ?? 'casebridge',
    level: options.level ?? process.env.CASEBRIDGE_LOG_LEVEL ?? 'info',
    redact: { paths: redactPaths(), censor: '[redacted]' },
    base: { pid: process.pid },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

let root: Logger | undefined;

/** The process-wide logger, created on first use. */
export function logger(): Logger {
  root ??= createLogger();
  return root;
}
