/**
 * One case, one workflow: the legal process from a CyberTipline tip to an arrest, an extradition or a
 * transfer of proceedings, stage by stage (the stages live in ./stages, in process order). This file is
 * only the loop: each stage is a function of the case's context returning what comes next — a stage,
 * or a step of the case's own (a route decision, the closing, a withdrawal's compensations). A step
 * that cannot go on becomes NEEDS_ATTENTION with its reason; a full history continues as new with the
 * whole record. Nothing a person sends and nothing a system answers fails a workflow task.
 */
import { carryInputIds } from './register-input';
import { allHandlersFinished, condition, continueAsNew, isCancellation, log, patched, workflowInfo } from '@temporalio/workflow';
import type { Stage } from '../vocabulary';
import { besideTheStages } from './beside';
import { compensateWithdrawal, closeTheCase } from './closing';
import { CaseContext, NeedsAttention, RunIsFull, Withdrawn, type CaseInput, type CaseResult } from './context';
import { registerInputs } from './inputs';
import { PATCHES } from './patches';
import { newCaseState, type Next, type PendingStep } from './record';
import { decideEvidenceRoute, decideSuspectRoute } from './routes';
import { dissemination } from './stages/dissemination';
import { emergencyDisclosure, fileReview } from './stages/emergency';
import { intake, jurisdiction, triage } from './stages/intake';
import { subscriberIdentification } from './stages/subscriber';
import { cloudActOrder, euProductionOrder } from './stages/orders';
import { charging, custody } from './stages/custody';
import { arrestWarrant, extradition, localArrest, transferOfProceedings } from './stages/suspect';
import { foreignEvidence, mlat } from './stages/treaty';
import { warrant, warrantExecution } from './stages/warrant';

async function needsAttention(ctx: CaseContext): Promise<Stage> {
  const a = ctx.state.attention!;
  ctx.rec.enterStage('NEEDS_ATTENTION', 'coordinator', `a coordinator to retry ${a.step} or close the case: ${a.reason}`);
  // A retry (or a closing without the step) clears the attention; the stage may stay NEEDS_ATTENTION when the step
  // failed there (a withdrawal's compensation begun from this stage), and then the loop runs the step it resumes.
  await ctx.waitUntil(() => ctx.state.stage !== 'NEEDS_ATTENTION' || ctx.state.attention === null);
  return ctx.state.stage;
}

const STAGES: Record<Exclude<Stage, 'CLOSED'>, (ctx: CaseContext) => Promise<Next>> = {
  INTAKE: intake,
  TRIAGE: triage,
  DISSEMINATION: dissemination,
  SUBSCRIBER_ID: subscriberIdentification,
  JURISDICTION: jurisdiction,
  EMERGENCY_DISCLOSURE: emergencyDisclosure,
  FILE_REVIEW: fileReview,
  WARRANT: warrant,
  WARRANT_EXECUTION: warrantExecution,
  CLOUD_ACT_ORDER: cloudActOrder,
  EU_PRODUCTION_ORDER: euProductionOrder,
  MLAT: mlat,
  FOREIGN_EVIDENCE: foreignEvidence,
  ARREST_WARRANT: arrestWarrant,
  LOCAL_ARREST: localArrest,
  EXTRADITION: extradition,
  TRANSFER_OF_PROCEEDINGS: transferOfProceedings,
  CUSTODY: custody,
  CHARGING: charging,
  NEEDS_ATTENTION: needsAttention,
};

async function runStep(ctx: CaseContext, step: PendingStep): Promise<Next> {
  if ('decide' in step) return step.decide === 'evidence-route' ? decideEvidenceRoute(ctx) : decideSuspectRoute(ctx);
  if ('close' in step) return closeTheCase(ctx, step.close, step.reason);
  return compensateWithdrawal(ctx);
}

export async function caseWorkflow(input: CaseInput): Promise<CaseResult> {
  const state = input.carried ?? newCaseState(input.caseId, input.tip, input.profile, input.homeCountry, new Date(), input.unit);
  if (input.carried) state.runs++;
  const ctx = new CaseContext(input, state);
  if (input.carried) carryInputIds(ctx);
  const { rec } = ctx;
  // Decided once per run, before its first command: runs recorded before the patch keep their upserts.
  rec.batched = patched(PATCHES.batchedSearchAttributes);
  rec.awaitingRoles = patched(PATCHES.awaitingRoles);
  // Only when the case opens: a run carried from a case opened before keeps the law it was routed by.
  if (!input.carried && state.homeCountry !== 'US') state.homeCountryLaw = patched(PATCHES.homeCountryLaw);
  // The UK's referral unit (the NCA's referrals bureau) grades and disseminates; decided once, when the case opens.
  if (!input.carried && state.homeCountry === 'GB' && input.referralUnit && input.unit === input.referralUnit && patched(PATCHES.ncaDissemination))
    state.referral = { unit: input.unit };
  registerInputs(ctx);

  rec.publish();
  // A child's safeguarding, an escalation, a warrant's return: beside whatever stage the case is in.
  const beside = besideTheStages(ctx);
  while (state.stage !== 'CLOSED') {
    try {
      if (ctx.runIsFull()) throw new RunIsFull();
      const pending = state.pendingStep;
      const next = pending ? await runStep(ctx, pending) : await STAGES[state.stage](ctx);
      // A step of the case's own is done once it returned; a stage may have been given one meanwhile (a retry).
      if (pending) state.pendingStep = undefined;
      if (typeof next !== 'string') state.pendingStep = next;
      else if (next !== state.stage && next !== 'CLOSED') rec.enterStage(next, null, null);
    } catch (err) {
      if (err instanceof Withdrawn) {
        state.pendingStep = { compensate: true };
      } else if (err instanceof RunIsFull) {
        ctx.stopping = true;
        await beside;
        await condition(allHandlersFinished);
        log.info('continuing as new', { caseId: state.caseId, events: workflowInfo().historyLength, run: state.runs });
        rec.log('stage', `history compacted: continued as new (run ${state.runs + 1})`);
        await continueAsNew<typeof caseWorkflow>({ ...input, carried: state });
      } else if (isCancellation(err)) {
        throw err;
      } else {
        // A step that failed for good, or a state this code did not expect: a person decides, with the reason.
        const { step, reason } =
          err instanceof NeedsAttention
            ? err
            : {
                step: state.pendingStep ? Object.keys(state.pendingStep)[0] : state.stage.toLowerCase(),
                reason: `unexpected error: ${err instanceof Error ? err.message : String(err)} (tell the operators)`,
              };
        // The stack is code locations only; the operators need it to find the defect.
        if (!(err instanceof NeedsAttention))
          log.error('unexpected error in a stage', { caseId: state.caseId, step, stack: err instanceof Error ? err.stack : undefined });
        state.attention = { step, reason, resumeStage: state.stage, resume: state.pendingStep ?? state.stage };
        state.pendingStep = undefined;
        rec.log('alert', `${step} needs attention: ${reason}`);
        rec.enterStage('NEEDS_ATTENTION', 'coordinator', `a coordinator to retry ${step} or close the case`);
      }
    }
  }
  ctx.stopping = true;
  await beside;
  await condition(allHandlersFinished);
  return { caseId: state.caseId, outcome: state.outcome!, reason: state.outcomeReason ?? '' };
}
