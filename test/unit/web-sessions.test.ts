/**
 * Web sessions (web/sessions.ts): idle expiry (CJIS: 30 minutes; here 50 ms), token expiry, the
 * CSRF comparison, the cookie's name under TLS; and the page template's escaping (platform/html.ts).
 */
import type { FastifyRequest } from 'fastify';
import { SessionStore, csrfMatches } from '../../web/sessions';
import { html, raw } from '../../platform/html';
import type { Person } from '../../api/identity';

const person: Person = { id: 'iss|sub', issuer: 'iss', subject: 'sub', name: 'Ann', roles: ['coordinator'], units: ['unit-a'] };
const req = (cookie: string | undefined) => ({ cookies: cookie ? { cb_session: cookie } : {} }) as unknown as FastifyRequest;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('web sessions', () => {
  it('end after the idle time, unless used; a live read does not count as use', async () => {
    const store = new SessionStore(150, false);
    const s = store.create('tok', person, Date.now() + 60_000);
    await sleep(100);
    expect(store.get(req(s.id))).toBe(s); // used: the idle clock starts again
    await sleep(100);
    expect(store.get(req(s.id), false)).toBe(s);
    await sleep(100); // 200 ms since the last use: the read without touching did not extend it
    expect(store.get(req(s.id))).toBeUndefined();
    expect(store.get(req('not-a-session'))).toBeUndefined();
  });

  it('end when the token does, and compare CSRF tokens exactly', () => {
    const store = new SessionStore(60_000, true);
    expect(store.sessionCookie).toBe('__Host-cb_session');
    const expired = store.create('tok', person, Date.now() - 1);
    expect(store.alive(expired)).toBe(false);
    const s = store.create('tok', person, Date.now() + 60_000);
    expect([csrfMatches(s, s.csrf), csrfMatches(s, s.csrf.slice(1)), csrfMatches(s, undefined), csrfMatches(s, `${s.csrf}x`)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('page template', () => {
  it('escapes every value that is not already HTML', () => {
    const tip = `<script>alert("x")</script>' onload='`;
    expect(html`<p title="${tip}">${tip}${raw('<br>')}${[tip, html`<b>${1}</b>`]}${null}${false}</p>`.text).toBe(
      '<p title="&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#39; onload=&#39;">&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#39; onload=&#39;<br>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#39; onload=&#39;<b>1</b></p>',
    );
  });
});
