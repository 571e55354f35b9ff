/**
 * `casebridge case …` for the steps before the warrant (issue 14): an analyst's grade, a child
 * reported at risk, a case let close while a child's safeguarding goes on, a § 2703(d) order, and the
 * search warrant's return and off-site review. Same pattern as ./case-commands.ts: every value
 * checked with the workflow's own schema (the failing flag named, exit 2), then one update the case
 * validates. The safeguarding's own answers (identified, cps-case-opened, referral-decided, police
 * protection, …) go through `casebridge respond` on its request (`--request safeguarding-1`).
 */
import type { Command } from 'commander';
import {
  ACTOR_KEYS,
  AssessDangerSchema,
  DisseminateSchema,
  CloseWhileSafeguardingSchema,
  CompleteReviewSchema,
  ExtendReviewSchema,
  ReportChildAtRiskSchema,
  RequestRecordsOrderSchema,
  ReturnWarrantSchema,
  type CaseStatus,
} from '../../workflows/messages';
import { gradeScalesInWords } from '../../workflows/policy';
import { badInput } from './errors';
import { payload } from './args';
import { sendInput, withTimeout, type Timed } from './session';

/** A whole number as typed (`--items 12`), or exit 2 naming the flag. */
function count(value: string, flag: string): number {
  if (!/^-?\d{1,7}$/.test(value.trim())) throw badInput(`${flag}: must be a whole number, e.g. 12`);
  return Number(value);
}

/** The lines of a case's status about the steps before the warrant (for `case status`). */
export function preWarrantStatusLines(s: CaseStatus): string[] {
  const lines: string[] = [];
  if (s.grade)
    lines.push(`grade     ${s.grade.scale} ${s.grade.value} (${s.grade.means}; by ${s.grade.by}${s.grade.actBy ? `; act by ${s.grade.actBy}` : ''})`);
  const d = s.dangerCheck;
  if (d) {
    const decided = d.decision
      ? `; ${d.decision.imminent ? 'confirmed' : 'downgraded'} ${d.decision.grade} by ${d.decision.actor} (${d.decision.role}): ${d.decision.reasons}`
      : '';
    lines.push(
      `danger    ${d.state}: ${d.flaggedFor}${d.state === 'PENDING' && d.decideBy ? `; an analyst decides by ${d.decideBy}` : ''}${d.state === 'ESCALATED' ? '; a manager decides' : ''}${decided}`,
    );
  }
  if (s.childAtRisk)
    lines.push(
      `child     AT RISK, not yet safeguarded: ${s.requests
        .filter((r) => r.kind === 'safeguarding' && r.status !== 'SAFEGUARDED')
        .map((r) => `${r.requestId} ${r.status}`)
        .join(', ')}`,
    );
  const sub = s.subscriber;
  if (sub && sub.instrument !== 'none')
    lines.push(
      `subscriber ${sub.outcome ?? 'asked'} (${sub.provider}, ${sub.instrument})${sub.address ? `: ${sub.address}, ${sub.country}` : sub.reason ? `: ${sub.reason}` : ''}${sub.logsKeptUntil ? `; logs kept until ${sub.logsKeptUntil}` : ''}`,
    );
  const w = s.warrantReturn;
  if (w) {
    const extended = w.extensions.length ? `; extended ${w.extensions.map((e) => `to ${e.until} (${e.courtOrder})`).join(', ')}` : '';
    lines.push(
      `return    ${w.warrantId}: ${w.returnedAt ? `returned ${w.returnedAt} (${w.courtReference})` : `due ${w.returnDueAt ?? 'when the deployment says'}`}; review ${w.reviewCompletedAt ? `complete ${w.reviewCompletedAt}` : `until ${w.reviewDueAt ?? '-'}`}${extended}`,
    );
  }
  return lines;
}

