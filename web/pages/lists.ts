/**
 * The pages made of case rows: my queue, the managers' board, the cases behind a board number, and
 * the intake's per-tip results. Rows come from the API's visibility-backed routes (search attributes
 * only: no personal data is in them).
 */
import { html, type Html, type HtmlValue } from '../../platform/html';
import type { CaseRow } from '../../client/views';
import { STAGES } from '../../workflows/vocabulary';
import { countdown, span, urgency, when } from '../format';

export interface QueueItem {
  subject: 'case' | 'request' | 'approval' | 'attention';
  requestId?: string;
  kind?: string;
  status?: string;
  what: string;
  deadline?: { name: string; dueAt: string };
}

export interface QueueAnswer {
  role: string;
  awaiting: string[];
  /** `waiting` is what in the case waits for the role (the most urgent cases only; null: the case did not answer). */
  cases: (CaseRow & { waiting?: QueueItem[] | null })[];
  truncated: boolean;
}

/** What waits for the person in one case: each item with its deadline's countdown. */
function waitingCell(r: CaseRow & { waiting?: QueueItem[] | null }, now: number): Html {
  if (r.waiting === undefined) return html`<span class="muted">open the case</span>`;
  if (r.waiting === null) return html`<span class="muted">the case did not answer in time</span>`;
  if (r.waiting.length === 0) return html`<span class="muted">nothing of yours any more</span>`;
  return html`<ul class="waiting">
    ${r.waiting.map(
      (w) =>
        html`<li data-waiting="${w.subject}" ${w.requestId ? html` data-request="${w.requestId}"` : ''}>
          ${w.what}${
            w.deadline
              ? html` — ${w.deadline.name}:
                  <span data-due="${w.deadline.dueAt}" class="${urgency(w.deadline.dueAt, now)}">${countdown(w.deadline.dueAt, now)}</span>`
              : ''
          }
        </li>`,
    )}
  </ul>`;
}

function due(r: { nextDeadline: { name: string; dueAt: string } | null }, now: number): Html {
  if (!r.nextDeadline) return html`<span class="muted">none</span>`;
  const d = r.nextDeadline;
  return html`${d.name}: <span data-due="${d.dueAt}" class="${urgency(d.dueAt, now)}">${countdown(d.dueAt, now)}</span>`;
}

export function caseTable(caption: string, rows: CaseRow[], now = Date.now(), extra?: { head: string; cell: (r: CaseRow) => HtmlValue }): Html {
  if (rows.length === 0) return html`<p class="muted">No case.</p>`;
  return html`<table>
    <caption class="skip">
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">Case</th>
        <th scope="col">Stage</th>
        <th scope="col">Awaiting</th>
        <th scope="col">Next deadline</th>
        <th scope="col">Priority</th>
        <th scope="col">Countries (suspect / data)</th>
        ${extra ? html`<th scope="col">${extra.head}</th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr data-case="${r.caseId}">
            <td><a href="/web/cases/${r.caseId}">${r.caseId}</a></td>
            <td>${r.stage ?? '—'}</td>
            <td>${r.awaiting ?? '—'}</td>
            <td>${due(r, now)}</td>
            <td>${r.priority ?? '—'}</td>
            <td>${r.suspectCountry ?? '?'} / ${r.dataCountry ?? '?'}</td>
            ${extra ? html`<td>${extra.cell(r)}</td>` : ''}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function queueBody(q: QueueAnswer, now = Date.now()): Html {
  return html`<h1>My queue</h1>
    <section class="card" data-region="queue" aria-labelledby="h-queue">
      <h2 id="h-queue">
        Waiting for you as ${q.role} <span class="muted">(${q.awaiting.join(', ')})</span>: <span data-count="queue">${q.cases.length}</span>${
          q.truncated ? ' (more not shown)' : ''
        }
      </h2>
      <p class="muted">Most urgent deadline first.</p>
      ${caseTable('Cases waiting for your role', q.cases, now, {
        head: 'What waits for you',
        cell: (r) => waitingCell(r, now),
      })}
    </section>`;
}

export interface BoardFilters {
  stage?: string;
  country?: string;
  awaiting?: string;
  idle: string;
  within: string;
}

export interface BoardData {
  open: CaseRow[];
  stalled: (CaseRow & { idleMs: number })[];
  deadlines: { caseId: string; name: string; dueAt: string; stage: string | null; awaiting: string | null }[];
  truncated: boolean;
}

const qs = (params: Record<string, string | undefined>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) u.set(k, v);
  return u.toString();
};

