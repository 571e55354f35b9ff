/**
 * The API's contract, from the schemas in workflows/messages.ts: request bodies are the update
 * payloads without the actor fields (the API fills those from the verified credential); responses
 * describe what the workflow's queries and updates return. OpenAPI (/openapi.json) is generated from
 * these, so it cannot drift from what the server validates.
 */
import { z } from 'zod';
import {
  ACTOR_KEYS,
  AddNoteSchema,
  AmendAndReapplySchema,
  AssessDangerSchema,
  DisseminateSchema,
  ChargingDecisionSchema,
  CloseCaseSchema,
  CloseWhileSafeguardingSchema,
  CompleteReviewSchema,
  DecideProsecutionSchema,
  ExcludeDelaySchema,
  ExtendBailSchema,
  ExtendDetentionSchema,
  ExtendReviewSchema,
  RecordCourtEventBodySchema,
  ReviewDetentionSchema,
  ReportChildAtRiskSchema,
  RequestRecordsOrderSchema,
  ReturnWarrantSchema,
  ResolveJurisdictionSchema,
  RespondSchema,
  RetryStepSchema,
  WithdrawSchema,
} from '../workflows/messages';
import {
  CaseIdSchema,
  CountryArgSchema,
  DurationSchema,
  PartyArgSchema,
  PriorityArgSchema,
  ProfileArgSchema,
  StageArgSchema,
  UnitSchema,
} from '../client/schemas';
import { OUTCOMES, PARTIES, PERSON_ROLES, ROLES, STAGES, TIMELINE_KINDS } from '../workflows/vocabulary';
import { REQUEST_KINDS } from '../workflows/requests/machines';
import { REQUEST_PATH_ID } from '../workflows/requests/ids';
import { TipSchema } from '../workflows/tip';

export const bodies = {
  resolveJurisdiction: ResolveJurisdictionSchema.omit(ACTOR_KEYS).strict(),
  amendAndReapply: AmendAndReapplySchema.omit(ACTOR_KEYS).strict(),
  addNote: AddNoteSchema.omit(ACTOR_KEYS).strict(),
  withdraw: WithdrawSchema.omit(ACTOR_KEYS).strict(),
  retryStep: RetryStepSchema.omit(ACTOR_KEYS).strict(),
  closeCase: CloseCaseSchema.omit(ACTOR_KEYS).strict(),
  assessDanger: AssessDangerSchema.omit(ACTOR_KEYS).strict(),
  reportChildAtRisk: ReportChildAtRiskSchema.omit(ACTOR_KEYS).strict(),
  closeWhileSafeguarding: CloseWhileSafeguardingSchema.omit(ACTOR_KEYS).strict(),
  disseminate: DisseminateSchema.omit(ACTOR_KEYS).strict(),
  requestRecordsOrder: RequestRecordsOrderSchema.omit(ACTOR_KEYS).strict(),
  returnWarrant: ReturnWarrantSchema.omit(ACTOR_KEYS).strict(),
  extendReview: ExtendReviewSchema.omit(ACTOR_KEYS).strict(),
  completeReview: CompleteReviewSchema.omit(ACTOR_KEYS).strict(),
  // After the arrest.
  recordCourtEvent: RecordCourtEventBodySchema,
  excludeDelay: ExcludeDelaySchema.omit(ACTOR_KEYS).strict(),
  decideProsecution: DecideProsecutionSchema.omit(ACTOR_KEYS).strict(),
  reviewDetention: ReviewDetentionSchema.omit(ACTOR_KEYS).strict(),
  extendDetention: ExtendDetentionSchema.omit(ACTOR_KEYS).strict(),
  chargingDecision: ChargingDecisionSchema.omit(ACTOR_KEYS).strict(),
  extendBail: ExtendBailSchema.omit(ACTOR_KEYS).strict(),
  /** The request is named in the path. */
  respond: RespondSchema.omit({ ...ACTOR_KEYS, requestId: true }).strict(),
};

export const CaseParams = z.object({ caseId: CaseIdSchema.meta({ description: 'the case id, e.g. case-190000001' }) });
/** A request of the case by its short id (`mlat-1`, `cloud-act-order-1`): ids in paths never repeat the case. */
export const RequestParams = CaseParams.extend({
  requestId: z
    .string()
    .regex(REQUEST_PATH_ID, {
      message: 'must be a request id of the case such as mlat-1, or the whole id of a track handed over to it (see the case status)',
    })
    .meta({
      description:
        'the request’s short id, e.g. mlat-1; a track another case opened and handed over to this one (a referral’s safeguarding) by its whole id, URL-encoded, e.g. case-190000001%2Fsafeguarding-1',
    }),
});

