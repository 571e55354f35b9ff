/**
 * A suspect abroad, on the time-skipping server: extradition (a child workflow) through provisional
 * arrest, the formal request, the foreign proceedings and surrender; the law's windows missed
 * (released, discharged); and a state that does not extradite its nationals (transfer of
 * proceedings). Stage sequences, deadlines and what the simulated systems received.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { assessDanger, respond, type CaseStatus, type Respond, type TimelineEntry } from '../../workflows/messages';
import { INSTRUMENTS } from '../../workflows/policy';
import type { CaseScript } from '../../activities/simulators';
import { DAY, fixtureTip, stageSequence, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';

const liaison = { actor: 'L. Liaison', role: 'liaison' as const };
/** The UK suspect's tip is NCMEC priority 1: a child's safeguarding opens beside the case, which closes with a coordinator's word. */
const SAFEGUARDING_GOES_ON = { whileSafeguarding: 'the child is safeguarded in the UK by the NCA; the track stays open for its answer' };
const tip = (fixture: string) => fixtureTip(fixture, (t) => void (t.ncmecReportNumber = uniqueReport()));

describe('suspect abroad', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv();
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  const requestOf = (s: CaseStatus, requestId: string) => s.requests.find((r) => r.requestId === requestId);
  /** Lets simulated days pass until the case shows what `ok` wants. */
  async function advanceUntil(h: WorkflowHandle, ok: (s: CaseStatus) => boolean, maxDays = 30): Promise<CaseStatus> {
    for (let day = 0; day <= maxDays; day++) {
      const s = await ce.status(h);
      if (ok(s)) return s;
      await ce.skip(DAY);
    }
    return waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, 10_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; last status ${JSON.stringify(await ce.status(h))}`);
    });
  }
  /** A liaison's response, on the workflow that runs the request (as `casebridge respond` does). */
  async function record(h: WorkflowHandle, requestId: string, r: Omit<Respond, 'actor' | 'role' | 'requestId'>) {
    const runner = requestOf(await ce.status(h), requestId)?.workflowId ?? h.workflowId;
    const request = await ce.env.client.workflow.getHandle(runner).executeUpdate(respond, { args: [{ ...liaison, requestId, ...r }] });
    // The child reports to the case by signal: wait until the case shows it.
    await waitFor(async () => (requestOf(await ce.status(h), requestId)?.status === request.status ? true : undefined));
    return request;
  }
  const ops = (caseId: string, op: string) => ce.systems.ledger.all({ caseId, op }).map((e) => e.key);
  const deadline = (s: CaseStatus, name: string) => s.deadlines.find((d) => d.name === name);
  const entryAt = (t: TimelineEntry[], text: string) => Date.parse(t.find((e) => e.detail.includes(text))!.at);
  const near = (ms: number, days: number) => expect(Math.abs(ms - days * DAY)).toBeLessThan(60_000);

  /** The UK suspect: a domestic search warrant for the US-held data, then the arrest warrant, then extradition. */
  async function inExtradition(script: CaseScript) {
    const h = await ce.open(tip('suspect-abroad-extradition'), { emergencyDisclosure: 'disclose', ...script });
    const id = `${h.workflowId}/extradition-1`;
    const s = await advanceUntil(h, (x) => x.stage === 'EXTRADITION' && requestOf(x, id) !== undefined);
    return { h, id, s };
  }

  it('extradition from the UK: provisional arrest, formal request within 65 days, hearing, order, appeal upheld, surrender → EXTRADITED', async () => {
    const { h, id, s } = await inExtradition({});
    expect(requestOf(s, id)).toMatchObject({ kind: 'extradition', workflowId: id, status: 'PROVISIONAL_ARREST_REQUESTED', awaiting: 'foreign-authority' });
    await record(h, id, { outcome: 'provisionally-arrested', reference: 'NCA-PA-77', note: 'arrested in Leeds on a provisional warrant' });
    let now = await ce.status(h);
    const arrestedAt = entryAt(await ce.timeline(h), 'provisionally-arrested (PROVISIONAL_ARREST_REQUESTED → HELD)');
    // UK law: the formal request within 65 days of the arrest (s.74 Extradition Act 2003), not the default 60.
    near(Date.parse(deadline(now, 'extradition-1:formal-request')!.dueAt) - arrestedAt, 65);
    expect(deadline(now, 'extradition-1:formal-request')!.source).toContain('s.74');

    now = await advanceUntil(h, (x) => requestOf(x, id)?.status === 'FORMAL_REQUEST_SENT', 5);
    expect(deadline(now, 'extradition-1:formal-request')).toBeUndefined();
    await record(h, id, { outcome: 'hearing-scheduled', note: 'Westminster Magistrates’ Court, 12 January' });
    await record(h, id, { outcome: 'extradition-ordered', reference: 'WMC-2027-31' });
    now = await ce.status(h);
    const orderedAt = entryAt(await ce.timeline(h), 'extradition-ordered');
    near(Date.parse(deadline(now, 'extradition-1:appeal-notice')!.dueAt) - orderedAt, 14);
    await ce.skip(5 * DAY);
    await record(h, id, { outcome: 'appeal-filed', reference: 'EWHC-ADMIN-2027-9' });
    expect(deadline(await ce.status(h), 'extradition-1:appeal-notice')).toBeUndefined();
    await ce.skip(40 * DAY);
    await record(h, id, { outcome: 'appeal-decided', reason: 'order-upheld' });
    now = await ce.status(h);
    const finalAt = entryAt(await ce.timeline(h), 'appeal-decided (APPEAL_FILED → FINAL)');
    near(Date.parse(deadline(now, 'extradition-1:surrender')!.dueAt) - finalAt, 28);
    await ce.skip(10 * DAY);
    await record(h, id, { outcome: 'surrendered', note: 'handed over at Heathrow' });

    expect(await ce.finish(h, SAFEGUARDING_GOES_ON)).toMatchObject({ outcome: 'EXTRADITED' });
    const timeline = await ce.timeline(h);
    expect(stageSequence(timeline)).toEqual([
      'TRIAGE',
      'SUBSCRIBER_ID',
      'EMERGENCY_DISCLOSURE',
      'FILE_REVIEW',
      'WARRANT',
      'WARRANT_EXECUTION',
      'ARREST_WARRANT',
      'EXTRADITION',
      'CLOSED',
    ]);
    expect(timeline.filter((e) => e.actor === liaison.actor).map((e) => e.detail.split(' ')[1])).toEqual([
      'provisionally-arrested',
      'hearing-scheduled',
      'extradition-ordered',
      'appeal-filed',
      'appeal-decided',
      'surrendered',
    ]);
    // Each request sent once; English to English needs no translation; the arrest is on arrival.
    expect(ops(h.workflowId, 'requestProvisionalArrest')).toEqual([`${id}/provisional-arrest`]);
    expect(ops(h.workflowId, 'transmit')).toEqual([`${id}/formal-request`]);
    expect(ops(h.workflowId, 'translate')).toEqual([]);
    expect(ops(h.workflowId, 'arrest')).toEqual([`${h.workflowId}/arrest-on-arrival`]);
    expect((await ce.status(h)).deadlines).toEqual([]);
    // The papers of the foreign steps, generated from the case as each step went (at once, not held for approval).
    const paperLines = timeline.filter((e) => e.detail.includes('generated from the case and sent with')).map((e) => e.detail.slice(id.length + 2));
    expect(paperLines.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      `provisional-arrest-request ${id}/provisional-arrest-request.en`,
      `diplomatic-note ${id}/diplomatic-note.en`,
    ]);
    expect((await ce.documents.content(`${id}/provisional-arrest-request.en`)).content).toContain(
      'Urgent request for provisional arrest with a view to extradition',
    );
    expect((await ce.documents.content(`${id}/diplomatic-note.en`)).content).toContain('has the honour to transmit the enclosed request for extradition');
    await recordHistory(h, 'extradition-appeal-surrender-case');
    await recordHistory(ce.env.client.workflow.getHandle(id), 'extradition-appeal-surrender-child');
    await recordHistory(ce.env.client.workflow.getHandle(id), 'extradition-foreign-papers-child');
  });

  it('provisional arrest, but the formal request is not ready within 65 days: the person is released and the case says so', async () => {
    const { h, id } = await inExtradition({ centralAuthorityReviewDays: [70] });
    await record(h, id, { outcome: 'provisionally-arrested', reference: 'NCA-PA-78' });
    const arrestedAt = entryAt(await ce.timeline(h), 'provisionally-arrested');
    expect(await ce.finish(h, SAFEGUARDING_GOES_ON)).toMatchObject({
      outcome: 'RELEASED',
      reason: expect.stringContaining('no formal request within 65 days'),
    });
    const timeline = await ce.timeline(h);
    near(entryAt(timeline, `${id}: released from provisional arrest`) - arrestedAt, 65);
    expect(requestOf(await ce.status(h), id)).toMatchObject({ status: 'RELEASED' });
    // The formal request was never presented.
    expect(ops(h.workflowId, 'transmit')).toEqual([]);
    expect(stageSequence(timeline).slice(-2)).toEqual(['EXTRADITION', 'CLOSED']);
  });

  it('extradition ordered, no appeal: final after 14 days; not surrendered within 28 days → DISCHARGED', async () => {
    // The tip is flagged (NCMEC priority 1); an analyst downgrades it before the case acts on the suspect.
    const h0 = await ce.open(tip('suspect-abroad-extradition'), { emergencyDisclosure: 'disclose', priority: 2 });
    await waitFor(async () => ((await ce.status(h0)).dangerCheck?.state === 'PENDING' ? true : undefined));
    await h0.executeUpdate(assessDanger, {
      args: [{ actor: 'N. Analyst', role: 'analyst', grade: '2', reasons: 'no contact with a child in the chats; old images' }],
    });
    const id = `${h0.workflowId}/extradition-1`;
    const s = await advanceUntil(h0, (x) => x.stage === 'EXTRADITION' && requestOf(x, id) !== undefined);
    const h = h0;
    // Not urgent: no provisional arrest, the formal request goes straight away.
    expect(ops(h.workflowId, 'requestProvisionalArrest')).toEqual([]);
    expect(requestOf(s, id)!.status).toMatch(/OPENED|FORMAL_REQUEST_SENT/);
    await advanceUntil(h, (x) => requestOf(x, id)?.status === 'FORMAL_REQUEST_SENT', 5);
    await record(h, id, { outcome: 'extradition-ordered', reference: 'WMC-2027-40' });
    const orderedAt = entryAt(await ce.timeline(h), 'extradition-ordered');
    expect(await ce.finish(h, SAFEGUARDING_GOES_ON)).toMatchObject({ outcome: 'DISCHARGED' });
    const timeline = await ce.timeline(h);
    near(entryAt(timeline, 'the extradition order is final') - orderedAt, INSTRUMENTS.extradition.appealNotice.value.days);
    near(
      entryAt(timeline, 'the person is discharged') - orderedAt,
      INSTRUMENTS.extradition.appealNotice.value.days + INSTRUMENTS.extradition.surrender.value.days,
    );
    expect(requestOf(await ce.status(h), id)).toMatchObject({ status: 'DISCHARGED' });
    expect(ops(h.workflowId, 'arrest')).toEqual([]);
  });

  it('Brazil does not extradite its nationals: transfer of proceedings, accepted and concluded → TRANSFERRED', async () => {
    const h = await ce.open(tip('suspect-national-not-extradited'));
    const id = `${h.workflowId}/transfer-of-proceedings-1`;
    // The request letter generated from the case and approved (the document desk) before the case file goes.
    const s = await advanceUntil(h, (x) => x.stage === 'TRANSFER_OF_PROCEEDINGS' && requestOf(x, id)?.status === 'SENT');
    expect(requestOf(s, id)).toMatchObject({ kind: 'transfer-of-proceedings', status: 'SENT', awaiting: 'foreign-authority' });
    expect(deadline(s, 'follow-up:transfer-of-proceedings-1')!.source).toBe(INSTRUMENTS.transferOfProceedings.followUpEvery.source);
    const timeline0 = await ce.timeline(h);
    expect(
      timeline0.some((e) => e.detail === 'suspect route: Brazil does not extradite its own nationals: transfer of proceedings (aut dedere aut judicare)'),
    ).toBe(true);
    await record(h, id, { outcome: 'accepted', reference: 'MPF-SP-2027-12' });
    await ce.skip(100 * DAY);
    await record(h, id, { outcome: 'prosecution-concluded', reason: 'convicted in São Paulo' });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'TRANSFERRED', reason: expect.stringContaining('convicted in São Paulo') });
    const timeline = await ce.timeline(h);
    expect(stageSequence(timeline)).toEqual(['TRIAGE', 'SUBSCRIBER_ID', 'FILE_REVIEW', 'WARRANT', 'WARRANT_EXECUTION', 'TRANSFER_OF_PROCEEDINGS', 'CLOSED']);
    expect(ops(h.workflowId, 'sendCaseFile')).toEqual([id]);
    // No extradition was attempted, and no arrest warrant sought at home.
    expect(ops(h.workflowId, 'applyForArrestWarrant')).toEqual([]);
    expect(ops(h.workflowId, 'requestProvisionalArrest')).toEqual([]);
    // Unanswered for 60 days after acceptance: the liaison was reminded once.
    expect(ops(h.workflowId, 'alert')).toEqual([`${h.workflowId}/follow-up-transfer-of-proceedings-1-1`]);
  });
});
