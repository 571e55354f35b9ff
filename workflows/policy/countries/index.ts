/**
 * What the law of each country offers a case, from the home country's side: every EU member state,
 * every Budapest Convention party found, the US's MLAT and extradition treaty partners. Each fact has
 * its source or is marked as a gap (facts.ts). Only countries listed here are routed automatically; any
 * other, and any question a gap leaves open, goes to a liaison.
 *
 * Cases routed before patch country-tables used the ten-country table (legacy.ts): `countryTable()`
 * gives each case the table its patch state calls for.
 */
import type { Rule } from '../rule';
import { budapestFacts } from './budapest';
import { eEvidenceFor } from './eu';
import { gap, isGap, type CountryFacts, type Fact } from './facts';
import { LEGACY_COUNTRIES } from './legacy';
import { gbPartners } from './gb-partners';
import { NAMES } from './names';
import { extraditesNationalsFact } from './nationals';
import type { CountryPolicy, CountryTable } from './types';
import { CLOUD_ACT_AGREEMENTS, CLOUD_ACT_PROTECTS_NATIONALS, extraditionFact, mlatFact, provisionalArrestFact } from './us-treaties';

export * from './facts';
export * from './types';
export { LEGACY_COUNTRIES } from './legacy';
export { EEVIDENCE_APPLIES, EU_MEMBERS } from './eu';

type CarriedKey = 'budapestParty' | 'mlatWithHome' | 'extraditionTreatyWithHome' | 'extraditesOwnNationals';

/** Facts of the earlier table found wrong by a source: not carried over (docs/legal-process.md says why). */
const CORRECTED: ReadonlySet<string> = new Set(['IE.budapestParty']);

/**
 * Where no source was found for a fact the ten-country table held, its value is kept as a marked gap,
 * so that a country already listed routes as before.
 */
function carry(code: string, key: CarriedKey, fact: Fact<boolean>): Fact<boolean> {
  const earlier = LEGACY_COUNTRIES[code];
  if (!earlier || !isGap(fact) || fact.value !== null || CORRECTED.has(`${code}.${key}`)) return fact;
  return gap(`${fact.gap}; the earlier table's value (${String(earlier[key])}) is kept, unsourced`, earlier[key]);
}

function factsFor(code: string): CountryFacts {
  const budapest = budapestFacts(code);
  const eEvidence = eEvidenceFor(code);
  const cloud = CLOUD_ACT_AGREEMENTS[code];
  const protects = CLOUD_ACT_PROTECTS_NATIONALS[code];
  return {
    ...(eEvidence ? { eEvidence } : {}),
    budapestParty: carry(code, 'budapestParty', budapest.budapestParty),
    ...(budapest.budapestInForce ? { budapestInForce: budapest.budapestInForce } : {}),
    mlatWithHome: carry(code, 'mlatWithHome', mlatFact(code)),
    extraditionTreatyWithHome: carry(code, 'extraditionTreatyWithHome', extraditionFact(code)),
    extraditesOwnNationals: carry(code, 'extraditesOwnNationals', extraditesNationalsFact(code)),
    provisionalArrestWindowDays: provisionalArrestFact(code),
    ...(cloud ? { cloudActAgreementSince: cloud } : {}),
    ...(protects ? { cloudActProtectsNationals: protects } : {}),
  };
}

function policyOf(code: string): CountryPolicy {
  const { name, language } = NAMES[code];
  const facts = factsFor(code);
  const e = facts.eEvidence;
  const window = facts.provisionalArrestWindowDays;
  return {
    name,
    language,
    ...(facts.cloudActAgreementSince ? { cloudActAgreementSince: facts.cloudActAgreementSince } : {}),
    ...(e && e.value !== false ? { euEEvidenceSince: { value: e.value, source: e.source, kind: e.kind } satisfies Rule<string> } : {}),
    budapestParty: facts.budapestParty.value === true,
    mlatWithHome: facts.mlatWithHome.value === true,
    extraditionTreatyWithHome: facts.extraditionTreatyWithHome.value === true,
    extraditesOwnNationals: facts.extraditesOwnNationals.value === true,
    ...(isGap(window) ? {} : { provisionalArrestWindowDays: window }),
    facts,
  };
}

export const COUNTRIES: CountryTable = Object.fromEntries(
  Object.keys(NAMES)
    .sort()
    .map((code) => [code, policyOf(code)]),
);

/** The UK agency's table (gb-partners.ts). */
export const GB_PARTNERS: CountryTable = gbPartners(COUNTRIES);

/**
 * The table a case routes by: the ten-country table for cases routed before patch country-tables; for
 * a UK agency's case under patch home-country-law, the UK-side one; otherwise the US-side one.
 */
export function countryTable(full: boolean, home = 'US', homeLaw = false): CountryTable {
  if (!full) return LEGACY_COUNTRIES;
  return homeLaw && home === 'GB' ? GB_PARTNERS : COUNTRIES;
}

export function countryPolicy(code: string): CountryPolicy | undefined {
  return COUNTRIES[code];
}
