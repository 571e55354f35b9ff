/**
 * The clocks after an arrest, per home country, each with its source. US: the first appearance, a
 * warrantless arrest's probable-cause determination, the detention hearing, the preliminary hearing,
 * the Speedy Trial Act's indictment and trial limits and the delay they exclude. UK (England and
 * Wales): PACE 1984's detention clock, its reviews and extensions, pre-charge bail and who may extend
 * it (as amended by the Police, Crime, Sentencing and Courts Act 2022 from 28 Oct 2022), and the
 * DPP's consent to indecent-image prosecutions. Rule 5(a)'s "without unnecessary delay" has no number:
 * the deployment sets it (./deployment.ts, `initialAppearance`); nothing here defaults it.
 */
import type { Period, Rule } from './rule';

/** Calendar months (a bail period runs "to the end of the period of N months beginning with the bail start date"). */
export interface MonthsRule {
  value: { months: number };
  source: string;
  kind: Rule['kind'];
}

export const US_AFTER_ARREST = {
  initialAppearance: {
    value: 'without unnecessary delay',
    source: 'Fed. R. Crim. P. 5(a)(1)(A): the arrested person is taken without unnecessary delay before a magistrate judge',
    kind: 'P',
  } satisfies Rule<string>,
  probableCause: {
    value: { hours: 48 },
    source: 'County of Riverside v. McLaughlin, 500 U.S. 44 (1991): a judicial determination of probable cause within 48 hours of a warrantless arrest',
    kind: 'P',
  } satisfies Rule<Period>,
  detentionContinuanceDefence: {
    value: { days: 5 },
    source: '18 U.S.C. § 3142(f): a continuance on the person’s motion may not exceed five days (except for good cause)',
    kind: 'P',
  } satisfies Rule<Period>,
  detentionContinuanceGovernment: {
    value: { days: 3 },
    source: '18 U.S.C. § 3142(f): a continuance on the government’s motion may not exceed three days (except for good cause)',
    kind: 'P',
  } satisfies Rule<Period>,
  preliminaryHearingInCustody: {
    value: { days: 14 },
    source: 'Fed. R. Crim. P. 5.1(c): no later than 14 days after the initial appearance if the defendant is in custody',
    kind: 'P',
  } satisfies Rule<Period>,
  preliminaryHearingReleased: {
    value: { days: 21 },
    source: 'Fed. R. Crim. P. 5.1(c): no later than 21 days after the initial appearance if the defendant is not in custody',
    kind: 'P',
  } satisfies Rule<Period>,
  indictment: {
    value: { days: 30 },
    source: '18 U.S.C. § 3161(b): an indictment within thirty days from the date of arrest, less the delay § 3161(h) excludes',
    kind: 'P',
  } satisfies Rule<Period>,
  trial: {
    value: { days: 70 },
    source:
      '18 U.S.C. § 3161(c)(1): trial within seventy days of the indictment or the first appearance, whichever is later, less the delay § 3161(h) excludes',
    kind: 'P',
  } satisfies Rule<Period>,
  prosecutionDecision: {
    value: 'federal, state or declined',
    source: 'Justice Manual 9-27.220 (grounds for commencing or declining prosecution); 9-27.240 (referral to another jurisdiction)',
    kind: 'P',
  } satisfies Rule<string>,
  /** One input excludes at most this much; § 3161(h)(8) (evidence abroad) allows up to a year. */
  longestExclusion: {
    value: { days: 365 },
    source: '18 U.S.C. § 3161(h)(8): delay for an official request for evidence abroad, not to exceed one year; CaseBridge caps one input at that',
    kind: 'C',
  } satisfies Rule<Period>,
} as const;

/**
 * The grounds of excludable delay a person may name (18 U.S.C. § 3161(h)); `order`: the ground
 * rests on the court's order or findings, whose reference the input must carry. Paragraph letters
 * as the section reads after the Judicial Administration and Technical Amendments Act 2008 [S]: not
 * re-read from the code's text in this session.
 */
export const EXCLUDABLE_DELAY_GROUNDS = {
  'competency-examination': { cite: '§ 3161(h)(1)(A)', order: false },
  'other-charges': { cite: '§ 3161(h)(1)(B)', order: false },
  'interlocutory-appeal': { cite: '§ 3161(h)(1)(C)', order: false },
  'pretrial-motion': { cite: '§ 3161(h)(1)(D)', order: false },
  'transfer-or-removal': { cite: '§ 3161(h)(1)(E)', order: false },
  'plea-agreement': { cite: '§ 3161(h)(1)(G)', order: false },
  'under-advisement': { cite: '§ 3161(h)(1)(H)', order: false },
  'deferred-prosecution': { cite: '§ 3161(h)(2)', order: true },
  'unavailable-defendant-or-witness': { cite: '§ 3161(h)(3)', order: false },
  'mental-incompetence': { cite: '§ 3161(h)(4)', order: false },
  'co-defendant': { cite: '§ 3161(h)(6)', order: false },
  'ends-of-justice': { cite: '§ 3161(h)(7)(A)', order: true },
  'evidence-abroad': { cite: '§ 3161(h)(8)', order: true },
} as const;
export type ExcludableDelayGround = keyof typeof EXCLUDABLE_DELAY_GROUNDS;
export const EXCLUDABLE_DELAY_GROUND_NAMES = Object.keys(EXCLUDABLE_DELAY_GROUNDS) as [ExcludableDelayGround, ...ExcludableDelayGround[]];

