/**
 * The start of a case: intake (the tip opens it), triage (the assessment: criminal?, priority, where
 * the suspect and the data are; deconfliction; preservation starts beside the case), and — when the
 * assessment could not place the suspect — the coordinator's jurisdiction decision, with a reminder
 * and an escalation to a manager from policy.
 */
import { ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import { INSTRUMENTS, preservationInstrument } from '../../policy';
import { preservationWorkflow, preservationWorkflowId, type PreservationInstrument } from '../../preservation';
import { suspectIdentifiers } from '../../tip';
import type { Stage } from '../../vocabulary';
import { closeGuard } from '../closing-guard';
import { factsFromCase, type DocumentKind } from '../../documents';
import { NeedsAttention, systems, type CaseContext } from '../context';
import { documentToSend, sendsDocuments } from '../documents';
import { PATCHES } from '../patches';
import { afterJurisdiction } from '../routes';
import { flagImminentDanger } from './danger';
import { logDisseminatedFrom, takeOverFromTheReferral, takeOverSafeguarding } from './dissemination';
import { flagCodes, fromAgencyQuestion, readPriorProcess } from './prior-process';
import { beforeJurisdiction } from './subscriber';

export async function intake(ctx: CaseContext): Promise<Stage> {
  const { state, rec } = ctx;
  rec.log('stage', `case opened from CyberTipline report ${state.tip.ncmecReportNumber} (${state.tip.incidentSummary.incidentType})`);
  logDisseminatedFrom(ctx);
  const tracks = takeOverFromTheReferral(ctx);
  if (tracks.length > 0) await takeOverSafeguarding(ctx, tracks);
  const retention = INSTRUMENTS.providerRetention;
  rec.setDeadline('provider-retention', Date.parse(state.stageEnteredAt) + ctx.ms(retention.value), retention.source);
  return 'TRIAGE';
}

export async function triage(ctx: CaseContext): Promise<Stage> {
  const { state, rec } = ctx;
  rec.enterStage('TRIAGE', 'assessment', 'the assessment of the tip');
  const a = await ctx.step('assess', (c) => systems.assessment.assessTip(c, state.tip));
  // Added after cases were already running (issue 17): the flags kept, legal process already served read (prior-process.ts).
  const priorProcess = patched(PATCHES.legalProcessAlreadyServed);
  if (priorProcess) state.flags = flagCodes(a.flags);
  state.priority = a.priority;
  state.dataCountry ??= a.dataCountry;
  state.suspectCountry ??= a.suspectCountry;
  rec.log(
    'response',
    `assessed: ${a.criminal ? 'criminal' : 'not criminal'}, priority ${a.priority}, suspect in ${a.suspectCountry ?? 'unknown'}, data in ${a.dataCountry}`,
    'system:assessment',
  );
  if (!a.criminal) {
    // A child reported at risk while the tip was being assessed is safeguarded all the same: the case waits for a person's word.
    await closeGuard(ctx, 'NO_ACTION');
    rec.close('NO_ACTION', a.noActionReason ?? 'not criminal');
    return 'CLOSED';
  }
  const target = INSTRUMENTS.triageTarget[a.priority];
  rec.setDeadline('triage-target', Date.parse(state.stageEnteredAt) + ctx.ms(target.value), target.source);
  // Added after cases were already running (issue 14): a person decides imminent danger; the child's safeguarding opens beside the case.
  if (patched(PATCHES.imminentDangerCheck)) flagImminentDanger(ctx, a, Date.parse(state.stageEnteredAt));
  const { linkedCaseIds } = await ctx.step('deconflict', (c) => systems.assessment.deconflict(c, suspectIdentifiers(state.tip)));
  for (const other of linkedCaseIds) {
    if (!state.linkedCases.includes(other)) {
      state.linkedCases.push(other);
      rec.log('link', `linked to open case ${other} on the same suspect identifiers (deconfliction)`);
    }
  }
  // The referrals bureau grades and passes the referral on: the force preserves and identifies (patch nca-dissemination).
  if (state.referral) return 'DISSEMINATION';
  await startPreservation(ctx);
  // Added after cases were already running (issue 14): who is behind the IP address before a jurisdiction rests on it.
  if (patched(PATCHES.subscriberIdentification)) {
    // Served domestically: the subscriber records are that agency's; a coordinator obtains them (never requested twice).
    if (priorProcess && (await readPriorProcess(ctx))) return 'JURISDICTION';
    return beforeJurisdiction(ctx);
  }
  return state.suspectCountry ? afterJurisdiction(ctx) : 'JURISDICTION';
}

/** The document each preservation instrument sends (REQUEST_DOCUMENTS: preservation). */
const PRESERVATION_DOCUMENT: Record<PreservationInstrument, DocumentKind> = {
  'us-2703f': 'preservation-letter',
  'budapest-art29': 'budapest-preservation-request',
  'eu-preservation-order': 'eu-preservation-order-certificate',
};

/** Preservation of the suspect's data beside the case, by the instrument the data's country allows. */
async function startPreservation(ctx: CaseContext): Promise<void> {
  const { state, rec, caseId } = ctx;
  if (state.preservation || !state.dataCountry) return;
  const instrument = preservationInstrument(state.dataCountry, state.homeCountry, new Date(), patched(PATCHES.euOrdersNeedAnEuIssuer), ctx.countries());
  if (!instrument) {
    rec.log('alert', `no preservation instrument for data held in ${state.dataCountry}: a liaison must arrange preservation`);
    return;
  }
  const requestId = `${caseId}/preservation`;
  const sendsPapers = sendsDocuments(ctx, requestId);
  if (sendsPapers) {
    // Urgent: the letter (or the Budapest request, the EU certificate) is generated and goes at once; approved afterwards, for the file.
    rec.openRequest(requestId, 'preservation', 'provider', `${instrument} preservation: the request generated from the case`);
    try {
      await documentToSend(ctx, requestId, PRESERVATION_DOCUMENT[instrument]);
    } catch (err) {
      // Preservation must not wait for the document store: it goes without the generated letter, and a person is told.
      if (!(err instanceof NeedsAttention)) throw err;
      rec.log('alert', `the ${PRESERVATION_DOCUMENT[instrument]} could not be generated (${err.reason}); preservation was requested without it`);
    }
  }
  await startChild(preservationWorkflow, {
    workflowId: preservationWorkflowId(caseId),
    args: [
      {
        caseId,
        provider: state.tip.reporter.espName,
        instrument,
        profile: state.profile,
        country: state.dataCountry,
        // The facts its § 2703(f) renewal letters are generated from.
        ...(sendsPapers && instrument === 'us-2703f' ? { renewalFacts: factsFromCase(state, { requestId, at: rec.now() }) } : {}),
      },
    ],
    // The case releases preservation itself; the child must outlive the case's continue-as-new.
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  state.preservation = { workflowId: preservationWorkflowId(caseId), state: 'REQUESTED', renewalsUsed: 0 };
  rec.openRequest(`${caseId}/preservation`, 'preservation', 'provider', `${instrument} preservation requested from the provider`);
}

export async function jurisdiction(ctx: CaseContext): Promise<Stage> {
  const { state, rec, caseId } = ctx;
  const sub = state.subscriber;
  const unresolved =
    sub && !sub.abroad && sub.outcome !== undefined && sub.outcome !== 'identified'
      ? ` (subscriber identification: ${sub.outcome} — ${sub.reason ?? 'no reason'})`
      : '';
  const question = state.priorProcess?.subscriberFromAgency ? fromAgencyQuestion(state.priorProcess) : `a decision on where the suspect is${unresolved}`;
  rec.enterStage('JURISDICTION', state.jurisdictionEscalated ? 'manager' : 'coordinator', question);
  const entered = Date.parse(state.stageEnteredAt);
  const { reminderAfter, escalateAfter } = INSTRUMENTS.jurisdiction;
  if (rec.deadline('jurisdiction-reminder') === undefined && !state.jurisdictionReminderSent) {
    rec.setDeadline('jurisdiction-reminder', entered + ctx.ms(reminderAfter.value), reminderAfter.source);
  }
  if (rec.deadline('jurisdiction-escalation') === undefined && !state.jurisdictionEscalated) {
    rec.setDeadline('jurisdiction-escalation', entered + ctx.ms(escalateAfter.value), escalateAfter.source);
  }
  // Resolved by a person, or a § 2703(d) order applied for (subscriber identification again, with the coordinator's facts).
  const resolved = () => state.suspectCountry !== null || state.subscriber?.orderFacts !== undefined;
  if (!state.jurisdictionReminderSent && !(await ctx.waitUntil(resolved, rec.deadline('jurisdiction-reminder')))) {
    await ctx.step('jurisdiction-reminder', (c) =>
      systems.agency.alert(c, { to: 'coordinator', kind: 'jurisdiction-reminder', message: `case ${caseId}: the suspect's jurisdiction is still unresolved` }),
    );
    state.jurisdictionReminderSent = true;
    rec.clearDeadline('jurisdiction-reminder');
    rec.log('alert', 'reminder sent to the coordinator: jurisdiction unresolved');
  }
  if (!state.jurisdictionEscalated && !(await ctx.waitUntil(resolved, rec.deadline('jurisdiction-escalation')))) {
    await ctx.step('jurisdiction-escalation', (c) =>
      systems.agency.alert(c, {
        to: 'manager',
        kind: 'jurisdiction-escalation',
        message: `case ${caseId}: jurisdiction unresolved past the escalation interval`,
      }),
    );
    state.jurisdictionEscalated = true;
    rec.clearDeadline('jurisdiction-escalation');
    rec.log('alert', 'escalated to a manager: jurisdiction unresolved');
    rec.await(
      'manager',
      state.priorProcess?.subscriberFromAgency ? `${fromAgencyQuestion(state.priorProcess)} (escalated)` : 'a decision on where the suspect is (escalated)',
    );
  }
  await ctx.waitUntil(resolved);
  rec.clearDeadline('jurisdiction-reminder');
  rec.clearDeadline('jurisdiction-escalation');
  if (state.suspectCountry === null) return 'SUBSCRIBER_ID';
  await startPreservation(ctx);
  return afterJurisdiction(ctx);
}
