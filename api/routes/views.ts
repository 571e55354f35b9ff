/**
 * The managers' views, scoped to the manager's units (need to know) and paged over visibility's page
 * token: `cursor` is the token of the previous page, `nextCursor` null on the last one. Rows are
 * sorted within a page (SQL visibility cannot ORDER BY custom attributes): a client that wants the
 * whole order reads every page, as the CLI does. Cases with a child at risk come first, on pages of their own.
 */
import { isGrpcServiceError } from '@temporalio/client';
import { CursorError, byCaseId, caseQuery, deadlinesQuery, listChildFirstPage, mostIdleFirst, soonestFirst, stalledQuery, withIdle } from '../../client/views';
import { roleFor } from '../access';
import { ProblemSchema, problem } from '../problems';
import { CasesPageSchema, CasesQuery, DeadlinesPageSchema, DeadlinesQuery, ReadHeaders, StalledPageSchema, StalledQuery } from '../schemas';
import { header, type ApiContext, type ZodApp } from '../server';
import { temporalProblem, within } from '../temporal';
import type { FastifyRequest } from 'fastify';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema, 503: ProblemSchema };
/** What visibility answers to a page token it did not issue (the dev server says UNKNOWN). */
const UNKNOWN = 2;
const INVALID_ARGUMENT = 3;

export function registerViewRoutes(app: ZodApp, ctx: ApiContext): void {
  const page = async (req: FastifyRequest, query: string, pageSize: number, cursor: string | undefined) => {
    try {
      // Every view lists a child at risk not yet safeguarded first (issue 14).
      return await within(ctx.client, ctx.timeoutMs(req), () => listChildFirstPage(ctx.client, query, pageSize, cursor));
    } catch (err) {
      if (err instanceof CursorError) throw problem('bad-request', err.message, { field: 'cursor' });
      if (cursor && isGrpcServiceError(err) && [UNKNOWN, INVALID_ARGUMENT].includes(Number(err.code)))
        throw problem('bad-request', 'cursor: not a cursor from a previous page', { field: 'cursor' });
      throw temporalProblem(err);
    }
  };
  const units = (req: FastifyRequest) => {
    req.auditNote.role = roleFor(req.person!, 'views', header(req, 'casebridge-role'));
    return req.person!.units;
  };

  app.get(
    '/cases',
    {
      config: { audit: 'read' },
      schema: {
        summary: 'cases of your units by stage, country, priority, open or closed',
        tags: ['views'],
        querystring: CasesQuery,
        headers: ReadHeaders,
        response: { 200: CasesPageSchema, ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const { rows, nextCursor } = await page(
        req,
        caseQuery({ stage: q.stage, country: q.country, priority: q.priority, state: q.state, units: units(req) }),
        q.pageSize,
        q.cursor,
      );
      return { cases: rows.sort(byCaseId), nextCursor };
    },
  );

  app.get(
    '/views/stalled',
    {
      config: { audit: 'read' },
      schema: {
        summary: 'open cases whose stage has not changed for longer than `idle`, most idle first',
        tags: ['views'],
        querystring: StalledQuery,
        headers: ReadHeaders,
        response: { 200: StalledPageSchema, ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const now = new Date();
      const { rows, nextCursor } = await page(
        req,
        stalledQuery({ stage: q.stage, country: q.country, awaiting: q.awaiting, units: units(req) }, q.idle, now),
        q.pageSize,
        q.cursor,
      );
      return { cases: withIdle(rows, now).sort(mostIdleFirst), nextCursor };
    },
  );

  app.get(
    '/views/deadlines',
    {
      config: { audit: 'read' },
      schema: {
        summary: 'each open case’s next deadline due within `within` (overdue included), soonest first',
        tags: ['views'],
        querystring: DeadlinesQuery,
        headers: ReadHeaders,
        response: { 200: DeadlinesPageSchema, ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const { rows, nextCursor } = await page(req, deadlinesQuery({ units: units(req) }, q.within, new Date()), q.pageSize, q.cursor);
      return {
        cases: rows.sort(soonestFirst).map((r) => ({
          caseId: r.caseId,
          name: r.nextDeadline!.name,
          dueAt: r.nextDeadline!.dueAt,
          stage: r.stage,
          awaiting: r.awaiting,
          childAtRisk: r.childAtRisk,
        })),
        nextCursor,
      };
    },
  );
}
