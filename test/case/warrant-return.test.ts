/**
 * The search warrant's return (Fed. R. Crim. P. 41(f)) on the time-skipping server: once executed,
 * the return is due "promptly" and the off-site review within a reasonable time — how many days is
 * the deployment's; the coordinator verifies the inventory and the case files the return with the
 * court; a court may extend the review (a validated input); overdue steps are alerted on their day.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { closeCase, completeReview, extendReview, returnWarrant, type CaseStatus } from '../../workflows/messages';
import { recordHistory } from '../harness/histories';
import { waitFor } from '../harness/wait';
import { DAY, fixtureTip, startCaseEnv, uniqueReport, type CaseEnv } from './case-env';
import { APPROVER, DRAFTER } from './document-desk';
import { refusal } from './refusal';

const coordinator = { actor: 'A. Coordinator', role: 'coordinator' as const };
const POLICY = {
  providerLogRetention: {},
  warrantReturn: { days: 10, source: 'district practice: returns within 10 days (test)' },
  offSiteReview: { days: 60, source: 'district practice: 60 days for the forensic review (test)' },
};
/** Executed a day after the grant; the arrest warrant is denied, so the case stays open (NEEDS_ATTENTION) after the execution. */
const SCRIPT = { searchWarrants: ['grant' as const], executionDelaysDays: [1], arrestWarrant: 'deny' as const };
const tip = () => fixtureTip('domestic-arrest', (t) => void (t.ncmecReportNumber = uniqueReport()));

