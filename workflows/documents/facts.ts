/**
 * The facts a document is filled from: what the case's record knows (the tip, triage, requests and
 * their references) plus what a person adds (an affidavit's probable-cause narrative, a supplement's
 * answers). `factsFromCase` is pure and deterministic, so a workflow can build the facts and hand
 * them to the document activity; the document itself never enters a workflow.
 *
 * The facts hold personal data (screen names, IP addresses): they travel only in encrypted payloads
 * and in the encrypted document store, never in logs or search attributes.
 */
import { z } from 'zod';
import type { CaseState } from '../case/record';
import { IncidentTypeSchema, PrioritySchema, CountryCodeSchema, escalationReason, incidentTypeOf } from '../tip';
import { RoleSchema } from '../vocabulary';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

/** What people add to a document that the case record cannot know. Every field is optional: a missing one renders as a marked gap to complete. */
export const DocumentAdditionsSchema = z
  .object({
    /** The affiant's statement of probable cause (search warrant affidavit), or the specific and articulable facts (§ 2703(d)). */
    probableCause: text(50_000).optional(),
    /** Why the emergency is real (§ 2702(b)(8), EU emergency order, provisional arrest). */
    emergencyNarrative: text(10_000).optional(),
    affiant: z
      .object({ name: text(200), title: text(200) })
      .strict()
      .optional(),
    /** The issuing or validating judicial officer (EU orders, CLOUD Act orders). */
    judicialOfficer: z
      .object({ name: text(200), title: text(200) })
      .strict()
      .optional(),
    /** The foreign side's questions and the answers (an MLAT supplement). */
    answers: z
      .array(z.object({ question: text(5_000), answer: text(20_000) }).strict())
      .max(100)
      .optional(),
    /** Edits the central authority asked for (a redraft), as it wrote them. */
    edits: text(10_000).optional(),
    /** An amended warrant application's change, as the coordinator wrote it. */
    amendment: text(10_000).optional(),
    /** Anything the request should say beyond what is generated (procedures to follow, witnesses). */
    procedures: text(10_000).optional(),
  })
  .strict();
export type DocumentAdditions = z.infer<typeof DocumentAdditionsSchema>;

const RequestRefSchema = z.object({
  requestId: text(300),
  kind: text(100),
  status: text(100),
  reference: text(200).optional(),
  reason: text(2_000).optional(),
});

export const DocumentFactsSchema = z
  .object({
    caseId: text(100),
    ncmecReportNumber: z.string().regex(/^\d{5,12}$/),
    /** The agency's country. */
    homeCountry: CountryCodeSchema,
    /** Where this document goes (the requested state, the provider's country); null for a domestic one. */
    destinationCountry: CountryCodeSchema.nullable(),
    suspectCountry: CountryCodeSchema.nullable(),
    dataCountry: CountryCodeSchema.nullable(),
    priority: PrioritySchema.nullable(),
    /** A child may be in imminent danger (priority 1 or the provider escalated it). */
    emergency: z.boolean(),
    incident: z.object({ type: IncidentTypeSchema, dateTime: isoDateTime, escalated: z.boolean() }),
    provider: z.object({ name: text(200), service: text(200).optional(), dataCountry: CountryCodeSchema }),
    account: z.object({
      espIdentifier: text(200),
      screenName: text(200).optional(),
      displayNames: z.array(text(200)),
      deviceIds: z.array(text(200)),
      priorReports: z.array(z.string().regex(/^\d{5,12}$/)),
      location: z.object({ countryCode: CountryCodeSchema.optional(), region: text(200).optional(), city: text(200).optional() }).optional(),
      nationality: CountryCodeSchema.optional(),
    }),
    ipEvents: z.array(
      z.object({
        ipAddress: text(100),
        event: text(50),
        dateTime: isoDateTime,
        port: z.number().int().min(0).max(65535).optional(),
        possibleProxy: z.boolean(),
        countryCode: CountryCodeSchema.optional(),
      }),
    ),
    /** United States v. Wilson: which files a person at the provider viewed (reviewable now) and which need a warrant first. */
    files: z.array(
      z.object({
        fileId: text(200),
        originalFileName: text(500).optional(),
        viewedByProvider: z.boolean(),
        exifViewedByProvider: z.boolean().optional(),
        publiclyAvailable: z.boolean(),
        hashes: z.array(text(256)),
      }),
    ),
    victims: z.array(z.object({ ageRange: text(50).optional(), countryCode: CountryCodeSchema.optional() })),
    /** The request this document belongs to, as the case knows it now. */
    request: RequestRefSchema.optional(),
    /** The other requests of the case with their references (a renewal cites the preservation, a note the MLAT). */
    relatedRequests: z.array(RequestRefSchema),
    preservation: z
      .object({
        state: text(50),
        reference: text(200).optional(),
        expiresAt: isoDateTime.optional(),
        renewalsUsed: z.number().int().min(0),
      })
      .optional(),
    warrant: z.object({ warrantId: text(200), grantedAt: isoDateTime }).optional(),
    arrestWarrantId: text(200).optional(),
    warrantApplications: z.number().int().min(0),
    linkedCases: z.array(text(100)),
    /** 1 for the first document of its kind on the request, 2 for the second supplement, … */
    sequence: z.number().int().min(1),
    additions: DocumentAdditionsSchema,
    preparedAt: isoDateTime,
    preparedBy: z.object({ actor: text(200), role: RoleSchema }).optional(),
  })
  .strict();
