/**
 * Evidence held abroad, through the generic request framework: a request a liaison answers with
 * `respond`, checked against its kind's state machine, followed up at the policy's interval; and a
 * case stuck in NEEDS_ATTENTION closed by a coordinator. The generic path is taken only for data held
 * in a country the policy table does not list (Mongolia here): listed countries have their own routes
 * (test/case/evidence-abroad.test.ts).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { addNote, closeCase, respond, retryStep, withdraw, type Respond } from '../../workflows/messages';
import { COUNTRIES, INSTRUMENTS } from '../../workflows/policy';
import { preservationWorkflowId } from '../../workflows/preservation';
import { startCaseEnv, stageSequence, fixtureTip, uniqueReport, type CaseEnv, DAY } from './case-env';
import { APPROVER } from './document-desk';
import { waitFor } from '../harness/wait';

const liaison = { actor: 'L. Liaison', role: 'liaison' as const };
const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };
/** Above the ~100 events a case has when it waits abroad (so the notes, not the stages, fill the run). */
/**
 * Far enough above what a case has when it waits abroad (~150 events for a CLOUD Act order with its papers approved,
 * its preservation abroad and the document desk's updates) that the notes, not the case, fill the run.
 */
const RUN_LIMIT = 300;

/** Data held by a provider in Mongolia (a country the policy table does not list), suspect located in the US. */
const noRouteTip = () => fixtureTip('data-abroad-no-route', (t) => void (t.ncmecReportNumber = uniqueReport()));
/** Data held by a UK provider (a CLOUD Act order, also answered by a liaison), suspect located in the US. */
const ukDataTip = () => fixtureTip('data-in-uk-cloud-act', (t) => void (t.ncmecReportNumber = uniqueReport()));

