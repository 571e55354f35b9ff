/**
 * Working days on a calendar of public holidays: Monday to Friday, less the holidays the deployment
 * lists (./deployment.ts; no default — a deployment must set its own). Days are UTC calendar days:
 * in British Summer Time a deadline falls an hour early (documented in the README). Pure.
 */
import { DAY_MS } from './rule';

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function isWorkingDay(ms: number, holidays: ReadonlySet<string>): boolean {
  const weekday = new Date(ms).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(isoDay(ms));
}

/**
 * The moment `n` working days after `fromMs`: each working day passed counts one, at the same time of
 * day. A start on a day that is not a working day counts from the start of the next working day.
 */
export function addWorkingDays(fromMs: number, n: number, holidays: readonly string[]): number {
  const off = new Set(holidays);
  let at = fromMs;
  if (!isWorkingDay(at, off)) {
    at = Math.floor(at / DAY_MS) * DAY_MS;
    while (!isWorkingDay(at, off)) at += DAY_MS;
  }
  for (let counted = 0; counted < n;) {
    at += DAY_MS;
    if (isWorkingDay(at, off)) counted++;
  }
  return at;
}
