/**
 * The case's durable record inside the workflow: stage, deadlines, requests and the append-only
 * timeline, and the search attributes managers filter by. Everything here is plain data so that
 * continue-as-new can carry it whole into the next run.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';
import type {
  CaseStatus,
  CustodyStatus,
  DangerCheckStatus,
  DocumentSummary,
  GradeStatus,
  RequestSummary,
  SubscriberStatus,
  TimelineEntry,
  WarrantReturnStatus,
} from '../messages';
import type { EvidenceRoute, PolicyProfile, SuspectRoute } from '../policy';
import { isTerminal, systemTransition, type RequestKind } from '../requests/machines';
import { applyResponse, applySystem, type RecordedResponse } from '../requests/runtime';
import { awaitingRoles } from './awaiting-roles';
import {
  AwaitingParty,
  AwaitingRoles,
  CaseOutcome,
  CasePriority,
  CaseStage,
  ChildAtRisk,
  DataCountry,
  NextDeadlineAt,
  NextDeadlineName,
  StageEnteredAt,
  SuspectCountry,
} from '../search-attributes';
import type { Tip } from '../tip';
import type { Transition } from '../requests/machines';
import type { Outcome, Party, Role, Stage } from '../vocabulary';

/**
 * A step of the case that belongs to no stage: a route decision, the closing (release, index), or the
 * compensations of a withdrawal. Kept in the record so that a retry resumes exactly there.
 */
export type PendingStep = { decide: 'evidence-route' | 'suspect-route' } | { close: Outcome; reason: string } | { compensate: true };
/** Where the case's loop goes next: a stage, or a step of its own. */
export type Next = Stage | PendingStep;

/** What a step of the loop is, in words (the status says what a retry will do). */
export function describeNext(n: Next): string {
  if (typeof n === 'string') return n;
  if ('decide' in n) return n.decide;
  if ('close' in n) return `closing as ${n.close}`;
  return 'the withdrawal’s compensations';
}

/** Who gave a human input: the person, the role they acted in, their verified subject when known. */
export interface Person {
  actor: string;
  role: Role;
  actorId?: string | undefined;
}

/** The fields the status query shows as they are kept; the rest of the record is the workflow's own. */
type StatusFields = Pick<
  CaseStatus,
  | 'stage'
  | 'outcome'
  | 'outcomeReason'
  | 'priority'
  | 'suspectCountry'
  | 'dataCountry'
  | 'awaiting'
  | 'waitingFor'
  | 'stageEnteredAt'
  | 'deadlines'
  | 'requests'
  | 'linkedCases'
  | 'preservation'
  | 'warrantApplications'
>;

export interface DisseminatedFrom {
  caseId: string;
  /** The referral unit that disseminated it. */
  unit: string;
  reason: string;
  /**
   * The grade decided in the referral case (e.g. KIRAT high), if any, and its priority. `by`: who decided it
   * (a person, `assessment`, or `pending` while an imminent-danger flag waited for an analyst); absent in
   * inputs from before the handover.
   */
  grade?: { scale: string; value: string; by?: string };
  priority: number | null;
  /** The child's safeguarding the referral case opened: it goes on under its own workflow, now the force's to follow. */
  safeguarding: string[];
}

