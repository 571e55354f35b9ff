/**
 * The requests a case runs itself (orders, foreign evidence, transfer) on the one request runtime,
 * and the waits for those run by their own workflows (MLAT, extradition), which report to the case.
 */
import type { RequestSummary } from '../messages';
import type { Period, Rule } from '../policy';
import { isTerminal, type RequestKind } from '../requests/machines';
import { shortRequestId, waitWithFollowUps, type RequestHost } from '../requests/runtime';
import { NeedsAttention, systems, type CaseContext } from './context';

/** Opens a request of `kind`, numbered per attempt so a retried step never reuses a settled request. */
export function newRequestId({ state, caseId }: CaseContext, kind: RequestKind): string {
  const n = state.requests.filter((r) => r.kind === kind).length + 1;
  return `${caseId}/${kind}-${n}`;
}

/** The latest request of `kind`, unless it is settled or needed attention (a retry opens a new one). */
export function liveRequest({ state }: CaseContext, kind: RequestKind): RequestSummary | undefined {
  const r = [...state.requests].reverse().find((x) => x.kind === kind);
  return r && !isTerminal(r.kind, r.status) && r.attention === undefined ? r : undefined;
}

/** A request the case runs, as the request runtime sees it: its deadlines are the case's. */
function caseHost(ctx: CaseContext, requestId: string): RequestHost {
  const name = `follow-up:${shortRequestId(ctx.caseId, requestId)}`;
  return {
    followUpDeadline: () => ctx.rec.deadline(name),
    setFollowUpDeadline: (dueAtMs, rule) => ctx.rec.setDeadline(name, dueAtMs, rule.source, requestId),
    clearFollowUpDeadline: () => ctx.rec.clearDeadline(name),
    flush: async () => {}, // the case's own record is what everyone reads
    waitUntil: (done, untilMs) => ctx.waitUntil(done, untilMs),
    call: (step, fn) => ctx.step(step, fn),
    note: async (kind, detail) => ctx.rec.log(kind, detail),
    ms: (period) => ctx.ms(period),
  };
}

/**
 * Waits for a request a person answers (through `respond`), following it up at the policy's
 * interval. Returns the request once `answered` (by default: once its machine says it is settled).
 */
export async function awaitAnswer(
  ctx: CaseContext,
  requestId: string,
  followUp: Rule<Period>,
  answered?: (status: string) => boolean,
  firstFollowUpAt?: number,
): Promise<RequestSummary> {
  const r = () => ctx.rec.request(requestId)!;
  const followUps = (ctx.state.followUps ??= {});
  const short = shortRequestId(ctx.caseId, requestId);
  await waitWithFollowUps(caseHost(ctx, requestId), {
    done: () => (answered ? answered(r().status) : isTerminal(r().kind, r().status)),
    rule: followUp,
    ...(firstFollowUpAt !== undefined ? { firstAt: firstFollowUpAt } : {}),
    sent: () => followUps[requestId] ?? 0,
    countSent: (n) => (followUps[requestId] = n),
    remind: (n) => ({
      step: `follow-up-${short}-${n}`,
      send: (c) =>
        systems.agency.alert(c, {
          to: 'liaison',
          kind: `${r().kind}-follow-up`,
          message: `case ${ctx.caseId}: request ${requestId} is still ${r().status}; follow it up`,
        }),
      line: `liaison reminded to follow up ${requestId} (still ${r().status}; reminder ${n})`,
    }),
  });
  return r();
}

/** Waits for a request run by a child workflow to settle; a child that gave up hands the case to a coordinator. */
export async function awaitChild(ctx: CaseContext, requestId: string, step: string): Promise<RequestSummary> {
  const r = () => ctx.rec.request(requestId)!;
  await ctx.waitUntil(() => isTerminal(r().kind, r().status) || r().attention !== undefined);
  if (r().attention) throw new NeedsAttention(step, r().attention!);
  return r();
}
