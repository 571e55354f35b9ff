/**
 * Failed samples: one query, update, view call or workflow that did not give a figure. Temporal
 * answering an operation with an error (or a view answering with the wrong cases) is a finding about
 * what is measured, so it is counted and reported beside the figure and the scenario carries on; an
 * error of any other kind (a TypeError, a failed assertion of the harness on its own state) is the
 * harness breaking, and it stops the run.
 *
 * A retry is made only where the figure does not time the sample (filling a worker's cache, reading
 * histories back, building the long case for replay): there the retry hides nothing. Where the sample
 * *is* the figure (a round trip, a view's latency, a naive sweep), a retried sample would report the
 * retry's time as the operation's, so the failure is counted and the sample left out.
 */
import {
  NamespaceNotFoundError,
  QueryNotRegisteredError,
  QueryRejectedError,
  ServiceError,
  TemporalFailure,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client';
import { note } from './progress';
import type { Failures, Latency } from './result';
import { delay, summarize } from './stats';

/** A sample that gave a wrong answer (not an exception from Temporal): counted like one that failed. */
export class SampleError extends Error {
  override name = 'SampleError';
}

/** The most reasons kept per figure (the count is always complete). */
const KEEP = 5;

/** gRPC status codes by number (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
const CODE_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 6; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** The gRPC status code somewhere in the error's cause chain (a ServiceError wraps the gRPC error). */
export function grpcCodeOf(err: unknown): number | undefined {
  for (const e of causes(err)) if (isGrpcServiceError(e)) return e.code;
  return undefined;
}

/** One line: the error and each cause, the gRPC code by name (`ServiceError: Failed to query Workflow ← DEADLINE_EXCEEDED: …`). */
export function describeError(err: unknown): string {
  return causes(err)
    .map((e) => {
      if (isGrpcServiceError(e)) return `${CODE_NAMES[e.code] ?? e.code}: ${e.details}`;
      if (e instanceof Error) return `${e.name}: ${e.message}`;
      return String(e);
    })
    .join(' ← ');
}

/** An error that is a sample's failure (Temporal's answer, or a wrong answer), not the harness breaking. */
export function isSampleFailure(err: unknown): boolean {
  return (
    err instanceof SampleError ||
    err instanceof ServiceError ||
    err instanceof WorkflowNotFoundError ||
    // What an overloaded dev server answered once when its namespace lookup timed out in SQLite.
    err instanceof NamespaceNotFoundError ||
    err instanceof WorkflowFailedError ||
    err instanceof WorkflowUpdateFailedError ||
    err instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    err instanceof QueryRejectedError ||
    err instanceof QueryNotRegisteredError ||
    err instanceof TemporalFailure ||
    isGrpcServiceError(err)
  );
}

/** A figure's failed samples, as stored in the result (see `FailuresSchema`). */
export class Tally {
  failed = 0;
  retried = 0;
  readonly reasons: string[] = [];

  constructor(private readonly label: string) {}

  fail(what: string, err: unknown, elapsedMs: number): void {
    this.failed++;
    const reason = `${what}: ${describeError(err)} (after ${Math.round(elapsedMs)} ms)`;
    if (this.reasons.length < KEEP) this.reasons.push(reason);
    // The first few on stderr as they happen: a run watched live shows them at once.
    if (this.failed <= KEEP) note(`${this.label}: failed sample ${reason}`);
  }

  retry(what: string, err: unknown, attempt: number, elapsedMs: number): void {
    this.retried++;
    if (this.retried <= KEEP) note(`${this.label}: retrying ${what} (attempt ${attempt + 1}) after ${describeError(err)} (after ${Math.round(elapsedMs)} ms)`);
  }

  toJSON(): Failures {
    return { failed: this.failed, retried: this.retried, reasons: [...this.reasons] };
  }
}

export interface SampleOptions {
  /** Further attempts after a failure, only where a retry is honest (see the module comment). */
  retries?: number;
  retryDelayMs?: number;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; err: unknown };

async function attempt<T>(tally: Tally, what: string, fn: () => Promise<T>, opts: SampleOptions): Promise<Attempt<T>> {
  const retries = opts.retries ?? 0;
  for (let n = 0; ; n++) {
    const t0 = Date.now();
    try {
      return { ok: true, value: await fn() };
    } catch (err) {
      if (!isSampleFailure(err)) throw err;
      if (n < retries) {
        tally.retry(what, err, n + 1, Date.now() - t0);
        await delay((opts.retryDelayMs ?? 1_000) * (n + 1));
        continue;
      }
      tally.fail(what, err, Date.now() - t0);
      return { ok: false, err };
    }
  }
}

/**
 * Runs one sample: its value, or `undefined` when it failed (counted in `tally`). An error that is
 * not a sample failure is rethrown: the harness broke.
 */
export async function sample<T>(tally: Tally, what: string, fn: () => Promise<T>, opts: SampleOptions = {}): Promise<T | undefined> {
  const a = await attempt(tally, what, fn, opts);
  return a.ok ? a.value : undefined;
}

/** As `sample`, for a step a figure depends on (setup): after its retries, it stops the scenario. */
export async function required<T>(tally: Tally, what: string, fn: () => Promise<T>, opts: SampleOptions = {}): Promise<T> {
  const a = await attempt(tally, what, fn, opts);
  if (!a.ok) throw new Error(`${what} failed ${1 + (opts.retries ?? 0)} times, last: ${describeError(a.err)}`);
  return a.value;
}

/** The latency summary of a figure's successful samples; with none, the figure cannot be given and the run stops saying why. */
export function summarizeSamples(what: string, samplesMs: number[], tally: Tally): Latency {
  if (samplesMs.length === 0) throw new Error(`every sample of ${what} failed (${tally.failed}); first: ${tally.reasons[0] ?? 'none recorded'}`);
  return summarize(samplesMs);
}