/** The board's filters match the CLI's (`casebridge stalled --idle --stage --country --awaiting`, `deadlines --within`). */
function filterForm(f: BoardFilters): Html {
  const input = (name: keyof BoardFilters, label: string, extra: Html = html``) =>
    html`<label for="f-${name}">${label}<input id="f-${name}" name="${name}" value="${f[name] ?? ''}" ${extra} /></label>`;
  return html`<form class="filters" method="get" action="/web/board" role="search" aria-label="Filter the board">
    <label for="f-stage"
      >Stage<select id="f-stage" name="stage">
        <option value="">any</option>
        ${STAGES.filter((s) => s !== 'CLOSED').map((s) => html`<option${s === f.stage ? html` selected` : ''}>${s}</option>`)}
      </select></label
    >
    ${input('country', 'Country', html`maxlength="2" size="3"`)}${input('awaiting', 'Awaiting')}${input('idle', 'Stalled after')}${input('within', 'Deadlines within')}
    <button class="primary" type="submit">Filter</button>
  </form>`;
}

export function boardBody(d: BoardData, f: BoardFilters, now = Date.now()): Html {
  const matches = (r: CaseRow) =>
    (!f.stage || r.stage === f.stage) &&
    (!f.country || r.suspectCountry === f.country || r.dataCountry === f.country) &&
    (!f.awaiting || r.awaiting === f.awaiting);
  const open = d.open.filter(matches);
  const stages = [...new Set(open.map((r) => r.stage ?? '—'))].sort((a, b) => STAGES.indexOf(a as never) - STAGES.indexOf(b as never));
  const countries = [...new Set(open.map((r) => r.suspectCountry ?? '?'))].sort();
  const count = (stage: string, country?: string) =>
    open.filter((r) => (r.stage ?? '—') === stage && (country === undefined || (r.suspectCountry ?? '?') === country)).length;
  const link = (n: number, params: Record<string, string | undefined>) =>
    n === 0 ? html`<span class="muted">0</span>` : html`<a href="/web/list?${qs(params)}">${n}</a>`;
  const base = { country: f.country, awaiting: f.awaiting };
  const longRunning = open
    .filter((r) => r.stage === 'MLAT' || r.stage === 'EXTRADITION')
    .sort((a, b) => (a.stageEnteredAt ?? '').localeCompare(b.stageEnteredAt ?? ''));
  const lapsing = d.deadlines.filter((x) => x.name === 'preservation-expiry');
  const atRisk = d.deadlines;
  return html`<h1>Managers’ board</h1>
    ${filterForm(f)}
    <div data-region="board">
      <section class="card" aria-labelledby="h-counts">
        <h2 id="h-counts">
          Open cases by stage and suspect’s country: <a href="/web/list?${qs({ ...base, stage: f.stage })}" data-count="open">${open.length}</a>${
            d.truncated ? ' (first pages only)' : ''
          }
        </h2>
        ${
          stages.length
            ? html`<table>
                <caption class="skip">
                  Open cases by stage and country
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Stage</th>
                    ${countries.map((c) => html`<th scope="col" class="num">${c}</th>`)}
                    <th scope="col" class="num">All</th>
                  </tr>
                </thead>
                <tbody>
                  ${stages.map(
                    (s) =>
                      html`<tr data-stage-row="${s}">
                        <th scope="row">${s}</th>
                        ${countries.map((c) => html`<td class="num">${link(count(s, c), { ...base, stage: s, suspectCountry: c })}</td>`)}
                        <td class="num" data-count="stage-${s}">${link(count(s), { ...base, stage: s })}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p class="muted">No open case.</p>`
        }
      </section>
      <section class="card" aria-labelledby="h-stalled">
        <h2 id="h-stalled">
          Stalled (no stage change for ${f.idle}):
          ${link(d.stalled.filter(matches).length, { view: 'stalled', idle: f.idle, stage: f.stage, country: f.country, awaiting: f.awaiting })}
        </h2>
        ${caseTable('Stalled cases', d.stalled.filter(matches), now, { head: 'Idle', cell: (r) => span((r as CaseRow & { idleMs: number }).idleMs) })}
      </section>
      <section class="card" aria-labelledby="h-risk">
        <h2 id="h-risk">Deadlines at risk (due within ${f.within}): ${link(atRisk.length, { view: 'deadlines', within: f.within })}</h2>
        ${
          atRisk.length
            ? html`<table>
                <caption class="skip">
                  Deadlines at risk
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Case</th>
                    <th scope="col">Deadline</th>
                    <th scope="col">Due</th>
                    <th scope="col">Time left</th>
                    <th scope="col">Stage</th>
                    <th scope="col">Awaiting</th>
                  </tr>
                </thead>
                <tbody>
                  ${atRisk.map(
                    (x) =>
                      html`<tr>
                        <td><a href="/web/cases/${x.caseId}">${x.caseId}</a></td>
                        <td>${x.name}</td>
                        <td><time datetime="${x.dueAt}">${when(x.dueAt)}</time></td>
                        <td><span data-due="${x.dueAt}" class="${urgency(x.dueAt, now)}">${countdown(x.dueAt, now)}</span></td>
                        <td>${x.stage ?? ''}</td>
                        <td>${x.awaiting ?? ''}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p class="muted">None.</p>`
        }
      </section>
      <section class="card" aria-labelledby="h-long">
        <h2 id="h-long">
          Open MLATs and extraditions, oldest first:
          <span data-count="mlat-extradition">${link(longRunning.length, { view: 'long', country: f.country, awaiting: f.awaiting })}</span>
        </h2>
        ${caseTable('Open MLATs and extraditions', longRunning, now, { head: 'Age in stage', cell: (r) => (r.stageEnteredAt ? span(now - Date.parse(r.stageEnteredAt)) : '—') })}
      </section>
      <section class="card" aria-labelledby="h-lapsing">
        <h2 id="h-lapsing">
          Preservations lapsing within ${f.within}: ${link(lapsing.length, { view: 'deadlines', within: f.within, name: 'preservation-expiry' })}
        </h2>
        ${
          lapsing.length
            ? html`<ul>
                ${lapsing.map((x) => html`<li><a href="/web/cases/${x.caseId}">${x.caseId}</a>: <span data-due="${x.dueAt}" class="${urgency(x.dueAt, now)}">${countdown(x.dueAt, now)}</span></li>`)}
              </ul>`
            : html`<p class="muted">None (a preservation shows here when its expiry is the case’s next deadline).</p>`
        }
      </section>
    </div>`;
}

export function listBody(title: string, rows: CaseRow[]): Html {
  return html`<h1>${title}</h1>
    <section class="card" data-region="list">
      <p><a href="/web/board">Back to the board</a></p>
      ${caseTable(title, rows)}
    </section>`;
}

export interface IntakeResult {
  format: string;
  results: ({ position: number; line: number; caseId: string; status: string } | { position: number; line: number; source?: string; error: string })[];
  started: number;
  exists: number;
  invalid: number;
}

export function intakeBody(csrf: string, units: string[], result?: IntakeResult, error?: string): Html {
  return html`<h1>Intake</h1>
    <section class="card" aria-labelledby="h-upload">
      <h2 id="h-upload">Upload a tips file</h2>
      <p class="muted">CyberTipline tips as JSON, a JSON array or NDJSON; or NCMEC reports as XML or a ZIP. Each tip is checked on its own.</p>
      ${error ? html`<p class="error" role="alert" id="upload-error">${error}</p>` : ''}
      <form class="input" method="post" action="/web/intake" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <label for="unit">Unit that opens the cases</label
        ><select id="unit" name="unit">
          ${units.map((u) => html`<option>${u}</option>`)}
        </select>
        <label for="profile">Policy profile</label
        ><select id="profile" name="profile">
          <option value="standard">standard</option>
          <option value="demo">demo (a policy day lasts a second)</option>
        </select>
        <label for="tips">Tips file (required)</label
        ><input id="tips" name="tips" type="file" required${error ? html` aria-invalid="true" aria-describedby="upload-error"` : ''} />
        <button class="primary" type="submit">Open cases</button>
      </form>
    </section>
    ${
      result
        ? html`<section class="card" aria-labelledby="h-results">
            <h2 id="h-results">Results (${result.format}): ${result.started} started, ${result.exists} already open, ${result.invalid} invalid</h2>
            <table>
              <caption class="skip">
                Per-tip results
              </caption>
              <thead>
                <tr>
                  <th scope="col">Tip</th>
                  <th scope="col">Line</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                ${result.results.map(
                  (r) =>
                    html`<tr data-result="${'error' in r ? 'invalid' : r.status}">
                      <td>${r.position}</td>
                      <td>${r.line}</td>
                      <td>
                        ${'error' in r ? html`<span class="error">${r.error}</span>` : html`${r.status}: <a href="/web/cases/${r.caseId}">${r.caseId}</a>`}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </section>`
        : ''
    }`;
}
