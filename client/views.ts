/**
 * The managers' read-only views, answered by visibility queries on the search attributes the case
 * workflow keeps current — never by querying each workflow, so their cost follows the size of the
 * answer, not the number of cases. Need to know: a view given units sees only those units' cases
 * (`CaseUnit IN (…)`). SQL visibility cannot ORDER BY custom attributes: each answer (or page) is
 * sorted here. Used by the API (pages over visibility's page token) and, unscoped, by the bench.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import {
  AwaitingParty,
  CaseUnit,
  CaseOutcome,
  CasePriority,
  CaseStage,
  DataCountry,
  NextDeadlineAt,
  NextDeadlineName,
  StageEnteredAt,
  SuspectCountry,
} from '../workflows/search-attributes';
import { caseWorkflow } from '../workflows/case';
import { childFirstQueries, childAtRiskOf } from './child-first';

/** Visibility queries are limited to case workflows (not their preservation children, not probes). */
export const CASE_WORKFLOW_TYPE = caseWorkflow.name;

export interface CaseRow {
  caseId: string;
  stage: string | null;
  outcome: string | null;
  priority: number | null;
  suspectCountry: string | null;
  dataCountry: string | null;
  awaiting: string | null;
  stageEnteredAt: string | null;
  nextDeadline: { name: string; dueAt: string } | null;
  open: boolean;
  /** A child at risk not yet safeguarded (issue 14): every view lists these first. */
  childAtRisk: boolean;
  /** The unit that owns the case (null: opened before units existed). */
  unit: string | null;
}

function row(wf: WorkflowExecutionInfo): CaseRow {
  const sa = wf.typedSearchAttributes;
  const entered = sa.get(StageEnteredAt);
  const due = sa.get(NextDeadlineAt);
  const name = sa.get(NextDeadlineName);
  return {
    caseId: wf.workflowId,
    stage: sa.get(CaseStage) ?? null,
    outcome: sa.get(CaseOutcome) ?? null,
    priority: sa.get(CasePriority) ?? null,
    suspectCountry: sa.get(SuspectCountry) ?? null,
    dataCountry: sa.get(DataCountry) ?? null,
    awaiting: sa.get(AwaitingParty) ?? null,
    stageEnteredAt: entered ? entered.toISOString() : null,
    nextDeadline: due && name ? { name, dueAt: due.toISOString() } : null,
    open: wf.status.name === 'RUNNING',
    childAtRisk: childAtRiskOf(wf),
    unit: sa.get(CaseUnit) ?? null,
  };
}

/** Values reach the query only after zod validated them (codes, enums, numbers): quoting is safe. */
const eq = (field: string, value: string | number) => (typeof value === 'number' ? `${field} = ${value}` : `${field} = '${value}'`);

export interface CaseFilter {
  stage?: string;
  country?: string;
  priority?: number;
  awaiting?: string;
  state?: 'open' | 'closed';
  /** The units whose cases may be seen (need to know); undefined: every case (operators, the bench). Empty: none. */
  units?: readonly string[];
}

export function caseQuery(f: CaseFilter, extra: string[] = []): string {
  const parts = [eq('WorkflowType', CASE_WORKFLOW_TYPE)];
  // Units come from a verified credential and were checked against UnitSchema (no quote can occur).
  if (f.units) parts.push(f.units.length ? `${CaseUnit.name} IN (${f.units.map((u) => `'${u}'`).join(', ')})` : `${CaseUnit.name} = '-'`);
  if (f.stage) parts.push(eq(CaseStage.name, f.stage));
  if (f.country) parts.push(`(${eq(SuspectCountry.name, f.country)} OR ${eq(DataCountry.name, f.country)})`);
  if (f.priority) parts.push(eq(CasePriority.name, f.priority));
  if (f.awaiting) parts.push(eq(AwaitingParty.name, f.awaiting));
  if (f.state === 'open') parts.push(`ExecutionStatus = 'Running'`);
  if (f.state === 'closed') parts.push(`ExecutionStatus != 'Running'`);
  return [...parts, ...extra].join(' AND ');
}

async function collect(client: Client, query: string): Promise<CaseRow[]> {
  const rows: CaseRow[] = [];
  for await (const wf of client.workflow.list({ query })) rows.push(row(wf));
  return rows;
}

