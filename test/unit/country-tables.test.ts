/**
 * The country tables as a liaison needs them (workflows/policy/countries/): every fact has its source
 * or is marked as a gap, every listed country routes to something a person can act on, the countries
 * the ten-country table held route as they did, and the dated instruments apply from their dates.
 */
import {
  monthsAfter,
  COUNTRIES,
  countryTable,
  EU_MEMBERS,
  GB_PARTNERS,
  HOME_LAW,
  homeLaw,
  LEGACY_COUNTRIES,
  evidenceRoute,
  isGap,
  needsTranslation,
  preservationInstrument,
  provisionalArrestWindow,
  suspectRoute,
  type CountryTable,
  type Fact,
} from '../../workflows/policy';
import { ISO_3166_ALPHA2 } from '../../workflows/policy/iso-countries';

const codes = Object.keys(COUNTRIES);
const facts = (code: string) => COUNTRIES[code].facts!;

/** Every fact of a row, by name. */
function factsOf(code: string): [string, Fact<unknown>][] {
  return Object.entries(facts(code)).filter((e): e is [string, Fact<unknown>] => e[1] !== undefined);
}

describe('every row has its sources', () => {
  it('lists every EU member state, the Budapest parties found, and the US treaty partners: well over a hundred countries, all ISO codes', () => {
    expect(codes.length).toBeGreaterThan(120);
    for (const code of codes) expect([code, ISO_3166_ALPHA2.includes(code)]).toEqual([code, true]);
    for (const code of EU_MEMBERS) expect([code, COUNTRIES[code] !== undefined]).toEqual([code, true]);
    expect(EU_MEMBERS).toHaveLength(27);
  });

  it('gives every fact a source and a kind, or marks it as a gap with what is missing (never a bare value)', () => {
    let sourced = 0;
    let gaps = 0;
    for (const code of codes) {
      for (const [name, fact] of factsOf(code)) {
        if (isGap(fact)) {
          gaps++;
          expect([code, name, fact.gap.length > 20]).toEqual([code, name, true]);
        } else {
          sourced++;
          expect([code, name, typeof fact.source === 'string' && fact.source.length > 10, ['P', 'S', 'C'].includes(fact.kind)]).toEqual([
            code,
            name,
            true,
            true,
          ]);
        }
      }
      // Every row holds the same questions, answered or marked.
      for (const name of ['budapestParty', 'mlatWithHome', 'extraditionTreatyWithHome', 'extraditesOwnNationals', 'provisionalArrestWindowDays'])
        expect([code, name, name in facts(code)]).toEqual([code, name, true]);
    }
    expect(sourced).toBeGreaterThan(gaps / 2);
  });

  it('a Budapest party found with its date carries that date; an undated party has its date as a gap', () => {
    expect(facts('DE').budapestInForce).toMatchObject({ value: '2009-07-01', kind: 'P' });
    expect(facts('JP').budapestInForce).toMatchObject({ value: '2012-11-01' });
    expect(facts('BR').budapestInForce).toMatchObject({ value: '2023-03-01' });
    expect(facts('ES').budapestParty).toMatchObject({ value: true, kind: 'S' });
    expect(isGap(facts('ES').budapestInForce!)).toBe(true);
    for (const code of codes) {
      const party = facts(code).budapestParty.value === true;
      expect([code, party || facts(code).budapestInForce === undefined]).toEqual([code, true]);
    }
  });
});

describe('the e-Evidence Regulation: every member state from 18 August 2026, Denmark not', () => {
  it('binds the 26 member states from 2026-08-18 (Art. 34) and lets an agency of one order data held in another', () => {
    for (const code of EU_MEMBERS.filter((c) => c !== 'DK')) {
      expect([code, COUNTRIES[code].euEEvidenceSince?.value]).toEqual([code, '2026-08-18']);
      expect([code, evidenceRoute({ dataCountry: code, suspectCountry: 'DE', home: 'DE', isoDate: '2026-08-18T00:00:00Z' }).route]).toEqual([
        code,
        code === 'DE' ? 'domestic-warrant' : 'eu-production-order',
      ]);
      expect(evidenceRoute({ dataCountry: code, suspectCountry: 'US', home: 'FR', isoDate: '2026-08-17T23:59:59Z' }).route).not.toBe('eu-production-order');
    }
  });

  it('marks Denmark as a member the Regulation does not bind (Protocol No 22): data there goes by MLAT, preserved through the Budapest network', () => {
    expect(facts('DK').eEvidence).toMatchObject({ value: false, kind: 'P' });
    expect(facts('DK').eEvidence!.source).toContain('Protocol (No 22)');
    expect(COUNTRIES.DK.euEEvidenceSince).toBeUndefined();
    const routed = evidenceRoute({ dataCountry: 'DK', suspectCountry: 'FR', home: 'FR', isoDate: '2027-01-01' });
    expect(routed.route).toBe('mlat');
    // Nor may a Danish authority issue one.
    expect(evidenceRoute({ dataCountry: 'FR', suspectCountry: 'DK', home: 'DK', isoDate: '2027-01-01' }).route).toBe('mlat');
    expect(preservationInstrument('DK', 'FR', new Date('2027-01-01'))).toBe('budapest-art29');
  });
});

