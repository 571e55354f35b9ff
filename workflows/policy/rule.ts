/**
 * A legal or operational number and where it comes from. [P] primary or official source, [S]
 * secondary (keep configurable), [C] CaseBridge's own operating policy (no legal source: a choice
 * an agency may change).
 */
export type SourceKind = 'P' | 'S' | 'C';

export interface Period {
  /** Calendar months (a statute's "three months"): exact only through periodFrom; elsewhere 30 days each. */
  months?: number;
  days?: number;
  hours?: number;
}

export interface Rule<T = Period> {
  value: T;
  source: string;
  kind: SourceKind;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function periodMs(p: Period): number {
  return ((p.months ?? 0) * 30 + (p.days ?? 0)) * DAY_MS + (p.hours ?? 0) * HOUR_MS;
}

/**
 * The instant `months` calendar months after `fromMs` (UTC), held to the month's last day (31 Jan + 1 month = 28/29 Feb):
 * a pre-charge bail period's end, a PACE s.8 warrant's entry window, an IPA authorisation's month.
 */
export function monthsAfter(fromMs: number, months: number): number {
  const d = new Date(fromMs);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}
