/**
 * The case's human inputs, queries and the reports of the workflows beside it. Every input is an
 * update whose validator decides, on the record as it stands and without changing it, whether the
 * case takes it (the field at fault named in the refusal, with the stage); the handler then changes
 * the record and the timeline. Nothing here may throw anything but a refusal.
 */
import { setHandler, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import { roleRefusal, type CaseInputName } from '../access';
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
  parsePayload,
  rejectInput,
  resolveJurisdiction,
  respond,
  retryStep,
  statusQuery,
  timelineQuery,
  withdraw,
  type RequestSummary,
} from '../messages';
import { INSTRUMENTS } from '../policy';
import { preservationChanged } from '../preservation';
import { requestChanged } from '../requests/child';
import { AWAITING_APPROVAL, checkResponse, isTerminal } from '../requests/machines';
import type { Role, Stage } from '../vocabulary';
import type { CaseContext } from './context';
import { registerDocumentInputs } from './documents';
import { registerDisseminationInputs } from './stages/dissemination';
import { registerPostArrestInputs } from './post-arrest-inputs';
import { registerPreWarrantInputs } from './pre-warrant-inputs';
import { register, registerInput } from './register-input';
import type { Next, PendingStep } from './record';

const EVIDENCE_STAGES: readonly Stage[] = ['WARRANT', 'WARRANT_EXECUTION', 'CLOUD_ACT_ORDER', 'EU_PRODUCTION_ORDER', 'MLAT', 'FOREIGN_EVIDENCE'];

/** A step the case closes or compensates in: a person may close the case without it once it failed. */
const isClosingStep = (n: Next | undefined): n is Extract<PendingStep, { close: unknown } | { compensate: true }> =>
  typeof n === 'object' && ('close' in n || 'compensate' in n);

/** Where a retry resumes. Records from older code kept only the stage; one in an evidence stage with the evidence in hand resumes at the suspect's route. */
export function resumeOf(ctx: CaseContext): Next | undefined {
  const a = ctx.state.attention;
  if (!a) return undefined;
  if (a.resume !== undefined) return a.resume;
  return ctx.state.evidenceInHand && EVIDENCE_STAGES.includes(a.resumeStage) ? { decide: 'suspect-route' } : a.resumeStage;
}

