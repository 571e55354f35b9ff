/**
 * The frame every page shares: the header with the person, their role and units, the navigation their
 * roles may use, and sign-out (a POST with the session's CSRF token). Titles never carry a case's
 * content or anyone's name; the only script is /web/assets/live.js.
 */
import type { FastifyReply } from 'fastify';
import { html, pageHeaders, type Html, type HtmlValue } from '../platform/html';
import type { Session } from './sessions';

export interface PageOptions {
  title: string;
  session?: Session;
  /** The event stream this page listens to (live.js), e.g. /web/events?case=… */
  live?: string;
  body: HtmlValue;
  /** The page's own GET address when it is shown as a POST's answer (live.js refetches this one). */
  pageUrl?: string;
  /** Which navigation entry is the current page. */
  current?: 'queue' | 'board' | 'intake' | 'cases';
}

function nav(s: Session, current: PageOptions['current']): Html {
  const roles = s.person.roles;
  const items: [NonNullable<PageOptions['current']>, string, string, boolean][] = [
    ['queue', '/web/', 'My queue', true],
    ['board', '/web/board', 'Board', roles.includes('manager')],
    ['intake', '/web/intake', 'Intake', roles.includes('coordinator')],
  ];
  return html`<nav aria-label="Main">
    <ul>
      ${items
        .filter(([, , , shown]) => shown)
        .map(([key, href, label]) => html`<li><a href="${href}" ${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`)}
    </ul>
  </nav>`;
}

export function page(o: PageOptions): Html {
  const s = o.session;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>${o.title} · CaseBridge</title>
        <link rel="stylesheet" href="/web/assets/style.css" />
        <script src="/web/assets/live.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#content">Skip to content</a>
        <header class="top">
          <a class="brand" href="/web/">CaseBridge</a>
          ${s ? nav(s, o.current) : ''}
          ${
            s
              ? html`<div class="who">
                  <span
                    >${s.person.name}
                    <span class="muted-inverse">(${s.person.roles.join(', ')}${s.person.units.length ? html` · ${s.person.units.join(', ')}` : ''})</span></span
                  >
                  <form method="post" action="/web/logout"><input type="hidden" name="_csrf" value="${s.csrf}" /><button type="submit">Sign out</button></form>
                </div>`
              : ''
          }
        </header>
        <main id="content" ${o.live ? html` data-live="${o.live}"` : ''}${o.pageUrl ? html` data-page="${o.pageUrl}"` : ''}>${o.body}</main>
      </body>
    </html>`;
}

export function sendPage(reply: FastifyReply, status: number, body: Html): FastifyReply {
  return reply.code(status).headers(pageHeaders()).type('text/html; charset=utf-8').send(body.text);
}

/** A page that only says something (signed out, refused, not found). */
export function messagePage(title: string, message: HtmlValue, session?: Session): Html {
  return page({
    title,
    ...(session ? { session } : {}),
    body: html`<h1>${title}</h1>
      <section class="card">${message}</section>`,
  });
}
