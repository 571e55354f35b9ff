/**
 * A country fact with its source, or a gap: no source was found offline. A gap never guesses: its
 * value is null (unknown: routing sends the question to a liaison), or the value an earlier table held
 * without a source, kept so that cases already routed by it are routed the same way (marked, not hidden).
 */
import type { Rule } from '../rule';

export interface Gap<T> {
  value: T | null;
  source: null;
  /** What is missing and what a liaison must check. */
  gap: string;
}

export type Fact<T> = Rule<T> | Gap<T>;

export const gap = <T>(why: string, carried: T | null = null): Gap<T> => ({ value: carried, source: null, gap: why });

export function isGap<T>(f: Fact<T>): f is Gap<T> {
  return f.source === null;
}

/** Everything the tables know about one country, each fact with its source (or a gap). */
export interface CountryFacts {
  /** An EU member state: the date Reg. (EU) 2023/1543 applies to it, or false for a member it does not bind (Denmark). */
  eEvidence?: Rule<string | false>;
  /** A party to the Budapest Convention (ETS No. 185). */
  budapestParty: Fact<boolean>;
  /** The Convention's entry into force for that party (YYYY-MM-DD); only for a party. */
  budapestInForce?: Fact<string>;
  mlatWithHome: Fact<boolean>;
  extraditionTreatyWithHome: Fact<boolean>;
  extraditesOwnNationals: Fact<boolean>;
  /** Days after a provisional arrest by which the formal request must arrive; a gap falls back to the default (7 FAM 1621.1). */
  provisionalArrestWindowDays: Fact<number>;
  cloudActAgreementSince?: Rule<string>;
  /** The CLOUD Act agreement forbids orders targeting the country's own nationals (wherever located), not only persons located there. */
  cloudActProtectsNationals?: Rule<boolean>;
}