export interface CaseState extends StatusFields {
  caseId: string;
  tip: Tip;
  profile: PolicyProfile;
  homeCountry: string;
  timeline: TimelineEntry[];
  /**
   * A step that failed for good, the stage the case was in, and where a retry resumes (a stage or a
   * step of its own). `resume` is absent in records carried from older code: the stage is resumed.
   */
  attention: { step: string; reason: string; resumeStage: Stage; resume?: Next } | null;
  /** A step of the case's own in progress (see PendingStep). Absent in records carried from older code. */
  pendingStep?: PendingStep;
  /** Closing or compensation steps a person chose to close the case without (after they failed for good). */
  skippedSteps?: string[];
  /** The unit that opened the case and owns it. Absent in cases opened before units. */
  unit?: string;
  /** Retries of each step a coordinator asked for: part of the step's idempotency key. */
  retries: Record<string, number>;
  /** The current search warrant, once granted. */
  warrant: { warrantId: string; grantedAt: string; scheduledFor?: string } | null;
  /** The case follows its home country's law (patch home-country-law, decided when it opened). Absent: US rules. */
  homeCountryLaw?: boolean;
  /**
   * Opened in the deployment's referral unit (patch nca-dissemination): graded and disseminated to a force, not
   * investigated here. Absent in every other case.
   */
  referral?: { unit: string };
  /** The referrals bureau's decision: the force or regional unit, why, who, and the force's case it started. */
  dissemination?: { unit: string; reason: string; actor: string; role: Role; at: string; forceCaseId: string; started?: boolean };
  /** A force's case started by a referral case's dissemination. */
  disseminatedFrom?: DisseminatedFrom;
  /**
   * Patch safeguarding-handover: this force's case took over from the referral — the child's safeguarding
   * tracks it opened (they report here) and its decided grade. Absent in every other case.
   */
  takenOver?: { safeguarding: string[] };
  /** The suspect's premises were searched under a warrant (a UK agency's case: the arrest is made on the search). */
  premisesSearched?: boolean;
  /** The latest amended application text is not kept here: it goes to the court and the timeline only. */
  pendingAmendment: boolean;
  jurisdictionReminderSent: boolean;
  jurisdictionEscalated: boolean;
  emergencyDone: boolean;
  filesReviewed: boolean;
  evidenceInHand: boolean;
  /** The route policy gave for the evidence (a refused direct order falls back to MLAT). Absent in runs carried from older code. */
  evidenceRoute?: EvidenceRoute;
  suspectRoute?: SuspectRoute;
  /** The request the current stage waits on: its `awaiting` is the case's. */
  currentRequest?: string | null;
  arrestWarrantId: string | null;
  /** A withdrawal, or a coordinator's closing of a stuck case (outcome UNRESOLVED); compensations run for both. */
  withdrawal: { actor: string; role: Role; reason: string; outcome?: 'WITHDRAWN' | 'UNRESOLVED' } | null;
  /** Follow-ups sent per request id (part of each follow-up's idempotency key). Absent in runs carried from older code. */
  followUps?: Record<string, number>;
  runs: number;
  /** The update ids of the inputs this run applied, and those the run before it applied (workflows/case/register-input.ts). Absent in records from before. */
  runInputIds?: string[];
  previousRunInputIds?: string[];
  // ---- Before the warrant (issue 14). All absent in records carried from older code.
  /** The imminent-danger check: flagged by the system at triage, decided by an analyst (or a manager once escalated). */
  danger?: DangerCheckStatus;
  grade?: GradeStatus;
  /** Safeguarding tracks to open beside the case (the side loop opens them at once) and how many were opened. Present: the case publishes ChildAtRisk. */
  safeguarding?: { pending: SafeguardingOpening[]; opened: number; superseded?: string[] };
  /** Why a person let the case close while a child's safeguarding goes on. */
  closeWhileSafeguarding?: { reason: string; actor: string; role: Role; at: string };
  subscriber?: SubscriberRecord;
  warrantReturn?: WarrantReturnRecord;
  // ---- Patch legal-process-already-served. Absent in records carried from older code.
  /** The assessment's flags for the analyst: codes only (stages/prior-process.ts `flagCodes`), never tip content. */
  flags?: string[];
  /** Legal process already served before the tip came (NCMEC `lawEnforcement`), as triage read it. */
  priorProcess?: PriorProcess;
  // ---- After the arrest (issue 15). Absent in records carried from older code, and until the arrest.
  custody?: CustodyRecord;
  // ---- Patch documents-for-every-request. Absent in records carried from older code.
  /** The documents the requests the case runs itself generated: ids, versions, hashes and approvals, never content. */
  documents?: DocumentSummary[];
}

/** NCMEC's `lawEnforcement` as the case acts on it. The agency's name and case number: timeline and status only, never logs or alerts. */
export interface PriorProcess {
  agency: string;
  caseNumber?: string;
  domestic: boolean;
  /** Where international process came from, when the report says. */
  country?: string;
  /** The subscriber records are that agency's: the case served none and waits in JURISDICTION for a coordinator. */
  subscriberFromAgency: boolean;
  /** Where the assessment had placed the suspect, before the jurisdiction was left to the coordinator. */
  geolocatedTo?: string | null;
}

/** The custody and charging record: what the status shows, and which missed clocks were alerted. */
export interface CustodyRecord extends CustodyStatus {
  /** `name@dueAt` of every clock already alerted as missed (a clock moved by an extension may be missed again). */
  alerted: string[];
  /** The clocks were set (on the first entry into CUSTODY; a retry does not set them again). */
  started?: boolean;
}

/** A child's safeguarding the case is to open beside it. */
export interface SafeguardingOpening {
  reason: 'imminent-danger' | 'child-identified' | 'child-at-risk';
  identified: boolean;
  urgent: boolean;
  /** Who asked: a person, or `system:casebridge` for a flag. */
  by: string;
  why: string;
}

