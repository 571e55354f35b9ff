/**
 * Server-sent events for open pages (`GET /web/events?case=…` or `?view=board|queue`): the stream says
 * only *that* something the page shows changed (`event: change`, no case content), and the page
 * fetches itself again through the API with its session, so need to know and the audit apply to
 * what it then reads. A case stream is opened only for a case the person may see (the API's own
 * check); a board or queue stream hears only of cases of the person's units. The stream ends
 * (`event: ended`) when the session does; reading it is not activity for the idle clock.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../api/server';
import type { CaseChange } from '../api/changes';
import { html } from '../platform/html';
import { messagePage, sendPage } from './layout';
import type { SessionStore } from './sessions';

const HEARTBEAT_MS = 20_000;
/** Changes arriving together (an input, then its history and visibility echoes) are sent as one. */
const COALESCE_MS = 50;

export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext, sessions: SessionStore): void {
  const streams = new Set<() => void>();
  // Open streams would hold the server open: they end when it closes (the pages reconnect to the next one).
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });
  app.get('/web/events', { config: { auth: false, rateLimit: false }, schema: { hide: true } }, async (req, reply) => {
    const s = sessions.get(req, false);
    if (!s) return sendPage(reply, 401, messagePage('Signed out', html`<p>Your session has ended.</p>`));
    const feed = ctx.changes;
    if (!feed) return sendPage(reply, 503, messagePage('Unavailable', html`<p>Live updates are off in this process.</p>`, s));
    const q = req.query as Record<string, string | undefined>;
    let wants: (c: CaseChange) => boolean;
    let release: () => void;
    if (q.case !== undefined) {
      const caseId = q.case;
      if (!/^case-\d{1,19}$/.test(caseId)) return sendPage(reply, 404, messagePage('Not found', html`<p>No such case.</p>`, s));
      let unit: string;
      try {
        unit = await ctx.units.visible(s.person, caseId);
      } catch {
        return sendPage(reply, 404, messagePage('Not found', html`<p>No such case.</p>`, s));
      }
      wants = (c) => c.caseId === caseId;
      release = feed.followCase(caseId, unit);
    } else if (q.view === 'board' || q.view === 'queue') {
      const units = new Set(s.person.units);
      wants = (c) => c.unit !== null && units.has(c.unit);
      release = feed.watchVisibility();
    } else return sendPage(reply, 400, messagePage('Bad request', html`<p>Name a case or a view.</p>`, s));

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write('retry: 2000\n: open\n\n');
    let pending: NodeJS.Timeout | undefined;
    let closed = false;
    const unsubscribe = feed.subscribe((c) => {
      if (closed || !wants(c) || pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        if (!closed) res.write(`event: change\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
      }, COALESCE_MS);
    });
    const heartbeat = setInterval(() => {
      if (!sessions.alive(s)) {
        res.write('event: ended\ndata: {}\n\n');
        end();
        return;
      }
      res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    const end = () => {
      if (closed) return;
      closed = true;
      streams.delete(end);
      clearInterval(heartbeat);
      clearTimeout(pending);
      unsubscribe();
      release();
      res.end();
    };
    streams.add(end);
    req.raw.once('close', end);
    res.once('close', end);
  });
}
