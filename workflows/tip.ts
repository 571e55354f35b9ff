/**
 * The tip a case starts from: a CyberTipline report as law enforcement receives it. Field names are
 * NCMEC's ESP reporting API names wherever the data is the same (see LEGAL-PROCESS.md), plus NCMEC's
 * report number and priority. This schema is the one definition: the CLI, the workflow and the
 * activities all import it.
 */
import { z } from 'zod';

export const INCIDENT_TYPES = [
  'Child Pornography (possession, manufacture, and distribution)',
  'Child Sex Trafficking',
  'Child Sex Tourism',
  'Child Sexual Molestation',
  'Misleading Domain Name',
  'Misleading Words or Digital Images on the Internet',
  'Online Enticement of Children for Sexual Act',
  'Unsolicited Obscene Material Sent to a Child',
] as const;

export const IncidentTypeSchema = z.enum(INCIDENT_TYPES);
export type IncidentType = z.infer<typeof IncidentTypeSchema>;

export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code such as US or GB' });
export type CountryCode = z.infer<typeof CountryCodeSchema>;

export const PrioritySchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Priority = z.infer<typeof PrioritySchema>;

const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const EstimatedLocationSchema = z.object({
  countryCode: CountryCodeSchema.optional(),
  region: z.string().max(200).optional(),
  city: z.string().max(200).optional(),
});

export const IpCaptureEventSchema = z.object({
  ipAddress: z.union([z.ipv4(), z.ipv6()], { message: 'must be an IPv4 or IPv6 address' }),
  eventName: z.enum(['Login', 'Registration', 'Purchase', 'Upload', 'Other', 'Unknown']).default('Unknown'),
  dateTime: isoDateTime,
  possibleProxy: z.boolean().default(false),
  port: z.number().int().min(0).max(65535).optional(),
  /** Where the IP geolocates, when the provider or NCMEC resolved it. */
  countryCode: CountryCodeSchema.optional(),
});

export const TipFileSchema = z.object({
  fileId: z.string().min(1).max(200),
  originalFileName: z.string().max(500).optional(),
  /** United States v. Wilson: a file the provider did not view needs a warrant before anyone opens it. */
  fileViewedByEsp: z.boolean(),
  exifViewedByEsp: z.boolean().optional(),
  publiclyAvailable: z.boolean().default(false),
  originalFileHash: z.array(z.string().min(8).max(256)).default([]),
});

export const TipSchema = z
  .object({
    /** NCMEC's CyberTipline report number; the case id is derived from it. */
    ncmecReportNumber: z.string().regex(/^\d{5,12}$/, { message: 'must be 5 to 12 digits' }),
    /** NCMEC's priority when it set one (1 = a child in imminent danger). */
    priority: PrioritySchema.optional(),
    incidentSummary: z.object({
      incidentType: IncidentTypeSchema,
      escalateToHighPriority: z.boolean().default(false),
      reportAnnotations: z.array(z.string().max(200)).default([]),
      incidentDateTime: isoDateTime,
    }),
    /** The electronic service provider that reported, and the country where it holds the data. */
    reporter: z.object({
      espName: z.string().min(1).max(200),
      dataCountry: CountryCodeSchema,
    }),
    personOrUserReported: z.object({
      espIdentifier: z.string().min(1).max(200),
      espService: z.string().max(200).optional(),
      screenName: z.string().max(200).optional(),
      displayName: z.array(z.string().max(200)).default([]),
      ipCaptureEvent: z.array(IpCaptureEventSchema).default([]),
      deviceId: z.array(z.string().max(200)).default([]),
      priorCTReports: z.array(z.string().regex(/^\d{5,12}$/)).default([]),
      estimatedLocation: EstimatedLocationSchema.optional(),
      /** Known nationality: decides extradition of nationals (not an ESP field; added by NCMEC or the agency). */
      nationality: CountryCodeSchema.optional(),
    }),
    files: z.array(TipFileSchema).min(1, { message: 'a tip needs at least one file' }),
    victim: z
      .array(z.object({ estimatedLocation: EstimatedLocationSchema.optional(), ageRange: z.string().max(50).optional() }))
      .default([]),
    additionalInfo: z.string().max(10_000).optional(),
  })
  .strict();

/** A tip as written in a tip file (defaults not yet applied). */
export type TipInput = z.input<typeof TipSchema>;
/** A validated tip. */
export type Tip = z.infer<typeof TipSchema>;

/** One case per NCMEC report: a re-submitted tip maps to the same workflow id and opens nothing new. */
export function caseIdFor(ncmecReportNumber: string): string {
  return `case-${ncmecReportNumber}`;
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