describe('the search warrant’s return', () => {
  let ce: CaseEnv;
  const until = (h: WorkflowHandle, ok: (s: CaseStatus) => boolean) =>
    waitFor(async () => {
      const s = await ce.status(h);
      return ok(s) ? s : undefined;
    }, 20_000);
  const executed = async (h: WorkflowHandle) => {
    // A day at a time: the document desk approves the subpoena and the warrant papers as the case reaches them.
    for (let day = 0; day < 10 && !(await ce.status(h)).warrantReturn; day++) await ce.skip(DAY);
    return until(h, (s) => s.warrantReturn !== undefined && s.warrantReturn !== null);
  };
  const deadline = (s: CaseStatus, name: string) => s.deadlines.find((d) => d.name === name);
  const alerts = (h: WorkflowHandle) => ce.systems.ledger.all({ caseId: h.workflowId, op: 'alert' }).map((e) => e.key);

  describe('with the deployment’s periods', () => {
    beforeEach(async () => {
      ce = await startCaseEnv({ policy: POLICY });
    });
    afterEach(async () => {
      await ce?.teardown();
    });

    it('returned with its verified inventory (filed with the court), the review extended by a court order, then completed', async () => {
      const h = await ce.open(tip(), SCRIPT);
      const s = await executed(h);
      const w = s.warrantReturn!;
      const at = Date.parse(w.executedAt);
      expect(Date.parse(w.returnDueAt!) - at).toBe(10 * DAY);
      expect(Date.parse(w.reviewDueAt!) - at).toBe(60 * DAY);
      expect(deadline(s, 'warrant-return')!.source).toBe(
        'Fed. R. Crim. P. 41(f)(1)(B), (D): inventory, copy and receipt; the warrant returned promptly to the magistrate judge; 10 days: district practice: returns within 10 days (test)',
      );
      expect(deadline(s, 'off-site-review')!.source).toContain('41(e)(2)(B)');
      // The case went on to the suspect meanwhile (the arrest warrant was denied: it waits for a coordinator).
      expect(s.requests.find((r) => r.kind === 'search-warrant')).toMatchObject({ status: 'EXECUTED' });

      expect(await refusal(h.executeUpdate(returnWarrant, { args: [{ ...coordinator, inventory: 'x', items: -1 }] }))).toBe(
        'items: must be a count of items, 0 or more',
      );
      expect(await refusal(h.executeUpdate(returnWarrant, { args: [{ actor: 'L. Liaison', role: 'liaison', inventory: 'x', items: 1 }] }))).toBe(
        'role: only a coordinator returns a search warrant with its inventory',
      );
      await h.executeUpdate(returnWarrant, { args: [{ ...coordinator, inventory: 'account records and 212 files produced by ExampleChat Inc.', items: 213 }] });
      const returned = await until(h, (x) => x.warrantReturn?.returnedAt !== undefined);
      expect(returned.warrantReturn).toMatchObject({ returnedBy: 'A. Coordinator', items: 213, courtReference: expect.stringMatching(/^RET-SW-/) });
      expect(deadline(returned, 'warrant-return')).toBeUndefined();
      expect(ce.systems.ledger.all({ caseId: h.workflowId, op: 'fileWarrantReturn' })).toHaveLength(1);
      expect(await refusal(h.executeUpdate(returnWarrant, { args: [{ ...coordinator, inventory: 'again', items: 1 }] }))).toMatch(
        /^\(input\): search warrant .* was returned already/,
      );

      const due = Date.parse(returned.warrantReturn!.reviewDueAt!);
      expect(
        await refusal(h.executeUpdate(extendReview, { args: [{ ...coordinator, until: new Date(due - DAY).toISOString(), courtOrder: 'ORD-1' }] })),
      ).toMatch(/^until: must be after the review's current end/);
      expect(
        await refusal(h.executeUpdate(extendReview, { args: [{ ...coordinator, until: new Date(due + 400 * DAY).toISOString(), courtOrder: 'ORD-1' }] })),
      ).toMatch(/^until: an extension recorded at once covers at most 365 days/);
      expect(await refusal(h.executeUpdate(extendReview, { args: [{ ...coordinator, until: 'next month', courtOrder: 'ORD-1' }] }))).toMatch(
        /^until: must be an ISO 8601 date-time/,
      );
      const extended = await h.executeUpdate(extendReview, {
        args: [
          { ...coordinator, until: new Date(due + 30 * DAY).toISOString(), courtOrder: 'ORD-2027-17', reason: 'two encrypted volumes still being imaged' },
        ],
      });
      expect(extended.warrantReturn!.extensions).toEqual([
        expect.objectContaining({ courtOrder: 'ORD-2027-17', until: new Date(due + 30 * DAY).toISOString(), actor: 'A. Coordinator' }),
      ]);
      expect(Date.parse(deadline(extended, 'off-site-review')!.dueAt)).toBe(due + 30 * DAY);
      expect(deadline(extended, 'off-site-review')!.source).toContain('court order ORD-2027-17');

      // Past the first end, nothing is alerted (it was extended); past the extended one, the coordinator is.
      const overdue = alerts(h).filter((k) => k.includes('off-site-review-overdue'));
      await ce.skip(due - (await ce.env.currentTimeMs()) + DAY);
      expect(alerts(h).filter((k) => k.includes('off-site-review-overdue'))).toEqual(overdue);
      await ce.skip(30 * DAY);
      await waitFor(async () => (alerts(h).includes(`${h.workflowId}/off-site-review-overdue-1`) ? true : undefined));

      const completed = await h.executeUpdate(completeReview, { args: [{ ...coordinator, summary: 'imaging and review finished; report filed' }] });
      expect(completed.warrantReturn!.reviewCompletedAt).toBeDefined();
      expect(deadline(completed, 'off-site-review')).toBeUndefined();
      expect(await refusal(h.executeUpdate(completeReview, { args: [{ ...coordinator, summary: 'again' }] }))).toMatch(/was completed already/);
      const timeline = await ce.timeline(h);
      // The coordinator's inputs, besides the document desk's approvals of the papers before the warrant.
      const desk: string[] = [DRAFTER.actor, APPROVER.actor];
      expect(timeline.filter((e) => e.kind === 'input' && !desk.includes(e.actor)).map((e) => e.detail.split(' ').slice(0, 3).join(' '))).toEqual([
        'inventory of search',
        'off-site review under',
        'off-site review under',
      ]);
      await recordHistory(h, 'warrant-return-extended');
      await h.executeUpdate(closeCase, { args: [{ ...coordinator, reason: 'test done' }] });
    });

    it('not returned within its period: the coordinator is reminded on the day; a case closing without its return says so', async () => {
      const h = await ce.open(tip(), SCRIPT);
      const s = await executed(h);
      const key = `${h.workflowId}/warrant-return-overdue-${s.warrantReturn!.warrantId}`;
      const dueIn = Date.parse(s.warrantReturn!.returnDueAt!) - (await ce.env.currentTimeMs());
      await ce.skip(dueIn - DAY);
      expect(alerts(h)).not.toContain(key);
      await ce.skip(DAY + 60_000);
      await waitFor(async () => (alerts(h).includes(key) ? true : undefined));
      expect((await ce.timeline(h)).some((e) => e.kind === 'alert' && e.detail.includes('not returned by'))).toBe(true);
      await h.executeUpdate(closeCase, { args: [{ ...coordinator, reason: 'arrest warrant denied for good' }] });
      expect(await h.result()).toMatchObject({ outcome: 'UNRESOLVED' });
      expect((await ce.timeline(h)).some((e) => e.kind === 'alert' && e.detail.startsWith('closing without the return of search warrant'))).toBe(true);
    });
  });

  describe('without the deployment’s periods', () => {
    beforeEach(async () => {
      ce = await startCaseEnv();
    });
    afterEach(async () => {
      await ce?.teardown();
    });

    it('says what is not configured and sets no deadline; the return and the review are still recorded', async () => {
      const h = await ce.open(tip(), SCRIPT);
      const s = await executed(h);
      expect(s.warrantReturn).toMatchObject({ extensions: [] });
      expect(s.warrantReturn!.returnDueAt).toBeUndefined();
      expect(deadline(s, 'warrant-return')).toBeUndefined();
      const notConfigured = (await ce.timeline(h))
        .filter((e) => e.kind === 'alert' && e.detail.includes('no deployment policy'))
        .map((e) => e.detail.split(':')[0]);
      expect(notConfigured).toEqual(expect.arrayContaining(['warrant return', 'off-site review']));
      await h.executeUpdate(returnWarrant, { args: [{ ...coordinator, inventory: 'account records', items: 1 }] });
      await until(h, (x) => x.warrantReturn?.returnedAt !== undefined);
      await h.executeUpdate(closeCase, { args: [{ ...coordinator, reason: 'test done' }] });
    });
  });
});
