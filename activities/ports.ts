/**
 * The external systems a case talks to, as typed ports. Simulators implement them here; a real
 * integration (a court's e-filing system, a provider's law-enforcement portal, the agency's case
 * system, the DOJ central authority) implements the same interface, with no workflow change.
 *
 * Every call carries an idempotency key derived from the case and the step, so a retried or
 * replayed call is recognised by the receiving system and never acted on twice.
 */
import type { Tip } from '../workflows/tip';

export interface CallContext {
  idempotencyKey: string;
  caseId: string;
}
// Calls that produce dates take `asOf`, the case's own clock: a real system uses its own, a
// simulator counts from it so time-skipping tests and demo profiles see consistent dates.

/** A request the receiving system rejects as invalid: retrying the same request cannot help. */
export class RejectedRequestError extends Error {
  constructor(
    readonly system: string,
    message: string,
  ) {
    super(message);
    this.name = 'RejectedRequestError';
  }
}

/** The system is unreachable or failed for now: worth retrying. */
export class TransientSystemError extends Error {
  constructor(
    readonly system: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransientSystemError';
  }
}

export interface Assessment {
  criminal: boolean;
  /** Why the tip needs no action, when it does not. */
  noActionReason?: string;
  priority: 1 | 2 | 3;
  /** Where the suspect is, when IP geolocation or the provider's estimate settles it. */
  suspectCountry: string | null;
  dataCountry: string;
}

/** Triage support: the agency's assessment service and the deconfliction index (ICAC-style). */
export interface AssessmentPort {
  assess(ctx: CallContext, tip: Tip): Promise<Assessment>;
  /** Records the case's suspect identifiers; returns other open cases on the same identifiers. */
  deconflict(ctx: CallContext, identifiers: string[]): Promise<{ linkedCaseIds: string[] }>;
  /** Removes the case from the open-case index at closure. */
  closeInIndex(ctx: CallContext): Promise<void>;
}

export interface PreservationReceipt {
  reference: string;
  /** ISO time the preservation lapses unless renewed. */
  expiresAt: string;
}

/** The provider's law-enforcement gateway. */
export interface ProviderPort {
  requestPreservation(ctx: CallContext, req: { provider: string; instrument: string; periodDays: number; asOf: string }): Promise<PreservationReceipt>;
  renewPreservation(ctx: CallContext, req: { provider: string; reference: string; periodDays: number; asOf: string }): Promise<PreservationReceipt>;
  releasePreservation(ctx: CallContext, req: { provider: string; reference: string }): Promise<void>;
  /** § 2702(b)(8): the provider may disclose in an emergency, or refuse. */
  requestEmergencyDisclosure(ctx: CallContext, req: { provider: string }): Promise<{ disclosed: boolean; reason?: string }>;
  /** Serves a search warrant; the provider produces the content. */
  serveWarrant(ctx: CallContext, req: { provider: string; warrantId: string }): Promise<{ evidenceId: string }>;
}

export type CourtDecision = { granted: true; warrantId: string } | { granted: false; reason: string };

export interface CourtPort {
  applyForSearchWarrant(ctx: CallContext, req: { application: number; amendment?: string; fileIds: string[] }): Promise<CourtDecision>;
  applyForArrestWarrant(ctx: CallContext, req: { suspectCountry: string }): Promise<CourtDecision>;
}

/** The agency's own operations: execution of warrants, arrests, alerts to people. */
export interface AgencyPort {
  /** When the agency can execute the warrant (scheduling depends on its resources). */
  scheduleWarrantExecution(
    ctx: CallContext,
    req: { warrantId: string; application: number; executeBy: string; asOf: string; /** real days per policy day (policy profile) */ dayScale: number },
  ): Promise<{ scheduledFor: string }>;
  /** Opens the files the provider itself viewed (no warrant needed for those). */
  reviewFiles(ctx: CallContext, req: { fileIds: string[] }): Promise<{ reviewed: number }>;
  arrest(ctx: CallContext, req: { arrestWarrantId: string }): Promise<{ arrestedAt: string }>;
  /** An alert to a person: a reminder, an escalation, a lapse. Carries no tip content. */
  alert(ctx: CallContext, req: { to: 'coordinator' | 'manager' | 'liaison'; kind: string; message: string }): Promise<void>;
  /** Withdraws an outstanding request at another system (compensation on withdrawal). */
  withdrawRequest(ctx: CallContext, req: { requestId: string; kind: string }): Promise<void>;
}

export interface ExternalSystems {
  assessment: AssessmentPort;
  provider: ProviderPort;
  court: CourtPort;
  agency: AgencyPort;
}
