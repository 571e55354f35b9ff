/**
 * The human inputs of the steps before the warrant (issue 14): an analyst's grade, a child reported
 * at risk, a case let close while a child's safeguarding goes on, a § 2703(d) order applied for, and
 * the search warrant's return and off-site review. Each an update whose validator decides on the
 * record as it stands, naming the field at fault; the handler records who did it and why.
 */
import {
  AssessDangerSchema,
  CloseWhileSafeguardingSchema,
  CompleteReviewSchema,
  ExtendReviewSchema,
  ReportChildAtRiskSchema,
  RequestRecordsOrderSchema,
  ReturnWarrantSchema,
  assessDanger,
  closeWhileSafeguarding,
  completeReview,
  extendReview,
  reportChildAtRisk,
  requestRecordsOrder,
  returnWarrant,
} from '../messages';
import { WARRANT_RETURN, periodMs, topGrade, gradeScaleFor, gradeOf } from '../policy';
import type { CaseContext } from './context';
import { openSafeguarding } from './record';
import { register, type InputTools } from './register-input';
import { applyGrade, gradeRefusal, queueSafeguarding } from './stages/danger';

export function registerPreWarrantInputs(ctx: CaseContext, { accept, reject }: InputTools): void {
  const { state, rec, caseId } = ctx;

  register(
    ctx,
    assessDanger,
    (raw) => {
      const u = accept('assessDanger', AssessDangerSchema, raw);
      const refused = gradeRefusal(ctx, u.grade);
      if (refused) reject(refused);
      return u;
    },
    (u) => applyGrade(ctx, u),
  );

  register(
    ctx,
    reportChildAtRisk,
    (raw) => accept('reportChildAtRisk', ReportChildAtRiskSchema, raw),
    (u) => {
      rec.input('input', `a child reported ${u.child === 'identified' ? 'identified' : 'at risk'}: ${u.reason}`, u);
      const scale = gradeScaleFor(state.homeCountry);
      const urgent = state.grade !== undefined && gradeOf(scale, state.grade.value) === topGrade(scale);
      queueSafeguarding(ctx, {
        reason: u.child === 'identified' ? 'child-identified' : 'child-at-risk',
        identified: u.child === 'identified',
        urgent,
        by: u.actor,
        why: u.reason,
      });
    },
  );

  register(
    ctx,
    closeWhileSafeguarding,
    (raw) => {
      const u = accept('closeWhileSafeguarding', CloseWhileSafeguardingSchema, raw);
      if (openSafeguarding(state).length === 0) reject(`case ${caseId} has no child’s safeguarding open: it closes without this`);
      if (state.closeWhileSafeguarding)
        reject(
          `case ${caseId} may already close while its safeguarding goes on (${state.closeWhileSafeguarding.actor}: ${state.closeWhileSafeguarding.reason})`,
        );
      return u;
    },
    (u) => {
      state.closeWhileSafeguarding = { reason: u.reason, actor: u.actor, role: u.role, at: rec.now() };
      rec.input('input', `the case may close while ${openSafeguarding(state).join(', ')} goes on beside it: ${u.reason}`, u);
    },
  );

  register(
    ctx,
    requestRecordsOrder,
    (raw) => {
      const u = accept('requestRecordsOrder', RequestRecordsOrderSchema, raw);
      const sub = state.subscriber;
      if (state.homeCountry !== 'US') reject(`case ${caseId} is run under ${state.homeCountry} law: a § 2703(d) order is US process`);
      if (state.stage !== 'JURISDICTION' || !sub || sub.abroad || sub.outcome === undefined || sub.outcome === 'identified') {
        reject(`case ${caseId} is in stage ${state.stage}: a § 2703(d) order is applied for once subscriber identification came back without the subscriber`);
      }
      if (sub!.orderFacts !== undefined) reject(`case ${caseId} already has a § 2703(d) application waiting to be filed`);
      return u;
    },
    (u) => {
      state.subscriber!.orderFacts = u.facts;
      // The facts go to the court with the application and into the timeline, nowhere else.
      rec.input('input', `§ 2703(d) order applied for on the facts: ${u.facts}`, u);
    },
  );

  const executed = (what: string) => {
    const w = state.warrantReturn;
    if (!w) reject(`case ${caseId} has no executed search warrant to ${what}`);
    return w!;
  };
  register(
    ctx,
    returnWarrant,
    (raw) => {
      const u = accept('returnWarrant', ReturnWarrantSchema, raw);
      const w = executed('return');
      if (w.returnedAt) reject(`search warrant ${w.warrantId} was returned already (${w.returnedAt}, ${w.courtReference ?? 'no reference'})`);
      if (w.filing) reject(`the return of search warrant ${w.warrantId} is being filed`);
      return u;
    },
    (u) => {
      const w = state.warrantReturn!;
      w.filing = { inventory: u.inventory, items: u.items, actor: u.actor };
      rec.input('input', `inventory of search warrant ${w.warrantId} verified (${u.items} item(s)): ${u.inventory}; return to the magistrate judge filed`, u);
    },
  );

  register(
    ctx,
    extendReview,
    (raw) => {
      const u = accept('extendReview', ExtendReviewSchema, raw);
      const w = executed('extend the review of');
      if (w.reviewCompletedAt) reject(`the off-site review under search warrant ${w.warrantId} is complete (${w.reviewCompletedAt})`);
      const until = Date.parse(u.until);
      const current = w.reviewDueAt ? Date.parse(w.reviewDueAt) : Date.now();
      if (until <= current) reject(`until: must be after the review's current end (${new Date(current).toISOString()})`);
      const longest = WARRANT_RETURN.longestExtension;
      if (until - current > periodMs(longest.value))
        reject(`until: an extension recorded at once covers at most ${longest.value.days} days (${longest.source})`);
      return u;
    },
    (u) => {
      const w = state.warrantReturn!;
      w.extensions.push({
        until: new Date(Date.parse(u.until)).toISOString(),
        courtOrder: u.courtOrder,
        ...(u.reason ? { reason: u.reason } : {}),
        actor: u.actor,
        at: rec.now(),
      });
      w.reviewDueAt = new Date(Date.parse(u.until)).toISOString();
      rec.setDeadline(
        'off-site-review',
        Date.parse(u.until),
        `court order ${u.courtOrder} extended the off-site review (${WARRANT_RETURN.offSiteReview.source})`,
      );
      rec.input(
        'input',
        `off-site review under search warrant ${w.warrantId} extended to ${w.reviewDueAt} by court order ${u.courtOrder}${u.reason ? `: ${u.reason}` : ''}`,
        u,
      );
    },
  );

  register(
    ctx,
    completeReview,
    (raw) => {
      const u = accept('completeReview', CompleteReviewSchema, raw);
      const w = executed('complete the review of');
      if (w.reviewCompletedAt) reject(`the off-site review under search warrant ${w.warrantId} was completed already (${w.reviewCompletedAt})`);
      return u;
    },
    (u) => {
      const w = state.warrantReturn!;
      w.reviewCompletedAt = rec.now();
      rec.clearDeadline('off-site-review');
      rec.input('input', `off-site review under search warrant ${w.warrantId} complete: ${u.summary}`, u);
    },
  );
}