export function registerPreWarrantCommands(program: Command): void {
  const caseCmd = program.commands.find((c) => c.name() === 'case') ?? program.command('case');
  // Who acts is the login (the API takes the actor and role from the credential; --as picks among a login's roles).
  const input = (name: string, description: string) => withTimeout(caseCmd.command(name)).description(description).argument('<CASE_ID>');

  input('assess-danger', 'analyst (a manager once escalated): grade the danger to a child — the top grade confirms imminent danger, a lower one downgrades it')
    .requiredOption('--grade <grade>', `a grade of the case's home scale (${gradeScalesInWords()})`)
    .requiredOption('--reasons <text>', 'what the decision rests on (recorded with who decided)')
    .action(async (id: string, o: Timed & { grade: string; reasons: string }) => {
      const flags = { grade: '--grade', reasons: '--reasons' };
      const u = payload(AssessDangerSchema.omit(ACTOR_KEYS), { grade: o.grade, reasons: o.reasons }, flags);
      await sendInput(id, o, 'assess-danger', u, flags, (s) => `graded ${s.grade?.scale ?? ''} ${s.grade?.value ?? u.grade} (priority ${s.priority ?? '-'})`);
    });

  input('disseminate', 'UK referrals bureau (an analyst, or a manager): pass a triaged referral to a force or regional unit, whose own case investigates')
    .requiredOption('--unit <unit>', 'the force or regional unit (ROCU) that takes the referral')
    .requiredOption('--reason <text>', 'why this force or unit (recorded with who decided)')
    .action(async (id: string, o: Timed & { unit: string; reason: string }) => {
      const flags = { unit: '--unit', reason: '--reason' };
      const u = payload(DisseminateSchema.omit(ACTOR_KEYS), { unit: o.unit, reason: o.reason }, flags);
      await sendInput(id, o, 'disseminate', u, flags, (s) => `disseminated: ${s.stage}${s.outcome ? ` ${s.outcome}` : ''}`);
    });

  input('child-at-risk', 'say a child is identified or at risk: a safeguarding opens beside the case at once')
    .requiredOption('--child <identified|at-risk>', 'identified: the child is known (straight to CPS or the local authority); at-risk: to be identified first')
    .requiredOption('--reason <text>', 'why the child is at risk')
    .action(async (id: string, o: Timed & { child: string; reason: string }) => {
      const flags = { child: '--child', reason: '--reason' };
      const u = payload(ReportChildAtRiskSchema.omit(ACTOR_KEYS), { child: o.child, reason: o.reason }, flags);
      await sendInput(id, o, 'child-at-risk', u, flags, () => 'safeguarding opening beside the case');
    });

  input('close-while-safeguarding', 'let the case close while a child’s safeguarding goes on beside it (it waits for this, or for the safeguarding to end)')
    .requiredOption('--reason <text>', 'why the case may close first')
    .action(async (id: string, o: Timed & { reason: string }) => {
      const flags = { reason: '--reason' };
      const u = payload(CloseWhileSafeguardingSchema.omit(ACTOR_KEYS), { reason: o.reason }, flags);
      await sendInput(id, o, 'close-while-safeguarding', u, flags, () => 'the case may close while the safeguarding goes on');
    });

  input('request-records-order', 'after subscriber identification came back without the subscriber: apply for a § 2703(d) order on your facts')
    .requiredOption('--facts <text>', 'the specific and articulable facts (18 U.S.C. § 2703(d)); they go to the court and the timeline')
    .action(async (id: string, o: Timed & { facts: string }) => {
      const flags = { facts: '--facts' };
      const u = payload(RequestRecordsOrderSchema.omit(ACTOR_KEYS), { facts: o.facts }, flags);
      await sendInput(id, o, 'records-order', u, flags, () => '§ 2703(d) application accepted');
    });

  input('return-warrant', 'return the executed search warrant to the magistrate judge with its verified inventory (Rule 41(f)(1))')
    .requiredOption('--inventory <text>', 'what was seized or copied, as verified')
    .requiredOption('--items <n>', 'how many items the inventory lists')
    .action(async (id: string, o: Timed & { inventory: string; items: string }) => {
      const flags = { inventory: '--inventory', items: '--items' };
      const u = payload(ReturnWarrantSchema.omit(ACTOR_KEYS), { inventory: o.inventory, items: count(o.items, '--items') }, flags);
      await sendInput(id, o, 'warrant-return', u, flags, () => 'return filed with the court');
    });

  input('extend-review', 'record a court’s extension of the off-site review of seized electronic data (Rule 41(e)(2)(B))')
    .requiredOption('--until <date-time>', 'the new end, ISO 8601 (e.g. 2027-03-01T00:00:00Z); after the current one')
    .requiredOption('--court-order <ref>', 'the court’s order extending it')
    .option('--reason <text>', 'why the court extended it')
    .action(async (id: string, o: Timed & { until: string; courtOrder: string; reason?: string }) => {
      const flags = { until: '--until', courtOrder: '--court-order', reason: '--reason' };
      const u = payload(ExtendReviewSchema.omit(ACTOR_KEYS), { until: o.until, courtOrder: o.courtOrder, reason: o.reason }, flags);
      await sendInput(id, o, 'review-extension', u, flags, (s) => `off-site review extended to ${s.warrantReturn?.reviewDueAt ?? u.until}`);
    });

  input('complete-review', 'record the off-site review of the seized data complete')
    .requiredOption('--summary <text>', 'what the review found, or that it is complete')
    .action(async (id: string, o: Timed & { summary: string }) => {
      const flags = { summary: '--summary' };
      const u = payload(CompleteReviewSchema.omit(ACTOR_KEYS), { summary: o.summary }, flags);
      await sendInput(id, o, 'review-complete', u, flags, () => 'off-site review complete');
    });
}
