/** The domestic path, end to end on the time-skipping server: tip → triage → warrant → arrest. */
import { approveDocument, documentsQuery, resolveJurisdiction, withdraw } from '../../workflows/messages';
import { startCaseEnv, stageSequence, fixtureTip, uniqueReport, type CaseEnv, DAY } from './case-env';
import { preservationWorkflowId } from '../../workflows/preservation';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';

describe('domestic case', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv();
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  it('closes even when its preservation child has already ended without telling it (the release finds nothing to release)', async () => {
    const tip = fixtureTip('domestic-arrest', (t) => void (t.ncmecReportNumber = uniqueReport()));
    const h = await ce.open(tip, { searchWarrants: ['deny'] });
    await waitFor(async () => ((await ce.status(h)).awaiting === 'coordinator' && (await ce.status(h)).preservation?.state === 'PRESERVED' ? true : undefined));
    // The child is gone (an operator ended it); the case still believes preservation is in place.
    await ce.env.client.workflow.getHandle(preservationWorkflowId(h.workflowId)).terminate('ended by an operator');
    await h.executeUpdate(withdraw, { args: [{ actor: 'A. Coordinator', role: 'coordinator', reason: 'no further application' }] });
    expect(await h.result()).toMatchObject({ outcome: 'WITHDRAWN' });
    expect((await ce.timeline(h)).some((e) => e.detail.startsWith('preservation already ended; no release needed'))).toBe(true);
  });

  it('walks from tip to local arrest, preserving data until the evidence is in hand', async () => {
    const tip = fixtureTip('domestic-arrest', (t) => void (t.ncmecReportNumber = uniqueReport()));
    const h = await ce.open(tip, { searchWarrants: ['grant'], executionDelaysDays: [3] });
    const result = await ce.finish(h);
    expect(result).toMatchObject({ outcome: 'ARRESTED' });

    const timeline = await ce.timeline(h);
    expect(stageSequence(timeline)).toEqual([
      'TRIAGE',
      'SUBSCRIBER_ID',
      'FILE_REVIEW',
      'WARRANT',
      'WARRANT_EXECUTION',
      'ARREST_WARRANT',
      'LOCAL_ARREST',
      'CLOSED',
    ]);
    const status = await ce.status(h);
    expect(status).toMatchObject({ stage: 'CLOSED', outcome: 'ARRESTED', priority: 2, suspectCountry: 'US', dataCountry: 'US', awaiting: null, deadlines: [] });
    expect(status.requests.map((r) => [r.kind, r.status])).toEqual([
      ['preservation', 'RELEASED'],
      ['subscriber-identification', 'IDENTIFIED'],
      ['search-warrant', 'EXECUTED'],
      ['arrest-warrant', 'GRANTED'],
    ]);
    // File-view gate: the viewed file was reviewed without a warrant, the other waited for one.
    expect(timeline.some((e) => e.detail.includes('1 file(s) not viewed by the provider need a warrant'))).toBe(true);

    // Preservation ran beside the case and was released once the evidence was in hand.
    const child = ce.env.client.workflow.getHandle(preservationWorkflowId(h.workflowId));
    expect(await child.result()).toMatchObject({ state: 'RELEASED', renewalsUsed: 0 });

    // Every external request reached its system exactly once.
    const ops = ce.systems.ledger.all({ caseId: h.workflowId }).map((e) => `${e.system}.${e.op}`);
    expect(ops.sort()).toEqual(
      [
        'assessment.assess',
        'assessment.deconflict',
        'provider.requestPreservation',
        // Who is behind the IP address: the registry, the provider's logs preserved first, the subpoena and its answer.
        'isp.lookup',
        'isp.preserveLogs',
        'isp.serve',
        'isp.collect',
        'agency.reviewFiles',
        'court.applyForSearchWarrant',
        'agency.scheduleWarrantExecution',
        'provider.serveWarrant',
        'provider.releasePreservation',
        'court.applyForArrestWarrant',
        'agency.arrest',
        'assessment.closeInIndex',
      ].sort(),
    );
    await recordHistory(h, 'domestic-arrest');
  });

  it('renews § 2703(f) preservation before day 90 while the case waits, then releases it at closure', async () => {
    const tip = fixtureTip('domestic-arrest', (t) => {
      t.ncmecReportNumber = uniqueReport();
      t.personOrUserReported.ipCaptureEvent = [];
      t.personOrUserReported.estimatedLocation = undefined;
    });
    const h = await ce.open(tip, { searchWarrants: ['grant'], executionDelaysDays: [1] });
    await ce.skip(100 * DAY); // jurisdiction unresolved for 100 days
    const child = ce.env.client.workflow.getHandle(preservationWorkflowId(h.workflowId));
    const status = await ce.status(h);
    expect(status.stage).toBe('JURISDICTION');
    expect(status.preservation).toMatchObject({ state: 'RENEWED', renewalsUsed: 1 });
    const renewals = ce.systems.ledger.all({ caseId: h.workflowId, op: 'renewPreservation' });
    expect(renewals).toHaveLength(1);
    // Renewed 10 days before the first 90-day expiry (policy), for another 90 days: 80 days later.
    const first = (await ce.timeline(h)).find((e) => e.detail.includes('in place until'))!;
    const firstExpiry = Date.parse(first.detail.match(/in place until (\S+)/)![1]);
    const MINUTE = 60_000;
    expect(Math.abs(firstExpiry - Date.parse(first.at) - 90 * DAY)).toBeLessThan(MINUTE);
    expect(Math.abs(Date.parse(status.preservation!.expiresAt!) - firstExpiry - 80 * DAY)).toBeLessThan(MINUTE);
    expect(status.deadlines.map((d) => d.name)).toContain('preservation-expiry');

    // The renewal sent its letter generated from the case, citing § 2703(f)(2) and the provider's reference; the case keeps it.
    const letterId = `${h.workflowId}/preservation/preservation-renewal.en`;
    const reference = first.detail.match(/preservation (\S+) in place/)![1];
    const renewed = (await ce.timeline(h)).find((e) => e.detail.includes('renewed (1 of'))!;
    expect(renewed.detail).toContain(`with the renewal letter ${letterId} version 1 (content sha256 `);
    const { content } = await ce.documents.content(letterId);
    expect(content).toContain('Renewal of the preservation request under 18 U.S.C. § 2703(f)(2)');
    expect(content).toContain(`your reference ${reference}`);
    expect(content).toContain(tip.personOrUserReported.screenName!);
    const letter = (await h.query(documentsQuery)).find((d) => d.documentId === letterId);
    expect(letter).toMatchObject({ kind: 'preservation-renewal', status: 'DRAFT', incomplete: [] });
    // Sent at once; a coordinator approves it afterwards, for the file.
    const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };
    await h.executeUpdate(approveDocument, { args: [{ ...coordinator, documentId: letterId, contentHash: letter!.contentHash }] });
    expect((await h.query(documentsQuery)).find((d) => d.documentId === letterId)).toMatchObject({ status: 'APPROVED', approval: coordinator });

    await h.executeUpdate(resolveJurisdiction, { args: [{ actor: 'A. Coordinator', role: 'coordinator', suspectCountry: 'US' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    expect(await child.result()).toMatchObject({ state: 'RELEASED', renewalsUsed: 1 });
    await recordHistory(child, 'preservation-renewal-letter-child');
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'releasePreservation' })).toHaveLength(1);
  });

  it('alerts when a renewal fails and the preservation lapses', async () => {
    const tip = fixtureTip('domestic-arrest', (t) => {
      t.ncmecReportNumber = uniqueReport();
      t.personOrUserReported.ipCaptureEvent = [];
      t.personOrUserReported.estimatedLocation = undefined;
    });
    const h = await ce.open(tip, { renewal: 'refuse' });
    await waitFor(async () => ((await ce.status(h)).preservation ? true : undefined));
    const child = ce.env.client.workflow.getHandle(preservationWorkflowId(h.workflowId));
    expect(await child.result()).toMatchObject({ state: 'LAPSED', renewalsUsed: 0 });
    const alerts = ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).map((e) => e.key);
    expect(alerts).toEqual(expect.arrayContaining([`${h.workflowId}/preservation/renewal-failed-alert`, `${h.workflowId}/preservation/lapsed-alert`]));
    const status = await ce.status(h);
    expect(status.preservation?.state).toBe('LAPSED');
    expect((await ce.timeline(h)).some((e) => e.detail.includes('preservation lapsed after a failed renewal'))).toBe(true);
    await h.executeUpdate(withdraw, { args: [{ actor: 'A. Coordinator', role: 'coordinator', reason: 'test done' }] });
    await h.result();
  });
});
