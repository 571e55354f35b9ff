/**
 * The case's activities: one per external call, each a thin adapter from Temporal to a port. The
 * idempotency key comes from the workflow (case id + step), so a retry or a replay presents the same
 * key to the receiving system. A rejection becomes a non-retryable failure (retrying the same request
 * cannot help); anything else is retried by the per-system policy in workflows/retry-policies.ts.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { addSensitiveValues } from '../platform/logger';
import type { DeploymentPolicy } from '../workflows/policy/deployment';
import type { Tip } from '../workflows/tip';
import { RejectedRequestError, type CallContext, type DocumentPort, type ExternalSystems } from './ports';

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

/** CaseBridge's own services the activities use beside the external systems. */
export interface InternalServices {
  /** The document generator and store; absent in a process that generates no documents (then the activity refuses). */
  documents?: DocumentPort;
  /** The deployment's own policy values (CASEBRIDGE_POLICY_FILE, checked at start-up); absent: none set. */
  policy?: DeploymentPolicy;
}

/** The identifiers in a document's facts: registered so no log line or error message carries them. */
function registerFactsIdentifiers(facts: Req<DocumentPort['generate']>['facts']): void {
  const a = facts.account;
  addSensitiveValues([
    a.espIdentifier,
    a.screenName,
    ...a.displayNames,
    ...a.deviceIds,
    ...facts.ipEvents.map((e) => e.ipAddress),
    ...facts.files.map((f) => f.originalFileName),
  ]);
}

