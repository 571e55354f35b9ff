/**
 * Evidence held abroad, on the time-skipping server, one path per test: the route policy gives
 * (CLOUD Act order for the UK, EU production order for a member state, MLAT otherwise), the
 * deadlines it sets, the liaisons' responses, and what the simulated systems received.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { respond, type CaseStatus, type Respond, type TimelineEntry } from '../../workflows/messages';
import { INSTRUMENTS } from '../../workflows/policy';
import { preservationWorkflowId } from '../../workflows/preservation';
import type { CaseScript } from '../../activities/simulators';
import { DAY, fixtureTip, stageSequence, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';

const liaison = { actor: 'L. Liaison', role: 'liaison' as const };
const HOUR = 3_600_000;

const tip = (fixture: string) => fixtureTip(fixture, (t) => void (t.ncmecReportNumber = uniqueReport()));

describe('evidence held abroad', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv();
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean, what = 'the expected status') =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, 30_000).catch(async (err: Error) => {
      throw new Error(`${what}: ${err.message}; last status ${JSON.stringify(await ce.status(h))}`);
    });
  const requestOf = (s: CaseStatus, requestId: string) => s.requests.find((r) => r.requestId === requestId);
  /** Records a liaison's response on the workflow that runs the request, as the CLI does. */
  const record = async (h: WorkflowHandle, r: Omit<Respond, 'actor' | 'role'>) => {
    const s = await ce.status(h);
    const runner = requestOf(s, r.requestId)?.workflowId ?? h.workflowId;
    return ce.env.client.workflow.getHandle(runner).executeUpdate(respond, { args: [{ ...liaison, ...r }] });
  };
  const ops = (caseId: string, op: string) => ce.systems.ledger.all({ caseId, op });
  /** Each stored document's versions: the generating step's key, or `uploaded` for a revision; every one approved but gaps-open drafts. */
  /** The stored documents of a case (of one of its requests) and their versions' keys. */
  const documentKeys = async (caseId: string, requestId?: string) =>
    Object.fromEntries(
      (await ce.documents.list(caseId))
        .filter((r) => requestId === undefined || r.requestId === requestId)
        .map((r) => [r.documentId, r.versions.map((v) => (v.source === 'uploaded' ? 'uploaded' : v.idempotencyKey))]),
    );
  const dueIn = (s: CaseStatus, name: string, from: string) => Date.parse(s.deadlines.find((d) => d.name === name)!.dueAt) - Date.parse(from);
  const entryAt = (t: TimelineEntry[], text: string) => Date.parse(t.find((e) => e.detail.includes(text))!.at);

  it('UK: a direct CLOUD Act order to the provider, produced, then the local arrest', async () => {
    const h = await ce.open(tip('data-in-uk-cloud-act'));
    const orderId = `${h.workflowId}/cloud-act-order-1`;
    // Generated from the case and approved by a liaison (the document desk) before it is issued.
    const s = await until(h, (x) => x.stage === 'CLOUD_ACT_ORDER' && requestOf(x, orderId)?.status === 'SENT');
    expect(requestOf(s, orderId)).toMatchObject({
      kind: 'cloud-act-order',
      status: 'SENT',
      awaiting: 'provider',
      reference: expect.stringMatching(/^CLOUD-GB-/),
    });
    expect(dueIn(s, 'follow-up:cloud-act-order-1', (await ce.timeline(h)).find((e) => e.detail.startsWith(`${orderId}: SENT`))!.at)).toBe(30 * DAY);
    expect(s.deadlines.find((d) => d.name === 'follow-up:cloud-act-order-1')!.source).toBe(INSTRUMENTS.cloudActOrder.followUpEvery.source);
    await record(h, { requestId: orderId, outcome: 'produced', reference: 'EV-UK-1' });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    const timeline = await ce.timeline(h);
    expect(stageSequence(timeline)).toEqual(['TRIAGE', 'SUBSCRIBER_ID', 'FILE_REVIEW', 'CLOUD_ACT_ORDER', 'ARREST_WARRANT', 'LOCAL_ARREST', 'CLOSED']);
    expect(timeline.some((e) => e.detail.startsWith('evidence route: data held in GB: direct order under US–UK Data Access Agreement'))).toBe(true);
    // One order, sent once; no domestic warrant, no MLAT; the 24/7 preservation released.
    expect(ops(h.workflowId, 'issueCloudActOrder').map((e) => e.key)).toEqual([orderId]);
    expect(ops(h.workflowId, 'applyForSearchWarrant')).toHaveLength(0);
    expect(ops(h.workflowId, 'transmit')).toHaveLength(0);
    expect(await ce.env.client.workflow.getHandle(preservationWorkflowId(h.workflowId)).result()).toMatchObject({ state: 'RELEASED' });
  });

  it('EU member: a production order (10 days), produced, usable once the enforcing state’s 10-day refusal window closes', async () => {
    // Only a member state's authority issues an EU order (Art. 4): an Irish agency, data held in Germany.
    const h = await ce.open(tip('data-in-eu-member'), { suspectCountry: 'IE' }, { homeCountry: 'IE' });
    const orderId = `${h.workflowId}/eu-production-order-1`;
    // Its certificate generated from the case and approved by a liaison (the document desk) before the order is issued.
    const s = await until(h, (x) => x.stage === 'EU_PRODUCTION_ORDER' && requestOf(x, orderId)?.status === 'SENT');
    const issued = (await ce.timeline(h)).find((e) => e.detail.startsWith(`${orderId}: SENT`))!.at;
    // The order's own due date is the case's production deadline; the refusal window runs from the same moment.
    const due = (ops(h.workflowId, 'issueEuProductionOrder')[0].result as { dueAt: string }).dueAt;
    expect(s.deadlines.find((d) => d.name === 'eu-production-order-1:production')).toMatchObject({ dueAt: due, requestId: orderId });
    expect(dueIn(s, 'eu-production-order-1:production', issued)).toBeGreaterThan(10 * DAY - 5_000);
    expect(dueIn(s, 'eu-production-order-1:production', issued)).toBeLessThanOrEqual(10 * DAY);
    expect(dueIn(s, 'eu-production-order-1:refusal-window', due)).toBe(0);
    expect(s.preservation).toMatchObject({ state: 'PRESERVED' });
    expect(ops(h.workflowId, 'issueEuProductionOrder')[0]).toMatchObject({ key: orderId });

    await ce.skip(3 * DAY);
    await record(h, { requestId: orderId, outcome: 'produced', reference: 'EV-DE-1' });
    // Produced on day 3, but not usable before the refusal window closes on day 10.
    await ce.skip(5 * DAY);
    expect(await ce.status(h)).toMatchObject({ stage: 'EU_PRODUCTION_ORDER', awaiting: 'foreign-authority' });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    const timeline = await ce.timeline(h);
    expect(stageSequence(timeline)).toEqual(['TRIAGE', 'SUBSCRIBER_ID', 'FILE_REVIEW', 'EU_PRODUCTION_ORDER', 'ARREST_WARRANT', 'LOCAL_ARREST', 'CLOSED']);
    // Confirmed when the refusal window closed, not before.
    expect(entryAt(timeline, `${orderId}: CONFIRMED`)).toBeGreaterThanOrEqual(Date.parse(due));
    expect(entryAt(timeline, `${orderId}: CONFIRMED`) - Date.parse(issued)).toBeLessThan(11 * DAY);
  });

  it('EU member, for an agency of a member state: the EU preservation order goes through the EU order gateway', async () => {
    const h = await ce.open(tip('data-in-eu-member'), { suspectCountry: 'IE' }, { homeCountry: 'IE' });
    await waitFor(async () => (ops(h.workflowId, 'issueEuPreservationOrder').length === 1 ? true : undefined));
    expect(ops(h.workflowId, 'requestPreservation')).toEqual([]);
    expect((await ce.timeline(h)).some((e) => e.detail.includes('eu-preservation-order preservation requested'))).toBe(true);
  });

  it('EU member, emergency: production within 8 hours, refusal window 96 hours', async () => {
    const h = await ce.open(tip('data-in-eu-member'), { priority: 1, emergencyDisclosure: 'refuse', suspectCountry: 'IE' }, { homeCountry: 'IE' });
    const orderId = `${h.workflowId}/eu-production-order-1`;
    // Its certificate generated from the case and approved by a liaison (the document desk) before the order is issued.
    const s = await until(h, (x) => x.stage === 'EU_PRODUCTION_ORDER' && requestOf(x, orderId)?.status === 'SENT');
    const issued = (await ce.timeline(h)).find((e) => e.detail.startsWith(`${orderId}: SENT`))!.at;
    const due = (ops(h.workflowId, 'issueEuProductionOrder')[0].result as { dueAt: string }).dueAt;
    expect(s.deadlines.find((d) => d.name === 'eu-production-order-1:production')).toMatchObject({ dueAt: due });
    expect(dueIn(s, 'eu-production-order-1:production', issued)).toBeGreaterThan(8 * HOUR - 5_000);
    expect(dueIn(s, 'eu-production-order-1:production', issued)).toBeLessThanOrEqual(8 * HOUR);
    expect(dueIn(s, 'eu-production-order-1:refusal-window', due)).toBe(88 * HOUR);
    // Not produced in 8 hours: the liaison is chased.
    await ce.skip(9 * HOUR);
    await waitFor(async () => (ops(h.workflowId, 'alert').some((e) => e.key === `${h.workflowId}/follow-up-eu-production-order-1-1`) ? true : undefined));
    await record(h, { requestId: orderId, outcome: 'produced', reference: 'EV-DE-2' });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    const timeline = await ce.timeline(h);
    expect(stageSequence(timeline)).toEqual([
      'TRIAGE',
      'SUBSCRIBER_ID',
      'EMERGENCY_DISCLOSURE',
      'FILE_REVIEW',
      'EU_PRODUCTION_ORDER',
      'ARREST_WARRANT',
      'LOCAL_ARREST',
      'CLOSED',
    ]);
    const confirmedAfter = entryAt(timeline, `${orderId}: CONFIRMED`) - Date.parse(due);
    expect(confirmedAfter).toBeGreaterThanOrEqual(88 * HOUR);
    expect(confirmedAfter).toBeLessThan(89 * HOUR + DAY);
  });

  /** Opens an MLAT case (data held in Thailand) and waits until the request is with the foreign central authority. */
  async function transmittedMlat(script: CaseScript = {}) {
    const h = await ce.open(tip('data-abroad-mlat'), script);
    const mlatId = `${h.workflowId}/mlat-1`;
    // The central authority takes two days per review round (the simulator's default).
    for (let day = 0; day < 10 && requestOf(await ce.status(h), mlatId)?.status !== 'TRANSMITTED'; day++) await ce.skip(DAY);
    const s = await until(h, (x) => requestOf(x, mlatId)?.status === 'TRANSMITTED', 'the MLAT request transmitted');
    return { h, mlatId, s };
  }

  it('MLAT executed: drafted, cleared, translated, transmitted, acknowledged, executed', async () => {
    const { h, mlatId, s } = await transmittedMlat();
    expect(s).toMatchObject({ stage: 'MLAT', awaiting: 'foreign-authority' });
    expect(requestOf(s, mlatId)).toMatchObject({ kind: 'mlat', workflowId: mlatId, awaiting: 'foreign-authority' });
    // Responses that do not fit the request's state, or sent to the wrong workflow, change nothing.
    const before = await ce.timeline(h);
    const rejected = async (target: string, r: Omit<Respond, 'actor' | 'role'>) => {
      const err = await ce.env.client.workflow
        .getHandle(target)
        .executeUpdate(respond, { args: [{ ...liaison, ...r }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      return (err as WorkflowUpdateFailedError).cause?.message;
    };
    expect(await rejected(mlatId, { requestId: mlatId, outcome: 'executed' })).toBe("reference: 'executed' on a mlat request needs a reference");
    expect(await rejected(mlatId, { requestId: mlatId, outcome: 'surrendered' })).toMatch(
      /^outcome: 'surrendered' cannot be recorded on a mlat request; allowed now: acknowledged, more-information-requested, partially-executed, executed, refused/,
    );
    expect(await rejected(mlatId, { requestId: `${h.workflowId}/mlat-9`, outcome: 'acknowledged', reference: 'x' })).toBe(
      `requestId: this workflow runs ${mlatId}, not ${h.workflowId}/mlat-9`,
    );
    expect(await rejected(h.workflowId, { requestId: mlatId, outcome: 'acknowledged', reference: 'x' })).toContain(`is run by its own workflow ${mlatId}`);
    expect(await ce.timeline(h)).toEqual(before);
    expect(requestOf(await ce.status(h), mlatId)!.status).toBe('TRANSMITTED');
    await record(h, { requestId: mlatId, outcome: 'acknowledged', reference: 'TH-CA-2026-9' });
    await until(h, (x) => requestOf(x, mlatId)?.status === 'ACKNOWLEDGED');
    await record(h, { requestId: mlatId, outcome: 'executed', reference: 'EV-TH-9' });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    const timeline = await ce.timeline(h);
    expect(stageSequence(timeline)).toEqual(['TRIAGE', 'SUBSCRIBER_ID', 'FILE_REVIEW', 'MLAT', 'ARREST_WARRANT', 'LOCAL_ARREST', 'CLOSED']);
    const mlatLines = timeline.filter((e) => e.detail.startsWith(`${mlatId}: `)).map((e) => e.detail.slice(mlatId.length + 2).split(' ')[0]);
    // Generated, waiting for approval, completed by a revision, approved; then submitted, cleared, translated; the diplomatic note
    // generated and the request transmitted under it.
    expect(mlatLines).toEqual([
      'mlat-request',
      'mlat-request',
      'revision',
      'request',
      'mlat-request',
      'mlat-request',
      'mlat-request',
      'diplomatic-note',
      'mlat-request',
      'acknowledged',
      'executed',
    ]);
    expect(timeline.filter((e) => e.actor === liaison.actor).map((e) => [e.role, e.stage])).toEqual([
      ['liaison', 'MLAT'],
      ['liaison', 'MLAT'],
    ]);
    // Each step sent once, keyed by the request and the step; Thai needs a translation.
    const keys = (op: string) => ops(h.workflowId, op).map((e) => e.key);
    expect(keys('draftDocument')).toEqual([]); // generated from the case instead (behind patched(generated-documents))
    expect(await documentKeys(h.workflowId, mlatId)).toEqual({
      [`${mlatId}/mlat-request.en`]: [`${mlatId}/draft-1`, 'uploaded'],
      [`${mlatId}/diplomatic-note.en`]: [`${mlatId}/transmit-1-diplomatic-note`],
    });
    // The note names the request it carries and the report.
    const note = (await ce.documents.content(`${mlatId}/diplomatic-note.en`)).content;
    expect(note).toContain('has the honour to transmit the enclosed request for mutual legal assistance in a criminal matter');
    expect(note).toContain(`CyberTipline report ${h.workflowId.replace('case-', '')}`);
    expect(keys('submitForReview')).toEqual([`${mlatId}/review-1`]);
    expect(keys('translate')).toEqual([`${mlatId}/translate-1`]);
    expect(keys('transmit')).toEqual([`${mlatId}/transmit-1`]);
    expect(await ce.env.client.workflow.getHandle(mlatId).result()).toMatchObject({ status: 'EXECUTED', reference: 'EV-TH-9' });
  });

  it('MLAT with edits and a supplement: the central authority returns the draft once; more information → supplement → review → transmission again', async () => {
    const { h, mlatId } = await transmittedMlat({ centralAuthorityReviews: ['edits', 'clear', 'clear'] });
    await record(h, { requestId: mlatId, outcome: 'more-information-requested', note: 'the account holder’s subscriber records are needed' });
    for (let day = 0; day < 10 && ops(h.workflowId, 'transmit').length < 2; day++) await ce.skip(DAY);
    await until(h, (x) => requestOf(x, mlatId)?.status === 'TRANSMITTED' && ops(h.workflowId, 'transmit').length === 2, 'the supplement transmitted');
    await record(h, { requestId: mlatId, outcome: 'executed', reference: 'EV-TH-10' });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    const keys = (op: string) => ops(h.workflowId, op).map((e) => e.key);
    expect(keys('submitForReview')).toEqual([`${mlatId}/review-1`, `${mlatId}/review-2`, `${mlatId}/review-3`]);
    // Each draft a version keyed by its step; each completed and approved before the central authority saw it.
    expect(await documentKeys(h.workflowId, mlatId)).toEqual({
      // The redraft starts from the drafter's completed version: nothing left to complete in it.
      [`${mlatId}/mlat-request.en`]: [`${mlatId}/draft-1`, 'uploaded', `${mlatId}/draft-2`],
      [`${mlatId}/mlat-supplement.en`]: [`${mlatId}/draft-3`, 'uploaded'],
      // The foreign ministry's note under each transmission: the request, then the supplement.
      [`${mlatId}/diplomatic-note.en`]: [`${mlatId}/transmit-1-diplomatic-note`],
      [`${mlatId}/diplomatic-note-2.en`]: [`${mlatId}/transmit-2-diplomatic-note`],
    });
    expect(keys('transmit')).toEqual([`${mlatId}/transmit-1`, `${mlatId}/transmit-2`]);
    expect(ops(h.workflowId, 'transmit').map((e) => (e.result as { noteReference: string }).noteReference)).toHaveLength(2);
    const timeline = await ce.timeline(h);
    expect(timeline.some((e) => e.detail.includes('returned the mlat-request with edits (round 1)'))).toBe(true);
    expect(timeline.some((e) => e.detail.includes('mlat-supplement transmitted'))).toBe(true);
    // mlat-supplement-{case,child}.json were recorded before generated documents and stay as they are.
    await recordHistory(h, 'mlat-supplement-approved-case');
    await recordHistory(ce.env.client.workflow.getHandle(mlatId), 'mlat-supplement-approved-child');
  });

  it('MLAT refused for dual criminality: the case closes REFUSED with the ground', async () => {
    const { h, mlatId } = await transmittedMlat();
    const bad = await record(h, { requestId: mlatId, outcome: 'refused', reason: 'no such ground' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((bad as WorkflowUpdateFailedError).cause?.message).toMatch(/^reason: 'no such ground' is not a ground for 'refused'; one of dual-criminality/);
    await record(h, { requestId: mlatId, outcome: 'refused', reason: 'dual-criminality' });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'REFUSED', reason: expect.stringContaining('dual-criminality') });
    const s = await ce.status(h);
    expect(s).toMatchObject({ stage: 'CLOSED', outcome: 'REFUSED', deadlines: [] });
    expect(requestOf(s, mlatId)).toMatchObject({ status: 'REFUSED', reason: 'dual-criminality' });
    expect(ops(h.workflowId, 'applyForArrestWarrant')).toHaveLength(0);
  });

  it('MLAT unanswered: follow-ups to the liaison every 30 days, escalation to a manager at 90 days', async () => {
    const { h, mlatId, s } = await transmittedMlat();
    const transmittedAt = entryAt(await ce.timeline(h), 'transmitted to the TH central authority');
    // Set in the same workflow task as the transmission was recorded (a few ms of workflow time apart).
    expect(Math.abs(dueIn(s, 'mlat-1:follow-up', new Date(transmittedAt).toISOString()) - 30 * DAY)).toBeLessThan(1_000);
    expect(Math.abs(dueIn(s, 'mlat-1:escalation', new Date(transmittedAt).toISOString()) - 90 * DAY)).toBeLessThan(1_000);
    expect(s.deadlines.find((d) => d.name === 'mlat-1:escalation')!.source).toBe(INSTRUMENTS.mlat.escalateAfter.source);
    for (let day = 0; day < 95; day += 5) await ce.skip(5 * DAY);
    if (process.env.DEBUG_TL)
      console.log((await ce.timeline(h)).map((e) => `${e.at} ${e.kind} ${e.detail}`).join('\n'), JSON.stringify((await ce.status(h)).deadlines));
    await waitFor(async () => (ops(h.workflowId, 'alert').length >= 4 ? true : undefined));
    const alerts = ops(h.workflowId, 'alert').map((e) => [e.key, (e.result as { to: string }).to]);
    expect(alerts).toEqual([
      [`${mlatId}/follow-up-transmitted-1`, 'liaison'],
      [`${mlatId}/follow-up-transmitted-2`, 'liaison'],
      [`${mlatId}/escalation`, 'manager'],
      [`${mlatId}/follow-up-transmitted-3`, 'liaison'],
    ]);
    const timeline = await ce.timeline(h);
    const after = (text: string) => Math.round((entryAt(timeline, text) - transmittedAt) / DAY);
    expect(after('reminder 1')).toBe(30);
    expect(after('reminder 2')).toBe(60);
    expect(after('escalated to a manager')).toBe(90);
    expect(after('reminder 3')).toBe(90);
    expect(await ce.status(h)).toMatchObject({ stage: 'MLAT', awaiting: 'foreign-authority' });
  });
});
