/**
 * What a tip shows that may mean a child in imminent danger, read from either shape a tip may carry:
 * the hand-written tips of earlier versions (a boolean `escalateToHighPriority`, free-text
 * `reportAnnotations`) and NCMEC's report schema (the escalation's reason as text, annotation flags
 * such as `sextortion`, `fileAnnotations`). Tips inside running cases are never parsed again, so the
 * reader takes the tip as loosely as it may come. Pure; returns codes and the provider's reason only.
 */
import { DANGER_INDICATORS, type DangerIndicator } from './policy/danger';

/** The parts of a tip the indicators are read from, in every shape a case may hold. */
export interface TipForIndicators {
  priority?: number | undefined;
  incidentSummary: { incidentType: string; escalateToHighPriority?: unknown; reportAnnotations?: readonly unknown[] };
  files?: readonly { fileId: string; fileAnnotations?: readonly unknown[] }[];
  victim?: readonly { estimatedLocation?: { countryCode?: string; region?: string; city?: string } | undefined; person?: { address?: readonly unknown[] } }[];
}

export interface Flag {
  indicators: DangerIndicator[];
  /** The provider's own words for asking for high priority, when it gave any. */
  providerReason?: string;
}

/** NCMEC's annotation flags and the words earlier tips used for the same thing. */
const ANNOTATIONS: readonly [DangerIndicator, RegExp][] = [
  ['sextortion', /^sextortion$|sextortion/i],
  ['csam-solicitation', /^csamSolicitation$|solicit/i],
  ['minor-to-minor', /^minorToMinorInteraction$|minor[- ]to[- ]minor/i],
  ['sadistic-online-exploitation', /^sadisticOnlineExploitation$|sadistic/i],
  ['planned-meeting', /planned[- ]meeting|meet(ing)?[- ]in[- ]person/i],
  ['real-time', /real[- ]time|live[- ]?stream/i],
  ['threats', /threat/i],
];

const SIMULATOR_DIRECTIVE = 'casebridge-sim:';

/** The indicators a tip raises (in the policy table's order), with the provider's escalation reason. */
export function dangerIndicators(tip: TipForIndicators, fromAssessment: readonly string[] = []): Flag {
  const found = new Set<DangerIndicator>();
  const summary = tip.incidentSummary;
  let providerReason: string | undefined;
  const escalation = summary.escalateToHighPriority;
  if (typeof escalation === 'string' && escalation.trim() !== '') {
    found.add('provider-escalation');
    providerReason = escalation.trim();
  } else if (escalation === true) {
    found.add('provider-escalation');
  }
  if (tip.priority === 1) found.add('ncmec-priority-1');
  for (const a of summary.reportAnnotations ?? []) {
    if (typeof a !== 'string' || a.startsWith(SIMULATOR_DIRECTIVE)) continue;
    for (const [code, pattern] of ANNOTATIONS) if (pattern.test(a)) found.add(code);
  }
  if (/^Online Enticement of Children/.test(summary.incidentType)) found.add('enticement');
  if (summary.incidentType === 'Child Sex Trafficking') found.add('trafficking');
  for (const f of tip.files ?? []) if ((f.fileAnnotations ?? []).includes('liveStreaming')) found.add('real-time');
  for (const v of tip.victim ?? []) {
    const l = v.estimatedLocation;
    if ((l && (l.countryCode || l.region || l.city)) || (v.person?.address?.length ?? 0) > 0) found.add('victim-location');
  }
  // What the assessment found in the content (chats, metadata): only codes the policy knows.
  for (const a of fromAssessment) if (a in DANGER_INDICATORS) found.add(a as DangerIndicator);
  const ordered = (Object.keys(DANGER_INDICATORS) as DangerIndicator[]).filter((c) => found.has(c));
  return { indicators: ordered, ...(providerReason ? { providerReason } : {}) };
}

/** The indicators in words, for the timeline and the analyst. */
export function describeIndicators(flag: Flag): string {
  return flag.indicators
    .map((c) => (c === 'provider-escalation' && flag.providerReason ? `${DANGER_INDICATORS[c].means}: "${flag.providerReason}"` : DANGER_INDICATORS[c].means))
    .join('; ');
}
