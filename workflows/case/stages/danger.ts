/**
 * Imminent danger: flagged by the system at triage (the tip's escalation, annotations, a planned
 * meeting, a victim's location; what the assessment found in the content), decided by a person. While
 * an analyst decides, the case acts on the top grade of its home country's scale (the safer side) and
 * the child's safeguarding opens at once; unanswered within the policy interval, a manager is asked
 * (the escalation runs beside the stages, ./beside.ts). The grade — NCMEC priority in the US, KIRAT in
 * the UK — then sets the priority the rest of the case routes by and how soon it must be acted on.
 */
import type { Assessment } from '../../../activities/ports';
import { dangerIndicators, describeIndicators } from '../../indicators';
import type { AssessDanger } from '../../messages';
import { IMMINENT_DANGER, gradeForPriority, gradeOf, gradeScaleFor, topGrade, type Grade, type GradeScale } from '../../policy';
import type { CaseContext } from '../context';
import { openSafeguarding, type SafeguardingOpening } from '../record';

/** Sets the case's grade and, while the case has not been acted on, how soon it must be. */
function setGrade(ctx: CaseContext, scale: GradeScale, grade: Grade, by: string, from: number): void {
  const { state, rec } = ctx;
  state.priority = grade.priority;
  const actBy = from + ctx.ms(grade.actWithin.value);
  state.grade = { scale: scale.name, value: grade.value, means: grade.means, by, actBy: new Date(actBy).toISOString(), source: grade.actWithin.source };
  // Acted on already (a warrant applied for, a request abroad under way): no target to reset.
  if (rec.deadline('triage-target') !== undefined) rec.setDeadline('triage-target', actBy, grade.actWithin.source);
}

/** Triage: what the tip (and the assessment) show; a flag makes the case act on the top grade and opens the child's safeguarding. */
export function flagImminentDanger(ctx: CaseContext, assessment: Assessment, triagedAt: number): void {
  const { state, rec } = ctx;
  state.safeguarding ??= { pending: [], opened: 0 };
  const scale = gradeScaleFor(state.homeCountry);
  if (gradedByTheReferral(ctx, scale, triagedAt)) return;
  const flag = dangerIndicators(state.tip, assessment.indicators ?? []);
  if (flag.indicators.length === 0) {
    const g = gradeForPriority(scale, assessment.priority);
    state.grade = { scale: scale.name, value: g.value, means: g.means, by: 'assessment', source: scale.source };
    return;
  }
  const rule = IMMINENT_DANGER.analystDecision;
  const decideBy = Date.now() + ctx.ms(rule.value);
  const flaggedFor = describeIndicators(flag);
  state.danger = { state: 'PENDING', flaggedAt: rec.now(), indicators: flag.indicators, flaggedFor, decideBy: new Date(decideBy).toISOString() };
  const top = topGrade(scale);
  setGrade(ctx, scale, top, 'pending', triagedAt);
  rec.log(
    'alert',
    `imminent danger flagged by the system (${flaggedFor}); an analyst decides by ${state.danger.decideBy}; meanwhile the case acts as ${scale.title} ${top.value} (${IMMINENT_DANGER.actAsTopGradeWhilePending.source})`,
  );
  rec.setDeadline('imminent-danger-check', decideBy, rule.source);
  const handedOver = state.takenOver ? openSafeguarding(state) : [];
  if (handedOver.length > 0) {
    rec.log('request', `the child is safeguarded under ${handedOver.join(', ')}, handed over from the referral: no second track opens`);
    return;
  }
  queueSafeguarding(ctx, { reason: 'imminent-danger', identified: false, urgent: true, by: 'system:casebridge', why: flaggedFor });
}

/**
 * A force's case that took over from its referral (patch safeguarding-handover) starts from the grade the
 * referrals bureau decided — its analyst's, or its assessment's — and does not ask again: the force's
 * analyst re-grades with assess-danger when the force's own assessment says otherwise. A flag the bureau's
 * analyst had not decided yet is decided here, as in any case.
 */
