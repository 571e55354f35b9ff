/**
 * The web app, served by the API process (an ApiExtension): server-rendered pages, one small script
 * for live updates, sign-in by OpenID Connect. Server-rendered HTML was chosen over a front-end
 * framework because every page is a view of one or two API answers plus forms: Fastify routes render
 * it with an escaping template (platform/html.ts), so there is no client bundle, no build step besides
 * tsc, nothing for the CSP to allow but our own two files, and pages work without script (live
 * updates are the only thing the script adds).
 *
 * Every read and write goes through the API's own routes (web/api-call.ts): same checks, same audit.
 * No personal data in URLs (ids and codes only) or titles. Forms carry the session's CSRF token, and
 * the session cookie is SameSite=Strict.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../platform/html';
import type { ApiContext } from '../api/server';
import type { CaseStatus, RequestSummary, TimelineEntry } from '../workflows/messages';
import type { CaseRow } from '../client/views';
import { apiCaller, apiFileCaller, type ApiAnswer } from './api-call';
import { registerDocumentPages } from './documents';
import { messagePage, page, sendPage } from './layout';
import { OidcClient } from './oidc';
import { CASE_INPUTS, caseBody, responseChoices, type FormError } from './pages/case';
import { formName } from './pages/input-spec';
import { boardBody, intakeBody, listBody, queueBody, type BoardData, type BoardFilters, type IntakeResult, type QueueAnswer } from './pages/lists';
import { csrfMatches, SessionStore, type Session } from './sessions';
import type { WebSettings } from './settings';
import { STYLE_CSS } from './style';
import { registerEventRoutes } from './events';
import { REQUEST_PATH_ID, requestIdFromPath } from '../workflows/requests/ids';

type Form = Record<string, string>;

const LIVE_JS = path.join(__dirname, 'assets', 'live.js');
const CASE_ID = /^case-\d{1,19}$/;
/** What a board reads at most (pages of 1,000): beyond it the board says it shows the first pages only. */
const BOARD_MAX_ROWS = 20_000;

export interface WebOptions {
  settings: WebSettings;
  /** The identity provider's issuer URL (the API's: its configured provider, or its own local issuer). */
  issuer: string;
  /** The URL people reach this process at. */
  publicUrl: string;
}

