/**
 * The documents of the requests the case runs itself (patch documents-for-every-request): each is
 * generated from the case's facts by the document activity when its request is sent — a preservation
 * letter, an emergency disclosure request, a subpoena or § 2703(d) application, a warrant application
 * and affidavit, a CLOUD Act order, an EU order's certificate, a transfer of proceedings letter. Where
 * REQUEST_DOCUMENTS says so the request leaves only once a person approved the current version
 * (the approval update below, checked by its validator like every input); urgent ones go at once and
 * are approved afterwards, for the file. The case keeps ids, versions and hashes, never content.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { DOCUMENT_RULES, approvalBeforeSending, approvalRefusal, draftOf, factsFromCase, type DocumentAdditions, type DocumentKind } from '../documents';
import { ApproveDocumentSchema, ReviseDocumentSchema, approveDocument, documentsQuery, reviseDocument, type DocumentSummary } from '../messages';
import { SENT } from '../requests/machines';
import { shortRequestId } from '../requests/runtime';
import { systems, type CaseContext } from './context';
import { PATCHES } from './patches';
import { registerInput, type InputTools } from './register-input';

/**
 * The request held for its document's approval has left (AWAITING_APPROVAL → SENT): the detail, with
 * the document's hash, is a line in the timeline; it is not the request's reason (kept for an answer's).
 */
export function sentWithDocument(ctx: CaseContext, step: string, requestId: string, detail: string, reference?: string): void {
  ctx.answered(step, requestId, SENT, '', reference);
  ctx.rec.log('request', `${requestId}: ${detail}`);
}

/** Whether `requestId` sends generated documents: it has some already, or the patch is on (histories recorded before it replay without). */
export function sendsDocuments(ctx: CaseContext, requestId: string): boolean {
  return (ctx.state.documents ?? []).some((d) => d.requestId === requestId) || documentsForEveryRequest();
}

/** Whether the request about to be opened sends a generated document: histories recorded before the patch replay without. */
export function documentsForEveryRequest(): boolean {
  return patched(PATCHES.documentsForEveryRequest);
}

const copy = (d: DocumentSummary): DocumentSummary => ({ ...d, incomplete: [...d.incomplete] });
const gapsOf = (d: DocumentSummary) => (d.incomplete.length ? `; gaps to complete: ${d.incomplete.join('; ')}` : '');

/**
 * The document of `kind` for request `requestId` (already in the case's requests), generated once from
 * the case's facts and kept; where its kind must be approved before sending, waits until a person
 * approved its current version and records the approval in the document store. Every step is keyed
 * by the request and the kind, so a retry, or a new run, resumes where it stood.
 */
export async function documentToSend(
  ctx: CaseContext,
  requestId: string,
  kind: DocumentKind,
  opts: { additions?: DocumentAdditions } = {},
): Promise<DocumentSummary> {
  const { state, rec, caseId } = ctx;
  const docs = (state.documents ??= []);
  const r = rec.request(requestId)!;
  const short = shortRequestId(caseId, requestId);
  const step = `${short}-${kind}`;
  let d = docs.find((x) => x.requestId === requestId && x.kind === kind);
  if (!d) {
    const facts = factsFromCase(state, { requestId, at: rec.now(), ...(opts.additions ? { additions: opts.additions } : {}) });
    const ref = await ctx.step(step, (c) => systems.documents.generateDocument(c, { kind, facts, language: 'en' }));
    d = draftOf(ref, requestId, kind);
    docs.push(d);
    rec.log('request', `${requestId}: ${kind} ${d.documentId} version ${d.version} generated from the case (content sha256 ${d.contentHash})${gapsOf(d)}`);
  }
  if (!approvalBeforeSending(r.kind, kind)) return d;
  const doc = d;
  if (doc.status !== 'APPROVED') {
    r.pendingApproval = { documentId: doc.documentId, version: doc.version, contentHash: doc.contentHash };
    const rule = DOCUMENT_RULES[kind];
    rec.log(
      'request',
      `${requestId}: ${kind} ${doc.documentId} version ${doc.version} waits for approval by a ${rule.approvers.join(' or ')} before it is sent`,
    );
    // The case waits for the approver meanwhile, then for whom it waited before.
    const before = { awaiting: state.awaiting, waitingFor: state.waitingFor };
    rec.await(rule.approvers[0], `approval of the ${rule.title} ${doc.documentId} (${rule.approvers.join(' or ')}) before ${requestId} is sent`);
    await ctx.waitUntil(() => doc.status === 'APPROVED');
    rec.await(before.awaiting, before.waitingFor);
  }
  const a = doc.approval!;
  await ctx.step(`${step}-approval-v${doc.version}`, (c) =>
    systems.documents.recordDocumentApproval(c, {
      documentId: doc.documentId,
      version: doc.version,
      contentHash: doc.contentHash,
      approver: { actor: a.actor, role: a.role, ...(a.actorId ? { actorId: a.actorId } : {}) },
      at: a.at,
    }),
  );
  return doc;
}

