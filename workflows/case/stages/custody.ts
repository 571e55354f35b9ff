/**
 * After the arrest: CUSTODY, then CHARGING, to the charging outcome, under the home country's law.
 * US: the initial appearance (Rule 5(a), the deployment's hours), a warrantless arrest's probable
 * cause within 48 hours, the detention hearing and its continuances, the preliminary hearing, the
 * indictment within 30 days less excluded delay, the prosecution decision and a referral to a partner.
 * UK: PACE detention from the relevant time (reviews, 24 hours, extensions to 36 and 96), then
 * charged, bailed (pre-charge bail: its period and extensions), released under investigation or no
 * further action. Every clock is a deadline from workflows/policy/after-arrest.ts; a clock that runs
 * out unmet is an alert, and stays on the case's deadlines (overdue) for the managers' views. People's
 * inputs (./post-arrest-inputs.ts) move the record; these stages wait for them.
 */
import { DAY_MS, GB_AFTER_ARREST, US_AFTER_ARREST, monthsAfter, notConfigured, type DeploymentPolicy } from '../../policy';
import { isTerminal } from '../../requests/machines';
import { NeedsAttention, systems, type CaseContext } from '../context';
import type { CustodyRecord, Next } from '../record';
import { newRequestId } from '../requests';

/** The deadlines that are custody and charging clocks: a missed one is alerted once per due time. */
export const CUSTODY_CLOCKS: Readonly<Record<string, { to: 'coordinator' | 'manager'; then: string }>> = {
  'initial-appearance': { to: 'coordinator', then: 'bring the arrested person before a magistrate judge now (Fed. R. Crim. P. 5(a))' },
  'probable-cause': {
    to: 'manager',
    then: 'no judicial probable-cause determination within 48 hours of a warrantless arrest: release, or a magistrate decides now',
  },
  'detention-hearing': { to: 'coordinator', then: 'the detention hearing’s continuance has run out (18 U.S.C. § 3142(f))' },
  'preliminary-hearing': { to: 'coordinator', then: 'the preliminary hearing is overdue (Fed. R. Crim. P. 5.1(c)) and no indictment is on record' },
  indictment: { to: 'manager', then: 'no indictment within the Speedy Trial Act’s time: the charges are to be dismissed on motion (18 U.S.C. § 3162(a)(1))' },
  'custody-review': { to: 'coordinator', then: 'a review of detention is overdue (PACE s.40)' },
  'custody-limit': { to: 'manager', then: 'the detention limit has run out: charge, bail or release now (PACE s.41(7))' },
  'pre-charge-bail': {
    to: 'coordinator',
    then: 'the pre-charge bail period has ended (PACE s.47ZB): extend it by the rank the law names, or release under investigation',
  },
};

/** The law the case runs on after the arrest: only the home countries with post-arrest tables. */
export function custodyLaw(homeCountry: string): 'US' | 'GB' | undefined {
  return homeCountry === 'US' || homeCountry === 'GB' ? homeCountry : undefined;
}

/** After an arrest at home or on arrival: the case runs on in CUSTODY (from here, on the workflow's clock). */
export function beginCustody(ctx: CaseContext, via: 'local-arrest' | 'extradition', warrantless: boolean): Next {
  const { state } = ctx;
  const law = custodyLaw(state.homeCountry);
  const warrant = state.arrestWarrantId;
  if (!law) {
    ctx.rec.log('alert', `no post-arrest tables for home country ${state.homeCountry}: the case closes at the arrest`);
    return via === 'extradition'
      ? { close: 'EXTRADITED', reason: `extradited from ${state.suspectCountry} and arrested under warrant ${warrant}` }
      : { close: 'ARRESTED', reason: `arrested under warrant ${warrant}` };
  }
  state.custody = { law, arrestedAt: new Date().toISOString(), via, warrantless, excluded: [], reviews: [], extensions: [], missed: [], alerted: [] };
  return 'CUSTODY';
}

const iso = (ms: number) => new Date(ms).toISOString();

function custodyOf(ctx: CaseContext, stage: string): CustodyRecord {
  const c = ctx.state.custody;
  if (!c) throw new NeedsAttention(stage.toLowerCase(), `the case is in ${stage} with no arrest on record (tell the operators)`);
  return c;
}

