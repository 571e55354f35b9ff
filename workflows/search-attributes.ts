/**
 * CaseBridge's custom search attributes: what managers filter and sort open cases by.
 *
 * Temporal does not encrypt search attributes, so none of these may ever hold personal data or tip
 * content: only stages, outcomes, priorities, ISO country codes, party names and times.
 * SQLite visibility allows 10 Keyword, 3 Int and 3 Datetime custom attributes per namespace: keep
 * this set small.
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
] as const;
