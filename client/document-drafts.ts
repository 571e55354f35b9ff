/**
 * What the people at a document desk do, for the demo, the bench and the tests whose subject is not
 * the approval itself: every `[[TO COMPLETE: …]]` gap in a draft's DOCX body replaced by their text
 * (as in a word processor; the DOCX keeps its styles, so CaseBridge reads it back as the same blocks
 * with the gaps filled), uploaded as a revision, and approved by a role that approves the kind —
 * each through the same update a person's API call sends, refused by the same validators.
 */
import JSZip from 'jszip';
import type { Client } from '@temporalio/client';
import type { DocumentService } from '../documents';
import { DOCUMENT_RULES, type DocumentKind } from '../workflows/documents';
import { approveDocument, reviseDocument, type ApproveDocument, type DocumentSummary, type ReviseDocument } from '../workflows/messages';

/** Every gap of the DOCX body filled with `fill(label)`. */
export async function fillDocxGaps(docx: Uint8Array, fill: (label: string) => string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const body = zip.file('word/document.xml');
  if (!body) throw new Error('not a DOCX document (no word/document.xml)');
  const xml = await body.async('string');
  zip.file(
    'word/document.xml',
    xml.replace(/\[\[TO COMPLETE: ([^\]]*)\]\]/g, (_m, label: string) => fill(label)),
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** A person at the desk: who uploads a completed draft, or approves a version. */
export interface DeskPerson {
  actor: string;
  role: ReviseDocument['role'];
}

/**
 * A person's revision as the API makes it: the current version's DOCX with its gaps filled, stored as
 * the next version, then the request's workflow (`runnerId`) told its id and hash by the same update a
 * person's upload sends.
 */
export async function uploadRevision(
  client: Client,
  documents: DocumentService,
  runnerId: string,
  documentId: string,
  by: DeskPerson,
  fill: (label: string) => string,
): Promise<DocumentSummary> {
  const latest = (await documents.record(documentId)).versions.at(-1)!;
  const docx = (await documents.render(documentId, latest.version, 'docx')).bytes;
  const stored = await documents.uploadRevision({ documentId, docx: await fillDocxGaps(docx, fill), author: by, basedOn: latest.version });
  const revision: ReviseDocument = { ...by, documentId, version: stored.version, contentHash: stored.contentHash, incomplete: stored.incomplete };
  return client.workflow.getHandle(runnerId).executeUpdate(reviseDocument, { args: [revision] });
}

/** The approver of a kind: `fallback` where its role approves it, else a person of the first role that does (never the drafter). */
export function approverOf(kind: string, fallback: DeskPerson): DeskPerson {
  const approvers = DOCUMENT_RULES[kind as DocumentKind]?.approvers ?? [fallback.role];
  return approvers.includes(fallback.role) ? fallback : { actor: fallback.actor, role: approvers[0] };
}

/**
 * The desk's work on one version a request waits for: a drafter completes its gaps (a new version),
 * then an approver of its kind approves the version the workflow holds. False when the stored record is
 * ahead of the workflow (a revision it has not heard of yet): the caller looks again later.
 */
export async function completeAndApprove(
  client: Client,
  documents: DocumentService,
  runnerId: string,
  pending: { documentId: string; contentHash: string },
  people: { drafter: DeskPerson; approver: DeskPerson; fill: (label: string) => string },
): Promise<boolean> {
  const record = await documents.record(pending.documentId);
  const latest = record.versions.at(-1)!;
  let hash = pending.contentHash;
  if (latest.incomplete.length > 0) {
    hash = (await uploadRevision(client, documents, runnerId, pending.documentId, people.drafter, people.fill)).contentHash;
  } else if (latest.contentHash !== pending.contentHash) {
    return false;
  }
  const approval: ApproveDocument = { ...approverOf(record.kind, people.approver), documentId: pending.documentId, contentHash: hash };
  await client.workflow.getHandle(runnerId).executeUpdate(approveDocument, { args: [approval] });
  return true;
}
