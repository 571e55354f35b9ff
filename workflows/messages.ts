/**
 * Everything a client may say to a case or ask of it: the updates (human inputs, each validated
 * before anything is written to history), the queries, and the shapes they return. Clients import
 * these definitions; the schemas are the types.
 */
import { ApplicationFailure, defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { EXCLUDABLE_DELAY_GROUND_NAMES } from './policy/after-arrest';
import { CountryCodeSchema } from './policy/iso-countries';
import { RESPONSE_OUTCOMES, type RequestKind } from './requests/machines';
import { RoleSchema, UnitCodeSchema, type Outcome, type Party, type Role, type Stage, type TimelineKind } from './vocabulary';

/**
 * Who did it: every human input names a person and the role they acted in. Through the API these come
 * from the verified credential (the name, the subject, the role checked against workflows/access.ts),
 * never from the request body; the API's body schemas are these without the actor fields.
 */
export const ActorFields = {
  actor: z.string().trim().min(1, { message: 'must name the person acting' }).max(200),
  role: RoleSchema,
  /** The verified subject (the identity provider's `sub`, with its issuer) the name belongs to. */
  actorId: z.string().trim().min(1).max(500).optional(),
};
const Actor = ActorFields;
export const ACTOR_KEYS = { actor: true, role: true, actorId: true } as const;

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

const DocumentIdField = z.string().trim().min(1, { message: 'must name the document (see the case’s documents)' }).max(500);
const ContentHashField = z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be the version’s SHA-256 content hash (64 lowercase hex digits)' });

/**
 * A person approves the version of a document they read, named by its content hash: refused unless
 * the role approves that kind (workflows/documents/kinds.ts), the hash is the current version's, no gap
 * is open and, where four eyes are needed, the approver did not write the version.
 */
export const ApproveDocumentSchema = z.object({ ...Actor, documentId: DocumentIdField, contentHash: ContentHashField });
/**
 * An edited DOCX uploaded through the API became a new version in the document store: the workflow
 * that waits for the document's approval takes it as the version to approve. The API fills version,
 * hash and gaps from the store; the content never travels.
 */
export const ReviseDocumentSchema = z.object({
  ...Actor,
  documentId: DocumentIdField,
  version: z.number().int().min(2).max(10_000),
  contentHash: ContentHashField,
  incomplete: z.array(z.string().max(200)).max(100),
});

export type ApproveDocument = z.infer<typeof ApproveDocumentSchema>;
export type ReviseDocument = z.infer<typeof ReviseDocumentSchema>;
// ---- Before the warrant (issue 14): the analyst's judgement, the child's safety, who is behind the IP, the warrant's return.
const Reason = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `must say ${what}` })
    .max(2_000);

/**
 * An analyst (or a manager, once escalated) grades the case: the top grade of the home country's
 * scale confirms imminent danger, a lower one downgrades it (workflows/policy/danger.ts). The reasons
 * go to the timeline with who decided.
 */
export const AssessDangerSchema = z.object({
  ...Actor,
  grade: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, { message: 'must be a grade of the home country’s scale (e.g. 1, 2, 3; or very-high, high, medium, low)' })
    .max(20),
  reasons: Reason('what the decision rests on'),
});
/** A coordinator says a child is identified or at risk: a safeguarding track opens beside the case. */
export const ReportChildAtRiskSchema = z.object({
  ...Actor,
  child: z.enum(['identified', 'at-risk'], { message: 'must be identified (the child is known) or at-risk (not yet identified)' }),
  reason: Reason('why the child is at risk'),
});
/** A person says why the case may close while a child's safeguarding goes on beside it. */
export const CloseWhileSafeguardingSchema = z.object({ ...Actor, reason: Reason('why the case may close while the child’s safeguarding goes on') });
/** The NCA's referrals bureau (an analyst, or a manager) passes the referral to a force or regional unit (ROCU). */
export const DisseminateSchema = z.object({
  ...Actor,
  unit: UnitCodeSchema,
  reason: Reason('why this force or regional unit takes the referral'),
});
/** A § 2703(d) order for records beyond basic subscriber information, with the coordinator's specific and articulable facts. */
export const RequestRecordsOrderSchema = z.object({
  ...Actor,
  facts: z.string().trim().min(20, { message: 'must state the specific and articulable facts (at least 20 characters)' }).max(10_000),
});
/** Fed. R. Crim. P. 41(f)(1): the inventory, verified by the officer, and the warrant returned to the magistrate judge. */
export const ReturnWarrantSchema = z.object({
  ...Actor,
  inventory: z.string().trim().min(1, { message: 'must describe what was seized or copied' }).max(10_000),
  items: z.number().int().min(0, { message: 'must be a count of items, 0 or more' }).max(1_000_000),
});
/** A court extended the off-site review of seized electronic data (Rule 41(e)(2)(B)). */
export const ExtendReviewSchema = z.object({
  ...Actor,
  until: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2027-03-01T00:00:00Z' }),
  courtOrder: z.string().trim().min(1, { message: 'must name the court’s order' }).max(200),
  reason: z.string().trim().min(1).max(2_000).optional(),
});
/** The off-site review of the seized data is complete. */
export const CompleteReviewSchema = z.object({ ...Actor, summary: Reason('what the review found or that it is complete') });

