/** A case's scripted path through the simulated systems (tests, the demo, sample tips' directives). */
import { z } from 'zod';

/** A case's scripted path through the simulated systems; anything left out is decided by the seed. */
export const CaseScriptSchema = z.object({
  criminal: z.boolean().optional(),
  noActionReason: z.string().optional(),
  priority: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
  /** null: the suspect cannot be located (a coordinator must decide). */
  suspectCountry: z.string().nullable().optional(),
  emergencyDisclosure: z.enum(['disclose', 'refuse']).optional(),
  preservation: z.enum(['preserve', 'refuse']).optional(),
  renewal: z.enum(['renew', 'refuse']).optional(),
  /** The court's decision on each successive search-warrant application. */
  searchWarrants: z.array(z.enum(['grant', 'deny'])).optional(),
  /** How many days after each successive grant the agency can execute the warrant. */
  executionDelaysDays: z.array(z.number().min(0)).optional(),
  arrestWarrant: z.enum(['grant', 'deny']).optional(),
  /** How the agency made the arrest (default: under the warrant). */
  arrest: z.enum(['under-warrant', 'warrantless']).optional(),
  /** The central authority's decision on each successive review round of a request: cleared, or sent back with edits. */
  centralAuthorityReviews: z.array(z.enum(['clear', 'edits'])).optional(),
  /** How many days each successive central-authority review takes (default 2). */
  centralAuthorityReviewDays: z.array(z.number().min(0)).optional(),
  /** The foreign 24/7 point of contact's answer to an expedited preservation request. */
  foreignPreservation: z.enum(['preserve', 'refuse']).optional(),
  // Before the warrant (issue 14).
  /** What the assessment finds in the content: imminent-danger indicator codes (workflows/policy/danger.ts), e.g. planned-meeting. */
  contentIndicators: z.array(z.string()).optional(),
  /** NCMEC CVIP / INTERPOL ICSE: the reported files match a known series, or nothing (default). */
  victimMatch: z.enum(['known-series', 'none']).optional(),
  /** The provider's answer to subscriber process (default: a fixed line identifies; a CGNAT carrier without a source port is ambiguous). */
  subscriber: z.enum(['identified', 'no-data', 'refused', 'ambiguous']).optional(),
  /** Where the identified subscriber is (default: where the provider is). */
  subscriberCountry: z.string().optional(),
  /** Days the provider takes to answer each successive service of subscriber process (default 0: on service). */
  subscriberResponseDays: z.array(z.number().min(0)).optional(),
  /** The provider's answer to a § 2703(f) preservation request for its IP logs. */
  ispPreservation: z.enum(['preserve', 'refuse']).optional(),
  /** The provider's answer to a § 2702(c)(4) emergency request for records (default: seeded like emergency disclosure). */
  emergencyRecords: z.enum(['disclose', 'refuse']).optional(),
  /** The court's decision on a § 2703(d) application. */
  recordsOrder: z.enum(['grant', 'deny']).optional(),
  /** OCDA's (or the designated senior officer's) decision on a communications data application. */
  commsDataAuthorisation: z.enum(['authorise', 'refuse']).optional(),
  /** Operations (e.g. `court.applyForSearchWarrant`) that reject every request: a permanent failure. */
  rejectOps: z.array(z.string()).optional(),
  /** Operations (e.g. `agency.withdrawRequest`) that take this many real milliseconds to reach their system: a slow system. */
  delayOps: z.record(z.string(), z.number().int().min(0).max(60_000)).optional(),
});
export type CaseScript = z.infer<typeof CaseScriptSchema>;
