/**
 * Opening cases from tips (one JSON tip, an array, or NDJSON, in the body: never in the URL), and
 * reading a case. The tips are parsed by intake/tips.ts, as the CLI parses them, so the per-tip
 * results carry the same positions and lines. A case is reported `started` only once Temporal has
 * recorded its start.
 */
import { statusQuery, timelineQuery } from '../../workflows/messages';
import { startCase } from '../../client/cases';
import { TipSourceError, parseTips } from '../../intake/tips';
import { detectIntakeFormat, readIntakeFile } from '../../intake/ncmec';
import type { Tip } from '../../workflows/tip';
import type { FastifyRequest } from 'fastify';
import { roleFor } from '../access';
import { admitRead } from '../admit';
import { ProblemSchema, problem } from '../problems';
import { CaseParams, CaseStatusSchema, ReadHeaders, StartQuery, StartResultSchema, TimelineSchema } from '../schemas';
import { header, type ApiContext, type ZodApp } from '../server';
import { temporalProblem, within } from '../temporal';
import type { z } from 'zod';

/** The content types an NCMEC report (XML) or a ZIP of one with its file details arrives as. */
const NCMEC_TYPES = ['application/xml', 'text/xml', 'application/zip', 'application/octet-stream'];
/** A ZIP is held in memory whole (intake/ncmec/zip.ts); batches larger than this go through the drop folder, which streams. */
const NCMEC_BODY_LIMIT = 64 * 1024 * 1024;
type StartedCase = { caseId: string; status: 'started' | 'exists' };

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema, 503: ProblemSchema };

