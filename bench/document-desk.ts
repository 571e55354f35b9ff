/**
 * The bench's document desk. A request the case runs itself may leave only once a person approved
 * its generated document (the subpoena, the warrant application and affidavit): the moment the
 * document activity returns one, the desk waits for the case to hold it for approval, completes its
 * gaps and approves it, as people at the desk do through the API (client/document-drafts.ts), so a
 * bench case's path includes those updates and nothing waits on a person who is not there.
 */
import type { Client } from '@temporalio/client';
import { completeAndApprove } from '../client/document-drafts';
import type { DocumentService } from '../documents';
import { documentKindOf } from '../workflows/case/awaiting-roles';
import { approvalBeforeSending } from '../workflows/documents';
import { statusQuery } from '../workflows/messages';
import { delay } from './stats';

const DRAFTER = { actor: 'Bench Drafter', role: 'liaison' as const };
const APPROVER = { actor: 'Bench Approver', role: 'manager' as const };
const fill = (label: string) => `Completed for the bench (${label}).`;
/** How long the desk looks for the case to hold a document it just generated (the workflow's next task). */
const LOOK_EVERY_MS = 5;
const LOOK_FOR_MS = 300_000;

/** Acts on one generated document of a case's own request; resolves once approved, or once it needs no approval. */
export async function approveWhenHeld(client: Client, documents: DocumentService, documentId: string): Promise<void> {
  const kind = documentKindOf(documentId);
  const requestId = documentId.slice(0, documentId.lastIndexOf('/'));
  const caseId = documentId.split('/')[0];
  if (!kind) return;
  const until = Date.now() + LOOK_FOR_MS;
  for (;;) {
    // A query the saturated worker did not answer in time is asked again: giving up left the case waiting for ever
    // (six priority-1 cases of 100 parked in WARRANT, their affidavits never approved, and the bench hung).
    const s = await client.workflow
      .getHandle(caseId)
      .query(statusQuery)
      .catch((err: unknown) => {
        if (Date.now() > until) throw err;
        return undefined;
      });
    if (!s) {
      await delay(LOOK_EVERY_MS * 20);
      continue;
    }
    const r = s.requests.find((x) => x.requestId === requestId);
    // Sent at once (approved for the file later, by nobody in a bench), or a case that moved on.
    if (!r || s.stage === 'CLOSED' || !approvalBeforeSending(r.kind, kind)) return;
    const pending = r.pendingApproval;
    // An upload or approval that timed out is tried again from what the case holds then (a revision that landed is approved as it stands).
    const done =
      pending?.documentId === documentId &&
      (await completeAndApprove(client, documents, r.workflowId ?? caseId, pending, { drafter: DRAFTER, approver: APPROVER, fill }).catch((err: unknown) => {
        if (Date.now() > until) throw err;
        return false;
      }));
    if (done) return;
    if (Date.now() > until) throw new Error(`${documentId}: the case never held it for approval`);
    await delay(LOOK_EVERY_MS);
  }
}