// ---- After the arrest (issue 15): the court's events, excludable delay, the prosecution decision (US); PACE custody and pre-charge bail (UK).
const CourtReference = z.string().trim().min(1, { message: 'must name the court’s (or the CPS’s) reference' }).max(200);
const Custody = z.enum(['detained', 'released'], { message: 'must be detained or released' });
/**
 * US: what happened in court after the arrest, as the coordinator records it. `initial-appearance`
 * (Rule 5; the detention hearing held then, continued on a party's motion, or not sought, § 3142(f)),
 * `detention-hearing` (a continued one held), `preliminary-hearing` (Rule 5.1), `indictment` (the grand
 * jury returned it: the case closes as INDICTED).
 */
const COURT_EVENTS = {
  initialAppearance: z.object({
    event: z.literal('initial-appearance'),
    custody: Custody,
    detentionHearing: z.enum(['held', 'continued-defence', 'continued-government', 'not-sought'], {
      message: 'must be held, continued-defence, continued-government or not-sought',
    }),
    reference: CourtReference.optional(),
  }),
  detentionHearing: z.object({ event: z.literal('detention-hearing'), custody: Custody, reference: CourtReference.optional() }),
  preliminaryHearing: z.object({ event: z.literal('preliminary-hearing'), reference: CourtReference.optional() }),
  indictment: z.object({ event: z.literal('indictment'), reference: CourtReference }),
};
const EVENT_MESSAGE = { message: 'must be initial-appearance, detention-hearing, preliminary-hearing or indictment' };
export const RecordCourtEventSchema = z.discriminatedUnion(
  'event',
  [
    COURT_EVENTS.initialAppearance.extend(Actor),
    COURT_EVENTS.detentionHearing.extend(Actor),
    COURT_EVENTS.preliminaryHearing.extend(Actor),
    COURT_EVENTS.indictment.extend(Actor),
  ],
  EVENT_MESSAGE,
);
/** The same events without the actor fields (the API's body: the actor comes from the credential). */
export const RecordCourtEventBodySchema = z.discriminatedUnion(
  'event',
  [COURT_EVENTS.initialAppearance.strict(), COURT_EVENTS.detentionHearing.strict(), COURT_EVENTS.preliminaryHearing.strict(), COURT_EVENTS.indictment.strict()],
  EVENT_MESSAGE,
);
/** US: delay the Speedy Trial Act excludes (18 U.S.C. § 3161(h)), recorded by a person: it moves the indictment deadline. */
export const ExcludeDelaySchema = z.object({
  ...Actor,
  ground: z.enum(EXCLUDABLE_DELAY_GROUND_NAMES, { message: `must be one of ${EXCLUDABLE_DELAY_GROUND_NAMES.join(', ')}` }),
  days: z.number().int().min(1, { message: 'must be a whole number of days, 1 or more' }).max(365, { message: 'must be at most 365 days in one input' }),
  /** The court's order or findings, where the ground rests on one (ends of justice, evidence abroad, deferred prosecution). */
  order: CourtReference.optional(),
  reason: Reason('why the delay is excluded'),
});
/** US: the prosecution decision (Justice Manual 9-27.220): federal, state (referred to a state partner) or declined. */
export const DecideProsecutionSchema = z.object({
  ...Actor,
  decision: z.enum(['federal', 'state', 'declined'], { message: 'must be federal, state or declined' }),
  /** The partner the case is referred to (a state prosecutor, or a federal partner such as the US Attorney): a request is opened to it. */
  partner: z.string().trim().min(1).max(200).optional(),
  reason: Reason('what the decision rests on'),
});
/** UK: a review of the detention (PACE s.40) by the review officer. */
export const ReviewDetentionSchema = z.object({ ...Actor, reason: Reason('why detention goes on (or not)') });
/** UK: detention extended — by a superintendent to 36 hours (s.42), or by a magistrates' court's warrant of further detention (ss.43, 44). */
export const ExtendDetentionSchema = z.object({
  ...Actor,
  authority: z.enum(['superintendent', 'magistrates-court'], { message: 'must be superintendent (s.42) or magistrates-court (ss.43–44)' }),
  until: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2027-03-01T12:00:00Z' }),
  reference: CourtReference.optional(),
  reason: Reason('why detention without charge must go on'),
});
/**
 * UK: how custody (or pre-charge bail) ends: charged on the CPS's decision (which carries the DPP's
 * consent for indecent-image offences), bailed without charge, released under investigation, or no
 * further action.
 */
