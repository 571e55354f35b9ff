/**
 * What the request child workflows (MLAT, extradition) share: the request's state machine and its
 * deadlines, the liaisons' `respond` update checked against the machine, every change reported to
 * the case (which keeps the one status, timeline and search attributes managers and liaisons see),
 * waits with follow-up reminders, and the central authority's review of an outgoing document.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { CallContext, DocumentRef } from '../activities/ports';
import { RespondSchema, firstIssue, respond, type Party, type RequestKind, type RequestSummary, type Role, type TimelineEntry } from './messages';
import { DAY_MS, INSTRUMENTS, needsTranslation, scaledMs, type Period, type PolicyProfile, type Rule } from './policy';
import { checkResponse, isTerminal, systemOutcome, targetOf } from './requests';
import { SYSTEM_ACTIVITY_OPTIONS } from './retry-policies';

/** A deadline the child keeps; the case shows it with the stage it is in. */
export interface ChildDeadline {
  name: string;
  dueAt: string;
  source: string;
  requestId: string;
}

/** Child → case: the request changed. `deadlines` is the child's whole current set for the request. */
export interface RequestChange {
  request: RequestSummary;
  /** Absent when only the deadlines changed. */
  entry?: Omit<TimelineEntry, 'stage'>;
  deadlines: ChildDeadline[];
}
export const requestChanged = defineSignal<[RequestChange]>('requestChanged');

export interface ChildInput {
  caseId: string;
  requestId: string;
  /** Where the request goes. */
  country: string;
  homeCountry: string;
  profile: PolicyProfile;
}

/** A step failed for good (retries ran out, or rejected): the case needs a coordinator. */
export class ChildNeedsAttention extends Error {}

export const activities = {
  agency: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.agency),
  centralAuthority: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.centralAuthority),
  diplomatic: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.diplomatic),
  translation: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.translation),
};

export class ChildRequest {
  readonly request: RequestSummary;
  private deadlines: ChildDeadline[] = [];
  /** The deadlines changed since the case last heard from this request. */
  private deadlinesChanged = false;
  /** When a person last recorded a response (follow-ups count from the last contact). */
  lastResponseAt = 0;
  /** Reminders sent per status waited in: part of each reminder's idempotency key. */
  private readonly followUpsSent: Record<string, number> = {};
  private readonly parent;

  constructor(
    readonly input: ChildInput,
    kind: RequestKind,
    status: string,
    awaiting: Party,
    readonly openedAt: string,
  ) {
    this.request = { requestId: input.requestId, kind, status, awaiting, openedAt, workflowId: input.requestId };
    // No run id: after the case continues as new, its newest run receives the reports.
    this.parent = getExternalWorkflowHandle(input.caseId);
  }

  get status(): string {
    return this.request.status;
  }

  ms(period: Period): number {
    return scaledMs(period, this.input.profile);
  }

  /** The idempotency key of one external call: the request id and the step. */
  key(step: string): CallContext {
    return { caseId: this.input.caseId, idempotencyKey: `${this.input.requestId}/${step}` };
  }

  /** Runs one external call; a call that fails for good becomes ChildNeedsAttention naming the step. */
  async call<T>(step: string, fn: (ctx: CallContext) => Promise<T>): Promise<T> {
    try {
      return await fn(this.key(step));
    } catch (err) {
      if (err instanceof ActivityFailure) {
        const cause = err.cause;
        const why = cause instanceof ApplicationFailure && cause.nonRetryable ? cause.message : `gave up after the retry policy ran out: ${cause?.message ?? err.message}`;
        throw new ChildNeedsAttention(`${this.input.requestId} ${step}: ${why}`);
      }
      throw err;
    }
  }

  /** Liaisons record the foreign side's answers here; the validator rejects what the machine does not allow. */
  acceptResponses(onAccepted: () => void = () => {}): void {
    setHandler(
      respond,
      async (raw) => {
        const u = RespondSchema.parse(raw);
        const checked = checkResponse(this.request, u);
        if (!checked.ok) throw ApplicationFailure.nonRetryable(checked.reason); // the validator ran on the same state
        const before = this.request.status;
        const t = checked.transition;
        this.request.status = targetOf(t, u.reason);
        if (t.awaiting !== undefined) this.request.awaiting = t.awaiting;
        if (u.reference) this.request.reference = u.reference;
        if (u.reason) this.request.reason = u.reason;
        this.lastResponseAt = Date.now();
        onAccepted();
        const extras = [u.reason && `reason: ${u.reason}`, u.reference && `reference: ${u.reference}`, u.note && `note: ${u.note}`].filter(Boolean).join('; ');
        await this.report('response', `${this.request.requestId}: ${u.outcome} (${before} → ${this.request.status})${extras ? ` — ${extras}` : ''}`, u.actor, u.role);
        return { ...this.request };
      },
      {
        validator: (raw) => {
          const parsed = RespondSchema.safeParse(raw);
          if (!parsed.success) throw new Error(firstIssue(parsed.error));
          const u = parsed.data;
          if (u.requestId !== this.request.requestId) throw new Error(`requestId: this workflow runs ${this.request.requestId}, not ${u.requestId}`);
          const checked = checkResponse(this.request, u);
          if (!checked.ok) throw new Error(checked.reason);
        },
      },
    );
  }