/** The bail period's end: `months` calendar months from the bail start date (the day after the arrest), on the profile's clock. */
export function bailEnd(ctx: CaseContext, c: CustodyRecord, months: number): number {
  const arrested = Date.parse(c.arrestedAt);
  const startOfNextDay = Math.floor(arrested / DAY_MS) * DAY_MS + DAY_MS;
  const realEnd = monthsAfter(startOfNextDay, months);
  return arrested + ctx.ms({ days: (realEnd - arrested) / DAY_MS });
}

async function startClocks(ctx: CaseContext, c: CustodyRecord): Promise<void> {
  const { rec } = ctx;
  const arrested = Date.parse(c.arrestedAt);
  if (c.law === 'US') {
    const policy: DeploymentPolicy = await ctx.step('custody-policy', (k) => systems.assessment.deploymentPolicy(k));
    const us = US_AFTER_ARREST;
    if (c.warrantless) rec.setDeadline('probable-cause', arrested + ctx.ms(us.probableCause.value), us.probableCause.source);
    if (policy.initialAppearance) {
      const { hours, source } = policy.initialAppearance;
      rec.setDeadline('initial-appearance', arrested + ctx.ms({ hours }), `${us.initialAppearance.source}; ${hours} hours: ${source}`);
    } else {
      rec.log('alert', `initial appearance: ${notConfigured('initialAppearance')}`);
    }
    rec.setDeadline('indictment', arrested + ctx.ms(us.indictment.value), us.indictment.source);
  } else {
    const gb = GB_AFTER_ARREST;
    c.relevantTime = c.arrestedAt;
    c.detentionUntil = iso(arrested + ctx.ms(gb.detentionLimit.value));
    rec.setDeadline('custody-review', arrested + ctx.ms(gb.firstReview.value), `${gb.firstReview.source}; ${gb.relevantTime.source}`);
    rec.setDeadline('custody-limit', Date.parse(c.detentionUntil), `${gb.detentionLimit.source}; ${gb.relevantTime.source}`);
  }
  c.started = true;
}

/** The earliest clock not yet alerted at its present due time. */
function nextClock(ctx: CaseContext): { key: string; atMs: number } | undefined {
  const c = ctx.state.custody!;
  let next: { key: string; atMs: number } | undefined;
  for (const d of ctx.state.deadlines) {
    const key = `${d.name}@${d.dueAt}`;
    if (!(d.name in CUSTODY_CLOCKS) || c.alerted.includes(key)) continue;
    const atMs = Date.parse(d.dueAt);
    if (!next || atMs < next.atMs) next = { key, atMs };
  }
  return next;
}

/** Every clock past its time and not yet alerted: an alert to the person who must act, and a line in the timeline. */
async function alertMissed(ctx: CaseContext): Promise<void> {
  const { state, rec, caseId } = ctx;
  const c = state.custody!;
  const now = Date.now();
  for (const d of [...state.deadlines]) {
    const key = `${d.name}@${d.dueAt}`;
    const clock = CUSTODY_CLOCKS[d.name];
    if (!clock || c.alerted.includes(key) || Date.parse(d.dueAt) > now) continue;
    c.alerted.push(key);
    c.missed.push({ name: d.name, dueAt: d.dueAt });
    rec.log('alert', `${d.name} missed: due ${d.dueAt} (${d.source}); ${clock.then}`);
    await ctx.sideStep(`missed-${d.name}-${c.missed.length}`, (k) =>
      systems.agency.alert(k, { to: clock.to, kind: `${d.name}-missed`, message: `case ${caseId}: the ${d.name} clock ran out at ${d.dueAt}` }),
    );
  }
  rec.publish();
}

/** Waits for `done`, alerting each clock that runs out meanwhile; an input that moves a clock re-arms the wait. */
async function runClocks(ctx: CaseContext, done: () => boolean): Promise<void> {
  for (;;) {
    const next = nextClock(ctx);
    const key = next?.key;
    await ctx.waitUntil(() => done() || nextClock(ctx)?.key !== key, next?.atMs);
    if (done()) return;
    if (next && Date.now() >= next.atMs) await alertMissed(ctx);
  }
}

