/**
 * The law of the agency's own country where the instruments differ by home: the search warrant (who
 * issues it, under what, and how long it may be executed) and the direct order to a provider abroad
 * under a CLOUD Act agreement. US cases keep the US rules; a UK agency's cases (patch home-country-law)
 * use PACE 1984 and the Crime (Overseas Production Orders) Act 2019.
 */
import { INSTRUMENTS } from './instruments';
import type { DocumentKind } from '../documents/kinds';
import type { Period, Rule } from './rule';

export interface HomeLaw {
  searchWarrant: {
    /** The statute the application is made under, for the timeline and the papers. */
    citation: string;
    /** Who decides the application. */
    issuer: string;
    /** What the warrant searches: the provider's account (US § 2703(a)) or the suspect's premises (PACE s.8). */
    searches: 'provider' | 'premises';
    /** The execution window from the warrant's issue. */
    execution: Rule<Period>;
  };
  directOrder: {
    name: string;
    citation: string;
    /** When the provider is chased, and, where the law sets one, the period it has to produce. */
    followUpEvery: Rule<Period>;
    production?: Rule<Period>;
    /** The order carries a non-disclosure requirement the court includes on the application (UK: COPOA 2019 s.8). */
    nonDisclosure?: Rule<string>;
  };
  /** The papers generated from the case and approved before the application is filed (documents/templates). */
  papers: { searchWarrant: readonly DocumentKind[]; directOrder: DocumentKind };
  /** How long an ISP keeps the logs behind an address once asked to, before the subscriber process. */
  logPreservation: Rule<Period>;
  /** The home's outgoing mutual legal assistance channel, for the timeline. */
  mlatChannel: string;
  /** An arrest at home after a premises search needs no court warrant (the arrest power of the home law), or does. */
  arrestOnSearch?: Rule<string>;
  /**
   * Which reported files the agency may review before a warrant: only those a person at the provider viewed (the
   * private-search rule of the US Fourth Amendment), or every file the referral carries.
   */
  fileReview: Rule<'provider-viewed' | 'all-referred'>;
}

export const HOME_LAW: Readonly<Record<'US' | 'GB', HomeLaw>> = {
  US: {
    searchWarrant: { citation: '18 U.S.C. § 2703(a)', issuer: 'the court', searches: 'provider', execution: INSTRUMENTS.warrant.execution },
    directOrder: { name: 'CLOUD Act order', citation: 'the US–UK Data Access Agreement', followUpEvery: INSTRUMENTS.cloudActOrder.followUpEvery },
    papers: { searchWarrant: ['search-warrant-application', 'search-warrant-affidavit'], directOrder: 'cloud-act-order' },
    logPreservation: INSTRUMENTS.domesticPreservation.period,
    mlatChannel: 'Criminal Resource Manual 276',
    fileReview: { value: 'provider-viewed', source: 'United States v. Wilson, 13 F.4th 961 (9th Cir. 2021)', kind: 'P' },
  },
  GB: {
    searchWarrant: {
      citation: 'Police and Criminal Evidence Act 1984 s.8',
      issuer: 'a justice of the peace',
      searches: 'premises',
      // "Within three months from the date of its issue": a calendar period (periodFrom adds months as months).
      execution: { value: { months: 3 }, source: 'Police and Criminal Evidence Act 1984 s.16(3)', kind: 'P' },
    },
    directOrder: {
      name: 'overseas production order',
      citation: 'the Crime (Overseas Production Orders) Act 2019 and the US–UK Data Access Agreement',
      followUpEvery: { value: { days: 7 }, source: 'CaseBridge: chase the provider when the production period has run', kind: 'C' },
      production: {
        value: { days: 7 },
        source: 'Crime (Overseas Production Orders) Act 2019 s.5(5): seven days from service unless the judge directs otherwise',
        kind: 'S',
      },
      nonDisclosure: {
        value: 'a non-disclosure requirement: the provider may not tell the account holder, or anyone, of the order',
        source: 'Crime (Overseas Production Orders) Act 2019 s.8',
        kind: 'S',
      },
    },
    // The information laid before the justice; the application the judge makes the order on.
    papers: { searchWarrant: ['pace-search-warrant-application'], directOrder: 'overseas-production-order-application' },
    logPreservation: {
      value: { days: 90 },
      source:
        'CaseBridge: a request to retain to a UK operator has no statutory period (the IPA 2016 gives no preservation power; an operator under a retention notice, Part 4, keeps its data for the notice’s period); the force asks for 90 days',
      kind: 'C',
    },
    mlatChannel: 'the UK Central Authority, Crime (International Co-operation) Act 2003 ss.7–9',
    arrestOnSearch: {
      value: 'arrest without warrant on reasonable grounds, at the search',
      source: 'Police and Criminal Evidence Act 1984 s.24',
      kind: 'P',
    },
    fileReview: {
      value: 'all-referred',
      source:
        'No US private-search rule binds a UK force: the referral’s images are viewed and graded to investigate it (Protection of Children Act 1978 s.1B: making an image where necessary for the prevention, detection or investigation of crime); the NCA grades referrals on their content',
      kind: 'S',
    },
  },
};

/** The home law a case follows: the UK's for a UK agency's case under the patch, else the US's. */
export function homeLaw(home: string, homeCountryLaw: boolean): HomeLaw {
  return homeCountryLaw && home === 'GB' ? HOME_LAW.GB : HOME_LAW.US;
}
