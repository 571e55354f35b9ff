/**
 * How a case ends: the closing step (preservation released, the case taken out of the deconfliction
 * index, the outcome recorded) and a withdrawal's compensations (every request still open at another
 * system withdrawn there first, as far as its kind's machine lets a case withdraw it). Each is a step
 * of its own, so a call in it that fails for good becomes NEEDS_ATTENTION: a coordinator retries it,
 * or closes the case without it — never a workflow task that fails for ever.
 */
import { CancellationScope, getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import { AWAITING_APPROVAL, systemTransition, WITHDRAWN } from '../requests/machines';
import { shortRequestId } from '../requests/runtime';
import type { Outcome, Stage } from '../vocabulary';
import { closeGuard } from './closing-guard';
import { systems, type CaseContext } from './context';
import { PATCHES } from './patches';
import { releaseChildPreservation } from './routes';

/** A closing or compensation step a person chose to close without: it is skipped, and the timeline says so. */
function skipped({ state, rec }: CaseContext, step: string, what: string): boolean {
  if (!state.skippedSteps?.includes(step)) return false;
  rec.log('alert', `${step} skipped: ${what}`);
  return true;
}

export async function closeTheCase(ctx: CaseContext, outcome: Outcome, reason: string): Promise<Stage> {
  await closeGuard(ctx, outcome);
  const w = ctx.state.warrantReturn;
  if (w && !w.returnedAt)
    ctx.rec.log('alert', `closing without the return of search warrant ${w.warrantId} on record: file it with the court (Rule 41(f)(1)(D))`);
  await releaseChildPreservation(ctx, `case closed as ${outcome}`);
  if (!skipped(ctx, 'close-in-index', 'the case was closed without leaving the deconfliction index; remove it there by hand')) {
    await ctx.step('close-in-index', (c) => systems.assessment.closeInIndex(c));
  }
  ctx.rec.close(outcome, reason);
  return 'CLOSED';
}

export async function compensateWithdrawal(ctx: CaseContext): Promise<Stage> {
  const { state, rec, caseId } = ctx;
  const w = state.withdrawal!;
  ctx.compensating = true;
  return CancellationScope.nonCancellable(async () => {
    for (const r of state.requests) {
      // Requests still open at another system (preservation is released by its child workflow instead).
      if (!systemTransition(r, WITHDRAWN) || r.attention !== undefined) continue;
      const step = `withdraw-${shortRequestId(caseId, r.requestId)}`;
      if (skipped(ctx, step, `${r.requestId} was not withdrawn at its system; a liaison must withdraw it by hand`)) {
        r.attention = 'not withdrawn at its system: the case was closed without it';
        continue;
      }
      const byGateway = (r.kind === 'cloud-act-order' || r.kind === 'eu-production-order') && patched(PATCHES.withdrawOrdersAtTheirGateway);
      // Held for its document's approval, the request never left: nothing to withdraw at another system.
      const unsent = r.status === AWAITING_APPROVAL && r.workflowId === undefined;
      if (unsent) delete r.pendingApproval;
      else
        await ctx.step(step, (c) =>
          byGateway
            ? systems.orders.withdrawOrder(c, { requestId: r.requestId, reference: r.reference ?? r.requestId })
            : systems.agency.withdrawRequest(c, { requestId: r.requestId, kind: r.kind }),
        );
      // A response may have moved the request while its withdrawal was on its way (an order produced,
      // an MLAT executed reported by its child): the answer is a fact and stays on record.
      if (!rec.updateRequest(r.requestId, WITHDRAWN, w.outcome === 'UNRESOLVED' ? 'withdrawn: the case closed unresolved' : 'withdrawn with the case')) {
        rec.log('alert', `${r.requestId} was answered (${r.status}) while it was being withdrawn; its answer stays on record and the case closes all the same`);
        continue;
      }
      // A request run by its own workflow stops there too; it reports nothing more the case would take.
      if (r.workflowId)
        await getExternalWorkflowHandle(r.workflowId)
          .cancel()
          .catch(() => undefined);
    }
    return closeTheCase(ctx, w.outcome ?? 'WITHDRAWN', w.reason);
  });
}