export function webApp(opts: WebOptions) {
  return async (app: FastifyInstance, ctx: ApiContext): Promise<void> => {
    const secure = opts.publicUrl.startsWith('https:');
    const sessions = new SessionStore(opts.settings.CASEBRIDGE_WEB_IDLE_MINUTES * 60_000, secure);
    const oidc = new OidcClient(opts.issuer, `${opts.publicUrl}/web/callback`, opts.settings);
    const api = apiCaller(app);
    await app.register(fastifyCookie);
    await app.register(fastifyMultipart, { limits: { fileSize: 64 * 1024 * 1024, files: 1, fields: 10 } });
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const liveJs = fs.readFileSync(LIVE_JS, 'utf8');
    // Pages need no bearer token (the session stands for it); their API calls are rate-limited per person.
    const open = { config: { auth: false, rateLimit: false as const }, schema: { hide: true } };
    const signIn = { config: { auth: false }, schema: { hide: true } };

    app.get('/', open, async (_req, reply) => reply.redirect('/web/', 303));
    // Browsers ask for it on every site; there is none (and no credential is needed to hear so).
    app.get('/favicon.ico', open, async (_req, reply) => reply.code(204).header('cache-control', 'public, max-age=86400').send());
    app.get('/web/assets/style.css', open, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(STYLE_CSS),
    );
    app.get('/web/assets/live.js', open, async (_req, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(liveJs),
    );

    const live = (req: FastifyRequest) => req.headers['x-casebridge-live'] === '1';
    /** The request's session, or the reply that sends the person to sign in (or a 401 for a live refresh or a POST). */
    const need = (req: FastifyRequest, reply: FastifyReply): Session | undefined => {
      const s = sessions.get(req, !live(req));
      if (s) return s;
      if (req.method === 'GET' && !live(req)) {
        const back = req.url.startsWith('/web/') && !req.url.startsWith('/web/log') ? req.url : '/web/';
        void reply.redirect(`/web/login?return=${encodeURIComponent(back)}`, 303);
      } else void sendPage(reply, 401, messagePage('Signed out', html`<p>Your session has ended. <a href="/web/login">Sign in again</a>.</p>`));
      return undefined;
    };
    /** The API refused a read: show why (404 for another unit's case, as for an unknown one). */
    const refused = (reply: FastifyReply, s: Session, a: Extract<ApiAnswer<unknown>, { ok: false }>) => {
      if (a.status === 401) {
        sessions.destroy(s);
        sessions.clearCookie(reply);
      }
      return sendPage(
        reply,
        a.status,
        messagePage(a.status === 404 ? 'Not found' : 'Refused', html`<p>${a.problem.detail}</p>`, a.status === 401 ? undefined : s),
      );
    };

    // ---- sign-in ----
    app.get('/web/login', signIn, async (req, reply) => {
      const q = req.query as Form;
      const returnTo = typeof q.return === 'string' && /^\/web\/[A-Za-z0-9/_?=&%.-]*$/.test(q.return) && !q.return.startsWith('/web/log') ? q.return : '/web/';
      let start;
      try {
        start = await oidc.begin();
      } catch (err) {
        ctx.log.error({ err }, 'identity provider unreachable');
        return sendPage(reply, 503, messagePage('Sign-in unavailable', html`<p>The identity provider cannot be reached. Try again shortly.</p>`));
      }
      sessions.beginLogin(reply, { state: start.state, nonce: start.nonce, verifier: start.verifier, returnTo });
      return reply.redirect(start.url, 303);
    });

    app.get('/web/callback', signIn, async (req, reply) => {
      const pending = sessions.takeLogin(req, reply);
      if (!pending)
        return sendPage(
          reply,
          400,
          messagePage('Sign-in expired', html`<p>This sign-in was not started here or took too long. <a href="/web/login">Sign in</a>.</p>`),
        );
      let tokens;
      try {
        tokens = await oidc.finish(new URL(req.url, opts.publicUrl), pending);
      } catch (err) {
        ctx.log.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'sign-in refused');
        return sendPage(
          reply,
          401,
          messagePage('Sign-in refused', html`<p>The identity provider’s answer did not check out. <a href="/web/login">Try again</a>.</p>`),
        );
      }
      let person;
      try {
        person = await ctx.verifier.verify(tokens.accessToken);
      } catch {
        return sendPage(reply, 401, messagePage('Sign-in refused', html`<p>The credential is not one this API accepts.</p>`));
      }
      const s = sessions.create(tokens.accessToken, person, tokens.expiresAt, tokens.idToken);
      sessions.setCookie(reply, s);
      // A page, not a redirect: after the provider's cross-site redirect, a redirect would still be
      // cross-site and the browser would withhold the Strict cookie; a navigation from this page is same-site.
      return sendPage(
        reply,
        200,
        html`<!doctype html>
          <html lang="en">
            <head>
              <meta charset="utf-8" />
              <meta http-equiv="refresh" content="0;url=${pending.returnTo}" />
              <title>Signed in · CaseBridge</title>
              <link rel="stylesheet" href="/web/assets/style.css" />
            </head>
            <body>
              <main id="content">
                <h1>Signed in</h1>
                <p><a href="${pending.returnTo}">Continue</a></p>
              </main>
            </body>
          </html>`,
      );
    });

    app.post('/web/logout', signIn, async (req, reply) => {
      const s = sessions.get(req, false);
      const form = (req.body ?? {}) as Form;
      if (s && !csrfMatches(s, form._csrf))
        return sendPage(reply, 403, messagePage('Refused', html`<p>This form is out of date: reload the page and try again.</p>`, s));
      if (s) sessions.destroy(s);
      sessions.clearCookie(reply);
      const end = s ? await oidc.endSessionUrl(s.idToken, `${opts.publicUrl}/web/signed-out`) : undefined;
      return reply.redirect(end ?? '/web/signed-out', 303);
    });
    app.get('/web/signed-out', signIn, async (_req, reply) =>
      sendPage(reply, 200, messagePage('Signed out', html`<p>You are signed out. <a href="/web/login">Sign in</a></p>`)),
    );

    // ---- my queue ----
    app.get('/web/', open, async (req, reply) => {
      const s = need(req, reply);
      if (!s) return reply;
      const a = await api<QueueAnswer>(s, 'GET', '/queue');
      if (!a.ok) return refused(reply, s, a);
      return sendPage(reply, 200, page({ title: 'My queue', session: s, current: 'queue', live: '/web/events?view=queue', body: queueBody(a.body) }));
    });

    // ---- a case ----
    const renderCase = async (reply: FastifyReply, s: Session, caseId: string, status: number, extra: { err?: FormError; done?: string } = {}) => {
      const [st, tl] = await Promise.all([api<CaseStatus>(s, 'GET', `/cases/${caseId}/status`), api<TimelineEntry[]>(s, 'GET', `/cases/${caseId}/timeline`)]);
      if (!st.ok) return refused(reply, s, st);
      if (!tl.ok) return refused(reply, s, tl);
      return sendPage(
        reply,
        status,
        page({ title: 'Case', session: s, live: `/web/events?case=${caseId}`, pageUrl: `/web/cases/${caseId}`, body: caseBody(s, st.body, tl.body, extra) }),
      );
    };
    app.get('/web/cases/:caseId', open, async (req, reply) => {
      const s = need(req, reply);
      if (!s) return reply;
      const { caseId } = req.params as { caseId: string };
      if (!CASE_ID.test(caseId)) return sendPage(reply, 404, messagePage('Not found', html`<p>No such case.</p>`, s));
      const done = (req.query as Form).done;
      const label = CASE_INPUTS.find((i) => formName(i) === done)?.label ?? (done === 'response' ? 'the response' : undefined);
      return renderCase(reply, s, caseId, 200, label ? { done: label } : {});
    });

    /** A form's fields as the API body: our hidden fields out, empty optional fields left out (the API refuses unknown keys). */
    const bodyOf = (form: Form, allowed: string[]) => Object.fromEntries(Object.entries(form).filter(([k, v]) => allowed.includes(k) && v.trim() !== ''));
    const formChecks = (req: FastifyRequest, reply: FastifyReply): { s: Session; form: Form } | undefined => {
      const s = need(req, reply);
      if (!s) return undefined;
      const form = (req.body && typeof req.body === 'object' ? req.body : {}) as Form;
      if (!csrfMatches(s, form._csrf)) {
        void sendPage(
          reply,
          403,
          messagePage('Refused', html`<p>This form is out of date or did not come from CaseBridge: reload the page and try again.</p>`, s),
        );
        return undefined;
      }
      return { s, form };
    };
    const idempotency = (form: Form): Record<string, string> =>
      /^[A-Za-z0-9-]{1,100}$/.test(form._key ?? '') ? { 'idempotency-key': `web-${form._key}` } : {};

    app.post('/web/cases/:caseId/inputs/:input', open, async (req, reply) => {
      const c = formChecks(req, reply);
      if (!c) return reply;
      const { caseId, input } = req.params as { caseId: string; input: string };
      const spec = CASE_INPUTS.find((i) => formName(i) === input);
      if (!CASE_ID.test(caseId) || !spec) return sendPage(reply, 404, messagePage('Not found', html`<p>No such input.</p>`, c.s));
      const body = bodyOf(
        c.form,
        spec.fields.map((f) => f.name),
      );
      if (typeof body.suspectCountry === 'string') body.suspectCountry = body.suspectCountry.trim().toUpperCase();
      if (typeof body.dataCountry === 'string') body.dataCountry = body.dataCountry.trim().toUpperCase();
      // A count is a number in the API's body, a yes-no a boolean; anything else goes as typed, for the API to name the field.
      // The form's fixed values (which of the route's kinds it records) come from its spec, never from the browser.
      const sent: Record<string, unknown> = { ...spec.fixed, ...body };
      for (const f of spec.fields) {
        const v = body[f.name]?.trim();
        if (f.kind === 'count' && v !== undefined && /^\d{1,9}$/.test(v)) sent[f.name] = Number(v);
        if (f.kind === 'yes-no' && (v === 'yes' || v === 'no')) sent[f.name] = v === 'yes';
      }
      const a = await api<CaseStatus>(c.s, 'POST', `/cases/${caseId}/${spec.path}`, { body: sent, headers: idempotency(c.form) });
      if (a.ok) return reply.redirect(`/web/cases/${caseId}?done=${formName(spec)}`, 303);
      if (a.status === 404 || a.status === 401) return refused(reply, c.s, a);
      const err: FormError = {
        form: `input:${formName(spec)}`,
        detail: a.problem.detail,
        values: body,
        ...(a.problem.field ? { field: a.problem.field } : {}),
      };
      return renderCase(reply, c.s, caseId, a.status, { err });
    });

    app.post('/web/cases/:caseId/requests/:requestId/responses', open, async (req, reply) => {
      const c = formChecks(req, reply);
      if (!c) return reply;
      const { caseId, requestId } = req.params as { caseId: string; requestId: string };
      // A track handed over from another case (a referral's safeguarding) comes by its whole id.
      if (!CASE_ID.test(caseId) || !REQUEST_PATH_ID.test(requestId)) return sendPage(reply, 404, messagePage('Not found', html`<p>No such request.</p>`, c.s));
      const fullId = requestIdFromPath(caseId, requestId).requestId;
      const body = bodyOf(c.form, ['outcome', 'reason', 'reference', 'note']);
      // The role the page offered this outcome in (a person holding several roles acts in the one the machine names).
      const st = await api<CaseStatus>(c.s, 'GET', `/cases/${caseId}/status`);
      if (!st.ok) return refused(reply, c.s, st);
      const request: RequestSummary | undefined = st.body.requests.find((r) => r.requestId === fullId);
      const choice = request ? responseChoices(c.s.person, request).find((x) => x.outcome === body.outcome) : undefined;
      const headers = { ...idempotency(c.form), ...(choice ? { 'casebridge-role': choice.role } : {}) };
      const a = await api<RequestSummary>(c.s, 'POST', `/cases/${caseId}/requests/${encodeURIComponent(requestId)}/responses`, { body, headers });
      if (a.ok) return reply.redirect(`/web/cases/${caseId}?done=response`, 303);
      if (a.status === 404 || a.status === 401) return refused(reply, c.s, a);
      const err: FormError = {
        form: typeof c.form._form === 'string' ? c.form._form : `respond:${requestId}:${body.outcome ?? ''}`,
        detail: a.problem.detail,
        values: body,
        ...(a.problem.field ? { field: a.problem.field } : {}),
      };
      return renderCase(reply, c.s, caseId, a.status, { err });
    });

    // ---- the managers' board ----
    /** Every page of an API list route, up to `max` rows. */
    const allPages = async <R>(s: Session, route: string, max = BOARD_MAX_ROWS): Promise<ApiAnswer<{ rows: R[]; truncated: boolean }>> => {
      const rows: R[] = [];
      let cursor: string | null = null;
      do {
        const sep = route.includes('?') ? '&' : '?';
        const a: ApiAnswer<{ cases: R[]; nextCursor: string | null }> = await api(s, 'GET', `${route}${sep}pageSize=1000${cursor ? `&cursor=${cursor}` : ''}`);
        if (!a.ok) return a;
        rows.push(...a.body.cases);
        cursor = a.body.nextCursor;
      } while (cursor && rows.length < max);
      return { ok: true, status: 200, body: { rows, truncated: cursor !== null } };
    };
    const DURATION = /^\d{1,6}[smhdw]$/;
    const CODE = /^[A-Za-z-]{1,40}$/;
    app.get('/web/board', open, async (req, reply) => {
      const s = need(req, reply);
      if (!s) return reply;
      const q = req.query as Form;
      const f: BoardFilters = {
        idle: DURATION.test(q.idle ?? '') ? q.idle : '7d',
        within: DURATION.test(q.within ?? '') ? q.within : '7d',
        ...(CODE.test(q.stage ?? '') ? { stage: q.stage.toUpperCase() } : {}),
        ...(/^[A-Za-z]{2}$/.test(q.country ?? '') ? { country: q.country.toUpperCase() } : {}),
        ...(CODE.test(q.awaiting ?? '') ? { awaiting: q.awaiting.toLowerCase() } : {}),
      };
      const [openCases, stalled, deadlines] = await Promise.all([
        allPages<CaseRow>(s, '/cases?state=open'),
        allPages<CaseRow & { idleMs: number }>(s, `/views/stalled?idle=${f.idle}`),
        allPages<BoardData['deadlines'][number]>(s, `/views/deadlines?within=${f.within}`),
      ]);
      for (const a of [openCases, stalled, deadlines]) if (!a.ok) return refused(reply, s, a);
      if (!openCases.ok || !stalled.ok || !deadlines.ok) return reply;
      const data: BoardData = {
        open: openCases.body.rows,
        stalled: stalled.body.rows,
        deadlines: deadlines.body.rows,
        truncated: openCases.body.truncated,
      };
      return sendPage(reply, 200, page({ title: 'Board', session: s, current: 'board', live: '/web/events?view=board', body: boardBody(data, f) }));
    });

    app.get('/web/list', open, async (req, reply) => {
      const s = need(req, reply);
      if (!s) return reply;
      const q = req.query as Form;
      const stage = CODE.test(q.stage ?? '') ? q.stage.toUpperCase() : undefined;
      const country = /^[A-Za-z]{2}$/.test(q.country ?? '') ? q.country.toUpperCase() : undefined;
      const suspect = /^([A-Za-z]{2}|\?)$/.test(q.suspectCountry ?? '') ? q.suspectCountry.toUpperCase() : undefined;
      const awaiting = CODE.test(q.awaiting ?? '') ? q.awaiting.toLowerCase() : undefined;
      let fetched: ApiAnswer<{ rows: CaseRow[]; truncated: boolean }>;
      let what = 'Open cases';
      const view = q.view;
      if (view === 'stalled' && DURATION.test(q.idle ?? '')) {
        what = `Stalled for ${q.idle}`;
        fetched = await allPages<CaseRow>(
          s,
          `/views/stalled?${new URLSearchParams({ idle: q.idle, ...(stage ? { stage } : {}), ...(country ? { country } : {}) }).toString()}`,
        );
      } else if (view === 'deadlines' && DURATION.test(q.within ?? '')) {
        const name = CODE.test(q.name ?? '') ? q.name : undefined;
        what = `${name ?? 'Deadlines'} due within ${q.within}`;
        const d = await allPages<BoardData['deadlines'][number]>(s, `/views/deadlines?within=${q.within}`);
        fetched = d.ok
          ? {
              ...d,
              body: {
                truncated: d.body.truncated,
                rows: d.body.rows
                  .filter((x) => !name || x.name === name)
                  .map((x) => ({ caseId: x.caseId, stage: x.stage, awaiting: x.awaiting, nextDeadline: { name: x.name, dueAt: x.dueAt } }) as CaseRow),
              },
            }
          : d;
      } else if (view === 'long') {
        what = 'Open MLATs and extraditions';
        const [m, x] = await Promise.all([allPages<CaseRow>(s, '/cases?state=open&stage=MLAT'), allPages<CaseRow>(s, '/cases?state=open&stage=EXTRADITION')]);
        fetched =
          m.ok && x.ok
            ? { ok: true, status: 200, body: { rows: [...m.body.rows, ...x.body.rows], truncated: m.body.truncated || x.body.truncated } }
            : !m.ok
              ? m
              : x;
      } else {
        const params = new URLSearchParams({ state: 'open', ...(stage ? { stage } : {}), ...(country ? { country } : {}) });
        fetched = await allPages<CaseRow>(s, `/cases?${params.toString()}`);
      }
      if (!fetched.ok) return refused(reply, s, fetched);
      const rows = fetched.body.rows.filter(
        (r) => (!suspect || (r.suspectCountry ?? '?') === suspect) && (!awaiting || r.awaiting === awaiting) && (!stage || r.stage === stage),
      );
      const title = [what, stage, suspect && `suspect in ${suspect}`, country && `in ${country}`, awaiting && `awaiting ${awaiting}`]
        .filter(Boolean)
        .join(', ');
      return sendPage(reply, 200, page({ title: 'Cases', session: s, current: 'board', live: '/web/events?view=board', body: listBody(title, rows) }));
    });

    // ---- intake ----
    app.get('/web/intake', open, async (req, reply) => {
      const s = need(req, reply);
      if (!s) return reply;
      return sendPage(reply, 200, page({ title: 'Intake', session: s, current: 'intake', body: intakeBody(s.csrf, s.person.units) }));
    });
    app.post('/web/intake', open, async (req, reply) => {
      const s = need(req, reply);
      if (!s) return reply;
      if (!req.isMultipart()) return sendPage(reply, 415, messagePage('Refused', html`<p>Upload the file with the form.</p>`, s));
      const fields: Form = {};
      let file: { name: string; bytes: Buffer } | undefined;
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file') file = { name: part.filename, bytes: await part.toBuffer() };
          else fields[part.fieldname] = String(part.value);
        }
      } catch (err) {
        const detail =
          (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' ? 'tips: the file is larger than 64 MiB' : 'tips: the upload could not be read';
        return sendPage(reply, 413, page({ title: 'Intake', session: s, current: 'intake', body: intakeBody(s.csrf, s.person.units, undefined, detail) }));
      }
      if (!csrfMatches(s, fields._csrf))
        return sendPage(reply, 403, messagePage('Refused', html`<p>This form is out of date: reload the page and try again.</p>`, s));
      const render = (status: number, result?: IntakeResult, error?: string) =>
        sendPage(reply, status, page({ title: 'Intake', session: s, current: 'intake', body: intakeBody(s.csrf, s.person.units, result, error) }));
      if (!file || file.bytes.length === 0) return render(422, undefined, 'tips: choose a file that is not empty');
      const lower = file.name.toLowerCase();
      const contentType = lower.endsWith('.zip')
        ? 'application/zip'
        : lower.endsWith('.xml')
          ? 'application/xml'
          : lower.endsWith('.ndjson') || lower.endsWith('.jsonl')
            ? 'application/x-ndjson'
            : 'application/json';
      const params = new URLSearchParams();
      if (/^[A-Za-z0-9._-]{1,100}$/.test(fields.unit ?? '')) params.set('unit', fields.unit);
      if (fields.profile === 'demo' || fields.profile === 'standard') params.set('profile', fields.profile);
      if (contentType === 'application/zip' || contentType === 'application/xml') params.set('name', lower.endsWith('.zip') ? 'upload.zip' : 'upload.xml');
      const a = await api<IntakeResult>(s, 'POST', `/cases?${params.toString()}`, { raw: { bytes: file.bytes, contentType } });
      if (a.ok) return render(200, a.body);
      const partial = (a.problem as { results?: IntakeResult['results'] }).results;
      return render(
        a.status,
        partial
          ? { format: '—', results: partial, started: partial.filter((r) => 'status' in r && r.status === 'started').length, exists: 0, invalid: 0 }
          : undefined,
        a.problem.detail,
      );
    });

    registerDocumentPages(app, { api, file: apiFileCaller(app), need, refused, open });
    registerEventRoutes(app, ctx, sessions);
  };
}
