/**
 * After the arrest, on the time-skipping server: the case runs on from the arrest through CUSTODY and
 * CHARGING to its charging outcome. US: the initial appearance (the deployment's hours), a warrantless
 * arrest's 48 hours, the detention hearing's continuance, the preliminary hearing's 14 / 21 days, the
 * indictment's 30 days moved by excludable delay a person records, the prosecution decision and a
 * referral to a partner. UK: PACE's reviews, 24 hours, a superintendent's 36, a court's warrant, pre-charge
 * bail and its extensions by the rank the law names, the CPS's charge with the DPP's consent. Every
 * missed clock is an alert and stays on the deadlines; a wrong role is refused with nothing changed.
 */
import type { WorkflowHandle } from '@temporalio/client';
import {
  chargingDecision,
  decideProsecution,
  excludeDelay,
  extendBail,
  extendDetention,
  recordCourtEvent,
  reviewDetention,
  respond,
  type CaseStatus,
} from '../../workflows/messages';
import { GB_AFTER_ARREST, US_AFTER_ARREST } from '../../workflows/policy';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';
import { DAY, fixtureTip, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';
import { refusal } from './refusal';

const HOUR = 3_600_000;
const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };
const manager = { actor: 'M. Manager', role: 'manager' as const };
const POLICY = { providerLogRetention: {}, initialAppearance: { hours: 24, source: 'district practice: the next duty session (test)' } };
const SCRIPT = { searchWarrants: ['grant' as const], executionDelaysDays: [0], arrestWarrant: 'grant' as const };
const usTip = () => fixtureTip('domestic-arrest', (t) => void (t.ncmecReportNumber = uniqueReport()));
const ukTip = () =>
  fixtureTip('domestic-arrest', (t) => {
    t.ncmecReportNumber = uniqueReport();
    t.reporter.dataCountry = 'GB';
    t.personOrUserReported.ipCaptureEvent = [{ ipAddress: '192.0.2.41', eventName: 'Upload', dateTime: '2026-11-28T19:31:12Z', countryCode: 'GB' }];
    t.personOrUserReported.estimatedLocation = { countryCode: 'GB', city: 'Leeds' };
  });

