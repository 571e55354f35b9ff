/**
 * Everything a client may say to a case or ask of it: the updates (human inputs, each validated
 * before anything is written to history), the queries, and the shapes they return. Clients import
 * these definitions; the schemas are the types.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { CountryCodeSchema } from './tip';

export const STAGES = [
  'INTAKE',
  'TRIAGE',
  'JURISDICTION',
  'EMERGENCY_DISCLOSURE',
  'FILE_REVIEW',
  'WARRANT',
  'WARRANT_EXECUTION',
  'ARREST_WARRANT',
  'LOCAL_ARREST',
  'NEEDS_ATTENTION',
  'CLOSED',
] as const;
export const StageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof StageSchema>;

export const OUTCOMES = ['ARRESTED', 'NO_ACTION', 'WITHDRAWN', 'DUPLICATE'] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const PARTIES = ['coordinator', 'manager', 'liaison', 'court', 'provider', 'agency', 'assessment'] as const;
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

export type ResolveJurisdiction = z.infer<typeof ResolveJurisdictionSchema>;
export type AmendAndReapply = z.infer<typeof AmendAndReapplySchema>;
export type AddNote = z.infer<typeof AddNoteSchema>;
export type Withdraw = z.infer<typeof WithdrawSchema>;
export type RetryStep = z.infer<typeof RetryStepSchema>;

export interface Deadline {
  name: string;
  /** ISO 8601. */
  dueAt: string;
  stage: Stage;
  /** The policy rule's source, so a reader knows why this date. */
  source: string;
}

export type RequestKind = 'preservation' | 'emergency-disclosure' | 'search-warrant' | 'warrant-execution' | 'arrest-warrant';
export interface RequestSummary {
  requestId: string;
  kind: RequestKind;
  status: string;
  awaiting: Party | null;
  openedAt: string;
  reference?: string;
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

export const statusQuery = defineQuery<CaseStatus>('status');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');

/** Zod's first issue as `field: message`, for update validators and the CLI. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`;
}
