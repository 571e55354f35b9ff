/**
 * A child's safeguarding beside the case, on the time-skipping server: its own workflow, reporting to
 * the case. Victim identification (a known series, unidentified → NCMEC CVIP, identified), the US
 * report to child protective services, the UK local authority's referral (1 working day on the
 * deployment's calendar), police protection (72 hours), the strategy discussion and the s.47 enquiry
 * (initial conference within 15 working days). Its outcomes never close the case; the case never
 * closes while it is open without a person's reason, and never withdraws it.
 */
import type { WorkflowHandle } from '@temporalio/client';
import {
  closeWhileSafeguarding,
  closingWaitsForSafeguarding,
  reportChildAtRisk,
  respond,
  statusQuery,
  withdraw,
  type CaseStatus,
  type RequestSummary,
  type Respond,
} from '../../workflows/messages';
import { SAFEGUARDING, addWorkingDays } from '../../workflows/policy';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';
import { DAY, fixtureTip, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';
import { refusal } from './refusal';

const HOUR = 3_600_000;
const analyst = { actor: 'N. Analyst', role: 'analyst' as const };
const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };
const liaison = { actor: 'L. Liaison', role: 'liaison' as const };
type Who = typeof analyst | typeof coordinator | typeof liaison;
const tip = (fixture: string, change: Parameters<typeof fixtureTip>[1] = () => {}) =>
  fixtureTip(fixture, (t) => {
    t.ncmecReportNumber = uniqueReport();
    change(t);
  });
/** A UK tip: data and suspect in the UK, the address with a UK provider. */
const ukTip = () =>
  tip('domestic-arrest', (t) => {
    t.reporter.dataCountry = 'GB';
    t.personOrUserReported.ipCaptureEvent = [{ ipAddress: '192.0.2.41', eventName: 'Upload', dateTime: '2026-11-28T19:31:12Z', countryCode: 'GB' }];
    t.personOrUserReported.estimatedLocation = { countryCode: 'GB', city: 'Leeds' };
  });
/** A calendar that certainly falls inside the tests' weeks, whenever they run: every Wednesday of the next four months. */
const BANK_HOLIDAYS = {
  dates: Array.from({ length: 120 }, (_, i) => Date.now() + i * DAY)
    .filter((ms) => new Date(ms).getUTCDay() === 3)
    .map((ms) => new Date(ms).toISOString().slice(0, 10)),
  source: 'test calendar: every Wednesday is a bank holiday',
};