export function createActivities(systems: ExternalSystems, internal: InternalServices = {}) {
  const { assessment, provider, court, agency, centralAuthority, diplomatic, foreignPartner, orders, translation, childProtection, victimIdentification, isp } =
    systems;
  const { documents } = internal;
  const policy: DeploymentPolicy = internal.policy ?? { providerLogRetention: {} };
  return {
    assessTip: (ctx: CallContext, tip: Tip) => {
      // From here on, these identifiers are scrubbed from every log line, even inside error messages.
      const p = tip.personOrUserReported;
      addSensitiveValues([p.espIdentifier, p.screenName, ...p.displayName, ...p.deviceId, ...p.ipCaptureEvent.map((e) => e.ipAddress)]);
      return guarded(() => assessment.assess(ctx, tip));
    },
    deconflict: (ctx: CallContext, identifiers: string[]) => guarded(() => assessment.deconflict(ctx, identifiers)),
    closeInIndex: (ctx: CallContext) => guarded(() => assessment.closeInIndex(ctx)),
    requestPreservation: (ctx: CallContext, req: Req<typeof provider.requestPreservation>) => guarded(() => provider.requestPreservation(ctx, req)),
    renewPreservation: (ctx: CallContext, req: Req<typeof provider.renewPreservation>) => guarded(() => provider.renewPreservation(ctx, req)),
    releasePreservation: (ctx: CallContext, req: Req<typeof provider.releasePreservation>) => guarded(() => provider.releasePreservation(ctx, req)),
    requestEmergencyDisclosure: (ctx: CallContext, req: Req<typeof provider.requestEmergencyDisclosure>) =>
      guarded(() => provider.requestEmergencyDisclosure(ctx, req)),
    serveWarrant: (ctx: CallContext, req: Req<typeof provider.serveWarrant>) => guarded(() => provider.serveWarrant(ctx, req)),
    applyForSearchWarrant: (ctx: CallContext, req: Req<typeof court.applyForSearchWarrant>) => guarded(() => court.applyForSearchWarrant(ctx, req)),
    applyForArrestWarrant: (ctx: CallContext, req: Req<typeof court.applyForArrestWarrant>) => guarded(() => court.applyForArrestWarrant(ctx, req)),
    scheduleWarrantExecution: (ctx: CallContext, req: Req<typeof agency.scheduleWarrantExecution>) => guarded(() => agency.scheduleWarrantExecution(ctx, req)),
    searchPremises: (ctx: CallContext, req: Req<typeof agency.searchPremises>) => guarded(() => agency.searchPremises(ctx, req)),
    reviewFiles: (ctx: CallContext, req: Req<typeof agency.reviewFiles>) => guarded(() => agency.reviewFiles(ctx, req)),
    arrest: (ctx: CallContext, req: Req<typeof agency.arrest>) => guarded(() => agency.arrest(ctx, req)),
    alert: (ctx: CallContext, req: Req<typeof agency.alert>) => guarded(() => agency.alert(ctx, req)),
    withdrawRequest: (ctx: CallContext, req: Req<typeof agency.withdrawRequest>) => guarded(() => agency.withdrawRequest(ctx, req)),
    draftDocument: (ctx: CallContext, req: Req<typeof agency.draftDocument>) => guarded(() => agency.draftDocument(ctx, req)),
    /** Generates a document version from the case's facts; returns its reference (id, version, hash), never its content. */
    generateDocument: (ctx: CallContext, req: Req<DocumentPort['generate']>) => {
      if (req?.facts?.account) registerFactsIdentifiers(req.facts);
      return guarded(() => {
        if (!documents)
          throw new RejectedRequestError('documents', 'this worker has no document store configured (createActivities was given no documents port)');
        return documents.generate(ctx, req);
      });
    },

    /** Records a workflow's approval of a document version in the store (idempotent). */
    recordDocumentApproval: (ctx: CallContext, req: Req<DocumentPort['recordApproval']>) =>
      guarded(() => {
        if (!documents)
          throw new RejectedRequestError('documents', 'this worker has no document store configured (createActivities was given no documents port)');
        return documents.recordApproval(ctx, req);
      }),

    // The cross-border side (retry policies: workflows/retry-policies.ts, one per system).
    submitForReview: (ctx: CallContext, req: Req<typeof centralAuthority.submitForReview>) => guarded(() => centralAuthority.submitForReview(ctx, req)),
    requestProvisionalArrest: (ctx: CallContext, req: Req<typeof centralAuthority.requestProvisionalArrest>) =>
      guarded(() => centralAuthority.requestProvisionalArrest(ctx, req)),
    transmitDiplomaticNote: (ctx: CallContext, req: Req<typeof diplomatic.transmit>) => guarded(() => diplomatic.transmit(ctx, req)),
    requestForeignPreservation: (ctx: CallContext, req: Req<typeof foreignPartner.requestPreservation>) =>
      guarded(() => foreignPartner.requestPreservation(ctx, req)),
    renewForeignPreservation: (ctx: CallContext, req: Req<typeof foreignPartner.renewPreservation>) =>
      guarded(() => foreignPartner.renewPreservation(ctx, req)),
    releaseForeignPreservation: (ctx: CallContext, req: Req<typeof foreignPartner.releasePreservation>) =>
      guarded(() => foreignPartner.releasePreservation(ctx, req)),
    sendCaseFile: (ctx: CallContext, req: Req<typeof foreignPartner.sendCaseFile>) => guarded(() => foreignPartner.sendCaseFile(ctx, req)),
    issueEuProductionOrder: (ctx: CallContext, req: Req<typeof orders.issueEuProductionOrder>) => guarded(() => orders.issueEuProductionOrder(ctx, req)),
    issueEuPreservationOrder: (ctx: CallContext, req: Req<typeof orders.issueEuPreservationOrder>) => guarded(() => orders.issueEuPreservationOrder(ctx, req)),
    issueCloudActOrder: (ctx: CallContext, req: Req<typeof orders.issueCloudActOrder>) => guarded(() => orders.issueCloudActOrder(ctx, req)),
    extendEuPreservationOrder: (ctx: CallContext, req: Req<typeof orders.extendEuPreservationOrder>) =>
      guarded(() => orders.extendEuPreservationOrder(ctx, req)),
    withdrawOrder: (ctx: CallContext, req: Req<typeof orders.withdraw>) => guarded(() => orders.withdraw(ctx, req)),
    translateDocument: (ctx: CallContext, req: Req<typeof translation.translate>) => guarded(() => translation.translate(ctx, req)),

    // Before the warrant: the child's safety, who is behind the IP, the warrant's return.
    /** The deployment's policy values (no defaults): a case reads them here so the values it acted on are in its history. */
    deploymentPolicy: async (_ctx: CallContext): Promise<DeploymentPolicy> => policy,
    referChild: (ctx: CallContext, req: Req<typeof childProtection.refer>) => guarded(() => childProtection.refer(ctx, req)),
    notifyPoliceProtection: (ctx: CallContext, req: Req<typeof childProtection.notifyPoliceProtection>) =>
      guarded(() => childProtection.notifyPoliceProtection(ctx, req)),
    matchKnownVictims: (ctx: CallContext, req: Req<typeof victimIdentification.matchKnownVictims>) =>
      guarded(() => victimIdentification.matchKnownVictims(ctx, req)),
    submitForIdentification: (ctx: CallContext, req: Req<typeof victimIdentification.submitForIdentification>) =>
      guarded(() => victimIdentification.submitForIdentification(ctx, req)),
    lookupIsp: (ctx: CallContext, req: Req<typeof isp.lookup>) => guarded(() => isp.lookup(ctx, req)),
    preserveIspLogs: (ctx: CallContext, req: Req<typeof isp.preserveLogs>) => guarded(() => isp.preserveLogs(ctx, req)),
    authoriseCommsData: (ctx: CallContext, req: Req<typeof isp.authorise>) => guarded(() => isp.authorise(ctx, req)),
    serveSubscriberProcess: (ctx: CallContext, req: Req<typeof isp.serve>) => guarded(() => isp.serve(ctx, req)),
    collectSubscriberAnswer: async (ctx: CallContext, req: Req<typeof isp.collect>) => {
      const answer = await guarded(() => isp.collect(ctx, req));
      // The subscriber's address is personal data: scrubbed from every log line from here on.
      if (answer.outcome === 'identified') addSensitiveValues([answer.subscriber.address]);
      return answer;
    },
    applyForRecordsOrder: (ctx: CallContext, req: Req<typeof court.applyForRecordsOrder>) => guarded(() => court.applyForRecordsOrder(ctx, req)),
    fileWarrantReturn: (ctx: CallContext, req: Req<typeof court.fileWarrantReturn>) => guarded(() => court.fileWarrantReturn(ctx, req)),
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
