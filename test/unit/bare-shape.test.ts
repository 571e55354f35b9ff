/**
 * The bare twin's shape, from synthetic histories: the release signals a case sent each child are
 * copied per child, so a case that released its preservation twice (once the evidence was in hand,
 * again at closing before the child's report of the first arrived) gets a twin that sends two.
 */
import { temporal } from '@temporalio/proto';
import { bareShapeOf } from '../../bench/shape';

const { EventType } = temporal.api.enums.v1;
type Event = temporal.api.history.v1.IHistoryEvent;

const signalTo = (workflowId: string): Event => ({
  eventType: EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  signalExternalWorkflowExecutionInitiatedEventAttributes: { workflowExecution: { workflowId } },
});
// bareShapeOf names a child by the workflow id its first event carries.
const started = (workflowId: string): Event => ({
  eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  workflowExecutionStartedEventAttributes: { workflowId },
});
const completed: Event = { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED };
const child = (id: string, signalsToParent: number) => ({
  events: [started(id), ...Array.from({ length: signalsToParent }, () => signalTo('case-1')), completed],
});
describe('the bare twin’s shape', () => {
  it('sends each child as many releases as the case did', () => {
    const parent = { events: [started('case-1'), signalTo('case-1/preservation'), signalTo('case-1/preservation'), completed] };
    const twice = bareShapeOf(parent, [child('case-1/preservation', 3)]);
    const once = bareShapeOf({ events: [started('case-1'), signalTo('case-1/preservation'), completed] }, [child('case-1/preservation', 3)]);
    expect(twice.children?.[0]).toMatchObject({ awaitsRelease: true, releaseSignals: 2, signalsToParent: 3 });
    expect(once.children?.[0]).toMatchObject({ awaitsRelease: true, signalsToParent: 3 });
    expect(once.children?.[0].releaseSignals).toBeUndefined();
  });
});