describe('a child’s safeguarding, beside the case', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv({ policy: { providerLogRetention: {}, ukBankHolidays: BANK_HOLIDAYS } });
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean, ms = 20_000) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, ms);
  const track = (s: CaseStatus, n = 1): RequestSummary | undefined => s.requests.find((r) => r.requestId === `${s.caseId}/safeguarding-${n}`);
  const inStatus = (h: WorkflowHandle, status: string, n = 1) => until(h, (s) => track(s, n)?.status === status);
  /** A person's answer on the safeguarding workflow (as `casebridge respond` sends it); returns once the case shows it. */
  async function record(h: WorkflowHandle, who: Who, r: Omit<Respond, 'actor' | 'role' | 'requestId'>, n = 1): Promise<RequestSummary> {
    const requestId = `${h.workflowId}/safeguarding-${n}`;
    const seen = (await ce.timeline(h)).length;
    const answered = await ce.env.client.workflow.getHandle(requestId).executeUpdate(respond, { args: [{ ...who, requestId, ...r }] });
    // The case has it once the response's timeline line arrived (the workflow may have moved on since: UNIDENTIFIED → SUBMITTED).
    await waitFor(async () =>
      (await ce.timeline(h)).slice(seen).some((e) => e.actor === who.actor && e.detail.startsWith(`${requestId}: ${r.outcome} `)) ? true : undefined,
    );
    return answered;
  }
  const ops = (caseId: string, op: string) => ce.systems.ledger.all({ caseId, op });
  const deadline = (s: CaseStatus, name: string) => s.deadlines.find((d) => d.name === name);
  const near = (ms: number, expected: number) => expect(Math.abs(ms - expected)).toBeLessThan(60_000);

  it('US: no known series; an analyst identifies the child; reported to CPS at once; case opened, safeguarded — the case then closes on its own', async () => {
    const h = await ce.open(tip('child-at-risk-sextortion'), {
      emergencyDisclosure: 'disclose',
      emergencyRecords: 'disclose',
      searchWarrants: ['grant'],
      executionDelaysDays: [3],
    });
    const opened = await inStatus(h, 'IDENTIFYING');
    expect(track(opened)).toMatchObject({ awaiting: 'analyst', reason: expect.stringContaining('ncmec-cvip: no file matches a known series') });
    expect(ops(h.workflowId, 'matchKnownVictims').map((e) => e.result)).toEqual([{ match: 'none' }]);
    // Analysts may identify; a liaison may not, and the case refuses a response meant for the child's workflow.
    expect(
      await refusal(
        ce.env.client.workflow.getHandle(`${h.workflowId}/safeguarding-1`).executeUpdate(respond, {
          args: [{ ...liaison, requestId: `${h.workflowId}/safeguarding-1`, outcome: 'identified' }],
        }),
      ),
    ).toBe("role: an analyst or a coordinator records 'identified' on a safeguarding request, not a liaison");
    expect(await refusal(h.executeUpdate(respond, { args: [{ ...analyst, requestId: `${h.workflowId}/safeguarding-1`, outcome: 'identified' }] }))).toMatch(
      /^requestId: .* is run by its own workflow/,
    );

    await record(h, analyst, { outcome: 'identified', note: 'the school named her from the chat photographs' });
    const reported = await inStatus(h, 'REPORTED');
    expect(track(reported)).toMatchObject({ awaiting: 'child-protection', reference: expect.stringMatching(/^CPS-/) });
    expect(ops(h.workflowId, 'refer').map((e) => e.key)).toEqual([`${h.workflowId}/safeguarding-1/referral`]);
    expect(
      (await ce.timeline(h)).some((e) => e.detail.includes('reported to child protective services as urgent') && e.detail.includes('34 U.S.C. § 20341')),
    ).toBe(true);
    expect(reported.childAtRisk).toBe(true);

    await record(h, coordinator, { outcome: 'cps-case-opened', reference: 'CPS-OH-2026-881' });
    await record(h, coordinator, { outcome: 'safeguarded', reason: 'placed with her mother under a safety plan' });
    const safe = await until(h, (s) => s.childAtRisk === false);
    expect(track(safe)).toMatchObject({ status: 'SAFEGUARDED', awaiting: null, reason: 'placed with her mother under a safety plan' });
    // Its outcome closed nothing: the case goes on to the arrest and closes by itself (nothing open beside it).
    expect(safe.stage).not.toBe('CLOSED');
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    const child = ce.env.client.workflow.getHandle(`${h.workflowId}/safeguarding-1`);
    expect(await child.result()).toMatchObject({ status: 'SAFEGUARDED' });
    const timeline = await ce.timeline(h);
    expect(timeline.filter((e) => e.actor === analyst.actor || e.actor === coordinator.actor).map((e) => e.detail.split(' (')[0])).toEqual([
      `${h.workflowId}/safeguarding-1: identified`,
      `${h.workflowId}/safeguarding-1: cps-case-opened`,
      `${h.workflowId}/safeguarding-1: safeguarded`,
    ]);
    await recordHistory(h, 'safeguarding-us-case');
    await recordHistory(child, 'safeguarding-us-child');
  });

  it('the case waits to close while the safeguarding is open, closes once a person says why, and the safeguarding goes on after it', async () => {
    const h = await ce.open(tip('priority-1-emergency'), { emergencyDisclosure: 'disclose', emergencyRecords: 'disclose' });
    let s: CaseStatus | undefined;
    for (let day = 0; day < 10 && !(s && closingWaitsForSafeguarding(s)); day++) {
      await ce.skip(DAY);
      s = await ce.status(h);
    }
    expect(s).toMatchObject({ stage: 'LOCAL_ARREST', awaiting: 'coordinator', childAtRisk: true, outcome: null });
    expect(
      (await ce.timeline(h)).some((e) => e.kind === 'alert' && e.detail.startsWith('the case would close as ARRESTED, but a child’s safeguarding is open')),
    ).toBe(true);
    expect(await refusal(h.executeUpdate(closeWhileSafeguarding, { args: [{ ...liaison, reason: 'x' }] }))).toBe(
      'role: a coordinator or a manager lets a case close while a child’s safeguarding goes on',
    );
    expect(await refusal(h.executeUpdate(closeWhileSafeguarding, { args: [{ ...coordinator, reason: '' }] }))).toBe(
      'reason: must say why the case may close while the child’s safeguarding goes on',
    );
    await h.executeUpdate(closeWhileSafeguarding, {
      args: [{ ...coordinator, reason: 'the suspect is in custody; CPS and the analyst carry the safeguarding on' }],
    });
    expect(await h.result()).toMatchObject({ outcome: 'ARRESTED' });
    expect((await ce.timeline(h)).some((e) => e.detail.startsWith(`closing as ARRESTED while ${h.workflowId}/safeguarding-1 goes on`))).toBe(true);
    // The closed case still says a child is at risk; the safeguarding runs on and keeps reminding the analyst.
    expect((await h.query(statusQuery)).childAtRisk).toBe(true);
    const child = ce.env.client.workflow.getHandle(`${h.workflowId}/safeguarding-1`);
    expect((await child.describe()).status.name).toBe('RUNNING');
    const reminders = () => ops(h.workflowId, 'alert').filter((e) => e.key.startsWith(`${h.workflowId}/safeguarding-1/follow-up-identifying-`));
    const before = reminders().length;
    await ce.skip(4 * DAY);
    await waitFor(async () => (reminders().length >= before + 2 ? true : undefined));
    expect(reminders()[0].result).toEqual({ to: 'analyst', kind: 'safeguarding-follow-up' });
    await child.executeUpdate(respond, { args: [{ ...analyst, requestId: child.workflowId, outcome: 'identified' }] });
    await waitFor(async () => (ops(h.workflowId, 'refer').length === 1 ? true : undefined));
  });

  it('an identification nobody answers is reminded every 2 days for two weeks, then monthly: a wait of years stays readable', async () => {
    const h = await ce.open(tip('child-at-risk-sextortion'));
    await inStatus(h, 'IDENTIFYING');
    const reminders = () => ops(h.workflowId, 'alert').filter((e) => e.key.includes('/safeguarding-1/follow-up-identifying-')).length;
    const every = SAFEGUARDING.followUpEvery.value.days;
    const after = SAFEGUARDING.followUpSettlesAfter.value;
    // Day by day, so each reminder fires on its day.
    for (let day = 1; day <= every * after; day++) await ce.skip(DAY);
    await waitFor(async () => (reminders() === after ? true : undefined));
    await ce.skip(SAFEGUARDING.settledFollowUpEvery.value.days * DAY - 2 * DAY);
    expect(reminders()).toBe(after);
    await ce.skip(3 * DAY);
    await waitFor(async () => (reminders() === after + 1 ? true : undefined));
    expect(deadline(await ce.status(h), 'safeguarding-1:follow-up')?.source).toBe(SAFEGUARDING.settledFollowUpEvery.source);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] }).catch(() => undefined);
  });

  it('a known series, confirmed by the analyst with its reference; an unidentified child submitted to NCMEC CVIP, reminded monthly, identified later', async () => {
    const known = await ce.open(tip('child-at-risk-sextortion'), { victimMatch: 'known-series' });
    const k = await inStatus(known, 'IDENTIFYING');
    expect(track(k)!.reason).toMatch(/ncmec-cvip: 2 file\(s\) match a known series \(CVIP-SERIES-\d+\)/);
    expect(
      await refusal(
        ce.env.client.workflow.getHandle(`${known.workflowId}/safeguarding-1`).executeUpdate(respond, {
          args: [{ ...analyst, requestId: `${known.workflowId}/safeguarding-1`, outcome: 'known-series' }],
        }),
      ),
    ).toBe("reference: 'known-series' on a safeguarding request needs a reference");
    await record(known, analyst, {
      outcome: 'known-series',
      reference: track(k)!.reference!,
      note: 'the series victim was identified and safeguarded in 2019',
    });
    expect(await until(known, (s) => s.childAtRisk === false)).toMatchObject({ childAtRisk: false });
    expect(ops(known.workflowId, 'refer')).toEqual([]);

    const unknown = await ce.open(tip('child-at-risk-sextortion'));
    await inStatus(unknown, 'IDENTIFYING');
    await record(unknown, analyst, { outcome: 'unidentified' });
    const submitted = await inStatus(unknown, 'SUBMITTED');
    expect(track(submitted)).toMatchObject({ awaiting: 'victim-identification', reference: expect.stringMatching(/^CVIP-\d+/) });
    expect(ops(unknown.workflowId, 'submitForIdentification').map((e) => e.key)).toEqual([`${unknown.workflowId}/safeguarding-1/submit-for-identification`]);
    const monthly = `${unknown.workflowId}/safeguarding-1/follow-up-submitted-1`;
    await ce.skip(29 * DAY);
    expect(ops(unknown.workflowId, 'alert').map((e) => e.key)).not.toContain(monthly);
    await ce.skip(2 * DAY);
    await waitFor(async () => (ops(unknown.workflowId, 'alert').some((e) => e.key === monthly) ? true : undefined));
    await record(unknown, analyst, { outcome: 'identified', note: 'identified by NCMEC CVIP' });
    await inStatus(unknown, 'REPORTED');
    for (const h of [known, unknown]) await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] }).catch(() => undefined);
  });

  it('a coordinator reports a child identified: straight to CPS; withdrawing the case never withdraws the child’s safeguarding', async () => {
    const h = await ce.open(tip('domestic-arrest'), { searchWarrants: ['deny'] });
    await until(h, (s) => s.stage === 'WARRANT' && s.awaiting === 'coordinator');
    expect(await refusal(h.executeUpdate(closeWhileSafeguarding, { args: [{ ...coordinator, reason: 'x' }] }))).toMatch(/has no child’s safeguarding open/);
    await h.executeUpdate(reportChildAtRisk, {
      args: [{ ...coordinator, child: 'identified', reason: 'the suspect’s stepdaughter appears in the viewed file' }],
    });
    await inStatus(h, 'REPORTED');
    expect(ops(h.workflowId, 'matchKnownVictims')).toEqual([]);
    expect((await ce.timeline(h)).find((e) => e.kind === 'input' && e.actor === coordinator.actor)).toMatchObject({
      actor: coordinator.actor,
      detail: expect.stringContaining('stepdaughter'),
    });

    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'merged into the state case' }] });
    const waiting = await until(h, closingWaitsForSafeguarding);
    expect(waiting).toMatchObject({ awaiting: 'coordinator', stage: 'WARRANT' });
    expect(ops(h.workflowId, 'withdrawRequest').map((e) => (e.result as { kind: string }).kind)).not.toContain('safeguarding');
    await h.executeUpdate(closeWhileSafeguarding, { args: [{ ...coordinator, reason: 'the state case carries the safeguarding on' }] });
    expect(await h.result()).toMatchObject({ outcome: 'WITHDRAWN' });
    expect(track(await ce.status(h))).toMatchObject({ status: 'REPORTED' });
    expect((await ce.env.client.workflow.getHandle(`${h.workflowId}/safeguarding-1`).describe()).status.name).toBe('RUNNING');
  });

  it('UK: referral decided within 1 working day (Friday → Monday), police protection 72 h with the local authority told, strategy discussion, s.47 enquiry with the conference in 15 working days past the bank holidays, a plan', async () => {
    // To a Friday, 15:00 UTC, on the test server's clock.
    const now = await ce.env.currentTimeMs();
    const dayStart = Math.floor(now / DAY) * DAY;
    const toFriday = ((5 - new Date(dayStart).getUTCDay() + 7) % 7) * DAY;
    await ce.skip(dayStart + toFriday + 15 * HOUR + (dayStart + toFriday + 15 * HOUR <= now ? 7 * DAY : 0) - now);
    const h = await ce.open(ukTip(), { searchWarrants: ['deny'] }, { homeCountry: 'GB' });
    await h.executeUpdate(reportChildAtRisk, { args: [{ ...coordinator, child: 'identified', reason: 'the suspect’s niece, named in the chats' }] });
    const referred = await inStatus(h, 'REFERRED');
    expect(track(referred)).toMatchObject({ awaiting: 'child-protection', reference: expect.stringMatching(/^LA-/) });
    const referredAt = Date.parse((await ce.timeline(h)).find((e) => e.detail.includes('referred to the local authority'))!.at);
    expect(new Date(referredAt).getUTCDay()).toBe(5);
    const decision = deadline(referred, 'safeguarding-1:referral-decision')!;
    near(Date.parse(decision.dueAt) - referredAt, 3 * DAY); // Friday → Monday
    expect(new Date(decision.dueAt).getUTCDay()).toBe(1);
    expect(decision.source).toBe(SAFEGUARDING.uk.referralDecision.source);
    expect(
      await refusal(
        ce.env.client.workflow.getHandle(`${h.workflowId}/safeguarding-1`).executeUpdate(respond, {
          args: [{ ...coordinator, requestId: `${h.workflowId}/safeguarding-1`, outcome: 'cps-case-opened', reference: 'X' }],
        }),
      ),
    ).toMatch(/^outcome: .* is REFERRED; 'cps-case-opened' is not allowed in that state/);

    // Police protection: 72 hours at most, the local authority told.
    await record(h, coordinator, { outcome: 'police-protection', note: 'removed from the home at 18:20' });
    const protectedAt = Date.parse((await ce.timeline(h)).filter((e) => e.detail.includes('police-protection')).pop()!.at);
    const p = await until(h, (s) => deadline(s, 'safeguarding-1:police-protection') !== undefined);
    near(Date.parse(deadline(p, 'safeguarding-1:police-protection')!.dueAt) - protectedAt, 72 * HOUR);
    await waitFor(async () => (ops(h.workflowId, 'notifyPoliceProtection').length === 1 ? true : undefined));
    await ce.skip(73 * HOUR);
    await waitFor(async () =>
      ops(h.workflowId, 'alert').some((e) => e.key === `${h.workflowId}/safeguarding-1/protection-expired-alert-1`) ? true : undefined,
    );
    expect((await ce.timeline(h)).some((e) => e.detail.includes('police protection ended at 72 hours (Children Act 1989 s.46(6)'))).toBe(true);
    expect(deadline(await ce.status(h), 'safeguarding-1:police-protection')).toBeUndefined();

    await record(h, coordinator, { outcome: 'referral-decided', reason: 'strategy-discussion' });
    expect(deadline(await ce.status(h), 'safeguarding-1:referral-decision')).toBeUndefined();
    const heldNow = await ce.env.currentTimeMs();
    await record(h, coordinator, { outcome: 'strategy-discussion-held', reason: 'section-47-enquiry' });
    const enquiry = await until(h, (s) => deadline(s, 'safeguarding-1:initial-conference') !== undefined);
    const heldAt = Date.parse((await ce.timeline(h)).find((e) => e.detail.includes('strategy-discussion-held'))!.at);
    expect(heldAt).toBeGreaterThanOrEqual(heldNow);
    // 15 working days on the deployment's calendar: its holidays (three Wednesdays in three weeks) push the conference later.
    const conference = Date.parse(deadline(enquiry, 'safeguarding-1:initial-conference')!.dueAt);
    expect(conference).toBe(addWorkingDays(heldAt, 15, BANK_HOLIDAYS.dates));
    expect(conference - addWorkingDays(heldAt, 15, [])).toBeGreaterThanOrEqual(3 * DAY);
    expect(
      await refusal(
        ce.env.client.workflow.getHandle(`${h.workflowId}/safeguarding-1`).executeUpdate(respond, {
          args: [{ ...coordinator, requestId: `${h.workflowId}/safeguarding-1`, outcome: 'enquiry-concluded', reason: 'adopted' }],
        }),
      ),
    ).toBe("reason: 'adopted' is not a ground for 'enquiry-concluded'; one of child-protection-plan, child-in-need-plan, no-further-action");
    await record(h, coordinator, { outcome: 'police-protection' });
    await record(h, coordinator, { outcome: 'protection-ended', reason: 'emergency-protection-order' });
    await until(h, (s) => deadline(s, 'safeguarding-1:police-protection') === undefined);
    await record(h, coordinator, { outcome: 'enquiry-concluded', reason: 'child-protection-plan' });
    const safe = await until(h, (s) => s.childAtRisk === false);
    expect(track(safe)).toMatchObject({ status: 'SAFEGUARDED' });
    expect(safe.deadlines.filter((d) => d.name.startsWith('safeguarding-1:'))).toEqual([]);
    expect(safe.stage).toBe('WARRANT');
    await recordHistory(ce.env.client.workflow.getHandle(`${h.workflowId}/safeguarding-1`), 'safeguarding-uk-child');
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
    expect(await h.result()).toMatchObject({ outcome: 'WITHDRAWN' });
  });

  it('a safeguarding step that fails for good stops its workflow with the reason; the child stays at risk until a new report supersedes it', async () => {
    const h = await ce.open(tip('domestic-arrest'), { searchWarrants: ['deny'], rejectOps: ['child-protection.refer'] });
    await until(h, (s) => s.stage === 'WARRANT' && s.awaiting === 'coordinator');
    await h.executeUpdate(reportChildAtRisk, { args: [{ ...coordinator, child: 'identified', reason: 'a child in the home' }] });
    const stopped = await until(h, (s) => track(s)?.attention !== undefined);
    expect(track(stopped)!.attention).toContain('referral');
    expect(stopped.childAtRisk).toBe(true);
    ce.systems.setScript(h.workflowId, { searchWarrants: ['deny'] });
    await h.executeUpdate(reportChildAtRisk, { args: [{ ...coordinator, child: 'identified', reason: 'the same child: the referral system is back' }] });
    const again = await until(h, (s) => track(s, 2)?.status === 'REPORTED');
    expect((await ce.timeline(h)).some((e) => e.detail.startsWith(`${h.workflowId}/safeguarding-1 (stopped:`) && e.detail.includes('superseded'))).toBe(true);
    await ce.env.client.workflow.getHandle(`${h.workflowId}/safeguarding-2`).executeUpdate(respond, {
      args: [{ ...coordinator, requestId: `${h.workflowId}/safeguarding-2`, outcome: 'safeguarded', reason: 'moved to her grandparents' }],
    });
    expect(await until(h, (s) => s.childAtRisk === false)).toMatchObject({ childAtRisk: false });
    expect(again.requests.filter((r) => r.kind === 'safeguarding')).toHaveLength(2);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
    expect(await h.result()).toMatchObject({ outcome: 'WITHDRAWN' });
  });
});
