/**
 * The three ways a case used to wedge (issue 11), each reproduced exactly: a response landing while a
 * withdrawal's compensation is at another system, a compensation or closing step that fails for good,
 * and a route decision recorded as the stage before it. Each ends closed or waiting for a named
 * person, with no WorkflowTaskFailed event in its history. (Run against the code before the fix, the
 * first four fail with a failed workflow task and the case never closing; the fifth finds no `resumes`
 * in the attention and the arrest made twice.)
 */
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  addNote,
  assessDanger,
  closeCase,
  closeWhileSafeguarding,
  closingWaitsForSafeguarding,
  rejectionOf,
  respond,
  retryStep,
  withdraw,
  type CaseStatus,
} from '../../workflows/messages';
import { startCaseEnv, fixtureTip, uniqueReport, type CaseEnv, DAY } from './case-env';
import { waitFor } from '../harness/wait';

const { EventType } = temporal.api.enums.v1;
const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };
const liaison = { actor: 'L. Liaison', role: 'liaison' as const };

const { WorkflowTaskFailedCause } = temporal.api.enums.v1;
/**
 * Workflow tasks that failed because of the workflow's code. The server also fails a task whose
 * completion raced a new update or signal (UNHANDLED_COMMAND): that one is retried at once by design.
 */
export /** The validator's reason for refusing an input, or 'accepted'. */
const refusal = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (err: unknown) => {
      const r = rejectionOf(err);
      return r ? `${r.field}: ${r.reason}` : `not a refusal: ${String(err)}`;
    },
  );

async function taskFailures(h: WorkflowHandle): Promise<string[]> {
  const history = await h.fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
    .filter((e) => e.workflowTaskFailedEventAttributes?.cause !== WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND)
    .map((e) => `${String(e.workflowTaskFailedEventAttributes?.cause)}: ${e.workflowTaskFailedEventAttributes?.failure?.message ?? ''}`);
}

