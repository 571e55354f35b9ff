/**
 * A legal or operational number and where it comes from. [P] primary or official source, [S]
 * secondary (keep configurable), [C] CaseBridge's own operating policy (no legal source: a choice
 * an agency may change).
 */
export type SourceKind = 'P' | 'S' | 'C';

export interface Period {
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
  return (p.days ?? 0) * DAY_MS + (p.hours ?? 0) * HOUR_MS;
}
