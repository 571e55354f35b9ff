/**
 * Parties to the Budapest Convention on Cybercrime (ETS No. 185) and the Convention's entry into
 * force for each. The Council of Europe's chart could be read offline only in part (its 2015 state,
 * Albania to Germany); the Dutch treaty database's party list (official, the same dates) was read from
 * Albania to Moldova. Parties further down the alphabet have their status from a secondary 2015 list
 * and their date as a gap; states whose status was not confirmed at all are gaps.
 */
import type { Rule } from '../rule';
import { gap, type Fact } from './facts';

const VERDRAGENBANK =
  'Dutch treaty database (Verdragenbank), Convention on Cybercrime (Trb. 2004, 290): parties and dates of entry into force (list read offline from Albania to Moldova, entries to 1 October 2024)';
const COE_2015 = 'Council of Europe Treaty Office, chart of signatures and ratifications of Treaty 185 (status as of 03/12/2015)';
const VERDRAGEN_LOG = 'Dutch treaty database (verdragen.nl), Convention on Cybercrime, record of changes';
const LIST_2015 = 'cybercrimelaw.net, parties to the Convention on Cybercrime as of September 2015 (secondary; no dates)';

/** Entry into force for the party, with the source it was read from. */
const IN_FORCE: Record<string, [string, string]> = {
  AL: ['2004-07-01', VERDRAGENBANK],
  AD: ['2017-03-01', VERDRAGENBANK],
  AR: ['2018-10-01', VERDRAGENBANK],
  AM: ['2007-02-01', VERDRAGENBANK],
  AU: ['2013-03-01', VERDRAGENBANK],
  AT: ['2012-10-01', COE_2015],
  AZ: ['2010-07-01', VERDRAGENBANK],
  BE: ['2012-12-01', VERDRAGENBANK],
  BJ: ['2024-10-01', VERDRAGENBANK],
  BA: ['2006-09-01', VERDRAGENBANK],
  BR: ['2023-03-01', VERDRAGENBANK],
  BG: ['2005-08-01', VERDRAGENBANK],
  CA: ['2015-11-01', VERDRAGENBANK],
  CL: ['2017-08-01', VERDRAGENBANK],
  CO: ['2020-07-01', VERDRAGENBANK],
  CR: ['2018-01-01', VERDRAGENBANK],
  CI: ['2024-11-01', `${VERDRAGEN_LOG}, 07-08-2024: Côte d'Ivoire added (accession 29-07-2024, entry into force 01-11-2024)`],
  CY: ['2005-05-01', VERDRAGENBANK],
  CZ: ['2013-12-01', COE_2015],
  DK: ['2005-10-01', VERDRAGENBANK],
  DO: ['2013-06-01', VERDRAGENBANK],
  DE: ['2009-07-01', VERDRAGENBANK],
  EE: ['2004-07-01', VERDRAGENBANK],
  FJ: ['2024-10-01', VERDRAGENBANK],
  PH: ['2018-07-01', VERDRAGENBANK],
  FI: ['2007-09-01', VERDRAGENBANK],
  FR: ['2006-05-01', VERDRAGENBANK],
  GE: ['2012-10-01', VERDRAGENBANK],
  GH: ['2019-04-01', VERDRAGENBANK],
  GD: ['2024-08-01', VERDRAGENBANK],
  GR: ['2017-05-01', VERDRAGENBANK],
  HU: ['2004-07-01', VERDRAGENBANK],
  IS: ['2007-05-01', VERDRAGENBANK],
  IL: ['2016-09-01', VERDRAGENBANK],
  IT: ['2008-10-01', VERDRAGENBANK],
  JP: ['2012-11-01', VERDRAGENBANK],
  CV: ['2018-10-01', VERDRAGENBANK],
  CM: ['2024-04-01', VERDRAGENBANK],
  KI: ['2024-10-01', VERDRAGENBANK],
  HR: ['2004-07-01', VERDRAGENBANK],
  LV: ['2007-06-01', VERDRAGENBANK],
  LI: ['2016-05-01', VERDRAGENBANK],
  LT: ['2004-07-01', VERDRAGENBANK],
  LU: ['2015-05-01', VERDRAGENBANK],
  MT: ['2012-08-01', VERDRAGENBANK],
  MA: ['2018-10-01', VERDRAGENBANK],
  MU: ['2014-03-01', VERDRAGENBANK],
  MD: ['2009-09-01', VERDRAGENBANK],
  NZ: ['2025-12-01', `${VERDRAGEN_LOG}, 01-10-2025: New Zealand (accession 28-08-2025, entry into force 01-12-2025)`],
};