describe('a case never wedges', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv();
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  const tip = (fixture: string) => fixtureTip(fixture, (t) => void (t.ncmecReportNumber = uniqueReport()));
  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean, ms = 20_000) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, ms);

  it('a CLOUD Act order produced while its withdrawal is at the gateway: the answer stays on record and the case closes WITHDRAWN', async () => {
    // The agency's system takes 3 s to withdraw: the liaison's response lands in between.
    const h = await ce.open(tip('data-in-uk-cloud-act'), { delayOps: { 'agency.withdrawRequest': 3_000, 'orders.withdraw': 3_000 } });
    const s = await until(h, (x) => x.stage === 'CLOUD_ACT_ORDER' && x.requests.some((r) => r.kind === 'cloud-act-order' && r.status === 'SENT'));
    const order = s.requests.find((r) => r.kind === 'cloud-act-order')!;
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'suspect identified as a minor' }] });
    await waitFor(async () => (ce.systems.ledger.all({ caseId: h.workflowId }).length > 0 ? true : undefined)); // compensation under way
    const answered = await h.executeUpdate(respond, { args: [{ ...liaison, requestId: order.requestId, outcome: 'produced', reference: 'UK-PROD-7' }] });
    expect(answered.status).toBe('PRODUCED');

    expect(await h.result()).toMatchObject({ outcome: 'WITHDRAWN' });
    expect(await taskFailures(h)).toEqual([]);
    const after = await ce.status(h);
    expect(after.requests.find((r) => r.requestId === order.requestId)).toMatchObject({ status: 'PRODUCED', reference: 'UK-PROD-7' });
    const timeline = await ce.timeline(h);
    expect(timeline.some((e) => e.kind === 'alert' && e.detail.includes(`${order.requestId} was answered (PRODUCED) while it was being withdrawn`))).toBe(true);
    // Preservation (Budapest 24/7 network, data in the UK) is released all the same.
    await waitFor(async () =>
      ce.systems.ledger.all({ caseId: h.workflowId, op: 'releasePreservation' }).some((e) => e.system === 'foreign-partner') ? true : undefined,
    );
  });

  it('an MLAT executed (reported by its child) while the case withdraws it: no failed task, the case closes WITHDRAWN', async () => {
    const h = await ce.open(tip('data-abroad-mlat'), { delayOps: { 'agency.withdrawRequest': 3_000 } });
    const mlatId = `${h.workflowId}/mlat-1`;
    await waitFor(async () => {
      if ((await ce.status(h)).requests.find((r) => r.requestId === mlatId)?.status === 'TRANSMITTED') return true;
      await ce.skip(DAY);
      return undefined;
    }, 60_000);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'the suspect died' }] });
    await waitFor(async () => (ce.systems.ledger.all({ caseId: h.workflowId, op: 'withdrawRequest' }).length === 0 ? true : undefined));
    const child = ce.env.client.workflow.getHandle(mlatId);
    await child.executeUpdate(respond, { args: [{ ...liaison, requestId: mlatId, outcome: 'executed', reference: 'EV-TH-1' }] });

    expect(await h.result()).toMatchObject({ outcome: 'WITHDRAWN' });
    expect(await taskFailures(h)).toEqual([]);
    expect(await taskFailures(child)).toEqual([]);
    expect((await ce.status(h)).requests.find((r) => r.requestId === mlatId)).toMatchObject({ status: 'EXECUTED' });
  });

  it('a withdrawal whose compensation is rejected for good needs a coordinator; closing without that step ends the case', async () => {
    const h = await ce.open(tip('data-in-uk-cloud-act'), { rejectOps: ['agency.withdrawRequest', 'orders.withdraw'] });
    await until(h, (x) => x.stage === 'CLOUD_ACT_ORDER' && x.requests.some((r) => r.kind === 'cloud-act-order' && r.status === 'SENT'));
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'duplicate of a case in another unit' }] });
    const stuck = await until(h, (x) => x.stage === 'NEEDS_ATTENTION');
    expect(stuck.attention).toMatchObject({ step: 'withdraw-cloud-act-order-1', resumes: 'the withdrawal’s compensations' });
    expect(stuck.attention!.reason).toContain('rejected');
    // Still open, waiting for a named person, answering its queries.
    expect(stuck.awaiting).toBe('coordinator');
    // Withdrawing again is refused: it is already being withdrawn.
    expect(await refusal(h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'again' }] }))).toMatch(/already being withdrawn/);

    await h.executeUpdate(closeCase, { args: [{ ...coordinator, reason: 'the gateway refuses; the liaison withdraws it by phone' }] });
    expect(await h.result()).toMatchObject({ outcome: 'WITHDRAWN' });
    expect(await taskFailures(h)).toEqual([]);
    const done = await ce.status(h);
    expect(done.requests.find((r) => r.kind === 'cloud-act-order')).toMatchObject({ attention: expect.stringContaining('not withdrawn at its system') });
    expect((await ce.timeline(h)).some((e) => e.kind === 'alert' && e.detail.startsWith('withdraw-cloud-act-order-1 skipped'))).toBe(true);
  });

  it('a closing step rejected for good (the deconfliction index) needs a coordinator; a retry redoes only that step, a close ends the case as what happened', async () => {
    const h = await ce.open(tip('domestic-arrest'), { rejectOps: ['assessment.closeInIndex'], searchWarrants: ['grant'], executionDelaysDays: [1] });
    await waitFor(async () => {
      if ((await ce.status(h)).stage === 'NEEDS_ATTENTION') return true;
      await ce.skip(DAY);
      return undefined;
    }, 60_000);
    const stuck = await ce.status(h);
    expect(stuck.attention).toMatchObject({ step: 'close-in-index', resumes: 'closing as ARRESTED' });
    // A withdrawal cannot overturn an arrest that happened.
    expect(await refusal(h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'x' }] }))).toMatch(/closing as ARRESTED/);

    await h.executeUpdate(retryStep, { args: [{ ...coordinator, reason: 'index back up?' }] });
    await until(h, (x) => x.stage === 'NEEDS_ATTENTION' && x.attention?.step === 'close-in-index');
    const arrests = ce.systems.ledger.all({ caseId: h.workflowId, op: 'arrest' });
    expect(arrests).toHaveLength(1);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'closeInIndex' }).map((e) => e.key)).toEqual([
      `${h.workflowId}/close-in-index`,
      `${h.workflowId}/close-in-index/retry-1`,
    ]);
    expect((await ce.timeline(h)).filter((e) => e.detail.startsWith('suspect arrested'))).toHaveLength(1);

    await h.executeUpdate(closeCase, { args: [{ ...coordinator, reason: 'index decommissioned; removed by hand' }] });
    expect(await h.result()).toMatchObject({ outcome: 'ARRESTED' });
    expect(await taskFailures(h)).toEqual([]);
  });

  it('a closing begun from NEEDS_ATTENTION whose step fails for good, retried: the retry runs (found by the property test, seed 7)', async () => {
    // The case stops on the suspect's route (no policy for MN); a coordinator closes it; the index rejects; a retry.
    const h = await ce.open(
      fixtureTip('domestic-arrest', (t) => {
        t.ncmecReportNumber = uniqueReport();
        t.personOrUserReported.ipCaptureEvent = [];
        t.personOrUserReported.estimatedLocation = { countryCode: 'MN' };
      }),
      { suspectCountry: 'MN', searchWarrants: ['grant'], executionDelaysDays: [1], rejectOps: ['assessment.closeInIndex'] },
    );
    await waitFor(async () => {
      if ((await ce.status(h)).attention?.step === 'suspect-abroad') return true;
      await ce.skip(DAY);
      return undefined;
    }, 60_000);
    await h.executeUpdate(closeCase, { args: [{ ...coordinator, reason: 'no channel to MN' }] });
    const stuck = await until(h, (x) => x.attention?.step === 'close-in-index');
    expect(stuck).toMatchObject({ stage: 'NEEDS_ATTENTION', awaiting: 'coordinator' });
    // Before the fix, this retry left the stage NEEDS_ATTENTION awaiting nobody, and nothing ran again.
    await h.executeUpdate(retryStep, { args: [{ ...coordinator }] });
    await waitFor(async () => (ce.systems.ledger.all({ caseId: h.workflowId, op: 'closeInIndex' }).length === 2 ? true : undefined));
    expect(await until(h, (x) => x.attention?.step === 'close-in-index' && x.awaiting === 'coordinator')).toMatchObject({ stage: 'NEEDS_ATTENTION' });
    await h.executeUpdate(closeCase, { args: [{ ...coordinator, reason: 'removed from the index by hand' }] });
    expect(await h.result()).toMatchObject({ outcome: 'UNRESOLVED' });
    expect(await taskFailures(h)).toEqual([]);
  });

  it('a route decision that needs a person is recorded as that decision, and a retry resumes there', async () => {
    // Data at home, suspect in a country the tables do not cover: the warrant is executed, then the suspect's route needs a person.
    const h = await ce.open(
      fixtureTip('domestic-arrest', (t) => {
        t.ncmecReportNumber = uniqueReport();
        for (const e of t.personOrUserReported.ipCaptureEvent ?? []) e.countryCode = 'MN';
        t.personOrUserReported.estimatedLocation = { countryCode: 'MN' };
      }),
      { suspectCountry: 'MN', searchWarrants: ['grant'], executionDelaysDays: [1] },
    );
    await waitFor(async () => {
      if ((await ce.status(h)).stage === 'NEEDS_ATTENTION') return true;
      await ce.skip(DAY);
      return undefined;
    }, 60_000);
    const stuck = await ce.status(h);
    expect(stuck.attention).toMatchObject({ step: 'suspect-abroad', resumes: 'suspect-route' });
    expect(stuck.attention!.reason).toContain('no policy for MN');
    await h.executeUpdate(retryStep, { args: [{ ...coordinator }] });
    await until(h, (x) => x.stage === 'NEEDS_ATTENTION' && x.attention?.step === 'suspect-abroad');
    // The warrant was served once: the retry did not go back into the evidence stage's work.
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'serveWarrant' })).toHaveLength(1);
    expect(await taskFailures(h)).toEqual([]);
  });

  it('a flagged case continues as new with its danger check, safeguarding and subscriber carried; its escalation, whose alert is rejected for good, still happens on time', async () => {
    const h = await ce.open(
      tip('child-at-risk-sextortion'),
      { rejectOps: ['agency.alert'], emergencyDisclosure: 'disclose', emergencyRecords: 'disclose' },
      { continueAsNewAfterEvents: 80 },
    );
    const first = await until(h, (x) => x.dangerCheck?.state === 'PENDING' && x.requests.some((r) => r.kind === 'safeguarding' && r.status === 'IDENTIFYING'));
    const firstRun = (await h.describe()).runId;
    for (let i = 1; i <= 40; i++) await h.executeUpdate(addNote, { args: [{ ...coordinator, text: `note ${i}` }] });
    await waitFor(async () => ((await h.describe()).runId !== firstRun ? true : undefined));
    const carried = await ce.status(h);
    expect(carried.dangerCheck).toMatchObject({ state: 'PENDING', decideBy: first.dangerCheck!.decideBy });
    expect(carried.childAtRisk).toBe(true);
    // The escalation falls due in the new run; its alert is rejected, and the case says so instead of failing.
    await ce.skip(61 * 60_000);
    const escalated = await until(h, (x) => x.dangerCheck?.state === 'ESCALATED');
    expect((await ce.timeline(h)).some((e) => e.kind === 'alert' && e.detail.startsWith('imminent-danger-escalation failed'))).toBe(true);
    await h.executeUpdate(assessDanger, { args: [{ actor: 'M. Manager', role: 'manager', grade: '1', reasons: 'meeting on Saturday' }] });
    // The safeguarding child reports to whichever run is current: the analyst's answer reaches the new run.
    const sg = escalated.requests.find((r) => r.kind === 'safeguarding')!;
    await ce.env.client.workflow
      .getHandle(sg.workflowId!)
      .executeUpdate(respond, { args: [{ actor: 'N. Analyst', role: 'analyst', requestId: sg.requestId, outcome: 'identified' }] });
    await until(h, (x) => x.requests.find((r) => r.requestId === sg.requestId)?.status === 'REPORTED');
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
    await until(h, closingWaitsForSafeguarding);
    await h.executeUpdate(closeWhileSafeguarding, { args: [{ ...coordinator, reason: 'CPS carry it on' }] });
    expect(await h.result()).toMatchObject({ outcome: 'WITHDRAWN' });
    expect(await taskFailures(h)).toEqual([]);
    expect(await taskFailures(ce.env.client.workflow.getHandle(sg.workflowId!))).toEqual([]);
  });

  it('a step of a request run by its own workflow rejected for good hands the case to a coordinator; a retry opens a new request', async () => {
    // Found by the property test: the child reported the failure but not the attention, so the case waited for ever.
    const h = await ce.open(tip('data-abroad-mlat'), { rejectOps: ['diplomatic.transmit'] });
    await waitFor(async () => {
      if ((await ce.status(h)).stage === 'NEEDS_ATTENTION') return true;
      await ce.skip(DAY);
      return undefined;
    }, 60_000);
    const stuck = await ce.status(h);
    expect(stuck.attention).toMatchObject({ step: 'mlat', resumes: 'MLAT' });
    expect(stuck.requests.find((r) => r.requestId === `${h.workflowId}/mlat-1`)!.attention).toContain('transmit-1');
    ce.systems.setScript(h.workflowId, {});
    await h.executeUpdate(retryStep, { args: [{ ...coordinator, reason: 'the embassy channel is back' }] });
    const again = await until(h, (x) => x.requests.some((r) => r.requestId === `${h.workflowId}/mlat-2` && r.status !== 'DRAFTING'), 30_000).catch(async () => {
      await ce.skip(5 * DAY);
      return until(h, (x) => x.requests.some((r) => r.requestId === `${h.workflowId}/mlat-2`));
    });
    expect(again.stage).toBe('MLAT');
    expect(await taskFailures(h)).toEqual([]);
  });
});
