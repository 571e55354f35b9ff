/**
 * The one request runtime, used by the case and by the workflows that run a request of their own
 * (MLAT, extradition): how a request moves along its kind's machine — a person's response, already
 * checked by an update validator, or a system's answer — how a failed call becomes attention, and how
 * a request waiting for the other side is followed up. The hosts differ only in where they keep the
 * request and its deadlines (the case's record, or the child's own state reported to the case).
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { CallContext } from '../../activities/ports';
import type { RequestSummary } from '../messages';
import type { Period, Rule } from '../policy/rule';
import type { TimelineKind } from '../vocabulary';
import { targetOf, type Transition } from './machines';

/** A person's response as the validator accepted it. */
export interface RecordedResponse {
  outcome: string;
  reason?: string | undefined;
  reference?: string | undefined;
  note?: string | undefined;
}

/** Moves `request` along the transition a person's response makes; returns the timeline line. */
export function applyResponse(request: RequestSummary, t: Transition, u: RecordedResponse): string {
  const before = request.status;
  request.status = targetOf(t, u.reason);
  if (t.awaiting !== undefined) request.awaiting = t.awaiting;
  if (u.reference) request.reference = u.reference;
  if (u.reason) request.reason = u.reason;
  const extras = [u.reason && `reason: ${u.reason}`, u.reference && `reference: ${u.reference}`, u.note && `note: ${u.note}`].filter(Boolean).join('; ');
  return `${request.requestId}: ${u.outcome} (${before} → ${request.status})${extras ? ` — ${extras}` : ''}`;
}

/** Moves `request` along a system's transition (an activity answered, a window closed). */
export function applySystem(request: RequestSummary, t: Transition, opts: { reference?: string | undefined; reason?: string | undefined } = {}): void {
  request.status = t.to;
  if (t.awaiting !== undefined) request.awaiting = t.awaiting;
  if (opts.reference) request.reference = opts.reference;
  if (opts.reason) request.reason = opts.reason;
}

/** Why a call failed for good, in words a coordinator acts on; undefined for anything but an activity failure. */
export function failedCallReason(err: unknown): string | undefined {
  if (!(err instanceof ActivityFailure)) return undefined;
  const cause = err.cause;
  return cause instanceof ApplicationFailure && cause.nonRetryable ? cause.message : `gave up after the retry policy ran out: ${cause?.message ?? err.message}`;
}

/** `mlat-1` of `case-…/mlat-1`: deadline names and step keys stay short and unique per request. */
export function shortRequestId(caseId: string, requestId: string): string {
  return requestId.slice(caseId.length + 1);
}

/** Where a waiting request lives: the case's record, or the child workflow that runs it. */
export interface RequestHost {
  /** The follow-up deadline of the request being waited on. */
  followUpDeadline(): number | undefined;
  setFollowUpDeadline(dueAtMs: number, rule: Rule<Period>): void;
  clearFollowUpDeadline(): void;
  /** Tells whoever shows the request that its deadlines changed (the child reports to the case). */
  flush(): Promise<void>;
  /** Waits until `done()` or `untilMs`; true when `done()` became true. */
  waitUntil(done: () => boolean, untilMs: number): Promise<boolean>;
  /** One external call, keyed by `step`; a call that fails for good needs a person. */
  call<T>(step: string, fn: (ctx: CallContext) => Promise<T>): Promise<T>;
  note(kind: TimelineKind, detail: string): Promise<void>;
  ms(period: Period): number;
}

export interface FollowUp {
  /** The request is answered (for this wait). */
  done: () => boolean;
  rule: Rule<Period>;
  /** When the first reminder is due, when it has a date of its own (an order's production deadline). */
  firstAt?: number;
  /** A contact that does not settle the request (a response) counts the next reminder from it. */
  lastContact?: () => number;
  /** Give up waiting at this time (a hard legal window elsewhere); the wait then returns false. */
  abortAt?: number;
  /** The reminder itself: its step key, the alert it sends, the timeline line it leaves. */
  remind: (n: number) => { step: string; send: (ctx: CallContext) => Promise<void>; line: string };
  /** How many reminders were sent before this wait (part of each reminder's key). */
  sent: () => number;
  countSent: (n: number) => void;
  /**
   * After `after` reminders, remind at `every` instead: a wait that may last years (a child not yet
   * identified) reminds often at first and then settles, rather than filling the record with alerts.
   */
  backOff?: { after: number; every: Rule<Period> };
}

/** The interval before the next reminder, once `sent` reminders went out. */
const intervalAfter = (f: FollowUp, sent: number): Rule<Period> => (f.backOff && sent >= f.backOff.after ? f.backOff.every : f.rule);

/**
 * Waits for a request to be answered, reminding at the rule's interval from the first due date (and,
 * where contacts count, from the last contact). Returns true when answered, false when `abortAt` came first.
 */
export async function waitWithFollowUps(host: RequestHost, f: FollowUp): Promise<boolean> {
  for (;;) {
    if (f.done()) return true;
    if (host.followUpDeadline() === undefined) {
      const since = Math.max(f.lastContact?.() ?? 0, Date.now());
      const every = intervalAfter(f, f.sent());
      host.setFollowUpDeadline(f.sent() === 0 && f.firstAt !== undefined ? f.firstAt : since + host.ms(every.value), every);
    }
    await host.flush();
    const contact = f.lastContact?.();
    const wakeAt = Math.min(host.followUpDeadline()!, f.abortAt ?? Infinity);
    const woke = await host.waitUntil(() => f.done() || (contact !== undefined && f.lastContact!() !== contact), wakeAt);
    if (f.done()) {
      host.clearFollowUpDeadline();
      return true;
    }
    if (woke) {
      host.clearFollowUpDeadline(); // a response came: count the next reminder from it
      continue;
    }
    if (f.abortAt !== undefined && Date.now() >= f.abortAt) return false;
    const n = f.sent() + 1;
    const reminder = f.remind(n);
    await host.call(reminder.step, reminder.send);
    f.countSent(n);
    const every = intervalAfter(f, n);
    host.setFollowUpDeadline(host.followUpDeadline()! + host.ms(every.value), every);
    await host.note('alert', reminder.line);
  }
}
