/**
 * The bench's liaison for the cross-border paths: the other side (a provider abroad, a foreign
 * central authority) answers through a liaison, who records its answers with the product's `respond`
 * update. Nobody else answers in a bench, so a case on such a path would wait for ever without it.
 *
 * The liaison reads the case's `status` as a person reads the case's page, and records, for each
 * request of a kind the path names, the path's outcomes in order, each once the request's machine
 * allows it (`allowedOutcomes(request, 'liaison')`), with the reference or ground the transition
 * requires. The update goes to the workflow that runs the request (`requestWorkflowId`): the case for
 * an order it runs itself, the request's own child workflow for an MLAT.
 */
import type { Client } from '@temporalio/client';
import { respond, statusQuery, type Respond, type RequestSummary } from '../workflows/messages';
import { requestWorkflowId } from '../workflows/requests/ids';
import { allowedOutcomes, isTerminal, machineFor } from '../workflows/requests/machines';
import { SampleError } from './samples';
import { delay } from './stats';

/** Per request kind, the outcomes a liaison records, in order (e.g. mlat: acknowledged, then executed). */
export type LiaisonPlan = Readonly<Record<string, readonly string[]>>;

const LIAISON = { actor: 'Bench Liaison', role: 'liaison' as const };

/** The response a liaison records on `r` with `outcome`, carrying what the liaison's transition requires. */
export function liaisonAnswer(r: RequestSummary, outcome: string, reference: string): Respond {
  const t = machineFor(r.kind)?.transitions.find((x) => x.outcome === outcome && x.from.includes(r.status) && x.by.includes('liaison'));
  if (!t) throw new Error(`bench: a liaison cannot record '${outcome}' on ${r.kind} ${r.status}`);
  return {
    ...LIAISON,
    requestId: r.requestId,
    outcome,
    ...(t.requires?.includes('reference') ? { reference } : {}),
    ...(t.requires?.includes('reason') ? { reason: t.grounds?.[0] ?? 'bench' } : {}),
  };
}

export interface Liaison {
  /** Resolves once every planned outcome was recorded (or the case closed); rejects with what failed. */
  done: Promise<void>;
  /** Stops reading the case (it closed, or the run gave it up). */
  stop(): void;
  /** The workflows the liaison sent responses to that are not the case (request children), to wait for their close. */
  requestWorkflows(): string[];
  /** What was recorded, in order, as `<kind> <outcome>`. */
  recorded(): string[];
  /** Every planned outcome was recorded. */
  complete(): boolean;
}

/**
 * Answers the requests of `caseId` as `plan` says, reading `status` every `everyMs` until every planned
 * outcome is recorded. Reading `status` is work the case's worker does (a query) and the bare twin's
 * does not: the case side pays for its liaison's reading, as a case's real readers make it pay.
 */
export function answerAsLiaison(client: Client, caseId: string, plan: LiaisonPlan, everyMs = 200): Liaison {
  let stopped = false;
  const sent = new Map<string, number>();
  const recorded: string[] = [];
  const children = new Set<string>();
  const finished = (requests: RequestSummary[]) =>
    Object.entries(plan).every(([kind, outcomes]) => requests.some((r) => r.kind === kind && (sent.get(r.requestId) ?? 0) >= outcomes.length));
  let last: RequestSummary[] = [];
  const done = (async () => {
    const h = client.workflow.getHandle(caseId);
    for (;;) {
      await delay(everyMs);
      if (stopped) return;
      const s = await h.query(statusQuery);
      last = s.requests;
      for (const r of s.requests) {
        const outcomes = plan[r.kind];
        const next = outcomes?.[sent.get(r.requestId) ?? 0];
        if (next === undefined || isTerminal(r.kind, r.status) || !allowedOutcomes(r, 'liaison').includes(next)) continue;
        const runner = r.workflowId ?? requestWorkflowId(r.requestId) ?? caseId;
        await client.workflow.getHandle(runner).executeUpdate(respond, { args: [liaisonAnswer(r, next, `BENCH-${recorded.length + 1}`)] });
        sent.set(r.requestId, (sent.get(r.requestId) ?? 0) + 1);
        recorded.push(`${r.kind} ${next}`);
        if (runner !== caseId) children.add(runner);
      }
      if (finished(s.requests)) return;
      if (s.stage === 'CLOSED')
        throw new SampleError(`closed (${s.outcome}) before the liaison recorded ${JSON.stringify(plan)}; recorded: ${recorded.join(', ') || 'nothing'}`);
    }
  })();
  // Awaited by the runner once the case closes; marked handled now so a failure before then is not an unhandled rejection.
  done.catch(() => undefined);
  return {
    done,
    complete: () => finished(last),
    stop: () => void (stopped = true),
    requestWorkflows: () => [...children],
    recorded: () => [...recorded],
  };
}