/** Headers a person may send with an input. */
export const InputHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,200}$/, { message: 'must be 1–200 of A-Z a-z 0-9 . _ : -' })
    .optional()
    .meta({ description: 'retrying a POST with the same key records it once (it becomes the Temporal update id)' }),
  'casebridge-role': z.enum(ROLES).optional().meta({ description: 'the role to act in, when the credential carries several that may' }),
  'casebridge-timeout-ms': z.coerce.number().int().min(100).max(300_000).optional().meta({ description: 'how long to wait for a worker' }),
});
export const ReadHeaders = InputHeaders.pick({ 'casebridge-role': true, 'casebridge-timeout-ms': true });

const Deadline = z.object({ name: z.string(), dueAt: z.string(), stage: z.enum(STAGES), source: z.string(), requestId: z.string().optional() });
export const RequestSummarySchema = z
  .looseObject({
    requestId: z.string(),
    kind: z.enum(REQUEST_KINDS as [string, ...string[]]),
    status: z.string(),
    awaiting: z.enum(PARTIES).nullable(),
    openedAt: z.string(),
    reference: z.string().optional(),
    reason: z.string().optional(),
    workflowId: z.string().optional(),
    attention: z.string().optional(),
    pendingApproval: z.object({ documentId: z.string(), version: z.number().int(), contentHash: z.string() }).optional(),
  })
  .meta({ id: 'RequestSummary' });
// The parts of a case's status added after the first API (issues 14 and 15): loose objects, so a field a
// later case adds passes through; their documented fields are the ones people act on.
const Since = z.string().meta({ description: 'an ISO 8601 instant' });
const PersonAct = { actor: z.string(), at: Since };
const DangerCheckSchema = z
  .looseObject({
    state: z.enum(['PENDING', 'ESCALATED', 'DECIDED']),
    flaggedAt: Since,
    indicators: z.array(z.string()),
    flaggedFor: z.string(),
    decideBy: Since.optional(),
    escalatedAt: Since.optional(),
    decision: z.looseObject({ grade: z.string(), imminent: z.boolean(), reasons: z.string(), ...PersonAct }).optional(),
  })
  .meta({ id: 'DangerCheck', description: 'the imminent-danger check: flagged by the assessment, decided by an analyst (or a manager once escalated)' });
const GradeSchema = z
  .looseObject({
    scale: z.enum(['ncmec-priority', 'kirat']),
    value: z.string(),
    means: z.string(),
    by: z.string(),
    actBy: Since.optional(),
    source: z.string(),
  })
  .meta({ id: 'Grade', description: 'the case’s grade on its home country’s scale and when it must be acted on' });
const SubscriberSchema = z
  .looseObject({
    requestId: z.string(),
    provider: z.string(),
    instrument: z.string(),
    outcome: z.enum(['identified', 'no-data', 'refused', 'ambiguous']).optional(),
    reason: z.string().optional(),
    logsKeptUntil: Since.optional(),
  })
  .meta({ id: 'Subscriber', description: 'who was behind the IP address, as far as the provider said (personal data)' });
const WarrantReturnSchema = z
  .looseObject({
    warrantId: z.string(),
    executedAt: Since,
    returnDueAt: Since.optional(),
    returnedAt: Since.optional(),
    reviewDueAt: Since.optional(),
    extensions: z.array(z.looseObject({ until: Since, courtOrder: z.string(), ...PersonAct })),
  })
  .meta({ id: 'WarrantReturn', description: 'the search warrant’s return (Fed. R. Crim. P. 41(f)) and the off-site review' });
