/**
 * Deadlines and limits per legal instrument. Pure data: every number a workflow waits on comes from
 * here (scaled by the case's policy profile), never from a literal in workflow code.
 */
import type { Priority } from '../tip';
import type { Period, Rule } from './rule';

export const INSTRUMENTS = {
  /** The provider keeps the reported content itself. */
  providerRetention: {
    value: { days: 365 },
    source: '18 U.S.C. § 2258A(h)(1), as amended by the REPORT Act (7 May 2024)',
    kind: 'P',
  },
  /** § 2703(f) preservation of US-held records; no judge needed. */
  domesticPreservation: {
    period: { value: { days: 90 }, source: '18 U.S.C. § 2703(f)(2)', kind: 'P' },
    renewals: { value: 1, source: '18 U.S.C. § 2703(f)(2): one further 90-day period on a renewed request (some practice renews repeatedly)', kind: 'P' },
    renewBefore: { value: { days: 10 }, source: 'CaseBridge: renew well before expiry to absorb provider latency', kind: 'C' },
  },
  /** Budapest Convention 24/7 network, expedited preservation of data held abroad. */
  budapestPreservation: {
    period: { value: { days: 60 }, source: 'Budapest Convention Art. 29(7) (at least 60 days)', kind: 'S' },
    renewals: { value: 3, source: 'CaseBridge: renew while the request for production is pending', kind: 'C' },
    renewBefore: { value: { days: 10 }, source: 'CaseBridge', kind: 'C' },
  },
  /** EU preservation order under the e-Evidence Regulation. */
  euPreservation: {
    period: { value: { days: 60 }, source: 'Regulation (EU) 2023/1543 Art. 11(1)', kind: 'S' },
    renewals: { value: 3, source: 'CaseBridge: renew while the production order is pending', kind: 'C' },
    renewBefore: { value: { days: 10 }, source: 'CaseBridge', kind: 'C' },
    /**
     * Art. 11(1): the issuing authority may extend the 60 days once, by 30 days, to allow the subsequent
     * production order to be issued (preservation then continues once that order is confirmed). Applies
     * to preservation started from patch preservation-by-instrument on; earlier ones renew as above.
     */
    extension: { value: { days: 30 }, source: 'Regulation (EU) 2023/1543 Art. 11(1): one extension by 30 days', kind: 'S' },
    extensions: { value: 1, source: 'Regulation (EU) 2023/1543 Art. 11(1)', kind: 'S' },
  },
  /** NCMEC priority → how soon a referral must be acted on (UK inspection targets). */
  triageTarget: {
    1: { value: { days: 1 }, source: 'HMICFRS targets for acting on a referral: very high risk within a day', kind: 'S' },
    2: { value: { days: 7 }, source: 'HMICFRS targets: high risk within 1 week', kind: 'S' },
    3: { value: { days: 30 }, source: 'HMICFRS targets: low risk within 30 days', kind: 'S' },
  } satisfies Record<Priority, Rule<Period>>,
  jurisdiction: {
    reminderAfter: { value: { days: 2 }, source: 'CaseBridge: remind the coordinator of an unresolved jurisdiction', kind: 'C' },
    escalateAfter: { value: { days: 7 }, source: 'CaseBridge: escalate to a manager', kind: 'C' },
  },
  /** § 2702(b)(8): the provider MAY disclose in an emergency; how long we wait for its answer. */
  emergencyDisclosure: {
    wait: { value: { hours: 8 }, source: 'CaseBridge, modelled on the EU emergency production window of 8 hours (Reg. 2023/1543 Art. 10(4))', kind: 'C' },
  },
  warrant: {
    execution: { value: { days: 14 }, source: 'Fed. R. Crim. P. 41(e)(2)(A)', kind: 'S' },
    reapplications: { value: 2, source: 'CaseBridge: amended applications after a denial before the case must be closed or escalated', kind: 'C' },
    delayedNotice: { value: { days: 90 }, source: '18 U.S.C. § 2705(a)', kind: 'P' },
  },
  /** Evidence held abroad, requested through a channel a liaison arranged (answers recorded by the liaison). */
  foreignEvidence: {
    followUpEvery: { value: { days: 30 }, source: 'CaseBridge: a liaison follows up an unanswered request abroad every 30 days', kind: 'C' },
  },
  euProductionOrder: {
    followUpEvery: { value: { days: 2 }, source: 'CaseBridge: chase an overdue production every 2 days', kind: 'C' },
    production: { value: { days: 10 }, source: 'Regulation (EU) 2023/1543 Art. 10(2)', kind: 'P' },
    emergencyProduction: { value: { hours: 8 }, source: 'Regulation (EU) 2023/1543 Art. 10(4)', kind: 'P' },
    refusalWindow: { value: { days: 10 }, source: 'Regulation (EU) 2023/1543 Art. 12', kind: 'P' },
    emergencyRefusalWindow: { value: { hours: 96 }, source: 'Regulation (EU) 2023/1543 Art. 12', kind: 'P' },
  },
  cloudActOrder: {
    followUpEvery: {
      value: { days: 30 },
      source: 'CaseBridge: follow-up interval for a direct order under the US–UK agreement (no treaty deadline)',
      kind: 'C',
    },
  },
  /** The home central authority (DOJ OIA) reviews and clears every outgoing treaty request. */
  centralAuthority: {
    reviewRounds: { value: 3, source: 'CaseBridge: review rounds before a request returned with edits again goes to a coordinator', kind: 'C' },
  },
  mlat: {
    followUpEvery: { value: { days: 30 }, source: 'CaseBridge: liaison follow-up with the foreign central authority', kind: 'C' },
    escalateAfter: { value: { days: 90 }, source: 'CaseBridge: escalate to OIA / the manager', kind: 'C' },
    typicalDuration: { value: { days: 300 }, source: 'EU Commission: about 10 months (EFF: 6–13 months)', kind: 'S' },
  },
  transferOfProceedings: {
    followUpEvery: { value: { days: 60 }, source: 'CaseBridge: follow up a transferred case with the foreign prosecutor every 60 days', kind: 'C' },
  },
  extradition: {
    formalRequestAfterProvisionalArrest: { value: { days: 60 }, source: '7 FAM 1621.1: as a rule 40–60 days after the provisional arrest', kind: 'P' },
    representations: { value: { days: 28 }, source: 'Extradition Act 2003 s.93: representations to the Home Secretary within 4 weeks', kind: 'P' },
    homeSecretaryOrder: { value: { days: 60 }, source: 'Extradition Act 2003 s.99: order within 2 months', kind: 'P' },
    appealNotice: { value: { days: 14 }, source: 'Extradition Act 2003 s.103', kind: 'P' },
    surrender: { value: { days: 28 }, source: 'Extradition Act 2003 ss.117–118', kind: 'P' },
    followUpEvery: { value: { days: 30 }, source: 'CaseBridge: liaison follow-up of foreign extradition proceedings', kind: 'C' },
    provisionalArrestForPriorities: {
      value: [1] as readonly number[],
      source: 'CaseBridge: provisional arrest (urgent, CRM 602) for priority-1 cases',
      kind: 'C',
    },
  },
} as const;
