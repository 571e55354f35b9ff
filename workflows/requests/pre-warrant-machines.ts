/**
 * The request machines of the steps before the warrant: a child's safeguarding (run by its own
 * workflow beside the case) and subscriber identification (run by the case). Plain tables, spread
 * into REQUEST_MACHINES (./machines.ts), where their shape is checked; kept here so neither file grows
 * past what a reader holds in mind.
 */
import type { Role } from '../vocabulary';

const WITHDRAWN = 'WITHDRAWN';

/** How a local authority decides a referral (Working Together 2023). */
export const REFERRAL_DECISIONS = ['strategy-discussion', 'no-further-action'] as const;
/** What a strategy discussion decides (Children Act 1989 s.47). */
export const STRATEGY_DECISIONS = ['section-47-enquiry', 'no-further-action'] as const;
/** How a s.47 enquiry ends. */
export const ENQUIRY_OUTCOMES = ['child-protection-plan', 'child-in-need-plan', 'no-further-action'] as const;
/** How police protection ends before its 72 hours (Children Act 1989 ss.44, 46). */
export const PROTECTION_ENDINGS = ['emergency-protection-order', 'returned-home', 'accommodated'] as const;

/** Statuses of a child's safeguarding in which the police may use (or end) police protection (UK). */
const UK_PROTECTION_STATUSES = ['REFERRED', 'STRATEGY_DISCUSSION', 'S47_ENQUIRY'] as const;
const SAFEGUARDING_OPEN = [
  'OPENED',
  'IDENTIFYING',
  'UNIDENTIFIED',
  'SUBMITTED',
  'IDENTIFIED',
  'REPORTED',
  'CPS_CASE_OPEN',
  'SCREENED_OUT',
  ...UK_PROTECTION_STATUSES,
] as const;

/** One transition per status: a self-loop (police protection) keeps the status it was recorded in. */
const selfLoops = (outcome: string, by: readonly ('system' | Role)[], extra: { requires?: readonly 'reason'[]; grounds?: readonly string[] } = {}) =>
  UK_PROTECTION_STATUSES.map((s) => ({ from: [s], outcome, to: s, by, ...extra }));

