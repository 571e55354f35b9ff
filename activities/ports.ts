/**
 * The external systems a case talks to, as typed ports. Simulators implement them here; a real
 * integration (a court's e-filing system, a provider's law-enforcement portal, the agency's case
 * system, the DOJ central authority) implements the same interface, with no workflow change.
 *
 * Every call carries an idempotency key derived from the case and the step, so a retried or
 * replayed call is recognised by the receiving system and never acted on twice.
 */
import type { DocumentFacts, DocumentKind } from '../workflows/documents';
import type { SafeguardingChannel, SubscriberInstrument, VictimDatabase } from '../workflows/policy';
import type { Tip } from '../workflows/tip';
import type { Role } from '../workflows/vocabulary';

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
  /**
   * What the tip flags for the analyst (workflows/tip.ts `tipFlags`: NCMEC report annotations,
   * escalation, file annotations such as generative AI, legal process already served). Codes only.
   * Absent in assessments recorded before NCMEC intake.
   */
  flags?: string[];
  /**
   * What the assessment found in the content (chats, metadata) that may mean imminent danger, as the
   * policy's indicator codes (workflows/policy/danger.ts), e.g. `planned-meeting`. Absent from older services.
   */
  indicators?: string[];
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
  /** § 2703(d): an order for records beyond basic subscriber information, on the coordinator's specific and articulable facts. */
  applyForRecordsOrder(ctx: CallContext, req: { provider: string; facts: string }): Promise<CourtDecision>;
  /** Rule 41(f)(1)(D): the executed warrant returned to the magistrate judge with its verified inventory. */
  fileWarrantReturn(ctx: CallContext, req: { warrantId: string; items: number; inventory: string }): Promise<{ reference: string }>;
}

/** The agency's own operations: execution of warrants, arrests, alerts to people. */
export interface AgencyPort {
  /** When the agency can execute the warrant (scheduling depends on its resources). */
  scheduleWarrantExecution(
    ctx: CallContext,
    req: { warrantId: string; application: number; executeBy: string; asOf: string; /** real days per policy day (policy profile) */ dayScale: number },
  ): Promise<{ scheduledFor: string }>;
  /** Executes a warrant to search the suspect's premises (PACE s.8): what was seized, by reference only. */
  searchPremises(ctx: CallContext, req: { warrantId: string }): Promise<{ evidenceId: string; itemsSeized: number }>;
  /** Opens the files the provider itself viewed (no warrant needed for those). */
  reviewFiles(ctx: CallContext, req: { fileIds: string[] }): Promise<{ reviewed: number }>;
  /**
   * Under an arrest warrant, or without one on the search of the premises (`searchWarrantId`, under `power`: PACE s.24).
   * `warrantless`: the arrest was made without the warrant (in the act, before it was served): probable cause is then for a magistrate within 48 hours.
   */
  arrest(
    ctx: CallContext,
    req: { arrestWarrantId: string } | { searchWarrantId: string; power: string },
  ): Promise<{ arrestedAt: string; warrantless?: boolean }>;
  /** An alert to a person: a reminder, an escalation, a lapse. Carries no tip content. */
  alert(ctx: CallContext, req: { to: 'coordinator' | 'manager' | 'liaison' | 'analyst'; kind: string; message: string }): Promise<void>;
  /** Withdraws an outstanding request at another system (compensation on withdrawal). */
  withdrawRequest(ctx: CallContext, req: { requestId: string; kind: string }): Promise<void>;
  /**
   * Generates an outgoing document from the case file and the model request (an MLAT request, a
   * supplement, an extradition request), applying the central authority's edits when it sent it back.
   */
  draftDocument(
    ctx: CallContext,
    req: { requestId: string; documentKind: 'mlat-request' | 'mlat-supplement' | 'extradition-request'; round: number; edits?: string },
  ): Promise<DocumentRef>;
}

// ---- The cross-border side. A foreign state's answers (acknowledged, more information, executed,
// refused, ordered, …) arrive through people — liaisons record them with the `respond` update — so
// these ports only send, and return what the sending system gives back at once (a reference, a date).

/** A document CaseBridge generates and sends (MLAT request, diplomatic note, order, case file). */
export interface DocumentRef {
  /** The document's id in the agency's document store: never the document's content. */
  documentId: string;
  /** ISO 639-1 language code. */
  language: string;
}

/** A generated document version, as a workflow may keep it: where it is and which text it is, never the text. */
export interface GeneratedDocument extends DocumentRef {
  kind: DocumentKind;
  version: number;
  /** SHA-256 of the version's text: what an approval names, and what the timeline fixes. */
  contentHash: string;
  /** Gaps a person must fill (by uploading an edited DOCX) before the version can be approved; labels only. */
  incomplete: string[];
}

