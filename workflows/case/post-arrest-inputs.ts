/**
 * The human inputs after the arrest (issue 15). US: the court's events (initial appearance,
 * detention hearing, preliminary hearing, indictment), excludable delay that moves the indictment
 * deadline, the prosecution decision. UK: a review of detention, an extension of detention by the
 * rank or court the law names, the charging decision, an extension of pre-charge bail. Each validator
 * decides on the record as it stands, naming the field at fault; nothing in a handler may throw.
 *
 * Roles: CaseBridge has no custody-officer, inspector, superintendent or prosecutor role. The
 * coordinator records what a court, a prosecutor, the CPS, a review officer or an inspector did; a
 * superintendent's authority (PACE ss.42, 47ZDA) is the manager's.
 */
import {
  ChargingDecisionSchema,
  DecideProsecutionSchema,
  ExcludeDelaySchema,
  ExtendBailSchema,
  ExtendDetentionSchema,
  RecordCourtEventSchema,
  ReviewDetentionSchema,
  chargingDecision,
  decideProsecution,
  excludeDelay,
  extendBail,
  extendDetention,
  recordCourtEvent,
  reviewDetention,
} from '../messages';
import { EXCLUDABLE_DELAY_GROUNDS, GB_AFTER_ARREST, US_AFTER_ARREST, periodMs } from '../policy';
import type { Role } from '../vocabulary';
import type { CaseContext } from './context';
import { register, type InputTools } from './register-input';
import type { CustodyRecord } from './record';
import { bailEnd } from './stages/custody';

const iso = (ms: number) => new Date(ms).toISOString();