/** Parties whose status a source gives but whose date was not found offline. */
const PARTY_NO_DATE: Record<string, [string, 'P' | 'S']> = {
  ME: [LIST_2015, 'S'],
  MK: [LIST_2015, 'S'],
  NL: [LIST_2015, 'S'],
  NO: [`${LIST_2015}; ${VERDRAGEN_LOG}, 09-01-2026: Norway's designations under Arts 27 and 35`, 'S'],
  PA: [LIST_2015, 'S'],
  PT: [LIST_2015, 'S'],
  RO: [LIST_2015, 'S'],
  RS: [LIST_2015, 'S'],
  SK: [LIST_2015, 'S'],
  SI: [LIST_2015, 'S'],
  ES: [LIST_2015, 'S'],
  LK: [LIST_2015, 'S'],
  CH: [LIST_2015, 'S'],
  TR: [LIST_2015, 'S'],
  UA: [LIST_2015, 'S'],
  GB: [LIST_2015, 'S'],
  US: [LIST_2015, 'S'],
  EC: [`${VERDRAGEN_LOG}, 14-01-2026: Ecuador's declarations under Arts 24, 27 and 35 (04-12-2025)`, 'P'],
};

/** Not in the Verdragenbank list, which covers their place in its (Dutch) alphabet: not a party by the date of that list. */
const NOT_IN_LIST = new Set([
  'AG',
  'BB',
  'BO',
  'BS',
  'BZ',
  'CG',
  'CN',
  'CU',
  'DM',
  'EG',
  'FM',
  'GM',
  'GT',
  'HK',
  'HN',
  'HT',
  'IN',
  'IQ',
  'JM',
  'JO',
  'KE',
  'LR',
  'LS',
  'MX',
  'MY',
]);

const STATUS_GAP =
  'party status not confirmed offline (the party lists read cover Albania to Moldova and the 2015 state): a liaison checks the Council of Europe chart';

export function budapestFacts(code: string): { budapestParty: Fact<boolean>; budapestInForce?: Fact<string> } {
  const dated = IN_FORCE[code];
  if (dated) {
    const kind = 'P' as const;
    const inForce: Rule<string> = { value: dated[0], source: dated[1], kind };
    return { budapestParty: { value: true, source: dated[1], kind }, budapestInForce: inForce };
  }
  const undated = PARTY_NO_DATE[code];
  if (undated) {
    return {
      budapestParty: { value: true, source: undated[0], kind: undated[1] },
      budapestInForce: gap('entry-into-force date for this party not found offline: see the Council of Europe chart of Treaty 185'),
    };
  }
  if (NOT_IN_LIST.has(code)) {
    return {
      budapestParty: { value: false, source: `${VERDRAGENBANK}: not among the parties`, kind: 'P' },
    };
  }
  if (code === 'IE') {
    // Ireland signed on 28-02-2002 (Trb. 2007, 10) but is not among the parties in the list read (which covers its place): the
    // earlier table said "party"; that row was wrong for the list's date, and a later ratification was not found.
    return {
      budapestParty: gap(
        'Ireland signed (28-02-2002) but is not among the parties in the Verdragenbank list read offline (to October 2024); a later ratification is not confirmed',
      ),
    };
  }
  return { budapestParty: gap(STATUS_GAP) };
}