export const ChargingDecisionSchema = z.object({
  ...Actor,
  decision: z.enum(['charged', 'bailed', 'released-under-investigation', 'no-further-action'], {
    message: 'must be charged, bailed, released-under-investigation or no-further-action',
  }),
  /** The CPS's charging decision (its reference), for a charge. */
  cpsReference: CourtReference.optional(),
  /** A charge under the Protection of Children Act 1978 needs the DPP's consent (s.1(3)), given by the CPS. */
  dppConsent: z.boolean().optional(),
  reason: Reason('what the decision rests on'),
});
/** UK: pre-charge bail extended by the rank (or court) the law names for the step (PACE ss.47ZD, 47ZDA, 47ZF). */
export const ExtendBailSchema = z.object({
  ...Actor,
  authority: z.enum(['inspector', 'superintendent', 'magistrates-court'], {
    message: 'must be inspector (to 6 months), superintendent (to 9) or magistrates-court',
  }),
  /** A court's order: its end date. */
  until: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  reference: CourtReference.optional(),
  reason: Reason('why bail is extended'),
});
export type RecordCourtEvent = z.infer<typeof RecordCourtEventSchema>;
export type ExcludeDelay = z.infer<typeof ExcludeDelaySchema>;
export type DecideProsecution = z.infer<typeof DecideProsecutionSchema>;
export type ReviewDetention = z.infer<typeof ReviewDetentionSchema>;
export type ExtendDetention = z.infer<typeof ExtendDetentionSchema>;
export type ChargingDecision = z.infer<typeof ChargingDecisionSchema>;
export type ExtendBail = z.infer<typeof ExtendBailSchema>;

export type AssessDanger = z.infer<typeof AssessDangerSchema>;
export type ReportChildAtRisk = z.infer<typeof ReportChildAtRiskSchema>;
export type CloseWhileSafeguarding = z.infer<typeof CloseWhileSafeguardingSchema>;
export type Disseminate = z.infer<typeof DisseminateSchema>;
export type RequestRecordsOrder = z.infer<typeof RequestRecordsOrderSchema>;
export type ReturnWarrant = z.infer<typeof ReturnWarrantSchema>;
export type ExtendReview = z.infer<typeof ExtendReviewSchema>;
export type CompleteReview = z.infer<typeof CompleteReviewSchema>;

export type ResolveJurisdiction = z.infer<typeof ResolveJurisdictionSchema>;
export type AmendAndReapply = z.infer<typeof AmendAndReapplySchema>;
export type AddNote = z.infer<typeof AddNoteSchema>;
export type Withdraw = z.infer<typeof WithdrawSchema>;
export type RetryStep = z.infer<typeof RetryStepSchema>;
export type CloseCase = z.infer<typeof CloseCaseSchema>;
export type Respond = z.infer<typeof RespondSchema>;

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
  /** The document version the request waits to have approved before it is sent (id and hash only). */
  pendingApproval?: { documentId: string; version: number; contentHash: string };
}

/** A generated document as a workflow knows it: where it is and which text, never the text. */
export interface DocumentSummary {
  documentId: string;
  requestId: string;
  kind: string;
  language: string;
  version: number;
  contentHash: string;
  status: 'DRAFT' | 'APPROVED';
  /** Gaps a person must fill (by uploading an edited DOCX) before it can be approved; labels only. */
  incomplete: string[];
  /** Who wrote the current version, when a person did (an uploaded revision). */
  author?: { actor: string; role: Role; actorId?: string };
  approval?: { actor: string; role: Role; actorId?: string; at: string };
}

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  stage: Stage;
  /** A person (human inputs) or a system (`system:court`, `system:casebridge`). */
  actor: string;
  /** The person's verified subject, when the input came through the API. */
  actorId?: string;
  role?: Role;
  detail: string;
}

