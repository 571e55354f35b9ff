/**
 * Imminent danger on the time-skipping server: the system flags it from the tip, a person decides.
 * A flagged case acts on the top grade at once and opens the child's safeguarding; an analyst
 * confirms or downgrades within the hour, else a manager is asked; the grade (NCMEC priority in the
 * US, KIRAT in the UK) sets the priority and the action time; the timeline says who decided, why.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { assessDanger, withdraw, type AssessDanger, type CaseStatus } from '../../workflows/messages';
import { IMMINENT_DANGER } from '../../workflows/policy';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';
import { DAY, fixtureTip, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';
import { refusal } from './refusal';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const analyst = { actor: 'N. Analyst', role: 'analyst' as const };
const manager = { actor: 'M. Manager', role: 'manager' as const };
const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };
const tip = (fixture: string, change: Parameters<typeof fixtureTip>[1] = () => {}) =>
  fixtureTip(fixture, (t) => {
    t.ncmecReportNumber = uniqueReport();
    change(t);
  });

describe('imminent danger: flagged by the system, decided by a person', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv();
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    });
  const grade = (h: WorkflowHandle, who: typeof analyst | typeof manager, u: Omit<AssessDanger, 'actor' | 'role'>) =>
    h.executeUpdate(assessDanger, { args: [{ ...who, ...u }] });
  const near = (ms: number, expected: number) => expect(Math.abs(ms - expected)).toBeLessThan(MINUTE);
  const flagged = (h: WorkflowHandle) => until(h, (x) => x.dangerCheck?.state === 'PENDING' && x.requests.some((r) => r.kind === 'safeguarding'));

  it('flags a sextortion tip, acts as priority 1 at once, opens the safeguarding, and records the analyst’s confirmation with her reasons', async () => {
    const h = await ce.open(tip('child-at-risk-sextortion'));
    const s = await flagged(h);
    expect(s.priority).toBe(1);
    expect(s.grade).toMatchObject({ scale: 'ncmec-priority', value: '1', by: 'pending' });
    // From the tip (escalation, annotation, incident type, a victim's location) and from the content (the meeting, the threats).
    expect(s.dangerCheck!.indicators).toEqual(['provider-escalation', 'sextortion', 'enticement', 'planned-meeting', 'threats', 'victim-location']);
    const check = s.deadlines.find((d) => d.name === 'imminent-danger-check')!;
    near(Date.parse(check.dueAt) - Date.parse(s.dangerCheck!.flaggedAt), HOUR);
    expect(check.source).toBe(IMMINENT_DANGER.analystDecision.source);
    expect(s.childAtRisk).toBe(true);
    expect(s.requests.find((r) => r.kind === 'safeguarding')).toMatchObject({
      requestId: `${h.workflowId}/safeguarding-1`,
      workflowId: `${h.workflowId}/safeguarding-1`,
    });

    await ce.skip(30 * MINUTE);
    const after = await grade(h, analyst, { grade: '1', reasons: 'threats to publish the images and a meeting planned for Saturday' });
    expect(after.dangerCheck).toMatchObject({
      state: 'DECIDED',
      decision: {
        grade: '1',
        imminent: true,
        actor: 'N. Analyst',
        role: 'analyst',
        reasons: 'threats to publish the images and a meeting planned for Saturday',
      },
    });
    expect(after.grade).toMatchObject({ value: '1', by: 'N. Analyst' });
    expect(after.deadlines.map((d) => d.name)).not.toContain('imminent-danger-check');
    const timeline = await ce.timeline(h);
    expect(timeline.find((e) => e.kind === 'alert' && e.detail.startsWith('imminent danger flagged by the system'))!.detail).toContain('sextortion');
    expect(timeline.find((e) => e.kind === 'input' && e.detail.startsWith('imminent danger confirmed'))).toMatchObject({
      actor: 'N. Analyst',
      role: 'analyst',
      detail: expect.stringContaining('reasons: threats to publish the images'),
    });
    // Past the hour nobody is asked: the analyst decided in time.
    await ce.skip(2 * HOUR);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).map((e) => e.key)).not.toContain(`${h.workflowId}/imminent-danger-escalation`);
    // One safeguarding for the child, not a second for the confirmation.
    expect((await ce.status(h)).requests.filter((r) => r.kind === 'safeguarding')).toHaveLength(1);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('unanswered within the hour: a manager is asked, and downgrades; the grade sets the priority and the action time, and the safeguarding stays', async () => {
    const h = await ce.open(tip('child-at-risk-sextortion'), { emergencyDisclosure: 'disclose', emergencyRecords: 'disclose' });
    const s = await flagged(h);
    const escalation = `${h.workflowId}/imminent-danger-escalation`;
    const alerts = () => ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' });
    await ce.skip(50 * MINUTE);
    expect(alerts().map((e) => e.key)).not.toContain(escalation);
    await ce.skip(15 * MINUTE);
    await waitFor(async () => (alerts().some((e) => e.key === escalation) ? true : undefined));
    expect(alerts().find((e) => e.key === escalation)!.result).toEqual({ to: 'manager', kind: 'imminent-danger-escalation' });
    const e = await until(h, (x) => x.dangerCheck?.state === 'ESCALATED');
    near(Date.parse(e.dangerCheck!.escalatedAt!) - Date.parse(s.dangerCheck!.flaggedAt), HOUR);
    // Still acting as priority 1 while the manager decides: the safer side.
    expect(e.priority).toBe(1);
    expect((await ce.timeline(h)).some((x) => x.kind === 'alert' && x.detail.startsWith('escalated to a manager'))).toBe(true);

    const down = await grade(h, manager, { grade: '2', reasons: 'the images are ten years old; the account has been inactive since' });
    expect(down.priority).toBe(2);
    expect(down.dangerCheck!.decision).toMatchObject({ grade: '2', imminent: false, actor: 'M. Manager', role: 'manager' });
    // The action time of the grade, from the triage: high risk within a week.
    near(Date.parse(down.grade!.actBy!) - Date.parse(s.dangerCheck!.flaggedAt), 7 * DAY);
    expect(down.grade!.source).toContain('within 1 week');
    expect((await ce.timeline(h)).find((x) => x.kind === 'input' && x.actor === 'M. Manager')).toMatchObject({
      actor: 'M. Manager',
      detail: expect.stringMatching(/^imminent danger downgraded to NCMEC priority 2 .*reasons: the images are ten years old/),
    });
    // A downgrade closes nothing: the child's safeguarding goes on until a person settles it.
    expect(down.childAtRisk).toBe(true);
    expect(alerts().filter((x) => x.key === escalation)).toHaveLength(1);
    await recordHistory(h, 'imminent-danger-escalated-downgraded');
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('refuses a grade off the home country’s scale, a role that may not grade, and a grade without reasons; nothing changes', async () => {
    const h = await ce.open(tip('child-at-risk-sextortion'));
    await flagged(h);
    expect(await refusal(grade(h, analyst, { grade: 'very-high', reasons: 'x' }))).toBe(
      "grade: 'very-high' is not a grade of the NCMEC priority scale this case is graded on (home US): one of 1, 2, 3",
    );
    expect(await refusal(h.executeUpdate(assessDanger, { args: [{ ...coordinator, grade: '1', reasons: 'x' }] }))).toBe(
      'role: an analyst or a manager grades the danger to a child',
    );
    expect(await refusal(grade(h, analyst, { grade: '1', reasons: '  ' }))).toBe('reasons: must say what the decision rests on');
    // The case goes on meanwhile; no input reached its record.
    expect((await ce.timeline(h)).filter((e) => e.kind === 'input')).toEqual([]);
    expect((await ce.status(h)).dangerCheck!.state).toBe('PENDING');
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('UK home: graded on KIRAT — very high while pending, high gives a week, medium two weeks; an NCMEC grade is refused', async () => {
    const uk = tip('child-at-risk-sextortion', (t) => {
      t.reporter.dataCountry = 'GB';
      t.personOrUserReported.ipCaptureEvent = [{ ipAddress: '192.0.2.41', eventName: 'Login', dateTime: '2026-11-28T19:31:12Z', countryCode: 'GB' }];
      t.victim = [{ estimatedLocation: { countryCode: 'GB', city: 'Leeds' } }];
    });
    const h = await ce.open(uk, {}, { homeCountry: 'GB' });
    const s = await flagged(h);
    expect(s.grade).toMatchObject({ scale: 'kirat', value: 'very-high', by: 'pending', source: 'KIRAT action time: very high within 1 day' });
    expect(s.priority).toBe(1);
    expect(await refusal(grade(h, analyst, { grade: '2', reasons: 'x' }))).toMatch(
      /^grade: '2' is not a grade of the KIRAT risk grade scale .*very-high, high, medium, low$/,
    );
    const high = await grade(h, analyst, { grade: 'High', reasons: 'contact with the child, no meeting arranged' });
    expect(high).toMatchObject({ priority: 2, grade: { scale: 'kirat', value: 'high' } });
    near(Date.parse(high.grade!.actBy!) - Date.parse(s.dangerCheck!.flaggedAt), 7 * DAY);
    const medium = await grade(h, analyst, { grade: 'medium', reasons: 'the child is not in contact with the suspect' });
    expect(medium.grade).toMatchObject({ value: 'medium', source: 'KIRAT action time: medium within 2 weeks' });
    near(Date.parse(medium.grade!.actBy!) - Date.parse(s.dangerCheck!.flaggedAt), 14 * DAY);
    expect((await ce.timeline(h)).filter((e) => e.kind === 'input').map((e) => e.detail.split(';')[0])).toEqual([
      'imminent danger downgraded to KIRAT risk grade high (high risk)',
      're-graded KIRAT risk grade medium (medium risk)',
    ]);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });

  it('a tip without indicators is graded by the assessment, with no check and no safeguarding; an analyst’s imminent grade opens one', async () => {
    const h = await ce.open(tip('domestic-arrest'), { searchWarrants: ['deny'] });
    const s = await until(h, (x) => x.stage === 'WARRANT' && x.awaiting === 'coordinator');
    expect(s).toMatchObject({ dangerCheck: null, childAtRisk: false, priority: 2, grade: { scale: 'ncmec-priority', value: '2', by: 'assessment' } });
    expect(s.requests.some((r) => r.kind === 'safeguarding')).toBe(false);
    const up = await grade(h, analyst, { grade: '1', reasons: 'a second report shows the suspect lives with a child' });
    expect(up).toMatchObject({ priority: 1, grade: { value: '1' } });
    const opened = await until(h, (x) => x.requests.some((r) => r.kind === 'safeguarding'));
    expect(opened.childAtRisk).toBe(true);
    expect(
      (await ce.timeline(h)).some((e) => e.kind === 'input' && e.detail.startsWith('re-graded NCMEC priority 1 (a child in imminent danger): imminent danger')),
    ).toBe(true);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });
});
