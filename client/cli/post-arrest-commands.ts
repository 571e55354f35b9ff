/**
 * `casebridge case …` after the arrest (issue 15). US: `court-event` (initial appearance, detention
 * hearing, preliminary hearing, indictment), `exclude-delay` (Speedy Trial Act § 3161(h)),
 * `decide-prosecution` (federal, state, declined). UK: `review-detention` (PACE s.40),
 * `extend-detention` (s.42 superintendent, ss.43–44 court), `charging-decision`, `extend-bail`
 * (ss.47ZD–47ZF). Same pattern as ./pre-warrant-commands.ts: every value checked with the workflow's
 * own schema (the failing flag named, exit 2), then one input through the API as the person logged in.
 * A partner's answer to a referral goes through `casebridge respond` on its request (`prosecution-referral-1`).
 */
import type { Command } from 'commander';
import {
  ACTOR_KEYS,
  ChargingDecisionSchema,
  DecideProsecutionSchema,
  ExcludeDelaySchema,
  ExtendBailSchema,
  ExtendDetentionSchema,
  RecordCourtEventBodySchema,
  ReviewDetentionSchema,
  type CaseStatus,
} from '../../workflows/messages';
import { EXCLUDABLE_DELAY_GROUND_NAMES } from '../../workflows/policy';
import { payload } from './args';
import { badInput } from './errors';
import { sendInput, withTimeout, type Timed } from './session';

function days(value: string, flag: string): number {
  if (!/^\d{1,4}$/.test(value.trim())) throw badInput(`${flag}: must be a whole number of days, e.g. 10`);
  return Number(value);
}

/** The lines of a case's status about custody and charging (for `case status`). */
export function postArrestStatusLines(s: CaseStatus): string[] {
  const c = s.custody;
  if (!c) return [];
  const lines = [`custody   ${c.law} law; arrested ${c.arrestedAt} (${c.via}${c.warrantless ? ', warrantless' : ''})`];
  if (c.law === 'US') {
    if (c.initialAppearanceAt) lines.push(`court     initial appearance ${c.initialAppearanceAt}: ${c.custody}; detention hearing ${c.detentionHearing}`);
    if (c.excluded.length) lines.push(`excluded  ${c.excluded.map((e) => `${e.days}d ${e.cite}`).join(', ')}`);
    if (c.prosecution) lines.push(`decision  ${c.prosecution.decision}${c.prosecution.partner ? ` → ${c.prosecution.partner}` : ''}: ${c.prosecution.reason}`);
    if (c.indictedAt) lines.push(`indicted  ${c.indictedAt} (${c.indictment})`);
  } else {
    lines.push(`detention until ${c.detentionUntil ?? '-'}; ${c.reviews.length} review(s); ${c.extensions.length} extension(s)`);
    if (c.bail) lines.push(`bail      until ${c.bail.endsAt} (${c.bail.extensions.map((e) => e.authority).join(', ') || 'initial period'})`);
    if (c.decision) lines.push(`decision  ${c.decision.decision}: ${c.decision.reason}`);
  }
  if (c.missed.length) lines.push(`MISSED    ${c.missed.map((m) => `${m.name} (due ${m.dueAt})`).join(', ')}`);
  return lines;
}

