/** Request ids and what they say without asking anyone: which case, which kind, which workflow runs it, who may respond. */
import type { Role } from '../vocabulary';
import { REQUEST_MACHINES, machineFor, type RequestKind, type RequestMachine } from './machines';

/** A request id is `<case id>/<kind>[-<n>]` (e.g. `case-190000007/mlat-1`, `case-190000007/preservation`). */
export function parseRequestId(requestId: string): { caseId: string; kind: RequestKind } | undefined {
  const slash = requestId.indexOf('/');
  if (slash <= 0) return undefined;
  const kind = requestId.slice(slash + 1).replace(/-\d+$/, '');
  return machineFor(kind) ? { caseId: requestId.slice(0, slash), kind: kind as RequestKind } : undefined;
}

/**
 * How a case's paths name one of its requests: the short id (`mlat-1`) for its own, the whole id for a
 * track another case opened and handed over to it (a referral's safeguarding, `case-…/safeguarding-1`).
 */
export function requestPathId(caseId: string, requestId: string): string {
  return requestId.startsWith(`${caseId}/`) ? requestId.slice(caseId.length + 1) : requestId;
}

/** What a path may name a request by (requestPathId's forms): a short id, or a whole id of another case's track. */
export const REQUEST_PATH_ID = /^(?:case-[A-Za-z0-9-]+\/)?[a-z][a-z-]*(-\d+)?$/;

/** The request id a path names (requestPathId's inverse); whether it is another case's (handed over) is `handedOver`. */
export function requestIdFromPath(caseId: string, pathId: string): { requestId: string; handedOver: boolean } {
  const handedOver = pathId.includes('/');
  return { requestId: handedOver ? pathId : `${caseId}/${pathId}`, handedOver };
}

/** The workflow that runs a request and takes its responses, from its id alone (no query first). */
export function requestWorkflowId(requestId: string): string | undefined {
  const parsed = parseRequestId(requestId);
  if (!parsed) return undefined;
  return REQUEST_MACHINES[parsed.kind].runBy === 'own-workflow' ? requestId : parsed.caseId;
}

/** The roles that may record some response on some kind of request (the rest never may). */
export const RESPONDING_ROLES: readonly Role[] = [
  ...new Set(
    Object.values(REQUEST_MACHINES as Record<string, RequestMachine>).flatMap((m) =>
      m.transitions.flatMap((t) => t.by.filter((b): b is Role => b !== 'system')),
    ),
  ),
];
