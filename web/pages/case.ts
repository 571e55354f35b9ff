/**
 * A case's page: where it stands, what it waits for and from whom, every open deadline with its legal
 * source and a countdown, every request with its state, the timeline (actor, role, time), linked
 * cases — and a form for each input the person may give now. What is offered is decided by the same
 * tables the case's validators read: the roles of workflows/access.ts, the stage rules of the case
 * inputs, and for a response the request machine's transitions from the request's current status
 * (`allowedOutcomes`), with the reference or refusal ground each needs. The case still has the last
 * word: a refusal comes back next to the field it names, and nothing changes.
 */
import { gradeScalesInWords } from '../../workflows/policy';
import crypto from 'node:crypto';
import { INPUT_RULES } from '../../workflows/access';
import { closingWaitsForSafeguarding, type CaseStatus, type CustodyStatus, type RequestSummary, type TimelineEntry } from '../../workflows/messages';
import { requestPathId } from '../../workflows/requests/ids';
import { allowedOutcomes, isTerminal, machineFor, type Transition } from '../../workflows/requests/machines';
import type { PersonRole, Role } from '../../workflows/vocabulary';
import { html, type Html, type HtmlValue } from '../../platform/html';
import { countdown, urgency, when } from '../format';
import type { Session } from '../sessions';
import { formName, type CaseInputForm, type FieldSpec } from './input-spec';
import { POST_ARREST_INPUTS } from './post-arrest-inputs';

/** A refused submission, shown again with the case's reason next to the field. */
export interface FormError {
  form: string;
  field?: string;
  detail: string;
  values: Record<string, string>;
}

/** The case inputs a page offers, by their API path; `when` is the stage rule the case's validator applies (workflows/case/inputs.ts). */
export const CASE_INPUTS: CaseInputForm[] = [
  {
    path: 'resolve-jurisdiction',
    input: 'resolveJurisdiction',
    label: 'Resolve jurisdiction',
    when: (s) => s.stage === 'JURISDICTION',
    fields: [
      { name: 'suspectCountry', label: 'Suspect’s country', kind: 'country', required: true, hint: 'ISO 3166-1 alpha-2, e.g. US, DE, GB' },
      { name: 'dataCountry', label: 'Where the data is held (if not where the provider said)', kind: 'country', required: false },
      { name: 'reason', label: 'Why (for the timeline)', kind: 'textarea', required: false },
    ],
  },
  {
    path: 'amend-reapply',
    input: 'amendAndReapply',
    label: 'Amend and reapply for the warrant',
    when: (s) => s.stage === 'WARRANT' && s.awaiting === 'coordinator',
    fields: [{ name: 'amendment', label: 'What the amended application changes', kind: 'textarea', required: true }],
  },
  {
    path: 'retry',
    input: 'retryStep',
    label: 'Retry the failed step',
    when: (s) => s.stage === 'NEEDS_ATTENTION' && s.attention !== null,
    fields: [{ name: 'reason', label: 'Why it should work now', kind: 'textarea', required: false }],
  },
  {
    path: 'close',
    input: 'closeCase',
    label: 'Close as unresolved',
    when: (s) => s.stage === 'NEEDS_ATTENTION',
    fields: [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true }],
  },
  {
    path: 'notes',
    input: 'addNote',
    label: 'Add a note',
    when: (s) => s.stage !== 'CLOSED',
    fields: [{ name: 'text', label: 'Note', kind: 'textarea', required: true }],
  },
  {
    path: 'withdraw',
    input: 'withdraw',
    label: 'Withdraw the case',
    when: (s) => s.stage !== 'CLOSED',
    fields: [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true }],
  },
  // Before the warrant (issue 14): the same routes and rules as the API's and the CLI's.
  {
    path: 'assess-danger',
    input: 'assessDanger',
    label: 'Grade the danger to the child',
    when: (s) => s.stage !== 'CLOSED',
    fields: [
      {
        name: 'grade',
        label: 'Grade',
        kind: 'text',
        required: true,
        hint: `on the home country’s scale (${gradeScalesInWords()}); the top grade confirms imminent danger`,
      },
      { name: 'reasons', label: 'What the decision rests on', kind: 'textarea', required: true },
    ],
  },
  {
    path: 'disseminate',
    input: 'disseminate',
    label: 'Disseminate the referral to a force',
    when: (s) => s.stage === 'DISSEMINATION',
    fields: [
      { name: 'unit', label: 'The force or regional unit', kind: 'text', required: true },
      { name: 'reason', label: 'Why this force or unit', kind: 'textarea', required: true },
    ],
  },
  {
    path: 'child-at-risk',
    input: 'reportChildAtRisk',
    label: 'Report a child identified or at risk',
    when: (s) => s.stage !== 'CLOSED',
    fields: [
      { name: 'child', label: 'The child', kind: 'text', required: true, options: ['identified', 'at-risk'] },
      { name: 'reason', label: 'Why the child is at risk', kind: 'textarea', required: true },
    ],
  },
  {
    path: 'close-while-safeguarding',
    input: 'closeWhileSafeguarding',
    label: 'Let the case close while the safeguarding goes on',
    when: closingWaitsForSafeguarding,
    fields: [{ name: 'reason', label: 'Why the case may close first', kind: 'textarea', required: true }],
  },
  {
    path: 'records-order',
    input: 'requestRecordsOrder',
    label: 'Apply for a § 2703(d) order',
    when: (s) => s.stage === 'JURISDICTION' && !!s.subscriber && s.subscriber.outcome !== 'identified',
    fields: [{ name: 'facts', label: 'The specific and articulable facts', kind: 'textarea', required: true }],
  },
  {
    path: 'warrant-return',
    input: 'returnWarrant',
    label: 'Return the search warrant',
    when: (s) => !!s.warrantReturn && !s.warrantReturn.returnedAt,
    fields: [
      { name: 'inventory', label: 'The verified inventory', kind: 'textarea', required: true },
      { name: 'items', label: 'Items listed', kind: 'count', required: true },
    ],
  },
  {
    path: 'review-extension',
    input: 'extendReview',
    label: 'Record the court’s extension of the off-site review',
    when: (s) => !!s.warrantReturn && !s.warrantReturn.reviewCompletedAt,
    fields: [
      { name: 'until', label: 'Extended until', kind: 'text', required: true, hint: 'ISO 8601, e.g. 2027-03-01T00:00:00Z' },
      { name: 'courtOrder', label: 'The court’s order', kind: 'text', required: true },
      { name: 'reason', label: 'Why the court extended it', kind: 'textarea', required: false },
    ],
  },
  {
    path: 'review-complete',
    input: 'completeReview',
    label: 'Record the off-site review complete',
    when: (s) => !!s.warrantReturn && !s.warrantReturn.reviewCompletedAt,
    fields: [{ name: 'summary', label: 'What the review found', kind: 'textarea', required: true }],
  },
  // After the arrest (issue 15): the same routes and rules as the API's and the CLI's.
  ...POST_ARREST_INPUTS,
];

