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
  /** The central authority's decision on each successive review round of a request: cleared, or sent back with edits. */
  centralAuthorityReviews: z.array(z.enum(['clear', 'edits'])).optional(),
  /** How many days each successive central-authority review takes (default 2). */
  centralAuthorityReviewDays: z.array(z.number().min(0)).optional(),
  /** The foreign 24/7 point of contact's answer to an expedited preservation request. */
  foreignPreservation: z.enum(['preserve', 'refuse']).optional(),
  /** Operations (e.g. `court.applyForSearchWarrant`) that reject every request: a permanent failure. */
  rejectOps: z.array(z.string()).optional(),
});
export type CaseScript = z.infer<typeof CaseScriptSchema>;
