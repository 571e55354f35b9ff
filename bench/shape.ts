/**
 * What a workflow did, read from its history: how many activities, timers, updates, signals and
 * child workflows, and how many workflow and activity tasks the worker ran for it. The bare baseline
 * is built from the case's own figures (`bareShapeOf`), so "the same amount of Temporal work" is
 * measured in the run, not assumed; the results carry both profiles so a reader can check the match.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { WorkProfile } from './result';
import type { BareShape } from './workflows/bare';

export type { WorkProfile };

type History = temporal.api.history.v1.IHistory;
const { EventType } = temporal.api.enums.v1;

const ms = (d: temporal.api.history.v1.IHistoryEvent['eventTime']): number => (d ? Number(d.seconds ?? 0) * 1000 + Math.floor((d.nanos ?? 0) / 1e6) : 0);

export function profileOf(history: History): WorkProfile {
  const events = history.events ?? [];
  const count = (t: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === t).length;
  const fired = new Set(events.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED).map((e) => e.timerFiredEventAttributes?.timerId));
  const cancelled = new Set(events.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_CANCELED).map((e) => e.timerCanceledEventAttributes?.timerId));
  const started = events.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED);
  return {
    events: events.length,
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED),
    activityTasks: count(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED),
    activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    timersFired: fired.size,
    timersCancelled: cancelled.size,
    timersPending: started.filter((e) => !fired.has(e.timerStartedEventAttributes?.timerId) && !cancelled.has(e.timerStartedEventAttributes?.timerId)).length,
    updates: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
    signalsReceived: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
    signalsSent: count(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED),
    children: count(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED),
    searchAttributeUpserts: count(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
    firstEventAt: ms(events[0]?.eventTime),
    lastEventAt: ms(events[events.length - 1]?.eventTime),
  };
}

/** Durations of the timers that fired, in the order they started. */
export function firedTimersMs(history: History): number[] {
  const events = history.events ?? [];
  const fired = new Set(events.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED).map((e) => e.timerFiredEventAttributes?.timerId));
  return events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED && fired.has(e.timerStartedEventAttributes?.timerId))
    .map((e) => {
      const d = e.timerStartedEventAttributes?.startToFireTimeout;
      return Math.max(1, Number(d?.seconds ?? 0) * 1000 + Math.floor((d?.nanos ?? 0) / 1e6));
    });
}

/** The child workflow ids a history started. */
export function childIds(history: History): string[] {
  return (history.events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
    .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? '')
    .filter((id) => id !== '');
}

/**
 * The bare shape doing the same Temporal work as the workflow behind `history` and its children:
 * activities, fired timers with their durations, cancelled timers, updates and signals to the parent.
 * A child the parent signalled, or one still open, is released by one at the end (preservation, the
 * parked case's preservation); one the parent never signalled ends on its own once answered (safeguarding,
 * an MLAT), and the parent awaits it when the case outlived it.
 */
export function bareShapeOf(history: History, children: History[] = []): BareShape {
  // The children the parent signalled (a release): counted from the parent's side, since a signal to a child that
  // had already closed fails and never shows in the child's history, yet the parent sent it.
  // Per child, how many: a case may release its preservation twice (once the evidence is in hand, again at closing
  // when the child's report of the first had not arrived yet), and a twin sending one fewer failed the harness.
  const signalled = new Map<string, number>();
  for (const e of history.events ?? []) {
    if (e.eventType !== EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED) continue;
    const id = e.signalExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId ?? '';
    signalled.set(id, (signalled.get(id) ?? 0) + 1);
  }
  // The children whose close the parent saw while it was still open: the parent outlived them (an MLAT's case awaits its
  // result), so every signal they sent it landed; a bare parent that ended first would see fewer.
  const closedInParent = new Set(
    (history.events ?? [])
      .filter((e) => e.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)
      .map((e) => e.childWorkflowExecutionCompletedEventAttributes?.workflowExecution?.workflowId ?? ''),
  );
  return {
    ...ownShape(history, false),
    ...(children.length > 0
      ? {
          children: children.map((c) => {
            const id = workflowIdOf(c);
            const releases = signalled.get(id) ?? 0;
            return {
              ...ownShape(c, true, releases > 0),
              ...(releases > 1 ? { releaseSignals: releases } : {}),
              ...(releases === 0 && closedInParent.has(id) ? { awaitedByParent: true } : {}),
            };
          }),
        }
      : {}),
  };
}

/** The workflow id a history belongs to, from its first event. */
function workflowIdOf(history: History): string {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return started?.workflowId ?? '';
}

function ownShape(history: History, asChild: boolean, signalledByParent = false): BareShape {
  const p = profileOf(history);
  return {
    activities: p.activities,
    firedTimersMs: firedTimersMs(history),
    cancelledTimers: p.timersCancelled,
    updates: p.updates,
    signalsToParent: asChild ? p.signalsSent : 0,
    ...(asChild && (signalledByParent || isOpen(history)) ? { awaitsRelease: true } : {}),
  };
}

const CLOSING_EVENTS = new Set([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

function isOpen(history: History): boolean {
  const last = history.events?.[history.events.length - 1];
  return !last?.eventType || !CLOSING_EVENTS.has(last.eventType);
}

export function sumProfiles(profiles: WorkProfile[]): WorkProfile {
  const sum = (k: keyof WorkProfile) => profiles.reduce((s, p) => s + p[k], 0);
  return {
    events: sum('events'),
    workflowTasks: sum('workflowTasks'),
    activityTasks: sum('activityTasks'),
    activities: sum('activities'),
    timersFired: sum('timersFired'),
    timersCancelled: sum('timersCancelled'),
    timersPending: sum('timersPending'),
    updates: sum('updates'),
    signalsReceived: sum('signalsReceived'),
    signalsSent: sum('signalsSent'),
    children: sum('children'),
    searchAttributeUpserts: sum('searchAttributeUpserts'),
    firstEventAt: Math.min(...profiles.map((p) => p.firstEventAt)),
    lastEventAt: Math.max(...profiles.map((p) => p.lastEventAt)),
  };
}

/** A workflow's history and those of the children it started (one level, as a case has). */
export async function familyHistories(client: Client, workflowId: string): Promise<{ parent: History; children: History[] }> {
  const parent = await client.workflow.getHandle(workflowId).fetchHistory();
  const children = await Promise.all(childIds(parent).map((id) => client.workflow.getHandle(id).fetchHistory()));
  return { parent, children };
}
