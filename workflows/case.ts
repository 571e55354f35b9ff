/**
 * One case, one workflow: the legal process from a CyberTipline tip to an arrest, an extradition or
 * a transfer of proceedings, stage by stage as in LEGAL-PROCESS.md — intake, triage, jurisdiction,
 * emergency disclosure, preservation (a child workflow beside the case, at home or abroad), the
 * file-view gate; the evidence by the route policy gives for where it is held (search warrant, CLOUD
 * Act order, EU production order, MLAT as a child workflow); then the suspect: arrest warrant and
 * arrest at home, extradition (a child workflow) or transfer of proceedings abroad. Every duration
 * comes from the policy tables, scaled by the case's profile. Human inputs arrive as validated
 * updates; the case can wait months or years and survives continue-as-new with its whole record.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { CallContext } from '../activities/ports';
import { CaseRecord, newCaseState, type CaseState } from './case-record';
import {
  AddNoteSchema,
  AmendAndReapplySchema,
  CloseCaseSchema,
  RespondSchema,
  ResolveJurisdictionSchema,
  RetryStepSchema,
  WithdrawSchema,
  addNote,
  amendAndReapply,
  closeCase,
  firstIssue,
  resolveJurisdiction,
  respond,
  retryStep,
  statusQuery,
  timelineQuery,
  withdraw,
  type CaseStatus,
  type Outcome,
  type RequestSummary,
  type Stage,
} from './messages';
import { extraditionWorkflow } from './extradition';
import { mlatWorkflow } from './mlat';
import {
  COUNTRIES,
  DAY_MS,
  INSTRUMENTS,
  evidenceRoute,
  scaledMs,
  suspectRoute,
  type EvidenceRoute,
  type Period,
  type PolicyProfile,
  type Rule,
} from './policy';
import { requestChanged } from './request-child';
import { preservationChanged, preservationWorkflow, preservationWorkflowId, releasePreservation, type PreservationInstrument } from './preservation';
import { checkResponse, isTerminal, systemTransition, WITHDRAWN, type RequestKind } from './requests';
import { SYSTEM_ACTIVITY_OPTIONS } from './retry-policies';
import { suspectIdentifiers, type Tip } from './tip';
import { z } from 'zod';

/** Changes to running cases' logic, by patch id (see test/histories for the histories each must replay). */
export const PATCHES = {
  alertOnWarrantExpiry: 'alert-on-warrant-expiry',
} as const;

export interface CaseInput {
  caseId: string;
  tip: Tip;
  profile: PolicyProfile;
  homeCountry: string;
  /** Continue-as-new once history reaches this many events (Temporal's suggestion applies anyway). */
  continueAsNewAfterEvents?: number;
  /** The record carried over from the previous run. */
  carried?: CaseState;
}

export interface CaseResult {
  caseId: string;
  outcome: string;
  reason: string;
}

const assessment = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.assessment);
const provider = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.provider);
const court = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.court);
const agency = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.agency);
const orders = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.orders);
const foreignPartner = proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.foreignPartner);

/** Thrown inside a stage to leave it: the case was withdrawn, a step needs a person, or the run is full. */
class Withdrawn extends Error {}
class NeedsAttention extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}
class RunIsFull extends Error {}

