/**
 * Subscriber identification on the time-skipping server: the provider that assigned the address, its
 * log retention from the deployment's table as a deadline, preservation first, the process by the
 * case's country and priority (§ 3486, § 2702(c)(4), § 2703(d) on the coordinator's facts; IPA 2016
 * in the UK, 1 month or 3 days urgent), and the outcomes: identified (the jurisdiction and the
 * address go to the case), no data (a lapse alerted), refused, ambiguous (CGNAT) → a coordinator.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { CaseScript } from '../../activities/simulators';
import { assessDanger, requestRecordsOrder, resolveJurisdiction, withdraw, type CaseStatus } from '../../workflows/messages';
import { monthsAfter, INSTRUMENTS, SUBSCRIBER } from '../../workflows/policy';
import type { TipInput } from '../../workflows/tip';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';
import { DAY, fixtureTip, stageSequence, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';
import { refusal } from './refusal';

const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };
const RETENTION = {
  'ExampleNet Broadband': { days: 30, source: 'ExampleNet law enforcement guide (test)' },
  'Albion Fibre': { days: 365, source: 'Albion Fibre (test)' },
};

describe('subscriber identification', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv({ policy: { providerLogRetention: RETENTION } });
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  /** A tip whose address was captured `daysAgo` days before now on the test server's clock. */
  async function tip(fixture: string, daysAgo: number, change: (t: TipInput) => void = () => {}) {
    const now = await ce.env.currentTimeMs();
    return fixtureTip(fixture, (t) => {
      t.ncmecReportNumber = uniqueReport();
      for (const e of t.personOrUserReported.ipCaptureEvent ?? []) e.dateTime = new Date(now - daysAgo * DAY).toISOString();
      change(t);
    });
  }
  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, 20_000);
  const ops = (caseId: string) => ce.systems.ledger.all({ caseId, system: 'isp' }).map((e) => e.op);
  const subscriberRequests = (s: CaseStatus) =>
    s.requests.filter((r) => r.kind === 'subscriber-identification').map((r) => [r.requestId.split('/')[1], r.status]);
  const deadline = (s: CaseStatus, name: string) => s.deadlines.find((d) => d.name === name);
  const near = (ms: number, expected: number) => expect(Math.abs(ms - expected)).toBeLessThan(60_000);
  const open = (t: Awaited<ReturnType<typeof tip>>, script: CaseScript = {}, opts: { homeCountry?: string } = {}) =>
    ce.open(t, { searchWarrants: ['deny'], ...script }, opts);

  it('a fixed line: preserved first, a § 3486 subpoena answered in 5 days, the subscriber’s address in the case and the jurisdiction from the records', async () => {
    const h = await open(await tip('domestic-arrest', 10), { subscriberResponseDays: [5], subscriberCountry: 'GB' });
    const waiting = await until(
      h,
      (s) =>
        s.stage === 'SUBSCRIBER_ID' &&
        s.awaiting === 'provider' &&
        s.subscriber?.instrument !== undefined &&
        deadline(s, 'subscriber-identification-1:answer') !== undefined,
    );
    expect(waiting.subscriber).toMatchObject({
      provider: 'ExampleNet Broadband',
      instrument: 'admin-subpoena-3486',
      preservation: { state: 'PRESERVED', reference: expect.stringMatching(/^ISP-PRES-/) },
    });
    // The retention (30 days from the capture) gave way to the preservation's 90 days once the logs were preserved.
    expect(Date.parse(waiting.subscriber!.logsKeptUntil!) - (Date.parse(waiting.stageEnteredAt) - 10 * DAY)).toBeLessThan(60_000 + 30 * DAY);
    expect(deadline(waiting, 'subscriber-log-retention')).toBeUndefined();
    near(Date.parse(deadline(waiting, 'subscriber-log-preservation')!.dueAt) - Date.parse(waiting.stageEnteredAt), 90 * DAY);
    expect(deadline(waiting, 'subscriber-log-preservation')!.source).toContain(INSTRUMENTS.domesticPreservation.period.source);
    near(Date.parse(deadline(waiting, 'subscriber-identification-1:answer')!.dueAt) - Date.parse(waiting.stageEnteredAt), 5 * DAY);
    const timeline0 = await ce.timeline(h);
    expect(
      timeline0.some((e) => e.kind === 'deadline' && e.detail.startsWith('subscriber-log-retention') && e.detail.includes('ExampleNet law enforcement guide')),
    ).toBe(true);

    await ce.skip(4 * DAY);
    expect((await ce.status(h)).stage).toBe('SUBSCRIBER_ID');
    await ce.skip(DAY + 60_000);
    const done = await until(h, (s) => s.stage !== 'SUBSCRIBER_ID');
    expect(done.subscriber).toMatchObject({ outcome: 'identified', country: 'GB', city: 'Leeds', address: expect.stringMatching(/^\d+ \w+ \w+, Leeds/) });
    expect(done.suspectCountry).toBe('GB');
    expect(subscriberRequests(done)).toEqual([['subscriber-identification-1', 'IDENTIFIED']]);
    expect(ops(h.workflowId)).toEqual(['lookup', 'preserveLogs', 'serve', 'collect']);
    expect(
      (await ce.timeline(h)).some(
        (e) => e.detail.startsWith('subscriber identified by ExampleNet Broadband: in GB') && e.detail.includes('not where the address geolocated (US)'),
      ),
    ).toBe(true);
    expect(done.deadlines.filter((d) => d.name.startsWith('subscriber'))).toEqual([]);
    await recordHistory(h, 'subscriber-identified');
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('priority 1: the records asked for in an emergency first (§ 2702(c)(4)); refused, then by administrative subpoena', async () => {
    const h = await open(await tip('priority-1-emergency', 2), { emergencyRecords: 'refuse', emergencyDisclosure: 'disclose' });
    const s = await until(h, (x) => x.subscriber?.outcome === 'identified');
    expect(subscriberRequests(s)).toEqual([
      ['subscriber-identification-1', 'REFUSED'],
      ['subscriber-identification-2', 'IDENTIFIED'],
    ]);
    expect(s.requests.find((r) => r.requestId.endsWith('/subscriber-identification-1'))!.reason).toContain('does not believe in good faith');
    expect(s.subscriber!.instrument).toBe('admin-subpoena-3486');
    expect(SUBSCRIBER.emergencyForPriorities.value).toContain(1);
    expect((await ce.timeline(h)).some((e) => e.detail.startsWith('the emergency request was refused'))).toBe(true);
    // Preserved once, served twice.
    expect(ops(h.workflowId)).toEqual(['lookup', 'preserveLogs', 'serve', 'collect', 'serve', 'collect']);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('behind CGNAT: ambiguous, so a coordinator decides; a § 2703(d) order on the coordinator’s facts identifies the subscriber', async () => {
    const h = await open(await tip('subscriber-behind-cgnat', 3));
    const s = await until(h, (x) => x.stage === 'JURISDICTION');
    expect(s).toMatchObject({ awaiting: 'coordinator', suspectCountry: null, subscriber: { provider: 'Metro Mobile', outcome: 'ambiguous' } });
    expect(s.subscriber!.reason).toContain('carrier-grade NAT');
    expect(s.waitingFor).toContain('subscriber identification: ambiguous');
    expect(deadline(s, 'jurisdiction-reminder')).toBeDefined();
    // Metro Mobile is not in the deployment's retention table: the case says so, and sets no retention deadline.
    expect(
      (await ce.timeline(h)).some(
        (e) => e.kind === 'alert' && e.detail.includes('no deployment policy for each provider’s IP log retention') && e.detail.includes('Metro Mobile'),
      ),
    ).toBe(true);
    expect(s.subscriber!.logsKeptUntil).toBeUndefined();

    expect(await refusal(h.executeUpdate(requestRecordsOrder, { args: [{ ...coordinator, facts: 'too short' }] }))).toBe(
      'facts: must state the specific and articulable facts (at least 20 characters)',
    );
    const facts = 'The account uploaded two files from 203.0.113.77 at 08:04:41 UTC; the provider’s NAT logs with source ports identify the subscriber.';
    await h.executeUpdate(requestRecordsOrder, { args: [{ ...coordinator, facts }] });
    const done = await until(h, (x) => x.subscriber?.outcome === 'identified');
    expect(subscriberRequests(done)).toEqual([
      ['subscriber-identification-1', 'AMBIGUOUS'],
      ['subscriber-identification-2', 'IDENTIFIED'],
    ]);
    expect(done.subscriber!.instrument).toBe('court-order-2703d');
    expect(done.requests.find((r) => r.requestId.endsWith('/subscriber-identification-2'))!.reference).toMatch(/^SUB-COURT-/);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'applyForRecordsOrder' }).map((e) => e.key)).toEqual([
      `${h.workflowId}/subscriber-identification-2-order`,
    ]);
    const timeline = await ce.timeline(h);
    expect(timeline.find((e) => e.kind === 'input' && e.actor === coordinator.actor)).toMatchObject({
      actor: coordinator.actor,
      detail: `§ 2703(d) order applied for on the facts: ${facts}`,
    });
    expect(stageSequence(timeline).slice(0, 4)).toEqual(['TRIAGE', 'SUBSCRIBER_ID', 'JURISDICTION', 'SUBSCRIBER_ID']);
    // Outside JURISDICTION (the subscriber is known) a § 2703(d) order is refused.
    expect(await refusal(h.executeUpdate(requestRecordsOrder, { args: [{ ...coordinator, facts }] }))).toMatch(
      /^\(input\): case .* is in stage \w+: a § 2703\(d\) order is applied for once/,
    );
    await recordHistory(h, 'subscriber-cgnat-court-order');
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('a court that denies the § 2703(d) order sends the case back to the coordinator, who resolves the jurisdiction by hand', async () => {
    const h = await open(await tip('subscriber-behind-cgnat', 3), { recordsOrder: 'deny' });
    await until(h, (x) => x.stage === 'JURISDICTION');
    await h.executeUpdate(requestRecordsOrder, { args: [{ ...coordinator, facts: 'The uploads and the session times match the subscriber’s use.' }] });
    const back = await until(h, (x) => x.stage === 'JURISDICTION' && subscriberRequests(x).length === 2);
    expect(subscriberRequests(back)[1]).toEqual(['subscriber-identification-2', 'DENIED']);
    expect(back.subscriber).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('the court denied the § 2703(d) order') });
    await h.executeUpdate(resolveJurisdiction, {
      args: [{ ...coordinator, suspectCountry: 'US', reason: 'the account’s payment records name an Ohio resident' }],
    });
    await until(h, (x) => x.stage !== 'JURISDICTION');
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('the logs already ran out (30-day retention, captured 40 days ago): an alert, the reason, and a coordinator decides — nothing served', async () => {
    const h = await open(await tip('domestic-arrest', 40));
    const s = await until(h, (x) => x.stage === 'JURISDICTION');
    expect(s.subscriber).toMatchObject({ outcome: 'no-data', reason: expect.stringContaining('ran out on') });
    expect(s.subscriber!.reason).toContain('ExampleNet Broadband keeps its IP logs 30 days (ExampleNet law enforcement guide (test))');
    expect(ops(h.workflowId)).toEqual(['lookup']);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).map((e) => e.key)).toEqual([`${h.workflowId}/subscriber-logs-lapsed`]);
    expect(s.waitingFor).toContain('no-data');
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('unpreserved logs run out while the provider takes its time: alerted the day they run out, then answered with no data', async () => {
    // Captured 20 days ago, kept 30: they run out in 10 days; the provider will answer in 15.
    const h = await open(await tip('domestic-arrest', 20), { ispPreservation: 'refuse', subscriberResponseDays: [15] });
    const s = await until(h, (x) => x.subscriber?.preservation?.state === 'REFUSED' && deadline(x, 'subscriber-identification-1:answer') !== undefined);
    near(Date.parse(deadline(s, 'subscriber-log-retention')!.dueAt) - Date.parse(s.stageEnteredAt), 10 * DAY);
    const lapse = () => ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).some((e) => e.key === `${h.workflowId}/subscriber-logs-lapsed`);
    await ce.skip(9 * DAY);
    expect(lapse()).toBe(false);
    await ce.skip(2 * DAY);
    await waitFor(async () => (lapse() ? true : undefined));
    expect(deadline(await ce.status(h), 'subscriber-log-retention')).toBeUndefined();
    await ce.skip(5 * DAY);
    const done = await until(h, (x) => x.stage === 'JURISDICTION');
    expect(done.subscriber).toMatchObject({ outcome: 'no-data', reason: expect.stringContaining('deleted under its retention') });
    expect((await ce.timeline(h)).some((e) => e.kind === 'alert' && e.detail.includes('did not preserve its logs'))).toBe(true);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('an address a provider abroad assigned: no domestic process reaches it, and the assessment’s jurisdiction stands', async () => {
    const h = await open(await tip('suspect-abroad-extradition', 2), { emergencyDisclosure: 'disclose' });
    const s = await until(h, (x) => x.stage !== 'SUBSCRIBER_ID' && x.stage !== 'TRIAGE' && x.stage !== 'INTAKE');
    expect(s.suspectCountry).toBe('GB');
    expect(ops(h.workflowId)).toEqual(['lookup']);
    expect((await ce.timeline(h)).some((e) => e.detail.includes('assigned by Albion Fibre in GB, which no domestic process reaches'))).toBe(true);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  describe('UK: communications data under the Investigatory Powers Act 2016', () => {
    const ukTip = (daysAgo: number, change: (t: TipInput) => void = () => {}) =>
      tip('domestic-arrest', daysAgo, (t) => {
        t.reporter.dataCountry = 'GB';
        t.personOrUserReported.ipCaptureEvent = [
          { ipAddress: '192.0.2.41', eventName: 'Upload', dateTime: t.personOrUserReported.ipCaptureEvent![0].dateTime, countryCode: 'GB' },
        ];
        t.personOrUserReported.estimatedLocation = { countryCode: 'GB', city: 'Leeds' };
        change(t);
      });

    it('authorised by OCDA for a month, answered, identified', async () => {
      const h = await open(await ukTip(3), { subscriberResponseDays: [2] }, { homeCountry: 'GB' });
      const s = await until(h, (x) => deadline(x, 'subscriber-identification-1:authorisation') !== undefined);
      expect(s.subscriber!.instrument).toBe('ipa-part3');
      const auth = deadline(s, 'subscriber-identification-1:authorisation')!;
      // One calendar month (s.65), not 30 days: from 31 January it ends on the last day of February.
      near(Date.parse(auth.dueAt), monthsAfter(Date.parse(s.stageEnteredAt), 1));
      expect(auth.source).toBe(SUBSCRIBER.ipa.authorisationCalendar.source);
      expect(s.requests.find((r) => r.kind === 'subscriber-identification')!.reference).toMatch(/^OCDA-|^SUB-/);
      await ce.skip(2 * DAY + 60_000);
      const done = await until(h, (x) => x.subscriber?.outcome === 'identified');
      expect(done).toMatchObject({ suspectCountry: 'GB', subscriber: { provider: 'Albion Fibre', country: 'GB' } });
      expect(ops(h.workflowId)).toEqual(['lookup', 'preserveLogs', 'authorise', 'serve', 'collect']);
      // A § 2703(d) order is US process.
      await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
    });

    it('urgent (very high): a designated senior officer’s 3 days lapse before the provider answers; renewed once, then identified', async () => {
      const h = await open(
        await ukTip(1, (t) => void (t.incidentSummary.escalateToHighPriority = true)),
        { subscriberResponseDays: [5, 1] },
        { homeCountry: 'GB' },
      );
      const s = await until(h, (x) => deadline(x, 'subscriber-identification-1:authorisation') !== undefined);
      expect(s.subscriber!.instrument).toBe('ipa-part3-urgent');
      near(Date.parse(deadline(s, 'subscriber-identification-1:authorisation')!.dueAt) - Date.parse(s.stageEnteredAt), 3 * DAY);
      await ce.skip(3 * DAY + 60_000);
      const renewed = await until(h, (x) => subscriberRequests(x).length === 2);
      expect(subscriberRequests(renewed)[0]).toEqual(['subscriber-identification-1', 'LAPSED']);
      expect(
        (await ce.timeline(h)).some((e) => e.detail.startsWith('the communications data authorisation lapsed before Albion Fibre answered: renewed')),
      ).toBe(true);
      await ce.skip(DAY + 60_000);
      const done = await until(h, (x) => x.subscriber?.outcome === 'identified');
      expect(subscriberRequests(done)).toEqual([
        ['subscriber-identification-1', 'LAPSED'],
        ['subscriber-identification-2', 'IDENTIFIED'],
      ]);
      await h.executeUpdate(assessDanger, { args: [{ actor: 'N. Analyst', role: 'analyst', grade: 'low', reasons: 'test done' }] });
      await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
    });

    it('not authorised: a coordinator decides; a § 2703(d) order is refused as US process', async () => {
      const h = await open(await ukTip(3), { commsDataAuthorisation: 'refuse' }, { homeCountry: 'GB' });
      const s = await until(h, (x) => x.stage === 'JURISDICTION');
      expect(subscriberRequests(s)).toEqual([['subscriber-identification-1', 'NOT_AUTHORISED']]);
      expect(s.subscriber).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('necessity and proportionality') });
      expect(await refusal(h.executeUpdate(requestRecordsOrder, { args: [{ ...coordinator, facts: 'twenty characters and more of facts' }] }))).toMatch(
        /is run under GB law: a § 2703\(d\) order is US process$/,
      );
      await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
    });
  });
});