/** The role a person gives an input in: the first of theirs the rule allows (as the API chooses). */
export function roleFor(person: { roles: readonly PersonRole[] }, allowed: readonly string[]): Role | undefined {
  return person.roles.find((r) => allowed.includes(r)) as Role | undefined;
}

/** The outcomes a person may record on a request now, each with the transition (what it needs) and the role it is recorded in. */
export function responseChoices(person: { roles: readonly PersonRole[] }, r: RequestSummary): { outcome: string; role: Role; t: Transition }[] {
  const machine = machineFor(r.kind);
  if (!machine) return [];
  const out: { outcome: string; role: Role; t: Transition }[] = [];
  for (const role of person.roles) {
    for (const outcome of allowedOutcomes(r, role as Role)) {
      if (out.some((o) => o.outcome === outcome)) continue;
      const t = machine.transitions.find((x) => x.outcome === outcome && x.from.includes(r.status) && x.by.includes(role as Role))!;
      out.push({ outcome, role: role as Role, t });
    }
  }
  return out;
}

/** Roles that work the case itself see who the tip names; managers and others see the case without it. */
const SEES_SUSPECT: readonly PersonRole[] = ['coordinator', 'liaison', 'analyst'];

const shortId = (requestId: string) => requestId.slice(requestId.indexOf('/') + 1);