describe('the US–Australia CLOUD Act agreement', () => {
  it('is in force from 31 January 2024, from the two Attorneys-General’s joint statement [P]', () => {
    expect(COUNTRIES.AU.cloudActAgreementSince).toMatchObject({ value: '2024-01-31', kind: 'P' });
    expect(COUNTRIES.AU.cloudActAgreementSince!.source).toContain('joint statement');
  });

  it('routes data held in Australia to a direct order from that day, not before, and never for a person located there or an Australian', () => {
    const route = (isoDate: string, suspectCountry: string, nationality?: string) =>
      evidenceRoute({ dataCountry: 'AU', suspectCountry, home: 'US', isoDate, nationality }).route;
    expect(route('2024-01-31T00:00:00Z', 'US')).toBe('cloud-act-order');
    expect(route('2024-01-30T23:59:59Z', 'US')).toBe('mlat');
    expect(route('2026-01-01', 'AU')).toBe('mlat');
    expect(route('2026-01-01', 'NZ', 'AU')).toBe('mlat');
    expect(evidenceRoute({ dataCountry: 'AU', suspectCountry: 'NZ', home: 'US', isoDate: '2026-01-01', nationality: 'AU' }).why).toContain('Australian Person');
    // The ten-country table had no Australia: a case routed by it still goes to a liaison.
    expect(evidenceRoute({ dataCountry: 'AU', suspectCountry: 'US', home: 'US', isoDate: '2026-01-01', countries: LEGACY_COUNTRIES }).route).toBe(
      'foreign-evidence',
    );
  });
});

describe('every listed country routes to something a person can act on', () => {
  const SCENARIOS = [
    { home: 'US', isoDate: '2026-12-01T00:00:00Z' },
    { home: 'US', isoDate: '2025-06-01T00:00:00Z' },
    { home: 'IE', isoDate: '2026-12-01T00:00:00Z' },
  ];
  const nationalities = (code: string) => [undefined, code, 'US'];

  it('evidence: each route names its legal basis, a gap says what a liaison must arrange', () => {
    for (const code of codes)
      for (const s of SCENARIOS)
        for (const suspectCountry of [code, 'US', 'GB'])
          for (const nationality of nationalities(code)) {
            const r = evidenceRoute({ dataCountry: code, suspectCountry, home: s.home, isoDate: s.isoDate, nationality });
            expect(['domestic-warrant', 'cloud-act-order', 'eu-production-order', 'mlat', 'foreign-evidence']).toContain(r.route);
            expect(r.why).toContain(code === s.home ? 'data held at home' : code);
            if (r.route === 'foreign-evidence') expect(r.why).toMatch(/a liaison arranges the channel/);
          }
  });

  it('suspect: extradition, a transfer, or a liaison told what to arrange; a gap is never a transfer or an extradition', () => {
    const seen = new Set<string>();
    for (const code of codes.filter((c) => c !== 'US'))
      for (const nationality of nationalities(code)) {
        const r = suspectRoute({ suspectCountry: code, nationality, home: 'US' });
        seen.add(r.route);
        expect(['extradition', 'transfer-of-proceedings', 'liaison']).toContain(r.route);
        const f = facts(code);
        const unknownTreaty = isGap(f.extraditionTreatyWithHome) && f.extraditionTreatyWithHome.value === null;
        const unknownNationals = nationality === code && isGap(f.extraditesOwnNationals) && f.extraditesOwnNationals.value === null;
        if (unknownTreaty || unknownNationals) {
          expect([code, nationality, r.route]).toEqual([code, nationality, 'liaison']);
          expect(r.why).toMatch(/a liaison must arrange extradition or a transfer of proceedings/);
        }
      }
    expect([...seen].sort()).toEqual(['extradition', 'liaison', 'transfer-of-proceedings']);
  });

  it('the constitutional bars on surrendering nationals route a national home to a transfer of proceedings, each with its source', () => {
    for (const [code, cite] of [
      ['DE', 'Art. 16(2)'],
      ['BR', 'Art. 5 LI'],
      ['FR', '696-4'],
      ['JP', 'Art. 2(ix)'],
      ['AT', '§ 12(1)'],
    ] as const) {
      expect(facts(code).extraditesOwnNationals).toMatchObject({ value: false, kind: 'P' });
      expect((facts(code).extraditesOwnNationals as { source: string }).source).toContain(cite);
      expect([code, suspectRoute({ suspectCountry: code, nationality: code, home: 'US' }).route]).toEqual([code, 'transfer-of-proceedings']);
      expect([code, suspectRoute({ suspectCountry: code, nationality: 'US', home: 'US' }).route]).toEqual([code, 'extradition']);
    }
    // Russia and China bar it too, but have no extradition treaty with the US on record.
    expect(facts('RU').extraditesOwnNationals).toMatchObject({ value: false });
    expect(suspectRoute({ suspectCountry: 'CN', nationality: 'CN', home: 'US' }).route).toBe('transfer-of-proceedings');
  });

  it('preservation: the Budapest network for a party from its entry into force, otherwise none (the case alerts a liaison)', () => {
    for (const code of codes.filter((c) => c !== 'US')) {
      const at = new Date('2026-01-01T00:00:00Z');
      const instrument = preservationInstrument(code, 'US', at);
      const f = facts(code);
      expect([code, instrument]).toEqual([code, f.budapestParty.value === true ? 'budapest-art29' : null]);
    }
    expect(preservationInstrument('BR', 'US', new Date('2023-02-28T00:00:00Z'))).toBeNull();
    expect(preservationInstrument('BR', 'US', new Date('2023-03-01T00:00:00Z'))).toBe('budapest-art29');
  });

  it('provisional arrest: a treaty window where one is known, else the default of 7 FAM 1621.1', () => {
    expect(provisionalArrestWindow('GB').value).toEqual({ days: 65 });
    expect(provisionalArrestWindow('DE').value).toEqual({ days: 40 });
    expect(provisionalArrestWindow('ES').source).toContain('7 FAM 1621.1');
    expect(isGap(facts('ES').provisionalArrestWindowDays)).toBe(true);
  });
});

