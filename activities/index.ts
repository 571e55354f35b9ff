/**
 * The case's activities: one per external call, each a thin adapter from Temporal to a port. The
 * idempotency key comes from the workflow (case id + step), so a retry or a replay presents the same
 * key to the receiving system. A rejection becomes a non-retryable failure (retrying the same request
 * cannot help); anything else is retried by the per-system policy in workflows/retry-policies.ts.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { addSensitiveValues } from '../client/logger';
import type { Tip } from '../workflows/tip';
import { RejectedRequestError, type CallContext, type ExternalSystems } from './ports';

export const REJECTED_REQUEST = 'RejectedRequest';

/**
 * How often a call in flight tells Temporal its worker is alive. With the heartbeat timeout in
 * workflows/retry-policies.ts, a worker that dies mid-call has the call retried elsewhere within
 * seconds instead of after the system's whole start-to-close timeout (minutes for a court).
 */
export const HEARTBEAT_EVERY_MS = 5_000;

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // called outside a worker (unit tests of the adapters)
  }
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  const ctx = activityContext();
  const beat = ctx ? setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS) : undefined;
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RejectedRequestError) {
      throw ApplicationFailure.create({ type: REJECTED_REQUEST, message: err.message, nonRetryable: true });
    }
    throw err;
  } finally {
    clearInterval(beat);
  }
}

type Req<F> = F extends (ctx: CallContext, req: infer R) => Promise<unknown> ? R : never;

export function createActivities(systems: ExternalSystems) {
  const { assessment, provider, court, agency, centralAuthority, diplomatic, foreignPartner, orders, translation } = systems;
  return {
    assessTip: (ctx: CallContext, tip: Tip) => {
      // From here on, these identifiers are scrubbed from every log line, even inside error messages.
      const p = tip.personOrUserReported;
      addSensitiveValues([p.espIdentifier, p.screenName, ...p.displayName, ...p.deviceId, ...p.ipCaptureEvent.map((e) => e.ipAddress)]);
      return guarded(() => assessment.assess(ctx, tip));
    },
    deconflict: (ctx: CallContext, identifiers: string[]) => guarded(() => assessment.deconflict(ctx, identifiers)),
    closeInIndex: (ctx: CallContext) => guarded(() => assessment.closeInIndex(ctx)),
    requestPreservation: (ctx: CallContext, req: Req<typeof provider.requestPreservation>) =>
      guarded(() => provider.requestPreservation(ctx, req)),
    renewPreservation: (ctx: CallContext, req: Req<typeof provider.renewPreservation>) => guarded(() => provider.renewPreservation(ctx, req)),
    releasePreservation: (ctx: CallContext, req: Req<typeof provider.releasePreservation>) =>
      guarded(() => provider.releasePreservation(ctx, req)),
    requestEmergencyDisclosure: (ctx: CallContext, req: Req<typeof provider.requestEmergencyDisclosure>) =>
      guarded(() => provider.requestEmergencyDisclosure(ctx, req)),
    serveWarrant: (ctx: CallContext, req: Req<typeof provider.serveWarrant>) => guarded(() => provider.serveWarrant(ctx, req)),
    applyForSearchWarrant: (ctx: CallContext, req: Req<typeof court.applyForSearchWarrant>) => guarded(() => court.applyForSearchWarrant(ctx, req)),
    applyForArrestWarrant: (ctx: CallContext, req: Req<typeof court.applyForArrestWarrant>) => guarded(() => court.applyForArrestWarrant(ctx, req)),
    scheduleWarrantExecution: (ctx: CallContext, req: Req<typeof agency.scheduleWarrantExecution>) =>
      guarded(() => agency.scheduleWarrantExecution(ctx, req)),
    reviewFiles: (ctx: CallContext, req: Req<typeof agency.reviewFiles>) => guarded(() => agency.reviewFiles(ctx, req)),
    arrest: (ctx: CallContext, req: Req<typeof agency.arrest>) => guarded(() => agency.arrest(ctx, req)),
    alert: (ctx: CallContext, req: Req<typeof agency.alert>) => guarded(() => agency.alert(ctx, req)),
    withdrawRequest: (ctx: CallContext, req: Req<typeof agency.withdrawRequest>) => guarded(() => agency.withdrawRequest(ctx, req)),
    draftDocument: (ctx: CallContext, req: Req<typeof agency.draftDocument>) => guarded(() => agency.draftDocument(ctx, req)),

    // The cross-border side (retry policies: workflows/retry-policies.ts, one per system).
    submitForReview: (ctx: CallContext, req: Req<typeof centralAuthority.submitForReview>) => guarded(() => centralAuthority.submitForReview(ctx, req)),
    requestProvisionalArrest: (ctx: CallContext, req: Req<typeof centralAuthority.requestProvisionalArrest>) =>
      guarded(() => centralAuthority.requestProvisionalArrest(ctx, req)),
    transmitDiplomaticNote: (ctx: CallContext, req: Req<typeof diplomatic.transmit>) => guarded(() => diplomatic.transmit(ctx, req)),
    requestForeignPreservation: (ctx: CallContext, req: Req<typeof foreignPartner.requestPreservation>) =>
      guarded(() => foreignPartner.requestPreservation(ctx, req)),
    renewForeignPreservation: (ctx: CallContext, req: Req<typeof foreignPartner.renewPreservation>) => guarded(() => foreignPartner.renewPreservation(ctx, req)),
    releaseForeignPreservation: (ctx: CallContext, req: Req<typeof foreignPartner.releasePreservation>) =>
      guarded(() => foreignPartner.releasePreservation(ctx, req)),
    sendCaseFile: (ctx: CallContext, req: Req<typeof foreignPartner.sendCaseFile>) => guarded(() => foreignPartner.sendCaseFile(ctx, req)),
    issueEuProductionOrder: (ctx: CallContext, req: Req<typeof orders.issueEuProductionOrder>) => guarded(() => orders.issueEuProductionOrder(ctx, req)),
    issueEuPreservationOrder: (ctx: CallContext, req: Req<typeof orders.issueEuPreservationOrder>) => guarded(() => orders.issueEuPreservationOrder(ctx, req)),
    issueCloudActOrder: (ctx: CallContext, req: Req<typeof orders.issueCloudActOrder>) => guarded(() => orders.issueCloudActOrder(ctx, req)),
    withdrawOrder: (ctx: CallContext, req: Req<typeof orders.withdraw>) => guarded(() => orders.withdraw(ctx, req)),
    translateDocument: (ctx: CallContext, req: Req<typeof translation.translate>) => guarded(() => translation.translate(ctx, req)),
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
