/**
 * Every managers' view puts a child at risk not yet safeguarded first (issue 14). SQL visibility
 * cannot ORDER BY a custom search attribute, and a view that pages cannot sort across pages, so a view
 * asks visibility twice with the same filter: first the cases with `ChildAtRisk = true`, then the rest
 * (`false`, or unset in cases from before safeguarding existed). Each part is sorted as the view sorts
 * (by case id, most idle, soonest deadline) and the at-risk part comes first; a paging view pages
 * through the first query, then the second. Shared by the CLI's views and the API.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { ChildAtRisk } from '../workflows/search-attributes';

/** The clause a view's query gets for the at-risk part and for the rest. */
export const CHILD_AT_RISK_CLAUSE = `${ChildAtRisk.name} = true`;
export const NO_CHILD_AT_RISK_CLAUSE = `(${ChildAtRisk.name} = false OR ${ChildAtRisk.name} IS NULL)`;

/** A view's query split into its two parts, at-risk first. */
export function childFirstQueries(query: string): [atRisk: string, rest: string] {
  return [`${query} AND ${CHILD_AT_RISK_CLAUSE}`, `${query} AND ${NO_CHILD_AT_RISK_CLAUSE}`];
}

/** Whether a listed case has a child at risk not yet safeguarded (its search attribute; unset: no). */
export function childAtRiskOf(wf: Pick<WorkflowExecutionInfo, 'typedSearchAttributes'>): boolean {
  return wf.typedSearchAttributes.get(ChildAtRisk) === true;
}

/** A view's order with the at-risk cases first: for rows already fetched together (one page, a test). */
export function childFirst<T>(atRisk: (row: T) => boolean, order: (a: T, b: T) => number): (a: T, b: T) => number {
  return (a, b) => Number(atRisk(b)) - Number(atRisk(a)) || order(a, b);
}

/**
 * Lists a view's cases at-risk first: the two queries in turn, each part sorted by `order`. `row`
 * maps a listed execution to the view's row, with `childAtRisk` read from its search attribute.
 */
export async function listChildFirst<T>(
  client: Client,
  query: string,
  row: (wf: WorkflowExecutionInfo) => T,
  order: (a: T, b: T) => number,
): Promise<(T & { childAtRisk: boolean })[]> {
  const parts: (T & { childAtRisk: boolean })[][] = [];
  for (const q of childFirstQueries(query)) {
    const rows: (T & { childAtRisk: boolean })[] = [];
    for await (const wf of client.workflow.list({ query: q })) rows.push({ ...row(wf), childAtRisk: childAtRiskOf(wf) });
    parts.push(rows.sort(order));
  }
  return parts.flat();
}
