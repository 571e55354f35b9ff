/**
 * Opens cases from intake entries as they are read, a few at a time: at most `concurrency` starts are
 * in flight and the next report is not even parsed until one finishes (back-pressure), so a file of
 * 10,000 reports holds a handful of tips in memory, never all of them. Outcomes come out in file order.
 */
import type { IntakeEntry } from './ncmec';
import type { Tip } from '../workflows/tip';

/** Opens one case (client/cases.ts `startCase`, bound to a client and options): idempotent by report number. */
export type StartCase = (tip: Tip) => Promise<{ caseId: string; status: 'started' | 'exists' }>;

type Where = { position: number; line: number; source?: string };
export type StartOutcome = (Where & { caseId: string; status: 'started' | 'exists' }) | (Where & { error: string; issues: string[] });

export async function* startCases(
  entries: AsyncIterable<IntakeEntry>,
  startCase: StartCase,
  opts: { concurrency: number },
): AsyncGenerator<StartOutcome, void, undefined> {
  const inFlight: Promise<StartOutcome>[] = [];
  const it = entries[Symbol.asyncIterator]();
  let done = false;
  try {
    yield* run();
  } finally {
    // Stops reading the file (and closes it) when the caller stops early or a start failed.
    if (!done) await it.return?.();
  }

  async function* run(): AsyncGenerator<StartOutcome, void, undefined> {
    for (;;) {
      while (!done && inFlight.length < opts.concurrency) {
        const next = await it.next();
        if (next.done) {
          done = true;
          break;
        }
        const e = next.value;
        const where: Where = { position: e.position, line: e.line, ...(e.source ? { source: e.source } : {}) };
        const outcome: Promise<StartOutcome> =
          'tip' in e
            ? startCase(e.tip).then((r) => ({ ...where, caseId: r.caseId, status: r.status }))
            : Promise.resolve({ ...where, error: e.error, issues: e.issues });
        // Awaited in order below; a later one failing first must not count as unhandled meanwhile.
        outcome.catch(() => undefined);
        inFlight.push(outcome);
      }
      const head = inFlight.shift();
      if (!head) return;
      yield await head;
    }
  }
}
