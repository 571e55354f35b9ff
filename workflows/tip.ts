/**
 * The tip a case starts from: a CyberTipline report as law enforcement receives it. Field names are
 * NCMEC's report schema names wherever the data is the same (intake/ncmec/ maps NCMEC's XML onto it;
 * docs/ncmec-intake.md has the table), plus NCMEC's report number and priority. This schema is the one
 * definition: the CLI, the intake, the workflow and the activities all import it.
 *
 * Tips already inside running cases were parsed by earlier versions of this schema and are never
 * parsed again: code that reads a tip handles the older shapes too (a boolean `escalateToHighPriority`,
 * free-text `reportAnnotations`, files without `fileAnnotations`).
 */
import { z } from 'zod';
import { CountryCodeSchema } from './policy/iso-countries';

/**
 * The incident types of NCMEC's report schema (`incidentType`), spelled as the schema spells them.
 * Tips written before intake read NCMEC's schema used "… for Sexual Act"; it is still accepted and
 * read as "… for Sexual Acts" (tips already inside a running case keep the old spelling).
 */
export const INCIDENT_TYPES = [
  'Child Pornography (possession, manufacture, and distribution)',
  'Child Sex Trafficking',
  'Child Sex Tourism',
  'Child Sexual Molestation',
  'Misleading Domain Name',
  'Misleading Words or Digital Images on the Internet',
  'Online Enticement of Children for Sexual Acts',
  'Unsolicited Obscene Material Sent to a Child',
] as const;
const LEGACY_INCIDENT_TYPES: Readonly<Record<string, IncidentType>> = {
  'Online Enticement of Children for Sexual Act': 'Online Enticement of Children for Sexual Acts',
};

export const IncidentTypeSchema = z.enum(INCIDENT_TYPES);
export type IncidentType = z.infer<typeof IncidentTypeSchema>;

export { CountryCodeSchema, type CountryCode } from './policy/iso-countries';

export const PrioritySchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Priority = z.infer<typeof PrioritySchema>;

const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone (Z or an offset)' });
const text = (max: number) => z.string().max(max);

/** The flags NCMEC's schema allows in `reportAnnotations` (each an empty element there). */
export const REPORT_ANNOTATIONS = ['sextortion', 'csamSolicitation', 'minorToMinorInteraction', 'spam', 'sadisticOnlineExploitation'] as const;
export const ReportAnnotationSchema = z.enum(REPORT_ANNOTATIONS, {
  error: (issue) =>
    typeof issue.input === 'string' && issue.input.startsWith('casebridge-sim:')
      ? 'simulator directives are not NCMEC report annotations: put them in simulatorDirectives'
      : `must be one of ${REPORT_ANNOTATIONS.join(', ')} (viral or meme content is a file annotation: files[].fileAnnotations)`,
});
export type ReportAnnotation = z.infer<typeof ReportAnnotationSchema>;

/** The flags NCMEC's schema allows in a file's `fileAnnotations`. */
export const FILE_ANNOTATIONS = [
  'animeDrawingVirtualHentai',
  'potentialMeme',
  'viral',
  'possibleSelfProduction',
  'physicalHarm',
  'violenceGore',
  'bestiality',
  'liveStreaming',
  'infant',
  'generativeAi',
] as const;
export const FileAnnotationSchema = z.enum(FILE_ANNOTATIONS, { error: () => `must be one of ${FILE_ANNOTATIONS.join(', ')}` });
export type FileAnnotation = z.infer<typeof FileAnnotationSchema>;

/** NCMEC's `batchedReport` reasons: a batch of otherwise individual reports grouped for that reason. */
export const BATCHED_REPORT_REASONS = ['VIRAL_POTENTIAL_MEME'] as const;

export const EstimatedLocationSchema = z.object({
  countryCode: CountryCodeSchema.optional(),
  region: text(200).optional(),
  city: text(200).optional(),
  /** The provider verified the location (NCMEC: `estimatedLocation/@verified`). */
  verified: z.boolean().optional(),
  /** When the location was estimated (`estimatedLocation/@timestamp`). */
  timestamp: isoDateTime.optional(),
});

