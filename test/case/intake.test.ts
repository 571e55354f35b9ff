/** Intake and triage: duplicates, deconfliction, no-action tips, the priority-1 emergency path, long cases. */
import { addNote, resolveJurisdiction, withdraw } from '../../workflows/messages';
import { startCase } from '../../client/cases';
import { startCaseEnv, stageSequence, fixtureTip, uniqueReport, type CaseEnv, TASK_QUEUE } from './case-env';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';

const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };

describe('intake and triage', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv();
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  it('never opens a second case for a re-submitted tip, and links cases on the same suspect', async () => {
    // No address to identify a subscriber from: the case waits in JURISDICTION.
    const first = fixtureTip('domestic-arrest', (t) => {
      t.ncmecReportNumber = uniqueReport();
      t.personOrUserReported.espIdentifier = 'user-dup-1';
      t.personOrUserReported.ipCaptureEvent = [];
    });
    const h1 = await ce.open(first, { suspectCountry: null });
    await waitFor(async () => ((await ce.status(h1)).stage === 'JURISDICTION' ? true : undefined));
    expect(await startCase(ce.env.client, first, { taskQueue: TASK_QUEUE })).toEqual({ caseId: h1.workflowId, status: 'exists' });

    // A different report on the same account: a new case, linked to the open one.
    const second = fixtureTip('domestic-arrest', (t) => {
      t.ncmecReportNumber = uniqueReport();
      t.personOrUserReported.espIdentifier = 'USER-DUP-1';
      t.personOrUserReported.ipCaptureEvent = [];
    });
    const h2 = await ce.open(second, { suspectCountry: null });
    await waitFor(async () => ((await ce.status(h2)).stage === 'JURISDICTION' ? true : undefined));
    expect((await ce.status(h2)).linkedCases).toEqual([h1.workflowId]);
    expect((await ce.timeline(h2)).some((e) => e.kind === 'link' && e.detail.includes(h1.workflowId))).toBe(true);
    expect(ce.systems.ledger.all({ caseId: h1.workflowId, op: 'assess' })).toHaveLength(1);

    for (const h of [h1, h2]) {
      await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
      await h.result();
    }
    // A closed case keeps its id: the same tip still reports `exists`.
    expect(await startCase(ce.env.client, first, { taskQueue: TASK_QUEUE })).toEqual({ caseId: h1.workflowId, status: 'exists' });
  });

  it('closes a non-criminal tip as NO_ACTION with its reason', async () => {
    const tip = fixtureTip('domestic-arrest', (t) => {
      t.ncmecReportNumber = uniqueReport();
      for (const f of t.files) f.fileAnnotations = ['viral'];
    });
    const h = await ce.open(tip);
    expect(await ce.finish(h)).toMatchObject({ outcome: 'NO_ACTION', reason: expect.stringContaining('viral') });
    expect(stageSequence(await ce.timeline(h))).toEqual(['TRIAGE', 'CLOSED']);
    expect(ce.systems.ledger.all({ caseId: h.workflowId }).map((e) => e.op)).toEqual(['assess']);
    await recordHistory(h, 'no-action');
  });

  it('asks the provider for emergency disclosure on priority 1, and carries on when it refuses', async () => {
    const tip = fixtureTip('domestic-arrest', (t) => {
      t.ncmecReportNumber = uniqueReport();
      t.incidentSummary.escalateToHighPriority = 'the reported user is live-streaming with the child now';
    });
    const h = await ce.open(tip, { emergencyDisclosure: 'refuse', searchWarrants: ['grant'] });
    // The escalation flags imminent danger: a child's safeguarding opens beside the case, which then closes only with a person's reason.
    expect(await ce.finish(h, { whileSafeguarding: 'the child is safeguarded by the local CPS; the track is kept open for their answer' })).toMatchObject({
      outcome: 'ARRESTED',
    });
    const timeline = await ce.timeline(h);
    expect(stageSequence(timeline).slice(0, 4)).toEqual(['TRIAGE', 'SUBSCRIBER_ID', 'EMERGENCY_DISCLOSURE', 'FILE_REVIEW']);
    const status = await ce.status(h);
    expect(status.priority).toBe(1);
    expect(status.requests.find((r) => r.kind === 'emergency-disclosure')?.status).toBe('REFUSED');
    // Priority 1 is to be acted on within a day: the triage target was set from the policy table.
    expect(timeline.some((e) => e.kind === 'deadline' && e.detail.startsWith('triage-target') && e.detail.includes('HMICFRS'))).toBe(true);
    await recordHistory(h, 'priority-1-refused');
  });

  it('continues as new when its history grows, keeping its timeline, deadlines and inputs', async () => {
    const tip = fixtureTip('domestic-arrest', (t) => {
      t.ncmecReportNumber = uniqueReport();
      t.personOrUserReported.ipCaptureEvent = [];
      t.personOrUserReported.estimatedLocation = undefined;
    });
    const h = await ce.open(tip, { searchWarrants: ['grant'] }, { continueAsNewAfterEvents: 60 });
    await waitFor(async () => ((await ce.status(h)).stage === 'JURISDICTION' ? true : undefined));
    const firstRun = (await h.describe()).runId;
    const deadlinesBefore = (await ce.status(h)).deadlines.filter((d) => d.name.startsWith('jurisdiction'));
    for (let i = 1; i <= 40; i++) {
      await h.executeUpdate(addNote, { args: [{ ...coordinator, text: `note ${i}` }] });
    }
    await waitFor(async () => ((await h.describe()).runId !== firstRun ? true : undefined));
    const status = await ce.status(h);
    expect(status.stage).toBe('JURISDICTION');
    expect(status.deadlines.filter((d) => d.name.startsWith('jurisdiction'))).toEqual(deadlinesBefore);
    const notes = (await ce.timeline(h)).filter((e) => e.kind === 'note').map((e) => e.detail);
    expect(notes).toEqual(Array.from({ length: 40 }, (_, i) => `note ${i + 1}`));
    expect((await ce.timeline(h)).some((e) => e.detail.startsWith('history compacted'))).toBe(true);

    await h.executeUpdate(resolveJurisdiction, { args: [{ ...coordinator, suspectCountry: 'US' }] });
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    // Nothing was sent twice across runs.
    const keys = ce.systems.ledger.all({ caseId: h.workflowId }).map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'requestPreservation' })).toHaveLength(1);
  });

  it('applies an input once across runs: the same update id delivered again to the new run is answered, not recorded twice', async () => {
    // Temporal de-duplicates an update id within a run only; an update completed in the task that continued
    // as new can reach the new run again (CI recorded a note twice). Sending the id again to the new run is that delivery.
    const tip = fixtureTip('jurisdiction-unresolved', (t) => void (t.ncmecReportNumber = uniqueReport()));
    const h = await ce.open(tip, {}, { continueAsNewAfterEvents: 60 });
    await waitFor(async () => ((await ce.status(h)).stage === 'JURISDICTION' ? true : undefined));
    const firstRun = (await h.describe()).runId;
    await h.executeUpdate(addNote, { args: [{ ...coordinator, text: 'the once note' }], updateId: 'once-note' });
    for (let i = 1; (await h.describe()).runId === firstRun; i++) {
      await h.executeUpdate(addNote, { args: [{ ...coordinator, text: `filler ${i}` }] });
    }
    const again = await h.executeUpdate(addNote, { args: [{ ...coordinator, text: 'the once note' }], updateId: 'once-note' });
    expect(again.stage).toBe('JURISDICTION');
    const notes = (await ce.timeline(h)).filter((e) => e.detail === 'the once note');
    expect(notes).toHaveLength(1);
    // A new id is a new input, in either run.
    await h.executeUpdate(addNote, { args: [{ ...coordinator, text: 'the once note' }], updateId: 'once-note-2' });
    expect((await ce.timeline(h)).filter((e) => e.detail === 'the once note')).toHaveLength(2);
    await h.executeUpdate(withdraw, { args: [{ ...coordinator, reason: 'test done' }] });
  });
});
