/**
 * Bare Temporal baselines: the same amount of Temporal work as a case, and nothing else. No stages,
 * no record, no timeline, no search attributes, no validation: what a case costs beyond these is
 * what CaseBridge costs.
 *
 * `bareWorkflow` interprets a `BareShape` measured from a real case's history in the same bench run
 * (bench/shape.ts): as many activities, fired and cancelled timers, updates, signals and child
 * workflows as the case and its children (preservation, safeguarding) had. `bareRoundTripWorkflow` is the trivial
 * workflow with one update, the baseline for a human input's round trip.
 */
import {
  CancellationScope,
  ParentClosePolicy,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { BareActivities } from '../activities';

export interface BareShape {
  /** No-op activities, run one after another. */
  activities: number;
  /** Timers that fire, in order, with their durations (ms). */
  firedTimersMs: number[];
  /** Timers started and then cancelled (as `condition(fn, timeout)` does when fn comes true first). */
  cancelledTimers: number;
  /** Updates the driver sends (the bench sends them when `phase` is `awaiting-update`). */
  updates: number;
  /** Signals a child sends its parent (as preservation reports to the case). */
  signalsToParent: number;
  /**
   * Child workflows started beside this one, in the case's order: one released by a signal at the end
   * (as preservation is, `awaitsRelease`), one answered by a person's updates (as a safeguarding is).
   */
  children?: BareShape[];
  /** Set for a child the parent releases with a signal at the end (a child that received signals). */
  awaitsRelease?: boolean;
  /** How many release signals the parent sends it, when more than one (the case released it twice). */
  releaseSignals?: number;
  /**
   * Set for a child that ends on its own and that the case outlived (an MLAT's case awaits its result):
   * the parent awaits it before it ends, so the child's signals to it land as they did on the case.
   */
  awaitedByParent?: boolean;
  /** Stay open at the end for this long (ms): an open case parked on a long timer. */
  parkMs?: number;
}

export interface BareInput {
  shape: BareShape;
  /** Carried but never read: the case's input (the tip) has this size, so both histories carry as many bytes. */
  ballast?: string;
  /** Set for a child: whom to signal. */
  parentId?: string;
}

export type BarePhase = 'working' | 'awaiting-update' | 'awaiting-release' | 'parked' | 'done';
export interface BareState {
  phase: BarePhase;
  updates: number;
  signals: number;
}

export const bareUpdate = defineUpdate<number, [string]>('bareUpdate');
export const bareRelease = defineSignal('bareRelease');
export const bareReport = defineSignal<[string]>('bareReport');
export const bareStateQuery = defineQuery<BareState>('bareState');

const { noop } = proxyActivities<BareActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumAttempts: 8 },
});

/** Longer than any bench run: a timer that is always cancelled, or a park that outlives the run. */
const LONG_MS = 30 * 24 * 3_600_000;

export function bareChildId(parentId: string, index: number): string {
  return `${parentId}/child-${index}`;
}

export async function bareWorkflow(input: BareInput): Promise<BareState> {
  const { shape } = input;
  const state: BareState = { phase: 'working', updates: 0, signals: 0 };
  let released = false;
  setHandler(bareUpdate, () => ++state.updates);
  setHandler(bareRelease, () => void (released = true));
  setHandler(bareReport, () => void state.signals++);
  setHandler(bareStateQuery, () => ({ ...state }));

  const me = workflowInfo().workflowId;
  const children = shape.children ?? [];
  const awaited: Promise<unknown>[] = [];
  for (const [i, child] of children.entries()) {
    const handle = await startChild(bareWorkflow, {
      workflowId: bareChildId(me, i),
      args: [{ shape: child, parentId: me }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    if (child.awaitedByParent) awaited.push(handle.result());
  }
  const parent = input.parentId ? getExternalWorkflowHandle(input.parentId) : undefined;
  const report = async (n: number) => {
    for (let i = 0; i < n; i++) await parent?.signal(bareReport, 'changed').catch(() => undefined);
  };

  // Cancelled timers: the update wait and the release wait each cancel one, when the case's had one to
  // cancel (a safeguarding waits for its answer without a timeout); the rest race an activity.
  const awaitsRelease = input.parentId !== undefined && shape.awaitsRelease === true;
  let cancelledLeft = shape.cancelledTimers;
  const timedWait = (needed: boolean): boolean => {
    if (!needed || cancelledLeft <= 0) return false;
    cancelledLeft--;
    return true;
  };
  const updateWaitTimed = timedWait(shape.updates > 0);
  const releaseWaitTimed = timedWait(awaitsRelease);
  const waitFor = async (done: () => boolean, timed: boolean) => void (timed ? await condition(done, LONG_MS) : await condition(done));
  const activity = async (i: number) => {
    if (cancelledLeft <= 0) return noop(i);
    cancelledLeft--;
    const timer = new CancellationScope();
    const timed = timer.run(() => sleep(LONG_MS)).catch(() => undefined);
    try {
      return await noop(i);
    } finally {
      timer.cancel();
      await timed;
    }
  };

  const firstHalf = Math.ceil(shape.activities / 2);
  // The driver sends the updates from inside the first half's last activity, so they can arrive in
  // the task that completes it: a timer started only then would be cancelled in the task that started
  // it, which records neither. The wait's timer starts before that activity, as a case's reminder does.
  let updateTimer: CancellationScope | undefined;
  let updateTimerDone: Promise<unknown> = Promise.resolve();
  const startUpdateTimer = () => {
    if (!updateWaitTimed || updateTimer) return;
    updateTimer = new CancellationScope();
    updateTimerDone = updateTimer.run(() => sleep(LONG_MS)).catch(() => undefined);
  };
  let a = 0;
  for (; a < firstHalf; a++) {
    if (a === firstHalf - 1) startUpdateTimer();
    await activity(a);
  }
  startUpdateTimer();
  await report(Math.ceil(shape.signalsToParent / 2));
  if (shape.updates > 0) {
    state.phase = 'awaiting-update';
    await condition(() => state.updates >= shape.updates);
    updateTimer?.cancel();
    await updateTimerDone;
    state.phase = 'working';
  }
  for (const ms of shape.firedTimersMs) await sleep(ms);
  for (; a < shape.activities; a++) await activity(a);
  if (awaitsRelease) {
    state.phase = 'awaiting-release';
    await waitFor(() => released, releaseWaitTimed);
    state.phase = 'working';
  }
  for (const [i, child] of children.entries()) {
    if (!child.awaitsRelease) continue;
    // A release to a child that has already ended fails, as the case's second release can: it is sent all the same.
    for (let k = 0; k < (child.releaseSignals ?? 1); k++)
      await getExternalWorkflowHandle(bareChildId(me, i))
        .signal(bareRelease)
        .catch(() => undefined);
  }
  await Promise.all(awaited);
  await report(Math.floor(shape.signalsToParent / 2));
  if (shape.parkMs) {
    state.phase = 'parked';
    await sleep(shape.parkMs);
  }
  state.phase = 'done';
  return state;
}

/** The trivial workflow for the round-trip baseline: one update sets a value, a query reads it. */
export const bareSet = defineUpdate<string, [string]>('bareSet');
export const bareValueQuery = defineQuery<string | null>('bareValue');

export async function bareRoundTripWorkflow(): Promise<string | null> {
  let value: string | null = null;
  let done = false;
  setHandler(bareSet, (v) => (value = v));
  setHandler(bareValueQuery, () => value);
  setHandler(bareRelease, () => void (done = true));
  await condition(() => done, LONG_MS);
  return value;
}