export function registerInputs(ctx: CaseContext): void {
  const { state, rec, caseId } = ctx;
  const reject = (reason: string): never => rejectInput(caseId, state.stage, reason);
  /**
   * The payload, parsed; refused if the case is closed, a field is wrong, or the role may not give
   * this input (for a response, the request's machine decides the role, with its own words).
   */
  const accept = <T extends { role: Role }>(input: CaseInputName, schema: z.ZodType<T>, raw: unknown): T => {
    if (state.stage === 'CLOSED') reject(`case ${caseId} is closed (${state.outcome})`);
    const u = parsePayload(schema, raw, caseId, state.stage);
    const refused = input === 'respond' ? undefined : roleRefusal(input, u.role);
    if (refused) reject(refused);
    return u;
  };

  registerPreWarrantInputs(ctx, { accept, reject });
  registerPostArrestInputs(ctx, { accept, reject });
  registerDocumentInputs(ctx, { accept, reject });
  registerDisseminationInputs(ctx, { accept, reject });

  setHandler(statusQuery, () => rec.status());
  setHandler(timelineQuery, () => state.timeline.map((e) => ({ ...e })));

  const checkResolveJurisdiction = (raw: unknown) => {
    const u = accept('resolveJurisdiction', ResolveJurisdictionSchema, raw);
    if (state.stage !== 'JURISDICTION') reject(`case ${caseId} is in stage ${state.stage}, not JURISDICTION: its jurisdiction is already settled`);
    return u;
  };
  register(ctx, resolveJurisdiction, checkResolveJurisdiction, (u) => {
    state.suspectCountry = u.suspectCountry;
    if (u.dataCountry) state.dataCountry = u.dataCountry;
    rec.input(
      'input',
      `jurisdiction resolved: suspect in ${u.suspectCountry}${u.dataCountry ? `, data in ${u.dataCountry}` : ''}${u.reason ? ` — ${u.reason}` : ''}`,
      u,
    );
    rec.publish();
  });

  const checkAmendment = (raw: unknown) => {
    const u = accept('amendAndReapply', AmendAndReapplySchema, raw);
    if (state.stage !== 'WARRANT' || state.awaiting !== 'coordinator' || state.pendingAmendment) {
      reject(`case ${caseId} is in stage ${state.stage}: there is no denied or expired warrant to reapply for`);
    }
    // The coordinator is awaited too while an application's papers wait for approval: nothing was decided yet.
    const preparing = state.requests.find((r) => r.kind === 'search-warrant' && r.status === AWAITING_APPROVAL);
    if (preparing || state.warrantApplications === 0) {
      reject(
        `case ${caseId} has ${preparing ? `${preparing.requestId} waiting for its papers to be approved` : 'filed no warrant application yet'}: there is no denied or expired warrant to reapply for`,
      );
    }
    const allowed = 1 + INSTRUMENTS.warrant.reapplications.value;
    if (state.warrantApplications >= allowed) {
      reject(`case ${caseId} has used all ${allowed} warrant applications (${INSTRUMENTS.warrant.reapplications.source}); withdraw it or escalate`);
    }
    return u;
  };
  register(ctx, amendAndReapply, checkAmendment, (u) => {
    state.pendingAmendment = true;
    // The amendment text goes to the court with the application and into the timeline, nowhere else.
    rec.input('input', `amended warrant application: ${u.amendment}`, u);
  });

  register(
    ctx,
    addNote,
    (raw) => accept('addNote', AddNoteSchema, raw),
    (u) => rec.input('note', u.text, u),
  );

  const checkWithdrawal = (raw: unknown) => {
    const u = accept('withdraw', WithdrawSchema, raw);
    if (state.withdrawal) reject(`case ${caseId} is already being withdrawn`);
    const closing = state.pendingStep ?? resumeOf(ctx);
    if (typeof closing === 'object' && 'close' in closing) {
      reject(`case ${caseId} is closing as ${closing.close}; a stuck closing is ended with close, not withdrawn`);
    }
    return u;
  };
  register(ctx, withdraw, checkWithdrawal, (u) => {
    state.withdrawal = { actor: u.actor, role: u.role, reason: u.reason };
    rec.input('input', `withdrawal requested: ${u.reason}`, u);
  });

  const checkRetry = (raw: unknown) => {
    const u = accept('retryStep', RetryStepSchema, raw);
    if (state.stage !== 'NEEDS_ATTENTION' || !state.attention) reject(`case ${caseId} is in stage ${state.stage}: no failed step to retry`);
    return u;
  };
  register(ctx, retryStep, checkRetry, (u) => {
    const a = state.attention!;
    state.retries[a.step] = (state.retries[a.step] ?? 0) + 1;
    rec.input('input', `retry of ${a.step} requested${u.reason ? `: ${u.reason}` : ''}`, u);
    const resume = resumeOf(ctx)!;
    state.attention = null;
    if (typeof resume === 'string') {
      rec.enterStage(resume, null, null);
    } else {
      state.pendingStep = resume;
      rec.enterStage(a.resumeStage, null, null);
    }
  });

  const checkClose = (raw: unknown) => {
    const u = accept('closeCase', CloseCaseSchema, raw);
    if (state.stage !== 'NEEDS_ATTENTION') reject(`case ${caseId} is in stage ${state.stage}, not NEEDS_ATTENTION: to end it, withdraw it with a reason`);
    if (state.withdrawal && !isClosingStep(resumeOf(ctx))) reject(`case ${caseId} is already closing`);
    return u;
  };
  register(ctx, closeCase, checkClose, (u) => {
    const a = state.attention!;
    const resume = resumeOf(ctx);
    if (isClosingStep(resume)) {
      // The case was closing (or being withdrawn) when a step of it failed for good: close without that step.
      (state.skippedSteps ??= []).push(a.step);
      rec.input('input', `closure without ${a.step} requested (it cannot be completed): ${u.reason}`, u);
      state.attention = null;
      state.pendingStep = resume;
      rec.enterStage(a.resumeStage, null, null);
      return;
    }
    state.withdrawal = { actor: u.actor, role: u.role, reason: u.reason, outcome: 'UNRESOLVED' };
    rec.input('input', `closure of the case requested (${a.step} cannot be completed): ${u.reason}`, u);
  });

  const checkResponseInput = (raw: unknown) => {
    const u = accept('respond', RespondSchema, raw);
    const r = rec.request(u.requestId);
    if (!r) {
      const open = state.requests.filter((x) => !isTerminal(x.kind, x.status)).map((x) => x.requestId);
      reject(`requestId: case ${caseId} has no request ${u.requestId}${open.length ? ` (open: ${open.join(', ')})` : ' (it has no open request)'}`);
    }
    if (r!.workflowId && r!.workflowId !== workflowInfo().workflowId) {
      reject(`requestId: ${u.requestId} is run by its own workflow ${r!.workflowId}: send the response there`);
    }
    const checked = checkResponse(r!, u);
    if (!checked.ok) return reject(checked.reason);
    return { u, r: r!, t: checked.transition };
  };
  registerInput(
    ctx,
    respond,
    checkResponseInput,
    ({ u, r, t }): RequestSummary => {
      rec.recordResponse(r, t, u);
      if (state.currentRequest === r.requestId && r.awaiting) state.awaiting = r.awaiting;
      rec.publish();
      return { ...r };
    },
    (raw) => {
      // Answered again as the request stands now.
      const id = typeof raw === 'object' && raw !== null ? (raw as { requestId?: unknown }).requestId : undefined;
      const r = typeof id === 'string' ? rec.request(id) : undefined;
      return r ? { ...r } : undefined;
    },
  );

  // Reports from the child workflows that run requests (MLAT, extradition): the case keeps the one view.
  setHandler(requestChanged, ({ request, entry, deadlines }) => {
    const r = rec.request(request.requestId);
    if (!r) return;
    if (isTerminal(r.kind, r.status)) {
      // Withdrawn here already, or ended: a late report changes nothing — but the person's answer that ended the request
      // is kept. Its own report can arrive after the one the request's workflow sent as it finished (that one carries the
      // final status and no line), and the timeline lost the last answer. Only the timeline: no command follows from it.
      const late = entry?.role !== undefined && request.status === r.status && !state.timeline.some((e) => e.at === entry.at && e.detail === entry.detail);
      if (late) state.timeline.push({ ...entry, stage: state.stage });
      return;
    }
    Object.assign(r, request);
    // A field the child no longer sends is one it cleared (the approval it waited for was given).
    if (request.pendingApproval === undefined) delete r.pendingApproval;
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
    const { detail, document, ...status } = p;
    state.preservation = status;
    // A renewal letter the preservation sent: the case keeps it beside its other papers, for approval afterwards.
    if (document && !(state.documents ??= []).some((d) => d.documentId === document.documentId && d.version === document.version)) {
      state.documents = [...state.documents.filter((d) => d.documentId !== document.documentId), document];
    }
    const request = state.requests.find((r) => r.kind === 'preservation');
    if (request) {
      request.status = status.state;
      request.awaiting = status.state === 'PRESERVED' || status.state === 'RENEWED' ? null : request.awaiting;
    }
    rec.log('response', `preservation: ${detail}`, 'system:provider');
    rec.publish();
  });
}