/** The address subscriber identification asks about, from the tip. */
export interface SubscriberTarget {
  ipAddress: string;
  at?: string;
  port?: number;
  countryHint?: string;
}

/** Subscriber identification as the case keeps it: what the status shows, and where the stage resumes. */
export interface SubscriberRecord extends SubscriberStatus {
  target: SubscriberTarget;
  /** Where the assessment had placed the suspect before the subscriber records were asked for. */
  geolocatedTo?: string | null;
  /** The assigning provider is abroad: no domestic process reaches it. */
  abroad?: boolean;
  /** The retention check is done (the deployment policy was read). */
  retentionChecked?: boolean;
  emergencyTried?: boolean;
  /** A § 2703(d) order applied for on these facts, not yet filed. */
  orderFacts?: string;
  /** When the provider said it will answer the process served. */
  answersAt?: string;
  /** A lapse of the logs was alerted. */
  lapseAlerted?: boolean;
  /** Authorisations renewed (UK). */
  renewals?: number;
}

export interface WarrantReturnRecord extends WarrantReturnStatus {
  /** The return a coordinator verified, to be filed with the court by the side loop. */
  filing?: { inventory: string; items: number; actor: string };
  returnAlerted?: boolean;
  /** The review due date already alerted (a court's extension gives a new one). */
  reviewAlertedFor?: string;
}

/**
 * The case's safeguarding tracks still open (not settled in their machine), or about to open. A track
 * whose workflow stopped on a failed step (attention) still counts — the child is not known to be safe —
 * until a new track for the child supersedes it.
 */
export function openSafeguarding(s: CaseState): string[] {
  const superseded = s.safeguarding?.superseded ?? [];
  const open = s.requests
    .filter((r) => r.kind === 'safeguarding' && !isTerminal(r.kind, r.status) && !superseded.includes(r.requestId))
    .map((r) => r.requestId);
  return [...open, ...(s.safeguarding?.pending ?? []).map((_, i) => `(opening ${i + 1})`)];
}

export function newCaseState(caseId: string, tip: Tip, profile: PolicyProfile, homeCountry: string, now: Date, unit?: string): CaseState {
  return {
    caseId,
    ...(unit ? { unit } : {}),
    tip,
    profile,
    homeCountry,
    stage: 'INTAKE',
    outcome: null,
    outcomeReason: null,
    priority: null,
    suspectCountry: null,
    dataCountry: null,
    awaiting: 'assessment',
    waitingFor: 'the assessment of the tip',
    stageEnteredAt: now.toISOString(),
    deadlines: [],
    requests: [],
    timeline: [],
    linkedCases: [],
    preservation: null,
    attention: null,
    retries: {},
    warrantApplications: 0,
    warrant: null,
    pendingAmendment: false,
    jurisdictionReminderSent: false,
    jurisdictionEscalated: false,
    emergencyDone: false,
    filesReviewed: false,
    evidenceInHand: false,
    arrestWarrantId: null,
    withdrawal: null,
    runs: 1,
  };
}

const SYSTEM = 'system:casebridge';

/** Operations on the record; every change a reader should see lands in the timeline too. */
export class CaseRecord {
  constructor(readonly s: CaseState) {}

  now(): string {
    return new Date().toISOString();
  }

  log(kind: TimelineEntry['kind'], detail: string, actor = SYSTEM, role?: Role): void {
    this.s.timeline.push({ at: this.now(), kind, stage: this.s.stage, actor, ...(role ? { role } : {}), detail });
  }

  /** A person's input, recorded with who gave it (the verified subject too, when it came through the API). */
  input(kind: TimelineEntry['kind'], detail: string, by: Person): void {
    this.s.timeline.push({ at: this.now(), kind, stage: this.s.stage, actor: by.actor, ...(by.actorId ? { actorId: by.actorId } : {}), role: by.role, detail });
  }

  enterStage(stage: Stage, awaiting: Party | null, waitingFor: string | null): void {
    const changed = stage !== this.s.stage;
    this.s.awaiting = awaiting;
    this.s.waitingFor = waitingFor;
    if (changed) {
      this.s.stage = stage;
      this.s.stageEnteredAt = this.now();
      this.log('stage', `entered ${stage}${waitingFor ? `; waiting for ${waitingFor}` : ''}`);
    }
    this.publish();
  }

  await(awaiting: Party | null, waitingFor: string | null): void {
    this.s.awaiting = awaiting;
    this.s.waitingFor = waitingFor;
    this.publish();
  }

