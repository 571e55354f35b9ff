/** The shape routing reads for one country (workflows/policy/routing.ts, lookups.ts, preservation.ts, documents/view.ts). */
import type { Rule } from '../rule';
import type { CountryFacts } from './facts';

export interface CountryPolicy {
  name: string;
  /** The countries' own languages in which requests must be translated (the home language is English). */
  language: string;
  /** A CLOUD Act executive agreement with the home country, in force since (ISO date). */
  cloudActAgreementSince?: Rule<string>;
  /** Member of the EU bound by the e-Evidence Regulation, from its application date. */
  euEEvidenceSince?: Rule<string>;
  budapestParty: boolean;
  mlatWithHome: boolean;
  extraditionTreatyWithHome: boolean;
  extraditesOwnNationals: boolean;
  /** Days after a provisional arrest by which the formal request must arrive. */
  provisionalArrestWindowDays?: Rule<number>;
  /**
   * Each fact with its source or its gap (the full tables only; the frozen legacy table has none).
   * Routing reads it to tell "unknown" (a liaison must check) from "no".
   */
  facts?: CountryFacts;
}

export type CountryTable = Readonly<Record<string, CountryPolicy>>;
