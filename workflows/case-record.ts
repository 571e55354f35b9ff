/**
 * The case's durable record inside the workflow: stage, deadlines, requests and the append-only
 * timeline, and the search attributes managers filter by. Everything here is plain data so that
 * continue-as-new can carry it whole into the next run.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { EvidenceRoute, PolicyProfile, SuspectRoute } from './policy';
import { systemTransition, type Transition } from './requests';
import type { Tip } from './tip';
import type {
  CaseStatus,
  Outcome,
  Party,
  RequestKind,
  RequestSummary,
  Role,
  Stage,
  TimelineEntry,
} from './messages';
import {
  AwaitingParty,
  CaseOutcome,
  CasePriority,
  CaseStage,
  DataCountry,
  NextDeadlineAt,
  NextDeadlineName,
  StageEnteredAt,
  SuspectCountry,
} from './search-attributes';

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

export interface CaseState extends StatusFields {
  caseId: string;
  tip: Tip;
  profile: PolicyProfile;
  homeCountry: string;
  timeline: TimelineEntry[];
  /** A step that failed for good, and the stage to resume when a coordinator retries it. */
  attention: { step: string; reason: string; resumeStage: Stage } | null;
  /** Retries of each step a coordinator asked for: part of the step's idempotency key. */
  retries: Record<string, number>;
  /** The current search warrant, once granted. */
  warrant: { warrantId: string; grantedAt: string; scheduledFor?: string } | null;
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
}

export function newCaseState(caseId: string, tip: Tip, profile: PolicyProfile, homeCountry: string, now: Date): CaseState {
  return {
    caseId,
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

  /** A system's answer (an activity's result) moves the request along its kind's machine. */
  updateRequest(requestId: string, status: string, detail: string, reference?: string): void {
    const r = this.request(requestId);
    if (!r) throw new Error(`no request ${requestId}`);
    const t = systemTransition(r, status);
    // A missing row is a bug in this code, not in the input: fail the task so a fixed worker resumes it.
    if (!t) throw new Error(`request ${requestId} (${r.kind}) cannot move from ${r.status} to ${status}: no such row in its state machine`);
    // The answer comes from the party the request was waiting on.
    const from = r.awaiting ? `system:${r.awaiting}` : SYSTEM;
    r.status = status;
    r.awaiting = t.awaiting === undefined ? r.awaiting : t.awaiting;
    if (reference) r.reference = reference;
    if (detail) r.reason = detail;
    this.log('response', `${requestId}: ${status}${detail ? ` — ${detail}` : ''}`, from);
  }

  /** A person's response, already checked against the machine by the update's validator. */
  recordResponse(r: RequestSummary, t: Transition, u: { outcome: string; actor: string; role: Role; reason?: string | undefined; reference?: string | undefined; note?: string | undefined }): void {
    const before = r.status;
    r.status = t.to;
    r.awaiting = t.awaiting === undefined ? r.awaiting : t.awaiting;
    if (u.reference) r.reference = u.reference;
    if (u.reason) r.reason = u.reason;
    const extras = [u.reason && `reason: ${u.reason}`, u.reference && `reference: ${u.reference}`, u.note && `note: ${u.note}`].filter(Boolean).join('; ');
    this.log('response', `${r.requestId}: ${u.outcome} (${before} → ${t.to})${extras ? ` — ${extras}` : ''}`, u.actor, u.role);
  }

  close(outcome: Outcome, reason: string): void {
    this.s.outcome = outcome;
    this.s.outcomeReason = reason;
    this.s.deadlines = [];
    this.enterStage('CLOSED', null, null);
    this.log('stage', `closed as ${outcome}: ${reason}`);
    this.publish();
  }

  status(): CaseStatus {
    const s = this.s;
    const deadlines = [...s.deadlines];
    // A closed case has asked for release; the child's confirmation may come after the case ended.
    if (s.stage !== 'CLOSED' && s.preservation?.expiresAt && (s.preservation.state === 'PRESERVED' || s.preservation.state === 'RENEWED')) {
      deadlines.push({ name: 'preservation-expiry', dueAt: s.preservation.expiresAt, stage: s.stage, source: 'preservation child workflow' });
    }
    deadlines.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
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
      attention: s.attention ? { step: s.attention.step, reason: s.attention.reason } : null,
      warrantApplications: s.warrantApplications,
    };
  }

  /** Managers' view of the case, kept current. Never personal data: stages, codes, parties, times. */
  publish(): void {
    const next = this.status().deadlines[0];
    upsertSearchAttributes([
      { key: CaseStage, value: this.s.stage },
      { key: CaseOutcome, value: this.s.outcome ?? null },
      { key: CasePriority, value: this.s.priority ?? null },
      { key: SuspectCountry, value: this.s.suspectCountry ?? null },
      { key: DataCountry, value: this.s.dataCountry ?? null },
      { key: AwaitingParty, value: this.s.awaiting ?? null },
      { key: StageEnteredAt, value: new Date(this.s.stageEnteredAt) },
      { key: NextDeadlineAt, value: next ? new Date(next.dueAt) : null },
      { key: NextDeadlineName, value: next?.name ?? null },
    ]);
  }
}
