/** Paths that wait on people: jurisdiction, denied and expired warrants, withdrawal, failed steps. */
import { amendAndReapply, resolveJurisdiction, retryStep, withdraw } from '../../workflows/messages';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { startCaseEnv, stageSequence, fixtureTip, uniqueReport, type CaseEnv, DAY } from './case-env';
import { APPROVER, DRAFTER } from './document-desk';
import { preservationWorkflowId } from '../../workflows/preservation';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';

const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };

function unlocatedTip() {
  return fixtureTip('domestic-arrest', (t) => {
    t.ncmecReportNumber = uniqueReport();
    t.personOrUserReported.ipCaptureEvent = [];
    t.personOrUserReported.estimatedLocation = undefined;
  });
}

describe('case inputs and timers', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv();
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  it('reminds the coordinator, then escalates to a manager, while jurisdiction stays unresolved', async () => {
    const h = await ce.open(unlocatedTip(), { searchWarrants: ['grant'] });
    await waitFor(async () => ((await ce.status(h)).stage === 'JURISDICTION' ? true : undefined));
    let status = await ce.status(h);
    expect(status).toMatchObject({ awaiting: 'coordinator', suspectCountry: null });
    expect(status.deadlines.map((d) => d.name)).toEqual(expect.arrayContaining(['jurisdiction-reminder', 'jurisdiction-escalation']));
    const reminderDue = Date.parse(status.deadlines.find((d) => d.name === 'jurisdiction-reminder')!.dueAt);
    const escalationDue = Date.parse(status.deadlines.find((d) => d.name === 'jurisdiction-escalation')!.dueAt);
    expect(escalationDue - reminderDue).toBe(5 * DAY); // 2 days, then 7 days after entering the stage

    await ce.skip(3 * DAY);
    const alertKeys = () => ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).map((e) => e.key);
    expect(alertKeys()).toEqual([`${h.workflowId}/jurisdiction-reminder`]);
    status = await ce.status(h);
    expect(status.awaiting).toBe('coordinator');
    expect(status.deadlines.map((d) => d.name)).not.toContain('jurisdiction-reminder');

    await ce.skip(5 * DAY);
    expect(alertKeys()).toEqual([`${h.workflowId}/jurisdiction-reminder`, `${h.workflowId}/jurisdiction-escalation`]);
    expect((await ce.status(h)).awaiting).toBe('manager');

    await h.executeUpdate(resolveJurisdiction, { args: [{ actor: 'M. Manager', role: 'manager', suspectCountry: 'US', reason: 'subpoena return' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    const timeline = await ce.timeline(h);
    expect(timeline.find((e) => e.kind === 'input')).toMatchObject({ actor: 'M. Manager', role: 'manager', stage: 'JURISDICTION' });
    expect(stageSequence(timeline).slice(0, 3)).toEqual(['TRIAGE', 'JURISDICTION', 'FILE_REVIEW']);
    await recordHistory(h, 'jurisdiction-escalated');
  });

  it('lets a coordinator amend and reapply after a denial, and shows an unexecuted warrant expiring after 14 days', async () => {
    const tip = fixtureTip('domestic-arrest', (t) => void (t.ncmecReportNumber = uniqueReport()));
    const h = await ce.open(tip, { searchWarrants: ['deny', 'grant', 'grant'], executionDelaysDays: [0, 20, 2] });
    // The coordinator decides after the denial (before it, the desk approved the subpoena and the warrant papers).
    await waitFor(async () => ((await ce.status(h)).awaiting === 'coordinator' && (await ce.status(h)).warrantApplications === 1 ? true : undefined));
    expect(await ce.status(h)).toMatchObject({ stage: 'WARRANT', warrantApplications: 1 });

    await h.executeUpdate(amendAndReapply, { args: [{ ...coordinator, amendment: 'added the upload IP subscriber record' }] });
    // Granted, scheduled 20 days out: the 14-day execution window runs out first.
    await waitFor(async () => ((await ce.status(h)).stage === 'WARRANT_EXECUTION' ? true : undefined));
    const due = (await ce.status(h)).deadlines.find((d) => d.name === 'warrant-execution')!;
    expect(due.source).toContain('R. Crim. P. 41(e)(2)(A)');
    await ce.skip(15 * DAY);
    let status = await ce.status(h);
    expect(status).toMatchObject({ stage: 'WARRANT', awaiting: 'coordinator', warrantApplications: 2 });
    expect(status.requests.filter((r) => r.kind === 'search-warrant').map((r) => r.status)).toEqual(['DENIED', 'EXPIRED']);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).map((e) => e.key)).toEqual([`${h.workflowId}/warrant-expiry-alert-2`]);

    await h.executeUpdate(amendAndReapply, { args: [{ ...coordinator, amendment: 'execution team assigned' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    status = await ce.status(h);
    expect(status.requests.filter((r) => r.kind === 'search-warrant').map((r) => r.status)).toEqual(['DENIED', 'EXPIRED', 'EXECUTED']);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'applyForSearchWarrant' })).toHaveLength(3);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'serveWarrant' })).toHaveLength(1);
    const timeline = await ce.timeline(h);
    // Besides the document desk's approvals of each application's papers, the coordinator's two amendments.
    const desk: string[] = [DRAFTER.actor, APPROVER.actor];
    expect(timeline.filter((e) => e.kind === 'input' && !desk.includes(e.actor)).map((e) => e.actor)).toEqual([coordinator.actor, coordinator.actor]);
    expect(new Set((await ce.documents.list(h.workflowId)).map((d) => d.requestId))).toEqual(
      new Set([`${h.workflowId}/preservation`, `${h.workflowId}/subscriber-identification-1`, ...[1, 2, 3].map((n) => `${h.workflowId}/search-warrant-${n}`)]),
    );
    expect(timeline.some((e) => e.detail.includes('EXPIRED'))).toBe(true);
    await recordHistory(h, 'warrant-expired-alerted');
  });

  it('rejects an input that does not fit the stage, and changes nothing', async () => {
    const h = await ce.open(unlocatedTip());
    await waitFor(async () => ((await ce.status(h)).stage === 'JURISDICTION' ? true : undefined));
    // Let preservation report in first: its own news is not what this test is about.
    await waitFor(async () => ((await ce.status(h)).preservation?.state === 'PRESERVED' ? true : undefined));
    const before = await ce.timeline(h);
    const attempts: [string, unknown][] = [
      ['amendAndReapply', { ...coordinator, amendment: 'x' }],
      ['retryStep', { ...coordinator }],
      ['resolveJurisdiction', { ...coordinator, suspectCountry: 'usa' }],
      ['resolveJurisdiction', { actor: '', role: 'coordinator', suspectCountry: 'US' }],
      ['resolveJurisdiction', { actor: 'L. Liaison', role: 'liaison', suspectCountry: 'US' }],
      ['addNote', { ...coordinator, text: '   ' }],
    ];
    const messages: string[] = [];
    for (const [name, payload] of attempts) {
      const err = await h.executeUpdate(name, { args: [payload] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      messages.push(String((err as WorkflowUpdateFailedError).cause?.message));
    }
    expect(messages).toEqual([
      expect.stringContaining('there is no denied or expired warrant to reapply for'),
      expect.stringContaining('no failed step to retry'),
      expect.stringContaining('suspectCountry: must be an ISO 3166-1 alpha-2 country code'),
      expect.stringContaining('actor: must name the person acting'),
      expect.stringContaining('role: a coordinator or a manager resolves jurisdiction'),
      expect.stringContaining('text: must not be empty'),
    ]);
    expect(await ce.timeline(h)).toEqual(before);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
    await h.result();
  });

  it('withdraws a case with compensations: outstanding requests withdrawn, preservation released', async () => {
    const tip = fixtureTip('domestic-arrest', (t) => void (t.ncmecReportNumber = uniqueReport()));
    const h = await ce.open(tip, { searchWarrants: ['grant'], executionDelaysDays: [10] });
    await waitFor(async () => ((await ce.status(h)).stage === 'WARRANT_EXECUTION' ? true : undefined));
    await waitFor(async () => ((await ce.status(h)).preservation?.state === 'PRESERVED' ? true : undefined));
    const status = await h.executeUpdate(withdraw, {
      args: [{ ...coordinator, reason: 'victim identified the uploader as a minor; referred to youth services' }],
    });
    expect(status.stage).toBe('WARRANT_EXECUTION'); // accepted, durable; compensation follows
    expect(await h.result()).toMatchObject({ outcome: 'WITHDRAWN', reason: expect.stringContaining('referred to youth services') });
    const after = await ce.status(h);
    expect(after.requests.find((r) => r.kind === 'search-warrant')?.status).toBe('WITHDRAWN');
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'withdrawRequest' }).map((e) => e.key)).toEqual([`${h.workflowId}/withdraw-search-warrant-1`]);
    const child = ce.env.client.workflow.getHandle(preservationWorkflowId(h.workflowId));
    expect(await child.result()).toMatchObject({ state: 'RELEASED' });
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'serveWarrant' })).toHaveLength(0);
    expect(stageSequence(await ce.timeline(h)).at(-1)).toBe('CLOSED');
    await recordHistory(h, 'withdrawn-during-execution');
  });

  it('moves a permanently failing step to NEEDS_ATTENTION, from which a coordinator retries it', async () => {
    const tip = fixtureTip('domestic-arrest', (t) => void (t.ncmecReportNumber = uniqueReport()));
    const h = await ce.open(tip, { rejectOps: ['court.applyForSearchWarrant'] });
    await waitFor(async () => ((await ce.status(h)).stage === 'NEEDS_ATTENTION' ? true : undefined));
    const status = await ce.status(h);
    expect(status).toMatchObject({
      awaiting: 'coordinator',
      attention: { step: 'search-warrant-1', reason: expect.stringContaining('court rejected applyForSearchWarrant') },
    });
    // Rejected once, and not retried by Temporal: a rejection cannot be fixed by retrying.
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'applyForSearchWarrant' })).toHaveLength(1);

    ce.systems.setScript(h.workflowId, { searchWarrants: ['grant'] });
    await h.executeUpdate(retryStep, { args: [{ ...coordinator, reason: 'court clerk fixed the e-filing account' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    const keys = ce.systems.ledger.all({ caseId: h.workflowId, op: 'applyForSearchWarrant' }).map((e) => e.key);
    expect(keys).toEqual([`${h.workflowId}/search-warrant-1`, `${h.workflowId}/search-warrant-1/retry-1`]);
    expect(stageSequence(await ce.timeline(h))).toEqual([
      'TRIAGE',
      'SUBSCRIBER_ID',
      'FILE_REVIEW',
      'WARRANT',
      'NEEDS_ATTENTION',
      'WARRANT',
      'WARRANT_EXECUTION',
      'ARREST_WARRANT',
      'LOCAL_ARREST',
      'CLOSED',
    ]);
  });
});
