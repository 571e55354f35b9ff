/**
 * What the request child workflows (MLAT, extradition) share: the request's state machine and its
 * deadlines, the liaisons' `respond` update checked against the machine, every change reported to
 * the case (which keeps the one status, timeline and search attributes managers and liaisons see),
 * waits with follow-up reminders, and the central authority's review of an outgoing document.
 */
import {
  allHandlersFinished,
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { CaseActivities } from '../../activities';
import { PATCHES } from '../case/patches';
import type { CallContext, DocumentRef, GeneratedDocument } from '../../activities/ports';
import { DOCUMENT_RULES, approvalBeforeSending, approvalRefusal, draftOf, type DocumentFacts, type DocumentKind } from '../documents';
import {
  ApproveDocumentSchema,
  RespondSchema,
  ReviseDocumentSchema,
  approveDocument,
  documentsQuery,
  parsePayload,
  rejectInput,
  respond,
  reviseDocument,
  type DocumentSummary,
  type Respond,
  type RequestSummary,
  type TimelineEntry,
} from '../messages';
import { countryTable, DAY_MS, INSTRUMENTS, needsTranslation, scaledMs, type Period, type PolicyProfile, type Rule } from '../policy';
import { SYSTEM_ACTIVITY_OPTIONS } from '../retry-policies';
import type { Party, Role, Stage } from '../vocabulary';
import { checkResponse, isTerminal, systemOutcome, type RequestKind } from './machines';
import { applyResponse, applySystem, failedCallReason, shortRequestId, waitWithFollowUps, type RequestHost } from './runtime';

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
  /** The case's stage while the request runs, named in rejections. Absent in inputs from older code: the kind's stage. */
  stage?: Stage;
  /**
   * The case's facts as its documents need them (personal data: encrypted payloads only), from the
   * case when it opened the request. Absent in inputs from code before generated documents: the
   * request then sends the agency's drafted reference as it did.
   */
  facts?: DocumentFacts;
}

const STAGE_OF_KIND: Partial<Record<RequestKind, Stage>> = { mlat: 'MLAT', extradition: 'EXTRADITION' };

/** A step failed for good (retries ran out, or rejected): the case needs a coordinator. */
export class ChildNeedsAttention extends Error {}

export const activities = {
  agency: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.agency),
  centralAuthority: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.centralAuthority),
  diplomatic: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.diplomatic),
  translation: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.translation),
  documents: proxyActivities<CaseActivities>(SYSTEM_ACTIVITY_OPTIONS.documents),
};