describe('after the arrest', () => {
  let ce: CaseEnv;
  beforeAll(async () => {
    ce = await startCaseEnv({ policy: POLICY });
  });
  afterAll(async () => {
    await ce?.teardown();
  });

  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, 20_000);
  /** Skips an hour at a time until the case is in custody (the path to the arrest has no long timer with these scripts). */
  const inCustody = async (h: WorkflowHandle) => {
    for (let i = 0; i < 24 * 20; i++) {
      const s = await ce.status(h);
      if (s.stage === 'CUSTODY' && s.custody) return s;
      if (s.stage === 'CLOSED' || s.stage === 'NEEDS_ATTENTION')
        throw new Error(`case ${h.workflowId} is ${s.stage}: ${s.outcomeReason ?? s.attention?.reason}`);
      await ce.skip(HOUR);
    }
    throw new Error('not in custody within 20 days');
  };
  const deadline = (s: CaseStatus, name: string) => s.deadlines.find((d) => d.name === name);
  const due = (s: CaseStatus, name: string) => Date.parse(deadline(s, name)!.dueAt);
  const alerts = (h: WorkflowHandle) => ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).map((e) => e.key);

  it('US: a warrantless arrest’s 48 hours and the initial appearance’s clock alerted when missed; a wrong role refused with nothing changed', async () => {
    const h = await ce.open(usTip(), { ...SCRIPT, arrest: 'warrantless' }, { afterArrest: true });
    const s = await inCustody(h);
    const arrested = Date.parse(s.custody!.arrestedAt);
    expect(s.custody).toMatchObject({ law: 'US', via: 'local-arrest', warrantless: true });
    expect(due(s, 'probable-cause') - arrested).toBe(48 * HOUR);
    expect(deadline(s, 'probable-cause')!.source).toBe(US_AFTER_ARREST.probableCause.source);
    expect(due(s, 'initial-appearance') - arrested).toBe(24 * HOUR);
    expect(deadline(s, 'initial-appearance')!.source).toContain('district practice');
    expect(due(s, 'indictment') - arrested).toBe(30 * DAY);

    // A liaison may not record a court's event: refused, and the record is as it was.
    const before = await ce.timeline(h);
    expect(
      await refusal(
        h.executeUpdate(recordCourtEvent, {
          args: [{ actor: 'L. Liaison', role: 'liaison', event: 'initial-appearance', custody: 'detained', detentionHearing: 'held' }],
        }),
      ),
    ).toBe('role: only a coordinator records a court’s event after the arrest');
    expect(await ce.timeline(h)).toEqual(before);
    expect((await ce.status(h)).custody!.initialAppearanceAt).toBeUndefined();
    // An indictment before the initial appearance is refused too.
    expect(await refusal(h.executeUpdate(recordCourtEvent, { args: [{ ...coordinator, event: 'indictment', reference: 'IND-1' }] }))).toMatch(
      /^event: an indictment is recorded after the initial appearance/,
    );

    await ce.skip(49 * HOUR);
    const missed = await until(h, (x) => (x.custody?.missed.length ?? 0) === 2);
    expect(missed.custody!.missed.map((m) => m.name)).toEqual(['initial-appearance', 'probable-cause']);
    // Still on the deadlines, overdue, for the managers' views.
    expect(deadline(missed, 'probable-cause')).toBeDefined();
    expect(alerts(h)).toEqual(expect.arrayContaining([`${h.workflowId}/missed-initial-appearance-1`, `${h.workflowId}/missed-probable-cause-2`]));
    const tl = await ce.timeline(h);
    expect(tl.some((e) => e.kind === 'alert' && e.detail.startsWith('probable-cause missed'))).toBe(true);
    await h.executeUpdate(recordCourtEvent, { args: [{ ...coordinator, event: 'initial-appearance', custody: 'detained', detentionHearing: 'held' }] });
    const charging = await until(h, (x) => x.stage === 'CHARGING');
    expect(deadline(charging, 'probable-cause')).toBeUndefined();
    expect(deadline(charging, 'initial-appearance')).toBeUndefined();
    await h.executeUpdate(decideProsecution, { args: [{ ...manager, decision: 'declined', reason: 'insufficient admissible evidence (JM 9-27.220)' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'DECLINED' });
  });

  it('US: detention hearing continued 3 days, preliminary hearing 14 then 21 days, excludable delay moves the indictment deadline, indicted', async () => {
    const h = await ce.open(usTip(), SCRIPT, { afterArrest: true });
    const s = await inCustody(h);
    expect(deadline(s, 'probable-cause')).toBeUndefined(); // arrested under the warrant: a magistrate found probable cause
    const indictmentDue = due(s, 'indictment');
    await h.executeUpdate(recordCourtEvent, {
      args: [{ ...coordinator, event: 'initial-appearance', custody: 'detained', detentionHearing: 'continued-government', reference: 'MJ-1' }],
    });
    const appeared = await until(h, (x) => x.stage === 'CHARGING');
    const at = Date.parse(appeared.custody!.initialAppearanceAt!);
    expect(due(appeared, 'detention-hearing') - at).toBe(3 * DAY);
    expect(deadline(appeared, 'detention-hearing')!.source).toBe(US_AFTER_ARREST.detentionContinuanceGovernment.source);
    expect(due(appeared, 'preliminary-hearing') - at).toBe(14 * DAY);

    await ce.skip(3 * DAY + HOUR);
    const late = await until(h, (x) => x.custody!.missed.some((m) => m.name === 'detention-hearing'));
    expect(alerts(h)).toContain(`${h.workflowId}/missed-detention-hearing-1`);
    expect(deadline(late, 'detention-hearing')).toBeDefined();
    await h.executeUpdate(recordCourtEvent, { args: [{ ...coordinator, event: 'detention-hearing', custody: 'released' }] });
    const released = await until(h, (x) => x.custody!.detentionHearing === 'held');
    expect(due(released, 'preliminary-hearing') - at).toBe(21 * DAY);
    expect(deadline(released, 'detention-hearing')).toBeUndefined();

    // Excludable delay: a ground that rests on a court's order needs it; then the deadline moves by the days.
    expect(await refusal(h.executeUpdate(excludeDelay, { args: [{ ...coordinator, ground: 'ends-of-justice', days: 10, reason: 'complex case' }] }))).toMatch(
      /^order: delay on ground ends-of-justice/,
    );
    expect(await refusal(h.executeUpdate(excludeDelay, { args: [{ ...coordinator, ground: 'no-such-ground', days: 10, reason: 'x' }] as never }))).toMatch(
      /^ground: must be one of/,
    );
    await h.executeUpdate(excludeDelay, {
      args: [{ ...coordinator, ground: 'evidence-abroad', days: 10, order: 'ORD-3161-8', reason: 'MLAT request to Germany for the server logs' }],
    });
    const moved = await until(h, (x) => x.custody!.excluded.length === 1);
    expect(due(moved, 'indictment') - indictmentDue).toBe(10 * DAY);
    expect(deadline(moved, 'indictment')!.source).toContain('10 day(s) excluded (§ 3161(h)(8))');

    await h.executeUpdate(recordCourtEvent, { args: [{ ...coordinator, event: 'preliminary-hearing' }] });
    await h.executeUpdate(decideProsecution, { args: [{ ...coordinator, decision: 'federal', reason: 'federal interest: production and distribution' }] });
    await h.executeUpdate(recordCourtEvent, { args: [{ ...coordinator, event: 'indictment', reference: 'IND-2026-041' }] });
    const result = await ce.finish(h);
    expect(result.outcome).toBe('INDICTED');
    expect(result.reason).toMatch(/^indicted \(IND-2026-041\); trial due by /);
    await recordHistory(h, 'after-arrest-indicted');
  });

  it('US: the indictment deadline missed is alerted; a referral to a state partner is a request, declined then accepted elsewhere', async () => {
    const h = await ce.open(usTip(), SCRIPT, { afterArrest: true });
    await inCustody(h);
    await h.executeUpdate(recordCourtEvent, { args: [{ ...coordinator, event: 'initial-appearance', custody: 'released', detentionHearing: 'not-sought' }] });
    await until(h, (x) => x.stage === 'CHARGING');
    expect(await refusal(h.executeUpdate(decideProsecution, { args: [{ ...coordinator, decision: 'state', reason: 'state charges' }] }))).toBe(
      'partner: a state prosecution is referred to a state partner: name it',
    );
    await h.executeUpdate(decideProsecution, { args: [{ ...coordinator, decision: 'state', partner: 'Ohio AG ICAC', reason: 'state charges carry more' }] });
    const referred = await until(h, (x) => x.requests.some((r) => r.kind === 'prosecution-referral'));
    const r = referred.requests.find((x) => x.kind === 'prosecution-referral')!;
    expect(referred.awaiting).toBe('agency');
    await h.executeUpdate(respond, { args: [{ actor: 'L. Liaison', role: 'liaison', requestId: r.requestId, outcome: 'declined', reason: 'no capacity' }] });
    await until(h, (x) => x.custody!.prosecution === undefined && x.awaiting === 'coordinator');
    await ce.skip(31 * DAY);
    const missed = await until(h, (x) => x.custody!.missed.some((m) => m.name === 'indictment'));
    expect(missed.custody!.missed.map((m) => m.name)).toEqual(expect.arrayContaining(['preliminary-hearing', 'indictment']));
    expect(alerts(h).some((k) => k.includes('/missed-indictment-'))).toBe(true);
    await h.executeUpdate(decideProsecution, {
      args: [{ ...coordinator, decision: 'federal', partner: 'US Attorney, N.D. Ohio', reason: 'referred to the USAO' }],
    });
    const again = await until(h, (x) => x.requests.filter((q) => q.kind === 'prosecution-referral').length === 2);
    const r2 = again.requests.filter((x) => x.kind === 'prosecution-referral')[1];
    await h.executeUpdate(respond, { args: [{ ...coordinator, requestId: r2.requestId, outcome: 'accepted', reference: 'USAO-2026-77' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'REFERRED' });
  });

  it('UK: PACE reviews at 6 then 9 hours, 24 hours extended to 36 by a superintendent (a manager) and by a court, then charged with the DPP’s consent', async () => {
    const h = await ce.open(ukTip(), SCRIPT, { homeCountry: 'GB', afterArrest: true });
    const s = await inCustody(h);
    const rt = Date.parse(s.custody!.relevantTime!);
    expect(due(s, 'custody-review') - rt).toBe(6 * HOUR);
    expect(due(s, 'custody-limit') - rt).toBe(24 * HOUR);
    expect(deadline(s, 'custody-limit')!.source).toContain(GB_AFTER_ARREST.detentionLimit.source);
    await ce.skip(7 * HOUR);
    await until(h, (x) => x.custody!.missed.some((m) => m.name === 'custody-review'));
    await h.executeUpdate(reviewDetention, { args: [{ ...coordinator, reason: 'interview pending; devices at the lab' }] });
    const reviewed = await until(h, (x) => x.custody!.reviews.length === 1);
    expect(due(reviewed, 'custody-review') - Date.parse(reviewed.custody!.reviews[0].at)).toBe(9 * HOUR);

    const to36 = new Date(rt + 36 * HOUR).toISOString();
    // A coordinator may not give a superintendent's extension; nor may it go past 36 hours.
    expect(await refusal(h.executeUpdate(extendDetention, { args: [{ ...coordinator, authority: 'superintendent', until: to36, reason: 'x' }] }))).toMatch(
      /^role: a superintendent’s extension/,
    );
    expect(
      await refusal(
        h.executeUpdate(extendDetention, { args: [{ ...manager, authority: 'superintendent', until: new Date(rt + 37 * HOUR).toISOString(), reason: 'x' }] }),
      ),
    ).toMatch(/^until: a superintendent extends to at most 36 hours/);
    await h.executeUpdate(extendDetention, { args: [{ ...manager, authority: 'superintendent', until: to36, reason: 'devices still at the lab' }] });
    const ext = await until(h, (x) => x.custody!.extensions.length === 1);
    expect(due(ext, 'custody-limit')).toBe(rt + 36 * HOUR);
    expect(
      await refusal(
        h.executeUpdate(extendDetention, {
          args: [{ ...coordinator, authority: 'magistrates-court', until: new Date(rt + 97 * HOUR).toISOString(), reference: 'WFD-1', reason: 'x' }],
        }),
      ),
    ).toMatch(/^until: a warrant of further detention/);
    await h.executeUpdate(extendDetention, {
      args: [{ ...coordinator, authority: 'magistrates-court', until: new Date(rt + 72 * HOUR).toISOString(), reference: 'WFD-1', reason: 'forensics' }],
    });
    await until(h, (x) => due(x, 'custody-limit') === rt + 72 * HOUR);
    expect(await refusal(h.executeUpdate(chargingDecision, { args: [{ ...coordinator, decision: 'charged', cpsReference: 'CPS-1', reason: 'x' }] }))).toMatch(
      /^dppConsent: an indecent-image charge needs the DPP’s consent/,
    );
    await h.executeUpdate(chargingDecision, {
      args: [{ ...coordinator, decision: 'charged', cpsReference: 'CPS-2026-118', dppConsent: true, reason: 'Full Code Test met: s.1 PoCA 1978' }],
    });
    const result = await ce.finish(h);
    expect(result.outcome).toBe('CHARGED');
    expect(result.reason).toContain('with the DPP’s consent');
  });

  it('UK: the 24 hours missed is alerted; bailed 3 months, extended by an inspector (coordinator) to 6 and a superintendent (manager) to 9, then released under investigation', async () => {
    const h = await ce.open(ukTip(), SCRIPT, { homeCountry: 'GB', afterArrest: true });
    await inCustody(h);
    await h.executeUpdate(reviewDetention, { args: [{ ...coordinator, reason: 'first review' }] });
    await ce.skip(25 * HOUR);
    const late = await until(h, (x) => x.custody!.missed.some((m) => m.name === 'custody-limit'));
    expect(deadline(late, 'custody-limit')).toBeDefined();
    expect(alerts(h).some((k) => k.includes('/missed-custody-limit-'))).toBe(true);
    await h.executeUpdate(chargingDecision, { args: [{ ...coordinator, decision: 'bailed', reason: 'awaiting the forensic report' }] });
    const bailed = await until(h, (x) => x.stage === 'CHARGING');
    const b = bailed.custody!.bail!;
    const months = (ms: number) => new Date(ms).getUTCMonth() + 12 * new Date(ms).getUTCFullYear();
    // Counted from the bail start date, the day after the arrest (PACE s.47ZB): an arrest on a month's last day starts bail in the next month.
    const bailStart = Math.floor(Date.parse(bailed.custody!.arrestedAt) / DAY) * DAY + DAY;
    expect(months(Date.parse(b.endsAt)) - months(bailStart)).toBe(3);
    expect(deadline(bailed, 'custody-limit')).toBeUndefined();
    expect(deadline(bailed, 'pre-charge-bail')!.source).toBe(GB_AFTER_ARREST.bailInitial.source);
    expect(await refusal(h.executeUpdate(extendBail, { args: [{ ...manager, authority: 'superintendent', reason: 'x' }] }))).toMatch(
      /^authority: bail is extended by an inspector to 6 months/,
    );
    await h.executeUpdate(extendBail, { args: [{ ...coordinator, authority: 'inspector', reason: 'lab backlog' }] });
    const six = await until(h, (x) => x.custody!.bail!.extensions.length === 1);
    expect(months(Date.parse(six.custody!.bail!.endsAt)) - months(bailStart)).toBe(6);
    expect(await refusal(h.executeUpdate(extendBail, { args: [{ ...coordinator, authority: 'superintendent', reason: 'x' }] }))).toMatch(
      /^role: a superintendent’s extension of bail/,
    );
    await h.executeUpdate(extendBail, { args: [{ ...manager, authority: 'superintendent', reason: 'the CPS asked for more' }] });
    const nine = await until(h, (x) => x.custody!.bail!.extensions.length === 2);
    expect(months(Date.parse(nine.custody!.bail!.endsAt)) - months(bailStart)).toBe(9);
    await h.executeUpdate(chargingDecision, { args: [{ ...coordinator, decision: 'released-under-investigation', reason: 'the CPS is still reviewing' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'RELEASED_UNDER_INVESTIGATION' });
  });

  it('UK: the pre-charge bail period missed is alerted and can no longer be extended; no further action', async () => {
    const h = await ce.open(ukTip(), SCRIPT, { homeCountry: 'GB', afterArrest: true });
    await inCustody(h);
    await h.executeUpdate(chargingDecision, { args: [{ ...coordinator, decision: 'bailed', reason: 'awaiting the forensic report' }] });
    const bailed = await until(h, (x) => x.stage === 'CHARGING');
    const ends = Date.parse(bailed.custody!.bail!.endsAt);
    for (let t = Date.parse(bailed.custody!.arrestedAt); t < ends + DAY; t += 10 * DAY) await ce.skip(10 * DAY);
    const missed = await until(h, (x) => x.custody!.missed.some((m) => m.name === 'pre-charge-bail'));
    expect(deadline(missed, 'pre-charge-bail')).toBeDefined();
    expect(alerts(h).some((k) => k.includes('/missed-pre-charge-bail-'))).toBe(true);
    expect(await refusal(h.executeUpdate(extendBail, { args: [{ ...coordinator, authority: 'inspector', reason: 'late' }] }))).toMatch(
      /^authority: the bail period ended/,
    );
    await h.executeUpdate(chargingDecision, { args: [{ ...coordinator, decision: 'no-further-action', reason: 'the CPS: evidential stage not met' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'NO_FURTHER_ACTION' });
  });
});