export const GB_AFTER_ARREST = {
  relevantTime: {
    value: 'arrival at the police station, or 24 hours after the arrest if earlier',
    source:
      'PACE 1984 s.41(2): the relevant time; CaseBridge counts from the arrest the agency reports (the earlier, safer side): the station’s arrival time is not reported to it',
    kind: 'P',
  } satisfies Rule<string>,
  firstReview: {
    value: { hours: 6 },
    source: 'PACE 1984 s.40(3)(a): the first review not later than six hours after detention was first authorised',
    kind: 'P',
  },
  laterReviews: { value: { hours: 9 }, source: 'PACE 1984 s.40(3)(b), (c): later reviews at intervals of not more than nine hours', kind: 'P' },
  detentionLimit: {
    value: { hours: 24 },
    source: 'PACE 1984 s.41(1): not kept in police detention for more than 24 hours from the relevant time without being charged',
    kind: 'P',
  } satisfies Rule<Period>,
  superintendentExtension: {
    value: { hours: 36 },
    source:
      'PACE 1984 s.42(1): an officer of the rank of superintendent or above may authorise detention up to 36 hours from the relevant time (indictable offence)',
    kind: 'P',
  } satisfies Rule<Period>,
  warrantOfFurtherDetention: {
    value: { hours: 36 },
    source: 'PACE 1984 s.43(12), s.44(3)(b): a magistrates’ court’s warrant of further detention, or its extension, for not more than 36 hours at a time',
    kind: 'P',
  } satisfies Rule<Period>,
  maximumDetention: {
    value: { hours: 96 },
    source: 'PACE 1984 s.44(3)(b): no extension ending later than 96 hours after the relevant time',
    kind: 'P',
  } satisfies Rule<Period>,
  bailInitial: {
    value: { months: 3 },
    source:
      'PACE 1984 s.47ZB(1)(b) as amended by PCSC Act 2022 Sch. 4 para. 26 (in force 28 Oct 2022): 3 months from the bail start date in a standard case (6 months in an FCA, HMRC, NCA or SFO case, s.47ZB(1)(a))',
    kind: 'P',
  } satisfies MonthsRule,
  bailInspector: {
    value: { months: 6 },
    source: 'PACE 1984 ss.47ZC, 47ZD (as amended, 2022): extended to 6 months from the bail start date on the authority of an inspector or above',
    kind: 'P',
  } satisfies MonthsRule,
  bailSuperintendent: {
    value: { months: 9 },
    source: 'PACE 1984 s.47ZDA (inserted by PCSC Act 2022 Sch. 4 para. 29): extended to 9 months by a senior officer, superintendent or above (s.47ZDA(6))',
    kind: 'P',
  } satisfies MonthsRule,
  bailCourt: {
    value: { months: 12 },
    source:
      'PACE 1984 ss.47ZF, 47ZG: beyond 9 months only a magistrates’ court extends (to 12 months, 18 in a case designated exceptionally complex) [S: the months not re-read from the amended text; a court’s order gives the end date]',
    kind: 'S',
  } satisfies MonthsRule,
  dppConsent: {
    value: 'the DPP’s consent',
    source:
      'Protection of Children Act 1978 s.1(3): proceedings for an offence under the Act are not instituted except by or with the consent of the DPP; a Crown Prosecutor may give it (Prosecution of Offences Act 1985 s.1(7)) [s.1(3) as in LEGAL-PROCESS.md, marked P there; not re-read here]',
    kind: 'P',
  } satisfies Rule<string>,
  chargingDecision: {
    value: 'the CPS decides the charge',
    source: 'Director’s Guidance on Charging, 6th ed. (2020): the Full Code Test or the Threshold Test',
    kind: 'P',
  } satisfies Rule<string>,
  /** A court's extension of pre-charge bail recorded in one input covers at most this much. */
  longestCourtBailExtension: {
    value: { days: 365 },
    source: 'CaseBridge: one input records a court’s extension of at most a year',
    kind: 'C',
  } satisfies Rule<Period>,
} as const;