  setDeadline(name: string, dueAtMs: number, source: string, requestId?: string): void {
    this.s.deadlines = this.s.deadlines.filter((d) => d.name !== name);
    const dueAt = new Date(dueAtMs).toISOString();
    this.s.deadlines.push({ name, dueAt, stage: this.s.stage, source, ...(requestId ? { requestId } : {}) });
    this.log('deadline', `${name} due ${dueAt} (${source})`);
    this.publish();
  }

  clearDeadline(name: string): void {
    const before = this.s.deadlines.length;
    this.s.deadlines = this.s.deadlines.filter((d) => d.name !== name);
    if (this.s.deadlines.length !== before) this.publish();
  }

  deadline(name: string): number | undefined {
    const d = this.s.deadlines.find((x) => x.name === name);
    return d ? Date.parse(d.dueAt) : undefined;
  }

  /** `workflowId`: the child workflow that runs the request (and takes its responses). */
  openRequest(requestId: string, kind: RequestKind, awaiting: Party, detail: string, status = 'SENT', workflowId?: string): void {
    if (!this.s.requests.some((r) => r.requestId === requestId)) {
      this.s.requests.push({ requestId, kind, status, awaiting, openedAt: this.now(), ...(workflowId ? { workflowId } : {}) });
    }
    this.log('request', `${requestId} (${kind}) ${detail}`);
  }

  request(requestId: string): RequestSummary | undefined {
    return this.s.requests.find((x) => x.requestId === requestId);
  }

  /**
   * A system's answer (an activity's result) moves the request along its kind's machine. Returns false,
   * changing nothing, when the machine has no such row from where the request now is (a person's
   * response may have moved it meanwhile): the caller decides what that means.
   */
  updateRequest(requestId: string, status: string, detail: string, reference?: string): boolean {
    const r = this.request(requestId);
    const t = r && systemTransition(r, status);
    if (!r || !t) return false;
    // The answer comes from the party the request was waiting on.
    const from = r.awaiting ? `system:${r.awaiting}` : SYSTEM;
    applySystem(r, t, { reference, reason: detail || undefined });
    this.log('response', `${requestId}: ${status}${detail ? ` — ${detail}` : ''}`, from);
    return true;
  }

  /** A person's response, already checked against the machine by the update's validator. */
  recordResponse(r: RequestSummary, t: Transition, u: RecordedResponse & Person): void {
    this.input('response', applyResponse(r, t, u), u);
  }

  close(outcome: Outcome, reason: string): void {
    this.s.outcome = outcome;
    this.s.outcomeReason = reason;
    this.s.deadlines = [];
    this.enterStage('CLOSED', null, null);
    this.log('stage', `closed as ${outcome}: ${reason}`);
    this.publish();
  }

  /** The case's deadlines and, while it is preserved, the preservation's expiry. */
  private deadlinesShown(): CaseStatus['deadlines'] {
    const s = this.s;
    const deadlines = [...s.deadlines];
    // A closed case has asked for release; the child's confirmation may come after the case ended.
    if (s.stage !== 'CLOSED' && s.preservation?.expiresAt && (s.preservation.state === 'PRESERVED' || s.preservation.state === 'RENEWED')) {
      deadlines.push({ name: 'preservation-expiry', dueAt: s.preservation.expiresAt, stage: s.stage, source: 'preservation child workflow' });
    }
    return deadlines;
  }

  status(): CaseStatus {
    const s = this.s;
    const deadlines = this.deadlinesShown().sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    const person = s.tip.personOrUserReported;
    return {
      caseId: s.caseId,
      suspect: { espIdentifier: person.espIdentifier, screenName: person.screenName ?? null, ipAddresses: person.ipCaptureEvent.map((e) => e.ipAddress) },
      stage: s.stage,
      outcome: s.outcome,
      outcomeReason: s.outcomeReason,
      priority: s.priority,
      suspectCountry: s.suspectCountry,
      dataCountry: s.dataCountry,
      awaiting: s.awaiting,
      waitingFor: s.waitingFor,
      stageEnteredAt: s.stageEnteredAt,
      deadlines,
      requests: s.requests.map((r) => ({ ...r })),
      linkedCases: [...s.linkedCases],
      preservation: s.preservation ? { ...s.preservation } : null,
      attention: s.attention
        ? { step: s.attention.step, reason: s.attention.reason, resumes: describeNext(s.attention.resume ?? s.attention.resumeStage) }
        : null,
      warrantApplications: s.warrantApplications,
      ...(s.custody ? { custody: custodyStatus(s.custody) } : {}),
      ...(s.flags ? { flags: [...s.flags] } : {}),
      ...(s.safeguarding || s.danger || s.grade || s.subscriber || s.warrantReturn
        ? {
            dangerCheck: s.danger ? copy(s.danger) : null,
            grade: s.grade ? { ...s.grade } : null,
            childAtRisk: openSafeguarding(s).length > 0,
            subscriber: s.subscriber ? subscriberStatus(s.subscriber) : null,
            warrantReturn: s.warrantReturn ? warrantReturnStatus(s.warrantReturn) : null,
          }
        : {}),
    };
  }

