/**
 * What the API process learns about changes to cases, for the pages that show them live (web/,
 * server-sent events). Three sources, from the cheapest and quickest to the widest:
 *
 * 1. every input this process accepted (published by the server's onResponse hook, the moment the
 *    update's result is back: the change is in the case's history by then);
 * 2. for each case someone has open (refcounted: one follower per case, however many pages), a
 *    history long-poll (`waitNewEvent`): Temporal answers when the case's history grows, so a change
 *    a worker makes (a stage entered, a child's report, a timer) arrives without any polling loop;
 * 3. while any board or queue is open, one visibility query per interval for cases whose stage
 *    changed, or that opened or closed, since the last one: it sees what other API processes, the
 *    CLI against another API, and the workers changed, and costs one query however many pages are
 *    open. Visibility only shows search attributes, so a change that moves none of StageEnteredAt,
 *    StartTime or CloseTime (an MLAT follow-up, a new deadline within the stage) reaches boards
 *    through (1) or at the next stage change — the case page sees it through (2).
 *
 * Subscribers get `{caseId, unit, source, at}` and decide themselves what to re-read (need to know
 * is the reader's business: a page re-reads through the API with its person's credential).
 */
import { EventEmitter } from 'node:events';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Logger } from 'pino';
import { CASE_WORKFLOW_TYPE, listPage } from '../client/views';
import { StageEnteredAt } from '../workflows/search-attributes';

const { EventType } = temporal.api.enums.v1;
/** Events after which a query sees something new: a workflow task's commands, or the run's end. */
const VISIBLE_AFTER = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);
const NOT_FOUND = 5;

export type ChangeSource = 'input' | 'history' | 'visibility';

export interface CaseChange {
  caseId: string;
  /** The case's unit when the source knows it (inputs and visibility do; a history follower was asked by a reader who knew it). */
  unit: string | null;
  source: ChangeSource;
  /** When this process learned of it (ISO 8601). */
  at: string;
}

export interface ChangeFeedOptions {
  log: Logger;
  /** How often the visibility watch asks, while a board or queue is open. */
  watchIntervalMs?: number;
}

export class ChangeFeed {
  private readonly emitter = new EventEmitter();
  private readonly followers = new Map<string, { refs: number; abort: AbortController; unit: string | null }>();
  private watchers = 0;
  private watchTimer: NodeJS.Timeout | undefined;
  private watchSince = 0;
  private readonly seen = new Map<string, string>();
  private closed = false;
  readonly watchIntervalMs: number;
  /** How many visibility watch queries ran, and their total time (the bench reads these). */
  readonly watchStats = { queries: 0, totalMs: 0, failures: 0 };

  constructor(
    private readonly client: Client,
    private readonly opts: ChangeFeedOptions,
  ) {
    this.emitter.setMaxListeners(0);
    this.watchIntervalMs = opts.watchIntervalMs ?? 1_000;
  }

  publish(change: Omit<CaseChange, 'at'>): void {
    if (this.closed) return;
    this.emitter.emit('change', { ...change, at: new Date().toISOString() } satisfies CaseChange);
  }

  /** Every change, from every source; returns the unsubscribe. */
  subscribe(listener: (c: CaseChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** Follows one case's history while someone has it open; returns the release. */
  followCase(caseId: string, unit: string | null): () => void {
    let f = this.followers.get(caseId);
    if (!f) {
      f = { refs: 0, abort: new AbortController(), unit };
      this.followers.set(caseId, f);
      void this.follow(caseId, f.abort.signal, unit);
    }
    f.refs++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const g = this.followers.get(caseId);
      if (g && --g.refs === 0) {
        g.abort.abort();
        this.followers.delete(caseId);
      }
    };
  }

  /** Runs the visibility watch while at least one board or queue is open; returns the release. */
  watchVisibility(): () => void {
    if (this.watchers++ === 0 && !this.closed) {
      this.watchSince = Date.now();
      this.watchTimer = setTimeout(() => void this.watchOnce(), this.watchIntervalMs);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.watchers === 0) {
        clearTimeout(this.watchTimer);
        this.watchTimer = undefined;
        this.seen.clear();
      }
    };
  }

