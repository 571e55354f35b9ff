/**
 * Everything a client may say to a case or ask of it: the updates (human inputs, each validated
 * before anything is written to history), the queries, and the shapes they return. Clients import
 * these definitions; the schemas are the types.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { CountryCodeSchema } from './tip';
import { RESPONSE_OUTCOMES, type RequestKind } from './requests';

export type { RequestKind } from './requests';
export { REFUSAL_GROUNDS, RESPONSE_OUTCOMES, REQUEST_MACHINES, REQUEST_KINDS } from './requests';

export const STAGES = [
  'INTAKE',
  'TRIAGE',
  'JURISDICTION',
  'EMERGENCY_DISCLOSURE',
  'FILE_REVIEW',
  // Legal process for the evidence, routed by where it is held (workflows/policy/routing.ts).
  'WARRANT',
  'WARRANT_EXECUTION',
  'CLOUD_ACT_ORDER',
  'EU_PRODUCTION_ORDER',
  'MLAT',
  /** Held in a country the policy tables have no route for: a liaison arranges the channel. */
  'FOREIGN_EVIDENCE',
  // Suspect action, routed by where the suspect is and what the treaty allows.
  'ARREST_WARRANT',
  'LOCAL_ARREST',
  'EXTRADITION',
  'TRANSFER_OF_PROCEEDINGS',
  'NEEDS_ATTENTION',
  'CLOSED',
] as const;
export const StageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof StageSchema>;

/**
 * UNRESOLVED: closed by a coordinator from NEEDS_ATTENTION, when the failed step cannot be completed.
 * EXTRADITED: surrendered and arrested on arrival. TRANSFERRED: prosecuted abroad. REFUSED: a foreign
 * state refused (the reason names the ground). RELEASED: let go from provisional arrest when the
 * formal request came too late. DISCHARGED: not surrendered within the window after the final order.
 */
export const OUTCOMES = ['ARRESTED', 'EXTRADITED', 'TRANSFERRED', 'REFUSED', 'RELEASED', 'DISCHARGED', 'NO_ACTION', 'WITHDRAWN', 'DUPLICATE', 'UNRESOLVED'] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

/** Who a case or a request waits for. `foreign-authority`: a foreign state's answer, which a liaison records. */
export const PARTIES = [
  'coordinator',
  'manager',
  'liaison',
  'court',
  'provider',
  'agency',
  'assessment',
  'central-authority',
  'translation',
  'diplomatic',
  'foreign-authority',
] as const;
export type Party = (typeof PARTIES)[number];