export const byCaseId = (a: CaseRow, b: CaseRow) => a.caseId.localeCompare(b.caseId);
export const mostIdleFirst = (a: { idleMs: number }, b: { idleMs: number }) => b.idleMs - a.idleMs;
export const soonestFirst = (a: CaseRow, b: CaseRow) => a.nextDeadline!.dueAt.localeCompare(b.nextDeadline!.dueAt);

export type StalledRow = CaseRow & { idleMs: number };

export function stalledQuery(f: CaseFilter, idleMs: number, now: Date): string {
  const before = new Date(now.getTime() - idleMs).toISOString();
  return caseQuery({ ...f, state: 'open' }, [`${StageEnteredAt.name} < '${before}'`]);
}
export function withIdle(rows: CaseRow[], now: Date): StalledRow[] {
  return rows.map((r) => ({ ...r, idleMs: now.getTime() - Date.parse(r.stageEnteredAt!) }));
}
export function deadlinesQuery(f: Pick<CaseFilter, 'units'>, withinMs: number, now: Date): string {
  const until = new Date(now.getTime() + withinMs).toISOString();
  return caseQuery({ state: 'open', units: f.units }, [`${NextDeadlineAt.name} <= '${until}'`]);
}

export async function listCases(client: Client, f: CaseFilter): Promise<CaseRow[]> {
  return (await collect(client, caseQuery(f))).sort(byCaseId);
}

/** Open cases whose stage has not changed for longer than `idleMs`, most idle first. */
export async function stalledCases(client: Client, f: CaseFilter, idleMs: number, now = new Date()): Promise<StalledRow[]> {
  return withIdle(await collect(client, stalledQuery(f, idleMs, now)), now).sort(mostIdleFirst);
}

/** Each open case's next deadline due within `withinMs` (overdue ones included), soonest first. */
export async function dueDeadlines(client: Client, withinMs: number, now = new Date(), units?: readonly string[]): Promise<CaseRow[]> {
  return (await collect(client, deadlinesQuery({ units }, withinMs, now))).sort(soonestFirst);
}

/** One page of a visibility query; `cursor` is the page token visibility returned for the previous page. */
export async function listPage(client: Client, query: string, pageSize: number, cursor?: string): Promise<{ rows: CaseRow[]; nextCursor: string | null }> {
  const res = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query,
    pageSize,
    ...(cursor ? { nextPageToken: Buffer.from(cursor, 'base64url') } : {}),
  });
  const rows = await Promise.all(
    (res.executions ?? []).map(async (raw) => row(await executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, client.options.namespace))),
  );
  const token = res.nextPageToken && res.nextPageToken.length > 0 ? Buffer.from(res.nextPageToken).toString('base64url') : null;
  return { rows, nextCursor: token };
}

/**
 * One page of a view with a child at risk first: the at-risk part of the query is paged through, then
 * the rest (child-first.ts says why two queries). The cursor says which part it continues: `A` + the
 * at-risk part's token, `R` + the rest's (`R` alone: the rest from its start). A page holds rows of one
 * part, so sorting a page never mixes them.
 */
export async function listChildFirstPage(
  client: Client,
  query: string,
  pageSize: number,
  cursor?: string,
): Promise<{ rows: CaseRow[]; nextCursor: string | null }> {
  const [atRisk, rest] = childFirstQueries(query);
  const part = cursor === undefined ? 'A' : cursor[0];
  if (part !== 'A' && part !== 'R') throw new CursorError();
  const token = cursor === undefined ? undefined : cursor.slice(1) || undefined;
  if (part === 'A') {
    const page = await listPage(client, atRisk, pageSize, token);
    if (page.nextCursor) return { rows: page.rows, nextCursor: `A${page.nextCursor}` };
    // The at-risk part ended: an empty one goes straight on to the rest, a short one hands over by cursor.
    if (page.rows.length > 0) return { rows: page.rows, nextCursor: 'R' };
  }
  const page = await listPage(client, rest, pageSize, part === 'R' ? token : undefined);
  return { rows: page.rows, nextCursor: page.nextCursor ? `R${page.nextCursor}` : null };
}

/** A cursor this process did not issue. */
export class CursorError extends Error {
  constructor() {
    super('cursor: not a cursor from a previous page');
  }
}
