/**
 * Calls to Temporal on a person's behalf, and what their failures mean over HTTP: a validator's
 * rejection is a 403 when it names the role, else a 409 with its reason; a case that has closed is a
 * 409; a worker that does not answer, or Temporal unreachable, a 503.
 */
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { rejectionOf, statusQuery } from '../workflows/messages';
import { CaseOutcome } from '../workflows/search-attributes';
import { ApiProblem, fieldOf, problem } from './problems';

const grpcStatus = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, UNAVAILABLE: 14 } as const;

function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) if (isGrpcServiceError(e)) return e.code;
  return undefined;
}

const firstLine = (s: string) => s.split('\n')[0].trim();

/** Runs `fn` with a deadline on every Temporal call it makes. */
export function within<T>(client: Client, ms: number, fn: () => Promise<T>): Promise<T> {
  return client.withDeadline(Date.now() + ms, fn);
}

/** Temporal's failure as a problem, for reads and anything that is not an update's rejection. */
export function temporalProblem(err: unknown, caseId?: string): ApiProblem {
  if (err instanceof ApiProblem) return err;
  const where = caseId ? `case ${caseId}: ` : '';
  if (err instanceof WorkflowNotFoundError) return problem('not-found', `case ${caseId ?? err.workflowId ?? ''} not found`, caseId ? { caseId } : {});
  const code = grpcCode(err);
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || code === grpcStatus.DEADLINE_EXCEEDED || code === grpcStatus.CANCELLED) {
    return problem(
      'unavailable',
      `${where}no worker answered in time; is a worker running (\`make up\` or \`casebridge worker\`)?` +
        (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError
          ? ' The input may still be applied when one is: check the case timeline before sending it again'
          : ''),
      { ...(caseId ? { caseId } : {}), reason: 'no-worker' },
      { 'Retry-After': '5' },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  if (code === grpcStatus.UNAVAILABLE || /Failed to connect|ECONNREFUSED|connection refused/i.test(message)) {
    return problem('unavailable', 'Temporal cannot be reached', { reason: 'temporal-unreachable' }, { 'Retry-After': '5' });
  }
  if (code === grpcStatus.NOT_FOUND && caseId) return problem('not-found', `case ${caseId} not found`, { caseId });
  return problem('internal', `${where}${firstLine(message)}`);
}

/** The case's stage, for a refusal's context; best effort (a refusal is answered even if this fails). */
export async function stageOf(client: Client, handle: WorkflowHandle): Promise<string | undefined> {
  return within(client, 3_000, () => handle.query(statusQuery)).then(
    (s) => s.stage,
    () => undefined,
  );
}

/** What a failed update means: the validator's refusal (403/409), a closed case or request (409), or Temporal's trouble. */
export async function updateProblem(client: Client, err: unknown, caseId: string, opts: { requestId?: string; runnerId?: string } = {}): Promise<ApiProblem> {
  const caseHandle = client.workflow.getHandle(caseId);
  if (err instanceof WorkflowUpdateFailedError) {
    // The validator's refusal carries the case's stage and the field: no second question to the case.
    const rejection = rejectionOf(err);
    const reason = firstLine(err.cause?.message ?? err.message);
    const field = rejection?.field !== '(input)' ? (rejection?.field ?? fieldOf(reason)) : undefined;
    const stage = rejection?.stage ?? (await stageOf(client, caseHandle));
    return problem(field === 'role' ? 'forbidden' : 'conflict', reason, { caseId, ...(field ? { field } : {}), ...(stage ? { stage } : {}) });
  }
  // Temporal answers "not found" for an update to a workflow that has completed: tell closed from missing.
  if (err instanceof WorkflowNotFoundError) {
    const closed = await caseHandle.describe().then(
      (d) => (d.status.name === 'RUNNING' ? undefined : (d.typedSearchAttributes.get(CaseOutcome) ?? d.status.name)),
      () => undefined,
    );
    if (closed) return problem('conflict', `case ${caseId} is closed (${closed}) and accepts no more input`, { caseId, stage: 'CLOSED' });
    if (opts.runnerId && opts.runnerId !== caseId) {
      const settled = await client.workflow
        .getHandle(opts.runnerId)
        .describe()
        .then(
          (d) => d.status.name !== 'RUNNING',
          () => false,
        );
      const stage = await stageOf(client, caseHandle);
      return problem(
        'conflict',
        settled
          ? `requestId: request ${opts.requestId} is settled and accepts no more responses`
          : `requestId: case ${caseId} has no request ${opts.requestId}`,
        { caseId, field: 'requestId', ...(stage ? { stage } : {}) },
      );
    }
  }
  return temporalProblem(err, caseId);
}
