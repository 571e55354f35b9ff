/**
 * How the CLI fails: one line naming what was wrong, and an exit code scripts can rely on —
 * 0 success, 1 failure (Temporal unreachable, no worker answering, a system error), 2 bad input (a
 * file, a field, an unknown case, an input the case's stage does not accept).
 */
import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client';

/** gRPC status codes (fixed by the gRPC spec; @grpc/grpc-js is only a transitive dependency here). */
const grpcStatus = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, UNAVAILABLE: 14 } as const;

export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const badInput = (message: string): CliError => new CliError(message, EXIT.badInput);
export const failure = (message: string): CliError => new CliError(message, EXIT.failure);

const firstLine = (s: string): string => s.split('\n')[0].trim();

/** The gRPC status behind an error, looking through the SDK's wrappers. */
function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

/** Maps what Temporal says to one line a person understands, with the case id when there is one. */
export function toCliError(err: unknown, caseId?: string): CliError {
  if (err instanceof CliError) return err;
  const where = caseId ? `case ${caseId}: ` : '';
  if (err instanceof WorkflowNotFoundError) return badInput(`case ${caseId ?? err.workflowId ?? ''} not found`);
  if (err instanceof WorkflowUpdateFailedError) return badInput(`${where}rejected, nothing changed: ${firstLine(err.cause?.message ?? err.message)}`);
  const code = grpcCode(err);
  // The CLI cancels no call itself: a cancelled call is its --timeout expiring (grpc-js reports either code).
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || code === grpcStatus.DEADLINE_EXCEEDED || code === grpcStatus.CANCELLED) {
    return failure(
      `${where}no worker answered in time; is a worker running (\`make up\` or \`casebridge worker\`)?` +
        (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError
          ? ' The input may still be applied when one is: check the case timeline before sending it again'
          : ''),
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  if (code === grpcStatus.UNAVAILABLE || /Failed to connect|ECONNREFUSED|connection refused/i.test(message)) {
    return failure(`cannot reach Temporal (${firstLine(message)}); is \`make up\` running, or TEMPORAL_ADDRESS set?`);
  }
  if (code === grpcStatus.NOT_FOUND && caseId) return badInput(`case ${caseId} not found`);
  const detail = err instanceof ServiceError && err.cause instanceof Error ? err.cause.message : message;
  return failure(`${where}${firstLine(detail)}`);
}
