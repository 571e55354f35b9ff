/**
 * A policy profile scales every duration of a case: `standard` is real time; `demo` makes a day
 * last a second, so a demo or a benchmark walks a year-long case in minutes. The profile is part of
 * the case's input (never read from the environment inside a workflow) so replays stay deterministic.
 */
import { z } from 'zod';
import { monthsAfter, DAY_MS, periodMs, type Period } from './rule';

export const PolicyProfileSchema = z.enum(['standard', 'demo']);
export type PolicyProfile = z.infer<typeof PolicyProfileSchema>;

/** How many real milliseconds one policy day lasts. */
const DAY_LENGTH_MS: Record<PolicyProfile, number> = {
  standard: DAY_MS,
  demo: 1_000,
};

export function scaledMs(period: Period, profile: PolicyProfile): number {
  return Math.max(1, Math.round((periodMs(period) * DAY_LENGTH_MS[profile]) / DAY_MS));
}

/**
 * The end of `period` from `fromMs`: calendar months are added as months in real time (a statute's
 * "three months from the date of issue"); a scaled profile counts them as 30 days each, scaled.
 */
export function periodFrom(fromMs: number, period: Period, profile: PolicyProfile): number {
  if (!period.months || profile !== 'standard') return fromMs + scaledMs(period, profile);
  const rest = { ...period, months: 0 };
  return monthsAfter(fromMs, period.months) + (periodMs(rest) > 0 ? scaledMs(rest, profile) : 0);
}