export type DocumentFacts = z.infer<typeof DocumentFactsSchema>;

export interface FactsOptions {
  /** The request the document is for (its id as in the case's requests). */
  requestId?: string;
  /** Where the document goes; defaults by request: the data's country for evidence, the suspect's for extradition. */
  destinationCountry?: string | null;
  sequence?: number;
  additions?: DocumentAdditions;
  preparedBy?: { actor: string; role: z.infer<typeof RoleSchema> };
  /** The case's clock (ISO): the workflow's `new Date()`, deterministic on replay. */
  at: string;
}

const SUSPECT_SIDE = new Set(['extradition', 'transfer-of-proceedings']);

/** The facts of a case as a document needs them. Pure: the same state and options give the same facts. */
export function factsFromCase(state: CaseState, o: FactsOptions): DocumentFacts {
  const tip = state.tip;
  const p = tip.personOrUserReported;
  const request = o.requestId ? state.requests.find((r) => r.requestId === o.requestId) : undefined;
  const ref = (r: (typeof state.requests)[number]) => ({
    requestId: r.requestId,
    kind: r.kind,
    status: r.status,
    ...(r.reference ? { reference: r.reference } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  });
  const preservationRequest = state.requests.find((r) => r.kind === 'preservation');
  const destination =
    o.destinationCountry !== undefined
      ? o.destinationCountry
      : request && SUSPECT_SIDE.has(request.kind)
        ? state.suspectCountry
        : (state.dataCountry ?? tip.reporter.dataCountry);
  const facts: DocumentFacts = {
    caseId: state.caseId,
    ncmecReportNumber: tip.ncmecReportNumber,
    homeCountry: state.homeCountry,
    destinationCountry: destination && destination !== state.homeCountry ? destination : null,
    suspectCountry: state.suspectCountry,
    dataCountry: state.dataCountry ?? tip.reporter.dataCountry,
    priority: state.priority ?? tip.priority ?? null,
    emergency: (state.priority ?? tip.priority) === 1 || escalationReason(tip.incidentSummary) !== undefined,
    incident: {
      type: incidentTypeOf(tip.incidentSummary),
      dateTime: tip.incidentSummary.incidentDateTime,
      escalated: escalationReason(tip.incidentSummary) !== undefined,
    },
    provider: { name: tip.reporter.espName, ...(p.espService ? { service: p.espService } : {}), dataCountry: tip.reporter.dataCountry },
    account: {
      espIdentifier: p.espIdentifier,
      ...(p.screenName ? { screenName: p.screenName } : {}),
      displayNames: [...p.displayName],
      deviceIds: [...p.deviceId],
      priorReports: [...p.priorCTReports],
      ...(p.estimatedLocation ? { location: { ...p.estimatedLocation } } : {}),
      ...(p.nationality ? { nationality: p.nationality } : {}),
    },
    ipEvents: p.ipCaptureEvent.map((e) => ({
      ipAddress: e.ipAddress,
      event: e.eventName,
      dateTime: e.dateTime,
      ...(e.port !== undefined ? { port: e.port } : {}),
      possibleProxy: e.possibleProxy,
      ...(e.countryCode ? { countryCode: e.countryCode } : {}),
    })),
    files: tip.files.map((f) => ({
      fileId: f.fileId,
      ...(f.originalFileName ? { originalFileName: f.originalFileName } : {}),
      viewedByProvider: f.fileViewedByEsp,
      ...(f.exifViewedByEsp !== undefined ? { exifViewedByProvider: f.exifViewedByEsp } : {}),
      publiclyAvailable: f.publiclyAvailable,
      hashes: [...f.originalFileHash],
    })),
    victims: tip.victim.map((v) => ({
      ...(v.ageRange ? { ageRange: v.ageRange } : {}),
      ...(v.estimatedLocation?.countryCode ? { countryCode: v.estimatedLocation.countryCode } : {}),
    })),
    ...(request ? { request: ref(request) } : {}),
    relatedRequests: state.requests.filter((r) => r.requestId !== o.requestId).map(ref),
    ...(state.preservation
      ? {
          preservation: {
            state: state.preservation.state,
            ...(preservationRequest?.reference ? { reference: preservationRequest.reference } : {}),
            ...(state.preservation.expiresAt ? { expiresAt: state.preservation.expiresAt } : {}),
            renewalsUsed: state.preservation.renewalsUsed,
          },
        }
      : {}),
    ...(state.warrant ? { warrant: { warrantId: state.warrant.warrantId, grantedAt: state.warrant.grantedAt } } : {}),
    ...(state.arrestWarrantId ? { arrestWarrantId: state.arrestWarrantId } : {}),
    warrantApplications: state.warrantApplications,
    linkedCases: [...state.linkedCases],
    sequence: o.sequence ?? 1,
    additions: { ...(o.additions ?? {}) },
    preparedAt: o.at,
    ...(o.preparedBy ? { preparedBy: { ...o.preparedBy } } : {}),
  };
  return facts;
}
