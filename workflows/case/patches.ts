/**
 * Changes to running cases' logic, by patch id: each guards a change of the workflow's commands so that
 * cases started before it replay as recorded (test/histories holds a history from before and after each).
 */
export const PATCHES = {
  alertOnWarrantExpiry: 'alert-on-warrant-expiry',
  /** A withdrawn CLOUD Act or EU order is withdrawn through the gateway it was issued by, not the agency's own system. */
  withdrawOrdersAtTheirGateway: 'withdraw-orders-at-their-gateway',
  /** The managers' view (search attributes) is sent once per burst of work, only the keys that changed. */
  batchedSearchAttributes: 'batched-search-attributes',
  /** Only an agency of an EU member state bound by Reg. 2023/1543 issues EU orders; others go by MLAT and the Budapest network. */
  euOrdersNeedAnEuIssuer: 'eu-orders-need-an-eu-issuer',
  /**
   * MLAT and extradition requests send a document generated from the case (documents/, via the
   * generateDocument activity) instead of an id from the agency's drafting system, and wait for a
   * person to approve it where REQUEST_DOCUMENTS says so (MLAT: AWAITING_APPROVAL).
   */
  generatedDocuments: 'generated-documents',
  /**
   * Every other request kind sends its documents generated from the case too (REQUEST_DOCUMENTS): the
   * preservation letter and the emergency disclosure request at once (approved afterwards, for the
   * file); the subpoena or § 2703(d) application, the warrant application and affidavit, the CLOUD Act
   * order, the EU production order certificate and the transfer of proceedings letter only once a
   * person approved them (AWAITING_APPROVAL where the kind's machine has it).
   */
  documentsForEveryRequest: 'documents-for-every-request',
  /** Triage flags imminent danger (an analyst decides; the case acts on the top grade meanwhile) and opens the child's safeguarding. */
  imminentDangerCheck: 'imminent-danger-check',
  /** Triage goes to subscriber identification before the jurisdiction rests on an IP address. */
  subscriberIdentification: 'subscriber-identification',
  /** An executed search warrant opens its return (Rule 41(f)) and the off-site review. */
  warrantReturn: 'warrant-return',
  /**
   * Routes (evidence, suspect, preservation, translation) come from the full country tables: every EU member state,
   * Budapest party and US treaty partner, gaps routed to a liaison; cases routed before keep the ten-country table.
   */
  countryTables: 'country-tables',
  /**
   * Triage keeps the assessment's flags, and reads NCMEC's `lawEnforcement`: legal process already served
   * domestically → no subscriber process of the case's own (a coordinator obtains the records from that agency);
   * served abroad → an alert to the liaison.
   */
  legalProcessAlreadyServed: 'legal-process-already-served',
  /** An arrest (at home, or on arrival after extradition) no longer closes the case: CUSTODY, then CHARGING, to its charging outcome. */
  afterTheArrest: 'after-the-arrest',
  /** An input the previous run applied, delivered again to the new run after continue-as-new, is answered and not applied twice. */
  inputsOnceAcrossRuns: 'inputs-once-across-runs',
  /** The case keeps AwaitingRoles current (who has something waiting in it: queues by role, requests and approvals included). */
  awaitingRoles: 'awaiting-roles',
  /**
   * A wait without a deadline left by a full run continues as new like every other wait: before it, such a wait
   * returned as if its condition held (condition() without a timeout resolves to undefined) and the stage went on.
   */
  fullRunLeavesEveryWait: 'full-run-leaves-every-wait',
  /**
   * The papers of the foreign steps are generated from the case as their step goes: the request for a provisional
   * arrest, and the diplomatic note each MLAT transmission and the formal extradition request are presented by (the
   * foreign ministry issues it; the request it carries was approved). Sent at once; approved afterwards, for the file.
   */
  papersOfTheForeignSteps: 'papers-of-the-foreign-steps',
  /**
   * A UK agency's case (home GB) follows UK law where the instruments differ (workflows/policy/home-law.ts): the
   * UK-side country table; a PACE s.8 warrant to search the suspect's premises, entered within three months
   * (s.16(3)), before an arrest on the search (s.24); overseas production orders to US providers. Decided once,
   * when the case opens: a case opened before keeps the US rules across its runs.
   */
  homeCountryLaw: 'home-country-law',
  /**
   * A UK case opened in the deployment's referral unit (the NCA's referrals bureau, CEOP Command) is graded at
   * triage and then DISSEMINATED to a force or regional unit, whose own case (a child workflow) investigates;
   * the referral case preserves nothing and identifies no subscriber. Decided once, when the case opens.
   */
  ncaDissemination: 'nca-dissemination',
  /**
   * The child's safeguarding a referral opened is handed over to the force's case: the referral opens a queued track
   * before it disseminates; the force's case lists the tracks, publishes ChildAtRisk for them and tells each to report
   * to it (the track's workflow takes the signal from then on); it starts from the bureau's decided grade, and opens
   * no second track for a child already safeguarded under a handed-over one.
   */
  safeguardingHandover: 'safeguarding-handover',
  /**
   * A UK force's case (home-country-law) reviews every file the referral carries (HOME_LAW.GB.fileReview): the US
   * file-view gate (United States v. Wilson) held back the files the provider had not viewed, with US words.
   */
  referredFilesReviewed: 'referred-files-reviewed',
} as const;
