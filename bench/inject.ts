/**
 * Test-only failure injection, so the CI test can show what a failure leaves behind without mocking
 * Temporal: `CASEBRIDGE_BENCH_INJECT` holds comma-separated entries,
 *
 *   fail-sample:SCENARIO   the scenario's first measured sample of each kind (e.g. the round trip's
 *                          first case sample and first bare sample) fails as a sample does when
 *                          Temporal answers with an error: counted, left out, the scenario carries on;
 *   stop:SCENARIO          the harness breaks part-way through the scenario, once it has measured
 *                          its first part (a throughput path, an open-cases size, one side of a round
 *                          trip or a replay): the run stops there and exits 1.
 *
 * Never set outside tests; a run with it set says so in its result (`injected`).
 */
import { z } from 'zod';
import { SampleError } from './samples';

export const INJECT_ENV = 'CASEBRIDGE_BENCH_INJECT';

const EntrySchema = z.string().regex(/^(fail-sample|stop):[a-z-]+$/, { message: 'each entry must be fail-sample:SCENARIO or stop:SCENARIO' });

/** The injection of this process, validated at start-up (`parseInjection`). */
let entries: string[] = [];
const fired = new Set<string>();

/** Validates and installs the injection; a bad value names the variable. */
export function parseInjection(raw: string | undefined, scenarios: readonly string[]): string[] {
  const list = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const e of list) {
    const parsed = EntrySchema.safeParse(e);
    if (!parsed.success) throw new Error(`${INJECT_ENV}: ${e}: ${parsed.error.issues[0].message}`);
    const scenario = e.slice(e.indexOf(':') + 1);
    if (!scenarios.includes(scenario)) throw new Error(`${INJECT_ENV}: ${e}: unknown scenario ${scenario} (one of ${scenarios.join(', ')})`);
  }
  entries = list;
  fired.clear();
  return list;
}

/** Called at the start of a measured sample: throws an injected sample failure once per scenario and kind. */
export function injectSampleFailure(scenario: string, kind: string): void {
  const key = `fail-sample:${scenario}:${kind}`;
  if (!entries.includes(`fail-sample:${scenario}`) || fired.has(key)) return;
  fired.add(key);
  throw new SampleError(`injected sample failure (${INJECT_ENV})`);
}

/** Called where a scenario has measured a part (`done` parts so far): breaks the harness after the first. */
export function injectStop(scenario: string, done: number): void {
  if (done < 1 || !entries.includes(`stop:${scenario}`)) return;
  throw new Error(`injected harness failure after ${done} part${done === 1 ? '' : 's'} of ${scenario} (${INJECT_ENV})`);
}
