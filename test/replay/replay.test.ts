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
      .history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch').length;

  it('the history from before alert-on-warrant-expiry has no patch marker, the one after has it; both replay above', () => {
    expect(markers('warrant-denied-expired-reapplied')).toBe(0);
    expect(markers('warrant-expired-alerted')).toBeGreaterThan(0);
  });
});
