/**
 * On the dev server (SQLite visibility): a case with a child at risk not yet safeguarded carries
 * `ChildAtRisk = true`, others `false`, and a case from before (or not yet past triage) none at all; the
 * managers' views' shared query split (client/child-first.ts) lists the at-risk ones first, each part
 * in the view's own order, and the attribute drops once the child is safeguarded.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createSimulatedSystems } from '../../activities/simulators';
import { childFirst, childFirstQueries, listChildFirst } from '../../client/child-first';
import { caseQuery } from '../../client/cli/manager-views';
import { startCase } from '../../client/cases';
import { respond, statusQuery, withdraw } from '../../workflows/messages';
import { ChildAtRisk } from '../../workflows/search-attributes';
import { startDevServerWithWorker } from '../harness/servers';
import { waitFor } from '../harness/wait';
import { fixtureTip, uniqueReport } from './case-env';

describe('a child at risk first in the managers’ views (dev server)', () => {
  let env: TestWorkflowEnvironment | undefined;
  let teardown: (() => Promise<void>) | undefined;
  const systems = createSimulatedSystems({ seed: 'child-first', warrantDenialRate: 0 });

  beforeAll(async () => {
    ({ env, teardown } = await startDevServerWithWorker({ taskQueue: 'child-first', activities: createActivities(systems) }));
  });
  afterAll(async () => teardown?.());

  it('marks, splits and orders: at-risk first, then the rest (false or unset), each part by the view’s order', async () => {
    const client = env!.client;
    const open = async (fixture: string, script: Parameters<typeof systems.setScript>[1]) => {
      const tip = fixtureTip(fixture, (t) => void (t.ncmecReportNumber = uniqueReport()));
      systems.setScript(`case-${tip.ncmecReportNumber}`, script);
      return (await startCase(client, tip, { taskQueue: 'child-first' })).caseId;
    };
    // Opened in this order so that case ids sort: plain < stuck < at risk (the at-risk case must still come first).
    const plain = await open('domestic-arrest', { searchWarrants: ['deny'] });
    const stuck = await open('domestic-arrest', { rejectOps: ['assessment.assess'] });
    const atRisk = await open('child-at-risk-sextortion', { searchWarrants: ['deny'] });
    const attribute = async (id: string) => (await client.workflow.getHandle(id).describe()).typedSearchAttributes.get(ChildAtRisk);
    await waitFor(async () => ((await attribute(atRisk)) === true && (await attribute(plain)) === false ? true : undefined), 30_000);
    await waitFor(async () => ((await client.workflow.getHandle(stuck).query(statusQuery)).stage === 'NEEDS_ATTENTION' ? true : undefined));
    expect(await attribute(stuck)).toBeUndefined();

    const query = caseQuery({ state: 'open' });
    const [first, rest] = childFirstQueries(query);
    expect(first).toBe(`${query} AND ChildAtRisk = true`);
    expect(rest).toBe(`${query} AND (ChildAtRisk = false OR ChildAtRisk IS NULL)`);
    const byId = (a: { caseId: string }, b: { caseId: string }) => a.caseId.localeCompare(b.caseId);
    const listed = await waitFor(async () => {
      const rows = await listChildFirst(client, query, (wf) => ({ caseId: wf.workflowId }), byId);
      return rows.length === 3 ? rows : undefined;
    }, 30_000);
    expect(listed).toEqual([
      { caseId: atRisk, childAtRisk: true },
      { caseId: plain, childAtRisk: false },
      { caseId: stuck, childAtRisk: false },
    ]);
    // The same order for rows already fetched together (one page of a view).
    expect([...listed].reverse().sort(childFirst((r: (typeof listed)[number]) => r.childAtRisk, byId))).toEqual(listed);

    // Safeguarded: the attribute drops, and the case is listed with the rest.
    const requestId = `${atRisk}/safeguarding-1`;
    await waitFor(async () =>
      (await client.workflow.getHandle(atRisk).query(statusQuery)).requests.some((r) => r.requestId === requestId && r.status === 'IDENTIFYING')
        ? true
        : undefined,
    );
    await client.workflow
      .getHandle(requestId)
      .executeUpdate(respond, { args: [{ actor: 'C. Coordinator', role: 'coordinator', requestId, outcome: 'closed', reason: 'no child at risk after all' }] });
    await waitFor(async () => ((await attribute(atRisk)) === false ? true : undefined), 30_000);
    const after = await waitFor(async () => {
      const rows = await listChildFirst(client, query, (wf) => ({ caseId: wf.workflowId }), byId);
      return rows.every((r) => !r.childAtRisk) && rows.length === 3 ? rows : undefined;
    }, 30_000);
    expect(after.map((r) => r.caseId)).toEqual([plain, stuck, atRisk]);
    for (const id of [plain, atRisk])
      await client.workflow.getHandle(id).executeUpdate(withdraw, { args: [{ actor: 'C. Coordinator', role: 'coordinator', reason: 'test done' }] });
    await client.workflow.getHandle(stuck).terminate('test done');
  });
});
