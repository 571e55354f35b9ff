/**
 * The managers' read-only views, answered by visibility queries on the search attributes the case
 * workflow keeps current — never by querying each workflow, so their cost follows the size of the
 * answer, not the number of cases. SQL visibility cannot ORDER BY custom attributes: the (already
 * filtered) answer is sorted here.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import {
  AwaitingParty,
  CaseOutcome,
  CasePriority,
  CaseStage,
  DataCountry,
  NextDeadlineAt,
  NextDeadlineName,
  StageEnteredAt,
  SuspectCountry,
} from '../../workflows/search-attributes';
import { caseWorkflow } from '../../workflows/case';

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
}

export function caseQuery(f: CaseFilter, extra: string[] = []): string {
  const parts = [eq('WorkflowType', CASE_WORKFLOW_TYPE)];
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

export async function listCases(client: Client, f: CaseFilter): Promise<CaseRow[]> {
  const rows = await collect(client, caseQuery(f));
  return rows.sort((a, b) => a.caseId.localeCompare(b.caseId));
}

/** Open cases whose stage has not changed for longer than `idleMs`, most idle first. */
export async function stalledCases(client: Client, f: CaseFilter, idleMs: number, now = new Date()): Promise<(CaseRow & { idleMs: number })[]> {
  const before = new Date(now.getTime() - idleMs).toISOString();
  const rows = await collect(client, caseQuery({ ...f, state: 'open' }, [`${StageEnteredAt.name} < '${before}'`]));
  return rows
    .map((r) => ({ ...r, idleMs: now.getTime() - Date.parse(r.stageEnteredAt!) }))
    .sort((a, b) => b.idleMs - a.idleMs);
}

/** Each open case's next deadline due within `withinMs` (overdue ones included), soonest first. */
export async function dueDeadlines(client: Client, withinMs: number, now = new Date()): Promise<CaseRow[]> {
  const until = new Date(now.getTime() + withinMs).toISOString();
  const rows = await collect(client, caseQuery({ state: 'open' }, [`${NextDeadlineAt.name} <= '${until}'`]));
  return rows.sort((a, b) => a.nextDeadline!.dueAt.localeCompare(b.nextDeadline!.dueAt));
}
