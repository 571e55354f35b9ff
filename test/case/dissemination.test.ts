/**
 * The UK receiving side, on the time-skipping server (patch nca-dissemination): a referral opened in the
 * deployment's referral unit (the NCA's referrals bureau) is triaged and graded, then waits in
 * DISSEMINATION for an analyst; the analyst names the force, whose own case starts as a child, linked both
 * ways, and runs on to communications data under the IPA; the referral closes DISSEMINATED. A wrong role,
 * a case not in the referral unit and the referral unit itself are refused, naming the field, with nothing
 * changed; a GB case of any other unit runs as before.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { assessDanger, disseminate, reportChildAtRisk, respond, statusQuery, timelineQuery, type CaseStatus, type Disseminate } from '../../workflows/messages';
import { CaseUnit, ChildAtRisk } from '../../workflows/search-attributes';
import { forceCaseIdFor } from '../../workflows/tip';
import { answered } from '../harness/answered';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';
import { fixtureTip, stageSequence, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';
import { refusal } from './refusal';

const BUREAU = 'NCA-CEOP-RB';
const FORCE = 'WYP-OCSET';
const analyst = { actor: 'A. Analyst', role: 'analyst' as const };
const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };
const ukTip = () => fixtureTip('uk-force-referral', (t) => void (t.ncmecReportNumber = uniqueReport()));
const SCRIPT = { searchWarrants: ['grant' as const], executionDelaysDays: [0] };

describe('the NCA disseminates a UK referral to a force', () => {
  let ce: CaseEnv;
  beforeAll(async () => {
    ce = await startCaseEnv();
  });
  afterAll(async () => {
    await ce?.teardown();
  });

  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean, what: string) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, 30_000).catch(async (err: Error) => {
      throw new Error(`${what}: ${err.message}; last status ${JSON.stringify(await ce.status(h))}`);
    });
  const send = (h: WorkflowHandle, who: typeof analyst | typeof coordinator, u: Omit<Disseminate, 'actor' | 'role'>) =>
    refusal(h.executeUpdate(disseminate, { args: [{ ...who, ...u }] }));

  it('a referral waits for the bureau, refuses the wrong role and the bureau itself, then starts the force’s case and closes DISSEMINATED', async () => {
    const h = await ce.open(ukTip(), SCRIPT, { homeCountry: 'GB', unit: BUREAU, referralUnit: BUREAU, afterArrest: true });
    const waiting = await until(h, (s) => s.stage === 'DISSEMINATION', 'the referral in DISSEMINATION');
    expect(waiting.awaiting).toBe('analyst');
    expect(waiting.grade?.scale).toBe('kirat');
    // Nothing of the force's work in the referral case: no preservation, no subscriber identification.
    expect(waiting.requests.filter((r) => r.kind !== 'safeguarding')).toEqual([]);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'authorise' })).toHaveLength(0);
    const before = (await ce.timeline(h)).length;

    expect(await send(h, coordinator, { unit: FORCE, reason: 'West Yorkshire: the IP address geolocates to Leeds' })).toBe(
      'role: an analyst or a manager disseminates a referral to a force',
    );
    expect(await send(h, analyst, { unit: BUREAU, reason: 'keep it' })).toMatch(/^unit: NCA-CEOP-RB is the referral unit itself/);
    expect(await send(h, analyst, { unit: 'nca-ceop-rb', reason: 'keep it' })).toMatch(/^unit: nca-ceop-rb is the referral unit itself/);
    expect(await send(h, analyst, { unit: 'not a unit!', reason: 'a force' })).toMatch(/^unit: must be a unit code/);
    expect(await send(h, analyst, { unit: FORCE, reason: '' })).toMatch(/^reason: /);
    expect((await ce.timeline(h)).length).toBe(before);
    expect((await ce.status(h)).stage).toBe('DISSEMINATION');

    // A child's safeguarding open in the referral: it goes over to the force, the referral does not wait for it.
    await h.executeUpdate(reportChildAtRisk, { args: [{ ...analyst, child: 'at-risk', reason: 'the reported images appear recent' }] });
    await until(h, (s) => s.requests.some((r) => r.kind === 'safeguarding'), 'the safeguarding opened');
    expect(await send(h, analyst, { unit: FORCE, reason: 'West Yorkshire: the IP address geolocates to Leeds' })).toBe('accepted');
    const result = await h.result();
    expect(result.outcome).toBe('DISSEMINATED');
    const forceId = forceCaseIdFor(h.workflowId);
    const referralTimeline = await ce.timeline(h);
    expect(referralTimeline.find((e) => e.kind === 'link' && e.detail.includes(forceId) && e.detail.includes(FORCE))).toBeDefined();
    expect(stageSequence(referralTimeline)).toEqual(['TRIAGE', 'DISSEMINATION', 'CLOSED']);
    expect(referralTimeline.find((e) => e.detail.includes(`goes over to the force’s case ${forceId}`))).toBeDefined();

    // The force's case: its own unit, where it came from, and on to communications data under the IPA.
    const force = ce.env.client.workflow.getHandle(forceId);
    const forceStatus = await waitFor(async () => {
      const s = await answered(ce.env.client, () => force.query(statusQuery));
      return stageSequence(await answered(ce.env.client, () => force.query(timelineQuery))).includes('SUBSCRIBER_ID') ? s : undefined;
    }, 30_000);
    expect(forceStatus.stage).not.toBe('CLOSED');
    expect(forceStatus.linkedCases).toContain(h.workflowId);
    expect((await ce.status(h)).linkedCases).toContain(forceId);
    expect((await answered(ce.env.client, () => force.describe())).typedSearchAttributes.get(CaseUnit)).toBe(FORCE);
    const forceTimeline = await answered(ce.env.client, () => force.query(timelineQuery));
    expect(forceTimeline.find((e) => e.kind === 'link' && e.detail.startsWith(`disseminated from referral case ${h.workflowId} by ${BUREAU}`))).toBeDefined();
    expect(stageSequence(forceTimeline)).not.toContain('DISSEMINATION');
    expect(forceTimeline.find((e) => e.detail.includes('is this case’s to follow'))).toBeDefined();
    // The force does not disseminate again: its case was not opened in the referral unit.
    expect(await send(force, analyst, { unit: 'ROCU-NE', reason: 'again' })).toMatch(/was not opened in the referral unit/);
    await recordHistory(h, 'uk-nca-referral-disseminated');
    await recordHistory(force, 'uk-force-case-from-referral');
    await force.terminate('test done');
  });

  it('the force’s case takes over the child’s safeguarding (it reports there, the force’s people answer it) and the bureau’s grade', async () => {
    const h = await ce.open(ukTip(), SCRIPT, { homeCountry: 'GB', unit: BUREAU, referralUnit: BUREAU, afterArrest: true });
    await until(h, (s) => s.stage === 'DISSEMINATION', 'the referral in DISSEMINATION');
    await h.executeUpdate(assessDanger, { args: [{ ...analyst, grade: 'medium', reasons: 'recent images; no contact offending indicated' }] });
    await h.executeUpdate(reportChildAtRisk, { args: [{ ...analyst, child: 'at-risk', reason: 'the reported images appear recent' }] });
    // Disseminated at once: the track the bureau asked for opens first (it would never open once the referral closed).
    expect(await send(h, analyst, { unit: FORCE, reason: 'West Yorkshire: the IP address geolocates to Leeds' })).toBe('accepted');
    expect((await h.result()).outcome).toBe('DISSEMINATED');
    const trackId = `${h.workflowId}/safeguarding-1`;
    expect((await ce.timeline(h)).find((e) => e.detail.startsWith(`${trackId} (safeguarding) opened beside the case`))).toBeDefined();

    const force = ce.env.client.workflow.getHandle(forceCaseIdFor(h.workflowId));
    const forceStatus = () => answered(ce.env.client, () => force.query(statusQuery));
    const track = async () => (await forceStatus()).requests.find((r) => r.requestId === trackId);
    // The track reports to the force's case as it stands: past OPENED (the known-victims check), waiting for an analyst.
    await waitFor(async () => ((await track())?.status === 'IDENTIFYING' ? true : undefined), 30_000);
    const childAtRisk = async () => (await answered(ce.env.client, () => force.describe())).typedSearchAttributes.get(ChildAtRisk);
    await waitFor(async () => ((await childAtRisk()) === true ? true : undefined), 30_000);
    // The bureau's grade, decided by its analyst: the force starts from it and asks nobody again; no second track.
    const s = await forceStatus();
    expect(s.grade).toMatchObject({ scale: 'kirat', value: 'medium', by: analyst.actor });
    expect(s.dangerCheck ?? null).toBeNull();
    expect(s.requests.filter((r) => r.kind === 'safeguarding').map((r) => r.requestId)).toEqual([trackId]);
    const forceTimeline = await answered(ce.env.client, () => force.query(timelineQuery));
    expect(
      forceTimeline.find(
        (e) => e.detail.startsWith(`graded KIRAT risk grade medium`) && e.detail.includes(`by the referrals bureau ${BUREAU} (decided by ${analyst.actor})`),
      ),
    ).toBeDefined();
    expect(forceTimeline.find((e) => e.detail.startsWith(`${trackId}: handed over from case ${h.workflowId} to case ${force.workflowId}`))).toBeDefined();

    // The force's people answer the track; the force's case follows it to the local authority's referral and its deadline.
    const trackHandle = ce.env.client.workflow.getHandle(trackId);
    await trackHandle.executeUpdate(respond, { args: [{ ...coordinator, requestId: trackId, outcome: 'identified' }] });
    await waitFor(async () => ((await track())?.status === 'REFERRED' ? true : undefined), 30_000);
    expect((await forceStatus()).deadlines.find((d) => d.requestId === trackId && d.name.endsWith(':referral-decision'))).toBeDefined();
    // A wrong answer is refused naming the force's case, which follows it now.
    expect(
      await refusal(
        trackHandle.executeUpdate(respond, { args: [{ ...coordinator, requestId: trackId, outcome: 'enquiry-concluded', reason: 'child-protection-plan' }] }),
      ),
    ).toMatch(/REFERRED/);
    await trackHandle.executeUpdate(respond, { args: [{ ...coordinator, requestId: trackId, outcome: 'referral-decided', reason: 'no-further-action' }] });
    await waitFor(async () => ((await track())?.status === 'NO_FURTHER_ACTION' ? true : undefined), 30_000);
    await waitFor(async () => ((await childAtRisk()) === false ? true : undefined), 30_000);
    // The referral's record is as it closed: the force's answers are not in it.
    expect((await ce.timeline(h)).some((e) => e.detail.includes('referral-decided'))).toBe(false);
    await recordHistory(force, 'uk-force-takes-over-safeguarding');
    await recordHistory(trackHandle, 'uk-safeguarding-handed-over-child');
    await force.terminate('test done');
  });

  it('a GB case of another unit runs as before: no DISSEMINATION', async () => {
    const h = await ce.open(ukTip(), SCRIPT, { homeCountry: 'GB', unit: FORCE, referralUnit: BUREAU, afterArrest: true });
    await waitFor(async () => (stageSequence(await ce.timeline(h)).includes('SUBSCRIBER_ID') ? true : undefined), 30_000);
    expect(stageSequence(await ce.timeline(h))).not.toContain('DISSEMINATION');
    expect(await send(h, analyst, { unit: 'ROCU-NE', reason: 'a referral' })).toMatch(/was not opened in the referral unit/);
    await h.terminate('test done');
  });
});