export class ChildRequest implements RequestHost {
  readonly request: RequestSummary;
  private deadlines: ChildDeadline[] = [];
  /** The deadlines changed since the case last heard from this request. */
  private deadlinesChanged = false;
  /** When a person last recorded a response (follow-ups count from the last contact). */
  lastResponseAt = 0;
  /** Reminders sent per status waited in: part of each reminder's idempotency key. */
  private readonly followUpsSent: Record<string, number> = {};
  /** The documents this request generated: ids, versions, hashes and approvals, never content. */
  private readonly documents: DocumentSummary[] = [];
  private parent;
  /** The case this request reports to: the one that opened it, until it is handed over (a referral's safeguarding, to the force's case). */
  private reportingTo: string;

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
    this.reportingTo = input.caseId;
  }

  /** The case that follows this request now. */
  get caseId(): string {
    return this.reportingTo;
  }

  /** From now on every change reaches `caseId` (its newest run), and reminders and refusals name it. */
  handOver(caseId: string): void {
    this.reportingTo = caseId;
    this.parent = getExternalWorkflowHandle(caseId);
  }

  get status(): string {
    return this.request.status;
  }

  ms(period: Period): number {
    return scaledMs(period, this.input.profile);
  }

  /** The idempotency key of one external call: the request id and the step. */
  key(step: string): CallContext {
    return { caseId: this.caseId, idempotencyKey: `${this.input.requestId}/${step}` };
  }

  /** Runs one external call; a call that fails for good becomes ChildNeedsAttention naming the step. */
  async call<T>(step: string, fn: (ctx: CallContext) => Promise<T>): Promise<T> {
    try {
      return await fn(this.key(step));
    } catch (err) {
      const why = failedCallReason(err);
      if (why === undefined) throw err;
      throw new ChildNeedsAttention(`${this.input.requestId} ${step}: ${why}`);
    }
  }

  private stage(): Stage {
    return this.input.stage ?? STAGE_OF_KIND[this.request.kind] ?? 'MLAT';
  }

  /** Liaisons record the foreign side's answers here; the validator rejects what the machine does not allow. */
  acceptResponses(onAccepted: (response: Respond) => void = () => {}): void {
    this.acceptDocumentInputs();
    const stage = this.stage();
    const check = (raw: unknown) => {
      const u = parsePayload(RespondSchema, raw, this.caseId, stage);
      if (u.requestId !== this.request.requestId)
        rejectInput(this.caseId, stage, `requestId: this workflow runs ${this.request.requestId}, not ${u.requestId}`);
      const checked = checkResponse(this.request, u);
      if (!checked.ok) rejectInput(this.caseId, stage, checked.reason);
      return { u, t: checked.transition };
    };
    setHandler(
      respond,
      async (raw) => {
        const { u, t } = check(raw); // the validator ran on the same state: this cannot throw
        const line = applyResponse(this.request, t, u);
        this.lastResponseAt = Date.now();
        onAccepted(u);
        await this.report('response', line, u.actor, u.role, u.actorId);
        return { ...this.request };
      },
      { validator: (raw) => void check(raw) },
    );
  }

  /**
   * People approve the document the request waits for, or upload a revision of it (through the API,
   * which stores the revision first). Validators refuse, changing nothing: an unknown document, one
   * the request is not waiting for, a role that does not approve its kind, the author where four eyes
   * are needed, a hash that is not the current version's, open gaps.
   */
  private acceptDocumentInputs(): void {
    const { caseId } = this.input;
    const reject = (reason: string): never => rejectInput(caseId, this.stage(), reason);
    const pendingOne = (documentId: string): DocumentSummary => {
      const d = this.documents.find((x) => x.documentId === documentId);
      if (!d) {
        const known = this.documents.map((x) => x.documentId);
        reject(`documentId: request ${this.request.requestId} has no document ${documentId}${known.length ? ` (its documents: ${known.join(', ')})` : ''}`);
      }
      // A paper that went at once (a provisional arrest request, a diplomatic note) is approved afterwards, for the file.
      const forTheFile = d!.status === 'DRAFT' && !approvalBeforeSending(this.request.kind, d!.kind as DocumentKind);
      if (this.request.pendingApproval?.documentId !== documentId && !forTheFile) {
        reject(
          d!.status === 'APPROVED'
            ? `documentId: version ${d!.version} of ${documentId} is approved and the request has gone on (${this.request.status})`
            : `documentId: request ${this.request.requestId} is ${this.request.status}: it is not waiting for ${documentId} to be approved`,
        );
      }
      return d!;
    };
    const checkApproval = (raw: unknown) => {
      const u = parsePayload(ApproveDocumentSchema, raw, caseId, this.stage());
      const d = pendingOne(u.documentId);
      const refusal = approvalRefusal(d.kind as DocumentKind, u.role, u.actor, d.author?.actor);
      if (refusal) reject(refusal);
      if (u.contentHash !== d.contentHash) {
        reject(
          `contentHash: ${u.contentHash} is not the current version of ${d.documentId} (version ${d.version} is ${d.contentHash}): read it before approving it`,
        );
      }
      if (d.incomplete.length > 0) {
        reject(
          `documentId: version ${d.version} of ${d.documentId} still has gaps to complete (${d.incomplete.join('; ')}): upload a revision that fills them`,
        );
      }
      return { u, d };
    };
    const checkRevision = (raw: unknown) => {
      const u = parsePayload(ReviseDocumentSchema, raw, caseId, this.stage());
      const d = pendingOne(u.documentId);
      if (u.version <= d.version) reject(`version: ${d.documentId} is at version ${d.version}; a revision is a later version, not ${u.version}`);
      if (u.contentHash === d.contentHash) reject(`contentHash: the revision has the text of version ${d.version}: nothing changed`);
      return { u, d };
    };
    setHandler(documentsQuery, () => this.documents.map((d) => ({ ...d, incomplete: [...d.incomplete] })));
    setHandler(
      approveDocument,
      async (raw) => {
        const { u, d } = checkApproval(raw); // the validator ran on the same state: this cannot throw
        d.status = 'APPROVED';
        d.approval = { actor: u.actor, role: u.role, ...(u.actorId ? { actorId: u.actorId } : {}), at: new Date().toISOString() };
        const pending = this.request.pendingApproval?.documentId === d.documentId;
        if (pending) delete this.request.pendingApproval;
        await this.report(
          'input',
          `${this.request.requestId}: ${DOCUMENT_RULES[d.kind as DocumentKind].title} ${d.documentId} version ${d.version} approved ${pending ? 'for sending' : 'for the file (it was sent at once)'} (content sha256 ${d.contentHash})`,
          u.actor,
          u.role,
          u.actorId,
        );
        // The step that waited records a sending approval itself; one for the file is recorded here.
        if (!pending) {
          const { at, ...approver } = d.approval;
          const short = d.documentId.slice(this.request.requestId.length + 1);
          await this.call(`approval-${short}-v${d.version}`, (ctx) =>
            activities.documents.recordDocumentApproval(ctx, { documentId: d.documentId, version: d.version, contentHash: d.contentHash, approver, at }),
          ).catch((err: unknown) => {
            // The approval stands in the case's timeline; the store's copy of it is retried by nobody: say so.
            if (!(err instanceof ChildNeedsAttention)) throw err;
            return this.note(
              'alert',
              `${this.request.requestId}: the approval of ${d.documentId} could not be recorded in the document store (${err.message})`,
            );
          });
        }
        return { ...d, incomplete: [...d.incomplete] };
      },
      { validator: (raw) => void checkApproval(raw) },
    );
    setHandler(
      reviseDocument,
      async (raw) => {
        const { u, d } = checkRevision(raw);
        d.version = u.version;
        d.contentHash = u.contentHash;
        d.incomplete = [...u.incomplete];
        d.author = { actor: u.actor, role: u.role, ...(u.actorId ? { actorId: u.actorId } : {}) };
        const pending = this.request.pendingApproval?.documentId === d.documentId;
        if (pending) this.request.pendingApproval = { documentId: d.documentId, version: d.version, contentHash: d.contentHash };
        const gaps = d.incomplete.length ? `; ${d.incomplete.length} gap(s) still to complete` : '';
        await this.report(
          'input',
          `${this.request.requestId}: revision of ${d.documentId} uploaded as version ${d.version} (content sha256 ${d.contentHash})${gaps}; it needs approval${pending ? '' : ' (for the file: it was sent at once)'}`,
          u.actor,
          u.role,
          u.actorId,
        );
        return { ...d, incomplete: [...d.incomplete] };
      },
      { validator: (raw) => void checkRevision(raw) },
    );
  }

  /** Whether this request's documents are generated from the case: inputs from code before the patch carry no facts. */
  private generatesDocuments(): boolean {
    return this.input.facts !== undefined && patched(PATCHES.generatedDocuments);
  }

  /** The case's facts (given when it opened the request) with this request as it stands now. */
  private factsFor(sequence: number, edits?: string): DocumentFacts {
    const base = this.input.facts!;
    const r = this.request;
    return {
      ...base,
      request: {
        requestId: r.requestId,
        kind: r.kind,
        status: r.status,
        ...(r.reference ? { reference: r.reference } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
      },
      sequence,
      additions: { ...base.additions, ...(edits ? { edits } : {}) },
      preparedAt: new Date().toISOString(),
    };
  }

  /** Generates a version of the document from the case's facts; `draft-<round>` keys it, so a retry returns the same version. */
  private async generateDocument(kind: DocumentKind, round: number, sequence: number, edits: string | undefined): Promise<DocumentSummary> {
    const r = this.request;
    const facts = this.factsFor(sequence, edits);
    // A redraft starts from the text a person uploaded last, with the edits, so their completions stay (histories before the patch regenerate).
    const documentId = `${r.requestId}/${kind}${sequence > 1 ? `-${sequence}` : ''}.en`;
    const uploaded = this.documents.find((x) => x.documentId === documentId && x.author !== undefined);
    const fromRevision = edits && uploaded && patched(PATCHES.documentsForEveryRequest) ? uploaded.version : undefined;
    const ref = await this.call(`draft-${round}`, (ctx) =>
      activities.documents.generateDocument(ctx, { kind, facts, language: 'en', ...(fromRevision !== undefined ? { fromRevision } : {}) }),
    );
    let d = this.documents.find((x) => x.documentId === ref.documentId);
    if (!d) {
      d = {
        documentId: ref.documentId,
        requestId: r.requestId,
        kind,
        language: ref.language,
        version: 0,
        contentHash: ref.contentHash,
        status: 'DRAFT',
        incomplete: [],
      };
      this.documents.push(d);
    }
    Object.assign(d, { version: ref.version, contentHash: ref.contentHash, incomplete: [...ref.incomplete], status: 'DRAFT' as const });
    delete d.author;
    delete d.approval;
    const gaps = d.incomplete.length ? `; gaps to complete: ${d.incomplete.join('; ')}` : '';
    await this.note('request', `${r.requestId}: ${kind} ${d.documentId} version ${d.version} generated from the case (content sha256 ${d.contentHash})${gaps}`);
    return d;
  }

  /**
   * A paper that goes with a step at once (patch papers-of-the-foreign-steps): generated from the case,
   * kept for approval afterwards, for the file. The step never waits for the document store: a paper
   * that cannot be generated is a line in the timeline, and the step goes on.
   */
  async paper(kind: DocumentKind, step: string, sequence = 1): Promise<void> {
    if (!this.generatesDocuments() || !patched(PATCHES.papersOfTheForeignSteps)) return;
    const r = this.request;
    const facts = this.factsFor(sequence);
    let ref: GeneratedDocument;
    try {
      ref = await this.call(`${step}-${kind}`, (ctx) => activities.documents.generateDocument(ctx, { kind, facts, language: 'en' }));
    } catch (err) {
      if (!(err instanceof ChildNeedsAttention)) throw err;
      await this.note('alert', `${r.requestId}: the ${DOCUMENT_RULES[kind].title} could not be generated (${err.message}); ${step} went without it`);
      return;
    }
    const d = draftOf(ref, r.requestId, kind);
    const known = this.documents.findIndex((x) => x.documentId === d.documentId);
    if (known >= 0) this.documents[known] = d;
    else this.documents.push(d);
    await this.note(
      'request',
      `${r.requestId}: ${kind} ${d.documentId} version ${d.version} generated from the case and sent with ${step} (content sha256 ${d.contentHash})`,
    );
  }

  /**
   * Where the request may leave only with its document approved: waits, in AWAITING_APPROVAL where the
   * kind's machine has it, for a person's approval of the current version (revisions come in meanwhile),
   * then records the approval in the document store. False when `abortAtMs` passes first.
   */
  private async awaitApproval(d: DocumentSummary, abortAtMs?: () => number | undefined): Promise<boolean> {
    const kind = d.kind as DocumentKind;
    if (!approvalBeforeSending(this.request.kind, kind)) return true;
    this.request.pendingApproval = { documentId: d.documentId, version: d.version, contentHash: d.contentHash };
    const who = DOCUMENT_RULES[kind].approvers.join(' or ');
    await this.progress('awaiting-approval', 'request', `${kind} ${d.documentId} version ${d.version} waits for approval by a ${who} before it is sent`);
    while (d.status !== 'APPROVED') {
      const abort = abortAtMs?.();
      const changed = () => d.status === 'APPROVED' || abortAtMs?.() !== abort;
      if (abort === undefined) await condition(changed);
      else {
        if (Date.now() >= abort) return false;
        await condition(changed, Math.max(1, abort - Date.now()));
      }
    }
    const approval = d.approval!;
    const short = d.documentId.slice(this.request.requestId.length + 1);
    await this.call(`approval-${short}-v${d.version}`, (ctx) =>
      activities.documents.recordDocumentApproval(ctx, {
        documentId: d.documentId,
        version: d.version,
        contentHash: d.contentHash,
        approver: { actor: approval.actor, role: approval.role, ...(approval.actorId ? { actorId: approval.actorId } : {}) },
        at: approval.at,
      }),
    );
    return true;
  }

  /** The system's own step along the machine (`transmitted`, `order-final`); a missing row needs a coordinator. */
  async system(outcome: string, detail: string, opts: { reference?: string; actor?: string; reason?: string } = {}): Promise<void> {
    const t = systemOutcome(this.request, outcome);
    if (!t)
      throw new ChildNeedsAttention(
        `${this.request.requestId} (${this.request.kind}) cannot take '${outcome}' in ${this.request.status}: its state machine has no such row`,
      );
    applySystem(this.request, t, opts);
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

  followUpDeadline(): number | undefined {
    return this.deadline('follow-up');
  }

  setFollowUpDeadline(dueAtMs: number, rule: Rule<Period>): void {
    this.setDeadline('follow-up', dueAtMs, rule);
  }

  clearFollowUpDeadline(): void {
    this.clearDeadline('follow-up');
  }

  waitUntil(done: () => boolean, untilMs: number): Promise<boolean> {
    return condition(done, Math.max(1, untilMs - Date.now()));
  }

  /** Tells the case about deadlines set or cleared since the last report. */
  async flush(): Promise<void> {
    if (this.deadlinesChanged) await this.send(undefined);
  }

  fail(reason: string): void {
    this.request.attention = reason;
  }

  async report(kind: TimelineEntry['kind'], detail: string, actor = 'system:casebridge', role?: Role, actorId?: string): Promise<void> {
    await this.send({ at: new Date().toISOString(), kind, actor, ...(actorId ? { actorId } : {}), ...(role ? { role } : {}), detail });
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
   * itself), or handed to a coordinator when a step failed for good — or when the code met a state it
   * did not expect, which must never fail a workflow task for ever either.
   */
  async endAfter(err: unknown): Promise<RequestSummary> {
    if (isCancellation(err)) return this.end();
    const message =
      err instanceof ChildNeedsAttention
        ? err.message
        : `${this.request.requestId}: unexpected error (${err instanceof Error ? err.message : String(err)}); report it to the operators`;
    this.fail(message);
    this.clearDeadlines();
    await this.report('alert', message);
    return this.end();
  }

  /** The request as it ends, once every response being recorded has been reported. */
  async end(): Promise<RequestSummary> {
    await condition(allHandlersFinished);
    return { ...this.request };
  }

  /** `mlat-1` of `case-…/mlat-1`: deadline names stay short and unique per request. */
  shortId(): string {
    return shortRequestId(this.input.caseId, this.request.requestId);
  }

  /**
   * Waits until `done` (or `abortAtMs`), reminding the liaison at `followUp`'s interval from the last
   * contact. Returns false when `abortAtMs` came first.
   */
  waitWithFollowUps(done: () => boolean, followUp: Rule<Period>, what: string, abortAtMs?: number): Promise<boolean> {
    const at = () => this.request.status.toLowerCase();
    return waitWithFollowUps(this, {
      done,
      rule: followUp,
      lastContact: () => this.lastResponseAt,
      ...(abortAtMs !== undefined ? { abortAt: abortAtMs } : {}),
      sent: () => this.followUpsSent[at()] ?? 0,
      countSent: (n) => (this.followUpsSent[at()] = n),
      remind: (n) => ({
        step: `follow-up-${at()}-${n}`,
        send: (ctx) =>
          activities.agency.alert(ctx, {
            to: 'liaison',
            kind: `${this.request.kind}-follow-up`,
            message: `case ${this.caseId}: ${this.request.requestId} is ${this.request.status}; ${what}`,
          }),
        line: `liaison reminded to follow up ${this.request.requestId} (${this.request.status}, reminder ${n}): ${what}`,
      }),
    });
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
    /** 1 for the first document of its kind on the request, 2 for the second supplement, … */
    sequence = 1,
  ): Promise<{ document: DocumentRef; rounds: number } | undefined> {
    const maxRounds = INSTRUMENTS.centralAuthority.reviewRounds;
    const generate = this.generatesDocuments();
    let edits: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const round = firstRound + attempt - 1;
      let drafted: DocumentRef;
      if (generate) {
        const d = await this.generateDocument(documentKind, round, sequence, edits);
        if (!(await this.awaitApproval(d, abortAtMs))) return undefined;
        drafted = { documentId: d.documentId, language: d.language };
      } else {
        drafted = await this.call(`draft-${round}`, (ctx) =>
          activities.agency.draftDocument(ctx, { requestId: this.request.requestId, documentKind, round, ...(edits ? { edits } : {}) }),
        );
      }
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
        // The home country's language too comes from the table: a request started before the full tables keeps the ten-country one.
        const language = needsTranslation(this.input.country, this.input.homeCountry, countryTable(patched(PATCHES.countryTables)));
        if (language) {
          document = await this.call(`translate-${round}`, (ctx) => activities.translation.translateDocument(ctx, { document: drafted, to: language }));
          await this.progress('translated', 'response', `${documentKind} translated into ${language} (${document.documentId})`, {
            actor: 'system:translation',
          });
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
