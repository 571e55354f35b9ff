/**
 * Whether a country surrenders its own nationals, from its constitution or extradition law. A
 * state that does not is expected to prosecute them itself (transfer of proceedings). Any other
 * country is a gap: a liaison checks before extraditing one of its nationals.
 */
import type { Rule } from '../rule';
import { gap, type Fact } from './facts';

const BARS: Readonly<Record<string, Rule<boolean>>> = {
  DE: {
    value: false,
    source:
      'Basic Law (Grundgesetz) Art. 16(2): no German may be extradited to a foreign country (a law may allow it to an EU member state or an international court)',
    kind: 'P',
  },
  BR: {
    value: false,
    source: 'Constitution of Brazil Art. 5 LI: no Brazilian is extradited, save a naturalised one for a crime before naturalisation or drug trafficking',
    kind: 'P',
  },
  FR: { value: false, source: 'Code de procédure pénale Art. 696-4 (1°): extradition is not granted of a French national', kind: 'P' },
  RU: { value: false, source: 'Constitution of the Russian Federation Art. 61(1): a citizen may not be extradited to another state', kind: 'P' },
  CN: { value: false, source: 'Extradition Law of the PRC (2000) Art. 8(1): extradition is refused of a PRC national', kind: 'P' },
  JP: {
    value: false,
    source:
      'Act of Extradition (Act No. 68 of 1953) Art. 2(ix): no extradition of a Japanese national unless a treaty provides otherwise (the US–Japan treaty leaves it to discretion)',
    kind: 'P',
  },
  AT: {
    value: false,
    source: 'Extradition and Mutual Assistance Act (ARHG) § 12(1), a constitutional provision: no extradition of Austrian citizens',
    kind: 'P',
  },
};

export function extraditesNationalsFact(code: string): Fact<boolean> {
  return BARS[code] ?? gap('whether this state extradites its own nationals was not researched offline: a liaison checks its constitution and the treaty');
}