export async function custody(ctx: CaseContext): Promise<Next> {
  const { rec } = ctx;
  const c = custodyOf(ctx, 'CUSTODY');
  if (c.law === 'US') {
    rec.enterStage('CUSTODY', 'court', 'the initial appearance before a magistrate judge (record it with court-event)');
    if (!c.started) await startClocks(ctx, c);
    await runClocks(ctx, () => c.initialAppearanceAt !== undefined || c.prosecution?.decision === 'declined');
    if (c.prosecution?.decision === 'declined') return declined(c);
    return 'CHARGING';
  }
  rec.enterStage('CUSTODY', 'coordinator', 'the custody decision: charge on the CPS’s decision, bail, release under investigation or no further action');
  if (!c.started) await startClocks(ctx, c);
  await runClocks(ctx, () => c.decision !== undefined);
  return afterUkDecision(c);
}

function declined(c: CustodyRecord): Next {
  return { close: 'DECLINED', reason: `prosecution declined (${US_AFTER_ARREST.prosecutionDecision.source}): ${c.prosecution!.reason}` };
}

function afterUkDecision(c: CustodyRecord): Next {
  const d = c.decision!;
  switch (d.decision) {
    case 'bailed':
      return 'CHARGING';
    case 'charged':
      return {
        close: 'CHARGED',
        reason: `charged on the CPS’s decision ${d.cpsReference}${d.dppConsent ? ', with the DPP’s consent (Protection of Children Act 1978 s.1(3))' : ''}: ${d.reason}`,
      };
    case 'released-under-investigation':
      return { close: 'RELEASED_UNDER_INVESTIGATION', reason: `released under investigation, without bail: ${d.reason}` };
    default:
      return { close: 'NO_FURTHER_ACTION', reason: `no further action: ${d.reason}` };
  }
}

/** The prosecution goes to a partner (a state prosecutor, or a federal partner other than this agency's). */
const referred = (c: CustodyRecord) => c.prosecution !== undefined && (c.prosecution.decision === 'state' || c.prosecution.partner !== undefined);

export async function charging(ctx: CaseContext): Promise<Next> {
  const { state, rec } = ctx;
  const c = custodyOf(ctx, 'CHARGING');
  if (c.law === 'GB') {
    rec.enterStage('CHARGING', 'coordinator', 'the CPS’s charging decision while the suspect is on pre-charge bail');
    await runClocks(ctx, () => c.decision?.decision !== 'bailed');
    return afterUkDecision(c);
  }
  rec.enterStage('CHARGING', 'coordinator', 'the prosecution decision (federal, state or declined) and the indictment');
  for (;;) {
    if (c.indictedAt) {
      const appeared = c.initialAppearanceAt ? Date.parse(c.initialAppearanceAt) : Date.parse(c.indictedAt);
      const trialBy = iso(Math.max(Date.parse(c.indictedAt), appeared) + ctx.ms(US_AFTER_ARREST.trial.value));
      return {
        close: 'INDICTED',
        reason: `indicted (${c.indictment}); trial due by ${trialBy} less excludable delay (${US_AFTER_ARREST.trial.source})`,
      };
    }
    if (c.prosecution?.decision === 'declined') return declined(c);
    const p = c.prosecution;
    if (p && referred(c) && !p.referralId) {
      const requestId = newRequestId(ctx, 'prosecution-referral');
      rec.openRequest(
        requestId,
        'prosecution-referral',
        'agency',
        `prosecution referred (${p.decision}) to ${p.partner ?? 'the state prosecutor'}; record its answer with respond (${US_AFTER_ARREST.prosecutionDecision.source})`,
      );
      p.referralId = requestId;
      state.currentRequest = requestId;
      rec.await('agency', `${p.partner ?? 'the state prosecutor'} to accept or decline the referred prosecution`);
      continue;
    }
    const r = p?.referralId ? rec.request(p.referralId) : undefined;
    if (p && r && isTerminal(r.kind, r.status)) {
      state.currentRequest = null;
      if (r.status === 'ACCEPTED')
        return { close: 'REFERRED', reason: `prosecution accepted by ${p.partner ?? 'the state prosecutor'} (${r.reference ?? 'no reference'})` };
      rec.log('stage', `${r.requestId} ${r.status.toLowerCase()}${r.reason ? `: ${r.reason}` : ''}; the prosecution is to be decided again`);
      c.prosecution = undefined;
      rec.await('coordinator', 'the prosecution decision again: the partner did not take the case');
      continue;
    }
    const before = JSON.stringify(c.prosecution ?? null);
    await runClocks(
      ctx,
      () => c.indictedAt !== undefined || JSON.stringify(c.prosecution ?? null) !== before || (r !== undefined && isTerminal(r.kind, r.status)),
    );
  }
}
