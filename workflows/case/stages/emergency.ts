/**
 * Before the evidence: the emergency disclosure request of a priority-1 case (the provider may
 * disclose under § 2702(b)(8), or refuse), and the file-view gate (United States v. Wilson): only the
 * files the provider itself viewed are reviewed without a warrant — in a US case. A UK force's case
 * reviews every file the referral carries (HOME_LAW.GB.fileReview, patch referred-files-reviewed).
 */
import { patched } from '@temporalio/workflow';
import { INSTRUMENTS } from '../../policy';
import type { Stage } from '../../vocabulary';
import { systems, type CaseContext } from '../context';
import { documentToSend, sendsDocuments } from '../documents';
import { PATCHES } from '../patches';
import type { Next } from '../record';

export async function emergencyDisclosure(ctx: CaseContext): Promise<Stage> {
  const { state, rec, caseId } = ctx;
  rec.enterStage('EMERGENCY_DISCLOSURE', 'provider', 'the provider’s answer to an emergency disclosure request (§ 2702(b)(8))');
  const requestId = `${caseId}/emergency-disclosure`;
  rec.openRequest(requestId, 'emergency-disclosure', 'provider', 'sent to the provider under § 2702(b)(8)');
  const wait = INSTRUMENTS.emergencyDisclosure.wait;
  rec.setDeadline('emergency-disclosure', Date.parse(state.stageEnteredAt) + ctx.ms(wait.value), wait.source);
  // Urgent: generated and sent at once; a person approves it afterwards, for the file.
  if (sendsDocuments(ctx, requestId)) await documentToSend(ctx, requestId, 'emergency-disclosure-request');
  const answer = await ctx.step('emergency-disclosure', (c) => systems.provider.requestEmergencyDisclosure(c, { provider: state.tip.reporter.espName }));
  rec.clearDeadline('emergency-disclosure');
  ctx.answered('emergency-disclosure', requestId, answer.disclosed ? 'DISCLOSED' : 'REFUSED', answer.reason ?? '');
  state.emergencyDone = true;
  return 'FILE_REVIEW';
}

export async function fileReview(ctx: CaseContext): Promise<Next> {
  const { state, rec } = ctx;
  const rule = ctx.law.fileReview;
  if (rule.value === 'all-referred' && patched(PATCHES.referredFilesReviewed)) {
    rec.enterStage('FILE_REVIEW', 'agency', 'review of the files the referral carries');
    const all = state.tip.files.map((f) => f.fileId);
    if (!state.filesReviewed && all.length > 0) {
      await ctx.step('review-referred-files', (c) => systems.agency.reviewFiles(c, { fileIds: all }));
      rec.log('response', `${all.length} referred file(s) reviewed (${rule.source})`, 'system:agency');
    }
    state.filesReviewed = true;
    return { decide: 'evidence-route' };
  }
  rec.enterStage('FILE_REVIEW', 'agency', 'review of the files the provider itself viewed');
  // United States v. Wilson: only files the provider viewed may be opened without a warrant.
  const viewed = state.tip.files.filter((f) => f.fileViewedByEsp).map((f) => f.fileId);
  const unviewed = state.tip.files.length - viewed.length;
  if (!state.filesReviewed && viewed.length > 0) {
    await ctx.step('review-viewed-files', (c) => systems.agency.reviewFiles(c, { fileIds: viewed }));
    rec.log('response', `${viewed.length} file(s) viewed by the provider reviewed without a warrant`, 'system:agency');
  }
  if (unviewed > 0)
    rec.log('stage', `file-view gate: ${unviewed} file(s) not viewed by the provider need a warrant before anyone opens them (United States v. Wilson)`);
  state.filesReviewed = true;
  return { decide: 'evidence-route' };
}