/**
 * CaseBridge's own document generator and store (documents/, platform/store/documents/): generates
 * the document of a kind from the case's facts as a new version, or returns the version the same
 * idempotency key generated before. The content stays in the store; only the reference comes back.
 */
export interface DocumentPort {
  generate(
    ctx: CallContext,
    req: {
      kind: DocumentKind;
      facts: DocumentFacts;
      language?: string;
      author?: { actor: string; role: Role; actorId?: string };
      /** A redraft from this uploaded version of the document (its text and the edits), not from the template. */
      fromRevision?: number;
    },
  ): Promise<GeneratedDocument>;
  /**
   * Keeps the store's copy of an approval in step with the workflow's (the workflow's update is the
   * authority): the version's rendered files then carry the approval instead of the DRAFT marks.
   * Idempotent: a version already approved is left as it is.
   */
  recordApproval(
    ctx: CallContext,
    req: { documentId: string; version: number; contentHash: string; approver: { actor: string; role: Role; actorId?: string }; at: string },
  ): Promise<GeneratedDocument>;
}

/** `decidedAt`: when the central authority's decision is given (a review takes days; counted from `asOf`). */
export type CentralAuthorityReview = ({ decision: 'cleared'; reference: string } | { decision: 'edits-requested'; edits: string }) & { decidedAt: string };

/** The home central authority (in the US the DOJ Office of International Affairs). */
export interface CentralAuthorityPort {
  /** Review and clearance of an outgoing MLAT or extradition request; may send it back with edits. */
  submitForReview(
    ctx: CallContext,
    req: {
      requestId: string;
      /** 1 for the first submission, 2 after the first edits, … */
      round: number;
      kind: 'mlat' | 'extradition' | 'transfer-of-proceedings';
      country: string;
      document: DocumentRef;
      asOf: string;
      /** real days per policy day (policy profile) */
      dayScale: number;
    },
  ): Promise<CentralAuthorityReview>;
  /** Asks the foreign state, through the central authority, to arrest provisionally (urgent; a Red Notice may accompany it). */
  requestProvisionalArrest(ctx: CallContext, req: { requestId: string; country: string; asOf: string }): Promise<{ reference: string }>;
}

/** Transmission by diplomatic note (State Department → embassy → foreign ministry). */
export interface DiplomaticChannelPort {
  transmit(
    ctx: CallContext,
    req: {
      requestId: string;
      country: string;
      documentKind: 'mlat-request' | 'mlat-supplement' | 'extradition-request' | 'transfer-of-proceedings';
      document: DocumentRef;
      asOf: string;
    },
  ): Promise<{ noteReference: string; transmittedAt: string }>;
}

/** Police-to-police channels: the Budapest Convention 24/7 network, liaison officers abroad. */
export interface ForeignPartnerPort {
  /** Expedited preservation (Budapest Art. 29): the partner asks its provider to preserve. */
  requestPreservation(ctx: CallContext, req: { country: string; provider: string; periodDays: number; asOf: string }): Promise<PreservationReceipt>;
  renewPreservation(ctx: CallContext, req: { country: string; reference: string; periodDays: number; asOf: string }): Promise<PreservationReceipt>;
  releasePreservation(ctx: CallContext, req: { country: string; reference: string }): Promise<void>;
  /** Sends the case file to the foreign prosecutor (transfer of proceedings). */
  sendCaseFile(ctx: CallContext, req: { requestId: string; country: string; document: DocumentRef }): Promise<{ reference: string }>;
}

/** Orders issued directly to a provider abroad: EU e-Evidence orders (through the decentralised IT system) and CLOUD Act orders. */
export interface CrossBorderOrderPort {
  /** EU production order (Reg. 2023/1543): the provider must produce within the order's window. */
  issueEuProductionOrder(
    ctx: CallContext,
    req: { requestId: string; country: string; provider: string; emergency: boolean; produceWithinHours: number; asOf: string },
  ): Promise<{ orderId: string; dueAt: string }>;
  issueEuPreservationOrder(ctx: CallContext, req: { country: string; provider: string; periodDays: number; asOf: string }): Promise<PreservationReceipt>;
  /** Extends an EU preservation order (Art. 11(1)) while the production order is prepared. */
  extendEuPreservationOrder(ctx: CallContext, req: { country: string; reference: string; periodDays: number; asOf: string }): Promise<PreservationReceipt>;
  /** A direct order under a CLOUD Act executive agreement (e.g. US–UK). */
  issueCloudActOrder(
    ctx: CallContext,
    req: {
      requestId: string;
      country: string;
      provider: string;
      asOf: string;
      /** The order forbids the provider to disclose it (a UK overseas production order's requirement, COPOA 2019 s.8): the statute, for the order's text. */
      nonDisclosure?: string;
    },
  ): Promise<{ orderId: string }>;
  /** Withdraws an order or request not yet answered (compensation on withdrawal). */
  withdraw(ctx: CallContext, req: { requestId: string; reference: string }): Promise<void>;
}