const Extension = z.looseObject({ authority: z.string(), until: Since, reference: z.string().optional(), ...PersonAct });
const CustodySchema = z
  .looseObject({
    law: z.enum(['US', 'GB']),
    arrestedAt: Since,
    via: z.enum(['local-arrest', 'extradition']),
    warrantless: z.boolean(),
    initialAppearanceAt: Since.optional().meta({ description: 'US: Fed. R. Crim. P. 5(a)' }),
    custody: z.enum(['detained', 'released']).optional(),
    detentionHearing: z.enum(['pending', 'held', 'not-sought']).optional(),
    preliminaryHearingAt: Since.optional(),
    excluded: z.array(z.looseObject({ ground: z.string(), cite: z.string(), days: z.number(), reason: z.string(), ...PersonAct })).meta({
      description: 'US: excludable delay under 18 U.S.C. § 3161(h), each moving the indictment and trial deadlines',
    }),
    prosecution: z
      .looseObject({ decision: z.enum(['federal', 'state', 'declined']), partner: z.string().optional(), reason: z.string(), ...PersonAct })
      .optional(),
    indictedAt: Since.optional(),
    relevantTime: Since.optional().meta({ description: 'UK: PACE s.41, the custody clock’s start' }),
    detentionUntil: Since.optional(),
    reviews: z.array(z.looseObject(PersonAct)),
    extensions: z.array(Extension),
    decision: z.looseObject({ decision: z.string(), reason: z.string(), dppConsent: z.boolean().optional(), ...PersonAct }).optional(),
    bail: z.looseObject({ startedAt: Since, endsAt: Since, extensions: z.array(Extension) }).optional(),
    missed: z.array(z.looseObject({ name: z.string(), dueAt: Since })).meta({ description: 'clocks that ran out unmet' }),
  })
  .meta({ id: 'Custody', description: 'after the arrest: custody and the charging decision, by the home country’s law' });
export const CaseStatusSchema = z
  .looseObject({
    caseId: z.string(),
    suspect: z.object({ espIdentifier: z.string(), screenName: z.string().nullable(), ipAddresses: z.array(z.string()) }),
    stage: z.enum(STAGES),
    outcome: z.enum(OUTCOMES).nullable(),
    outcomeReason: z.string().nullable(),
    priority: z.number().int().nullable(),
    suspectCountry: z.string().nullable(),
    dataCountry: z.string().nullable(),
    awaiting: z.enum(PARTIES).nullable(),
    waitingFor: z.string().nullable(),
    stageEnteredAt: z.string(),
    deadlines: z.array(Deadline),
    requests: z.array(RequestSummarySchema),
    linkedCases: z.array(z.string()),
    preservation: z.looseObject({ workflowId: z.string(), state: z.string(), expiresAt: z.string().optional(), renewalsUsed: z.number() }).nullable(),
    attention: z.object({ step: z.string(), reason: z.string() }).nullable(),
    warrantApplications: z.number(),
    flags: z.array(z.string()).optional().meta({ description: 'the assessment’s flags, as codes (absent in cases from before they were kept)' }),
    dangerCheck: DangerCheckSchema.nullable().optional(),
    grade: GradeSchema.nullable().optional(),
    childAtRisk: z.boolean().optional().meta({ description: 'a child at risk and not yet safeguarded: a safeguarding track is open beside the case' }),
    subscriber: SubscriberSchema.nullable().optional(),
    warrantReturn: WarrantReturnSchema.nullable().optional(),
    custody: CustodySchema.nullable().optional(),
  })
  .meta({ id: 'CaseStatus' });
export const TimelineSchema = z
  .array(
    z.looseObject({
      at: z.string(),
      kind: z.enum(TIMELINE_KINDS),
      stage: z.enum(STAGES),
      actor: z.string(),
      actorId: z.string().optional(),
      role: z.enum(ROLES).optional(),
      detail: z.string(),
    }),
  )
  .meta({ id: 'Timeline' });

export const StartQuery = z.object({
  profile: ProfileArgSchema.default('standard').meta({ description: 'policy profile: standard, or demo (a policy day lasts a second)' }),
  unit: UnitSchema.optional().meta({ description: 'the unit that opens (and owns) the cases, when the credential carries several' }),
  reportNumber: TipSchema.shape.ncmecReportNumber.optional().meta({
    description: 'NCMEC XML only: the report number NCMEC assigned, when the file does not carry it (it must agree with the file where both say)',
  }),
  name: z.string().max(255).optional().meta({ description: 'NCMEC XML only: the uploaded file name, to tell XML from ZIP when the bytes do not' }),
});
const TipResult = z.union([
  z.object({ position: z.number().int(), line: z.number().int(), caseId: z.string(), status: z.enum(['started', 'exists']) }),
  z.object({ position: z.number().int(), line: z.number().int(), source: z.string().optional(), error: z.string() }),
]);
export const StartResultSchema = z
  .object({
    format: z.enum(['json', 'array', 'ndjson', 'ncmec-xml', 'ncmec-zip']),
    results: z.array(TipResult),
    started: z.number().int(),
    exists: z.number().int(),
    invalid: z.number().int(),
  })
  .meta({ id: 'StartResult' });

