/**
 * Documents a request may send only once approved, on the time-skipping server with the real
 * document generator and store: an MLAT request waits in AWAITING_APPROVAL with its generated
 * version; approval is refused (changing nothing) to a role that does not approve the kind, for a
 * hash that is not the current version's, while gaps are open, and to the revision's author (four
 * eyes); a revision uploaded as a DOCX is the version to approve; the approval fixes the hash in the
 * timeline and in the store; a redraft after the central authority's edits needs approval again.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { addNote, amendAndReapply, approveDocument, documentsQuery, type ApproveDocument, type CaseStatus } from '../../workflows/messages';
import { APPROVER, DRAFTER, uploadRevision as upload } from './document-desk';
import { DAY, fixtureTip, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';

const tip = (fixture: string) => fixtureTip(fixture, (t) => void (t.ncmecReportNumber = uniqueReport()));

describe('a request waits for its document to be approved', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    // The case's own papers before the MLAT or extradition (the subpoena, the warrant papers) are approved at the desk.
    ce = await startCaseEnv({ documentDesk: 'case-requests' });
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  const requestOf = (s: CaseStatus, requestId: string) => s.requests.find((r) => r.requestId === requestId);
  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean, what: string) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, 30_000).catch(async (err: Error) => {
      throw new Error(`${what}: ${err.message}; last status ${JSON.stringify(await ce.status(h))}`);
    });
  const ops = (caseId: string, op: string) => ce.systems.ledger.all({ caseId, op }).map((e) => e.key);
  const refusal = async (p: Promise<unknown>) => {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return (err as WorkflowUpdateFailedError).cause?.message;
  };
  /** Everything a refused input could have changed: the case's status and timeline, the request's documents, the stored record. */
  const snapshot = async (h: WorkflowHandle, runner: WorkflowHandle, documentId: string) => ({
    status: await ce.status(h),
    timeline: await ce.timeline(h),
    documents: await runner.query(documentsQuery),
    record: await ce.documents.record(documentId),
  });

  async function awaitingApproval(script = {}) {
    const h = await ce.open(tip('data-abroad-mlat'), script);
    const mlatId = `${h.workflowId}/mlat-1`;
    const documentId = `${mlatId}/mlat-request.en`;
    const s = await until(h, (x) => requestOf(x, mlatId)?.status === 'AWAITING_APPROVAL', 'the MLAT request waiting for approval');
    return { h, mlatId, documentId, s, runner: ce.env.client.workflow.getHandle(mlatId) };
  }

  /** A person completes the draft's gaps in the DOCX and uploads it (the API stores it, then tells the request's workflow). */
  const uploadRevision = (runner: WorkflowHandle, documentId: string) => upload(ce.env.client, ce.documents, runner.workflowId, documentId);

  it('an MLAT request waits in AWAITING_APPROVAL; refusals change nothing; a revision, then the right role approves it and it is sent', async () => {
    const { h, mlatId, documentId, s, runner } = await awaitingApproval();
    const generated = (await runner.query(documentsQuery))[0];
    expect(generated).toMatchObject({
      documentId,
      requestId: mlatId,
      kind: 'mlat-request',
      version: 1,
      status: 'DRAFT',
      incomplete: ['the affiant’s statement of the facts'],
    });
    expect(requestOf(s, mlatId)).toMatchObject({
      awaiting: 'liaison',
      pendingApproval: { documentId, version: 1, contentHash: generated.contentHash },
    });
    // The generated version is the store's, keyed by the workflow's step: the case's facts are in it.
    const stored = await ce.documents.record(documentId);
    expect(stored.versions).toMatchObject([{ version: 1, contentHash: generated.contentHash, idempotencyKey: `${mlatId}/draft-1`, source: 'generated' }]);
    const { content } = await ce.documents.content(documentId);
    const t = fixtureTip('data-abroad-mlat');
    expect(content).toContain(t.personOrUserReported.espIdentifier);
    expect(content).toContain('Criminal Resource Manual');

    // Nothing goes to the central authority unapproved, however long it waits.
    await ce.skip(30 * DAY);
    expect(ops(h.workflowId, 'submitForReview')).toEqual([]);
    expect(requestOf(await ce.status(h), mlatId)!.status).toBe('AWAITING_APPROVAL');

    const approve = (who: { actor: string; role: ApproveDocument['role'] }, contentHash: string, id = documentId) =>
      runner.executeUpdate(approveDocument, { args: [{ ...who, documentId: id, contentHash }] });
    const before = await snapshot(h, runner, documentId);
    expect(await refusal(approve({ actor: 'A. Analyst', role: 'analyst' }, generated.contentHash))).toBe(
      'role: a liaison or a manager approves a request for mutual legal assistance, not an analyst',
    );
    expect(await refusal(approve({ actor: 'C. Coordinator', role: 'coordinator' }, generated.contentHash))).toMatch(/^role: a liaison or a manager approves/);
    expect(await refusal(approve(APPROVER, generated.contentHash))).toBe(
      `documentId: version 1 of ${documentId} still has gaps to complete (the affiant’s statement of the facts): upload a revision that fills them`,
    );
    expect(await refusal(approve(APPROVER, 'f'.repeat(64)))).toMatch(
      new RegExp(`^contentHash: f{64} is not the current version of ${documentId} \\(version 1 is`),
    );
    expect(await refusal(approve(APPROVER, 'not-a-hash'))).toMatch(/^contentHash: must be the version’s SHA-256 content hash/);
    expect(await refusal(approve(APPROVER, generated.contentHash, `${mlatId}/diplomatic-note.en`))).toBe(
      `documentId: request ${mlatId} has no document ${mlatId}/diplomatic-note.en (its documents: ${documentId})`,
    );
    expect(await snapshot(h, runner, documentId)).toEqual(before);

    // The drafter completes the gaps; the revision is the version to approve (a new hash).
    const revised = await uploadRevision(runner, documentId);
    expect(revised).toMatchObject({ version: 2, incomplete: [], status: 'DRAFT', author: DRAFTER });
    expect(revised.contentHash).not.toBe(generated.contentHash);
    await until(h, (x) => requestOf(x, mlatId)?.pendingApproval?.version === 2, 'the revision pending');
    const afterRevision = await snapshot(h, runner, documentId);
    expect(await refusal(approve(APPROVER, generated.contentHash))).toMatch(/^contentHash: .* is not the current version .*\(version 2 is/);
    expect(await refusal(approve({ actor: DRAFTER.actor, role: 'liaison' }, revised.contentHash))).toBe(
      `actor: a request for mutual legal assistance is approved by someone other than the person who wrote this version (${DRAFTER.actor})`,
    );
    expect(await snapshot(h, runner, documentId)).toEqual(afterRevision);

    const approved = await approve(APPROVER, revised.contentHash);
    expect(approved).toMatchObject({ version: 2, status: 'APPROVED', approval: { actor: APPROVER.actor, role: 'manager' } });
    const sent = await until(h, (x) => ['IN_REVIEW', 'CLEARED', 'TRANSLATED', 'TRANSMITTED'].includes(requestOf(x, mlatId)!.status), 'submitted');
    expect(requestOf(sent, mlatId)!.pendingApproval).toBeUndefined();
    const line = (await ce.timeline(h)).find((e) => e.detail.startsWith(`${mlatId}:`) && e.detail.includes('approved for sending'))!;
    expect(line).toMatchObject({ actor: APPROVER.actor, role: 'manager', stage: 'MLAT', kind: 'input' });
    expect(line.detail).toContain(`version 2 approved for sending (content sha256 ${revised.contentHash})`);
    // The store follows the workflow: the version is approved there too, so its files carry no DRAFT mark.
    await waitFor(async () => ((await ce.documents.record(documentId)).versions[1].approval ? true : undefined));
    expect((await ce.documents.record(documentId)).versions[1].approval).toMatchObject({ actor: APPROVER.actor, role: 'manager', at: approved.approval!.at });
    await waitFor(async () => (ops(h.workflowId, 'submitForReview').length === 1 ? true : undefined));
    expect(ops(h.workflowId, 'submitForReview')).toEqual([`${mlatId}/review-1`]);
    // Approved and gone on: neither another approval nor a revision is taken.
    expect(await refusal(approve(APPROVER, revised.contentHash))).toMatch(
      new RegExp(`^documentId: version 2 of ${documentId} is approved and the request has gone on`),
    );

    // Transmitted under the foreign ministry's note, generated from the case and sent at once: approved afterwards, for the file,
    // by a liaison (a manager does not approve a diplomatic note); the store records it.
    for (let day = 0; day < 90 && requestOf(await ce.status(h), mlatId)!.status !== 'TRANSMITTED'; day++) await ce.skip(DAY);
    expect(requestOf(await ce.status(h), mlatId)!.status).toBe('TRANSMITTED');
    const noteId = `${mlatId}/diplomatic-note.en`;
    const note = (await runner.query(documentsQuery)).find((d) => d.documentId === noteId)!;
    expect(note).toMatchObject({ kind: 'diplomatic-note', status: 'DRAFT' });
    expect(requestOf(await ce.status(h), mlatId)!.pendingApproval).toBeUndefined();
    expect(await refusal(approve(APPROVER, note.contentHash, noteId))).toBe('role: a liaison approves a diplomatic note, not a manager');
    const liaison = { actor: 'L. Liaison', role: 'liaison' as const };
    expect(await approve(liaison, note.contentHash, noteId)).toMatchObject({ status: 'APPROVED', approval: { role: 'liaison' } });
    expect((await ce.timeline(h)).some((e) => e.detail.includes(`${noteId} version 1 approved for the file (it was sent at once)`))).toBe(true);
    await waitFor(async () => ((await ce.documents.record(noteId)).versions[0].approval ? true : undefined));
    expect(requestOf(await ce.status(h), mlatId)!.status).toBe('TRANSMITTED');
  });

  it('the central authority’s edits make a new version, which needs approval again', async () => {
    const { h, mlatId, documentId, runner } = await awaitingApproval({ centralAuthorityReviews: ['edits', 'clear'] });
    const first = await uploadRevision(runner, documentId);
    await runner.executeUpdate(approveDocument, { args: [{ ...APPROVER, documentId, contentHash: first.contentHash }] });
    // The review takes days; then the redraft (round 2) is generated with the edits and waits again.
    for (let day = 0; day < 20 && (await runner.query(documentsQuery))[0].version < 3; day++) await ce.skip(DAY);
    const again = await until(
      h,
      (x) => requestOf(x, mlatId)?.status === 'AWAITING_APPROVAL' && requestOf(x, mlatId)?.pendingApproval?.version === 3,
      'the redraft pending',
    );
    const redraft = (await runner.query(documentsQuery))[0];
    expect(redraft).toMatchObject({ version: 3, status: 'DRAFT' });
    expect(redraft.approval).toBeUndefined();
    expect(requestOf(again, mlatId)!.pendingApproval!.contentHash).toBe(redraft.contentHash);
    expect((await ce.documents.record(documentId)).versions.map((v) => v.idempotencyKey ?? v.source)).toEqual([
      `${mlatId}/draft-1`,
      'uploaded',
      `${mlatId}/draft-2`,
    ]);
    // The redraft starts from the drafter's version 2 with the central authority's edits: what the drafter completed stays.
    expect(redraft.incomplete).toEqual([]);
    const redrafted = (await ce.documents.content(documentId, 3)).content;
    expect(redrafted).toContain('Completed by the drafter');
    expect(redrafted).toContain('## Changes asked for on review');
    const returned = (await ce.timeline(h)).find((e) => e.detail.includes('returned the mlat-request with edits'))!.detail;
    const edits = returned.slice(returned.indexOf('): ') + 3);
    expect(redrafted).toContain(edits);
    // The approval of version 2 does not carry over: version 3 has not gone to the central authority.
    expect(await refusal(runner.executeUpdate(approveDocument, { args: [{ ...APPROVER, documentId, contentHash: first.contentHash }] }))).toMatch(
      /^contentHash: .* is not the current version .*\(version 3 is/,
    );
    await ce.skip(5 * DAY);
    expect(ops(h.workflowId, 'submitForReview')).toEqual([`${mlatId}/review-1`]);
    // Nothing left to complete: the redraft itself is approved.
    const second = redraft;
    await runner.executeUpdate(approveDocument, { args: [{ ...APPROVER, documentId, contentHash: second.contentHash }] });
    await waitFor(async () => (ops(h.workflowId, 'submitForReview').length === 2 ? true : undefined));
    const approvals = (await ce.timeline(h)).filter((e) => e.detail.startsWith(`${mlatId}:`) && e.detail.includes('approved for sending')).map((e) => e.detail);
    expect(approvals).toEqual([
      expect.stringContaining(`version 2 approved for sending (content sha256 ${first.contentHash})`),
      expect.stringContaining(`version 3 approved for sending (content sha256 ${second.contentHash})`),
    ]);
  });

  it('an extradition request left unapproved past the provisional-arrest window: the person is released, nothing was presented', async () => {
    const h = await ce.open(tip('suspect-abroad-extradition'), { emergencyDisclosure: 'disclose' });
    const id = `${h.workflowId}/extradition-1`;
    for (let day = 0; day < 40 && !requestOf(await ce.status(h), id)?.pendingApproval; day++) await ce.skip(DAY);
    const s = await until(h, (x) => requestOf(x, id)?.pendingApproval !== undefined, 'the formal request waiting for approval');
    // The extradition's status follows the foreign proceedings (its machine has no approval state): a liaison still records the arrest.
    expect(requestOf(s, id)).toMatchObject({
      status: 'PROVISIONAL_ARREST_REQUESTED',
      pendingApproval: { documentId: `${id}/extradition-request.en`, version: 1 },
    });
    const runner = ce.env.client.workflow.getHandle(id);
    await runner.executeUpdate((await import('../../workflows/messages')).respond, {
      args: [{ actor: 'L. Liaison', role: 'liaison', requestId: id, outcome: 'provisionally-arrested', reference: 'NCA-PA-90' }],
    });
    expect(await ce.finish(h, { whileSafeguarding: 'the child is in the UK: the NCA carries the safeguarding on' })).toMatchObject({
      outcome: 'RELEASED',
      reason: expect.stringContaining('no formal request within 65 days'),
    });
    expect(ops(h.workflowId, 'submitForReview')).toEqual([]);
    expect(ops(h.workflowId, 'transmit')).toEqual([]);
  });
});