export function registerPostArrestCommands(program: Command): void {
  const caseCmd = program.commands.find((c) => c.name() === 'case') ?? program.command('case');
  const input = (name: string, description: string) => withTimeout(caseCmd.command(name)).description(description).argument('<CASE_ID>');

  input('court-event', 'US, coordinator: record a court’s event after the arrest')
    .requiredOption('--event <event>', 'initial-appearance, detention-hearing, preliminary-hearing or indictment')
    .option('--custody <detained|released>', 'initial-appearance, detention-hearing: the person detained or released')
    .option('--detention-hearing <how>', 'initial-appearance: held, continued-defence (≤ 5 days), continued-government (≤ 3 days) or not-sought')
    .option('--reference <ref>', 'the court’s reference (required for an indictment)')
    .action(async (id: string, o: Timed & { event: string; custody?: string; detentionHearing?: string; reference?: string }) => {
      const flags = { event: '--event', custody: '--custody', detentionHearing: '--detention-hearing', reference: '--reference' };
      const raw = { event: o.event, custody: o.custody, detentionHearing: o.detentionHearing, reference: o.reference };
      const u = payload(RecordCourtEventBodySchema, Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)), flags);
      await sendInput(id, o, 'court-events', u, flags, (s) => `${u.event} recorded (stage ${s.stage}${s.outcome ? `, ${s.outcome}` : ''})`);
    });

  input('exclude-delay', 'US: record delay the Speedy Trial Act excludes; the indictment deadline moves by it')
    .requiredOption('--ground <ground>', `the § 3161(h) ground: ${EXCLUDABLE_DELAY_GROUND_NAMES.join(', ')}`)
    .requiredOption('--days <n>', 'how many days are excluded')
    .option('--order <ref>', 'the court’s order (ends-of-justice, evidence-abroad, deferred-prosecution need one)')
    .requiredOption('--reason <text>', 'why the delay is excluded')
    .action(async (id: string, o: Timed & { ground: string; days: string; order?: string; reason: string }) => {
      const flags = { ground: '--ground', days: '--days', order: '--order', reason: '--reason' };
      const u = payload(ExcludeDelaySchema.omit(ACTOR_KEYS), { ground: o.ground, days: days(o.days, '--days'), order: o.order, reason: o.reason }, flags);
      await sendInput(id, o, 'excludable-delay', u, flags, (s) => `indictment now due ${s.deadlines.find((d) => d.name === 'indictment')?.dueAt ?? '-'}`);
    });

  input('decide-prosecution', 'US: record the prosecution decision (Justice Manual 9-27.220)')
    .requiredOption('--decision <federal|state|declined>', 'federal, state (referred to a state partner) or declined')
    .option('--partner <name>', 'the partner the prosecution is referred to (required for state)')
    .requiredOption('--reason <text>', 'what the decision rests on')
    .action(async (id: string, o: Timed & { decision: string; partner?: string; reason: string }) => {
      const flags = { decision: '--decision', partner: '--partner', reason: '--reason' };
      const u = payload(DecideProsecutionSchema.omit(ACTOR_KEYS), { decision: o.decision, partner: o.partner, reason: o.reason }, flags);
      await sendInput(id, o, 'prosecution-decision', u, flags, () => `prosecution ${u.decision}`);
    });

  input('review-detention', 'UK: record a review of detention (PACE s.40); the next is due 9 hours later')
    .requiredOption('--reason <text>', 'why detention goes on')
    .action(async (id: string, o: Timed & { reason: string }) => {
      const flags = { reason: '--reason' };
      const u = payload(ReviewDetentionSchema.omit(ACTOR_KEYS), { reason: o.reason }, flags);
      await sendInput(id, o, 'detention-reviews', u, flags, (s) => `next review due ${s.deadlines.find((d) => d.name === 'custody-review')?.dueAt ?? '-'}`);
    });

  input('extend-detention', 'UK: record an extension of detention: a superintendent’s to 36 hours (a manager; s.42) or a court’s warrant (ss.43–44)')
    .requiredOption('--authority <superintendent|magistrates-court>', 'who extended it')
    .requiredOption('--until <date-time>', 'the new limit, ISO 8601')
    .option('--reference <ref>', 'the warrant of further detention (a court’s)')
    .requiredOption('--reason <text>', 'why detention without charge goes on')
    .action(async (id: string, o: Timed & { authority: string; until: string; reference?: string; reason: string }) => {
      const flags = { authority: '--authority', until: '--until', reference: '--reference', reason: '--reason' };
      const u = payload(ExtendDetentionSchema.omit(ACTOR_KEYS), { authority: o.authority, until: o.until, reference: o.reference, reason: o.reason }, flags);
      await sendInput(id, o, 'detention-extensions', u, flags, (s) => `detention until ${s.custody?.detentionUntil ?? u.until}`);
    });

  input('charging-decision', 'UK: record how custody (or pre-charge bail) ends')
    .requiredOption('--decision <decision>', 'charged, bailed, released-under-investigation or no-further-action')
    .option('--cps-reference <ref>', 'the CPS’s charging decision (for a charge)')
    .option('--dpp-consent', 'the CPS gave the DPP’s consent (Protection of Children Act 1978 s.1(3)); a charge needs it')
    .requiredOption('--reason <text>', 'what the decision rests on')
    .action(async (id: string, o: Timed & { decision: string; cpsReference?: string; dppConsent?: boolean; reason: string }) => {
      const flags = { decision: '--decision', cpsReference: '--cps-reference', dppConsent: '--dpp-consent', reason: '--reason' };
      const u = payload(
        ChargingDecisionSchema.omit(ACTOR_KEYS),
        { decision: o.decision, cpsReference: o.cpsReference, ...(o.dppConsent ? { dppConsent: true } : {}), reason: o.reason },
        flags,
      );
      await sendInput(id, o, 'charging-decision', u, flags, (s) => `${u.decision} (stage ${s.stage}${s.outcome ? `, ${s.outcome}` : ''})`);
    });

  input('extend-bail', 'UK: record an extension of pre-charge bail: inspector to 6 months, superintendent (a manager) to 9, then a court')
    .requiredOption('--authority <inspector|superintendent|magistrates-court>', 'who extended it')
    .option('--until <date-time>', 'a court’s extension: its end, ISO 8601')
    .option('--reference <ref>', 'a court’s order')
    .requiredOption('--reason <text>', 'why bail is extended')
    .action(async (id: string, o: Timed & { authority: string; until?: string; reference?: string; reason: string }) => {
      const flags = { authority: '--authority', until: '--until', reference: '--reference', reason: '--reason' };
      const u = payload(ExtendBailSchema.omit(ACTOR_KEYS), { authority: o.authority, until: o.until, reference: o.reference, reason: o.reason }, flags);
      await sendInput(id, o, 'bail-extensions', u, flags, (s) => `bail until ${s.custody?.bail?.endsAt ?? '-'}`);
    });
}
