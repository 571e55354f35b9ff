/**
 * The ten-country table as it stood before the full tables (patch country-tables), frozen: cases whose
 * routes were decided from it replay against it. Do not edit: a change here changes running cases.
 */
import type { Rule } from '../rule';
import type { CountryPolicy } from './types';

const EEVIDENCE: Rule<string> = { value: '2026-08-18', source: 'Regulation (EU) 2023/1543 Art. 34: applies from 18 August 2026', kind: 'P' };
const EU_NATIONALS: Pick<CountryPolicy, 'extraditesOwnNationals'> = { extraditesOwnNationals: false };

export const LEGACY_COUNTRIES: Readonly<Record<string, CountryPolicy>> = {
  US: { name: 'United States', language: 'en', budapestParty: true, mlatWithHome: true, extraditionTreatyWithHome: true, extraditesOwnNationals: true },
  GB: {
    name: 'United Kingdom',
    language: 'en',
    cloudActAgreementSince: { value: '2022-10-03', source: 'US–UK Data Access Agreement, in force 3 October 2022', kind: 'S' },
    budapestParty: true,
    mlatWithHome: true,
    extraditionTreatyWithHome: true,
    extraditesOwnNationals: true,
    provisionalArrestWindowDays: { value: 65, source: 'Extradition Act 2003 s.74 (UK law)', kind: 'P' },
  },
  DE: {
    name: 'Germany',
    language: 'de',
    euEEvidenceSince: EEVIDENCE,
    budapestParty: true,
    mlatWithHome: true,
    extraditionTreatyWithHome: true,
    ...EU_NATIONALS,
    provisionalArrestWindowDays: { value: 40, source: 'US–Germany Extradition Treaty Art. 16(4)', kind: 'S' },
  },
  FR: {
    name: 'France',
    language: 'fr',
    euEEvidenceSince: EEVIDENCE,
    budapestParty: true,
    mlatWithHome: true,
    extraditionTreatyWithHome: true,
    ...EU_NATIONALS,
  },
  NL: {
    name: 'Netherlands',
    language: 'nl',
    euEEvidenceSince: EEVIDENCE,
    budapestParty: true,
    mlatWithHome: true,
    extraditionTreatyWithHome: true,
    extraditesOwnNationals: true,
  },
  IE: {
    name: 'Ireland',
    language: 'en',
    euEEvidenceSince: EEVIDENCE,
    budapestParty: true,
    mlatWithHome: true,
    extraditionTreatyWithHome: true,
    extraditesOwnNationals: true,
  },
  PH: { name: 'Philippines', language: 'en', budapestParty: true, mlatWithHome: true, extraditionTreatyWithHome: true, extraditesOwnNationals: true },
  BR: { name: 'Brazil', language: 'pt', budapestParty: true, mlatWithHome: true, extraditionTreatyWithHome: true, extraditesOwnNationals: false },
  TH: { name: 'Thailand', language: 'th', budapestParty: false, mlatWithHome: true, extraditionTreatyWithHome: true, extraditesOwnNationals: true },
  AE: {
    name: 'United Arab Emirates',
    language: 'ar',
    budapestParty: false,
    mlatWithHome: true,
    extraditionTreatyWithHome: false,
    extraditesOwnNationals: false,
  },
};
