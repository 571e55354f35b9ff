/**
 * How the CLI fails: one line naming what was wrong, and an exit code scripts can rely on —
 * 0 success, 1 failure (Temporal unreachable, a system error), 2 bad input (a file, a field, an
 * unknown case, an input the case's stage does not accept).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, isGrpcServiceError } from '@temporalio/client';

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

/** Maps what Temporal says to one line a person understands, with the case id when there is one. */
export function toCliError(err: unknown, caseId?: string): CliError {
  if (err instanceof CliError) return err;
  const where = caseId ? `case ${caseId}: ` : '';
  if (err instanceof WorkflowNotFoundError) return badInput(`case ${caseId ?? err.workflowId ?? ''} not found`);
  if (err instanceof WorkflowUpdateFailedError) return badInput(`input rejected, nothing changed: ${err.cause?.message ?? err.message}`);
  const message = err instanceof Error ? err.message : String(err);
  if (/workflow execution already completed/i.test(message)) return badInput(`${where}the case is closed and accepts no more input`);
  if (isGrpcServiceError(err) && /UNAVAILABLE|connect/i.test(message)) {
    return new CliError(`cannot reach Temporal (${message.split('\n')[0]}); is \`make up\` running, or TEMPORAL_ADDRESS set?`, EXIT.failure);
  }
  if (/Failed to connect|ECONNREFUSED|connection refused/i.test(message)) {
    return new CliError(`cannot reach Temporal: ${message.split('\n')[0]}; is \`make up\` running, or TEMPORAL_ADDRESS set?`, EXIT.failure);
  }
  return new CliError(`${where}${message.split('\n')[0]}`, EXIT.failure);
}