  /** The system's own step along the machine (`transmitted`, `order-final`); a missing row is a bug. */
  async system(outcome: string, detail: string, opts: { reference?: string; actor?: string; reason?: string } = {}): Promise<void> {
    const t = systemOutcome(this.request, outcome);
    if (!t) throw new Error(`request ${this.request.requestId} (${this.request.kind}) has no '${outcome}' from ${this.request.status}`);
    this.request.status = t.to;
    if (t.awaiting !== undefined) this.request.awaiting = t.awaiting;
    if (opts.reference) this.request.reference = opts.reference;
    if (opts.reason) this.request.reason = opts.reason;
    await this.report(t.awaiting === null ? 'response' : 'request', `${this.request.requestId}: ${detail}`, opts.actor);
  }

  /**
   * A step of the process: a move along the request's machine where its kind has that row (an MLAT's
   * review states), otherwise only a line in the case's timeline (an extradition has no review states).
   */
  private async progress(outcome: string, noteKind: TimelineEntry['kind'], detail: string, opts: { reference?: string; actor?: string } = {}): Promise<void> {
    if (systemOutcome(this.request, outcome)) await this.system(outcome, detail, opts);
    else await this.note(noteKind, `${this.request.requestId}: ${detail}`);
  }

  /** A line in the case's timeline without a change of status (a reminder, an escalation). */
  async note(kind: TimelineEntry['kind'], detail: string): Promise<void> {
    await this.report(kind, detail);
  }

  setDeadline(name: string, dueAtMs: number, rule: Rule<unknown>): void {
    this.deadlines = this.deadlines.filter((d) => d.name !== `${this.shortId()}:${name}`);
    this.deadlines.push({ name: `${this.shortId()}:${name}`, dueAt: new Date(dueAtMs).toISOString(), source: rule.source, requestId: this.request.requestId });
    this.deadlinesChanged = true;
  }

  deadline(name: string): number | undefined {
    const d = this.deadlines.find((x) => x.name === `${this.shortId()}:${name}`);
    return d ? Date.parse(d.dueAt) : undefined;
  }

  clearDeadline(name: string): void {
    const before = this.deadlines.length;
    this.deadlines = this.deadlines.filter((d) => d.name !== `${this.shortId()}:${name}`);
    this.deadlinesChanged ||= this.deadlines.length !== before;
  }

  clearDeadlines(): void {
    this.deadlinesChanged ||= this.deadlines.length > 0;
    this.deadlines = [];
  }

  /** Tells the case about deadlines set or cleared since the last report. */
  async flush(): Promise<void> {
    if (this.deadlinesChanged) await this.send(undefined);
  }

  fail(reason: string): void {
    this.request.attention = reason;
  }

  async report(kind: TimelineEntry['kind'], detail: string, actor = 'system:casebridge', role?: Role): Promise<void> {
    await this.send({ at: new Date().toISOString(), kind, actor, ...(role ? { role } : {}), detail });
  }

  private async send(entry: RequestChange['entry']): Promise<void> {
    this.deadlinesChanged = false;
    const change: RequestChange = { request: { ...this.request }, deadlines: [...this.deadlines], ...(entry ? { entry } : {}) };
    await this.parent.signal(requestChanged, change).catch(() => {
      // The case has closed (withdrawn): nothing left to tell it.
    });
  }

  /**
   * How a request workflow ends on an error: withdrawn with the case (cancelled: the case compensates
   * itself), or handed to a coordinator when a step failed for good. Anything else is a bug: it fails
   * the workflow task so a fixed worker resumes it.
   */
  async endAfter(err: unknown): Promise<RequestSummary> {
    if (isCancellation(err)) return this.end();
    if (!(err instanceof ChildNeedsAttention)) throw err;
    this.fail(err.message);
    this.clearDeadlines();
    await this.report('alert', err.message);
    return this.end();
  }

  /** The request as it ends, once every response being recorded has been reported. */
  async end(): Promise<RequestSummary> {
    await condition(allHandlersFinished);
    return { ...this.request };
  }

  /** `mlat-1` of `case-…/mlat-1`: deadline names stay short and unique per request. */
  shortId(): string {
    return this.request.requestId.slice(this.input.caseId.length + 1);
  }