export const PRE_WARRANT_MACHINES = {
  /**
   * A child at risk, safeguarded beside the case (its own workflow, one per child): identified
   * (or a known series, or submitted for identification to NCMEC CVIP / INTERPOL ICSE), then
   * reported to child protective services (US, 34 U.S.C. § 20341) or referred to the local authority
   * (UK: decision, strategy discussion, s.47 enquiry; police protection at most 72 hours, s.46).
   * Never withdrawn with the case: only a person closes it, with a reason.
   */
  safeguarding: {
    description: 'safeguarding of a child at risk, beside the case',
    runBy: 'own-workflow',
    answeredBy: 'child-protection',
    terminal: ['SAFEGUARDED', 'NO_FURTHER_ACTION', 'KNOWN_SERIES', 'CLOSED'],
    transitions: [
      { from: ['OPENED'], outcome: 'checked-known-victims', to: 'IDENTIFYING', by: ['system'], awaiting: 'analyst' },
      { from: ['IDENTIFYING', 'SUBMITTED'], outcome: 'identified', to: 'IDENTIFIED', by: ['analyst', 'coordinator'], awaiting: 'agency' },
      { from: ['IDENTIFYING'], outcome: 'known-series', to: 'KNOWN_SERIES', by: ['analyst'], requires: ['reference'], awaiting: null },
      { from: ['IDENTIFYING'], outcome: 'unidentified', to: 'UNIDENTIFIED', by: ['analyst'], awaiting: 'agency' },
      { from: ['UNIDENTIFIED'], outcome: 'submitted-for-identification', to: 'SUBMITTED', by: ['system'], awaiting: 'victim-identification' },
      // US: a report to child protective services.
      { from: ['OPENED', 'IDENTIFIED'], outcome: 'reported-to-cps', to: 'REPORTED', by: ['system'], awaiting: 'child-protection' },
      { from: ['REPORTED'], outcome: 'cps-case-opened', to: 'CPS_CASE_OPEN', by: ['coordinator'], requires: ['reference'] },
      { from: ['REPORTED'], outcome: 'cps-screened-out', to: 'SCREENED_OUT', by: ['coordinator'], requires: ['reason'], awaiting: 'coordinator' },
      {
        from: ['REPORTED', 'CPS_CASE_OPEN', 'SCREENED_OUT'],
        outcome: 'safeguarded',
        to: 'SAFEGUARDED',
        by: ['coordinator'],
        requires: ['reason'],
        awaiting: null,
      },
      // UK: a referral to the local authority's children's social care.
      { from: ['OPENED', 'IDENTIFIED'], outcome: 'referred-to-local-authority', to: 'REFERRED', by: ['system'], awaiting: 'child-protection' },
      {
        from: ['REFERRED'],
        outcome: 'referral-decided',
        to: 'NO_FURTHER_ACTION',
        by: ['coordinator'],
        requires: ['reason'],
        grounds: REFERRAL_DECISIONS,
        toByReason: { 'strategy-discussion': 'STRATEGY_DISCUSSION', 'no-further-action': 'NO_FURTHER_ACTION' },
      },
      {
        from: ['STRATEGY_DISCUSSION'],
        outcome: 'strategy-discussion-held',
        to: 'S47_ENQUIRY',
        by: ['coordinator'],
        requires: ['reason'],
        grounds: STRATEGY_DECISIONS,
        toByReason: { 'section-47-enquiry': 'S47_ENQUIRY', 'no-further-action': 'NO_FURTHER_ACTION' },
      },
      {
        from: ['S47_ENQUIRY'],
        outcome: 'enquiry-concluded',
        to: 'SAFEGUARDED',
        by: ['coordinator'],
        requires: ['reason'],
        grounds: ENQUIRY_OUTCOMES,
        toByReason: { 'child-protection-plan': 'SAFEGUARDED', 'child-in-need-plan': 'SAFEGUARDED', 'no-further-action': 'NO_FURTHER_ACTION' },
      },
      ...selfLoops('police-protection', ['coordinator']),
      ...selfLoops('protection-ended', ['coordinator'], { requires: ['reason'], grounds: PROTECTION_ENDINGS }),
      ...selfLoops('protection-expired', ['system']),
      { from: SAFEGUARDING_OPEN, outcome: 'closed', to: 'CLOSED', by: ['coordinator', 'manager'], requires: ['reason'], awaiting: null },
    ],
  },
  /**
   * Who was behind an IP address, asked of the provider that assigned it: preserved first (§ 2703(f)),
   * then an emergency request (§ 2702(c)(4)), an administrative subpoena (§ 3486) or subpoena
   * (§ 2703(c)(2)), a court order for more (§ 2703(d): applied for with the coordinator's facts), or in
   * the UK a communications data authorisation (IPA 2016 s.60A / urgent s.61A). Answered by the
   * provider's system.
   */
  'subscriber-identification': {
    description: 'subscriber records from the provider that assigned the IP address',
    runBy: 'case',
    answeredBy: 'provider',
    terminal: ['IDENTIFIED', 'NO_DATA', 'REFUSED', 'AMBIGUOUS', 'DENIED', 'NOT_AUTHORISED', 'LAPSED', WITHDRAWN],
    transitions: [
      { from: ['APPLIED'], outcome: 'order-granted', to: 'GRANTED', by: ['system'], awaiting: 'agency' },
      { from: ['APPLIED'], outcome: 'order-denied', to: 'DENIED', by: ['system'], awaiting: null },
      { from: ['AUTHORISATION_SOUGHT'], outcome: 'authorised', to: 'AUTHORISED', by: ['system'], awaiting: 'agency' },
      { from: ['AUTHORISATION_SOUGHT'], outcome: 'not-authorised', to: 'NOT_AUTHORISED', by: ['system'], awaiting: null },
      { from: ['PREPARED', 'GRANTED', 'AUTHORISED'], outcome: 'served', to: 'SERVED', by: ['system'], awaiting: 'provider' },
      { from: ['SERVED'], outcome: 'identified', to: 'IDENTIFIED', by: ['system'], awaiting: null },
      { from: ['SERVED'], outcome: 'no-data', to: 'NO_DATA', by: ['system'], awaiting: null },
      { from: ['SERVED'], outcome: 'refused', to: 'REFUSED', by: ['system'], awaiting: null },
      { from: ['SERVED'], outcome: 'ambiguous', to: 'AMBIGUOUS', by: ['system'], awaiting: null },
      { from: ['SERVED', 'AUTHORISED'], outcome: 'lapsed', to: 'LAPSED', by: ['system'], awaiting: null },
      {
        from: ['PREPARED', 'APPLIED', 'GRANTED', 'AUTHORISATION_SOUGHT', 'AUTHORISED', 'SERVED'],
        outcome: 'withdrawn',
        to: WITHDRAWN,
        by: ['system'],
        awaiting: null,
      },
    ],
  },
} as const;
