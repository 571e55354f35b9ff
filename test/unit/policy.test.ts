/** The policy tables: every number has a source, profiles scale, lookups fall back to the defaults. */
import {
  COUNTRIES,
  DAY_MS,
  INSTRUMENTS,
  eEvidenceApplies,
  evidenceRoute,
  periodMs,
  preservationInstrument,
  provisionalArrestWindow,
  scaledMs,
  type Rule,
} from '../../workflows/policy';

/** Every { value, source, kind } leaf in a table, with its path. */
function rules(node: unknown, at: string[] = []): [string, Rule<unknown>][] {
  // A gap (source null, a `gap` note instead: test/unit/country-tables.test.ts) is not a rule.
  if (node && typeof node === 'object' && 'value' in node && 'source' in node)
    return (node as { source: unknown }).source === null ? [] : [[at.join('.'), node as Rule<unknown>]];
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => rules(v, [...at, k]));
  return [];
}

describe('policy tables', () => {
  it('gives every number a source and a kind ([P] primary, [S] secondary, [C] CaseBridge’s own)', () => {
    const all = [...rules(INSTRUMENTS), ...rules(COUNTRIES)];
    expect(all.length).toBeGreaterThan(30);
    for (const [where, rule] of all) {
      expect([where, rule.source.length > 5, ['P', 'S', 'C'].includes(rule.kind)]).toEqual([where, true, true]);
    }
  });

  it('holds the legal numbers of docs/legal-process.md', () => {
    expect(INSTRUMENTS.domesticPreservation.period.value).toEqual({ days: 90 });
    expect(INSTRUMENTS.warrant.execution.value).toEqual({ days: 14 });
    expect(INSTRUMENTS.euProductionOrder.production.value).toEqual({ days: 10 });
    expect(INSTRUMENTS.euProductionOrder.emergencyProduction.value).toEqual({ hours: 8 });
    expect(INSTRUMENTS.budapestPreservation.period.value).toEqual({ days: 60 });
    expect(provisionalArrestWindow('GB').value).toEqual({ days: 65 });
    expect(provisionalArrestWindow('TH').value).toEqual({ days: 60 });
    expect(COUNTRIES.GB?.cloudActAgreementSince?.value).toBe('2022-10-03');
    expect(eEvidenceApplies('DE', '2026-08-17T23:00:00Z')).toBe(false);
    expect(eEvidenceApplies('DE', '2026-08-18T00:00:00Z')).toBe(true);
    expect(eEvidenceApplies('GB', '2030-01-01')).toBe(false);
  });

  it('scales durations by profile: in demo a policy day lasts a second', () => {
    expect(scaledMs({ days: 90 }, 'standard')).toBe(90 * DAY_MS);
    expect(scaledMs({ days: 90 }, 'demo')).toBe(90_000);
    expect(scaledMs({ hours: 8 }, 'demo')).toBe(333);
    expect(periodMs({ days: 1, hours: 12 })).toBe(1.5 * DAY_MS);
  });
});

describe('EU orders need an issuer of a member state (Reg. (EU) 2023/1543 Art. 4)', () => {
  const day = '2026-12-01T00:00:00Z';
  it('a US agency gets data held in Germany by MLAT, an Irish agency by an EU production order', () => {
    const us = evidenceRoute({ dataCountry: 'DE', suspectCountry: 'US', home: 'US', isoDate: day });
    expect(us.route).toBe('mlat');
    expect(us.why).toContain("an EU production order is issued only by a member state's authority");
    expect(evidenceRoute({ dataCountry: 'DE', suspectCountry: 'IE', home: 'IE', isoDate: day }).route).toBe('eu-production-order');
    // Cases routed before the rule (patch eu-orders-need-an-eu-issuer) keep the route they were given.
    expect(evidenceRoute({ dataCountry: 'DE', suspectCountry: 'US', home: 'US', isoDate: day, euIssuerRule: false }).route).toBe('eu-production-order');
  });
  it('preservation likewise: the Budapest network for a US agency, an EU preservation order for an Irish one', () => {
    expect(preservationInstrument('DE', 'US', new Date(day))).toBe('budapest-art29');
    expect(preservationInstrument('DE', 'IE', new Date(day))).toBe('eu-preservation-order');
    expect(preservationInstrument('DE', 'IE', new Date('2026-08-17T00:00:00Z'))).toBe('budapest-art29');
  });
});
