/**
 * What the managers' view costs a case: from patch batched-search-attributes on, at most one upsert
 * per workflow task, carrying only the keys that changed; the recorded pre-patch history of the same
 * path upserted every key on every change. (The view's values are checked on the dev server in
 * visibility.test.ts.)
 */
import { temporal } from '@temporalio/proto';
import { loadRecordedHistories } from '../harness/histories';
import { startCaseEnv, fixtureTip, uniqueReport, type CaseEnv } from './case-env';

const { EventType } = temporal.api.enums.v1;
type Event = temporal.api.history.v1.IHistoryEvent;

const keys = (e: Event) =>
  Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).filter((k) => k !== 'TemporalChangeVersion');
/** The case's own upserts (a patch marker comes with one of Temporal's own, TemporalChangeVersion). */
const upserts = (events: Event[]) => events.filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES && keys(e).length > 0);
const tasks = (events: Event[]) => events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);

describe('search attribute upserts', () => {
  let ce: CaseEnv;
  beforeAll(async () => {
    ce = await startCaseEnv();
  });
  afterAll(async () => {
    await ce?.teardown();
  });

  it('a domestic case upserts at most once per burst of work, only changed keys, far fewer than before the patch', async () => {
    const h = await ce.open(
      fixtureTip('domestic-arrest', (t) => void (t.ncmecReportNumber = uniqueReport())),
      { searchWarrants: ['grant'], executionDelaysDays: [1] },
    );
    expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    const events = (await h.fetchHistory()).events ?? [];
    const now = upserts(events);

    // At most one upsert per burst of work: never more than the workflow tasks, and rarely two in one.
    let sinceTask = 0;
    let doubled = 0;
    for (const e of events) {
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) sinceTask = 0;
      if (upserts([e]).length === 1 && ++sinceTask > 1) doubled++;
    }
    expect(now.length).toBeLessThanOrEqual(tasks(events).length);
    // The first carries the whole view (ten keys: AwaitingRoles from patch awaiting-roles); later ones only what changed.
    expect(keys(now[0])).toContain('AwaitingRoles');
    expect(keys(now[0]).length).toBe(10);
    expect(now.slice(1).every((e) => keys(e).length < 10)).toBe(true);

    const before = upserts(loadRecordedHistories().find((r) => r.workflowId === 'domestic-arrest')!.history.events ?? []);
    expect(before.every((e) => keys(e).length === 9)).toBe(true);
    // The recorded history had no document approvals: each approval or revision the desk sends is a burst of its own.
    const deskInputs = (await ce.timeline(h)).filter((e) => e.kind === 'input' && (e.detail.includes(' approved ') || e.detail.includes('revision of'))).length;
    expect(deskInputs).toBeGreaterThan(0);
    expect(now.length - deskInputs).toBeLessThan(before.length);
    console.log(
      `upserts per domestic case: ${before.length} before the patch, ${now.length} after (${doubled} in a task that already had one; ${tasks(events).length} tasks)`,
    );
  });
});