  /**
   * Waits until `done` (or `abortAtMs`), reminding the liaison at `followUp`'s interval from the last
   * contact. Returns false when `abortAtMs` came first.
   */
  async waitWithFollowUps(done: () => boolean, followUp: Rule<Period>, what: string, abortAtMs?: number): Promise<boolean> {
    for (;;) {
      const since = Math.max(this.lastResponseAt, Date.now());
      if (this.deadline('follow-up') === undefined) this.setDeadline('follow-up', since + this.ms(followUp.value), followUp);
      await this.flush();
      const contact = this.lastResponseAt;
      const wakeAt = Math.min(this.deadline('follow-up')!, abortAtMs ?? Infinity);
      const woke = await condition(() => done() || this.lastResponseAt !== contact, Math.max(1, wakeAt - Date.now()));
      if (done()) {
        this.clearDeadline('follow-up');
        return true;
      }
      if (woke) {
        this.clearDeadline('follow-up'); // a response came: count the next reminder from it
        continue;
      }
      if (abortAtMs !== undefined && Date.now() >= abortAtMs) return false;
      const at = this.request.status.toLowerCase();
      const n = (this.followUpsSent[at] ?? 0) + 1;
      this.followUpsSent[at] = n;
      await this.call(`follow-up-${at}-${n}`, (ctx) =>
        activities.agency.alert(ctx, { to: 'liaison', kind: `${this.request.kind}-follow-up`, message: `case ${this.input.caseId}: ${this.request.requestId} is ${this.request.status}; ${what}` }),
      );
      const next = this.deadline('follow-up')! + this.ms(followUp.value);
      this.setDeadline('follow-up', next, followUp);
      await this.note('alert', `liaison reminded to follow up ${this.request.requestId} (${this.request.status}, reminder ${n}): ${what}`);
    }
  }

  /**
   * Drafts a document and has the central authority clear it, redrafting with its edits until it
   * does (or the policy's rounds run out), then translates it where the languages differ.
   * Returns undefined when `abortAtMs` passes while the central authority is still deciding.
   */
  async clearAndTranslate(
    documentKind: 'mlat-request' | 'mlat-supplement' | 'extradition-request',
    reviewKind: 'mlat' | 'extradition',
    firstRound: number,
    abortAtMs?: () => number | undefined,
  ): Promise<{ document: DocumentRef; rounds: number } | undefined> {
    const maxRounds = INSTRUMENTS.centralAuthority.reviewRounds;
    let edits: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const round = firstRound + attempt - 1;
      const drafted = await this.call(`draft-${round}`, (ctx) =>
        activities.agency.draftDocument(ctx, { requestId: this.request.requestId, documentKind, round, ...(edits ? { edits } : {}) }),
      );
      const review = await this.call(`review-${round}`, (ctx) =>
        activities.centralAuthority.submitForReview(ctx, {
          requestId: this.request.requestId,
          round,
          kind: reviewKind,
          country: this.input.country,
          document: drafted,
          asOf: new Date().toISOString(),
          dayScale: this.ms({ days: 1 }) / DAY_MS,
        }),
      );
      await this.progress('submitted-for-review', 'request', `${documentKind} ${drafted.documentId} submitted to the central authority (round ${round})`);
      // The review takes its time; a hard deadline elsewhere (a provisional arrest) may pass first.
      const decidedAt = Date.parse(review.decidedAt);
      await this.flush();
      for (;;) {
        const abort = abortAtMs?.();
        const until = Math.min(decidedAt, abort ?? Infinity);
        if (until > Date.now()) await condition(() => abortAtMs?.() !== abort, until - Date.now());
        if (Date.now() >= decidedAt) break;
        const nowAbort = abortAtMs?.();
        if (nowAbort !== undefined && Date.now() >= nowAbort) return undefined;
      }
      if (review.decision === 'cleared') {
        await this.progress('cleared', 'response', `${documentKind} cleared by the central authority (${review.reference})`, {
          reference: review.reference,
          actor: 'system:central-authority',
        });
        let document = drafted;
        const language = needsTranslation(this.input.country, this.input.homeCountry);
        if (language) {
          document = await this.call(`translate-${round}`, (ctx) => activities.translation.translateDocument(ctx, { document: drafted, to: language }));
          await this.progress('translated', 'response', `${documentKind} translated into ${language} (${document.documentId})`, { actor: 'system:translation' });
        }
        return { document, rounds: attempt };
      }
      await this.progress('edits-requested', 'response', `central authority returned the ${documentKind} with edits (round ${round}): ${review.edits}`, {
        actor: 'system:central-authority',
      });
      if (attempt >= maxRounds.value) {
        throw new ChildNeedsAttention(`${this.request.requestId}: the central authority returned the ${documentKind} ${attempt} times (${maxRounds.source})`);
      }
      edits = review.edits;
    }
  }

  terminal(): boolean {
    return isTerminal(this.request.kind, this.request.status);
  }
}