function gradedByTheReferral(ctx: CaseContext, scale: GradeScale, triagedAt: number): boolean {
  const { state, rec } = ctx;
  const from = state.takenOver ? state.disseminatedFrom : undefined;
  const g = from?.grade;
  const grade = g && g.scale === scale.name && g.by !== undefined && g.by !== 'pending' ? gradeOf(scale, g.value) : undefined;
  if (!from || !g || !grade) return false;
  setGrade(ctx, scale, grade, g.by === 'assessment' ? `referral:${from.unit}` : g.by!, triagedAt);
  const decided = g.by === 'assessment' ? 'from its assessment' : `decided by ${g.by}`;
  rec.log(
    'response',
    `graded ${scale.title} ${grade.value} (${grade.means}) by the referrals bureau ${from.unit} (${decided}): the force acts on it by ${state.grade!.actBy}; an analyst re-grades with assess-danger`,
  );
  return true;
}

/** Why `raw` is not a grade of the case's scale, as `grade: …`, or undefined. */
export function gradeRefusal(ctx: CaseContext, grade: string): string | undefined {
  const scale = gradeScaleFor(ctx.state.homeCountry);
  if (gradeOf(scale, grade)) return undefined;
  return `grade: '${grade}' is not a grade of the ${scale.title} scale this case is graded on (home ${ctx.state.homeCountry}): one of ${scale.grades.map((g) => g.value).join(', ')}`;
}

/** A person's grade (already checked): confirms or downgrades a flag, or re-grades the case. */
export function applyGrade(ctx: CaseContext, u: AssessDanger): void {
  const { state, rec } = ctx;
  const scale = gradeScaleFor(state.homeCountry);
  const grade = gradeOf(scale, u.grade)!;
  const top = topGrade(scale);
  const imminent = grade === top;
  const d = state.danger;
  const at = rec.now();
  let what: string;
  if (d && d.state !== 'DECIDED') {
    what = imminent
      ? `imminent danger confirmed: ${scale.title} ${grade.value}`
      : `imminent danger downgraded to ${scale.title} ${grade.value} (${grade.means})`;
    d.state = 'DECIDED';
    rec.clearDeadline('imminent-danger-check');
  } else {
    what = `re-graded ${scale.title} ${grade.value} (${grade.means})${imminent ? ': imminent danger' : ''}`;
  }
  if (d) d.decision = { grade: grade.value, imminent, reasons: u.reasons, actor: u.actor, role: u.role, ...(u.actorId ? { actorId: u.actorId } : {}), at };
  setGrade(ctx, scale, grade, u.actor, d ? Date.parse(d.flaggedAt) : Date.now());
  rec.input('input', `${what}; act by ${state.grade!.actBy} (${grade.actWithin.source}) — reasons: ${u.reasons}`, u);
  if (imminent && !hasSafeguarding(ctx)) {
    queueSafeguarding(ctx, {
      reason: 'imminent-danger',
      identified: false,
      urgent: true,
      by: u.actor,
      why: `imminent danger confirmed by ${u.actor}: ${u.reasons}`,
    });
  }
  rec.publish();
}

function hasSafeguarding({ state }: CaseContext): boolean {
  return (state.safeguarding?.pending.length ?? 0) > 0 || state.requests.some((r) => r.kind === 'safeguarding');
}

/** A child's safeguarding to open beside the case: the work beside the stages opens it at once. */
export function queueSafeguarding(ctx: CaseContext, opening: SafeguardingOpening): void {
  const { state, rec } = ctx;
  const sg = (state.safeguarding ??= { pending: [], opened: 0 });
  // A track whose workflow stopped on a failed step is taken over by the new one.
  for (const r of state.requests.filter((x) => x.kind === 'safeguarding' && x.attention !== undefined && !(sg.superseded ?? []).includes(x.requestId))) {
    (sg.superseded ??= []).push(r.requestId);
    rec.log('request', `${r.requestId} (stopped: ${r.attention}) is superseded by the safeguarding opened now`);
  }
  sg.pending.push(opening);
  rec.log(
    'alert',
    `a child’s safeguarding opens beside the case (${opening.reason}): ${opening.why}`,
    opening.by.startsWith('system:') ? opening.by : undefined,
  );
  rec.publish();
}