export function registerPostArrestInputs(ctx: CaseContext, { accept, reject }: InputTools): void {
  const { state, rec, caseId } = ctx;
  const us = US_AFTER_ARREST;
  const gb = GB_AFTER_ARREST;

  /** The custody record under `law`, in one of `stages`; refused otherwise, saying why. */
  const custodyIn = (law: 'US' | 'GB', what: string, stages: readonly string[] = ['CUSTODY', 'CHARGING']): CustodyRecord => {
    const c = state.custody;
    if (!c) return reject(`case ${caseId} is in stage ${state.stage}: ${what} comes after an arrest`);
    if (c.law !== law) return reject(`case ${caseId} is run under ${c.law} law: ${what} is ${law} process`);
    // US clocks start after the case reads the deployment's policy (an activity): an input meanwhile would be overwritten by them.
    if (!c.started) return reject(`case ${caseId} is starting its custody clocks: record ${what} again in a moment`);
    if (!stages.includes(state.stage)) return reject(`case ${caseId} is in stage ${state.stage}: ${what} is recorded in ${stages.join(' or ')}`);
    return c;
  };
  const onlyRole = (role: Role, allowed: Role, who: string, field = 'authority') => {
    if (role !== allowed) reject(`role: ${who} is recorded by ${allowed === 'manager' ? 'a manager' : 'a coordinator'} (${field})`);
  };

  /** Rule 5.1(c): 14 days after the initial appearance in custody, 21 out of it. */
  const setPreliminary = (c: CustodyRecord) => {
    const rule = c.custody === 'detained' ? us.preliminaryHearingInCustody : us.preliminaryHearingReleased;
    rec.setDeadline('preliminary-hearing', Date.parse(c.initialAppearanceAt!) + ctx.ms(rule.value), rule.source);
  };

  // ---- US
  register(
    ctx,
    recordCourtEvent,
    (raw) => {
      const u = accept('recordCourtEvent', RecordCourtEventSchema, raw);
      const c = custodyIn('US', 'a court event');
      switch (u.event) {
        case 'initial-appearance':
          if (c.initialAppearanceAt) reject(`event: the initial appearance was recorded already (${c.initialAppearanceAt})`);
          break;
        case 'detention-hearing':
          if (c.detentionHearing !== 'pending')
            reject(`event: no continued detention hearing is pending (${c.detentionHearing ?? 'no initial appearance yet'})`);
          break;
        case 'preliminary-hearing':
          if (!c.initialAppearanceAt) reject('event: the preliminary hearing follows the initial appearance (Rule 5.1(a))');
          if (c.preliminaryHearingAt) reject(`event: the preliminary hearing was recorded already (${c.preliminaryHearingAt})`);
          if (c.indictedAt) reject('event: no preliminary hearing after an indictment (Rule 5.1(a)(2))');
          break;
        case 'indictment':
          if (state.stage !== 'CHARGING') reject(`event: an indictment is recorded after the initial appearance, in CHARGING (the case is in ${state.stage})`);
          if (c.indictedAt) reject(`event: the indictment was recorded already (${c.indictment})`);
          if (c.prosecution && (c.prosecution.decision !== 'federal' || c.prosecution.partner !== undefined))
            reject(
              `event: the prosecution was decided ${c.prosecution.decision}${c.prosecution.partner ? ` (referred to ${c.prosecution.partner})` : ''}: no indictment here`,
            );
          break;
      }
      return u;
    },
    (u) => {
      const c = state.custody!;
      const now = Date.now();
      const ref = u.reference ? ` (${u.reference})` : '';
      switch (u.event) {
        case 'initial-appearance': {
          c.initialAppearanceAt = iso(now);
          c.custody = u.custody;
          rec.clearDeadline('initial-appearance');
          rec.clearDeadline('probable-cause');
          if (u.detentionHearing === 'continued-defence' || u.detentionHearing === 'continued-government') {
            c.detentionHearing = 'pending';
            const rule = u.detentionHearing === 'continued-defence' ? us.detentionContinuanceDefence : us.detentionContinuanceGovernment;
            rec.setDeadline('detention-hearing', now + ctx.ms(rule.value), rule.source);
          } else {
            c.detentionHearing = u.detentionHearing === 'held' ? 'held' : 'not-sought';
          }
          setPreliminary(c);
          rec.input('input', `initial appearance before the magistrate judge${ref}: ${u.custody}; detention hearing ${u.detentionHearing}`, u);
          break;
        }
        case 'detention-hearing':
          c.detentionHearing = 'held';
          c.custody = u.custody;
          rec.clearDeadline('detention-hearing');
          if (!c.preliminaryHearingAt && !c.indictedAt) setPreliminary(c);
          rec.input('input', `detention hearing held${ref}: ${u.custody}`, u);
          break;
        case 'preliminary-hearing':
          c.preliminaryHearingAt = iso(now);
          rec.clearDeadline('preliminary-hearing');
          rec.input('input', `preliminary hearing held${ref}: probable cause found`, u);
          break;
        case 'indictment':
          c.indictedAt = iso(now);
          c.indictment = u.reference;
          c.prosecution ??= { decision: 'federal', reason: 'indicted', actor: u.actor, at: iso(now) };
          rec.clearDeadline('indictment');
          rec.clearDeadline('preliminary-hearing');
          rec.input('input', `indictment returned (${u.reference})`, u);
          break;
      }
    },
  );

  register(
    ctx,
    excludeDelay,
    (raw) => {
      const u = accept('excludeDelay', ExcludeDelaySchema, raw);
      const c = custodyIn('US', 'excludable delay');
      if (c.indictedAt || rec.deadline('indictment') === undefined) reject(`case ${caseId} has no indictment deadline running to exclude delay from`);
      if (EXCLUDABLE_DELAY_GROUNDS[u.ground].order && !u.order)
        reject(`order: delay on ground ${u.ground} (${EXCLUDABLE_DELAY_GROUNDS[u.ground].cite}) rests on the court’s order: name it`);
      if (u.days > us.longestExclusion.value.days)
        reject(`days: one input excludes at most ${us.longestExclusion.value.days} days (${us.longestExclusion.source})`);
      return u;
    },
    (u) => {
      const c = state.custody!;
      const g = EXCLUDABLE_DELAY_GROUNDS[u.ground];
      c.excluded.push({
        ground: u.ground,
        cite: g.cite,
        days: u.days,
        ...(u.order ? { order: u.order } : {}),
        reason: u.reason,
        actor: u.actor,
        at: rec.now(),
      });
      const total = c.excluded.reduce((n, e) => n + e.days, 0);
      const due = rec.deadline('indictment')! + ctx.ms({ days: u.days });
      rec.setDeadline('indictment', due, `${us.indictment.source}; ${total} day(s) excluded (${c.excluded.map((e) => e.cite).join(', ')})`);
      rec.input(
        'input',
        `${u.days} day(s) of delay excluded (18 U.S.C. ${g.cite}${u.order ? `, order ${u.order}` : ''}): ${u.reason}; indictment now due ${iso(due)}`,
        u,
      );
    },
  );

  register(
    ctx,
    decideProsecution,
    (raw) => {
      const u = accept('decideProsecution', DecideProsecutionSchema, raw);
      const c = custodyIn('US', 'the prosecution decision');
      if (c.indictedAt) reject(`case ${caseId} is indicted already (${c.indictment})`);
      if (c.prosecution)
        reject(`decision: the prosecution was decided already (${c.prosecution.decision}, ${c.prosecution.actor}); a declined referral reopens it`);
      if (u.decision === 'state' && !u.partner) reject('partner: a state prosecution is referred to a state partner: name it');
      if (u.decision === 'declined' && u.partner) reject('partner: a declined prosecution is referred to nobody');
      return u;
    },
    (u) => {
      const c = state.custody!;
      c.prosecution = { decision: u.decision, ...(u.partner ? { partner: u.partner } : {}), reason: u.reason, actor: u.actor, at: rec.now() };
      rec.input(
        'input',
        `prosecution decision: ${u.decision}${u.partner ? `, referred to ${u.partner}` : ''} (${us.prosecutionDecision.source}): ${u.reason}`,
        u,
      );
      rec.publish();
    },
  );

  // ---- UK (England and Wales)
  const undecided = (c: CustodyRecord) => {
    if (c.decision) reject(`case ${caseId}: custody ended already (${c.decision.decision})`);
  };

  register(
    ctx,
    reviewDetention,
    (raw) => {
      const u = accept('reviewDetention', ReviewDetentionSchema, raw);
      undecided(custodyIn('GB', 'a review of detention', ['CUSTODY']));
      return u;
    },
    (u) => {
      const c = state.custody!;
      c.reviews.push({ at: rec.now(), actor: u.actor });
      rec.setDeadline('custody-review', Date.now() + ctx.ms(gb.laterReviews.value), gb.laterReviews.source);
      rec.input('input', `detention reviewed (review ${c.reviews.length}, PACE s.40): ${u.reason}`, u);
    },
  );

  register(
    ctx,
    extendDetention,
    (raw) => {
      const u = accept('extendDetention', ExtendDetentionSchema, raw);
      const c = custodyIn('GB', 'an extension of detention', ['CUSTODY']);
      undecided(c);
      const rt = Date.parse(c.relevantTime!);
      const current = Date.parse(c.detentionUntil!);
      const until = Date.parse(u.until);
      if (until <= current) reject(`until: must be after the detention’s present limit (${c.detentionUntil})`);
      if (u.authority === 'superintendent') {
        onlyRole(u.role, 'manager', 'a superintendent’s extension (PACE s.42)');
        if (Date.now() >= current) reject(`authority: the detention limit ran out at ${c.detentionUntil}; only a magistrates’ court extends it now`);
        if (until > rt + ctx.ms(gb.superintendentExtension.value))
          reject(
            `until: a superintendent extends to at most 36 hours from the relevant time, ${iso(rt + ctx.ms(gb.superintendentExtension.value))} (${gb.superintendentExtension.source})`,
          );
      } else {
        if (!u.reference) reject('reference: name the magistrates’ court’s warrant of further detention');
        if (until - Math.max(current, Date.now()) > ctx.ms(gb.warrantOfFurtherDetention.value))
          reject(`until: a warrant of further detention (or its extension) covers at most 36 hours at a time (${gb.warrantOfFurtherDetention.source})`);
        if (until > rt + ctx.ms(gb.maximumDetention.value))
          reject(`until: no detention beyond 96 hours from the relevant time, ${iso(rt + ctx.ms(gb.maximumDetention.value))} (${gb.maximumDetention.source})`);
      }
      return u;
    },
    (u) => {
      const c = state.custody!;
      const until = iso(Date.parse(u.until));
      c.extensions.push({ authority: u.authority, until, ...(u.reference ? { reference: u.reference } : {}), actor: u.actor, at: rec.now() });
      c.detentionUntil = until;
      const rule = u.authority === 'superintendent' ? gb.superintendentExtension : gb.warrantOfFurtherDetention;
      rec.setDeadline('custody-limit', Date.parse(until), `${rule.source}${u.reference ? ` (${u.reference})` : ''}`);
      rec.input(
        'input',
        `detention extended to ${until} by ${u.authority === 'superintendent' ? 'a superintendent (s.42)' : `a magistrates’ court (${u.reference})`}: ${u.reason}`,
        u,
      );
    },
  );

  register(
    ctx,
    chargingDecision,
    (raw) => {
      const u = accept('chargingDecision', ChargingDecisionSchema, raw);
      const c = custodyIn('GB', 'a charging decision');
      if (state.stage === 'CUSTODY') undecided(c);
      else if (u.decision === 'bailed') reject('decision: the suspect is on pre-charge bail already: extend it with extend-bail');
      if (u.decision === 'charged') {
        if (!u.cpsReference) reject(`cpsReference: a charge rests on the CPS’s decision (${gb.chargingDecision.source}): name it`);
        if (u.dppConsent !== true) reject(`dppConsent: an indecent-image charge needs the DPP’s consent, given by the CPS (${gb.dppConsent.source})`);
      }
      return u;
    },
    (u) => {
      const c = state.custody!;
      const now = Date.now();
      c.decision = {
        decision: u.decision,
        reason: u.reason,
        actor: u.actor,
        at: iso(now),
        ...(u.cpsReference ? { cpsReference: u.cpsReference } : {}),
        ...(u.dppConsent !== undefined ? { dppConsent: u.dppConsent } : {}),
      };
      if (u.decision === 'bailed') {
        rec.clearDeadline('custody-review');
        rec.clearDeadline('custody-limit');
        const endsAt = bailEnd(ctx, c, gb.bailInitial.value.months);
        c.bail = { startedAt: iso(now), endsAt: iso(endsAt), extensions: [] };
        rec.setDeadline('pre-charge-bail', endsAt, gb.bailInitial.source);
      }
      rec.input('input', `charging decision: ${u.decision}${u.cpsReference ? ` (CPS ${u.cpsReference})` : ''}: ${u.reason}`, u);
    },
  );

  register(
    ctx,
    extendBail,
    (raw) => {
      const u = accept('extendBail', ExtendBailSchema, raw);
      const c = custodyIn('GB', 'an extension of pre-charge bail', ['CHARGING']);
      const b = c.bail;
      if (!b) return reject(`case ${caseId} has no pre-charge bail to extend`);
      const step = b.extensions.length;
      const want = step === 0 ? 'inspector' : step === 1 ? 'superintendent' : 'magistrates-court';
      if (u.authority !== want)
        reject(
          `authority: bail is extended by ${want === 'inspector' ? 'an inspector to 6 months (s.47ZD)' : want === 'superintendent' ? 'a superintendent to 9 months (s.47ZDA)' : 'a magistrates’ court (s.47ZF)'} at this step`,
        );
      if (u.authority === 'superintendent') onlyRole(u.role, 'manager', 'a superintendent’s extension of bail (s.47ZDA)');
      if (Date.now() >= Date.parse(b.endsAt))
        reject(`authority: the bail period ended at ${b.endsAt}: release under investigation, charge, or no further action`);
      if (u.authority === 'magistrates-court') {
        if (!u.reference) reject('reference: name the magistrates’ court’s order');
        if (!u.until) reject('until: a court’s extension gives its end date');
        const until = Date.parse(u.until!);
        if (until <= Date.parse(b.endsAt)) reject(`until: must be after the bail period’s present end (${b.endsAt})`);
        if (until - Date.parse(b.endsAt) > periodMs(gb.longestCourtBailExtension.value))
          reject(`until: one input records at most ${gb.longestCourtBailExtension.value.days} days (${gb.longestCourtBailExtension.source})`);
      } else if (u.until) reject(`until: an ${u.authority}’s extension runs to the period the law sets; leave until out`);
      return u;
    },
    (u) => {
      const c = state.custody!;
      const b = c.bail!;
      const rule = u.authority === 'inspector' ? gb.bailInspector : u.authority === 'superintendent' ? gb.bailSuperintendent : gb.bailCourt;
      const endsAt = u.authority === 'magistrates-court' ? Date.parse(u.until!) : bailEnd(ctx, c, rule.value.months);
      b.endsAt = iso(endsAt);
      b.extensions.push({ authority: u.authority, until: b.endsAt, ...(u.reference ? { reference: u.reference } : {}), actor: u.actor, at: rec.now() });
      rec.setDeadline('pre-charge-bail', endsAt, `${rule.source}${u.reference ? ` (${u.reference})` : ''}`);
      rec.input('input', `pre-charge bail extended to ${b.endsAt} by ${u.authority}${u.reference ? ` (${u.reference})` : ''}: ${u.reason}`, u);
    },
  );
}