/** Translation of outgoing documents into the requested state's language. */
export interface TranslationPort {
  translate(ctx: CallContext, req: { document: DocumentRef; to: string }): Promise<DocumentRef>;
}

// ---- Before the warrant: the child's safety and who is behind the IP address.

/** Child protective services (US) or the local authority's children's social care (UK). */
export interface ChildProtectionPort {
  /**
   * A report of suspected abuse to child protective services (US, 34 U.S.C. § 20341) or a referral to
   * the local authority (UK). Carries no tip content: the case id is the reference the agency calls back on.
   */
  refer(
    ctx: CallContext,
    req: { channel: SafeguardingChannel; urgent: boolean; area?: { countryCode?: string; region?: string; city?: string }; asOf: string },
  ): Promise<{ reference: string; receivedAt: string }>;
  /** UK, Children Act 1989 s.46(3)(a): the local authority told that a child is in police protection, and until when at most. */
  notifyPoliceProtection(ctx: CallContext, req: { reference: string; until: string }): Promise<void>;
}

export type KnownVictimMatch = { match: 'known-series'; seriesReference: string; matchedFiles: number } | { match: 'none' };

/** Victim identification: NCMEC's Child Victim Identification Program, INTERPOL's ICSE database. */
export interface VictimIdentificationPort {
  /** Compares the reported files' hashes with the images of children already identified. */
  matchKnownVictims(ctx: CallContext, req: { database: VictimDatabase; hashes: string[] }): Promise<KnownVictimMatch>;
  /** Submits the images of a child not yet identified, for identification by the database's analysts. */
  submitForIdentification(
    ctx: CallContext,
    req: { database: VictimDatabase; fileIds: string[]; hashes: string[]; asOf: string },
  ): Promise<{ reference: string }>;
}

export type SubscriberAnswer =
  | { outcome: 'identified'; subscriber: { country: string; region?: string; city?: string; address: string } }
  | { outcome: 'no-data' | 'refused' | 'ambiguous'; reason: string };

/** Legal process to the provider that assigned an IP address (an ISP, a mobile carrier), through its law-enforcement portal. */
export interface IspLegalProcessPort {
  /** Which provider assigned the address, from the regional internet registry. `countryHint`: where the tip says it geolocates. */
  lookup(ctx: CallContext, req: { ipAddress: string; countryHint?: string }): Promise<{ provider: string; country: string } | { provider: null }>;
  /** § 2703(f) preservation of the provider's logs for the address at that time (IPA: a preservation request to the CSP). */
  preserveLogs(ctx: CallContext, req: { provider: string; ipAddress: string; at?: string; asOf: string }): Promise<{ reference: string }>;
  /** UK: a communications data authorisation (OCDA, s.60A; urgent: a designated senior officer, s.61A), the SPoC consulted (s.76). */
  authorise(
    ctx: CallContext,
    req: { provider: string; urgent: boolean; asOf: string },
  ): Promise<{ authorised: true; reference: string; authority: string } | { authorised: false; reason: string }>;
  /** Serves the process; the provider's portal says when it will answer (counted from `asOf`, `dayScale` real days per policy day). */
  serve(
    ctx: CallContext,
    req: {
      provider: string;
      instrument: SubscriberInstrument;
      ipAddress: string;
      at?: string;
      port?: number;
      /** The court order or authorisation the process rests on. */
      authority?: string;
      /** When the provider's logs for the address run out, as the deployment's table says; absent when unknown. */
      logsKeptUntil?: string;
      preserved: boolean;
      asOf: string;
      dayScale: number;
    },
  ): Promise<{ reference: string; answersAt: string }>;
  /** The provider's answer to process served. */
  collect(ctx: CallContext, req: { provider: string; reference: string; asOf: string }): Promise<SubscriberAnswer>;
}

export interface ExternalSystems {
  assessment: AssessmentPort;
  provider: ProviderPort;
  court: CourtPort;
  agency: AgencyPort;
  centralAuthority: CentralAuthorityPort;
  diplomatic: DiplomaticChannelPort;
  foreignPartner: ForeignPartnerPort;
  orders: CrossBorderOrderPort;
  translation: TranslationPort;
  childProtection: ChildProtectionPort;
  victimIdentification: VictimIdentificationPort;
  isp: IspLegalProcessPort;
}
