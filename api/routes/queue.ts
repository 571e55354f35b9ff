/**
 * A person's queue: what waits for their role in their units' open cases — a case's own step, a
 * request's answer to record, a document to approve before its request may leave — the most urgent
 * deadline first (the web app's first page; any case role). The cases come from one visibility query
 * on the attributes each case keeps current (AwaitingRoles; AwaitingParty for runs from before it);
 * what waits in each is read from the first `detail` cases' status, in parallel, and audited as a read.
 */
import type { CaseStatus } from '../../workflows/messages';
import { statusQuery } from '../../workflows/messages';
import { isTerminal } from '../../workflows/requests/machines';
import { mapLimit } from '../../platform/map-limit';
import { PARTY_ROLES, approversFor, documentKindOf, partiesOf, requestWaitsFor } from '../../workflows/case/awaiting-roles';
import { ROLES, type PersonRole, type Role } from '../../workflows/vocabulary';
import { AwaitingParty, AwaitingRoles } from '../../workflows/search-attributes';
import { caseQuery, listPage, type CaseRow } from '../../client/views';
import { roleFor } from '../access';
import { ProblemSchema, problem } from '../problems';
import { QueuePageSchema, QueueQuery, ReadHeaders, type QueueItem } from '../schemas';
import { header, type ApiContext, type ZodApp } from '../server';
import { temporalProblem, within } from '../temporal';

/** How many cases' status the queue reads at once: enough to overlap round trips, few enough to leave the server to others. */
const STATUS_READS_AT_ONCE = 8;

/** Soonest deadline first; cases without one after, oldest stage first. */
export function mostUrgentFirst(a: CaseRow, b: CaseRow): number {
  const da = a.nextDeadline?.dueAt;
  const db = b.nextDeadline?.dueAt;
  if (da && db) return da.localeCompare(db);
  if (da || db) return da ? -1 : 1;
  return (a.stageEnteredAt ?? '').localeCompare(b.stageEnteredAt ?? '');
}

const isCaseRole = (r: PersonRole): r is Role => (ROLES as readonly string[]).includes(r);

/** The visibility condition of a role's queue. Runs from before patch awaiting-roles carry no AwaitingRoles. */
export function queueCondition(role: Role): string {
  const parties = partiesOf(role);
  return `(${AwaitingRoles.name} = '${role}' OR ${AwaitingParty.name} IN (${parties.map((p) => `'${p}'`).join(', ')}))`;
}

/** What in one case waits for `role`, soonest deadline first. Words and codes only: no tip content. */
export function waitingIn(status: CaseStatus, role: Role): QueueItem[] {
  const items: QueueItem[] = [];
  const dueOf = (requestId?: string) => status.deadlines.filter((d) => d.requestId === requestId).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
  if (status.stage !== 'CLOSED' && status.awaiting && PARTY_ROLES[status.awaiting]?.includes(role)) {
    const d = dueOf(undefined);
    items.push({
      subject: 'case',
      what: status.waitingFor ?? `the case waits for a ${status.awaiting}`,
      ...(d ? { deadline: { name: d.name, dueAt: d.dueAt } } : {}),
    });
  }
  for (const r of status.requests) {
    const closed = status.stage === 'CLOSED' || isTerminal(r.kind, r.status);
    if (!requestWaitsFor(r, closed).includes(role)) continue;
    const d = dueOf(r.requestId);
    const docKind = r.pendingApproval ? documentKindOf(r.pendingApproval.documentId) : undefined;
    const approves = r.pendingApproval !== undefined && approversFor(r).includes(role);
    const what = r.attention
      ? `${r.kind} ${r.status}: a system gave up — ${r.attention}`
      : approves && r.pendingApproval
        ? `approve ${docKind ?? 'its document'} version ${r.pendingApproval.version} before the ${r.kind} request is sent`
        : `${r.kind} ${r.status}: the answer of the ${r.awaiting} to record`;
    items.push({
      subject: r.attention ? 'attention' : approves ? 'approval' : 'request',
      requestId: r.requestId,
      kind: r.kind,
      status: r.status,
      what,
      ...(d ? { deadline: { name: d.name, dueAt: d.dueAt } } : {}),
    });
  }
  return items.sort((a, b) => (a.deadline?.dueAt ?? '~').localeCompare(b.deadline?.dueAt ?? '~'));
}

export function registerQueueRoutes(app: ZodApp, ctx: ApiContext): void {
  app.get(
    '/queue',
    {
      config: { audit: 'read' },
      schema: {
        summary: 'what waits for your role in your units’ open cases, the most urgent deadline first',
        description:
          'Reads every page up to `limit` cases (SQL visibility cannot sort by a custom attribute, so the whole answer is sorted here). ' +
          '`truncated` says more cases wait than were read. The first `detail` cases carry `waiting`: the case’s own step, the requests ' +
          'whose answer your role records and the documents your role approves, each with its deadline (read from each case, audited).',
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
      if (!isCaseRole(role)) throw problem('forbidden', `role: nothing waits for ${role}`, { field: 'role' });
      const query = caseQuery({ state: 'open', units: person.units }, [queueCondition(role)]);
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
      const cases = rows.sort(mostUrgentFirst).slice(0, req.query.limit);
      const detailed = cases.slice(0, req.query.detail);
      req.auditNote.caseIds = detailed.map((c) => c.caseId);
      const waiting = await mapLimit(detailed, STATUS_READS_AT_ONCE, async (c) => {
        try {
          const status = await within(ctx.client, ctx.timeoutMs(req), () => ctx.client.workflow.getHandle(c.caseId).query(statusQuery));
          return waitingIn(status, role);
        } catch {
          // One case that does not answer in time must not hide the rest of the queue: its row says so.
          return null;
        }
      });
      return {
        role,
        awaiting: partiesOf(role),
        cases: cases.map((c, i) => (i < detailed.length ? { ...c, waiting: waiting[i] } : c)),
        truncated,
      };
    },
  );
}