export const IpCaptureEventSchema = z.object({
  ipAddress: z.union([z.ipv4(), z.ipv6()], { message: 'must be an IPv4 or IPv6 address' }),
  eventName: z.enum(['Login', 'Registration', 'Purchase', 'Upload', 'Other', 'Unknown']).default('Unknown'),
  /** Optional in NCMEC's schema, required here: an IP address without the time it was used identifies no one. */
  dateTime: isoDateTime,
  possibleProxy: z.boolean().default(false),
  port: z.number().int().min(0).max(65535).optional(),
  /** Where the IP geolocates, when the provider or NCMEC resolved it (not an ESP field). */
  countryCode: CountryCodeSchema.optional(),
});

const AddressSchema = z
  .object({
    address: text(500).optional(),
    city: text(200).optional(),
    zipCode: text(50).optional(),
    /** A US state or territory (NCMEC's `state` codes). */
    state: text(2).optional(),
    nonUsaState: text(200).optional(),
    country: CountryCodeSchema.optional(),
  })
  .strict();

/** A person as NCMEC's schema records one (`person`, `contactPerson`): the reporter's contact, a victim, a recipient. */
export const PersonSchema = z
  .object({
    firstName: text(200).optional(),
    lastName: text(200).optional(),
    phone: z.array(text(50)).default([]),
    email: z.array(text(320)).default([]),
    address: z.array(AddressSchema).default([]),
    age: z.number().int().min(0).max(150).optional(),
    dateOfBirth: z.iso.date({ message: 'must be an ISO 8601 date' }).optional(),
  })
  .strict();
export type Person = z.infer<typeof PersonSchema>;

/** The account-level fields NCMEC's schema gives a reported user, an intended recipient and a victim alike. */
const accountFields = {
  espIdentifier: text(200).optional(),
  espService: text(200).optional(),
  screenName: text(200).optional(),
  displayName: z.array(text(200)).default([]),
  profileUrl: z.array(text(2000)).default([]),
  ipCaptureEvent: z.array(IpCaptureEventSchema).default([]),
  /** Device ids (NCMEC's `deviceId/idValue`). */
  deviceId: z.array(text(200)).default([]),
  priorCTReports: z.array(z.string().regex(/^\d{5,12}$/)).default([]),
  estimatedLocation: EstimatedLocationSchema.optional(),
};

export const IntendedRecipientSchema = z.object({ person: PersonSchema.optional(), ...accountFields }).strict();

export const VictimSchema = z
  .object({
    person: PersonSchema.optional(),
    ...accountFields,
    schoolName: text(200).optional(),
    /** Written by hand in tips before NCMEC intake (NCMEC's schema has `victimPerson/age`). */
    ageRange: text(50).optional(),
  })
  .strict();

export const TipFileSchema = z.object({
  fileId: z.string().min(1).max(200),
  originalFileName: text(500).optional(),
  /** United States v. Wilson: a file the provider did not view needs a warrant before anyone opens it. */
  fileViewedByEsp: z.boolean(),
  exifViewedByEsp: z.boolean().optional(),
  publiclyAvailable: z.boolean().default(false),
  originalFileHash: z.array(z.string().min(8).max(256)).default([]),
  /** The provider's tags for the file (NCMEC's `fileAnnotations`): viral or meme content, generative AI, … */
  fileAnnotations: z.array(FileAnnotationSchema).default([]),
  /** `Reported` unless NCMEC's `fileRelevance` says `Supplemental Reported`. */
  fileRelevance: z.enum(['Reported', 'Supplemental Reported']).optional(),
  /** Industry hash-sharing classification (NCMEC's `industryClassification`). */
  industryClassification: z.enum(['A1', 'A2', 'B1', 'B2']).optional(),
  uploadedToEspTimestamp: isoDateTime.optional(),
});

/** A person or agency contact, as NCMEC's `contactPerson`. */
const ContactSchema = PersonSchema.omit({ age: true, dateOfBirth: true });

/**
 * NCMEC's `lawEnforcement`: the incident was already reported to, or legal process already served by,
 * law enforcement. CaseBridge must not request again what was already served.
 */
