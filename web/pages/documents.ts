/**
 * A case's documents: each with its kind, language, version, DRAFT or APPROVED, the gaps still to
 * complete, who wrote and who approved each version, and its content hash (what an approval names).
 * Preview opens the sending PDF in the browser's own viewer; the DOCX is for editing. The approve
 * form is offered to the roles that approve the document's kind, for a version with no gaps; the revision
 * upload to the roles that revise one. The request's workflow still decides (four eyes, a version
 * that moved on): its refusal comes back on this page, and nothing changes.
 */
import crypto from 'node:crypto';
import { INPUT_RULES } from '../../workflows/access';
import { DOCUMENT_RULES, type DocumentKind } from '../../workflows/documents/kinds';
import { html, type Html } from '../../platform/html';
import { when } from '../format';
import type { Session } from '../sessions';

interface PersonView {
  actor: string;
  role: string;
  actorId?: string;
}

export interface DocumentVersionView {
  version: number;
  contentHash: string;
  status: 'DRAFT' | 'APPROVED';
  source: 'generated' | 'uploaded';
  createdAt: string;
  author?: PersonView;
  incomplete: string[];
  approval?: PersonView & { at: string };
}

export interface DocumentView {
  documentId: string;
  shortId: string;
  requestId?: string;
  kind: string;
  language: string;
  version: number;
  status: 'DRAFT' | 'APPROVED';
  contentHash: string;
  incomplete: string[];
  approval?: PersonView & { at: string };
  versions: DocumentVersionView[];
}

/** What a form about one document came back with, shown beside that document: a refusal, or what was recorded. */
export interface DocumentFormResult {
  shortId: string;
  /** The form it came from: a refused upload marks the file field. */
  form?: 'approve' | 'revise';
  refused?: string;
  done?: string;
}

const may = (s: Session, roles: readonly string[]) => s.person.roles.some((r) => roles.includes(r));
/** Who approves this kind (the request's workflow checks the same rule); any approving role for a kind this page does not know. */
const approversOf = (kind: string): readonly string[] =>
  kind in DOCUMENT_RULES ? DOCUMENT_RULES[kind as DocumentKind].approvers : INPUT_RULES.approveDocument.roles;

const titleOf = (kind: string): string => (kind in DOCUMENT_RULES ? DOCUMENT_RULES[kind as DocumentKind].title : kind);
const capitalised = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/** The page's links to a version's file: the document id travels as a query value (it has a `/`). */
export function fileHref(caseId: string, shortId: string, opts: { format: 'pdf' | 'docx'; version?: number; inline?: boolean }): string {
  const q = new URLSearchParams({ doc: shortId, format: opts.format });
  if (opts.version !== undefined) q.set('version', String(opts.version));
  if (opts.inline) q.set('inline', '1');
  return `/web/cases/${caseId}/documents/file?${q.toString()}`;
}