export interface PreservationStatus {
  workflowId: string;
  state: 'REQUESTED' | 'PRESERVED' | 'RENEWED' | 'RELEASED' | 'LAPSED' | 'REFUSED';
  expiresAt?: string;
  renewalsUsed: number;
}

/** The imminent-danger check: what the system flagged, and who decided what on which reasons. */
export interface DangerCheckStatus {
  /** PENDING: an analyst is to decide by `decideBy`; ESCALATED: past it, a manager is asked; DECIDED: a person graded the case. */
  state: 'PENDING' | 'ESCALATED' | 'DECIDED';
  flaggedAt: string;
  /** The indicators (workflows/policy/danger.ts codes) and, in words, with the provider's reason. */
  indicators: string[];
  flaggedFor: string;
  decideBy?: string;
  escalatedAt?: string;
  decision?: { grade: string; imminent: boolean; reasons: string; actor: string; role: Role; actorId?: string; at: string };
}

/** The case's grade on its home country's scale (NCMEC priority, KIRAT) and when it must be acted on. */
export interface GradeStatus {
  scale: 'ncmec-priority' | 'kirat';
  value: string;
  means: string;
  /** Who set it: `assessment` (the system), `pending` (acting on the top grade while a person decides), or the person. */
  by: string;
  actBy?: string;
  source: string;
}

/** Who was behind the IP address, as far as the provider said. Personal data: payloads only. */
export interface SubscriberStatus {
  requestId: string;
  provider: string;
  /** The legal process used (workflows/policy/subscriber.ts). */
  instrument: string;
  outcome?: 'identified' | 'no-data' | 'refused' | 'ambiguous';
  reason?: string;
  country?: string;
  region?: string;
  city?: string;
  address?: string;
  /** When the provider's logs for the address run out (the deployment's retention table), if known. */
  logsKeptUntil?: string;
  preservation?: { state: 'PRESERVED' | 'REFUSED'; reference?: string; reason?: string };
}

/** The search warrant's return (Rule 41(f)) and the off-site review with any extensions a court gave. */
export interface WarrantReturnStatus {
  warrantId: string;
  executedAt: string;
  returnDueAt?: string;
  returnedAt?: string;
  returnedBy?: string;
  items?: number;
  courtReference?: string;
  reviewDueAt?: string;
  reviewCompletedAt?: string;
  extensions: { until: string; courtOrder: string; reason?: string; actor: string; at: string }[];
}

/** After the arrest: the custody and charging record (US or UK law, by the home country). */
export interface CustodyStatus {
  law: 'US' | 'GB';
  arrestedAt: string;
  via: 'local-arrest' | 'extradition';
  warrantless: boolean;
  // US
  initialAppearanceAt?: string;
  custody?: 'detained' | 'released';
  detentionHearing?: 'pending' | 'held' | 'not-sought';
  preliminaryHearingAt?: string;
  excluded: { ground: string; cite: string; days: number; order?: string; reason: string; actor: string; at: string }[];
  prosecution?: { decision: 'federal' | 'state' | 'declined'; partner?: string; reason: string; actor: string; at: string; referralId?: string };
  indictedAt?: string;
  indictment?: string;
  // UK
  relevantTime?: string;
  detentionUntil?: string;
  reviews: { at: string; actor: string }[];
  extensions: { authority: string; until: string; reference?: string; actor: string; at: string }[];
  decision?: { decision: string; reason: string; actor: string; at: string; cpsReference?: string; dppConsent?: boolean };
  bail?: { startedAt: string; endsAt: string; extensions: { authority: string; until: string; reference?: string; actor: string; at: string }[] };
  /** Clocks that ran out unmet (their deadline names and when they were due). */
  missed: { name: string; dueAt: string }[];
}