function fieldHtml(formKey: string, f: FieldSpec, err: FormError | undefined, extra?: { options?: readonly string[] }): Html {
  const id = `${formKey.replace(/[^a-z0-9]/gi, '-')}-${f.name}`;
  const mine = err && err.form === formKey ? err : undefined;
  const bad = mine?.field === f.name;
  const value = mine?.values[f.name] ?? '';
  const describedBy = [f.hint ? `${id}-hint` : '', bad ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attrs = html`id="${id}"
  name="${f.name}"${f.required ? html` required` : ''}${bad ? html` aria-invalid="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}`;
  let control: Html;
  const options = extra?.options ?? f.options ?? (f.kind === 'yes-no' ? ['yes', 'no'] : undefined);
  if (options)
    control = html`<select ${attrs}>
      ${f.required ? '' : html`<option value="">—</option>`}${options.map(
        (o) => html`<option value="${o}" ${o === value ? html` selected` : ''}>${o}</option>`,
      )}
    </select>`;
  else if (f.kind === 'textarea') control = html`<textarea ${attrs} rows="2">${value}</textarea>`;
  else if (f.kind === 'count') control = html`<input ${attrs} value="${value}" inputmode="numeric" autocomplete="off" />`;
  else if (f.kind === 'country') control = html`<input ${attrs} value="${value}" maxlength="2" autocomplete="off" class="country" />`;
  else control = html`<input ${attrs} value="${value}" autocomplete="off" />`;
  return html`<label for="${id}">${f.label}${f.required ? ' (required)' : ''}</label
    >${f.hint ? html`<span class="muted" id="${id}-hint">${f.hint}</span>` : ''}${control}${
      bad ? html`<p class="error" id="${id}-error" role="alert">${mine.detail}</p>` : ''
    }`;
}

function formHtml(o: {
  key: string;
  action: string;
  legend: string;
  session: Session;
  fields: Html[];
  err: FormError | undefined;
  submit: string;
  role: Role;
  knownFields: string[];
}): Html {
  const mine = o.err && o.err.form === o.key ? o.err : undefined;
  const general = mine && (!mine.field || !o.knownFields.includes(mine.field));
  return html`<fieldset data-form="${o.key}">
    <legend>${o.legend}</legend>
    <form class="input" method="post" action="${o.action}">
      <input type="hidden" name="_csrf" value="${o.session.csrf}" /><input type="hidden" name="_key" value="${crypto.randomUUID()}" /><input
        type="hidden"
        name="_form"
        value="${o.key}"
      />
      ${general ? html`<p class="error" role="alert">${mine.detail}</p>` : ''} ${o.fields}
      <span class="muted">as ${o.role}</span>
      <button class="primary" type="submit">${o.submit}</button>
    </form>
  </fieldset>`;
}

function requestForms(session: Session, s: CaseStatus, r: RequestSummary, err: FormError | undefined): Html[] {
  return responseChoices(session.person, r).map(({ outcome, role, t }) => {
    const key = `respond:${requestPathId(s.caseId, r.requestId)}:${outcome}`;
    const needs = t.requires ?? [];
    const fields: Html[] = [html`<input type="hidden" name="outcome" value="${outcome}" />`];
    const known = ['outcome', 'note'];
    if (t.grounds || needs.includes('reason')) {
      known.push('reason');
      const spec: FieldSpec = { name: 'reason', label: t.grounds ? 'Ground' : 'Reason', kind: 'text', required: needs.includes('reason') };
      fields.push(fieldHtml(key, spec, err, t.grounds ? { options: t.grounds } : undefined));
    }
    known.push('reference');
    fields.push(
      fieldHtml(
        key,
        { name: 'reference', label: 'Their reference', kind: 'text', required: needs.includes('reference'), ...(needs.includes('reference') ? {} : {}) },
        err,
      ),
    );
    fields.push(fieldHtml(key, { name: 'note', label: 'Note', kind: 'textarea', required: false }, err));
    return formHtml({
      key,
      action: `/web/cases/${s.caseId}/requests/${encodeURIComponent(requestPathId(s.caseId, r.requestId))}/responses`,
      legend: `${requestPathId(s.caseId, r.requestId)}: ${outcome}`,
      session,
      fields,
      err,
      submit: `Record “${outcome}”`,
      role,
      knownFields: known,
    });
  });
}

/** The case inputs offered to a person now: each with the role they would act in and the choices the case and that role allow. */
export function offeredInputs(
  person: { roles: readonly PersonRole[] },
  s: CaseStatus,
): { i: CaseInputForm; role: Role; choices: Map<string, readonly string[]> }[] {
  return CASE_INPUTS.flatMap((i) => {
    const role = roleFor(person, INPUT_RULES[i.input].roles);
    if (!role || !i.when(s, role)) return [];
    const choices = new Map(i.fields.filter((f) => f.choices).map((f) => [f.name, f.choices!(s, role)]));
    // A required choice with none left: nothing this person could send would be taken.
    if (i.fields.some((f) => f.required && choices.get(f.name)?.length === 0)) return [];
    return [{ i, role, choices }];
  });
}

function inputForms(session: Session, s: CaseStatus, err: FormError | undefined): Html[] {
  return offeredInputs(session.person, s).map(({ i, role, choices }) => {
    const key = `input:${formName(i)}`;
    return formHtml({
      key,
      action: `/web/cases/${s.caseId}/inputs/${formName(i)}`,
      legend: i.label,
      session,
      fields: i.fields.map((f) => fieldHtml(key, f, err, choices.has(f.name) ? { options: choices.get(f.name)! } : undefined)),
      err,
      submit: i.label,
      role,
      knownFields: i.fields.map((f) => f.name),
    });
  });
}

/** The custody and charging record in a line: the law, the custody, the decision, the clocks that ran out. */
function custodyLine(c: CustodyStatus): string {
  const parts = [`${c.law} law, arrested ${when(c.arrestedAt)}${c.via === 'extradition' ? ' on arrival' : ''}${c.warrantless ? ' without a warrant' : ''}`];
  if (c.initialAppearanceAt) parts.push(`initial appearance ${when(c.initialAppearanceAt)}`);
  if (c.custody) parts.push(c.custody);
  if (c.detentionHearing) parts.push(`detention hearing ${c.detentionHearing}`);
  if (c.excluded.length) parts.push(`${c.excluded.reduce((n, e) => n + e.days, 0)} day(s) excluded`);
  if (c.prosecution) parts.push(`prosecution ${c.prosecution.decision}${c.prosecution.partner ? ` (referred to ${c.prosecution.partner})` : ''}`);
  if (c.indictment) parts.push(`indicted (${c.indictment})`);
  if (c.detentionUntil && !c.decision) parts.push(`detention until ${when(c.detentionUntil)}`);
  if (c.decision) parts.push(c.decision.decision);
  if (c.bail) parts.push(`bail until ${when(c.bail.endsAt)}`);
  if (c.missed.length) parts.push(`missed: ${c.missed.map((m) => m.name).join(', ')}`);
  return parts.join('; ');
}

function deadlineRow(d: CaseStatus['deadlines'][number], now: number): Html {
  return html`<tr>
    <td>${d.name}${d.requestId ? html` <span class="muted">(${shortId(d.requestId)})</span>` : ''}</td>
    <td><time datetime="${d.dueAt}">${when(d.dueAt)}</time></td>
    <td><span data-due="${d.dueAt}" class="${urgency(d.dueAt, now)}">${countdown(d.dueAt, now)}</span></td>
    <td>${d.source}</td>
  </tr>`;
}

function requestRow(r: RequestSummary): Html {
  const settled = isTerminal(r.kind, r.status);
  return html`<tr>
    <td>${shortId(r.requestId)}</td>
    <td>${machineFor(r.kind)?.description ?? r.kind}</td>
    <td><span class="badge">${r.status}</span>${settled ? html` <span class="muted">settled</span>` : ''}</td>
    <td>${r.awaiting ?? '—'}</td>
    <td>${r.reference ?? ''}</td>
    <td>${r.reason ?? ''}${r.attention ? html`<p class="error">${r.attention}</p>` : ''}</td>
    <td><time datetime="${r.openedAt}">${when(r.openedAt)}</time></td>
  </tr>`;
}

function timelineRow(e: TimelineEntry): Html {
  return html`<tr>
    <td><time datetime="${e.at}">${when(e.at)}</time></td>
    <td>${e.stage}</td>
    <td>${e.kind}</td>
    <td>${e.actor}</td>
    <td>${e.role ?? ''}</td>
    <td>${e.detail}</td>
  </tr>`;
}

function table(caption: string, head: string[], rows: HtmlValue[], empty: string): Html {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table>
    <caption class="skip">
      ${caption}
    </caption>
    <thead>
      <tr>
        ${head.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

export function caseBody(session: Session, s: CaseStatus, timeline: TimelineEntry[], opts: { err?: FormError; done?: string } = {}): Html {
  const now = Date.now();
  const sees = session.person.roles.some((r) => SEES_SUSPECT.includes(r));
  const openRequests = s.requests.filter((r) => !isTerminal(r.kind, r.status));
  const respondForms = openRequests.flatMap((r) => requestForms(session, s, r, opts.err));
  const forms = [...respondForms, ...inputForms(session, s, opts.err)];
  // A refusal for a form this page does not offer (a hand-made POST, a state that moved on): said at the top.
  const orphan = opts.err && !forms.some((f) => f.text.includes(`data-form="${opts.err!.form.replace(/"/g, '')}"`));
  return html`<h1>Case ${s.caseId}</h1>
    <p><a href="/web/cases/${s.caseId}/documents" data-link="documents">Documents of this case</a></p>
    ${opts.done ? html`<p class="notice" role="status">Recorded: ${opts.done}.</p>` : ''}
    ${orphan ? html`<p class="alert" role="alert">Not recorded: ${opts.err!.detail}</p>` : ''}
    <section class="card" data-region="summary" aria-labelledby="h-summary">
      <h2 id="h-summary">Where it stands</h2>
      <dl class="facts">
        <dt>Stage</dt>
        <dd><span class="badge" data-stage="${s.stage}">${s.stage}</span> since <time datetime="${s.stageEnteredAt}">${when(s.stageEnteredAt)}</time></dd>
        ${
          s.outcome
            ? html`<dt>Outcome</dt>
                <dd>${s.outcome}${s.outcomeReason ? html` — ${s.outcomeReason}` : ''}</dd>`
            : ''
        }
        <dt>Priority</dt>
        <dd>${s.priority ?? '—'}</dd>
        <dt>Awaiting</dt>
        <dd data-awaiting="${s.awaiting ?? ''}">${s.awaiting ?? 'nobody'}${s.waitingFor ? html` — ${s.waitingFor}` : ''}</dd>
        <dt>Suspect’s country</dt>
        <dd>${s.suspectCountry ?? 'unknown'}</dd>
        <dt>Data held in</dt>
        <dd>${s.dataCountry ?? 'unknown'}</dd>
        ${
          s.preservation
            ? html`<dt>Preservation</dt>
                <dd>
                  ${s.preservation.state}${s.preservation.expiresAt ? html`, until <time datetime="${s.preservation.expiresAt}">${when(s.preservation.expiresAt)}</time>` : ''}
                </dd>`
            : ''
        }
        ${
          s.custody
            ? html`<dt>After the arrest</dt>
                <dd data-custody="${s.custody.law}">${custodyLine(s.custody)}</dd>`
            : ''
        }
        ${
          s.attention
            ? html`<dt>Needs attention</dt>
                <dd class="error">${s.attention.step}: ${s.attention.reason}</dd>`
            : ''
        }
        ${
          sees
            ? html`<dt>Reported user</dt>
                <dd>
                  ${s.suspect.screenName ?? '—'}
                  (${s.suspect.espIdentifier})${s.suspect.ipAddresses.length ? html`; IP ${s.suspect.ipAddresses.join(', ')}` : ''}
                </dd>`
            : ''
        }
        ${
          s.linkedCases.length
            ? html`<dt>Linked cases</dt>
                <dd>${s.linkedCases.map((c, i) => html`${i ? ', ' : ''}<a href="/web/cases/${c}">${c}</a>`)}</dd>`
            : ''
        }
      </dl>
    </section>
    <section class="card" data-region="deadlines" aria-labelledby="h-deadlines">
      <h2 id="h-deadlines">Open deadlines</h2>
      ${table(
        'Open deadlines',
        ['Deadline', 'Due', 'Time left', 'Legal source'],
        s.deadlines.map((d) => deadlineRow(d, now)),
        'No open deadline.',
      )}
    </section>
    <section class="card" data-region="requests" aria-labelledby="h-requests">
      <h2 id="h-requests">Requests</h2>
      ${table('Requests', ['Request', 'What', 'State', 'Awaiting', 'Reference', 'Reason', 'Opened'], s.requests.map(requestRow), 'No request yet.')}
    </section>
    <section data-region="forms" aria-labelledby="h-forms">
      <h2 id="h-forms">What you can do now</h2>
      ${forms.length ? html`<div class="forms">${forms}</div>` : html`<p class="muted">Nothing waits for your role on this case now.</p>`}
    </section>
    <section class="card" data-region="timeline" aria-labelledby="h-timeline">
      <h2 id="h-timeline">Timeline</h2>
      ${table('Timeline', ['Time', 'Stage', 'Kind', 'Actor', 'Role', 'Detail'], [...timeline].reverse().map(timelineRow), 'Nothing yet.')}
    </section>`;
}