/**
 * Every request the case runs itself sends its documents generated from the case (patch
 * documents-for-every-request): the urgent preservation letter goes at once and is approved
 * afterwards, for the file; the subpoena and the warrant application and affidavit wait for a
 * coordinator or manager; a CLOUD Act order waits for a liaison.
 */
describe('the requests the case runs itself send generated documents', () => {
  let ce: CaseEnv;
  beforeEach(async () => {
    ce = await startCaseEnv({ documentDesk: false });
  });
  afterEach(async () => {
    await ce?.teardown();
  });

  const requestOf = (s: CaseStatus, requestId: string) => s.requests.find((r) => r.requestId === requestId);
  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean, what: string) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, 30_000).catch(async (err: Error) => {
      throw new Error(`${what}: ${err.message}; last status ${JSON.stringify(await ce.status(h))}`);
    });
  const ops = (caseId: string, op: string) => ce.systems.ledger.all({ caseId, op }).map((e) => e.key);
  const refusal = async (p: Promise<unknown>) => {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return (err as WorkflowUpdateFailedError).cause?.message;
  };
  const approve = (h: WorkflowHandle, who: { actor: string; role: ApproveDocument['role'] }, documentId: string, contentHash: string) =>
    h.executeUpdate(approveDocument, { args: [{ ...who, documentId, contentHash }] });
  const served = (caseId: string) => ce.systems.ledger.all({ caseId, system: 'isp', op: 'serve' }).map((e) => e.key);
  const COORDINATOR = { actor: 'C. Coordinator', role: 'coordinator' as const };
  const LIAISON = { actor: 'L. Liaison', role: 'liaison' as const };

  /** The version the request waits for, completed (a revision through the desk's DOCX path) where it has gaps; returns the hash to approve. */
  async function readyToApprove(h: WorkflowHandle, documentId: string): Promise<string> {
    const d = (await h.query(documentsQuery)).find((x) => x.documentId === documentId)!;
    if (d.incomplete.length === 0) return d.contentHash;
    return (await upload(ce.env.client, ce.documents, h.workflowId, documentId)).contentHash;
  }

  /** The document's version is in the store with the hash the timeline names. */
  async function storedWithHashInTimeline(h: WorkflowHandle, documentId: string) {
    const d = (await h.query(documentsQuery)).find((x) => x.documentId === documentId)!;
    const stored = await ce.documents.record(documentId);
    expect(stored.versions.map((v) => v.contentHash)).toContain(d.contentHash);
    const timeline = await ce.timeline(h);
    expect(timeline.some((e) => e.detail.includes(`${documentId} version 1 generated from the case (content sha256 ${stored.versions[0].contentHash})`))).toBe(
      true,
    );
    return d;
  }

  it('domestic: the preservation letter goes at once; the subpoena and the warrant papers wait for a coordinator; a wrong role changes nothing', async () => {
    const h = await ce.open(tip('domestic-arrest'), { searchWarrants: ['grant'], executionDelaysDays: [1] });
    const caseId = h.workflowId;
    const preservationLetter = `${caseId}/preservation/preservation-letter.en`;

    // The subscriber request waits for its subpoena's approval; the preservation went meanwhile, with its letter still a draft.
    const subscriberId = `${caseId}/subscriber-identification-1`;
    const subpoena = `${subscriberId}/subscriber-subpoena.en`;
    const s = await until(h, (x) => requestOf(x, subscriberId)?.pendingApproval?.documentId === subpoena, 'the subpoena waiting for approval');
    expect(requestOf(s, subscriberId)!.status).toBe('PREPARED');
    expect(ops(caseId, 'requestPreservation')).toHaveLength(1);
    const letter = await storedWithHashInTimeline(h, preservationLetter);
    expect(letter).toMatchObject({ kind: 'preservation-letter', status: 'DRAFT' });
    expect(requestOf(s, `${caseId}/preservation`)!.pendingApproval).toBeUndefined();
    await storedWithHashInTimeline(h, subpoena);
    const { content } = await ce.documents.content(subpoena);
    expect(content).toContain(fixtureTip('domestic-arrest').reporter.espName);

    // Nothing is served unapproved, however long it waits.
    await ce.skip(3 * DAY);
    expect(served(caseId)).toEqual([]);

    // A liaison does not approve a subpoena: refused, and nothing changed.
    const hash = await readyToApprove(h, subpoena);
    const before = {
      status: await ce.status(h),
      timeline: await ce.timeline(h),
      documents: await h.query(documentsQuery),
      record: await ce.documents.record(subpoena),
    };
    expect(await refusal(approve(h, LIAISON, subpoena, hash))).toBe(
      'role: a coordinator or a manager approves a subpoena for subscriber records, not a liaison',
    );
    expect(await refusal(approve(h, COORDINATOR, subpoena, 'f'.repeat(64)))).toMatch(/^contentHash: f{64} is not the current version/);
    expect({
      status: await ce.status(h),
      timeline: await ce.timeline(h),
      documents: await h.query(documentsQuery),
      record: await ce.documents.record(subpoena),
    }).toEqual(before);

    const approved = await approve(h, COORDINATOR, subpoena, hash);
    expect(approved).toMatchObject({ status: 'APPROVED', contentHash: hash, approval: { actor: COORDINATOR.actor, role: 'coordinator' } });
    await waitFor(async () => (served(caseId).length === 1 ? true : undefined));
    expect((await ce.timeline(h)).some((e) => e.detail.includes(`approved for sending (content sha256 ${hash})`) && e.role === 'coordinator')).toBe(true);
    await waitFor(async () => ((await ce.documents.record(subpoena)).versions.at(-1)!.approval ? true : undefined));

    // The warrant application, then its affidavit, each approved before the court sees them.
    const warrantId = `${caseId}/search-warrant-1`;
    const papers = [`${warrantId}/search-warrant-application.en`, `${warrantId}/search-warrant-affidavit.en`];
    for (let day = 0; day < 30 && requestOf(await ce.status(h), warrantId)?.pendingApproval === undefined; day++) await ce.skip(DAY);
    for (const paper of papers) {
      const w = await until(h, (x) => requestOf(x, warrantId)?.pendingApproval?.documentId === paper, `${paper} waiting for approval`);
      expect(requestOf(w, warrantId)).toMatchObject({ status: 'AWAITING_APPROVAL', kind: 'search-warrant' });
      // The coordinator is awaited for the approval, not for an amendment: nothing was denied yet.
      expect(w.awaiting).toBe('coordinator');
      expect(await refusal(h.executeUpdate(amendAndReapply, { args: [{ ...COORDINATOR, amendment: 'more facts' }] }))).toBe(
        `case ${caseId} has ${warrantId} waiting for its papers to be approved: there is no denied or expired warrant to reapply for`,
      );
      expect(ops(caseId, 'applyForSearchWarrant')).toEqual([]);
      await storedWithHashInTimeline(h, paper);
      await approve(h, COORDINATOR, paper, await readyToApprove(h, paper));
    }
    await waitFor(async () => (ops(caseId, 'applyForSearchWarrant').length === 1 ? true : undefined));

    // The urgent letter, approved afterwards for the file: the store records it too.
    const letterHash = await readyToApprove(h, preservationLetter);
    expect(await refusal(approve(h, LIAISON, preservationLetter, letterHash))).toMatch(/^role: a coordinator or a manager approves a preservation letter/);
    expect(await approve(h, COORDINATOR, preservationLetter, letterHash)).toMatchObject({ status: 'APPROVED' });
    expect((await ce.timeline(h)).some((e) => e.detail.includes('approved for the file'))).toBe(true);
    await waitFor(async () => ((await ce.documents.record(preservationLetter)).versions.at(-1)!.approval ? true : undefined));
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    await recordHistory(h, 'domestic-documents-approved');
  });

  it('an approval the previous run applied, delivered again to the new run after continue-as-new, is answered and not applied twice', async () => {
    const h = await ce.open(tip('domestic-arrest'), { searchWarrants: ['grant'] }, { continueAsNewAfterEvents: 80 });
    const subscriberId = `${h.workflowId}/subscriber-identification-1`;
    const subpoena = `${subscriberId}/subscriber-subpoena.en`;
    await until(h, (x) => requestOf(x, subscriberId)?.pendingApproval?.documentId === subpoena, 'the subpoena waiting for approval');
    const hash = await readyToApprove(h, subpoena);
    const firstRun = (await h.describe()).runId;
    const once = { args: [{ ...COORDINATOR, documentId: subpoena, contentHash: hash }] as [ApproveDocument], updateId: 'approve-subpoena-once' };
    expect(await h.executeUpdate(approveDocument, once)).toMatchObject({ status: 'APPROVED' });
    for (let i = 1; (await h.describe()).runId === firstRun && i <= 80; i++)
      await h.executeUpdate(addNote, { args: [{ ...COORDINATOR, text: `filler ${i}` }] });
    expect((await h.describe()).runId).not.toBe(firstRun);
    // The same id again: answered with the document as it stands (approved), not refused as "already approved".
    expect(await h.executeUpdate(approveDocument, once)).toMatchObject({ status: 'APPROVED', contentHash: hash });
    const approvals = (await ce.timeline(h)).filter((e) => e.detail.includes(`${subpoena} version`) && e.detail.includes('approved for sending'));
    expect(approvals).toHaveLength(1);
    // A new id is a new input: refused, the version being approved already.
    expect(await refusal(approve(h, COORDINATOR, subpoena, hash))).toMatch(/is already approved$/);
  });

  it('cross-border: a CLOUD Act order is generated and waits for a liaison; issued only once approved', async () => {
    const h = await ce.open(tip('data-in-uk-cloud-act'));
    const caseId = h.workflowId;
    const orderId = `${caseId}/cloud-act-order-1`;
    const order = `${orderId}/cloud-act-order.en`;
    // The case's own earlier papers (the subpoena) are approved as a coordinator would.
    for (let i = 0; i < 60; i++) {
      const s = await ce.status(h);
      if (requestOf(s, orderId)?.pendingApproval) break;
      const pending = s.requests.find((r) => r.pendingApproval && r.requestId !== orderId)?.pendingApproval;
      if (pending) await approve(h, COORDINATOR, pending.documentId, await readyToApprove(h, pending.documentId));
      else await ce.skip(DAY);
    }
    const s = await until(h, (x) => requestOf(x, orderId)?.pendingApproval?.documentId === order, 'the order waiting for approval');
    expect(requestOf(s, orderId)).toMatchObject({ status: 'AWAITING_APPROVAL', awaiting: 'liaison' });
    await storedWithHashInTimeline(h, order);
    await ce.skip(5 * DAY);
    expect(ops(caseId, 'issueCloudActOrder')).toEqual([]);

    const hash = await readyToApprove(h, order);
    const before = await ce.status(h);
    expect(await refusal(approve(h, COORDINATOR, order, hash))).toBe('role: a liaison approves a order under the US–UK agreement, not a coordinator');
    expect(await ce.status(h)).toEqual(before);
    await approve(h, { actor: 'M. Approver', role: 'liaison' }, order, hash);
    const sent = await until(h, (x) => requestOf(x, orderId)?.status === 'SENT', 'the order issued');
    expect(requestOf(sent, orderId)!.reference).toMatch(/^CLOUD-GB-/);
    expect(ops(caseId, 'issueCloudActOrder')).toEqual([orderId]);
    expect(
      (await ce.timeline(h)).some((e) => e.detail.includes(`${order} version`) && e.detail.includes(`approved for sending (content sha256 ${hash})`)),
    ).toBe(true);
    await waitFor(async () => ((await ce.documents.record(order)).versions.at(-1)!.approval ? true : undefined));
  });
});
