/**
 * The UK receiving side (../shared/LEGAL-PROCESS.md): an NCMEC referral reaches the NCA, whose referrals
 * bureau (CEOP Command) grades it and disseminates it to a police force or a regional unit (ROCU); the
 * force investigates. A case opened in the deployment's referral unit (patch nca-dissemination) is
 * triaged and graded as every case is, then waits here for the bureau (an analyst, or a manager) to name
 * the force. The force's case starts as a child workflow that outlives the referral case, carrying the
 * tip, the grade and where it came from; the referral case closes DISSEMINATED. It preserves nothing and
 * identifies no subscriber: the force does.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, getExternalWorkflowHandle, patched, startChild } from '@temporalio/workflow';
import { DisseminateSchema, disseminate } from '../../messages';
import { parseRequestId } from '../../requests/ids';
import { safeguardingHandedOver } from '../../safeguarding';
import { CaseUnit } from '../../search-attributes';
import { forceCaseIdFor } from '../../tip';
import type { Stage } from '../../vocabulary';
import { closeGuard } from '../closing-guard';
import type { CaseContext, CaseInput } from '../context';
import { PATCHES } from '../patches';
import { openSafeguarding } from '../record';
import { register, type InputTools } from '../register-input';

export async function dissemination(ctx: CaseContext): Promise<Stage> {
  const { state, rec, caseId } = ctx;
  rec.enterStage('DISSEMINATION', 'analyst', 'the referrals bureau to disseminate the referral to a force or regional unit');
  await ctx.waitUntil(() => state.dissemination !== undefined);
  const d = state.dissemination!;
  // A track asked for and not yet opened would never open once the referral closes: it opens first, and goes over with the others.
  if (!d.started && (state.safeguarding?.pending.length ?? 0) > 0 && patched(PATCHES.safeguardingHandover)) {
    await ctx.waitUntil(() => (state.safeguarding?.pending.length ?? 0) === 0);
  }
  if (!d.started) {
    const input: CaseInput = {
      caseId: d.forceCaseId,
      tip: state.tip,
      profile: state.profile,
      homeCountry: state.homeCountry,
      unit: d.unit,
      ...(ctx.input.referralUnit ? { referralUnit: ctx.input.referralUnit } : {}),
      ...(ctx.input.endAtArrest ? { endAtArrest: true } : {}),
      disseminatedFrom: {
        caseId,
        unit: state.referral?.unit ?? state.unit ?? '',
        reason: d.reason,
        ...(state.grade ? { grade: { scale: state.grade.scale, value: state.grade.value, by: state.grade.by } } : {}),
        priority: state.priority,
        safeguarding: openSafeguarding(state),
      },
    };
    try {
      // By name: this module is part of the case workflow itself. The force's case outlives the referral case.
      await startChild('caseWorkflow', {
        workflowId: d.forceCaseId,
        args: [input],
        typedSearchAttributes: [{ key: CaseUnit, value: d.unit }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      // Started already (a run before this one got that far): the same case, not a second one.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    d.started = true;
    if (!state.linkedCases.includes(d.forceCaseId)) state.linkedCases.push(d.forceCaseId);
    rec.log('link', `disseminated to ${d.unit}: the force’s case ${d.forceCaseId} investigates (started from this referral)`);
  }
  await closeGuard(ctx, 'DISSEMINATED');
  rec.close('DISSEMINATED', `disseminated to ${d.unit} (case ${d.forceCaseId}): ${d.reason}`);
  return 'CLOSED';
}

/** A force's case: the first line after it opened says which referral it came from and what was decided there. */
export function logDisseminatedFrom(ctx: CaseContext): void {
  const from = ctx.input.disseminatedFrom;
  if (!from) return;
  ctx.state.disseminatedFrom = from;
  if (!ctx.state.linkedCases.includes(from.caseId)) ctx.state.linkedCases.push(from.caseId);
  const grade = from.grade ? `graded ${from.grade.scale} ${from.grade.value}` : 'not graded';
  const sg = from.safeguarding.length ? `; the child’s safeguarding it opened (${from.safeguarding.join(', ')}) is this case’s to follow` : '';
  ctx.rec.log('link', `disseminated from referral case ${from.caseId} by ${from.unit} (${grade}, priority ${from.priority ?? '-'}): ${from.reason}${sg}`);
}

/**
 * A force's case takes over the child's safeguarding its referral opened (patch safeguarding-handover):
 * it lists each track as its own request, publishes ChildAtRisk while one is open, and tells the track's
 * workflow to report here — the referral has closed, and the force's people follow the child now. A track
 * that cannot be told (it ended meanwhile) stays listed, stopped, with what a coordinator does about it.
 * Decided once, when the force's case opens; returns the tracks to take over.
 */
export function takeOverFromTheReferral(ctx: CaseContext): string[] {
  const from = ctx.input.disseminatedFrom;
  if (!from || !patched(PATCHES.safeguardingHandover)) return [];
  // `(opening 1)`: a track the referral had not opened (before the handover it never would).
  const tracks = from.safeguarding.filter((id) => parseRequestId(id)?.kind === 'safeguarding');
  ctx.state.takenOver = { safeguarding: tracks };
  return tracks;
}

/**
 * Lists each track taken over, and tells it to report here. Awaited only where there are tracks: an await
 * more in the start of every case would move its first commands (the search attributes' batch) and break
 * the replay of every case recorded before.
 */
export async function takeOverSafeguarding(ctx: CaseContext, tracks: string[]): Promise<void> {
  const { state, rec, caseId } = ctx;
  const from = ctx.input.disseminatedFrom!;
  state.safeguarding ??= { pending: [], opened: 0 };
  for (const requestId of tracks) {
    rec.openRequest(
      requestId,
      'safeguarding',
      'coordinator',
      `handed over from referral case ${from.caseId}: the child’s safeguarding goes on under its own workflow and reports to this case`,
      'OPENED',
      requestId,
    );
    try {
      await getExternalWorkflowHandle(requestId).signal(safeguardingHandedOver, { caseId });
    } catch {
      const r = rec.request(requestId)!;
      r.attention = `${requestId} could not be told to report here (its workflow has ended): read how it ended in referral case ${from.caseId}, then open a new track (report-child-at-risk) or say why the case may close without it`;
      rec.log('alert', r.attention);
    }
  }
  rec.publish();
}

export function registerDisseminationInputs(ctx: CaseContext, { accept, reject }: InputTools): void {
  const { state, rec, caseId } = ctx;
  register(
    ctx,
    disseminate,
    (raw) => {
      const u = accept('disseminate', DisseminateSchema, raw);
      if (!state.referral) reject(`case ${caseId} was not opened in the referral unit: only a referral is disseminated to a force`);
      if (state.dissemination) reject(`case ${caseId} is already disseminated to ${state.dissemination.unit}`);
      if (state.stage !== 'DISSEMINATION') reject(`case ${caseId} is in stage ${state.stage}, not DISSEMINATION: the referral is disseminated once triaged`);
      if (u.unit.toLowerCase() === state.referral!.unit.toLowerCase())
        reject(`unit: ${u.unit} is the referral unit itself: name the force or regional unit that investigates`);
      return u;
    },
    (u) => {
      state.dissemination = { unit: u.unit, reason: u.reason, actor: u.actor, role: u.role, at: rec.now(), forceCaseId: forceCaseIdFor(caseId) };
      rec.input('input', `disseminated to ${u.unit}: ${u.reason}`, u);
      rec.publish();
    },
  );
}