export const ROLES = ['coordinator', 'liaison', 'manager'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Who did it: every human input names a person and the role they acted in. */
const Actor = {
  actor: z.string().trim().min(1, { message: 'must name the person acting' }).max(200),
  role: RoleSchema,
};

export const ResolveJurisdictionSchema = z.object({
  ...Actor,
  suspectCountry: CountryCodeSchema,
  dataCountry: CountryCodeSchema.optional(),
  reason: z.string().max(2_000).optional(),
});
export const AmendAndReapplySchema = z.object({
  ...Actor,
  amendment: z.string().trim().min(1, { message: 'must say what the amended application changes' }).max(10_000),
});
export const AddNoteSchema = z.object({ ...Actor, text: z.string().trim().min(1, { message: 'must not be empty' }).max(10_000) });
export const WithdrawSchema = z.object({ ...Actor, reason: z.string().trim().min(1, { message: 'must give a reason' }).max(2_000) });
export const RetryStepSchema = z.object({ ...Actor, reason: z.string().max(2_000).optional() });
/** Closes a case stuck in NEEDS_ATTENTION as UNRESOLVED (compensations run as for a withdrawal). */
export const CloseCaseSchema = z.object({ ...Actor, reason: z.string().trim().min(1, { message: 'must give a reason' }).max(2_000) });
/**
 * A response from the other side of a request (a foreign authority, a partner, a provider by phone),
 * recorded by a liaison or a coordinator. Checked against the request kind's state machine
 * (workflows/requests.ts): the outcome must be allowed in the request's current status, for the role.
 */
export const RespondSchema = z.object({
  ...Actor,
  requestId: z.string().trim().min(1, { message: 'must name the request (see the case status)' }).max(300),
  outcome: z.enum(RESPONSE_OUTCOMES as [string, ...string[]], { message: `must be one of ${RESPONSE_OUTCOMES.join(', ')}` }),
  /** A refusal ground where the outcome needs one (see REFUSAL_GROUNDS), otherwise free text. */
  reason: z.string().trim().min(1).max(2_000).optional(),
  /** The other side's reference (order number, note number, evidence id). */
  reference: z.string().trim().min(1).max(200).optional(),
  note: z.string().trim().min(1).max(10_000).optional(),
});

export type ResolveJurisdiction = z.infer<typeof ResolveJurisdictionSchema>;
export type AmendAndReapply = z.infer<typeof AmendAndReapplySchema>;
export type AddNote = z.infer<typeof AddNoteSchema>;
export type Withdraw = z.infer<typeof WithdrawSchema>;
export type RetryStep = z.infer<typeof RetryStepSchema>;
export type CloseCase = z.infer<typeof CloseCaseSchema>;
export type Respond = z.infer<typeof RespondSchema>;
export type { RefusalGround } from './requests';

export interface Deadline {
  name: string;
  /** ISO 8601. */
  dueAt: string;
  stage: Stage;
  /** The policy rule's source, so a reader knows why this date. */
  source: string;
  /** The request this deadline belongs to (a follow-up, a production window), if any. */
  requestId?: string;
}

export interface RequestSummary {
  requestId: string;
  kind: RequestKind;
  /** The request's state in its kind's machine (workflows/requests.ts). */
  status: string;
  awaiting: Party | null;
  openedAt: string;
  reference?: string;
  /** The latest answer's reason or detail (a denial's reason, a refusal ground, the evidence received). */
  reason?: string;
  /** The child workflow that runs the request (MLAT, extradition): responses go to it. Absent: the case runs it. */
  workflowId?: string;
  /** Why the request cannot go on without a coordinator (a system gave up), set by the workflow running it. */
  attention?: string;
}

export const TIMELINE_KINDS = ['stage', 'request', 'response', 'input', 'deadline', 'alert', 'note', 'link'] as const;
export interface TimelineEntry {
  at: string;
  kind: (typeof TIMELINE_KINDS)[number];
  stage: Stage;
  /** A person (human inputs) or a system (`system:court`, `system:casebridge`). */
  actor: string;
  role?: Role;
  detail: string;
}

export interface PreservationStatus {
  workflowId: string;
  state: 'REQUESTED' | 'PRESERVED' | 'RENEWED' | 'RELEASED' | 'LAPSED' | 'REFUSED';
  expiresAt?: string;
  renewalsUsed: number;
}

export interface CaseStatus {
  caseId: string;
  /** Who the tip names, for the people working the case. Personal data: payloads only, never search attributes or logs. */
  suspect: { espIdentifier: string; screenName: string | null; ipAddresses: string[] };
  stage: Stage;
  outcome: Outcome | null;
  outcomeReason: string | null;
  priority: 1 | 2 | 3 | null;
  suspectCountry: string | null;
  dataCountry: string | null;
  awaiting: Party | null;
  /** What the case waits for, in words. */
  waitingFor: string | null;
  stageEnteredAt: string;
  deadlines: Deadline[];
  requests: RequestSummary[];
  linkedCases: string[];
  preservation: PreservationStatus | null;
  attention: { step: string; reason: string } | null;
  warrantApplications: number;
}

export const resolveJurisdiction = defineUpdate<CaseStatus, [ResolveJurisdiction]>('resolveJurisdiction');
export const amendAndReapply = defineUpdate<CaseStatus, [AmendAndReapply]>('amendAndReapply');
export const addNote = defineUpdate<CaseStatus, [AddNote]>('addNote');
export const withdraw = defineUpdate<CaseStatus, [Withdraw]>('withdraw');
export const retryStep = defineUpdate<CaseStatus, [RetryStep]>('retryStep');
export const closeCase = defineUpdate<CaseStatus, [CloseCase]>('closeCase');
/**
 * Liaisons (and coordinators where a request kind allows): one update for every kind of response,
 * sent to the workflow that runs the request (the case, or its MLAT / extradition child: the
 * request's `workflowId`). Returns the request as it now stands.
 */
export const respond = defineUpdate<RequestSummary, [Respond]>('respond');

export const statusQuery = defineQuery<CaseStatus>('status');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');

/** Zod's first issue as `field: message`, for update validators and the CLI. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`;
}
