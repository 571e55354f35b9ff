/**
 * After a search warrant is executed (US): the inventory and the warrant's return to the magistrate
 * judge "promptly" (Fed. R. Crim. P. 41(f)(1)), and the off-site review of seized electronic data,
 * which the 14-day execution window does not cover (41(e)(2)(B)) and courts hold to a reasonable time
 * they may extend. How many days "promptly" and "reasonable" are is the deployment's (./deployment.ts).
 */
import type { Rule } from './rule';

export const WARRANT_RETURN = {
  returnPromptly: {
    value: 'promptly',
    source: 'Fed. R. Crim. P. 41(f)(1)(B), (D): inventory, copy and receipt; the warrant returned promptly to the magistrate judge',
    kind: 'P',
  } satisfies Rule<string>,
  offSiteReview: {
    value: 'a reasonable time',
    source:
      'Fed. R. Crim. P. 41(e)(2)(B): the 14 days cover the seizure or on-site copy, not the later off-site review; courts hold it to a reasonable time and may extend it',
    kind: 'S',
  } satisfies Rule<string>,
  /** The longest single extension a person may record in one input (a court order beyond it is recorded as several). */
  longestExtension: { value: { days: 365 }, source: 'CaseBridge: an extension recorded in one input covers at most a year', kind: 'C' },
} as const;
