/**
 * Determinism guard: every recorded history under test/histories replays against the current
 * workflow code without a nondeterminism error.
 */
import { Worker } from '@temporalio/worker';
import { loadRecordedHistories } from '../harness/histories';
import { workflowBundle } from '../harness/servers';

describe('recorded histories replay with the current workflow code', () => {
  const histories = loadRecordedHistories();

  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it('replays every one of them', async () => {
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, histories)) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  });
});

describe('patched() keeps running cases replaying', () => {
  const markers = (workflowId: string) =>
    loadRecordedHistories()
      .find((h) => h.workflowId === workflowId)!
      .history.events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch').length;
  const events = (workflowId: string) => loadRecordedHistories().find((h) => h.workflowId === workflowId)!.history.events;
  /** The patch ids a history's markers carry, in order. */
  const patchIds = (workflowId: string) =>
    events(workflowId)
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .map((e) => Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data'].payloads![0].data!).toString());

  it('a case recorded before after-the-arrest closed at the arrest; one after it runs on to its indictment, with one more patch marker', () => {
    expect(markers('after-arrest-indicted')).toBeGreaterThan(markers('domestic-arrest'));
  });

  it('the history from before alert-on-warrant-expiry has no patch marker, the one after has it; both replay above', () => {
    expect(markers('warrant-denied-expired-reapplied')).toBe(0);
    expect(markers('warrant-expired-alerted')).toBeGreaterThan(0);
  });

  it('the MLAT child from before generated-documents drafted through the agency and has no patch marker; the one after generates, waits for approval and has it', () => {
    const activityTypes = (workflowId: string) =>
      events(workflowId)
        .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
        .filter((n): n is string => !!n);
    expect(markers('mlat-supplement-child')).toBe(0);
    expect(activityTypes('mlat-supplement-child')).toContain('draftDocument');
    expect(markers('mlat-supplement-approved-child')).toBeGreaterThan(0);
    expect(activityTypes('mlat-supplement-approved-child')).not.toContain('draftDocument');
    expect(activityTypes('mlat-supplement-approved-child').filter((n) => n === 'generateDocument')).toHaveLength(3);
    expect(activityTypes('mlat-supplement-approved-child').filter((n) => n === 'recordDocumentApproval')).toHaveLength(3);
    const updates = events('mlat-supplement-approved-child')
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter((n): n is string => !!n);
    expect(updates.filter((n) => n === 'approveDocument')).toHaveLength(3);
  });

  it('a UK force’s case from home-country-law on carries its marker (a US case never asks for it) and searched the premises rather than serving a provider', () => {
    const activities = (workflowId: string) => events(workflowId).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    expect(patchIds('uk-force-search-arrest').join()).toContain('home-country-law');
    expect(patchIds('domestic-documents-approved').join()).not.toContain('home-country-law');
    expect(activities('uk-force-search-arrest')).toContain('searchPremises');
    expect(activities('uk-force-search-arrest')).not.toContain('serveWarrant');
  });

  it('a referral from nca-dissemination on carries its marker and starts only the force’s case; the force’s case and a case of a force never ask for it', () => {
    const children = (workflowId: string) => events(workflowId).flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ?? []);
    expect(patchIds('uk-nca-referral-disseminated').join()).toContain('nca-dissemination');
    // The force's case and its safeguarding: no preservation, no subscriber identification in the referral.
    expect(children('uk-nca-referral-disseminated')).toContain('caseWorkflow');
    expect(children('uk-nca-referral-disseminated')).not.toContain('preservationWorkflow');
    expect(patchIds('uk-force-case-from-referral').join()).not.toContain('nca-dissemination');
    expect(patchIds('uk-force-search-arrest').join()).not.toContain('nca-dissemination');
  });

  it('a UK force’s case from referred-files-reviewed on reviews every referred file; the one from before held back those the provider had not viewed', () => {
    expect(patchIds('uk-force-search-arrest').join()).not.toContain('referred-files-reviewed');
    expect(patchIds('uk-force-referred-files-reviewed').join()).toContain('referred-files-reviewed');
    /** The review's step (its idempotency key's last part) and how many files it asked to review (the tests' histories are not encrypted). */
    const reviews = (workflowId: string) =>
      events(workflowId).flatMap((e) => {
        const a = e.activityTaskScheduledEventAttributes;
        if (a?.activityType?.name !== 'reviewFiles') return [];
        const [ctx, req] = a.input!.payloads!.map((p) => JSON.parse(Buffer.from(p.data!).toString()) as Record<string, unknown>);
        return [[String(ctx.idempotencyKey).split('/').pop(), (req.fileIds as string[]).length]];
      });
    expect(reviews('uk-force-search-arrest')).toEqual([['review-viewed-files', 1]]);
    expect(reviews('uk-force-referred-files-reviewed')).toEqual([['review-referred-files', 2]]);
  });

  it('a force’s case from safeguarding-handover on tells the referral’s track to report to it, which reports there; the force’s case from before never did', () => {
    const signalsSent = (workflowId: string) =>
      events(workflowId).flatMap((e) => {
        const a = e.signalExternalWorkflowExecutionInitiatedEventAttributes;
        return a ? [`${a.signalName}→${a.workflowExecution?.workflowId}`] : [];
      });
    expect(patchIds('uk-force-case-from-referral').join()).not.toContain('safeguarding-handover');
    expect(signalsSent('uk-force-case-from-referral')).toEqual([]);
    expect(patchIds('uk-force-takes-over-safeguarding').join()).toContain('safeguarding-handover');
    const handedOver = signalsSent('uk-force-takes-over-safeguarding').filter((x) => x.startsWith('safeguardingHandedOver→'));
    expect(handedOver).toHaveLength(1);
    const track = handedOver[0].split('→')[1];
    expect(track).toMatch(/^case-\d+\/safeguarding-1$/);
    // The track: the signal received, its patch marker, and its reports going to the force's case from then on.
    const received = events('uk-safeguarding-handed-over-child').filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'safeguardingHandedOver',
    );
    expect(received).toHaveLength(1);
    expect(patchIds('uk-safeguarding-handed-over-child').join()).toContain('safeguarding-handover');
    const forceCase = `${track.split('/')[0]}-force`;
    expect(signalsSent('uk-safeguarding-handed-over-child').filter((x) => x === `requestChanged→${forceCase}`).length).toBeGreaterThanOrEqual(3);
  });

  it('a domestic case from before documents-for-every-request sent no generated papers; the one after generated its letter, subpoena and warrant papers and was approved through updates', () => {
    const generated = (workflowId: string) =>
      events(workflowId).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'generateDocument').length;
    expect(patchIds('domestic-arrest').join()).not.toContain('documents-for-every-request');
    expect(generated('domestic-arrest')).toBe(0);
    expect(patchIds('domestic-documents-approved').join()).toContain('documents-for-every-request');
    expect(generated('domestic-documents-approved')).toBeGreaterThanOrEqual(4);
    const approvals = events('domestic-documents-approved').filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'approveDocument',
    );
    expect(approvals.length).toBeGreaterThanOrEqual(4);
  });

  it('the extradition child and the preservation from before their paper patches sent no such papers; the ones after generate the provisional arrest request, the diplomatic note and the renewal letter', () => {
    const generated = (workflowId: string) =>
      events(workflowId).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'generateDocument').length;
    expect(patchIds('extradition-appeal-surrender-child').join()).not.toContain('papers-of-the-foreign-steps');
    expect(patchIds('extradition-foreign-papers-child').join()).toContain('papers-of-the-foreign-steps');
    // Recorded before generated-documents: the agency drafted. After: the provisional arrest request, the formal request, the note.
    expect(generated('extradition-appeal-surrender-child')).toBe(0);
    expect(generated('extradition-foreign-papers-child')).toBe(3);
    expect(patchIds('preservation-renewal-letter-child').join()).toContain('preservation-renewal-letters');
    expect(generated('preservation-renewal-letter-child')).toBe(1);
  });
});
