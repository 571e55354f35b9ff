/**
 * Subscriber identification: who was behind the IP address (LEGAL-PROCESS.md, "Subscriber
 * identification"). US: basic subscriber records by subpoena (§ 2703(c)(2)) or administrative subpoena
 * (§ 3486), more by a § 2703(d) court order, an emergency request (§ 2702(c)(4)) for priority 1. UK:
 * communications data under the Investigatory Powers Act 2016 Part 3. The provider's log retention is
 * the deployment's table (./deployment.ts): no source gives one, and the US mandates none.
 */
import type { Period, Rule } from './rule';

/** The legal process that asks a provider who had an address. */
export type SubscriberInstrument = 'admin-subpoena-3486' | 'subpoena-2703c2' | 'court-order-2703d' | 'emergency-2702c4' | 'ipa-part3' | 'ipa-part3-urgent';

export const SUBSCRIBER_INSTRUMENTS: Record<SubscriberInstrument, { title: string; source: string; kind: 'P' | 'S' }> = {
  'admin-subpoena-3486': {
    title: 'administrative subpoena (18 U.S.C. § 3486)',
    source: '18 U.S.C. § 3486: administrative subpoenas in investigations of child sexual exploitation and abuse',
    kind: 'P',
  },
  'subpoena-2703c2': {
    title: 'subpoena for basic subscriber records (18 U.S.C. § 2703(c)(2))',
    source: '18 U.S.C. § 2703(c)(2): name, address, session times, assigned network address, means of payment; no notice (§ 2703(c)(3))',
    kind: 'P',
  },
  'court-order-2703d': {
    title: 'court order for other records (18 U.S.C. § 2703(d))',
    source: '18 U.S.C. § 2703(d): specific and articulable facts showing the records are relevant and material',
    kind: 'P',
  },
  'emergency-2702c4': {
    title: 'emergency request for records (18 U.S.C. § 2702(c)(4))',
    source: '18 U.S.C. § 2702(c)(4): the provider may disclose records in an emergency involving danger of death or serious physical injury',
    kind: 'P',
  },
  'ipa-part3': {
    title: 'communications data authorisation (Investigatory Powers Act 2016 s.60A, OCDA)',
    source: 'Investigatory Powers Act 2016 s.60A: authorised by the Office for Communications Data Authorisations; SPoC consulted (s.76)',
    kind: 'P',
  },
  'ipa-part3-urgent': {
    title: 'urgent communications data authorisation (Investigatory Powers Act 2016 s.61A)',
    source: 'Investigatory Powers Act 2016 s.61A: urgent authorisation by a designated senior officer',
    kind: 'P',
  },
};

export const SUBSCRIBER = {
  /** The instrument for basic subscriber records when nothing else applies. */
  defaultUsInstrument: {
    value: 'admin-subpoena-3486' as SubscriberInstrument,
    source: '18 U.S.C. § 3486(a)(1)(A)(i)(II): available in child exploitation cases without a grand jury; an agency may choose § 2703(c)(2)',
    kind: 'C',
  } satisfies Rule<SubscriberInstrument>,
  /** Priorities that ask for the records in an emergency first (the provider may refuse; then the subpoena). */
  emergencyForPriorities: {
    value: [1] as readonly number[],
    source: '18 U.S.C. § 2702(c)(4): for a child in imminent danger (priority 1)',
    kind: 'C',
  } satisfies Rule<readonly number[]>,
  ipa: {
    authorisation: {
      value: { days: 30 },
      source: 'Investigatory Powers Act 2016 s.65: an authorisation lasts 1 month (renewable)',
      kind: 'P',
    } satisfies Rule<Period>,
    /** The same month as a calendar month (periodFrom): the cases of a UK agency from patch home-country-law; 30 days before it. */
    authorisationCalendar: {
      value: { months: 1 },
      source: 'Investigatory Powers Act 2016 s.65: an authorisation lasts 1 month (renewable)',
      kind: 'P',
    } satisfies Rule<Period>,
    urgentAuthorisation: {
      value: { days: 3 },
      source: 'Investigatory Powers Act 2016 s.65: an urgent authorisation lasts 3 days',
      kind: 'P',
    } satisfies Rule<Period>,
    /** Renewals of a lapsed authorisation before the case goes to a coordinator. */
    renewals: {
      value: 1,
      source: 'CaseBridge: renew a lapsed authorisation once (s.65: renewable), then a coordinator decides',
      kind: 'C',
    } satisfies Rule<number>,
  },
  /** Whether to preserve the provider's logs before serving process. */
  preserveFirst: {
    value: true,
    source: '18 U.S.C. § 2703(f): with no retention mandate for IP logs, preserve them before the subpoena (LEGAL-PROCESS.md)',
    kind: 'P',
  } satisfies Rule<boolean>,
} as const;

/** The outcomes a provider's answer may have. */
export const SUBSCRIBER_OUTCOMES = ['identified', 'no-data', 'refused', 'ambiguous'] as const;
export type SubscriberOutcome = (typeof SUBSCRIBER_OUTCOMES)[number];
