/**
 * A search warrant under the home law (workflows/policy/home-law.ts) — denied applications may be
 * amended and refiled as policy allows — executed within the law's window, else it expires and the
 * coordinator decides again. US: for the content a provider holds at home (18 U.S.C. § 2703(a)), served
 * on the provider within Rule 41's 14 days. UK: for the suspect's premises (PACE 1984 s.8), issued by a
 * justice of the peace, entered within three months (s.16(3)) by the force; the arrest is made on the search.
 */
import { patched } from '@temporalio/workflow';
import { DAY_MS, HOME_LAW, INSTRUMENTS, type Period } from '../../policy';
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
  const law = ctx.law.searchWarrant;
  const us = ctx.law === HOME_LAW.US;
  const filed = us ? 'filed with the court (§ 2703(a))' : `laid before ${law.issuer} (${law.citation})`;
  for (;;) {
    const mayApply = state.warrantApplications === 0 || state.pendingAmendment;
    if (mayApply) {
      rec.enterStage(
        'WARRANT',
        'court',
        us
          ? 'the court’s decision on the search warrant application'
          : `the decision of ${law.issuer} on the application to search the suspect’s premises (${law.citation})`,
      );
      const application = state.warrantApplications + 1;
      const requestId = `${caseId}/search-warrant-${application}`;
      if (!rec.request(requestId) && documentsForEveryRequest()) {
        rec.openRequest(
          requestId,
          'search-warrant',
          'coordinator',
          us
            ? `application ${application} of ${allowed} and its affidavit generated from the case (§ 2703(a))`
            : `application ${application} of ${allowed}, the information for ${law.issuer}, generated from the case (${law.citation})`,
          AWAITING_APPROVAL,
        );
      }
      if (rec.request(requestId)?.status === AWAITING_APPROVAL) {
        state.currentRequest = requestId;
        const papers = [];
        for (const kind of ctx.law.papers.searchWarrant) papers.push(await documentToSend(ctx, requestId, kind));
        const hashes = papers.map((d) => `${d.documentId} version ${d.version}, sha256 ${d.contentHash}`).join('; ');
        sentWithDocument(ctx, `search-warrant-${application}`, requestId, `application ${application} of ${allowed} ${filed}: ${hashes}`);
      }
      rec.openRequest(requestId, 'search-warrant', 'court', `application ${application} of ${allowed} ${filed}`);
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
  const law = ctx.law.searchWarrant;
  rec.enterStage(
    'WARRANT_EXECUTION',
    'agency',
    law.searches === 'premises' ? `the search of the suspect’s premises under warrant ${w.warrantId}` : `execution of search warrant ${w.warrantId}`,
  );
  const rule = law.execution;
  if (rec.deadline('warrant-execution') === undefined) rec.setDeadline('warrant-execution', ctx.after(Date.parse(w.grantedAt), rule.value), rule.source);
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
    ctx.answered('warrant-execution', requestId, 'EXPIRED', `not executed within ${periodText(rule.value)} (${rule.source})`);
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
  if (law.searches === 'premises') return searchThePremises(ctx, w.warrantId, requestId);
  const { evidenceId } = await ctx.step(`serve-warrant-${state.warrantApplications}`, (c) =>
    systems.provider.serveWarrant(c, { provider: state.tip.reporter.espName, warrantId: w.warrantId }),
  );
  rec.clearDeadline('warrant-execution');
  ctx.answered(`serve-warrant-${state.warrantApplications}`, requestId, 'EXECUTED', `evidence ${evidenceId} received`);
  // Added after cases were already running: histories recorded before it replay without the return. Rule 41 is US federal law.
  if (state.homeCountry === 'US' && patched(PATCHES.warrantReturn)) await openWarrantReturn(ctx, w.warrantId);
  return haveEvidence(ctx, `search warrant ${w.warrantId} executed: ${evidenceId}`);
}

/** "14 days", "3 months": a period as the statute says it. */
function periodText(p: Period): string {
  const parts = [
    ...(p.months ? [`${p.months} month${p.months === 1 ? '' : 's'}`] : []),
    ...(p.days ? [`${p.days} day${p.days === 1 ? '' : 's'}`] : []),
    ...(p.hours ? [`${p.hours} hour${p.hours === 1 ? '' : 's'}`] : []),
  ];
  return parts.join(' ') || '0 days';
}

/** The force enters and searches the premises; what it seized is evidence, and the suspect is arrested on the search. */
async function searchThePremises(ctx: CaseContext, warrantId: string, requestId: string): Promise<Next> {
  const { state, rec } = ctx;
  const { evidenceId, itemsSeized } = await ctx.step(`search-premises-${state.warrantApplications}`, (c) => systems.agency.searchPremises(c, { warrantId }));
  rec.clearDeadline('warrant-execution');
  state.premisesSearched = true;
  ctx.answered(`search-premises-${state.warrantApplications}`, requestId, 'EXECUTED', `premises searched: ${itemsSeized} items seized (${evidenceId})`);
  if (state.evidenceInHand) return { decide: 'suspect-route' };
  return haveEvidence(ctx, `search warrant ${warrantId} executed at the premises: ${evidenceId}`);
}
