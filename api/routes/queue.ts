/**
 * A person's queue: the open cases of their units that wait for what their role answers, most urgent
 * deadline first (the web app's first page; any case role). Answered by one visibility query on the
 * search attributes the case keeps current (AwaitingParty, NextDeadlineAt), never by asking each case.
 */
import type { PersonRole } from '../../workflows/vocabulary';
import { AwaitingParty } from '../../workflows/search-attributes';
import { caseQuery, listPage, type CaseRow } from '../../client/views';
import { roleFor } from '../access';
import { ProblemSchema, problem } from '../problems';
import { QueuePageSchema, QueueQuery, ReadHeaders } from '../schemas';
import { header, type ApiContext, type ZodApp } from '../server';
import { temporalProblem, within } from '../temporal';

/**
 * Who a role answers for. A liaison records what foreign authorities answer (requests/machines.ts:
 * their responses are by: ['liaison']), so a case waiting for a foreign authority is in the liaison's queue.
 */
export const QUEUE_PARTIES: Record<PersonRole, readonly string[]> = {
  coordinator: ['coordinator'],
  liaison: ['liaison', 'foreign-authority'],
  manager: ['manager'],
  analyst: ['analyst'],
  operator: [],
  auditor: [],
};

/** Soonest deadline first; cases without one after, oldest stage first. */
export function mostUrgentFirst(a: CaseRow, b: CaseRow): number {
  const da = a.nextDeadline?.dueAt;
  const db = b.nextDeadline?.dueAt;
  if (da && db) return da.localeCompare(db);
  if (da || db) return da ? -1 : 1;
  return (a.stageEnteredAt ?? '').localeCompare(b.stageEnteredAt ?? '');
}

export function registerQueueRoutes(app: ZodApp, ctx: ApiContext): void {
  app.get(
    '/queue',
    {
      config: { audit: 'read' },
      schema: {
        summary: 'the open cases of your units waiting for your role, the most urgent deadline first',
        description:
          'Reads every page up to `limit` cases (SQL visibility cannot sort by a custom attribute, so the whole answer is sorted here). ' +
          '`truncated` says more cases wait than were read.',
        tags: ['views'],
        querystring: QueueQuery,
        headers: ReadHeaders,
        response: { 200: QueuePageSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (req) => {
      const person = req.person!;
      const role = roleFor(person, 'queue', header(req, 'casebridge-role'));
      req.auditNote.role = role;
      const parties = QUEUE_PARTIES[role];
      if (parties.length === 0) throw problem('forbidden', `role: nothing waits for ${role}`, { field: 'role' });
      const query = caseQuery({ state: 'open', units: person.units }, [`${AwaitingParty.name} IN (${parties.map((p) => `'${p}'`).join(', ')})`]);
      const rows: CaseRow[] = [];
      let cursor: string | undefined;
      let truncated = false;
      try {
        do {
          const page = await within(ctx.client, ctx.timeoutMs(req), () => listPage(ctx.client, query, Math.min(1000, req.query.limit), cursor));
          rows.push(...page.rows);
          cursor = page.nextCursor ?? undefined;
          if (rows.length >= req.query.limit) {
            truncated = cursor !== undefined || rows.length > req.query.limit;
            break;
          }
        } while (cursor);
      } catch (err) {
        throw temporalProblem(err);
      }
      return { role, awaiting: [...parties], cases: rows.sort(mostUrgentFirst).slice(0, req.query.limit), truncated };
    },
  );
}