export const LawEnforcementSchema = z
  .object({
    agencyName: z.string().min(1).max(500),
    caseNumber: text(200).optional(),
    officerContact: ContactSchema.optional(),
    /** The provider reported the incident to law enforcement itself. */
    reportedToLe: z.boolean().optional(),
    /** Domestic law enforcement has served legal process about this user or incident. */
    servedLegalProcessDomestic: z.boolean().optional(),
    /** International law enforcement has served legal process; `country` is where it came from (NCMEC's `@fleaCountry`). */
    servedLegalProcessInternational: z.object({ served: z.boolean(), country: CountryCodeSchema.optional() }).strict().optional(),
  })
  .strict();
export type LawEnforcement = z.infer<typeof LawEnforcementSchema>;

export const TipSchema = z
  .object({
    /** NCMEC's CyberTipline report number; the case id is derived from it. */
    ncmecReportNumber: z.string().regex(/^\d{5,12}$/, { message: 'must be 5 to 12 digits' }),
    /** NCMEC's priority when it set one (1 = a child in imminent danger). */
    priority: PrioritySchema.optional(),
    /** NCMEC's `batchedReport`: this report stands for a batch of reports grouped for the reason. */
    batchedReport: z
      .object({ reason: z.enum(BATCHED_REPORT_REASONS) })
      .strict()
      .optional(),
    incidentSummary: z
      .object({
        incidentType: z.preprocess((v) => (typeof v === 'string' ? (LEGACY_INCIDENT_TYPES[v] ?? v) : v), IncidentTypeSchema),
        /** The full application name where the content occurred. */
        platform: text(200).optional(),
        /**
         * NCMEC's schema: the reason the provider asks for high priority (a child at immediate risk);
         * absent when it does not. Tips written before NCMEC intake, and tips inside running cases, carry
         * a boolean: read it with `escalationReason()`, never directly.
         */
        escalateToHighPriority: z.union([z.string().trim().min(1).max(2000), z.boolean()]).optional(),
        reportAnnotations: z.array(ReportAnnotationSchema).default([]),
        incidentDateTime: isoDateTime,
        incidentDateTimeDescription: text(2000).optional(),
      })
      .strict(),
    /** The electronic service provider that reported, the country where it holds the data, and whom to contact there. */
    reporter: z
      .object({
        espName: z.string().min(1).max(200),
        dataCountry: CountryCodeSchema,
        /** The person who submitted the report (NCMEC's `reportingPerson`). */
        reportingPerson: ContactSchema.optional(),
        /** Whom law enforcement should contact instead, when another person (NCMEC's `contactPerson`). */
        contactPerson: ContactSchema.optional(),
      })
      .strict(),
    personOrUserReported: z
      .object({
        ...accountFields,
        espIdentifier: z.string().min(1).max(200),
        person: PersonSchema.optional(),
        compromisedAccount: z.boolean().optional(),
        thirdPartyUserReported: z.boolean().optional(),
        groupIdentifier: text(500).optional(),
        /** Known nationality: decides extradition of nationals (not an ESP field; added by NCMEC or the agency). */
        nationality: CountryCodeSchema.optional(),
      })
      .strict(),
    intendedRecipient: z.array(IntendedRecipientSchema).default([]),
    files: z.array(TipFileSchema.strict()).min(1, { message: 'a tip needs at least one file' }),
    victim: z.array(VictimSchema).default([]),
    lawEnforcement: LawEnforcementSchema.optional(),
    additionalInfo: text(10_000).optional(),
    /**
     * CaseBridge's own, not an NCMEC field: sample tips steer the simulated systems with directives
     * `casebridge-sim:KEY=VALUE` (activities/simulators/tip-directives.ts). A real system ignores them.
     */
    simulatorDirectives: z.array(z.string().startsWith('casebridge-sim:', { message: 'must start with casebridge-sim:' }).max(500)).default([]),
  })
  .strict();

/** A tip as written in a tip file (defaults not yet applied). */
export type TipInput = z.input<typeof TipSchema>;
/** The force's case a referral case disseminated the report to: the referral case's id with this suffix. */
export const FORCE_CASE_SUFFIX = '-force';

/** The force's case started by a referral case's dissemination (one per referral: a second start finds it). */
export function forceCaseIdFor(referralCaseId: string): string {
  return `${referralCaseId}${FORCE_CASE_SUFFIX}`;
}

/** A validated tip. */
export type Tip = z.infer<typeof TipSchema>;

