/**
 * Simulated cross-border systems: the central authority's review, the diplomatic channel, the 24/7
 * network and foreign partners, the EU / CLOUD Act order gateways and translation. They only take
 * requests and hand back references and dates; the foreign side's decisions reach a case through
 * liaisons (`respond`), as they do in life.
 */
import {
  RejectedRequestError,
  type CallContext,
  type CentralAuthorityPort,
  type CrossBorderOrderPort,
  type DiplomaticChannelPort,
  type ForeignPartnerPort,
  type TranslationPort,
} from '../ports';
import type { CaseScript } from './script';

/** What the shared simulator core lends each system: the ledgered call, references and dates. */
export interface SimKit {
  call: <T>(system: string, op: string, ctx: CallContext, decide: () => T) => Promise<T>;
  ref: (prefix: string, ctx: CallContext) => string;
  inDays: (asOf: string, days: number) => string;
  script: (caseId: string) => CaseScript;
}

const HOUR_MS = 3_600_000;

export function createCrossBorderSimulators(kit: SimKit) {
  const { call, ref, inDays, script } = kit;

  const centralAuthority: CentralAuthorityPort = {
    submitForReview: (ctx, req) =>
      call('central-authority', 'submitForReview', ctx, () => {
        // The n-th review round of a request follows the script's n-th decision (default: cleared).
        const s = script(ctx.caseId);
        const decidedAt = inDays(req.asOf, (s.centralAuthorityReviewDays?.[req.round - 1] ?? 2) * req.dayScale);
        return s.centralAuthorityReviews?.[req.round - 1] === 'edits'
          ? { decision: 'edits-requested' as const, edits: 'state the facts establishing probable cause for each account', decidedAt }
          : { decision: 'cleared' as const, reference: ref('OIA', ctx), decidedAt };
      }),
    requestProvisionalArrest: (ctx, req) => call('central-authority', 'requestProvisionalArrest', ctx, () => ({ reference: ref(`PA-${req.country}`, ctx) })),
  };

  const diplomatic: DiplomaticChannelPort = {
    transmit: (ctx, req) => call('diplomatic', 'transmit', ctx, () => ({ noteReference: ref(`NOTE-${req.country}`, ctx), transmittedAt: inDays(req.asOf, 0) })),
  };

  const foreignPartner: ForeignPartnerPort = {
    requestPreservation: (ctx, req) =>
      call('foreign-partner', 'requestPreservation', ctx, () => {
        if (script(ctx.caseId).foreignPreservation === 'refuse') {
          throw new RejectedRequestError('foreign-partner', `the ${req.country} 24/7 point of contact refused to preserve: account not found`);
        }
        return { reference: ref(`P247-${req.country}`, ctx), expiresAt: inDays(req.asOf, req.periodDays) };
      }),
    renewPreservation: (ctx, req) =>
      call('foreign-partner', 'renewPreservation', ctx, () => ({ reference: req.reference, expiresAt: inDays(req.asOf, req.periodDays) })),
    releasePreservation: async (ctx, req) => {
      await call('foreign-partner', 'releasePreservation', ctx, () => ({ released: req.reference }));
    },
    sendCaseFile: (ctx, req) => call('foreign-partner', 'sendCaseFile', ctx, () => ({ reference: ref(`TOP-${req.country}`, ctx) })),
  };

  const orders: CrossBorderOrderPort = {
    issueEuProductionOrder: (ctx, req) =>
      call('orders', 'issueEuProductionOrder', ctx, () => ({
        orderId: ref(`EPOC-${req.country}`, ctx),
        dueAt: new Date(Date.parse(req.asOf) + req.produceWithinHours * HOUR_MS).toISOString(),
      })),
    issueEuPreservationOrder: (ctx, req) =>
      call('orders', 'issueEuPreservationOrder', ctx, () => ({ reference: ref(`EPOC-PR-${req.country}`, ctx), expiresAt: inDays(req.asOf, req.periodDays) })),
    issueCloudActOrder: (ctx, req) => call('orders', 'issueCloudActOrder', ctx, () => ({ orderId: ref(`CLOUD-${req.country}`, ctx) })),
    extendEuPreservationOrder: (ctx, req) =>
      call('orders', 'extendEuPreservationOrder', ctx, () => ({ reference: req.reference, expiresAt: inDays(req.asOf, req.periodDays) })),
    withdraw: async (ctx, req) => {
      await call('orders', 'withdraw', ctx, () => ({ withdrawn: req.reference }));
    },
  };

  const translation: TranslationPort = {
    translate: (ctx, req) => call('translation', 'translate', ctx, () => ({ documentId: `${req.document.documentId}.${req.to}`, language: req.to })),
  };

  return { centralAuthority, diplomatic, foreignPartner, orders, translation };
}
