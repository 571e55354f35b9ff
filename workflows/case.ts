/**
 * One case, one workflow: the legal process from a CyberTipline tip to a local arrest, stage by
 * stage as in LEGAL-PROCESS.md — intake, triage, jurisdiction, emergency disclosure, preservation
 * (a child workflow beside the case), the file-view gate, the search warrant and its execution, the
 * arrest warrant and the arrest. Every duration comes from the policy tables, scaled by the case's
 * profile. Human inputs arrive as validated updates; the case can wait months and survives
 * continue-as-new with its whole record.
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
  ResolveJurisdictionSchema,
  RetryStepSchema,
  WithdrawSchema,
  addNote,
  amendAndReapply,
  firstIssue,
  resolveJurisdiction,
  retryStep,
  statusQuery,
  timelineQuery,
  withdraw,
  type CaseStatus,
  type Stage,
} from './messages';
import { COUNTRIES, DAY_MS, INSTRUMENTS, scaledMs, type PolicyProfile } from './policy';
import { preservationChanged, preservationWorkflow, preservationWorkflowId, releasePreservation, type PreservationInstrument } from './preservation';
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
    if (state.dataCountry !== state.homeCountry) {
      throw new NeedsAttention('route-evidence', `the data is held in ${state.dataCountry}: cross-border legal process must be arranged by a liaison`);
    }
    return 'WARRANT';
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
    state.evidenceInHand = true;
    await releaseChildPreservation('evidence is in hand');
    if (state.suspectCountry !== state.homeCountry) {
      throw new NeedsAttention('suspect-abroad', `the suspect is in ${state.suspectCountry}: extradition or transfer of proceedings must be arranged by a liaison`);
    }
    return 'ARREST_WARRANT';
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
    return 'LOCAL_ARREST';
  }

  async function localArrest(): Promise<Stage> {
    rec.enterStage('LOCAL_ARREST', 'agency', 'the arrest');
    const { arrestedAt } = await step('arrest', (ctx) => agency.arrest(ctx, { arrestWarrantId: state.arrestWarrantId! }));
    rec.log('response', `suspect arrested at ${arrestedAt}`, 'system:agency');
    await closeCase('ARRESTED', `arrested under warrant ${state.arrestWarrantId}`);
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
    await getExternalWorkflowHandle(p.workflowId).signal(releasePreservation, { reason });
    rec.log('request', `release of preservation requested: ${reason}`);
  }

  async function closeCase(outcome: 'ARRESTED' | 'WITHDRAWN', reason: string): Promise<void> {
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
        // Requests still open at another system: sent and unanswered, or a warrant granted but not executed.
        if ((r.status === 'SENT' || r.status === 'GRANTED') && r.kind !== 'preservation' && r.kind !== 'arrest-warrant') {
          await step(`withdraw-${r.requestId.slice(caseId.length + 1)}`, (ctx) => agency.withdrawRequest(ctx, { requestId: r.requestId, kind: r.kind }));
          rec.updateRequest(r.requestId, 'WITHDRAWN', 'withdrawn with the case');
        }
      }
      await closeCase('WITHDRAWN', w.reason);
    });
  }

  const STAGE_HANDLERS: Record<Exclude<Stage, 'CLOSED'>, () => Promise<Stage>> = {
    INTAKE: intake,
    TRIAGE: triage,
    JURISDICTION: jurisdiction,
    EMERGENCY_DISCLOSURE: emergencyDisclosure,
    FILE_REVIEW: fileReview,
    WARRANT: warrant,
    WARRANT_EXECUTION: warrantExecution,
    ARREST_WARRANT: arrestWarrant,
    LOCAL_ARREST: localArrest,
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
