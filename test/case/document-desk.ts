/**
 * The people at the document desk, for tests whose subject is not the approval itself: when a
 * request waits for a document, a liaison completes the draft's gaps in the DOCX (as in a word
 * processor) and uploads it, and a manager approves the version — each through the same update a
 * person's API call sends, refused by the same validators. Tests of approval turn it off.
 */
import { fillDocxGaps } from '../../client/document-drafts';
import { answered } from '../harness/answered';
import type { Client } from '@temporalio/client';
import type { DocumentService } from '../../documents';
import { DOCUMENT_RULES, type DocumentKind } from '../../workflows/documents';
import { approveDocument, reviseDocument, statusQuery, type ApproveDocument, type RequestSummary, type ReviseDocument } from '../../workflows/messages';

export const DRAFTER = { actor: 'D. Drafter', role: 'liaison' as const };
export const APPROVER = { actor: 'M. Approver', role: 'manager' as const };

/** Fills every `[[TO COMPLETE: …]]` of a DOCX body with text, as a person editing it would. */
export function completeDocx(docx: Uint8Array, fill: (label: string) => string = (label) => `Completed by the drafter (${label}).`): Promise<Buffer> {
  return fillDocxGaps(docx, fill);
}

/** A person's revision as the API makes it: the DOCX stored as the next version, then the request's workflow told its id and hash. */
export async function uploadRevision(
  client: Client,
  documents: DocumentService,
  runnerId: string,
  documentId: string,
  opts: { by?: { actor: string; role: ReviseDocument['role'] }; complete?: boolean } = {},
) {
  const by = opts.by ?? DRAFTER;
  const latest = (await documents.record(documentId)).versions.at(-1)!;
  const docx = (await documents.render(documentId, latest.version, 'docx')).bytes;
  const edited = opts.complete === false ? await completeDocx(docx, () => '[[TO COMPLETE: still open]]') : await completeDocx(docx);
  const stored = await documents.uploadRevision({ documentId, docx: edited, author: by, basedOn: latest.version });
  const revision: ReviseDocument = { ...by, documentId, version: stored.version, contentHash: stored.contentHash, incomplete: stored.incomplete };
  return client.workflow.getHandle(runnerId).executeUpdate(reviseDocument, { args: [revision] });
}

/** The approver of a kind: the manager where a manager approves it, else a person of the role that does (never the drafter). */
export function approverOf(kind: string): { actor: string; role: ApproveDocument['role'] } {
  const approvers = DOCUMENT_RULES[kind as DocumentKind]?.approvers ?? [APPROVER.role];
  return approvers.includes(APPROVER.role) ? APPROVER : { actor: APPROVER.actor, role: approvers[0] };
}

export interface DocumentDesk {
  /** Completes and approves every document a request of `caseIds` waits for now; returns how many were approved. */
  pass(): Promise<number>;
  /** Keeps passing in the background until stopped. */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

/** `caseIds`: the cases to look after; a case that is no longer running is dropped from it (a query would replay its whole history). */
export function documentDesk(
  client: Client,
  documents: DocumentService,
  caseIds: Set<string>,
  /** Which requests' documents it looks after (default: every request's). */
  only: (r: RequestSummary) => boolean = () => true,
): DocumentDesk {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  const handle = async (caseId: string): Promise<number> => {
    const h = client.workflow.getHandle(caseId);
    if ((await answered(client, () => h.describe())).status.name !== 'RUNNING') {
      caseIds.delete(caseId);
      return 0;
    }
    const status = await answered(client, () => h.query(statusQuery));
    let approved = 0;
    for (const r of status.requests) {
      const pending = r.pendingApproval;
      if (!pending || !only(r)) continue;
      const runner = client.workflow.getHandle(r.workflowId ?? caseId);
      let hash = pending.contentHash;
      const record = await documents.record(pending.documentId);
      const latest = record.versions.at(-1)!;
      if (latest.incomplete.length > 0) {
        hash = (await uploadRevision(client, documents, runner.workflowId, pending.documentId)).contentHash;
      } else if (latest.contentHash !== pending.contentHash) continue; // a revision the workflow has not heard of yet
      const approval: ApproveDocument = { ...approverOf(record.kind), documentId: pending.documentId, contentHash: hash };
      await runner.executeUpdate(approveDocument, { args: [approval] });
      approved++;
    }
    return approved;
  };
  const pass = async (): Promise<number> => {
    // One pass at a time: a background pass and a test's own never race on the same document.
    while (running) await running.catch(() => 0);
    running = (async () => {
      let n = 0;
      for (const caseId of [...caseIds]) {
        n += await handle(caseId).catch(() => 0); // a closed case, or a request that moved on meanwhile
      }
      return n;
    })();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };
  return {
    pass,
    start(intervalMs = 200) {
      const tick = () => {
        timer = setTimeout(() => void pass().finally(() => timer !== undefined && tick()), intervalMs);
      };
      tick();
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => 0);
    },
  };
}
