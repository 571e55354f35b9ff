/** A case's status and timeline as people read them (the JSON forms are the contract for scripts). */
import type { CaseStatus, TimelineEntry } from '../../workflows/messages';
import { table } from './output';
import { postArrestStatusLines } from './post-arrest-commands';
import { preWarrantStatusLines } from './pre-warrant-commands';

export function statusText(s: CaseStatus): string {
  const lines = [
    `case      ${s.caseId}`,
    `suspect   ${s.suspect.screenName ?? '-'} (${s.suspect.espIdentifier})${s.suspect.ipAddresses.length ? `  IP ${s.suspect.ipAddresses.join(', ')}` : ''}`,
    `stage     ${s.stage} since ${s.stageEnteredAt}${s.outcome ? `  outcome ${s.outcome}${s.outcomeReason ? `: ${s.outcomeReason}` : ''}` : ''}`,
    `priority  ${s.priority ?? '-'}    suspect in ${s.suspectCountry ?? 'unknown'}    data in ${s.dataCountry ?? 'unknown'}`,
    `awaiting  ${s.awaiting ?? '-'}${s.waitingFor ? ` — ${s.waitingFor}` : ''}`,
  ];
  if (s.attention) lines.push(`attention ${s.attention.step}: ${s.attention.reason}`);
  // Cases from before the flags were kept have none to show (not "none").
  if (s.flags) lines.push(`flags     ${s.flags.length ? s.flags.join(', ') : 'none'}`);
  lines.push(...preWarrantStatusLines(s));
  lines.push(...postArrestStatusLines(s));
  if (s.preservation)
    lines.push(
      `preserved ${s.preservation.state}${s.preservation.expiresAt ? ` until ${s.preservation.expiresAt}` : ''} (renewals used: ${s.preservation.renewalsUsed})`,
    );
  if (s.linkedCases.length) lines.push(`linked    ${s.linkedCases.join(', ')}`);
  if (s.deadlines.length)
    lines.push(
      '',
      table(
        ['deadline', 'due', 'source'],
        s.deadlines.map((d) => [d.name, d.dueAt, d.source]),
      ),
    );
  if (s.requests.length) {
    lines.push(
      '',
      table(
        ['request', 'kind', 'status', 'awaiting', 'reference'],
        s.requests.map((r) => [r.requestId, r.kind, r.status, r.awaiting, r.reference]),
      ),
    );
  }
  return lines.join('\n');
}

/** The fields of the timeline contract, in order: the actor's verified id and role where a person acted. */
export function timelineRows(timeline: TimelineEntry[]): Pick<TimelineEntry, 'at' | 'kind' | 'stage' | 'actor' | 'actorId' | 'role' | 'detail'>[] {
  return timeline.map(({ at, kind, stage, actor, actorId, role, detail }) => ({
    at,
    kind,
    stage,
    actor,
    ...(actorId !== undefined ? { actorId } : {}),
    ...(role !== undefined ? { role } : {}),
    detail,
  }));
}

export function timelineText(timeline: TimelineEntry[]): string {
  return table(
    ['at', 'stage', 'kind', 'actor', 'detail'],
    timeline.map((e) => [e.at, e.stage, e.kind, e.role ? `${e.actor} (${e.role})` : e.actor, e.detail]),
  );
}
