/** A case's status and timeline as people read them (the JSON forms are the contract for scripts). */
import type { CaseStatus, TimelineEntry } from '../../workflows/messages';
import { table } from './output';

export function statusText(s: CaseStatus): string {
  const lines = [
    `case      ${s.caseId}`,
    `suspect   ${s.suspect.screenName ?? '-'} (${s.suspect.espIdentifier})${s.suspect.ipAddresses.length ? `  IP ${s.suspect.ipAddresses.join(', ')}` : ''}`,
    `stage     ${s.stage} since ${s.stageEnteredAt}${s.outcome ? `  outcome ${s.outcome}${s.outcomeReason ? `: ${s.outcomeReason}` : ''}` : ''}`,
    `priority  ${s.priority ?? '-'}    suspect in ${s.suspectCountry ?? 'unknown'}    data in ${s.dataCountry ?? 'unknown'}`,
    `awaiting  ${s.awaiting ?? '-'}${s.waitingFor ? ` — ${s.waitingFor}` : ''}`,
  ];
  if (s.attention) lines.push(`attention ${s.attention.step}: ${s.attention.reason}`);
  if (s.preservation) lines.push(`preserved ${s.preservation.state}${s.preservation.expiresAt ? ` until ${s.preservation.expiresAt}` : ''} (renewals used: ${s.preservation.renewalsUsed})`);
  if (s.linkedCases.length) lines.push(`linked    ${s.linkedCases.join(', ')}`);
  if (s.deadlines.length) lines.push('', table(['deadline', 'due', 'source'], s.deadlines.map((d) => [d.name, d.dueAt, d.source])));
  if (s.requests.length) {
    lines.push('', table(['request', 'kind', 'status', 'awaiting', 'reference'], s.requests.map((r) => [r.requestId, r.kind, r.status, r.awaiting, r.reference])));
  }
  return lines.join('\n');
}

/** The five fields of the timeline contract, in order. */
export function timelineRows(timeline: TimelineEntry[]): Pick<TimelineEntry, 'at' | 'kind' | 'stage' | 'actor' | 'detail'>[] {
  return timeline.map(({ at, kind, stage, actor, detail }) => ({ at, kind, stage, actor, detail }));
}

export function timelineText(timeline: TimelineEntry[]): string {
  return table(
    ['at', 'stage', 'kind', 'actor', 'detail'],
    timeline.map((e) => [e.at, e.stage, e.kind, e.role ? `${e.actor} (${e.role})` : e.actor, e.detail]),
  );
}
