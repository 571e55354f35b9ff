/**
 * The people at the document desk, for tests whose subject is not the approval itself: when a
 * request waits for a document, a liaison completes the draft's gaps in the DOCX (as in a word
 * processor) and uploads it, and a manager approves the version — each through the same update a
 * person's API call sends, refused by the same validators. Tests of approval turn it off.
 */
import { approverOf as approverFor, completeAndApprove, fillDocxGaps, uploadRevision as upload } from '../../client/document-drafts';
import { answered } from '../harness/answered';
import type { Client } from '@temporalio/client';
import type { DocumentService } from '../../documents';
import { statusQuery, type ApproveDocument, type RequestSummary, type ReviseDocument } from '../../workflows/messages';

export const DRAFTER = { actor: 'D. Drafter', role: 'liaison' as const };
export const APPROVER = { actor: 'M. Approver', role: 'manager' as const };
const COMPLETED = (label: string) => `Completed by the drafter (${label}).`;

/** Fills every `[[TO COMPLETE: …]]` of a DOCX body with text, as a person editing it would. */
export function completeDocx(docx: Uint8Array, fill: (label: string) => string = COMPLETED): Promise<Buffer> {
  return fillDocxGaps(docx, fill);
}

/** A person's revision as the API makes it (client/document-drafts.ts); `complete: false` leaves a gap open. */
export function uploadRevision(
  client: Client,
  documents: DocumentService,
  runnerId: string,
  documentId: string,
  opts: { by?: { actor: string; role: ReviseDocument['role'] }; complete?: boolean } = {},
) {
  const fill = opts.complete === false ? () => '[[TO COMPLETE: still open]]' : COMPLETED;
  return upload(client, documents, runnerId, documentId, opts.by ?? DRAFTER, fill);
}

/** The approver of a kind: the manager where a manager approves it, else a person of the role that does (never the drafter). */
export function approverOf(kind: string): { actor: string; role: ApproveDocument['role'] } {
  return approverFor(kind, APPROVER);
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
      const runner = r.workflowId ?? caseId;
      if (!(await completeAndApprove(client, documents, runner, pending, { drafter: DRAFTER, approver: APPROVER, fill: COMPLETED }))) continue;
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