export function registerCaseRoutes(app: ZodApp, ctx: ApiContext): void {
  // Tips arrive as text, whatever their form, so that positions and lines are the file's own; NCMEC's
  // reports (XML, or a ZIP of a report with its file details) as the bytes that were received.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'application/x-ndjson', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(NCMEC_TYPES, { parseAs: 'buffer', bodyLimit: NCMEC_BODY_LIMIT }, (_req, body, done) => done(null, body));

  app.post(
    '/cases',
    {
      config: { audit: 'write' },
      schema: {
        summary: 'open a case per tip',
        description:
          'Body: one CyberTipline tip (JSON), a JSON array of tips, or NDJSON (application/x-ndjson, one tip per line). Each tip is validated on its own; ' +
          'an invalid one is reported with its position and line and starts nothing, the others still start. A re-submitted tip reports `exists`.',
        tags: ['cases'],
        querystring: StartQuery,
        headers: ReadHeaders,
        response: { 200: StartResultSchema, ...errors, 422: ProblemSchema },
      },
    },
    async (req) => {
      const person = req.person!;
      req.auditNote.role = roleFor(person, 'start', header(req, 'casebridge-role'));
      const q = req.query;
      let unit: string;
      if (q.unit !== undefined) {
        if (!person.units.includes(q.unit)) throw problem('forbidden', `unit: you are not a member of unit ${q.unit}`, { field: 'unit' });
        unit = q.unit;
      } else if (person.units.length === 1) unit = person.units[0];
      else if (person.units.length === 0)
        throw problem('forbidden', 'unit: your credential names no unit, and a case belongs to the unit that opens it', { field: 'unit' });
      else throw problem('bad-request', `unit: you belong to several units (${person.units.join(', ')}): say which opens the cases`, { field: 'unit' });
      req.auditNote.caseUnit = unit;

      const start = (tip: Tip) =>
        within(ctx.client, ctx.timeoutMs(req), () =>
          startCase(ctx.client, tip, { taskQueue: ctx.taskQueue, profile: q.profile, homeCountry: ctx.homeCountry, unit, referralUnit: ctx.referralUnit }),
        );
      if (Buffer.isBuffer(req.body)) return startNcmecReports(req, q, req.body, start);

      let parsed: ReturnType<typeof parseTips>;
      try {
        parsed = parseTips(typeof req.body === 'string' ? req.body : '');
      } catch (err) {
        if (err instanceof TipSourceError) throw problem('bad-request', `body: ${err.message}`, { field: 'body' });
        throw err;
      }
      const results: z.infer<typeof StartResultSchema>['results'] = [];
      for (const e of parsed.entries) {
        if ('error' in e) {
          results.push({ position: e.position, line: e.line, error: e.error });
          continue;
        }
        try {
          const r = await start(e.tip);
          results.push({ position: e.position, line: e.line, ...r });
        } catch (err) {
          const cause = temporalProblem(err);
          req.auditNote.caseIds = results.flatMap((r) => ('caseId' in r ? [r.caseId] : []));
          throw problem(cause.kind, `tip ${e.position}${e.position < parsed.entries.length ? ' and the tips after it' : ''}: not started: ${cause.detail}`, {
            failedAt: e.position,
            results,
          });
        }
      }
      req.auditNote.caseIds = results.flatMap((r) => ('caseId' in r ? [r.caseId] : []));
      const count = (s: string) => results.filter((r) => 'status' in r && r.status === s).length;
      return { format: parsed.format, results, started: count('started'), exists: count('exists'), invalid: results.filter((r) => 'error' in r).length };
    },
  );

  /**
   * NCMEC reports as they were received (docs/ncmec-intake.md): each report validated on its own and
   * reported with its position, line and ZIP entry; a file that cannot be read at all starts nothing (422).
   */
  async function startNcmecReports(req: FastifyRequest, q: z.infer<typeof StartQuery>, bytes: Buffer, start: (tip: Tip) => Promise<StartedCase>) {
    const results: z.infer<typeof StartResultSchema>['results'] = [];
    const format = detectIntakeFormat(q.name ?? '', bytes.subarray(0, 8)) === 'zip' ? 'ncmec-zip' : 'ncmec-xml';
    for await (const e of readIntakeFile(q.name ?? 'upload', bytes, q.reportNumber ? { reportNumber: q.reportNumber } : {})) {
      if ('error' in e) {
        if (e.position === 0) throw problem('invalid-field', `body: ${e.error}`, { field: 'body', line: e.line });
        results.push({ position: e.position, line: e.line, ...(e.source ? { source: e.source } : {}), error: e.error });
        continue;
      }
      try {
        results.push({ position: e.position, line: e.line, ...(await start(e.tip)) });
      } catch (err) {
        const cause = temporalProblem(err);
        req.auditNote.caseIds = results.flatMap((r) => ('caseId' in r ? [r.caseId] : []));
        throw problem(cause.kind, `report ${e.position} and the reports after it: not started: ${cause.detail}`, { failedAt: e.position, results });
      }
    }
    req.auditNote.caseIds = results.flatMap((r) => ('caseId' in r ? [r.caseId] : []));
    const count = (s: string) => results.filter((r) => 'status' in r && r.status === s).length;
    return { format, results, started: count('started'), exists: count('exists'), invalid: results.filter((r) => 'error' in r).length } as const;
  }

  const read = (path: string, summary: string, response: z.ZodType, ask: (caseId: string) => Promise<unknown>) =>
    app.get(
      path,
      { config: { audit: 'read' }, schema: { summary, tags: ['cases'], params: CaseParams, headers: ReadHeaders, response: { 200: response, ...errors } } },
      async (req) => {
        const { caseId } = req.params;
        await admitRead(ctx, req, caseId);
        try {
          // The workflow's own answer, as its query returns it (the schema documents it).
          return await within(ctx.client, ctx.timeoutMs(req), () => ask(caseId));
        } catch (err) {
          throw temporalProblem(err, caseId);
        }
      },
    );
  read('/cases/:caseId/status', 'where a case stands: stage, outcome, what it waits for, deadlines, requests', CaseStatusSchema, (id) =>
    ctx.client.workflow.getHandle(id).query(statusQuery),
  );
  read('/cases/:caseId/timeline', 'the case’s audit trail in order: stages, requests, responses, inputs with actor, actor id and role', TimelineSchema, (id) =>
    ctx.client.workflow.getHandle(id).query(timelineQuery),
  );
}