describe('the countries the ten-country table held route as they did', () => {
  const legacy = Object.keys(LEGACY_COUNTRIES);
  const both = (f: (t: CountryTable) => unknown) => [f(COUNTRIES), f(LEGACY_COUNTRIES)];

  it('keeps the same evidence and suspect routes, languages and provisional-arrest windows', () => {
    expect(legacy).toHaveLength(10);
    for (const code of legacy) {
      for (const isoDate of ['2025-06-01T00:00:00Z', '2026-12-01T00:00:00Z'])
        for (const home of ['US', 'IE', 'GB'])
          for (const suspectCountry of [code, 'US', 'GB'])
            for (const nationality of [undefined, code, 'US']) {
              const [now, before] = both((countries) => evidenceRoute({ dataCountry: code, suspectCountry, home, isoDate, nationality, countries }).route);
              expect([code, isoDate, home, suspectCountry, nationality, now]).toEqual([code, isoDate, home, suspectCountry, nationality, before]);
              if (suspectCountry !== home) {
                const [s1, s2] = both((countries) => suspectRoute({ suspectCountry, nationality, home, countries }).route);
                expect([code, home, suspectCountry, nationality, s1]).toEqual([code, home, suspectCountry, nationality, s2]);
              }
            }
      expect(COUNTRIES[code].language).toBe(LEGACY_COUNTRIES[code].language);
      expect(COUNTRIES[code].provisionalArrestWindowDays).toEqual(LEGACY_COUNTRIES[code].provisionalArrestWindowDays);
      expect(needsTranslation(code, 'US')).toBe(needsTranslation(code, 'US', LEGACY_COUNTRIES));
    }
  });

  it('preserves as before, except Ireland, which the earlier table wrongly listed as a Budapest party', () => {
    for (const code of legacy)
      for (const at of ['2025-06-01T00:00:00Z', '2026-12-01T00:00:00Z']) {
        const [now, before] = both((countries) => preservationInstrument(code, 'US', new Date(at), true, countries));
        if (code === 'IE') {
          expect([at, before, now]).toEqual([at, 'budapest-art29', null]);
        } else expect([code, at, now]).toEqual([code, at, before]);
      }
    expect(isGap(facts('IE').budapestParty)).toBe(true);
    expect(facts('IE').budapestParty.value).toBeNull();
  });

  it('marks the earlier table’s unsourced values it keeps as gaps, not as sources', () => {
    expect(facts('AE').mlatWithHome).toMatchObject({ value: true, source: null });
    expect((facts('AE').mlatWithHome as { gap: string }).gap).toContain("earlier table's value (true) is kept");
    expect(facts('TH').budapestParty).toMatchObject({ value: false, source: null });
  });
});

