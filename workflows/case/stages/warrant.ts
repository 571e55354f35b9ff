/**
 * Evidence held at home: a search warrant for content (18 U.S.C. § 2703(a)) — denied applications
 * may be amended and refiled as policy allows — executed within Rule 41's window, else it expires and
 * the coordinator decides again.
 */
import { patched } from '@temporalio/workflow';
import { DAY_MS, INSTRUMENTS } from '../../policy';
import type { Stage } from '../../vocabulary';
import { systems, type CaseContext } from '../context';
import type { Next } from '../record';
import { haveEvidence } from '../routes';
import { PATCHES } from '../patches';
import { AWAITING_APPROVAL } from '../../requests/machines';
import { documentToSend, documentsForEveryRequest, sentWithDocument } from '../documents';
import { openWarrantReturn } from './warrant-return';

export async function warrant(ctx: CaseContext): Promise<Stage> {
  const { state, rec, caseId } = ctx;
  const allowed = 1 + INSTRUMENTS.warrant.reapplications.value;
  for (;;) {
    const mayApply = state.warrantApplications === 0 || state.pendingAmendment;
    if (mayApply) {
      rec.enterStage('WARRANT', 'court', 'the court’s decision on the search warrant application');
      const application = state.warrantApplications + 1;
      const requestId = `${caseId}/search-warrant-${application}`;
      if (!rec.request(requestId) && documentsForEveryRequest()) {
        rec.openRequest(
          requestId,
          'search-warrant',
          'coordinator',
          `application ${application} of ${allowed} and its affidavit generated from the case (§ 2703(a))`,
          AWAITING_APPROVAL,
        );
      }
      if (rec.request(requestId)?.status === AWAITING_APPROVAL) {
        state.currentRequest = requestId;
        const papers = [await documentToSend(ctx, requestId, 'search-warrant-application'), await documentToSend(ctx, requestId, 'search-warrant-affidavit')];
        const hashes = papers.map((d) => `${d.documentId} version ${d.version}, sha256 ${d.contentHash}`).join('; ');
        sentWithDocument(
          ctx,
          `search-warrant-${application}`,
          requestId,
          `application ${application} of ${allowed} filed with the court (§ 2703(a)): ${hashes}`,
        );
      }
      rec.openRequest(requestId, 'search-warrant', 'court', `application ${application} of ${allowed} filed with the court (§ 2703(a))`);
      const decision = await ctx.step(`search-warrant-${application}`, (c) =>
        systems.court.applyForSearchWarrant(c, {
          application,
          fileIds: state.tip.files.map((f) => f.fileId),
          ...(state.pendingAmendment ? { amendment: 'see the amended affidavit filed by the coordinator' } : {}),
        }),
      );
      state.warrantApplications = application;
      state.pendingAmendment = false;
      rec.clearDeadline('triage-target');
      if (decision.granted) {
        ctx.answered(`search-warrant-${application}`, requestId, 'GRANTED', '', decision.warrantId);
        state.warrant = { warrantId: decision.warrantId, grantedAt: rec.now() };
        return 'WARRANT_EXECUTION';
      }
      ctx.answered(`search-warrant-${application}`, requestId, 'DENIED', decision.reason);
    }
    const left = allowed - state.warrantApplications;
    rec.enterStage('WARRANT', 'coordinator', left > 0 ? `an amended application (${left} left) or withdrawal` : 'withdrawal: no applications left');
    state.awaiting = 'coordinator';
    rec.publish();
    await ctx.waitUntil(() => state.pendingAmendment);
  }
}

export async function warrantExecution(ctx: CaseContext): Promise<Next> {
  const { state, rec, caseId } = ctx;
  const w = state.warrant!;
  const requestId = `${caseId}/search-warrant-${state.warrantApplications}`;
  rec.enterStage('WARRANT_EXECUTION', 'agency', `execution of search warrant ${w.warrantId}`);
  const rule = INSTRUMENTS.warrant.execution;
  if (rec.deadline('warrant-execution') === undefined) rec.setDeadline('warrant-execution', Date.parse(w.grantedAt) + ctx.ms(rule.value), rule.source);
  const executeBy = rec.deadline('warrant-execution')!;
  if (!w.scheduledFor) {
    const { scheduledFor } = await ctx.step(`schedule-execution-${state.warrantApplications}`, (c) =>
      systems.agency.scheduleWarrantExecution(c, {
        warrantId: w.warrantId,
        application: state.warrantApplications,
        executeBy: new Date(executeBy).toISOString(),
        asOf: rec.now(),
        dayScale: ctx.ms({ days: 1 }) / DAY_MS,
      }),
    );
    w.scheduledFor = scheduledFor;
    rec.log('response', `execution scheduled for ${scheduledFor}`, 'system:agency');
  }
  const scheduled = Date.parse(w.scheduledFor);
  if (scheduled > executeBy) {
    // Nothing can happen before the deadline: wait it out, so the case shows the expiry when it is real.
    await ctx.waitUntil(() => false, executeBy);
    rec.clearDeadline('warrant-execution');
    ctx.answered('warrant-execution', requestId, 'EXPIRED', `not executed within ${rule.value.days} days (${rule.source})`);
    // Added after cases were already running: histories recorded before it replay without the alert.
    if (patched(PATCHES.alertOnWarrantExpiry)) {
      await ctx.step(`warrant-expiry-alert-${state.warrantApplications}`, (c) =>
        systems.agency.alert(c, { to: 'coordinator', kind: 'warrant-expired', message: `case ${caseId}: search warrant ${w.warrantId} expired unexecuted` }),
      );
      rec.log('alert', `coordinator alerted: search warrant ${w.warrantId} expired unexecuted`);
    }
    state.warrant = null;
    return 'WARRANT';
  }
  await ctx.waitUntil(() => false, scheduled);
  const { evidenceId } = await ctx.step(`serve-warrant-${state.warrantApplications}`, (c) =>
    systems.provider.serveWarrant(c, { provider: state.tip.reporter.espName, warrantId: w.warrantId }),
  );
  rec.clearDeadline('warrant-execution');
  ctx.answered(`serve-warrant-${state.warrantApplications}`, requestId, 'EXECUTED', `evidence ${evidenceId} received`);
  // Added after cases were already running: histories recorded before it replay without the return. Rule 41 is US federal law.
  if (state.homeCountry === 'US' && patched(PATCHES.warrantReturn)) await openWarrantReturn(ctx, w.warrantId);
  return haveEvidence(ctx, `search warrant ${w.warrantId} executed: ${evidenceId}`);
}
