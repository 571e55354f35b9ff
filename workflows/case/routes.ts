/**
 * The case's route decisions, each its own step between stages (so a decision that needs a person
 * is recorded as that decision, not as the stage before it): what follows the jurisdiction, how the
 * evidence is obtained from where it is held, and what is done about the suspect once it is in hand.
 * The routes come from the policy tables (workflows/policy/routing.ts); the timeline says which and why.
 */
import { getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import { evidenceRoute, suspectRoute, type EvidenceRoute } from '../policy';
import { releasePreservation } from '../preservation';
import type { Stage } from '../vocabulary';
import { NeedsAttention, type CaseContext } from './context';
import { PATCHES } from './patches';
import type { Next } from './record';

const EVIDENCE_STAGES: Record<EvidenceRoute, Stage> = {
  'domestic-warrant': 'WARRANT',
  'cloud-act-order': 'CLOUD_ACT_ORDER',
  'eu-production-order': 'EU_PRODUCTION_ORDER',
  mlat: 'MLAT',
  'foreign-evidence': 'FOREIGN_EVIDENCE',
};

/** A priority-1 case asks for emergency disclosure before anything else. */
export function afterJurisdiction({ state }: CaseContext): Stage {
  return state.priority === 1 && !state.emergencyDone ? 'EMERGENCY_DISCLOSURE' : 'FILE_REVIEW';
}

export function decideEvidenceRoute(ctx: CaseContext): Stage {
  const { state, rec } = ctx;
  if (!state.evidenceRoute) {
    if (!state.dataCountry) throw new NeedsAttention('evidence-route', 'where the data is held is unknown: a liaison must arrange the evidence');
    const routed = evidenceRoute({
      dataCountry: state.dataCountry,
      suspectCountry: state.suspectCountry,
      home: state.homeCountry,
      isoDate: rec.now(),
      euIssuerRule: patched(PATCHES.euOrdersNeedAnEuIssuer),
      nationality: state.tip.personOrUserReported.nationality,
      countries: ctx.countries(),
      law: ctx.law,
    });
    state.evidenceRoute = routed.route;
    rec.log('stage', `evidence route: ${routed.why}`);
    if (routed.route !== 'domestic-warrant') rec.clearDeadline('triage-target'); // acted on: the request abroad starts now
  }
  return EVIDENCE_STAGES[state.evidenceRoute];
}

/** A refused direct order falls back to the treaty route. */
export function fallBackToMlat({ state, rec }: CaseContext, why: string): Stage {
  state.evidenceRoute = 'mlat';
  rec.log('stage', `evidence route: ${why}; falling back to an MLAT request`);
  return 'MLAT';
}

/** The evidence is in hand: preservation is released and the suspect's route is decided next. */
export async function haveEvidence(ctx: CaseContext, detail: string): Promise<Next> {
  const { state, rec } = ctx;
  state.evidenceInHand = true;
  state.currentRequest = null;
  rec.log('response', `evidence in hand: ${detail}`);
  await releaseChildPreservation(ctx, 'evidence is in hand');
  return { decide: 'suspect-route' };
}

export function decideSuspectRoute(ctx: CaseContext): Stage {
  const { state, rec } = ctx;
  if (!state.suspectCountry) throw new NeedsAttention('suspect-route', 'where the suspect is is unknown: the jurisdiction must be resolved first');
  const routed = suspectRoute({
    suspectCountry: state.suspectCountry,
    nationality: state.tip.personOrUserReported.nationality,
    home: state.homeCountry,
    countries: ctx.countries(),
    law: ctx.law,
  });
  if (state.suspectRoute !== routed.route) {
    state.suspectRoute = routed.route;
    rec.log('stage', `suspect route: ${routed.why}`);
  }
  switch (routed.route) {
    case 'local-arrest':
      // Under a home law that arrests on the search (PACE s.24), the suspect's premises are searched under warrant first.
      if (ctx.law.arrestOnSearch) return state.premisesSearched ? 'LOCAL_ARREST' : 'WARRANT';
      return state.arrestWarrantId ? 'LOCAL_ARREST' : 'ARREST_WARRANT';
    case 'extradition':
      // Extradition rests on a domestic arrest warrant, as an arrest at home does.
      return state.arrestWarrantId ? (routed.route === 'extradition' ? 'EXTRADITION' : 'LOCAL_ARREST') : 'ARREST_WARRANT';
    case 'transfer-of-proceedings':
      return 'TRANSFER_OF_PROCEEDINGS';
    case 'liaison':
      throw new NeedsAttention('suspect-abroad', routed.why);
  }
}

/** Asks the preservation child to release; it may have ended already (released earlier, or lapsed). */
export async function releaseChildPreservation({ state, rec }: CaseContext, reason: string): Promise<void> {
  const p = state.preservation;
  if (!p || !(p.state === 'REQUESTED' || p.state === 'PRESERVED' || p.state === 'RENEWED')) return;
  try {
    await getExternalWorkflowHandle(p.workflowId).signal(releasePreservation, { reason });
  } catch {
    // The child has already ended and its last report is still on its way: there is nothing left to release.
    rec.log('request', `preservation already ended; no release needed (${reason})`);
    return;
  }
  rec.log('request', `release of preservation requested: ${reason}`);
}