  get following(): number {
    return this.followers.size;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.watchTimer);
    for (const f of this.followers.values()) f.abort.abort();
    this.followers.clear();
    this.emitter.removeAllListeners();
  }

  private async follow(caseId: string, signal: AbortSignal, unit: string | null): Promise<void> {
    const since = Date.now();
    let token: Uint8Array | undefined;
    let failures = 0;
    while (!signal.aborted && !this.closed) {
      try {
        const res = await this.client.withAbortSignal(signal, () =>
          this.client.workflowService.getWorkflowExecutionHistory({
            namespace: this.client.options.namespace,
            execution: { workflowId: caseId },
            ...(token ? { nextPageToken: token } : {}),
            waitNewEvent: true,
            maximumPageSize: 1000,
          }),
        );
        failures = 0;
        const events = res.history?.events ?? [];
        // The first answers are the history as it stood (catching up): only what happened since counts.
        const fresh = events.some((e) => VISIBLE_AFTER.has(Number(e.eventType)) && eventMs(e.eventTime) >= since - 1_000);
        if (fresh) this.publish({ caseId, unit, source: 'history' });
        const next = res.nextPageToken && res.nextPageToken.length > 0 ? res.nextPageToken : undefined;
        // No token: the run ended (closed, or continued as new: the next call without a token follows the new run from its start).
        if (!next) {
          const ended = events.some(
            (e) => Number(e.eventType) !== Number(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) && VISIBLE_AFTER.has(Number(e.eventType)),
          );
          if (ended || events.length === 0) return;
        }
        token = next;
      } catch (err) {
        if (signal.aborted || this.closed) return;
        if (isGrpcServiceError(err) && Number(err.code) === NOT_FOUND) return;
        failures++;
        if (failures === 1) this.opts.log.warn({ err, caseId }, 'following a case history failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** failures)));
      }
    }
  }

  private async watchOnce(): Promise<void> {
    if (this.watchers === 0 || this.closed) return;
    const started = Date.now();
    // Two seconds of overlap: visibility is written after the history, and clocks are not the server's.
    const since = new Date(this.watchSince - 2_000).toISOString();
    const query = `WorkflowType = '${CASE_WORKFLOW_TYPE}' AND (${StageEnteredAt.name} >= '${since}' OR StartTime >= '${since}' OR CloseTime >= '${since}')`;
    try {
      const fresh = new Map<string, string>();
      let cursor: string | undefined;
      do {
        const page = await this.client.withDeadline(Date.now() + 10_000, () => listPage(this.client, query, 1000, cursor));
        for (const r of page.rows) {
          const key = `${r.stage}|${r.stageEnteredAt}|${r.open}|${r.nextDeadline?.dueAt ?? ''}|${r.awaiting ?? ''}`;
          fresh.set(r.caseId, key);
          if (this.seen.get(r.caseId) !== key) this.publish({ caseId: r.caseId, unit: r.unit, source: 'visibility' });
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      this.seen.clear();
      for (const [k, v] of fresh) this.seen.set(k, v);
      this.watchSince = started;
    } catch (err) {
      this.watchStats.failures++;
      if (this.watchStats.failures === 1 || this.watchStats.failures % 60 === 0) this.opts.log.warn({ err }, 'visibility watch failed; asking again');
    } finally {
      this.watchStats.queries++;
      this.watchStats.totalMs += Date.now() - started;
      if (this.watchers > 0 && !this.closed) this.watchTimer = setTimeout(() => void this.watchOnce(), this.watchIntervalMs);
    }
  }
}

function eventMs(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!t) return 0;
  return Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}
