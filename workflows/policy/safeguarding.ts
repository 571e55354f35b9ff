/**
 * Safeguarding the child, beside the case (LEGAL-PROCESS.md, "Safeguarding the child runs beside the
 * case"): the UK's police protection, local-authority referral, strategy discussion and s.47 enquiry;
 * the US report to child protective services; victim identification through NCMEC's CVIP or
 * INTERPOL's ICSE database. Working days count on the deployment's calendar (./deployment.ts).
 */
import type { Period, Rule } from './rule';

export const SAFEGUARDING = {
  uk: {
    /** Children Act 1989 s.46(6): no child may be kept in police protection for more than 72 hours. */
    policeProtection: { value: { hours: 72 }, source: 'Children Act 1989 s.46(6): police protection at most 72 hours', kind: 'P' } satisfies Rule<Period>,
    /** s.46(3)(a): the local authority is told as soon as reasonably practicable; CaseBridge tells it at once. */
    tellLocalAuthority: {
      value: 'at once',
      source: 'Children Act 1989 s.46(3)(a): inform the local authority as soon as is reasonably practicable',
      kind: 'P',
    } satisfies Rule<string>,
    /** The local authority decides what to do about a referral within one working day. */
    referralDecision: {
      value: { workingDays: 1 },
      source: 'Working Together to Safeguard Children 2023: a referral decided within 1 working day (local procedures)',
      kind: 'S',
    } satisfies Rule<{ workingDays: number }>,
    /** An initial child protection conference within 15 working days of the strategy discussion that started s.47 enquiries. */
    initialConference: {
      value: { workingDays: 15 },
      source: 'Working Together to Safeguard Children 2023: initial child protection conference within 15 working days (local procedures)',
      kind: 'S',
    } satisfies Rule<{ workingDays: number }>,
    enquiry: { value: 's.47', source: 'Children Act 1989 s.47: the local authority’s enquiry', kind: 'P' } satisfies Rule<string>,
  },
  us: {
    /** 34 U.S.C. § 20341: covered professionals report suspected abuse "as soon as possible"; CaseBridge reports at once. */
    cpsReport: {
      value: 'at once',
      source: '34 U.S.C. § 20341: report suspected child abuse as soon as possible (receiving agency per 28 CFR 81.2); state law otherwise',
      kind: 'P',
    } satisfies Rule<string>,
  },
  /** How often the coordinator is reminded of a safeguarding step still waiting for the other side. */
  followUpEvery: {
    value: { days: 2 },
    source: 'CaseBridge: remind the coordinator every 2 days while a child’s safeguarding waits',
    kind: 'C',
  } satisfies Rule<Period>,
  /**
   * After this many reminders of one waiting step, the reminders settle to `settledFollowUpEvery`:
   * two weeks of reminders every 2 days, then monthly, for a step that may wait for years.
   */
  followUpSettlesAfter: {
    value: 7,
    source: 'CaseBridge: seven reminders (two weeks at 2 days) before they settle to monthly; the step stays open and shown in deadlines',
    kind: 'C',
  } satisfies Rule<number>,
  settledFollowUpEvery: {
    value: { days: 30 },
    source: 'CaseBridge: a safeguarding step unanswered for two weeks is reminded monthly',
    kind: 'C',
  } satisfies Rule<Period>,
  /** How often the analyst is reminded of a child submitted for identification and not yet identified. */
  identificationFollowUpEvery: {
    value: { days: 30 },
    source: 'CaseBridge: remind the analyst monthly of a child submitted to NCMEC CVIP / INTERPOL ICSE and not yet identified',
    kind: 'C',
  } satisfies Rule<Period>,
  /** Where unidentified children are submitted, by home country. */
  identificationDatabase: {
    value: { US: 'ncmec-cvip', GB: 'interpol-icse' } as Readonly<Record<string, VictimDatabase>>,
    source: 'NCMEC Child Victim Identification Program; INTERPOL International Child Sexual Exploitation database (30,000+ victims identified, 2022)',
    kind: 'P',
  },
} as const;

export type VictimDatabase = 'ncmec-cvip' | 'interpol-icse';

/** The safeguarding channel of a home country: a report to CPS (US) or a referral to the local authority (UK). */
export type SafeguardingChannel = 'cps-report' | 'local-authority-referral';

export function safeguardingChannel(homeCountry: string): SafeguardingChannel {
  return homeCountry === 'GB' ? 'local-authority-referral' : 'cps-report';
}

export function victimDatabase(homeCountry: string): VictimDatabase {
  return SAFEGUARDING.identificationDatabase.value[homeCountry] ?? 'interpol-icse';
}
