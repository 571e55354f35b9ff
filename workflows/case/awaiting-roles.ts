/**
 * Which people's roles have something waiting in a case: the case itself (its AwaitingParty), each
 * open request (its awaiting party, a coordinator when a system gave up on it) and each document
 * version waiting for approval before its request may leave. Kept as the AwaitingRoles search
 * attribute so that a person's queue is one visibility query, not a question to every case.
 * Pure: the workflow, the API's queue and the tests read the same table.
 */
import { DOCUMENT_KINDS, DOCUMENT_RULES, REQUEST_DOCUMENTS, type DocumentKind } from '../documents/kinds';
import type { RequestSummary } from '../messages';
import type { Party, Role } from '../vocabulary';

/**
 * The roles that answer for a party. A liaison records what foreign authorities answer
 * (requests/machines.ts: their responses are `by: ['liaison']`), so what waits for a foreign
 * authority is the liaison's to follow. Parties that are systems (court, provider, …) have no row.
 */
export const PARTY_ROLES: Readonly<Partial<Record<Party, readonly Role[]>>> = {
  coordinator: ['coordinator'],
  manager: ['manager'],
  liaison: ['liaison'],
  analyst: ['analyst'],
  'foreign-authority': ['liaison'],
};

/** The parties a role answers for (the inverse of PARTY_ROLES). */
export function partiesOf(role: Role): Party[] {
  return (Object.entries(PARTY_ROLES) as [Party, readonly Role[]][]).filter(([, roles]) => roles.includes(role)).map(([party]) => party);
}

/** A document id is `<owner>/<kind>[-n].<language>` (documents/service.ts): its kind, if it names one. */
export function documentKindOf(documentId: string): DocumentKind | undefined {
  const name = documentId
    .slice(documentId.lastIndexOf('/') + 1)
    .replace(/\.[A-Za-z-]+$/, '')
    .replace(/-\d+$/, '');
  return (DOCUMENT_KINDS as readonly string[]).includes(name) ? (name as DocumentKind) : undefined;
}

/** Who may approve the version a request waits on: its kind's approvers, or every approver of the request's gated documents. */
export function approversFor(request: Pick<RequestSummary, 'kind' | 'pendingApproval'>): readonly Role[] {
  if (!request.pendingApproval) return [];
  const kind = documentKindOf(request.pendingApproval.documentId);
  if (kind) return DOCUMENT_RULES[kind].approvers;
  return [...new Set((REQUEST_DOCUMENTS[request.kind] ?? []).filter((d) => d.approvalBeforeSending).flatMap((d) => DOCUMENT_RULES[d.kind].approvers))];
}

/** What waits for people in one request: empty when nothing does (or the request is over). */
export function requestWaitsFor(request: Pick<RequestSummary, 'kind' | 'awaiting' | 'attention' | 'pendingApproval'>, closed: boolean): Role[] {
  if (closed) return [];
  const roles = new Set<Role>(request.awaiting ? (PARTY_ROLES[request.awaiting] ?? []) : []);
  if (request.attention) roles.add('coordinator');
  for (const r of approversFor(request)) roles.add(r);
  return [...roles];
}

/** Every role something waits for in the case, in a stable order (the attribute is compared for changes). */
export function awaitingRoles(
  caseAwaiting: Party | null,
  requests: readonly (Pick<RequestSummary, 'kind' | 'awaiting' | 'attention' | 'pendingApproval'> & { closed: boolean })[],
): Role[] {
  const roles = new Set<Role>(caseAwaiting ? (PARTY_ROLES[caseAwaiting] ?? []) : []);
  for (const r of requests) for (const role of requestWaitsFor(r, r.closed)) roles.add(role);
  return [...roles].sort();
}
