/** The policy tables: every number has a source, profiles scale, lookups fall back to the defaults. */
import { COUNTRIES, DAY_MS, INSTRUMENTS, eEvidenceApplies, periodMs, provisionalArrestWindow, scaledMs, type Rule } from '../../workflows/policy';

/** Every { value, source, kind } leaf in a table, with its path. */
function rules(node: unknown, at: string[] = []): [string, Rule<unknown>][] {
  if (node && typeof node === 'object' && 'value' in node && 'source' in node) return [[at.join('.'), node as Rule<unknown>]];
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

  it('holds the legal numbers of LEGAL-PROCESS.md', () => {
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