describe('the UK agency’s table (home GB, patch home-country-law)', () => {
  const gb = countryTable(true, 'GB', true);
  const route = (dataCountry: string, suspectCountry: string | null, nationality?: string) =>
    evidenceRoute({ dataCountry, suspectCountry, home: 'GB', isoDate: '2026-12-01', countries: gb, law: HOME_LAW.GB, nationality });

  it('is its own table only for a UK case under the patch: a US case, and a UK case opened before, keep the US-side one', () => {
    expect(gb).toBe(GB_PARTNERS);
    expect(countryTable(true, 'GB', false)).toBe(COUNTRIES);
    expect(countryTable(true, 'US', true)).toBe(COUNTRIES);
    expect(countryTable(false, 'GB', true)).toBe(LEGACY_COUNTRIES);
    expect(homeLaw('GB', false)).toBe(HOME_LAW.US);
  });

  it('lists every country of the US-side table but the home, each fact sourced or marked as a gap, none borrowed from the US side', () => {
    expect(Object.keys(gb).sort()).toEqual(codes.filter((c) => c !== 'GB').sort());
    for (const [code, row] of Object.entries(gb)) {
      for (const [name, fact] of Object.entries(row.facts!).filter((e): e is [string, Fact<unknown>] => e[1] !== undefined)) {
        const ok = isGap(fact) ? fact.gap.length > 20 : typeof fact.source === 'string' && fact.source.length > 10;
        expect([code, name, ok]).toEqual([code, name, true]);
      }
    }
    // A bilateral fact the US side has for Japan (a US MLAT) is not the UK's: a gap for a liaison.
    expect(COUNTRIES.JP.mlatWithHome).toBe(true);
    expect(isGap(gb.JP.facts!.mlatWithHome) && gb.JP.facts!.mlatWithHome.value).toBeNull();
    expect(gb.JP.cloudActAgreementSince).toBeUndefined();
  });

  it('routes every listed country to something a person can act on', () => {
    for (const code of Object.keys(gb)) {
      expect(['cloud-act-order', 'mlat', 'foreign-evidence']).toContain(route(code, 'GB').route);
      expect(['extradition', 'transfer-of-proceedings', 'liaison']).toContain(
        suspectRoute({ suspectCountry: code, nationality: code, home: 'GB', countries: gb, law: HOME_LAW.GB }).route,
      );
    }
  });

  it('orders US-held data by an overseas production order, never one targeting a United States person; the EU by MLA (no EU order from outside the Union)', () => {
    expect(route('US', 'GB')).toMatchObject({ route: 'cloud-act-order', why: expect.stringContaining('Crime (Overseas Production Orders) Act 2019') });
    expect(route('US', 'US').route).toBe('mlat');
    expect(route('US', 'GB', 'US')).toMatchObject({ route: 'mlat', why: expect.stringContaining('Art. 4(3)') });
    expect(route('DE', 'GB')).toMatchObject({ route: 'mlat', why: expect.stringContaining('not one') });
    expect(route('GB', 'GB')).toMatchObject({ route: 'domestic-warrant', why: expect.stringContaining('Police and Criminal Evidence Act 1984 s.8') });
    // Preservation of US-held data: the Budapest Art. 29 request through the 24/7 network.
    expect(preservationInstrument('US', 'GB', new Date('2026-12-01'), true, gb)).toBe('budapest-art29');
    expect(preservationInstrument('DE', 'GB', new Date('2026-12-01'), true, gb)).toBe('budapest-art29');
  });

  it('extradites from the US under the 2003 treaty; an EU member’s nationals are a question for a liaison (TCA Art. 603(2))', () => {
    expect(suspectRoute({ suspectCountry: 'US', nationality: 'US', home: 'GB', countries: gb, law: HOME_LAW.GB }).route).toBe('extradition');
    expect(suspectRoute({ suspectCountry: 'DE', nationality: 'FR', home: 'GB', countries: gb, law: HOME_LAW.GB }).route).toBe('extradition');
    expect(suspectRoute({ suspectCountry: 'DE', nationality: 'DE', home: 'GB', countries: gb, law: HOME_LAW.GB })).toMatchObject({
      route: 'liaison',
      why: expect.stringContaining('603(2)'),
    });
    expect(gb.US.provisionalArrestWindowDays).toMatchObject({ value: 60, source: expect.stringContaining('Art. 12(4)') });
  });

  it('counts a statute’s months as calendar months, held to the month’s end', () => {
    expect(new Date(monthsAfter(Date.parse('2026-12-03T10:00:00Z'), 3)).toISOString()).toBe('2027-03-03T10:00:00.000Z');
    expect(new Date(monthsAfter(Date.parse('2026-11-30T10:00:00Z'), 3)).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(new Date(monthsAfter(Date.parse('2027-11-30T00:00:00Z'), 3)).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });
});
