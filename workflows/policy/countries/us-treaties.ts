/**
 * The United States' treaties with each country (the home country's side: CaseBridge's default home
 * is US): bilateral mutual legal assistance, extradition, CLOUD Act agreements, and the known
 * provisional-arrest windows.
 */
import type { Rule } from '../rule';
import { EU_MEMBERS } from './eu';
import { gap, type Fact } from './facts';

const INCSR_2015 = 'US Department of State, INCSR 2015 vol. II, "Mutual Legal Assistance Treaties": the MLATs in force';
/** INCSR 2015's list of bilateral MLATs in force (territories covered by their state's treaty are not listed separately here). */
const MLAT_PARTNERS = new Set(
  (
    'AG AR AU AT BS BB BE BZ BM BR CA CY CZ DK DM EG EE FI FR DE GR GD HK HU IN IE IL IT JM JP LV LI LT LU MY MT MX MA NL NG PA PH PL PT RO RU ' +
    'SK SI LC KN VC ZA KR ES SE CH TH TT TR UA GB UY VE'
  ).split(' '),
);
const US_EU_MLA = `${INCSR_2015}; the 27 US–EU instruments in force 1 February 2010 created or supplemented a mutual legal assistance relationship with every EU member`;

const EXTRADITION_LIST =
  'Secondary compilations of US extradition treaty partners (list of United States extradition treaties, treaty citations per 18 U.S.C. § 3181 notes; theworldranking.com): verify against the State Department’s Treaties in Force';
/** Extradition treaty partners (secondary lists: the § 3181 notes themselves were not readable offline). */
const EXTRADITION_PARTNERS = new Set(
  (
    'AL AG AR AU AT BS BB BE BZ BO BA BR BG MM CA CL CO CR HR CY CZ DK DM DO EC EG SV EE SZ FI FR GM DE GH GR GD GT HT HN HK HU IS IN IQ IE IL IT ' +
    'JM JP JO KE KI LV LS LR LI LT LU MT MU MX FM MC ME NL NZ NI NG MK NO PW PA PG PY PE PH PL PT CG RO KN LC RS SC SL SG SK SI ZA KR ES LK SR ' +
    'SE CH TZ TH TO TT TR TV GB UY VE ZM ZW'
  ).split(' '),
);
/** Listed by the same compilation among states without an extradition treaty with the US. */
const NO_EXTRADITION = new Set(['AD', 'AZ', 'BJ', 'CM', 'CN']);

export function mlatFact(code: string): Fact<boolean> {
  if (MLAT_PARTNERS.has(code)) return { value: true, source: INCSR_2015, kind: 'P' };
  if (EU_MEMBERS.includes(code)) return { value: true, source: US_EU_MLA, kind: 'P' };
  return gap('not among the MLATs in force in the State Department’s 2015 list; a later treaty was not checked offline');
}

export function extraditionFact(code: string): Fact<boolean> {
  if (EXTRADITION_PARTNERS.has(code)) return { value: true, source: EXTRADITION_LIST, kind: 'S' };
  if (NO_EXTRADITION.has(code)) return { value: false, source: EXTRADITION_LIST, kind: 'S' };
  if (code === 'CU')
    return gap('the 1904 US–Cuba treaty appears in one compilation and Cuba among states without a treaty in another: a liaison checks Treaties in Force');
  return gap('no US extradition treaty found offline; Treaties in Force not read: a liaison checks before extradition is sought');
}

/** Provisional-arrest windows known from a treaty or the requested state's law. */
export const PROVISIONAL_ARREST_WINDOWS: Readonly<Record<string, Rule<number>>> = {
  GB: { value: 65, source: 'Extradition Act 2003 s.74 (UK law)', kind: 'P' },
  DE: { value: 40, source: 'US–Germany Extradition Treaty Art. 16(4)', kind: 'S' },
};

export function provisionalArrestFact(code: string): Fact<number> {
  return PROVISIONAL_ARREST_WINDOWS[code] ?? gap('the treaty’s provisional-arrest article was not read offline: the default window (7 FAM 1621.1) applies');
}

/** CLOUD Act executive agreements (18 U.S.C. § 2523) in force with the home country. */
export const CLOUD_ACT_AGREEMENTS: Readonly<Record<string, Rule<string>>> = {
  GB: { value: '2022-10-03', source: 'US–UK Data Access Agreement, in force 3 October 2022', kind: 'S' },
  /**
   * Verified from a primary source: the joint statement of the two Attorneys-General announcing the
   * entry into force (ministers.ag.gov.au, 31 January 2024). DOJ publishes the text (signed 15 December 2021).
   */
  AU: {
    value: '2024-01-31',
    source:
      'US–Australia Agreement on Access to Electronic Data for the Purpose of Countering Serious Crime (signed 15 December 2021), in force 31 January 2024: ' +
      'joint statement of US Attorney General Garland and Australian Attorney-General Dreyfus, 31 January 2024',
    kind: 'P',
  },
};

/** The US–Australia agreement protects "Australian Persons": citizens and permanent residents, not only persons located in Australia. */
export const CLOUD_ACT_PROTECTS_NATIONALS: Readonly<Record<string, Rule<boolean>>> = {
  AU: {
    value: true,
    source: 'US–Australia Agreement Art. 1 ("Australian Person" means a citizen or permanent resident of Australia, …): an order may not target one',
    kind: 'S',
  },
};
