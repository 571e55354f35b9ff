/**
 * What every person's command shares: the API client with the stored login, the common flags, and
 * sending an input to a case (the API fills in who is acting from the credential; the case's
 * validator decides whether its stage accepts it).
 */
import { Command } from 'commander';
import type { CaseStatus, RequestSummary } from '../../workflows/messages';
import { ApiClient, ApiRefusal } from '../api-client';
import { z } from 'zod';
import { ROLES } from '../../workflows/vocabulary';
import { CaseIdSchema, DurationSchema, arg, optionalArg } from './args';
import { badInput } from './errors';
import { print } from './output';

export interface Common {
  json?: boolean;
  debug?: boolean;
}
export interface Timed extends Common {
  timeout: string;
  as?: string;
}

let client: ApiClient | undefined;

export function api(): ApiClient {
  client ??= ApiClient.fromLogin();
  return client;
}

export function withCommon(cmd: Command): Command {
  return cmd.option('--json', 'machine-readable output').option('--debug', 'stack traces on errors');
}

/** Commands a worker must answer (queries, inputs): without a worker they fail after --timeout instead of hanging. */
export function withTimeout(cmd: Command): Command {
  return withCommon(cmd)
    .option('--timeout <duration>', 'how long to wait for a worker to answer', '30s')
    .option('--as <role>', 'the role to act in, when your login carries several that may');
}

const AsSchema = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });

export function callOptions(o: Timed): { timeoutMs: number; headers: Record<string, string> } {
  const as = optionalArg(AsSchema, o.as, '--as');
  return { timeoutMs: arg(DurationSchema, o.timeout, '--timeout'), headers: as ? { 'casebridge-role': as } : {} };
}

export const caseIdArg = (id: string) => arg(CaseIdSchema, id, 'CASE_ID');

/** A read of a case (status, timeline). */
export async function readCase<T>(caseIdText: string, what: 'status' | 'timeline', o: Timed): Promise<T> {
  const caseId = caseIdArg(caseIdText);
  return api().call<T>('GET', `/cases/${caseId}/${what}`, callOptions(o));
}

/** `case X (stage S): rejected, nothing changed: --flag: reason`, without repeating what the reason already says. */
export function rejection(caseId: string, err: ApiRefusal, flags: Record<string, string>): string {
  const p = err.problem;
  if (p.status === 404 || p.status >= 500 || p.status === 429) return p.detail;
  if (p.stage === 'CLOSED' && p.detail.startsWith(`case ${caseId} is closed`)) return p.detail;
  // The API names payload fields; a person typed flags.
  const reason = p.detail.replace(/^(\w+): /, (m, field: string) => (flags[field] ? `${flags[field]}: ` : m));
  if (reason.includes(`case ${caseId} `)) return `rejected, nothing changed: ${reason}`;
  return `case ${caseId}${p.stage ? ` (stage ${p.stage})` : ''}: rejected, nothing changed: ${reason}`;
}

export async function refusedAs<T>(caseId: string, flags: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiRefusal) throw Object.assign(badInput(rejection(caseId, err, flags)), { exitCode: err.exitCode });
    throw err;
  }
}

/**
 * Sends a person's input. The command prints only after the API answered that the case accepted and
 * applied it (the update is in the case's history by then).
 */
export async function sendInput(
  caseIdText: string,
  o: Timed,
  route: string,
  body: unknown,
  flags: Record<string, string>,
  done: (status: CaseStatus) => string,
): Promise<CaseStatus> {
  const caseId = caseIdArg(caseIdText);
  const status = await refusedAs(caseId, flags, () => api().call<CaseStatus>('POST', `/cases/${caseId}/${route}`, { ...callOptions(o), body }));
  print(
    !!o.json,
    status,
    () =>
      `${caseId}: ${done(status)}; now in ${status.stage}${status.outcome ? ` (${status.outcome})` : ''}${status.awaiting ? `, awaiting ${status.awaiting}` : ''}`,
  );
  return status;
}

/**
 * Sends a liaison's response: one POST, which the API turns into one update to the workflow that runs
 * the request. A request run by a child reaches the case's view by a signal: the command reads the
 * case until it shows the new state (briefly), then prints.
 */
export async function sendResponse(
  caseIdText: string,
  o: Timed,
  shortRequestId: string,
  body: Record<string, unknown>,
  flags: Record<string, string>,
): Promise<{ request: RequestSummary; status: CaseStatus }> {
  const caseId = caseIdArg(caseIdText);
  const request = await refusedAs(caseId, flags, () =>
    api().call<RequestSummary>('POST', `/cases/${caseId}/requests/${encodeURIComponent(shortRequestId)}/responses`, { ...callOptions(o), body }),
  );
  let status: CaseStatus;
  const deadline = Date.now() + 10_000;
  for (;;) {
    status = await readCase<CaseStatus>(caseId, 'status', o);
    const seen = status.requests.find((r) => r.requestId === request.requestId);
    if (!request.workflowId || seen?.status === request.status || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  print(
    !!o.json,
    { request, case: status },
    () =>
      `${caseId}: ${request.requestId} ${String(body.outcome)} (request now ${request.status}); now in ${status.stage}${status.outcome ? ` (${status.outcome})` : ''}${status.awaiting ? `, awaiting ${status.awaiting}` : ''}`,
  );
  return { request, status };
}