const Paging = {
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,4096}$/, { message: 'must be a cursor from a previous page' })
    .optional(),
};
export const CasesQuery = z.object({
  stage: StageArgSchema.optional(),
  country: CountryArgSchema.optional(),
  priority: PriorityArgSchema.optional(),
  state: z.enum(['open', 'closed']).optional(),
  ...Paging,
});
export const StalledQuery = z.object({
  idle: DurationSchema.prefault('30d'),
  stage: StageArgSchema.optional(),
  country: CountryArgSchema.optional(),
  awaiting: PartyArgSchema.optional(),
  ...Paging,
});
export const DeadlinesQuery = z.object({ within: DurationSchema.prefault('7d'), ...Paging });
export const QueueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  detail: z.coerce
    .number()
    .int()
    .min(0)
    .max(200)
    .default(50)
    .meta({ description: 'how many of the most urgent cases carry `waiting` (each is a read of the case)' }),
});
const CaseRowSchema = z.object({
  caseId: z.string(),
  stage: z.string().nullable(),
  outcome: z.string().nullable(),
  priority: z.number().nullable(),
  suspectCountry: z.string().nullable(),
  dataCountry: z.string().nullable(),
  awaiting: z.string().nullable(),
  stageEnteredAt: z.string().nullable(),
  nextDeadline: z.object({ name: z.string(), dueAt: z.string() }).nullable(),
  open: z.boolean(),
  childAtRisk: z.boolean().meta({ description: 'a child at risk not yet safeguarded: these cases come first in every view' }),
});
const pageOf = <T extends z.ZodType>(row: T, id: string) =>
  z
    .object({
      cases: z.array(row),
      nextCursor: z.string().nullable().meta({ description: 'the next page’s cursor; null on the last page (rows are sorted within a page)' }),
    })
    .meta({ id });
export const CasesPageSchema = pageOf(CaseRowSchema, 'CasesPage');
export const StalledPageSchema = pageOf(CaseRowSchema.extend({ idleMs: z.number() }), 'StalledPage');
export const QueueItemSchema = z
  .object({
    subject: z.enum(['case', 'request', 'approval', 'attention']).meta({
      description:
        'the case’s own step; a request whose answer your role records; a document your role approves before its request is sent; a request a system gave up on',
    }),
    requestId: z.string().optional(),
    kind: z.string().optional(),
    status: z.string().optional(),
    what: z.string(),
    deadline: z.object({ name: z.string(), dueAt: z.string() }).optional(),
  })
  .meta({ id: 'QueueItem' });
export type QueueItem = z.infer<typeof QueueItemSchema>;
export const QueuePageSchema = z
  .object({
    role: z.enum(PERSON_ROLES),
    awaiting: z.array(z.string()).meta({ description: 'the parties your role answers for' }),
    cases: z.array(
      CaseRowSchema.extend({
        waiting: z
          .array(QueueItemSchema)
          .nullable()
          .optional()
          .meta({ description: 'what waits for you in this case (the first `detail` cases); null: the case did not answer in time' }),
      }),
    ),
    truncated: z.boolean(),
  })
  .meta({ id: 'QueuePage' });
export const DeadlinesPageSchema = pageOf(
  z.object({
    caseId: z.string(),
    name: z.string(),
    dueAt: z.string(),
    stage: z.string().nullable(),
    awaiting: z.string().nullable(),
    childAtRisk: z.boolean(),
  }),
  'DeadlinesPage',
);

export const AuditQuery = z
  .object({
    from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after from', path: ['to'] });

export const LoginBody = z.object({ name: z.string().trim().min(1).max(200), password: z.string().min(1).max(1024) }).strict();
export const TokenSchema = z.object({ token: z.string(), tokenType: z.literal('Bearer'), expiresAt: z.string(), name: z.string() }).meta({ id: 'Token' });
export const WhoAmISchema = z
  .object({ id: z.string(), name: z.string(), roles: z.array(z.enum(PERSON_ROLES)), units: z.array(z.string()) })
  .meta({ id: 'Person' });