/** One case per NCMEC report: a re-submitted tip maps to the same workflow id and opens nothing new. */
export function caseIdFor(ncmecReportNumber: string): string {
  return `case-${ncmecReportNumber}`;
}

/** A tip's incident type in the schema's spelling, also for tips recorded with the old one. */
export function incidentTypeOf(summary: { incidentType: string }): IncidentType {
  return LEGACY_INCIDENT_TYPES[summary.incidentType] ?? (summary.incidentType as IncidentType);
}

/** The provider's reason for asking for high priority, from either shape a tip may carry (see `escalateToHighPriority`). */
export function escalationReason(summary: { escalateToHighPriority?: string | boolean | null }): string | undefined {
  const e = summary.escalateToHighPriority;
  if (typeof e === 'string') return e.trim() === '' ? undefined : e;
  return e === true ? 'escalated by the provider (no reason given)' : undefined;
}

/** Legal process already served about this report, which CaseBridge must not request again. */
export function legalProcessAlreadyServed(tip: Pick<Tip, 'lawEnforcement'>): { domestic: boolean; international: boolean; internationalCountry?: string } {
  const le = tip.lawEnforcement;
  const intl = le?.servedLegalProcessInternational;
  return {
    domestic: le?.servedLegalProcessDomestic === true,
    international: intl?.served === true,
    ...(intl?.served && intl.country ? { internationalCountry: intl.country } : {}),
  };
}

/**
 * The flags a tip raises for the analyst: NCMEC's report annotations, the provider's escalation,
 * the files' annotations (generative AI, viral, infant, …), a batch, and legal process already served. Codes only, never tip
 * content, so they may be logged or shown in lists.
 */
export function tipFlags(tip: Pick<Tip, 'incidentSummary' | 'files' | 'lawEnforcement' | 'batchedReport'>): string[] {
  const flags = new Set<string>();
  // Tips inside running cases may carry free-text annotations from before NCMEC intake: only flags count.
  for (const a of tip.incidentSummary.reportAnnotations) if ((REPORT_ANNOTATIONS as readonly string[]).includes(a)) flags.add(a);
  if (escalationReason(tip.incidentSummary)) flags.add('escalatedToHighPriority');
  for (const f of tip.files) for (const a of f.fileAnnotations ?? []) flags.add(`file:${a}`);
  if (tip.batchedReport) flags.add(`batchedReport:${tip.batchedReport.reason}`);
  const served = legalProcessAlreadyServed(tip);
  if (served.domestic) flags.add('legalProcessServed:domestic');
  if (served.international) flags.add(`legalProcessServed:international${served.internationalCountry ? `:${served.internationalCountry}` : ''}`);
  return [...flags].sort();
}

/**
 * Why the tip needs no action because of what it shares, when it does: every reported file is
 * tagged viral or a potential meme, or the report is a batch NCMEC grouped for that reason.
 */
export function viralOrMemeReason(tip: Pick<Tip, 'files' | 'batchedReport'>): string | undefined {
  if (tip.batchedReport?.reason === 'VIRAL_POTENTIAL_MEME')
    return 'a batched report of viral or potential-meme content (batchedReport VIRAL_POTENTIAL_MEME): not criminal';
  const reported = tip.files.filter((f) => f.fileRelevance !== 'Supplemental Reported');
  const tagged = (f: (typeof reported)[number]) => (f.fileAnnotations ?? []).some((a) => a === 'viral' || a === 'potentialMeme');
  if (reported.length > 0 && reported.every(tagged))
    return 'every reported file is tagged viral or potential meme by the provider: shared in outrage or as a meme, not criminal';
  return undefined;
}

/** The identifiers deconfliction compares across open cases (never stored in search attributes). */
export function suspectIdentifiers(tip: Tip): string[] {
  const p = tip.personOrUserReported;
  return [
    `esp:${tip.reporter.espName.toLowerCase()}:${p.espIdentifier.toLowerCase()}`,
    ...(p.screenName ? [`screen:${p.screenName.toLowerCase()}`] : []),
    ...p.deviceId.map((d) => `device:${d.toLowerCase()}`),
  ];
}

/** The readable form of a zod error for people: `field.path: message`, one per line. */
export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((i) => {
    const field = [prefix, ...i.path.map(String)].filter((s) => s !== '').join('.');
    return `${field || '(root)'}: ${i.message}`;
  });
}