/** How `waitingFor` begins while a case that would close waits for a child's safeguarding (workflows/case/closing-guard.ts). */
export const CLOSING_WAITS_FOR_SAFEGUARDING = 'the child’s safeguarding';
/** The case is ready to close, and waits for its child's safeguarding to end or for a person's reason (close-while-safeguarding). */
export function closingWaitsForSafeguarding(s: Pick<CaseStatus, 'waitingFor'>): boolean {
  return s.waitingFor?.startsWith(CLOSING_WAITS_FOR_SAFEGUARDING) === true;
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
  /** A step that failed for good: which, why, and what a retry does next (a stage, or a step of the case's own). */
  attention: { step: string; reason: string; resumes?: string } | null;
  warrantApplications: number;
  /** Issue 14 (absent in cases from before it): the imminent-danger check, the grade, the child's safety, the subscriber, the warrant's return. */
  dangerCheck?: DangerCheckStatus | null;
  grade?: GradeStatus | null;
  /** A child at risk and not yet safeguarded: a safeguarding track is open beside the case. */
  childAtRisk?: boolean;
  subscriber?: SubscriberStatus | null;
  warrantReturn?: WarrantReturnStatus | null;
  /** Issue 15 (absent in cases from before it): after the arrest. */
  custody?: CustodyStatus | null;
  /** The assessment's flags (codes: NCMEC annotations, `file:generativeAi`, `legalProcessServed:domestic`, …). Absent in cases from before they were kept. */
  flags?: string[];
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
export const assessDanger = defineUpdate<CaseStatus, [AssessDanger]>('assessDanger');
export const reportChildAtRisk = defineUpdate<CaseStatus, [ReportChildAtRisk]>('reportChildAtRisk');
export const disseminate = defineUpdate<CaseStatus, [Disseminate]>('disseminate');
export const closeWhileSafeguarding = defineUpdate<CaseStatus, [CloseWhileSafeguarding]>('closeWhileSafeguarding');
export const requestRecordsOrder = defineUpdate<CaseStatus, [RequestRecordsOrder]>('requestRecordsOrder');
export const returnWarrant = defineUpdate<CaseStatus, [ReturnWarrant]>('returnWarrant');
export const extendReview = defineUpdate<CaseStatus, [ExtendReview]>('extendReview');
export const completeReview = defineUpdate<CaseStatus, [CompleteReview]>('completeReview');
export const recordCourtEvent = defineUpdate<CaseStatus, [RecordCourtEvent]>('recordCourtEvent');
export const excludeDelay = defineUpdate<CaseStatus, [ExcludeDelay]>('excludeDelay');
export const decideProsecution = defineUpdate<CaseStatus, [DecideProsecution]>('decideProsecution');
export const reviewDetention = defineUpdate<CaseStatus, [ReviewDetention]>('reviewDetention');
export const extendDetention = defineUpdate<CaseStatus, [ExtendDetention]>('extendDetention');
export const chargingDecision = defineUpdate<CaseStatus, [ChargingDecision]>('chargingDecision');
export const extendBail = defineUpdate<CaseStatus, [ExtendBail]>('extendBail');

/** Sent to the workflow that runs the document's request (the request id is the document id's prefix). */
export const approveDocument = defineUpdate<DocumentSummary, [ApproveDocument]>('approveDocument');
export const reviseDocument = defineUpdate<DocumentSummary, [ReviseDocument]>('reviseDocument');

export const statusQuery = defineQuery<CaseStatus>('status');
/** The documents a request's workflow generated, with their current versions and approvals. */
export const documentsQuery = defineQuery<DocumentSummary[]>('documents');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');

/** Zod's first issue as `field: message`, for update validators and the CLI. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`;
}

/** The failure type of an input a case (or a request's workflow) refused in its validator. */
export const INPUT_REJECTED = 'InputRejected';

/**
 * Why an input was refused, carried in the failure's details so that clients (the API's problem+json,
 * the CLI's one line) name the case's stage and the field without asking the case again.
 */
export interface Rejection {
  caseId: string;
  stage: Stage;
  /** The payload field at fault (`role`, `outcome`, `requestId`, …), or `(input)` for the input as a whole. */
  field: string;
  /** The reason, without the field. */
  reason: string;
}

/** Refuses an input from a validator: `reason` is `field: why` where a field is at fault (every validator writes the field first). */
export function rejectInput(caseId: string, stage: Stage, reason: string): never {
  const m = /^([A-Za-z][\w.]*): (.*)$/s.exec(reason);
  const rejection: Rejection = { caseId, stage, field: m ? m[1] : '(input)', reason: m ? m[2] : reason };
  throw ApplicationFailure.create({ type: INPUT_REJECTED, message: reason, details: [rejection], nonRetryable: true });
}

/** Parses an update's payload with its schema inside a validator; a bad field is refused naming it. */
export function parsePayload<T>(schema: z.ZodType<T>, raw: unknown, caseId: string, stage: Stage): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) rejectInput(caseId, stage, firstIssue(parsed.error));
  return parsed.data;
}

/** The rejection a validator gave, from the error a client received (WorkflowUpdateFailedError's cause). */
export function rejectionOf(err: unknown): Rejection | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof ApplicationFailure && e.type === INPUT_REJECTED) return e.details?.[0] as Rejection | undefined;
  }
  return undefined;
}
