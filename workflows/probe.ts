/**
 * A health probe operators (and the platform tests) run to prove the whole chain works: a worker
 * polls the task queue, durable timers fire, search attributes reach visibility. It carries no
 * case data.
 */
import { sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { CaseStage } from './search-attributes';

export interface ProbeInput {
  /** How long the probe's durable timer runs, in milliseconds (90 days in the platform test). */
  timerMs: number;
  /** Written to the CaseStage search attribute so a visibility query can find the probe. */
  marker: string;
}

export async function probeWorkflow(input: ProbeInput): Promise<{ sleptMs: number }> {
  upsertSearchAttributes([{ key: CaseStage, value: input.marker }]);
  const started = Date.now();
  await sleep(input.timerMs);
  return { sleptMs: Date.now() - started };
}
