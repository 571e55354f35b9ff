/**
 * CaseBridge's custom search attributes: what managers filter and sort open cases by.
 *
 * Temporal does not encrypt search attributes, so none of these may ever hold personal data or tip
 * content: only stages, outcomes, priorities, ISO country codes, party names and times.
 * SQLite visibility allows 10 Keyword, 3 Int, 3 Bool and 3 Datetime custom attributes per namespace
 * (used: 7 Keyword, 1 Int, 1 Bool, 2 Datetime), and 3 KeywordList (used: 1): keep this set small.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseStage = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
export const CaseOutcome = defineSearchAttributeKey('CaseOutcome', SearchAttributeType.KEYWORD);
export const CasePriority = defineSearchAttributeKey('CasePriority', SearchAttributeType.INT);
export const SuspectCountry = defineSearchAttributeKey('SuspectCountry', SearchAttributeType.KEYWORD);
export const DataCountry = defineSearchAttributeKey('DataCountry', SearchAttributeType.KEYWORD);
/** Who the case waits for: coordinator, manager, court, provider, central-authority, foreign-authority, … */
export const AwaitingParty = defineSearchAttributeKey('AwaitingParty', SearchAttributeType.KEYWORD);
export const StageEnteredAt = defineSearchAttributeKey('StageEnteredAt', SearchAttributeType.DATETIME);
export const NextDeadlineAt = defineSearchAttributeKey('NextDeadlineAt', SearchAttributeType.DATETIME);
/** The name of the deadline at NextDeadlineAt (e.g. `preservation-expiry`), so `deadlines` needs no per-case query. */
export const NextDeadlineName = defineSearchAttributeKey('NextDeadlineName', SearchAttributeType.KEYWORD);

/**
 * A child at risk and not yet safeguarded: a safeguarding track is open (or about to open) beside the
 * case. Managers' views put these cases first (client/child-first.ts). Set only by cases that know of
 * safeguarding (from issue 14 on): older cases never carry it (`IS NULL` in visibility). A Bool, so it
 * takes none of the 10 Keyword columns SQL visibility allows (Bool: 3, this is the first).
 */
export const ChildAtRisk = defineSearchAttributeKey('ChildAtRisk', SearchAttributeType.BOOL);

/**
 * The unit (team, force, task force) that opened the case: people see and act on their units' cases
 * only. Set once at the start; a unit code is an organisational identifier, never personal data.
 */
export const CaseUnit = defineSearchAttributeKey('CaseUnit', SearchAttributeType.KEYWORD);

/**
 * Every person's role something in the case waits for: the case's own step, a request's answer to
 * record, a document to approve before its request leaves (workflows/case/awaiting-roles.ts). A
 * person's queue is `AwaitingRoles = 'liaison'`. Role names only. Set by runs from patch
 * `awaiting-roles` on; older runs leave it unset and are found by AwaitingParty.
 */
export const AwaitingRoles = defineSearchAttributeKey('AwaitingRoles', SearchAttributeType.KEYWORD_LIST);

export const ALL_SEARCH_ATTRIBUTES = [
  CaseStage,
  CaseOutcome,
  CasePriority,
  SuspectCountry,
  DataCountry,
  AwaitingParty,
  StageEnteredAt,
  NextDeadlineAt,
  NextDeadlineName,
  CaseUnit,
  ChildAtRisk,
  AwaitingRoles,
] as const;
