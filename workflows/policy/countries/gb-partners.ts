/**
 * What each country offers a case run by a UK agency (home GB): the same countries as the US-side
 * table, with the facts that depend on the home country read from the UK's side. The Budapest
 * Convention and the EU membership facts are multilateral and carried as they are (the UK is a party
 * to the Convention; it is not bound by the e-Evidence Regulation, so routing never gives it an EU
 * order). A bilateral fact found for the UK has its source; every other one is a gap, so a liaison
 * decides rather than the US-side value being reused.
 */
import { EU_MEMBERS } from './eu';
import { gap, type CountryFacts, type Fact } from './facts';
import type { CountryPolicy, CountryTable } from './types';

/** The US–UK Agreement on Access to Electronic Data for the Purpose of Countering Serious Crime (signed 3 Oct 2019). */
const US_UK_AGREEMENT =
  'US–UK Data Access Agreement (signed 3 October 2019), in force 3 October 2022; given effect in the UK by the Crime (Overseas Production Orders) Act 2019';

/** The facts of the United States for a UK agency. */
const UNITED_STATES: Partial<CountryFacts> = {
  cloudActAgreementSince: { value: '2022-10-03', source: US_UK_AGREEMENT, kind: 'P' },
  // A UK order may not target a United States person (citizen or permanent resident) wherever located, nor a person in the US.
  cloudActProtectsNationals: { value: true, source: 'US–UK Data Access Agreement Art. 4(3): UK orders may not target a United States person', kind: 'S' },
  mlatWithHome: {
    value: true,
    source: 'US–UK Treaty on Mutual Legal Assistance in Criminal Matters (signed 6 January 1994, in force 2 December 1996)',
    kind: 'S',
  },
  extraditionTreatyWithHome: { value: true, source: 'US–UK Extradition Treaty 2003 (in force 26 April 2007)', kind: 'S' },
  extraditesOwnNationals: { value: true, source: 'US–UK Extradition Treaty 2003 Art. 3: extradition is not refused on the ground of nationality', kind: 'S' },
  provisionalArrestWindowDays: { value: 60, source: 'US–UK Extradition Treaty 2003 Art. 12(4)', kind: 'S' },
};

/** An EU member state for a UK agency since the end of the transition period (1 January 2021). */
function euMember(code: string): Partial<CountryFacts> {
  return {
    mlatWithHome: {
      value: true,
      source:
        'European Convention on Mutual Assistance in Criminal Matters 1959 (ETS No. 030), supplemented by the EU–UK Trade and Cooperation Agreement Part Three Title VIII',
      kind: 'S',
    },
    extraditionTreatyWithHome: { value: true, source: 'EU–UK Trade and Cooperation Agreement Part Three Title VII (surrender)', kind: 'P' },
    extraditesOwnNationals: gap(
      `whether ${code} surrenders its own nationals to the UK depends on its declaration under TCA Art. 603(2), not researched offline`,
    ),
    provisionalArrestWindowDays: gap(
      'the TCA surrender procedure has no provisional-arrest window of the treaty kind; a liaison checks the executing state’s time limits',
    ),
  };
}

const notResearched = (what: string): Fact<boolean> => gap(`${what} with the UK not researched offline: a liaison checks the channel`);

function partnerOf(code: string, usSide: CountryPolicy): CountryPolicy {
  const own: Partial<CountryFacts> = code === 'US' ? UNITED_STATES : EU_MEMBERS.includes(code) ? euMember(code) : {};
  const us = usSide.facts!;
  const facts: CountryFacts = {
    ...(us.eEvidence ? { eEvidence: us.eEvidence } : {}),
    budapestParty: us.budapestParty,
    ...(us.budapestInForce ? { budapestInForce: us.budapestInForce } : {}),
    mlatWithHome: own.mlatWithHome ?? notResearched('a mutual legal assistance treaty'),
    extraditionTreatyWithHome: own.extraditionTreatyWithHome ?? notResearched('an extradition treaty'),
    extraditesOwnNationals: own.extraditesOwnNationals ?? gap('not researched for requests from the UK'),
    provisionalArrestWindowDays: own.provisionalArrestWindowDays ?? gap('not researched for requests from the UK'),
    ...(own.cloudActAgreementSince ? { cloudActAgreementSince: own.cloudActAgreementSince } : {}),
    ...(own.cloudActProtectsNationals ? { cloudActProtectsNationals: own.cloudActProtectsNationals } : {}),
  };
  const window = facts.provisionalArrestWindowDays;
  return {
    name: usSide.name,
    language: usSide.language,
    ...(facts.cloudActAgreementSince ? { cloudActAgreementSince: facts.cloudActAgreementSince } : {}),
    ...(usSide.euEEvidenceSince ? { euEEvidenceSince: usSide.euEEvidenceSince } : {}),
    budapestParty: facts.budapestParty.value === true,
    mlatWithHome: facts.mlatWithHome.value === true,
    extraditionTreatyWithHome: facts.extraditionTreatyWithHome.value === true,
    extraditesOwnNationals: facts.extraditesOwnNationals.value === true,
    ...(window.source === null ? {} : { provisionalArrestWindowDays: window }),
    facts,
  };
}

/** The UK-side table, built from the US-side one's list of countries (the home itself is not a partner). */
export function gbPartners(usSide: CountryTable): CountryTable {
  return Object.fromEntries(
    Object.entries(usSide)
      .filter(([code]) => code !== 'GB')
      .map(([code, policy]) => [code, partnerOf(code, policy)]),
  );
}
