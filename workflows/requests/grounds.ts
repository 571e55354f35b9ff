/** The grounds a refusal or a decision must name, per kind of request (the machines' `grounds`). */

/** Grounds on which a foreign state refuses mutual assistance (docs/legal-process.md, MLAT). */
export const REFUSAL_GROUNDS = [
  'dual-criminality',
  'political-offence',
  'sovereignty-ordre-public',
  'insufficient-probable-cause',
  'fundamental-rights-data-protection',
  'ne-bis-in-idem',
] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/** A provider's objections to a CLOUD Act order (US–UK agreement: serious crime, no UK person targeted). */
export const CLOUD_ACT_OBJECTIONS = ['targets-receiving-country-person', 'not-serious-crime', 'data-not-held', 'conflict-of-laws'] as const;
/** Grounds on which the enforcing state refuses an EU production order (Reg. 2023/1543 Art. 12). */
export const EU_ORDER_REFUSAL_GROUNDS = [
  'immunity-or-privilege',
  'freedom-of-press',
  'ne-bis-in-idem',
  'fundamental-rights-data-protection',
  'dual-criminality',
] as const;
/** Grounds on which extradition is refused (treaty and e.g. Extradition Act 2003 Part 2). */
export const EXTRADITION_REFUSAL_GROUNDS = [
  'political-offence',
  'nationality',
  'dual-criminality',
  'passage-of-time',
  'human-rights',
  'death-penalty-assurance',
  'ne-bis-in-idem',
] as const;
/** How an appeal against an extradition order is decided. */
export const APPEAL_DECISIONS = ['order-upheld', 'order-quashed'] as const;
