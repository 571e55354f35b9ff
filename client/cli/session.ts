/**
 * What every command shares: the one Temporal client (connected on first use through envconfig),
 * the common flags, and sending a person's input to a case as a validated update.
 */
import { Command } from 'commander';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type UpdateDefinition, type WorkflowHandle } from '@temporalio/client';
import { respond, statusQuery, type CaseStatus, type RequestSummary, type Respond } from '../../workflows/messages';
import { isTerminal } from '../../workflows/requests';
import { CaseOutcome } from '../../workflows/search-attributes';
import { connectClient } from '../connection';
import { CaseIdSchema, DurationSchema, arg } from './args';
import { badInput, toCliError } from './errors';
import { print } from './output';

export interface Common {
  json?: boolean;
  debug?: boolean;
}
export interface Timed extends Common {
  timeout: string;
}

let client: Client | undefined;

export async function temporal(): Promise<Client> {
  client ??= await connectClient();
  return client;
}

export async function closeTemporal(): Promise<void> {
  await client?.connection.close().catch(() => undefined);
  client = undefined;
}

export function withCommon(cmd: Command): Command {
  return cmd.option('--json', 'machine-readable output').option('--debug', 'stack traces on errors');
}

/** Commands a worker must answer (queries, inputs): without a worker they fail after --timeout instead of hanging. */
export function withTimeout(cmd: Command): Command {
  return withCommon(cmd).option('--timeout <duration>', 'how long to wait for a worker to answer', '30s');
}

export async function caseHandle(caseIdArg: string): Promise<{ caseId: string; handle: WorkflowHandle }> {
  const caseId = arg(CaseIdSchema, caseIdArg, 'CASE_ID');
  return { caseId, handle: (await temporal()).workflow.getHandle(caseId) };
}

/** Runs `fn` with a deadline on every call it makes to Temporal. */
export async function withinTimeout<T>(o: Timed, fn: () => Promise<T>): Promise<T> {
  const ms = arg(DurationSchema, o.timeout, '--timeout');
  return (await temporal()).withDeadline(Date.now() + ms, fn);
}

/** A query to a case; an unknown case is bad input naming it. */
export async function queryCase<T>(caseIdArg: string, o: Timed, ask: (h: WorkflowHandle) => Promise<T>): Promise<{ caseId: string; value: T }> {
  const { caseId, handle } = await caseHandle(caseIdArg);
  try {
    return { caseId, value: await withinTimeout(o, () => ask(handle)) };
  } catch (err) {
    throw toCliError(err, caseId);
  }
}

/**
 * Sends a person's input as an update. The workflow's validator decides whether the case's stage
 * accepts it; a rejection changes nothing and is reported on one line naming the case, its stage
 * and the flag at fault. The command prints only after the update was accepted and applied.
 */
export async function sendInput<A>(
  caseIdArg: string,
  o: Timed,
  update: UpdateDefinition<CaseStatus, [A]>,
  input: A,
  flags: Record<string, string>,
  done: (status: CaseStatus) => string,
): Promise<CaseStatus> {
  const { caseId, handle } = await caseHandle(caseIdArg);
  try {
    const status = await withinTimeout(o, () => handle.executeUpdate(update, { args: [input] }));
    print(!!o.json, status, () => `${caseId}: ${done(status)}; now in ${status.stage}${status.outcome ? ` (${status.outcome})` : ''}${status.awaiting ? `, awaiting ${status.awaiting}` : ''}`);
    return status;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw badInput(await rejection(caseId, handle, o, err, flags));
    // Temporal answers "not found" for an update to a workflow that has completed: tell the two apart.
    if (err instanceof WorkflowNotFoundError) {
      const closed = await handle.describe().then(
        (d) => (d.status.name === 'RUNNING' ? undefined : (d.typedSearchAttributes.get(CaseOutcome) ?? d.status.name)),
        () => undefined,
      );
      if (closed) throw badInput(`case ${caseId} is closed (${closed}) and accepts no more input`);
    }
    throw toCliError(err, caseId);
  }
}

/**
 * Sends a liaison's response to the workflow that runs the request (the case, or its MLAT or
 * extradition child), after checking the case has that request. Prints once the case shows it.
 */
export async function sendResponse(
  caseIdArg: string,
  o: Timed,
  input: Respond,
  flags: Record<string, string>,
): Promise<{ request: RequestSummary; status: CaseStatus }> {
  const { caseId, handle } = await caseHandle(caseIdArg);
  const before = await withinTimeout(o, () => handle.query(statusQuery)).catch((err: unknown) => {
    throw toCliError(err, caseId);
  });
  const target = before.requests.find((r) => r.requestId === input.requestId);
  if (!target) {
    const open = before.requests.filter((r) => !isTerminal(r.kind, r.status)).map((r) => r.requestId);
    throw badInput(
      `rejected, nothing changed: ${flags.requestId}: case ${caseId} has no request ${input.requestId}${open.length ? ` (open: ${open.join(', ')})` : ' (it has no open request)'}`,
    );
  }
  if (before.stage === 'CLOSED') throw badInput(`case ${caseId} is closed (${before.outcome}) and accepts no more input`);
  const runner = target.workflowId ? (await temporal()).workflow.getHandle(target.workflowId) : handle;
  let request: RequestSummary;
  try {
    request = await withinTimeout(o, () => runner.executeUpdate(respond, { args: [input] }));
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw badInput(await rejection(caseId, handle, o, err, flags));
    if (err instanceof WorkflowNotFoundError) throw badInput(`case ${caseId}: request ${input.requestId} is settled (${target.status}) and accepts no more responses`);
    throw toCliError(err, caseId);
  }
  // A child reports to the case by signal: wait (briefly) until the case's view has caught up.
  let status = before;
  const deadline = Date.now() + 10_000;
  for (;;) {
    status = await withinTimeout(o, () => handle.query(statusQuery));
    const seen = status.requests.find((r) => r.requestId === request.requestId);
    if (!target.workflowId || seen?.status === request.status || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  print(!!o.json, { request, case: status }, () =>
    `${caseId}: ${input.requestId} ${input.outcome} (request now ${request.status}); now in ${status.stage}${status.outcome ? ` (${status.outcome})` : ''}${status.awaiting ? `, awaiting ${status.awaiting}` : ''}`,
  );
  return { request, status };
}

/** `case X (stage S): rejected, nothing changed: --flag: reason`, without repeating what the reason already says. */
async function rejection(caseId: string, handle: WorkflowHandle, o: Timed, err: WorkflowUpdateFailedError, flags: Record<string, string>): Promise<string> {
  let reason = (err.cause?.message ?? err.message).split('\n')[0]!;
  // The validator names payload fields; a person typed flags.
  reason = reason.replace(/^(\w+): /, (m, field: string) => (flags[field] ? `${flags[field]}: ` : m));
  if (reason.includes(`case ${caseId} `)) return `rejected, nothing changed: ${reason}`;
  const stage = await withinTimeout({ ...o, timeout: '5s' }, () => handle.query(statusQuery)).then(
    (s) => ` (stage ${s.stage})`,
    () => '',
  );
  return `case ${caseId}${stage}: rejected, nothing changed: ${reason}`;
}