  /**
   * From patch batched-search-attributes on (set once at the start of a run), the managers' view is
   * sent once per burst of work — one upsert per workflow task, at most — and only the keys that
   * changed. Runs started before it upsert every key on every change, as they were recorded.
   */
  batched = false;
  /** From patch awaiting-roles on (set once at the start of a run): the AwaitingRoles attribute is kept too. */
  awaitingRoles = false;
  private readonly sent = new Map<string, string>();
  private flushPending = false;

  /** Managers' view of the case, kept current. Never personal data: stages, codes, parties, times. */
  publish(): void {
    if (!this.batched) {
      upsertSearchAttributes(this.searchAttributes());
      return;
    }
    if (this.flushPending) return;
    this.flushPending = true;
    // Runs once the current burst of work yields, so every change made in it goes in one upsert.
    void Promise.resolve().then(() => {
      this.flushPending = false;
      const changed = this.searchAttributes().filter(({ key, value }) => {
        const v = value instanceof Date ? value.toISOString() : JSON.stringify(value);
        if (this.sent.get(key.name) === v) return false;
        this.sent.set(key.name, v);
        return true;
      });
      if (changed.length > 0) upsertSearchAttributes(changed);
    });
  }

  private searchAttributes(): SearchAttributeUpdatePair[] {
    const s = this.s;
    let next: { name: string; dueAt: string } | undefined;
    for (const d of this.deadlinesShown()) if (!next || d.dueAt < next.dueAt) next = d;
    return [
      { key: CaseStage, value: s.stage },
      { key: CaseOutcome, value: s.outcome ?? null },
      { key: CasePriority, value: s.priority ?? null },
      { key: SuspectCountry, value: s.suspectCountry ?? null },
      { key: DataCountry, value: s.dataCountry ?? null },
      { key: AwaitingParty, value: s.awaiting ?? null },
      { key: StageEnteredAt, value: new Date(s.stageEnteredAt) },
      { key: NextDeadlineAt, value: next ? new Date(next.dueAt) : null },
      { key: NextDeadlineName, value: next?.name ?? null },
      // Only cases that know of safeguarding set it: an older case's commands stay as they were recorded.
      ...(this.s.safeguarding ? [{ key: ChildAtRisk, value: openSafeguarding(this.s).length > 0 }] : []),
      ...(this.awaitingRoles ? [{ key: AwaitingRoles, value: this.rolesWaitedFor() }] : []),
    ];
  }

  /** Null rather than an empty list, so a case with nothing waiting for people drops out of every queue. */
  private rolesWaitedFor(): string[] | null {
    const s = this.s;
    const roles = awaitingRoles(
      s.stage === 'CLOSED' ? null : s.awaiting,
      s.requests.map((r) => ({ ...r, closed: s.stage === 'CLOSED' || isTerminal(r.kind, r.status) })),
    );
    return roles.length > 0 ? roles : null;
  }
}

/** What the status shows of subscriber identification (not where the stage resumes). */
function subscriberStatus(r: SubscriberRecord): SubscriberStatus {
  const { requestId, provider, instrument, outcome, reason, country, region, city, address, logsKeptUntil, preservation } = r;
  const shown: SubscriberStatus = { requestId, provider, instrument };
  for (const [k, v] of Object.entries({ outcome, reason, country, region, city, address, logsKeptUntil, preservation })) {
    if (v !== undefined) (shown as unknown as Record<string, unknown>)[k] = copy(v);
  }
  return shown;
}

function custodyStatus(r: CustodyRecord): CustodyStatus {
  const { alerted: _alerted, started: _started, ...shown } = r;
  return copy(shown);
}

function warrantReturnStatus(r: WarrantReturnRecord): WarrantReturnStatus {
  const { filing: _filing, returnAlerted: _a, reviewAlertedFor: _b, ...shown } = r;
  return copy(shown);
}

/** A deep copy of plain data (the status never hands out the record's own objects). */
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