function documentCard(s: Session, caseId: string, d: DocumentView, result?: DocumentFormResult): Html {
  const id = `doc-${d.shortId.replace(/[^a-z0-9-]/g, '-')}`;
  const approvable = d.status === 'DRAFT' && d.incomplete.length === 0 && d.requestId !== undefined;
  const offerApprove = approvable && may(s, approversOf(d.kind));
  const offerRevise = d.status === 'DRAFT' && d.requestId !== undefined && may(s, INPUT_RULES.reviseDocument.roles);
  const mine = result?.shortId === d.shortId ? result : undefined;
  const refused = mine?.refused !== undefined;
  return html`<section class="card" data-document="${d.shortId}" aria-labelledby="${id}">
    <h2 id="${id}">
      ${capitalised(titleOf(d.kind))} (${d.language}) — version ${d.version}, <span class="badge" data-document-status="${d.status}">${d.status}</span>
    </h2>
    ${mine?.done ? html`<p class="notice" role="status">Recorded: ${mine.done}.</p>` : ''}
    ${refused ? html`<p class="alert" role="alert" id="${id}-error">Not recorded: ${mine?.refused}</p>` : ''}
    <dl class="facts">
      <dt>Request</dt>
      <dd>${d.requestId ?? 'none (needs no approval)'}</dd>
      <dt>Content hash</dt>
      <dd><code data-content-hash>${d.contentHash}</code></dd>
      <dt>Gaps to complete</dt>
      <dd data-gaps="${d.incomplete.length}">
        ${
          d.incomplete.length === 0
            ? 'none'
            : html`<ul>
                ${d.incomplete.map((g) => html`<li>${g}</li>`)}
              </ul>`
        }
      </dd>
      ${
        d.approval
          ? html`<dt>Approved</dt>
              <dd>by ${d.approval.actor} (${d.approval.role}), <time datetime="${d.approval.at}">${when(d.approval.at)}</time></dd>`
          : ''
      }
    </dl>
    <p>
      <a href="${fileHref(caseId, d.shortId, { format: 'pdf', inline: true })}" target="_blank" rel="noopener">Preview the PDF</a> ·
      <a href="${fileHref(caseId, d.shortId, { format: 'pdf' })}">Download the PDF</a> ·
      <a href="${fileHref(caseId, d.shortId, { format: 'docx' })}">Download the DOCX to edit</a>
    </p>
    ${
      offerApprove
        ? html`<form class="input" method="post" action="/web/cases/${caseId}/documents/approve" data-form="approve:${d.shortId}">
            <input type="hidden" name="_csrf" value="${s.csrf}" />
            <input type="hidden" name="_key" value="${crypto.randomUUID()}" />
            <input type="hidden" name="doc" value="${d.shortId}" />
            <input type="hidden" name="contentHash" value="${d.contentHash}" />
            <button class="primary" type="submit">Approve version ${d.version} for sending</button>
          </form>`
        : d.status === 'DRAFT' && d.incomplete.length > 0
          ? html`<p class="muted">Complete the gaps in the DOCX and upload it before it can be approved.</p>`
          : ''
    }
    ${
      offerRevise
        ? html`<form class="input" method="post" action="/web/cases/${caseId}/documents/revise" enctype="multipart/form-data" data-form="revise:${d.shortId}">
            <input type="hidden" name="_csrf" value="${s.csrf}" />
            <input type="hidden" name="doc" value="${d.shortId}" />
            <input type="hidden" name="basedOn" value="${String(d.version)}" />
            <label for="${id}-file">Edited DOCX, based on version ${d.version} (required)</label
            ><input
              id="${id}-file"
              name="file"
              type="file"
              accept=".docx"
              required${refused && mine?.form === 'revise' ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}
            />
            <button type="submit">Upload as version ${d.version + 1}</button>
          </form>`
        : ''
    }
    <table>
      <caption>
        Versions
      </caption>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Status</th>
          <th scope="col">Source</th>
          <th scope="col">Written by</th>
          <th scope="col">Created</th>
          <th scope="col">Approved by</th>
          <th scope="col">File</th>
        </tr>
      </thead>
      <tbody>
        ${[...d.versions].reverse().map(
          (v) =>
            html`<tr data-version="${String(v.version)}">
              <td>${String(v.version)}</td>
              <td>${v.status}</td>
              <td>${v.source}</td>
              <td>${v.author ? `${v.author.actor} (${v.author.role})` : 'the system'}</td>
              <td><time datetime="${v.createdAt}">${when(v.createdAt)}</time></td>
              <td>${v.approval ? `${v.approval.actor} (${v.approval.role})` : '—'}</td>
              <td><a href="${fileHref(caseId, d.shortId, { format: 'pdf', version: v.version })}">PDF of version ${String(v.version)}</a></td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

export function documentsBody(s: Session, caseId: string, documents: DocumentView[], result?: DocumentFormResult): Html {
  return html`<h1>Documents of case ${caseId}</h1>
    <p><a href="/web/cases/${caseId}">Back to the case</a></p>
    ${documents.length === 0 ? html`<p>This case has no documents yet: they are drawn up when a request needs one (an MLAT, an extradition).</p>` : ''}
    ${result?.refused && !documents.some((d) => d.shortId === result.shortId) ? html`<p class="alert" role="alert">Not recorded: ${result.refused}</p>` : ''}
    ${documents.map((d) => documentCard(s, caseId, d, result))}`;
}