async function rejection(h: WorkflowHandle, name: string, payload: unknown): Promise<string> {
  const err = await h.executeUpdate(name, { args: [payload] }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return String((err as WorkflowUpdateFailedError).cause?.message);
}

describe('evidence held abroad, answered through a liaison', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv();
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  const inForeignEvidence = async (h: WorkflowHandle) => {
    await waitFor(async () => ((await ce.status(h)).stage === 'FOREIGN_EVIDENCE' ? true : undefined));
  };
  /**
   * Adds notes until the case continues as new. The run must have room when the notes start: a run
   * already full continues as new on its own while a response is sent (with a limit of 80, below the
   * ~100 events a case has by now when it waits abroad, a response in CI failed that way).
   */
  const fillTheRun = async (h: WorkflowHandle, text: (i: number) => string) => {
    const first = await h.describe();
    expect({ eventsBeforeTheNotes: first.historyLength, room: first.historyLength < RUN_LIMIT - 20 }).toMatchObject({ room: true });
    for (let i = 1; (await h.describe()).runId === first.runId; i++) {
      if (i > 120) throw new Error(`120 notes did not fill the run (limit ${RUN_LIMIT} events)`);
      await h.executeUpdate(addNote, { args: [{ ...coordinator, text: text(i) }] });
    }
  };
  const ops = (caseId: string, op: string) => ce.systems.ledger.all({ caseId, op });
  /** Mongolia has no entry in the policy table: no instrument to preserve the data, no child, a liaison is told. */
  const expectNoPreservation = async (h: WorkflowHandle) => {
    expect((await ce.status(h)).preservation).toBeNull();
    expect(ops(h.workflowId, 'requestPreservation')).toHaveLength(0);
    expect(
      await ce.env.client.workflow
        .getHandle(preservationWorkflowId(h.workflowId))
        .describe()
        .catch((e: unknown) => e),
    ).toBeInstanceOf(WorkflowNotFoundError);
    const alerts = (await ce.timeline(h)).filter((e) => e.kind === 'alert' && e.detail.startsWith('no preservation instrument'));
    expect(alerts.map((e) => e.detail)).toEqual(['no preservation instrument for data held in MN: a liaison must arrange preservation']);
  };
  /** None of the routes the policy table offers was taken. */
  const expectNoTreatyRoute = (caseId: string) => {
    for (const op of ['issueCloudActOrder', 'issueEuProductionOrder', 'draftDocument', 'transmit', 'applyForSearchWarrant'])
      expect([op, ops(caseId, op)]).toEqual([op, []]);
  };

  it('the fixture holds its data in a country the policy table does not list', () => {
    const tip = noRouteTip();
    expect(tip.reporter.dataCountry).toBe('MN');
    expect(COUNTRIES[tip.reporter.dataCountry]).toBeUndefined();
  });

  it('waits for the liaison, follows up every 30 days, and goes on to arrest once the evidence is produced', async () => {
    const h = await ce.open(noRouteTip());
    await inForeignEvidence(h);
    const requestId = `${h.workflowId}/foreign-evidence-1`;
    let status = await ce.status(h);
    expect(status).toMatchObject({ stage: 'FOREIGN_EVIDENCE', awaiting: 'liaison', dataCountry: 'MN', suspectCountry: 'US' });
    expect(status.requests.find((r) => r.kind === 'foreign-evidence')).toMatchObject({ requestId, status: 'SENT', awaiting: 'liaison' });
    expect((await ce.timeline(h)).filter((e) => e.detail.startsWith('evidence route: ')).map((e) => e.detail)).toEqual([
      'evidence route: no policy for MN: a liaison arranges the channel',
    ]);
    // No country policy, so no preservation instrument: the liaison is alerted instead.
    await expectNoPreservation(h);
    const followUp = status.deadlines.find((d) => d.name === 'follow-up:foreign-evidence-1')!;
    expect(followUp).toMatchObject({ requestId, source: INSTRUMENTS.foreignEvidence.followUpEvery.source });
    const opened = Date.parse(status.requests.find((r) => r.requestId === requestId)!.openedAt);
    expect(Date.parse(followUp.dueAt) - opened).toBe(30 * DAY);

    // Inputs that do not fit change nothing.
    const before = await ce.timeline(h);
    const reasons = [
      await rejection(h, 'respond', { ...liaison, requestId: `${h.workflowId}/mlat-1`, outcome: 'acknowledged', reference: 'x' }),
      await rejection(h, 'respond', { ...liaison, requestId, outcome: 'produced' }),
      await rejection(h, 'respond', { ...liaison, requestId, outcome: 'refused', reason: 'too busy' }),
      await rejection(h, 'respond', { ...coordinator, requestId, outcome: 'produced', reference: 'EV-9' }),
      // Nothing was preserved, so there is no preservation request to answer.
      await rejection(h, 'respond', { ...liaison, requestId: `${h.workflowId}/preservation`, outcome: 'produced', reference: 'EV-9' }),
      await rejection(h, 'respond', { ...liaison, requestId, outcome: 'executed-maybe' }),
      await rejection(h, 'closeCase', { ...coordinator, reason: 'not stuck' }),
    ];
    expect(reasons).toEqual([
      expect.stringContaining(`requestId: case ${h.workflowId} has no request ${h.workflowId}/mlat-1 (open: `),
      "reference: 'produced' on a foreign-evidence request needs a reference",
      expect.stringMatching(/^reason: 'too busy' is not a ground for 'refused'; one of dual-criminality/),
      "role: a liaison records 'produced' on a foreign-evidence request, not a coordinator",
      `requestId: case ${h.workflowId} has no request ${h.workflowId}/preservation (open: ${requestId})`,
      expect.stringMatching(/^outcome: must be one of /),
      expect.stringContaining('not NEEDS_ATTENTION: to end it, withdraw it with a reason'),
    ]);
    expect(await ce.timeline(h)).toEqual(before);

    // Unanswered for 31 days: one follow-up to the liaison, the next one due 30 days later.
    await ce.skip(31 * DAY);
    const followUps = () => ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).map((e) => e.key);
    expect(followUps()).toEqual([`${h.workflowId}/follow-up-foreign-evidence-1-1`]);
    status = await ce.status(h);
    expect(Date.parse(status.deadlines.find((d) => d.name === 'follow-up:foreign-evidence-1')!.dueAt) - opened).toBe(60 * DAY);

    const ack: Respond = {
      ...liaison,
      requestId,
      outcome: 'acknowledged',
      reference: 'JPCA-2026-114',
      note: 'Ministry of Justice central authority confirmed receipt',
    };
    // respond answers with the request as it now stands; the case shows the same.
    const acknowledged = await h.executeUpdate(respond, { args: [ack] });
    expect(acknowledged).toMatchObject({ requestId, kind: 'foreign-evidence', status: 'ACKNOWLEDGED', reference: 'JPCA-2026-114', awaiting: 'liaison' });
    status = await ce.status(h);
    expect(status.requests.find((r) => r.requestId === requestId)).toEqual(acknowledged);
    expect(status.stage).toBe('FOREIGN_EVIDENCE');
    expect(await h.executeUpdate(respond, { args: [{ ...liaison, requestId, outcome: 'produced', reference: 'EV-JP-77' }] })).toMatchObject({
      requestId,
      status: 'PRODUCED',
      reference: 'EV-JP-77',
      awaiting: null,
    });

    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    const timeline = await ce.timeline(h);
    expect(stageSequence(timeline)).toEqual(['TRIAGE', 'SUBSCRIBER_ID', 'FILE_REVIEW', 'FOREIGN_EVIDENCE', 'ARREST_WARRANT', 'LOCAL_ARREST', 'CLOSED']);
    const responses = timeline.filter((e) => e.kind === 'response' && e.actor === liaison.actor);
    expect(responses).toEqual([
      expect.objectContaining({
        role: 'liaison',
        stage: 'FOREIGN_EVIDENCE',
        detail: expect.stringContaining('acknowledged (SENT → ACKNOWLEDGED) — reference: JPCA-2026-114; note: Ministry of Justice'),
      }),
      expect.objectContaining({
        role: 'liaison',
        stage: 'FOREIGN_EVIDENCE',
        detail: expect.stringContaining('produced (ACKNOWLEDGED → PRODUCED) — reference: EV-JP-77'),
      }),
    ]);
    // No domestic warrant, order or MLAT for data held where no route is known; still nothing preserved.
    expectNoTreatyRoute(h.workflowId);
    await expectNoPreservation(h);
    expect(followUps()).toHaveLength(1);
  });

  it('a refusal needs attention; a retry opens a new request; a coordinator closes the stuck case as UNRESOLVED with compensations', async () => {
    const h = await ce.open(noRouteTip());
    await inForeignEvidence(h);
    const first = `${h.workflowId}/foreign-evidence-1`;
    await h.executeUpdate(respond, { args: [{ ...liaison, requestId: first, outcome: 'refused', reason: 'dual-criminality' }] });
    await waitFor(async () => ((await ce.status(h)).stage === 'NEEDS_ATTENTION' ? true : undefined));
    expect((await ce.status(h)).attention).toEqual({ step: 'foreign-evidence', reason: `${first} refused: dual-criminality`, resumes: 'FOREIGN_EVIDENCE' });
    expect(await rejection(h, 'respond', { ...liaison, requestId: first, outcome: 'produced', reference: 'late' })).toContain(`request ${first} is REFUSED`);

    await h.executeUpdate(retryStep, { args: [{ ...coordinator, reason: 're-sent with the offence described under Mongoliaese law' }] });
    const second = `${h.workflowId}/foreign-evidence-2`;
    await waitFor(async () => ((await ce.status(h)).requests.some((r) => r.requestId === second) ? true : undefined));
    await h.executeUpdate(respond, { args: [{ ...liaison, requestId: second, outcome: 'refused', reason: 'fundamental-rights-data-protection' }] });
    await waitFor(async () => ((await ce.status(h)).stage === 'NEEDS_ATTENTION' ? true : undefined));

    expect(await rejection(h, 'closeCase', { ...liaison, reason: 'x' })).toBe('role: a coordinator or a manager closes a case');
    await h.executeUpdate(closeCase, { args: [{ ...coordinator, reason: 'Mongolia will not produce the data; no other route' }] });
    expect(await h.result()).toMatchObject({ outcome: 'UNRESOLVED', reason: 'Mongolia will not produce the data; no other route' });
    const status = await ce.status(h);
    expect(status).toMatchObject({ stage: 'CLOSED', outcome: 'UNRESOLVED', deadlines: [] });
    expect(status.requests.filter((r) => r.kind === 'foreign-evidence').map((r) => [r.status, r.reason])).toEqual([
      ['REFUSED', 'dual-criminality'],
      ['REFUSED', 'fundamental-rights-data-protection'],
    ]);
    await expectNoPreservation(h);
    expectNoTreatyRoute(h.workflowId);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'closeInIndex' })).toHaveLength(1);
    const timeline = await ce.timeline(h);
    expect(stageSequence(timeline)).toEqual([
      'TRIAGE',
      'SUBSCRIBER_ID',
      'FILE_REVIEW',
      'FOREIGN_EVIDENCE',
      'NEEDS_ATTENTION',
      'FOREIGN_EVIDENCE',
      'NEEDS_ATTENTION',
      'CLOSED',
    ]);
    // Besides the document desk's approval of the subpoena.
    expect(timeline.filter((e) => e.kind === 'input' && e.actor !== APPROVER.actor).map((e) => [e.actor, e.role, e.stage])).toEqual([
      [coordinator.actor, 'coordinator', 'NEEDS_ATTENTION'],
      [coordinator.actor, 'coordinator', 'NEEDS_ATTENTION'],
    ]);
  });

  it('a stuck case whose data abroad is preserved, closed as UNRESOLVED, releases the preservation abroad', async () => {
    // The UK data is preserved under Budapest Art. 29; the CLOUD Act order cannot be issued (a permanent failure).
    const h = await ce.open(ukDataTip(), { rejectOps: ['orders.issueCloudActOrder'] });
    await waitFor(async () => {
      const s = await ce.status(h);
      return s.stage === 'NEEDS_ATTENTION' && s.preservation?.state === 'PRESERVED' ? true : undefined;
    });
    expect((await ce.status(h)).attention).toMatchObject({ step: 'cloud-act-order-1' });
    await h.executeUpdate(closeCase, { args: [{ ...coordinator, reason: 'the order service is down for good; no other route' }] });
    expect(await h.result()).toMatchObject({ outcome: 'UNRESOLVED', reason: 'the order service is down for good; no other route' });
    expect(await ce.status(h)).toMatchObject({ stage: 'CLOSED', outcome: 'UNRESOLVED', deadlines: [] });
    expect(await ce.env.client.workflow.getHandle(preservationWorkflowId(h.workflowId)).result()).toMatchObject({ state: 'RELEASED' });
    expect(ops(h.workflowId, 'releasePreservation')).toHaveLength(1);
    expect(ops(h.workflowId, 'closeInIndex')).toHaveLength(1);
  });

  it('continues as new while waiting, carrying the open request and its follow-up deadline', async () => {
    const h = await ce.open(noRouteTip(), {}, { continueAsNewAfterEvents: RUN_LIMIT });
    await inForeignEvidence(h);
    const requestId = `${h.workflowId}/foreign-evidence-1`;
    await h.executeUpdate(respond, { args: [{ ...liaison, requestId, outcome: 'acknowledged', reference: 'JPCA-5' }] });
    const before = await ce.status(h);
    await fillTheRun(h, (i) => `chased the Mongoliaese central authority (${i})`);
    const after = await ce.status(h);
    expect(after).toMatchObject({ stage: 'FOREIGN_EVIDENCE', awaiting: 'liaison' });
    expect(after.requests).toEqual(before.requests);
    expect(after.requests.find((r) => r.requestId === requestId)).toMatchObject({ status: 'ACKNOWLEDGED', reference: 'JPCA-5' });
    expect(after.deadlines).toEqual(before.deadlines);
    expect(after.deadlines.map((d) => d.name)).toContain('follow-up:foreign-evidence-1');
    expect(after.preservation).toEqual(before.preservation);

    // The follow-up timer keeps its due time in the new run.
    await ce.skip(31 * DAY);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).map((e) => e.key)).toEqual([`${h.workflowId}/follow-up-foreign-evidence-1-1`]);
    await h.executeUpdate(respond, { args: [{ ...liaison, requestId, outcome: 'produced', reference: 'EV-JP-5' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    // A later run neither starts a preservation child nor repeats the alert about it.
    await expectNoPreservation(h);
    const timeline = await ce.timeline(h);
    expect(timeline.some((e) => e.detail.startsWith('history compacted'))).toBe(true);
    expect(timeline.filter((e) => e.actor === liaison.actor).map((e) => e.detail.split(' ')[1])).toEqual(['acknowledged', 'produced']);
    const keys = ce.systems.ledger.all({ caseId: h.workflowId }).map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a CLOUD Act order continues as new while waiting, carrying the order, its follow-up deadline and the preservation child abroad', async () => {
    const h = await ce.open(ukDataTip(), {}, { continueAsNewAfterEvents: RUN_LIMIT });
    const orderId = `${h.workflowId}/cloud-act-order-1`;
    await waitFor(async () => {
      const s = await ce.status(h);
      // Sent: the order's document approved at the desk first.
      return s.stage === 'CLOUD_ACT_ORDER' && s.requests.some((r) => r.requestId === orderId && r.status === 'SENT') && s.preservation?.state === 'PRESERVED'
        ? true
        : undefined;
    });
    // The preservation abroad (Budapest Art. 29) is answered by the provider's system, never by a person.
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'requestPreservation' })[0]?.result).toMatchObject({ reference: expect.any(String) });
    const before = await ce.status(h);
    expect(await rejection(h, 'respond', { ...liaison, requestId: `${h.workflowId}/preservation`, outcome: 'produced', reference: 'EV-9' })).toContain(
      "'produced' cannot be recorded on a preservation request (its answers come from the provider's system)",
    );
    await fillTheRun(h, (i) => `chased the provider's law enforcement team (${i})`);
    const after = await ce.status(h);
    expect(after).toMatchObject({ stage: 'CLOUD_ACT_ORDER', awaiting: 'provider' });
    expect(after.requests).toEqual(before.requests);
    expect(after.deadlines).toEqual(before.deadlines);
    expect(after.deadlines.map((d) => d.name)).toContain('follow-up:cloud-act-order-1');
    expect(after.preservation).toEqual(before.preservation);
    expect(after.preservation).toMatchObject({ state: 'PRESERVED' });

    // The follow-up timer keeps its due time in the new run.
    await ce.skip(31 * DAY);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).map((e) => e.key)).toEqual([`${h.workflowId}/follow-up-cloud-act-order-1-1`]);
    expect(await h.executeUpdate(respond, { args: [{ ...liaison, requestId: orderId, outcome: 'produced', reference: 'EV-UK-5' }] })).toMatchObject({
      requestId: orderId,
      status: 'PRODUCED',
      reference: 'EV-UK-5',
    });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    // The child, started by the first run, was released by a later one (found by its id).
    expect(await ce.env.client.workflow.getHandle(preservationWorkflowId(h.workflowId)).result()).toMatchObject({ state: 'RELEASED' });
    const timeline = await ce.timeline(h);
    expect(timeline.some((e) => e.detail.startsWith('history compacted'))).toBe(true);
    expect(stageSequence(timeline)).toEqual(['TRIAGE', 'SUBSCRIBER_ID', 'FILE_REVIEW', 'CLOUD_ACT_ORDER', 'ARREST_WARRANT', 'LOCAL_ARREST', 'CLOSED']);
    expect(timeline.filter((e) => e.actor === liaison.actor).map((e) => e.detail.split(' ')[1])).toEqual(['produced']);
    const keys = ce.systems.ledger.all({ caseId: h.workflowId }).map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('withdrawing the case withdraws the open request abroad', async () => {
    const h = await ce.open(noRouteTip());
    await inForeignEvidence(h);
    const requestId = `${h.workflowId}/foreign-evidence-1`;
    await h.executeUpdate(respond, { args: [{ ...liaison, requestId, outcome: 'acknowledged', reference: 'JPCA-1' }] });
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'suspect deceased' }] });
    expect(await h.result()).toMatchObject({ outcome: 'WITHDRAWN' });
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'withdrawRequest' }).map((e) => e.key)).toEqual([`${h.workflowId}/withdraw-foreign-evidence-1`]);
    expect((await ce.status(h)).requests.find((r) => r.requestId === requestId)?.status).toBe('WITHDRAWN');
  });
});