export async function caseWorkflow(input: CaseInput): Promise<CaseResult> {
  const state = input.carried ?? newCaseState(input.caseId, input.tip, input.profile, input.homeCountry, new Date());
  if (input.carried) state.runs++;
  const rec = new CaseRecord(state);
  const caseId = state.caseId;
  const ms = (period: { days?: number; hours?: number }) => scaledMs(period, state.profile);

  // ---- Human inputs: validated before anything is written; accepted ones go to the timeline. ----
  const validated = <T>(schema: z.ZodType<T>, payload: unknown): T => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new Error(firstIssue(parsed.error));
    return parsed.data;
  };
  const requireOpen = () => {
    if (state.stage === 'CLOSED') throw new Error(`case ${caseId} is closed (${state.outcome})`);
  };

  setHandler(statusQuery, () => rec.status());
  setHandler(timelineQuery, () => state.timeline.map((e) => ({ ...e })));

  setHandler(
    resolveJurisdiction,
    (raw): CaseStatus => {
      const u = ResolveJurisdictionSchema.parse(raw);
      state.suspectCountry = u.suspectCountry;
      if (u.dataCountry) state.dataCountry = u.dataCountry;
      rec.log('input', `jurisdiction resolved: suspect in ${u.suspectCountry}${u.dataCountry ? `, data in ${u.dataCountry}` : ''}${u.reason ? ` — ${u.reason}` : ''}`, u.actor, u.role);
      rec.publish();
      return rec.status();
    },
    {
      validator: (raw) => {
        requireOpen();
        const u = validated(ResolveJurisdictionSchema, raw);
        if (state.stage !== 'JURISDICTION') throw new Error(`case ${caseId} is in stage ${state.stage}, not JURISDICTION: its jurisdiction is already settled`);
        if (u.role === 'liaison') throw new Error('role: a coordinator or a manager resolves jurisdiction');
      },
    },
  );

  setHandler(
    amendAndReapply,
    (raw): CaseStatus => {
      const u = AmendAndReapplySchema.parse(raw);
      state.pendingAmendment = true;
      // The amendment text goes to the court with the application and into the timeline, nowhere else.
      rec.log('input', `amended warrant application: ${u.amendment}`, u.actor, u.role);
      return rec.status();
    },
    {
      validator: (raw) => {
        requireOpen();
        const u = validated(AmendAndReapplySchema, raw);
        if (u.role !== 'coordinator') throw new Error('role: only a coordinator amends and reapplies for a warrant');
        if (state.stage !== 'WARRANT' || state.awaiting !== 'coordinator' || state.pendingAmendment) {
          throw new Error(`case ${caseId} is in stage ${state.stage}: there is no denied or expired warrant to reapply for`);
        }
        const allowed = 1 + INSTRUMENTS.warrant.reapplications.value;
        if (state.warrantApplications >= allowed) {
          throw new Error(`case ${caseId} has used all ${allowed} warrant applications (${INSTRUMENTS.warrant.reapplications.source}); withdraw it or escalate`);
        }
      },
    },
  );

  setHandler(
    addNote,
    (raw): CaseStatus => {
      const u = AddNoteSchema.parse(raw);
      rec.log('note', u.text, u.actor, u.role);
      return rec.status();
    },
    { validator: (raw) => (requireOpen(), void validated(AddNoteSchema, raw)) },
  );

  setHandler(
    withdraw,
    (raw): CaseStatus => {
      const u = WithdrawSchema.parse(raw);
      state.withdrawal = { actor: u.actor, role: u.role, reason: u.reason };
      rec.log('input', `withdrawal requested: ${u.reason}`, u.actor, u.role);
      return rec.status();
    },
    {
      validator: (raw) => {
        requireOpen();
        const u = validated(WithdrawSchema, raw);
        if (u.role === 'liaison') throw new Error('role: a coordinator or a manager withdraws a case');
        if (state.withdrawal) throw new Error(`case ${caseId} is already being withdrawn`);
      },
    },
  );

  setHandler(
    retryStep,
    (raw): CaseStatus => {
      const u = RetryStepSchema.parse(raw);
      const step = state.attention!.step;
      state.retries[step] = (state.retries[step] ?? 0) + 1;
      rec.log('input', `retry of ${step} requested${u.reason ? `: ${u.reason}` : ''}`, u.actor, u.role);
      const resume = state.attention!.resumeStage;
      state.attention = null;
      rec.enterStage(resume, null, null);
      return rec.status();
    },
    {
      validator: (raw) => {
        requireOpen();
        const u = validated(RetryStepSchema, raw);
        if (u.role !== 'coordinator') throw new Error('role: only a coordinator retries a failed step');
        if (state.stage !== 'NEEDS_ATTENTION' || !state.attention) throw new Error(`case ${caseId} is in stage ${state.stage}: no failed step to retry`);
      },
    },
  );

  setHandler(
    closeCase,
    (raw): CaseStatus => {
      const u = CloseCaseSchema.parse(raw);
      state.withdrawal = { actor: u.actor, role: u.role, reason: u.reason, outcome: 'UNRESOLVED' };
      rec.log('input', `closure of the case requested (${state.attention?.step ?? 'no step'} cannot be completed): ${u.reason}`, u.actor, u.role);
      return rec.status();
    },
    {
      validator: (raw) => {
        requireOpen();
        const u = validated(CloseCaseSchema, raw);
        if (u.role === 'liaison') throw new Error('role: a coordinator or a manager closes a case');
        if (state.stage !== 'NEEDS_ATTENTION') throw new Error(`case ${caseId} is in stage ${state.stage}, not NEEDS_ATTENTION: to end it, withdraw it with a reason`);
        if (state.withdrawal) throw new Error(`case ${caseId} is already closing`);
      },
    },
  );

  setHandler(
    respond,
    (raw): RequestSummary => {
      const u = RespondSchema.parse(raw);
      const r = rec.request(u.requestId)!;
      const checked = checkResponse(r, u);
      if (!checked.ok) throw ApplicationFailure.nonRetryable(checked.reason); // the validator ran on the same state: unreachable
      rec.recordResponse(r, checked.transition, u);
      if (state.currentRequest === r.requestId && r.awaiting) state.awaiting = r.awaiting;
      rec.publish();
      return { ...r };
    },
    {
      validator: (raw) => {
        requireOpen();
        const u = validated(RespondSchema, raw);
        const r = rec.request(u.requestId);
        if (!r) {
          const open = state.requests.filter((x) => !isTerminal(x.kind, x.status)).map((x) => x.requestId);
          throw new Error(`requestId: case ${caseId} has no request ${u.requestId}${open.length ? ` (open: ${open.join(', ')})` : ' (it has no open request)'}`);
        }
        if (r.workflowId && r.workflowId !== workflowInfo().workflowId) {
          throw new Error(`requestId: ${u.requestId} is run by its own workflow ${r.workflowId}: send the response there (casebridge respond does)`);
        }
        const checked = checkResponse(r, u);
        if (!checked.ok) throw new Error(checked.reason);
      },
    },
  );

  // Reports from the child workflows that run requests (MLAT, extradition): the case keeps the one view.
  setHandler(requestChanged, ({ request, entry, deadlines }) => {
    const r = rec.request(request.requestId);
    if (!r || isTerminal(r.kind, r.status)) return; // withdrawn here already: a late report changes nothing
    Object.assign(r, request);
    if (entry) state.timeline.push({ ...entry, stage: state.stage });
    const settled = isTerminal(r.kind, r.status) || r.attention !== undefined;
    const known = new Set(state.deadlines.map((d) => d.name));
    state.deadlines = state.deadlines.filter((d) => d.requestId !== r.requestId);
    for (const d of settled ? [] : deadlines) {
      state.deadlines.push({ ...d, stage: state.stage });
      if (!known.has(d.name)) rec.log('deadline', `${d.name} due ${d.dueAt} (${d.source})`);
    }
    if (state.currentRequest === r.requestId) state.awaiting = r.awaiting ?? state.awaiting;
    rec.publish();
  });

  setHandler(preservationChanged, (p) => {
    const { detail, ...status } = p;
    state.preservation = status;
    const request = state.requests.find((r) => r.kind === 'preservation');
    if (request) {
      request.status = status.state;
      request.awaiting = status.state === 'PRESERVED' || status.state === 'RENEWED' ? null : request.awaiting;
    }
    rec.log('response', `preservation: ${detail}`, 'system:provider');
    rec.publish();
  });

  // ---- Waiting, stepping, and the ways out of a stage. ----
  const runIsFull = () =>
    workflowInfo().continueAsNewSuggested ||
    (input.continueAsNewAfterEvents !== undefined && workflowInfo().historyLength >= input.continueAsNewAfterEvents);

  /** Waits for `done` until `untilMs` (absolute); leaves the stage on withdrawal or a full run. */
  async function waitUntil(done: () => boolean, untilMs?: number): Promise<boolean> {
    const interrupted = () => state.withdrawal !== null || runIsFull();
    const ok = untilMs === undefined
      ? await condition(() => done() || interrupted())
      : await condition(() => done() || interrupted(), Math.max(1, untilMs - Date.now()));
    if (state.withdrawal) throw new Withdrawn();
    if (done()) return true;
    if (ok && runIsFull()) throw new RunIsFull();
    return false;
  }

  /** One external call, keyed by case + step (+ the coordinator's retries of it). */
  async function step<T>(name: string, call: (ctx: CallContext) => Promise<T>): Promise<T> {
    if (state.withdrawal && !compensating) throw new Withdrawn();
    const retries = state.retries[name] ?? 0;
    const ctx: CallContext = { caseId, idempotencyKey: `${caseId}/${name}${retries > 0 ? `/retry-${retries}` : ''}` };
    try {
      return await call(ctx);
    } catch (err) {
      if (err instanceof ActivityFailure) {
        const cause = err.cause;
        const reason =
          cause instanceof ApplicationFailure && cause.nonRetryable
            ? cause.message
            : `gave up after the retry policy ran out: ${cause?.message ?? err.message}`;
        throw new NeedsAttention(name, reason);
      }
      throw err;
    }
  }

  // ---- The stages. Each is re-entrant: after continue-as-new or a retry it resumes from the record. ----

  async function intake(): Promise<Stage> {
    rec.log('stage', `case opened from CyberTipline report ${state.tip.ncmecReportNumber} (${state.tip.incidentSummary.incidentType})`);
    rec.setDeadline(
      'provider-retention',
      Date.parse(state.stageEnteredAt) + ms(INSTRUMENTS.providerRetention.value),
      INSTRUMENTS.providerRetention.source,
    );
    return 'TRIAGE';
  }

  async function triage(): Promise<Stage> {
    rec.enterStage('TRIAGE', 'assessment', 'the assessment of the tip');
    const a = await step('assess', (ctx) => assessment.assessTip(ctx, state.tip));
    state.priority = a.priority;
    state.dataCountry ??= a.dataCountry;
    state.suspectCountry ??= a.suspectCountry;
    rec.log('response', `assessed: ${a.criminal ? 'criminal' : 'not criminal'}, priority ${a.priority}, suspect in ${a.suspectCountry ?? 'unknown'}, data in ${a.dataCountry}`, 'system:assessment');
    if (!a.criminal) {
      rec.close('NO_ACTION', a.noActionReason ?? 'not criminal');
      return 'CLOSED';
    }
    const target = INSTRUMENTS.triageTarget[a.priority];
    rec.setDeadline('triage-target', Date.parse(state.stageEnteredAt) + ms(target.value), target.source);
    const { linkedCaseIds } = await step('deconflict', (ctx) => assessment.deconflict(ctx, suspectIdentifiers(state.tip)));
    for (const other of linkedCaseIds) {
      if (!state.linkedCases.includes(other)) {
        state.linkedCases.push(other);
        rec.log('link', `linked to open case ${other} on the same suspect identifiers (deconfliction)`);
      }
    }
    await startPreservation();
    return state.suspectCountry ? afterJurisdiction() : 'JURISDICTION';
  }

  async function startPreservation(): Promise<void> {
    if (state.preservation || !state.dataCountry) return;
    const instrument = preservationInstrument(state.dataCountry, state.homeCountry, new Date());
    if (!instrument) {
      rec.log('alert', `no preservation instrument for data held in ${state.dataCountry}: a liaison must arrange preservation`);
      return;
    }
    await startChild(preservationWorkflow, {
      workflowId: preservationWorkflowId(caseId),
      args: [{ caseId, provider: state.tip.reporter.espName, instrument, profile: state.profile }],
      // The case releases preservation itself; the child must outlive the case's continue-as-new.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    state.preservation = { workflowId: preservationWorkflowId(caseId), state: 'REQUESTED', renewalsUsed: 0 };
    rec.openRequest(`${caseId}/preservation`, 'preservation', 'provider', `${instrument} preservation requested from the provider`);
  }

  async function jurisdiction(): Promise<Stage> {
    rec.enterStage('JURISDICTION', state.jurisdictionEscalated ? 'manager' : 'coordinator', 'a decision on where the suspect is');
    const entered = Date.parse(state.stageEnteredAt);
    const { reminderAfter, escalateAfter } = INSTRUMENTS.jurisdiction;
    if (rec.deadline('jurisdiction-reminder') === undefined && !state.jurisdictionReminderSent) {
      rec.setDeadline('jurisdiction-reminder', entered + ms(reminderAfter.value), reminderAfter.source);
    }
    if (rec.deadline('jurisdiction-escalation') === undefined && !state.jurisdictionEscalated) {
      rec.setDeadline('jurisdiction-escalation', entered + ms(escalateAfter.value), escalateAfter.source);
    }
    const resolved = () => state.suspectCountry !== null;
    if (!state.jurisdictionReminderSent && !(await waitUntil(resolved, rec.deadline('jurisdiction-reminder')))) {
      await step('jurisdiction-reminder', (ctx) =>
        agency.alert(ctx, { to: 'coordinator', kind: 'jurisdiction-reminder', message: `case ${caseId}: the suspect's jurisdiction is still unresolved` }),
      );
      state.jurisdictionReminderSent = true;
      rec.clearDeadline('jurisdiction-reminder');
      rec.log('alert', 'reminder sent to the coordinator: jurisdiction unresolved');
    }
    if (!state.jurisdictionEscalated && !(await waitUntil(resolved, rec.deadline('jurisdiction-escalation')))) {
      await step('jurisdiction-escalation', (ctx) =>
        agency.alert(ctx, { to: 'manager', kind: 'jurisdiction-escalation', message: `case ${caseId}: jurisdiction unresolved past the escalation interval` }),
      );
      state.jurisdictionEscalated = true;
      rec.clearDeadline('jurisdiction-escalation');
      rec.log('alert', 'escalated to a manager: jurisdiction unresolved');
      rec.await('manager', 'a decision on where the suspect is (escalated)');
    }
    await waitUntil(resolved);
    rec.clearDeadline('jurisdiction-reminder');
    rec.clearDeadline('jurisdiction-escalation');
    await startPreservation();
    return afterJurisdiction();
  }

  function afterJurisdiction(): Stage {
    if (state.priority === 1 && !state.emergencyDone) return 'EMERGENCY_DISCLOSURE';
    return 'FILE_REVIEW';
  }

  async function emergencyDisclosure(): Promise<Stage> {
    rec.enterStage('EMERGENCY_DISCLOSURE', 'provider', 'the provider’s answer to an emergency disclosure request (§ 2702(b)(8))');
    const requestId = `${caseId}/emergency-disclosure`;
    rec.openRequest(requestId, 'emergency-disclosure', 'provider', 'sent to the provider under § 2702(b)(8)');
    const wait = INSTRUMENTS.emergencyDisclosure.wait;
    rec.setDeadline('emergency-disclosure', Date.parse(state.stageEnteredAt) + ms(wait.value), wait.source);
    const answer = await step('emergency-disclosure', (ctx) => provider.requestEmergencyDisclosure(ctx, { provider: state.tip.reporter.espName }));
    rec.clearDeadline('emergency-disclosure');
    rec.updateRequest(requestId, answer.disclosed ? 'DISCLOSED' : 'REFUSED', answer.reason ?? '');
    state.emergencyDone = true;
    return 'FILE_REVIEW';
  }

  async function fileReview(): Promise<Stage> {
    rec.enterStage('FILE_REVIEW', 'agency', 'review of the files the provider itself viewed');
    // United States v. Wilson: only files the provider viewed may be opened without a warrant.
    const viewed = state.tip.files.filter((f) => f.fileViewedByEsp).map((f) => f.fileId);
    const unviewed = state.tip.files.length - viewed.length;
    if (!state.filesReviewed && viewed.length > 0) {
      await step('review-viewed-files', (ctx) => agency.reviewFiles(ctx, { fileIds: viewed }));
      rec.log('response', `${viewed.length} file(s) viewed by the provider reviewed without a warrant`, 'system:agency');
    }
    if (unviewed > 0) rec.log('stage', `file-view gate: ${unviewed} file(s) not viewed by the provider need a warrant before anyone opens them (United States v. Wilson)`);
    state.filesReviewed = true;
    return evidenceStage();
  }

  // ---- The evidence, by the route the policy gives for where it is held. ----

  const EVIDENCE_STAGES: Record<EvidenceRoute, Stage> = {
    'domestic-warrant': 'WARRANT',
    'cloud-act-order': 'CLOUD_ACT_ORDER',
    'eu-production-order': 'EU_PRODUCTION_ORDER',
    mlat: 'MLAT',
    'foreign-evidence': 'FOREIGN_EVIDENCE',
  };

  function evidenceStage(): Stage {
    if (!state.evidenceRoute) {
      const routed = evidenceRoute({ dataCountry: state.dataCountry!, suspectCountry: state.suspectCountry, home: state.homeCountry, isoDate: rec.now() });
      state.evidenceRoute = routed.route;
      rec.log('stage', `evidence route: ${routed.why}`);
      if (routed.route !== 'domestic-warrant') rec.clearDeadline('triage-target'); // acted on: the request abroad starts now
    }
    return EVIDENCE_STAGES[state.evidenceRoute];
  }

  /** A refused direct order falls back to the treaty route. */
  function fallBackToMlat(why: string): Stage {
    state.evidenceRoute = 'mlat';
    rec.log('stage', `evidence route: ${why}; falling back to an MLAT request`);
    return 'MLAT';
  }

  /** The latest request of `kind`, unless it is settled or needed attention (a retry opens a new one). */
  function liveRequest(kind: RequestKind) {
    const r = [...state.requests].reverse().find((x) => x.kind === kind);
    return r && !isTerminal(r.kind, r.status) && r.attention === undefined ? r : undefined;
  }

  async function haveEvidence(detail: string): Promise<Stage> {
    state.evidenceInHand = true;
    state.currentRequest = null;
    rec.log('response', `evidence in hand: ${detail}`);
    await releaseChildPreservation('evidence is in hand');
    return suspectStage();
  }

  async function cloudActOrder(): Promise<Stage> {
    if (state.evidenceInHand) return suspectStage();
    rec.enterStage('CLOUD_ACT_ORDER', 'provider', `production by the provider in ${state.dataCountry} under a direct CLOUD Act order`);
    let r = liveRequest('cloud-act-order');
    if (!r) {
      const requestId = newRequestId('cloud-act-order');
      const { orderId } = await step(requestId.slice(caseId.length + 1), (ctx) =>
        orders.issueCloudActOrder(ctx, { requestId, country: state.dataCountry!, provider: state.tip.reporter.espName, asOf: rec.now() }),
      );
      rec.openRequest(requestId, 'cloud-act-order', 'provider', `order ${orderId} issued directly to ${state.tip.reporter.espName} in ${state.dataCountry}; a liaison records its answer`);
      rec.request(requestId)!.reference = orderId;
      r = rec.request(requestId)!;
    }
    state.currentRequest = r.requestId;
    const answered = await awaitAnswer(r.requestId, INSTRUMENTS.cloudActOrder.followUpEvery);
    if (answered.status === 'PRODUCED') return haveEvidence(`produced under CLOUD Act order ${answered.reference ?? ''}`.trim());
    return fallBackToMlat(`CLOUD Act order ${answered.requestId} ${answered.status.toLowerCase()}${answered.reason ? ` (${answered.reason})` : ''}`);
  }

  async function euProductionOrder(): Promise<Stage> {
    if (state.evidenceInHand) return suspectStage();
    const rules = INSTRUMENTS.euProductionOrder;
    const emergency = state.priority === 1;
    const produce = emergency ? rules.emergencyProduction : rules.production;
    const refusal = emergency ? rules.emergencyRefusalWindow : rules.refusalWindow;
    rec.enterStage('EU_PRODUCTION_ORDER', 'provider', `production by the provider in ${state.dataCountry} under an EU production order${emergency ? ' (emergency)' : ''}`);
    let r = liveRequest('eu-production-order');
    if (!r) {
      const requestId = newRequestId('eu-production-order');
      const issuedAt = Date.now();
      const { orderId } = await step(requestId.slice(caseId.length + 1), (ctx) =>
        orders.issueEuProductionOrder(ctx, {
          requestId,
          country: state.dataCountry!,
          provider: state.tip.reporter.espName,
          emergency,
          produceWithinHours: ms(produce.value) / (ms({ days: 1 }) / 24),
          asOf: new Date(issuedAt).toISOString(),
        }),
      );
      rec.openRequest(requestId, 'eu-production-order', 'provider', `EU production order ${orderId}${emergency ? ' (emergency)' : ''} issued to ${state.tip.reporter.espName} in ${state.dataCountry}`);
      rec.request(requestId)!.reference = orderId;
      const short = requestId.slice(caseId.length + 1);
      rec.setDeadline(`${short}:production`, issuedAt + ms(produce.value), produce.source, requestId);
      rec.setDeadline(`${short}:refusal-window`, issuedAt + ms(refusal.value), refusal.source, requestId);
      r = rec.request(requestId)!;
    }
    state.currentRequest = r.requestId;
    const short = r.requestId.slice(caseId.length + 1);
    const id = r.requestId;
    const status = () => rec.request(id)!.status;
    // Chase the provider from the production deadline on, at the policy's interval.
    await awaitAnswer(id, rules.followUpEvery, (st) => st !== 'SENT', rec.deadline(`${short}:production`));
    rec.clearDeadline(`${short}:production`);
    if (status() === 'PRODUCED') {
      // The enforcing state may still refuse within its window; after that the evidence is usable.
      await waitUntil(() => status() !== 'PRODUCED', rec.deadline(`${short}:refusal-window`));
      if (status() === 'PRODUCED') {
        rec.clearDeadline(`${short}:refusal-window`);
        rec.updateRequest(id, 'CONFIRMED', `no ground for refusal raised by ${state.dataCountry} within its window (${refusal.source})`);
        return haveEvidence(`produced under EU production order ${rec.request(id)!.reference ?? ''}`.trim());
      }
    }
    rec.clearDeadline(`${short}:refusal-window`);
    const answered = rec.request(id)!;
    return fallBackToMlat(`EU production order ${id} ${answered.status.toLowerCase()}${answered.reason ? ` (${answered.reason})` : ''}`);
  }

  async function mlat(): Promise<Stage> {
    if (state.evidenceInHand) return suspectStage();
    rec.enterStage('MLAT', 'central-authority', `the MLAT request to ${state.dataCountry} and the foreign central authority's answer`);
    let r = liveRequest('mlat');
    if (!r) {
      const requestId = newRequestId('mlat');
      rec.openRequest(requestId, 'mlat', 'agency', `MLAT request to ${state.dataCountry}: drafting from the case (Criminal Resource Manual 276)`, 'DRAFTING', requestId);
      await startChild(mlatWorkflow, {
        workflowId: requestId,
        args: [{ caseId, requestId, country: state.dataCountry!, homeCountry: state.homeCountry, profile: state.profile }],
        // It reports to whichever run of the case is current; the case's continue-as-new must not end it.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      r = rec.request(requestId)!;
    }
    state.currentRequest = r.requestId;
    const answered = await awaitChild(r.requestId, 'mlat');
    if (answered.status === 'EXECUTED') return haveEvidence(`MLAT request executed by ${state.dataCountry} (${answered.reference ?? 'no reference'})`);
    await closeTheCase('REFUSED', `${state.dataCountry} refused the MLAT request: ${answered.reason ?? 'no ground given'}`);
    return 'CLOSED';
  }

  /** Waits for a request run by a child workflow to settle; a child that gave up hands the case to a coordinator. */
  async function awaitChild(requestId: string, step: string) {
    const r = () => rec.request(requestId)!;
    await waitUntil(() => isTerminal(r().kind, r().status) || r().attention !== undefined);
    if (r().attention) throw new NeedsAttention(step, r().attention!);
    return r();
  }

  /**
   * Waits for a request a person answers (through `respond`), following it up at the policy's
   * interval. Returns the request once its machine says it is settled.
   */
  async function awaitAnswer(requestId: string, followUp: Rule<Period>, answered?: (status: string) => boolean, firstFollowUpAt?: number) {
    const r = () => rec.request(requestId)!;
    const done = () => (answered ? answered(r().status) : isTerminal(r().kind, r().status));
    const deadlineName = `follow-up:${requestId.slice(caseId.length + 1)}`;
    const followUps = (state.followUps ??= {});
    for (;;) {
      if (done()) return r();
      if (rec.deadline(deadlineName) === undefined) {
        // The first reminder may be due at a date of its own (an order's production deadline).
        const due = !followUps[requestId] && firstFollowUpAt !== undefined ? firstFollowUpAt : Date.now() + ms(followUp.value);
        rec.setDeadline(deadlineName, due, followUp.source, requestId);
      }
      if (await waitUntil(done, rec.deadline(deadlineName))) {
        rec.clearDeadline(deadlineName);
        return r();
      }
      const n = (followUps[requestId] ?? 0) + 1;
      await step(`follow-up-${requestId.slice(caseId.length + 1)}-${n}`, (ctx) =>
        agency.alert(ctx, { to: 'liaison', kind: `${r().kind}-follow-up`, message: `case ${caseId}: request ${requestId} is still ${r().status}; follow it up` }),
      );
      followUps[requestId] = n;
      rec.log('alert', `liaison reminded to follow up ${requestId} (still ${r().status}; reminder ${n})`);
      rec.setDeadline(deadlineName, rec.deadline(deadlineName)! + ms(followUp.value), followUp.source, requestId);
    }
  }

  /** Opens a request of `kind`, numbered per attempt so a retried step never reuses a settled request. */
  function newRequestId(kind: RequestKind): string {
    const n = state.requests.filter((r) => r.kind === kind).length + 1;
    return `${caseId}/${kind}-${n}`;
  }

  async function foreignEvidence(): Promise<Stage> {
    if (state.evidenceInHand) return suspectStage(); // resumed after a later step needed attention
    rec.enterStage('FOREIGN_EVIDENCE', 'liaison', `the evidence held in ${state.dataCountry}, through a channel a liaison arranges`);
    let current = liveRequest('foreign-evidence');
    if (!current) {
      const requestId = newRequestId('foreign-evidence');
      rec.openRequest(requestId, 'foreign-evidence', 'liaison', `evidence held in ${state.dataCountry} to be requested by a liaison; record the foreign side's answers with respond`);
      current = rec.request(requestId)!;
      rec.clearDeadline('triage-target');
    }
    state.currentRequest = current.requestId;
    const answered = await awaitAnswer(current.requestId, INSTRUMENTS.foreignEvidence.followUpEvery);
    if (answered.status !== 'PRODUCED') {
      throw new NeedsAttention('foreign-evidence', `${answered.requestId} ${answered.status.toLowerCase()}${answered.reason ? `: ${answered.reason}` : ''}`);
    }
    return haveEvidence(`produced through the liaison's channel (${answered.reference ?? 'no reference'})`);
  }

  // ---- The suspect: arrest at home, extradition or transfer of proceedings abroad. ----

  function suspectStage(): Stage {
    const routed = suspectRoute({ suspectCountry: state.suspectCountry!, nationality: state.tip.personOrUserReported.nationality, home: state.homeCountry });
    if (state.suspectRoute !== routed.route) {
      state.suspectRoute = routed.route;
      rec.log('stage', `suspect route: ${routed.why}`);
    }
    switch (routed.route) {
      case 'local-arrest':
      case 'extradition':
        // Extradition rests on a domestic arrest warrant, as an arrest at home does.
        return state.arrestWarrantId ? (routed.route === 'extradition' ? 'EXTRADITION' : 'LOCAL_ARREST') : 'ARREST_WARRANT';
      case 'transfer-of-proceedings':
        return 'TRANSFER_OF_PROCEEDINGS';
      case 'liaison':
        throw new NeedsAttention('suspect-abroad', routed.why);
    }
  }

  async function extradition(): Promise<Stage> {
    rec.enterStage('EXTRADITION', 'central-authority', `extradition of the suspect from ${state.suspectCountry}`);
    let r = liveRequest('extradition');
    if (!r) {
      const requestId = newRequestId('extradition');
      const urgent = state.priority !== null && INSTRUMENTS.extradition.provisionalArrestForPriorities.value.includes(state.priority);
      rec.openRequest(requestId, 'extradition', 'central-authority', `extradition from ${state.suspectCountry}${urgent ? ', with a provisional arrest (urgent)' : ''}`, 'OPENED', requestId);
      await startChild(extraditionWorkflow, {
        workflowId: requestId,
        args: [
          {
            caseId,
            requestId,
            country: state.suspectCountry!,
            homeCountry: state.homeCountry,
            profile: state.profile,
            provisionalArrest: urgent,
            arrestWarrantId: state.arrestWarrantId!,
          },
        ],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      r = rec.request(requestId)!;
    }
    state.currentRequest = r.requestId;
    const answered = await awaitChild(r.requestId, 'extradition');
    state.currentRequest = null;
    switch (answered.status) {
      case 'SURRENDERED': {
        rec.enterStage('EXTRADITION', 'agency', 'the arrest on arrival');
        const { arrestedAt } = await step('arrest-on-arrival', (ctx) => agency.arrest(ctx, { arrestWarrantId: state.arrestWarrantId! }));
        rec.log('response', `surrendered by ${state.suspectCountry} and arrested on arrival at ${arrestedAt}`, 'system:agency');
        await closeTheCase('EXTRADITED', `extradited from ${state.suspectCountry} and arrested under warrant ${state.arrestWarrantId}`);
        break;
      }
      case 'RELEASED':
        await closeTheCase('RELEASED', `released in ${state.suspectCountry}: ${answered.reason ?? 'the formal request came after the provisional-arrest window'}`);
        break;
      case 'DISCHARGED':
        await closeTheCase('DISCHARGED', `discharged in ${state.suspectCountry}: ${answered.reason ?? 'not surrendered within the window after the final order'}`);
        break;
      default:
        await closeTheCase('REFUSED', `${state.suspectCountry} refused extradition: ${answered.reason ?? 'no ground given'}`);
    }
    return 'CLOSED';
  }

  async function transferOfProceedings(): Promise<Stage> {
    rec.enterStage('TRANSFER_OF_PROCEEDINGS', 'foreign-authority', `the ${state.suspectCountry} prosecutor's decision on the transferred case`);
    let r = liveRequest('transfer-of-proceedings');
    if (!r) {
      const requestId = newRequestId('transfer-of-proceedings');
      const { reference } = await step(requestId.slice(caseId.length + 1), (ctx) =>
        foreignPartner.sendCaseFile(ctx, { requestId, country: state.suspectCountry!, document: { documentId: `${requestId}/case-file`, language: 'en' } }),
      );
      rec.openRequest(requestId, 'transfer-of-proceedings', 'foreign-authority', `case file sent to the ${state.suspectCountry} prosecutor (${reference})`);
      rec.request(requestId)!.reference = reference;
      r = rec.request(requestId)!;
    }
    state.currentRequest = r.requestId;
    const answered = await awaitAnswer(r.requestId, INSTRUMENTS.transferOfProceedings.followUpEvery);
    state.currentRequest = null;
    if (answered.status === 'CONCLUDED') {
      await closeTheCase('TRANSFERRED', `prosecuted in ${state.suspectCountry}: ${answered.reason ?? 'proceedings concluded'}`);
    } else {
      await closeTheCase('REFUSED', `${state.suspectCountry} declined the transferred proceedings: ${answered.reason ?? 'no reason given'}`);
    }
    return 'CLOSED';
  }

  async function warrant(): Promise<Stage> {
    const allowed = 1 + INSTRUMENTS.warrant.reapplications.value;
    for (;;) {
      const mayApply = state.warrantApplications === 0 || state.pendingAmendment;
      if (mayApply) {
        rec.enterStage('WARRANT', 'court', 'the court’s decision on the search warrant application');
        const application = state.warrantApplications + 1;
        const requestId = `${caseId}/search-warrant-${application}`;
        rec.openRequest(requestId, 'search-warrant', 'court', `application ${application} of ${allowed} filed with the court (§ 2703(a))`);
        const decision = await step(`search-warrant-${application}`, (ctx) =>
          court.applyForSearchWarrant(ctx, {
            application,
            fileIds: state.tip.files.map((f) => f.fileId),
            ...(state.pendingAmendment ? { amendment: 'see the amended affidavit filed by the coordinator' } : {}),
          }),
        );
        state.warrantApplications = application;
        state.pendingAmendment = false;
        rec.clearDeadline('triage-target');
        if (decision.granted) {
          rec.updateRequest(requestId, 'GRANTED', '', decision.warrantId);
          state.warrant = { warrantId: decision.warrantId, grantedAt: rec.now() };
          return 'WARRANT_EXECUTION';
        }
        rec.updateRequest(requestId, 'DENIED', decision.reason);
      }
      const left = allowed - state.warrantApplications;
      rec.enterStage('WARRANT', 'coordinator', left > 0 ? `an amended application (${left} left) or withdrawal` : 'withdrawal: no applications left');
      state.awaiting = 'coordinator';
      rec.publish();
      await waitUntil(() => state.pendingAmendment);
    }
  }

  async function warrantExecution(): Promise<Stage> {
    if (state.evidenceInHand) return suspectStage(); // resumed after a later step needed attention
    const w = state.warrant!;
    rec.enterStage('WARRANT_EXECUTION', 'agency', `execution of search warrant ${w.warrantId}`);
    const rule = INSTRUMENTS.warrant.execution;
    if (rec.deadline('warrant-execution') === undefined) rec.setDeadline('warrant-execution', Date.parse(w.grantedAt) + ms(rule.value), rule.source);
    const executeBy = rec.deadline('warrant-execution')!;
    if (!w.scheduledFor) {
      const { scheduledFor } = await step(`schedule-execution-${state.warrantApplications}`, (ctx) =>
        agency.scheduleWarrantExecution(ctx, {
          warrantId: w.warrantId,
          application: state.warrantApplications,
          executeBy: new Date(executeBy).toISOString(),
          asOf: rec.now(),
          dayScale: ms({ days: 1 }) / DAY_MS,
        }),
      );
      w.scheduledFor = scheduledFor;
      rec.log('response', `execution scheduled for ${scheduledFor}`, 'system:agency');
    }
    const scheduled = Date.parse(w.scheduledFor);
    if (scheduled > executeBy) {
      // Nothing can happen before the deadline: wait it out, so the case shows the expiry when it is real.
      await waitUntil(() => false, executeBy);
      rec.clearDeadline('warrant-execution');
      rec.updateRequest(`${caseId}/search-warrant-${state.warrantApplications}`, 'EXPIRED', `not executed within ${rule.value.days} days (${rule.source})`);
      // Added after cases were already running: histories recorded before it replay without the alert.
      if (patched(PATCHES.alertOnWarrantExpiry)) {
        await step(`warrant-expiry-alert-${state.warrantApplications}`, (ctx) =>
          agency.alert(ctx, { to: 'coordinator', kind: 'warrant-expired', message: `case ${caseId}: search warrant ${w.warrantId} expired unexecuted` }),
        );
        rec.log('alert', `coordinator alerted: search warrant ${w.warrantId} expired unexecuted`);
      }
      state.warrant = null;
      return 'WARRANT';
    }
    await waitUntil(() => false, scheduled);
    const { evidenceId } = await step(`serve-warrant-${state.warrantApplications}`, (ctx) =>
      provider.serveWarrant(ctx, { provider: state.tip.reporter.espName, warrantId: w.warrantId }),
    );
    rec.clearDeadline('warrant-execution');
    rec.updateRequest(`${caseId}/search-warrant-${state.warrantApplications}`, 'EXECUTED', `evidence ${evidenceId} received`);
    return haveEvidence(`search warrant ${w.warrantId} executed: ${evidenceId}`);
  }

  async function arrestWarrant(): Promise<Stage> {
    rec.enterStage('ARREST_WARRANT', 'court', 'the court’s decision on the arrest warrant');
    const requestId = `${caseId}/arrest-warrant`;
    rec.openRequest(requestId, 'arrest-warrant', 'court', 'arrest warrant application filed');
    const decision = await step('arrest-warrant', (ctx) => court.applyForArrestWarrant(ctx, { suspectCountry: state.suspectCountry! }));
    if (!decision.granted) {
      rec.updateRequest(requestId, 'DENIED', decision.reason);
      throw new NeedsAttention('arrest-warrant', `arrest warrant denied: ${decision.reason}`);
    }
    rec.updateRequest(requestId, 'GRANTED', '', decision.warrantId);
    state.arrestWarrantId = decision.warrantId;
    return suspectStage();
  }

  async function localArrest(): Promise<Stage> {
    rec.enterStage('LOCAL_ARREST', 'agency', 'the arrest');
    const { arrestedAt } = await step('arrest', (ctx) => agency.arrest(ctx, { arrestWarrantId: state.arrestWarrantId! }));
    rec.log('response', `suspect arrested at ${arrestedAt}`, 'system:agency');
    await closeTheCase('ARRESTED', `arrested under warrant ${state.arrestWarrantId}`);
    return 'CLOSED';
  }

  async function needsAttention(): Promise<Stage> {
    const a = state.attention!;
    rec.enterStage('NEEDS_ATTENTION', 'coordinator', `a coordinator to retry ${a.step} or close the case: ${a.reason}`);
    await waitUntil(() => state.stage !== 'NEEDS_ATTENTION');
    return state.stage;
  }

  // ---- Closing, and the compensations a withdrawal runs. ----

  async function releaseChildPreservation(reason: string): Promise<void> {
    const p = state.preservation;
    if (!p || !(p.state === 'REQUESTED' || p.state === 'PRESERVED' || p.state === 'RENEWED')) return;
    try {
      await getExternalWorkflowHandle(p.workflowId).signal(releasePreservation, { reason });
    } catch {
      // The child has already ended (released on an earlier request, or lapsed) and its last report
      // is still on its way: there is nothing left to release.
      rec.log('request', `preservation already ended; no release needed (${reason})`);
      return;
    }
    rec.log('request', `release of preservation requested: ${reason}`);
  }

  async function closeTheCase(outcome: Outcome, reason: string): Promise<void> {
    await releaseChildPreservation(`case closed as ${outcome}`);
    await step('close-in-index', (ctx) => assessment.closeInIndex(ctx));
    rec.close(outcome, reason);
  }

  let compensating = false;
  async function compensateWithdrawal(): Promise<void> {
    const w = state.withdrawal!;
    compensating = true;
    await CancellationScope.nonCancellable(async () => {
      for (const r of state.requests) {
        // Requests still open at another system, as far as their kind's machine lets a case withdraw
        // them (preservation is released by its child workflow instead).
        if (systemTransition(r, WITHDRAWN) && r.attention === undefined) {
          await step(`withdraw-${r.requestId.slice(caseId.length + 1)}`, (ctx) => agency.withdrawRequest(ctx, { requestId: r.requestId, kind: r.kind }));
          rec.updateRequest(r.requestId, WITHDRAWN, w.outcome === 'UNRESOLVED' ? 'withdrawn: the case closed unresolved' : 'withdrawn with the case');
          // A request run by its own workflow stops there too; it reports nothing more the case would take.
          if (r.workflowId) await getExternalWorkflowHandle(r.workflowId).cancel().catch(() => undefined);
        }
      }
      await closeTheCase(w.outcome ?? 'WITHDRAWN', w.reason);
    });
  }

  const STAGE_HANDLERS: Record<Exclude<Stage, 'CLOSED'>, () => Promise<Stage>> = {
    INTAKE: intake,
    TRIAGE: triage,
    JURISDICTION: jurisdiction,
    EMERGENCY_DISCLOSURE: emergencyDisclosure,
    FILE_REVIEW: fileReview,
    WARRANT: warrant,
    CLOUD_ACT_ORDER: cloudActOrder,
    EU_PRODUCTION_ORDER: euProductionOrder,
    MLAT: mlat,
    FOREIGN_EVIDENCE: foreignEvidence,
    WARRANT_EXECUTION: warrantExecution,
    ARREST_WARRANT: arrestWarrant,
    LOCAL_ARREST: localArrest,
    EXTRADITION: extradition,
    TRANSFER_OF_PROCEEDINGS: transferOfProceedings,
    NEEDS_ATTENTION: needsAttention,
  };

  rec.publish();
  while (state.stage !== 'CLOSED') {
    try {
      if (runIsFull()) throw new RunIsFull();
      const next = await STAGE_HANDLERS[state.stage]();
      if (next !== state.stage && next !== 'CLOSED') rec.enterStage(next, null, null);
    } catch (err) {
      if (err instanceof Withdrawn) {
        await compensateWithdrawal();
      } else if (err instanceof NeedsAttention) {
        state.attention = { step: err.step, reason: err.reason, resumeStage: state.stage };
        rec.log('alert', `${err.step} needs attention: ${err.reason}`);
        rec.enterStage('NEEDS_ATTENTION', 'coordinator', `a coordinator to retry ${err.step} or close the case`);
      } else if (err instanceof RunIsFull) {
        await condition(allHandlersFinished);
        log.info('continuing as new', { caseId, events: workflowInfo().historyLength, run: state.runs });
        rec.log('stage', `history compacted: continued as new (run ${state.runs + 1})`);
        await continueAsNew<typeof caseWorkflow>({ ...input, carried: state });
      } else {
        throw err;
      }
    }
  }
  await condition(allHandlersFinished);
  return { caseId, outcome: state.outcome!, reason: state.outcomeReason ?? '' };
}

/** Which preservation instrument applies to data held in `country`, as of `at`. */
export function preservationInstrument(country: string, home: string, at: Date): PreservationInstrument | null {
  if (country === home) return home === 'US' ? 'us-2703f' : null;
  const c = COUNTRIES[country];
  if (!c) return null;
  if (c.euEEvidenceSince && at.toISOString().slice(0, 10) >= c.euEEvidenceSince.value) return 'eu-preservation-order';
  return c.budapestParty ? 'budapest-art29' : null;
}
