/**
 * The audit log's export by date range, as NDJSON: an auditor gets every line, a manager the lines
 * about their units' cases (and their units' people where no case is involved). The export is
 * itself audited.
 */
import { Readable } from 'node:stream';
import type { AuditLine } from '../../platform/store';
import { roleFor } from '../access';
import { ProblemSchema } from '../problems';
import { AuditQuery } from '../schemas';
import { header, type ApiContext, type ZodApp } from '../server';

export function registerAuditRoutes(app: ZodApp, ctx: ApiContext): void {
  app.get(
    '/audit',
    {
      config: { audit: 'export' },
      schema: {
        summary: 'the audit log from `from` (inclusive) to `to` (exclusive), NDJSON, one hash-chained line per read and write',
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (req, reply) => {
      const person = req.person!;
      const role = roleFor(person, 'auditExport', header(req, 'casebridge-role'));
      req.auditNote.role = role;
      const units = new Set(person.units);
      const mine = (l: AuditLine) => role === 'auditor' || (l.caseUnit ? units.has(l.caseUnit) : l.units.some((u) => units.has(u)));
      const { from, to } = req.query;
      const lines = ctx.store.audit.export({ ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) });
      async function* ndjson() {
        for await (const l of lines) if (mine(l)) yield JSON.stringify(l) + '\n';
      }
      return reply
        .type('application/x-ndjson')
        .header('Cache-Control', 'no-store')
        .send(Readable.from(ndjson()) as never);
    },
  );
}