/**
 * People approve a document the case's own requests sent or wait to send, or upload a revision of it
 * (the API stores the revision first). Refused, changing nothing: an unknown document; one its request
 * does not wait for (an urgent one already sent may still be approved or revised, for the file, while
 * it is a draft); a role that does not approve its kind; the author where four eyes are needed; a hash
 * that is not the current version's; open gaps.
 */
export function registerDocumentInputs(ctx: CaseContext, { accept, reject }: InputTools): void {
  const { state, rec } = ctx;
  const open = (documentId: string): { d: DocumentSummary; pending: boolean } => {
    const docs = state.documents ?? [];
    const d = docs.find((x) => x.documentId === documentId);
    if (!d)
      reject(
        `documentId: case ${state.caseId} has no document ${documentId}${docs.length ? ` (its documents: ${docs.map((x) => x.documentId).join(', ')})` : ''}`,
      );
    const r = rec.request(d!.requestId);
    const pending = r?.pendingApproval?.documentId === documentId;
    const urgent = r !== undefined && !approvalBeforeSending(r.kind, d!.kind as DocumentKind);
    if (d!.status === 'APPROVED') reject(`documentId: version ${d!.version} of ${documentId} is already approved`);
    if (!pending && !urgent) reject(`documentId: request ${d!.requestId} is ${r?.status ?? 'unknown'}: it is not waiting for ${documentId} to be approved`);
    return { d: d!, pending };
  };
  const checkApproval = (raw: unknown) => {
    const u = accept('approveDocument', ApproveDocumentSchema, raw);
    const { d, pending } = open(u.documentId);
    const refusal = approvalRefusal(d.kind as DocumentKind, u.role, u.actor, d.author?.actor);
    if (refusal) reject(refusal);
    if (u.contentHash !== d.contentHash) {
      reject(
        `contentHash: ${u.contentHash} is not the current version of ${d.documentId} (version ${d.version} is ${d.contentHash}): read it before approving it`,
      );
    }
    if (d.incomplete.length > 0) {
      reject(`documentId: version ${d.version} of ${d.documentId} still has gaps to complete (${d.incomplete.join('; ')}): upload a revision that fills them`);
    }
    return { u, d, pending };
  };
  const checkRevision = (raw: unknown) => {
    const u = accept('reviseDocument', ReviseDocumentSchema, raw);
    const { d, pending } = open(u.documentId);
    if (u.version <= d.version) reject(`version: ${d.documentId} is at version ${d.version}; a revision is a later version, not ${u.version}`);
    if (u.contentHash === d.contentHash) reject(`contentHash: the revision has the text of version ${d.version}: nothing changed`);
    return { u, d, pending };
  };
  setHandler(documentsQuery, () => (state.documents ?? []).map(copy));
  // The version as it stands answers an input the previous run applied, delivered again to this one.
  const again = (raw: unknown) => {
    const id = (raw as { documentId?: unknown } | null)?.documentId;
    const d = (state.documents ?? []).find((x) => x.documentId === id);
    return d ? copy(d) : undefined;
  };
  registerInput(
    ctx,
    approveDocument,
    checkApproval,
    async ({ u, d, pending }) => {
      d.status = 'APPROVED';
      d.approval = { actor: u.actor, role: u.role, ...(u.actorId ? { actorId: u.actorId } : {}), at: rec.now() };
      const r = rec.request(d.requestId);
      if (pending && r) delete r.pendingApproval;
      const title = DOCUMENT_RULES[d.kind as DocumentKind].title;
      rec.input(
        'input',
        `${d.requestId}: ${title} ${d.documentId} version ${d.version} approved ${pending ? 'for sending' : 'for the file (it was sent at once)'} (content sha256 ${d.contentHash})`,
        u,
      );
      rec.publish();
      // The request that waited records it itself; an urgent one already sent is recorded here.
      if (!pending) {
        const { at, ...approver } = d.approval;
        await ctx.sideStep(`${shortRequestId(state.caseId, d.requestId)}-${d.kind}-approval-v${d.version}`, (c) =>
          systems.documents.recordDocumentApproval(c, { documentId: d.documentId, version: d.version, contentHash: d.contentHash, approver, at }),
        );
      }
      return copy(d);
    },
    again,
  );
  registerInput(
    ctx,
    reviseDocument,
    checkRevision,
    ({ u, d, pending }) => {
      Object.assign(d, { version: u.version, contentHash: u.contentHash, incomplete: [...u.incomplete] });
      d.author = { actor: u.actor, role: u.role, ...(u.actorId ? { actorId: u.actorId } : {}) };
      const r = rec.request(d.requestId);
      if (pending && r) r.pendingApproval = { documentId: d.documentId, version: d.version, contentHash: d.contentHash };
      const gaps = d.incomplete.length ? `; ${d.incomplete.length} gap(s) still to complete` : '';
      rec.input(
        'input',
        `${d.requestId}: revision of ${d.documentId} uploaded as version ${d.version} (content sha256 ${d.contentHash})${gaps}; it needs approval`,
        u,
      );
      rec.publish();
      return copy(d);
    },
    again,
  );
}
