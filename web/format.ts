/** Times as people read them on a page: countdowns to deadlines, ages of stages. */

/** `3d 4h`, `5h 12m`, `40m`, `12s`: the two largest units. */
export function span(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s % 60}s`;
}

/** `in 3d 4h` or `overdue by 2h`. */
export function countdown(dueAt: string, now = Date.now()): string {
  const ms = Date.parse(dueAt) - now;
  return ms >= 0 ? `in ${span(ms)}` : `overdue by ${span(ms)}`;
}

/** The class a countdown is shown with: overdue, within a day, or neither. */
export function urgency(dueAt: string, now = Date.now()): string {
  const ms = Date.parse(dueAt) - now;
  return ms < 0 ? 'overdue' : ms < 86_400_000 ? 'soon' : '';
}

/** An ISO time as UTC, minutes precision: `2026-12-02 01:16 UTC`. */
export function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
