/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against real processes:
 * the identity provider, the API with its web app, a dev server and a worker. People sign in by the
 * OpenID Connect code flow with PKCE; a coordinator resolves a jurisdiction; a liaison records an
 * MLAT response and a refusal with its ground while a manager's board, open in another browser,
 * changes without a reload; an action a role may not take is not offered, and forcing it with a
 * hand-made POST is refused with nothing changed; after the arrest a coordinator is offered the court's
 * events the case takes now, records the initial appearance and the indictment through their forms
 * (a bad excludable delay refused next to its field); sign-out ends the session. Every page passes axe
 * with no serious or critical violation, and is photographed into test-results/web/.
 */
import { documentDesk, type DocumentDesk } from '../case/document-desk';
import { sampleTip } from '../cli/cli-process';
import { waitFor } from '../harness/wait';
import { check, signIn as signInAs, submit } from './browser';
import { startWebEnv, type WebEnv } from './web-env';

const tag = String(Date.now()).slice(-7);
const UNIT = 'unit-a';

interface CaseStatusLite {
  stage: string;
  awaiting: string | null;
  outcome: string | null;
  outcomeReason?: string;
  attention: { reason: string } | null;
  requests: { requestId: string; kind: string; status: string }[];
  preservation: { state: string } | null;
  deadlines: { name: string; dueAt: string }[];
  custody?: { law: string; initialAppearanceAt?: string; custody?: string; detentionHearing?: string; indictment?: string; excluded: unknown[] } | null;
}

/** The forms after the arrest (web/pages/post-arrest-inputs.ts), by their data-form names. */
const POST_ARREST_FORMS = [
  'initial-appearance',
  'detention-hearing',
  'preliminary-hearing',
  'indictment',
  'excludable-delay',
  'prosecution-decision',
  'detention-reviews',
  'detention-extensions',
  'charging-decision',
  'bail-extensions',
].map((f) => `input:${f}`);

describe('the web app in Chromium', () => {
  let e: WebEnv;
  const token: Record<string, string> = {};
  let jurisdictionCase: string;
  let mlatCase: string;
  /** Left in JURISDICTION for the analyst. */
  let openCase: string;
  /** Runs on past the arrest into CUSTODY (the demo profile: a policy day lasts a second). */
  let arrestCase: string;
  let arrestDesk: DocumentDesk | undefined;
  const consoleErrors: string[] = [];

  const status = async (caseId: string) => await e.env.client.workflow.getHandle(caseId).query<CaseStatusLite>('status');
  const timeline = async (caseId: string) => e.env.client.workflow.getHandle(caseId).query('timeline');
  /** What people put in the timeline (the system's reminders go on meanwhile in the demo profile). */
  const humanEntries = async (caseId: string) => ((await timeline(caseId)) as { actor: string }[]).filter((x) => !x.actor.startsWith('system:'));

  const signIn = (name: string) => signInAs(e.browser, e.web.url, name, consoleErrors);

  beforeAll(async () => {
    e = await startWebEnv({ taskQueue: 'web' });
    token.coordinator = await e.person('Cora Coordinator', ['coordinator'], [UNIT]);
    token.liaison = await e.person('Lia Liaison', ['liaison'], [UNIT]);
    token.manager = await e.person('Mona Manager', ['manager'], [UNIT]);
    token.analyst = await e.person('Andy Analyst', ['analyst'], [UNIT]);
    const start = async (profile: string, ...tips: Record<string, unknown>[]) => {
      const raw = tips.map((t) => JSON.stringify(t)).join('\n');
      const r = await e.http('POST', `/cases?profile=${profile}`, { token: token.coordinator, raw, contentType: 'application/x-ndjson' });
      expect(r.status).toBe(200);
      return r.body.results.map((x: { caseId: string }) => x.caseId) as string[];
    };
    // Standard timers for the cases that wait for people (no reminder escalates them meanwhile); demo timers for the MLAT to reach the foreign authority.
    [jurisdictionCase, openCase] = await start('standard', sampleTip('jurisdiction-unresolved', `${tag}1`), sampleTip('jurisdiction-unresolved', `${tag}4`));
    [mlatCase] = await start('demo', sampleTip('data-abroad-mlat', `${tag}2`));
    // Captured just now: in the demo profile a provider's log retention (days as seconds) counts from the capture.
    [arrestCase] = await start(
      'demo',
      sampleTip('domestic-arrest', `${tag}5`, (t) => {
        for (const c of t.personOrUserReported.ipCaptureEvent ?? []) c.dateTime = new Date().toISOString();
      }),
    );
    // The arrest case's papers (the subpoena, the warrant application and affidavit) are completed and approved at the desk.
    arrestDesk = documentDesk(e.env.client, e.documents, new Set([arrestCase]));
    arrestDesk.start(250);
    await waitFor(async () => ((await status(jurisdictionCase)).stage === 'JURISDICTION' ? true : undefined), 60_000);
  });
  afterAll(async () => {
    await arrestDesk?.stop();
    await e?.teardown();
  });

  it('signs in by the code flow at the identity provider, with a wrong password refused on its login page', async () => {
    const context = await e.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${e.web.url}/web/cases/${jurisdictionCase}`);
    // Not signed in: to the provider's authorization endpoint, with PKCE.
    await page.waitForURL((u) => u.origin === e.idp.url && u.pathname === '/oauth/authorize');
    const ask = new URL(page.url()).searchParams;
    expect([ask.get('response_type'), ask.get('code_challenge_method'), ask.get('redirect_uri')]).toEqual(['code', 'S256', `${e.web.url}/web/callback`]);
    expect(ask.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await check(page, 'sign-in');
    await page.getByLabel('Name').fill('Cora Coordinator');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Unknown name or wrong password');
    await page.getByLabel('Password').fill('pw-Cora Coordinator');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the person was going.
    await page.waitForURL(`${e.web.url}/web/cases/${jurisdictionCase}`);
    expect(await page.title()).toBe('Case · CaseBridge');
    const cookie = (await context.cookies()).find((c) => c.name === 'cb_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await context.close();
  });

  it('shows a coordinator their queue, and lets them resolve a jurisdiction: a bad country is refused next to the field, nothing changed', async () => {
    const { context, page } = await signIn('Cora Coordinator');
    await expect(page.locator(`tr[data-case="${jurisdictionCase}"]`).count()).resolves.toBe(1);
    expect(await page.title()).toBe('My queue · CaseBridge');
    await check(page, 'queue');

    await page.getByRole('link', { name: jurisdictionCase }).click();
    await page.waitForURL(`${e.web.url}/web/cases/${jurisdictionCase}`);
    const before = await humanEntries(jurisdictionCase);
    const form = page.locator('fieldset[data-form="input:resolve-jurisdiction"]');
    await form.getByLabel('Suspect’s country (required)').fill('UK');
    expect(await submit(page, form.getByRole('button', { name: 'Resolve jurisdiction' }))).toBe(422);
    const refusedForm = page.locator('fieldset[data-form="input:resolve-jurisdiction"]');
    await expect(refusedForm.locator('[aria-invalid="true"]').getAttribute('name')).resolves.toBe('suspectCountry');
    await expect(refusedForm.getByRole('alert').textContent()).resolves.toContain('did you mean GB?');
    expect(await humanEntries(jurisdictionCase)).toEqual(before);
    await check(page, 'case-refused-input');

    await refusedForm.getByLabel('Suspect’s country (required)').fill('US');
    expect(await submit(page, refusedForm.getByRole('button', { name: 'Resolve jurisdiction' }))).toBe(303);
    expect(new URL(page.url()).searchParams.get('done')).toBe('resolve-jurisdiction');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Recorded: Resolve jurisdiction');
    const entries = (await timeline(jurisdictionCase)) as { kind: string; actor: string; role?: string; detail: string }[];
    expect(entries.find((x) => x.kind === 'input' && x.actor === 'Cora Coordinator')).toMatchObject({ role: 'coordinator' });
    await waitFor(async () => ((await status(jurisdictionCase)).stage !== 'JURISDICTION' ? true : undefined), 30_000);
    await context.close();
  });

  it('lets a liaison record an MLAT response and a refusal with its ground, offering only what the machine allows, while the manager’s board changes live', async () => {
    // The MLAT request goes to the central authority once its document is completed and approved (the document desk's people do it).
    const desk = documentDesk(e.env.client, e.documents, new Set([mlatCase]));
    desk.start(250);
    const mlat = await waitFor(async () => {
      const s = await status(mlatCase);
      return s.requests.find((r) => r.kind === 'mlat' && r.status === 'TRANSMITTED');
    }, 90_000).finally(() => desk.stop());
    // The manager's board, open before the response lands.
    const board = await signIn('Mona Manager');
    await board.page.goto(`${e.web.url}/web/board`);
    await board.page.locator('main[data-live-state="open"]').waitFor();
    await board.page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await expect(board.page.locator('tr[data-stage-row="MLAT"]').count()).resolves.toBe(1);
    await check(board.page, 'board');
    // Every number links to its cases.
    const numbers = await board.context.newPage();
    await numbers.goto(`${e.web.url}${await board.page.locator('[data-count="stage-MLAT"] a').getAttribute('href')}`);
    await expect(numbers.locator('tr[data-case]').evaluateAll((els) => els.map((x) => x.getAttribute('data-case')))).resolves.toEqual([mlatCase]);
    await numbers.goto(`${e.web.url}${await board.page.locator('[data-count="mlat-extradition"] a').getAttribute('href')}`);
    await expect(numbers.locator('tr[data-case]').evaluateAll((els) => els.map((x) => x.getAttribute('data-case')))).resolves.toEqual([mlatCase]);
    await check(numbers, 'board-cases');
    await numbers.close();

    const { context, page } = await signIn('Lia Liaison');
    // Her queue names the request whose answer she records, not only its case (visibility follows a moment later).
    const queued = page.locator(`tr[data-case="${mlatCase}"] li[data-waiting="request"][data-request="${mlat.requestId}"]`);
    await waitFor(async () => {
      if ((await queued.count()) === 1) return true;
      await page.reload();
      return undefined;
    }, 30_000);
    await expect(queued.textContent()).resolves.toContain('mlat TRANSMITTED');
    await check(page, 'queue-liaison');
    await page.goto(`${e.web.url}/web/cases/${mlatCase}`);
    await page.locator('main[data-live-state="open"]').waitFor();
    const short = mlat.requestId.split('/')[1];
    const offered = await page.locator('fieldset[data-form^="respond:"]').evaluateAll((els) => els.map((x) => x.getAttribute('data-form')));
    // TRANSMITTED: what a liaison may record (the system's own outcomes are never offered).
    expect(offered.sort()).toEqual(
      ['acknowledged', 'executed', 'more-information-requested', 'partially-executed', 'refused'].map((o) => `respond:${short}:${o}`),
    );
    await check(page, 'case');

    const ack = page.locator(`fieldset[data-form="respond:${short}:acknowledged"]`);
    await ack.getByLabel('Their reference (required)').fill('DE-MLAT-2026-77');
    expect(await submit(page, ack.getByRole('button'))).toBe(303);
    expect(new URL(page.url()).searchParams.get('done')).toBe('response');
    await waitFor(
      async () => ((await status(mlatCase)).requests.find((r) => r.requestId === mlat.requestId)?.status === 'ACKNOWLEDGED' ? true : undefined),
      30_000,
    );

    // ACKNOWLEDGED: acknowledging again is no longer offered.
    await page.reload();
    const now = await page.locator('fieldset[data-form^="respond:"]').evaluateAll((els) => els.map((x) => x.getAttribute('data-form')));
    expect(now).not.toContain(`respond:${short}:acknowledged`);
    const refuse = page.locator(`fieldset[data-form="respond:${short}:refused"]`);
    const grounds = await refuse.locator('select[name="reason"] option').evaluateAll((els) => els.map((x) => (x as unknown as { value: string }).value));
    expect(grounds).toContain('dual-criminality');
    const mlatRowsBefore = await board.page.locator('[data-count="mlat-extradition"]').textContent();
    await refuse.locator('select[name="reason"]').selectOption('dual-criminality');
    expect(await submit(page, refuse.getByRole('button'))).toBe(303);
    const after = await status(mlatCase);
    expect(after.requests.find((r) => r.requestId === mlat.requestId)).toMatchObject({ status: 'REFUSED' });
    const responses = ((await timeline(mlatCase)) as { kind: string; actor: string; role?: string; detail: string }[]).filter((x) => x.actor === 'Lia Liaison');
    expect(responses.map((x) => [x.kind, x.role])).toEqual([
      ['response', 'liaison'],
      ['response', 'liaison'],
    ]);
    expect(responses[1].detail).toContain('dual-criminality');

    // The board, never reloaded, shows the case leave the MLAT stage.
    await waitFor(async () => ((await board.page.locator('tr[data-stage-row="MLAT"]').count()) === 0 ? true : undefined), 20_000, 100);
    expect(await board.page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(Number(await board.page.locator('main').getAttribute('data-live-updates'))).toBeGreaterThan(0);
    expect(await board.page.locator('[data-count="mlat-extradition"]').textContent()).not.toBe(mlatRowsBefore);
    await board.context.close();
    await context.close();
  });

  it('does not offer an analyst what the role may not do, and refuses a hand-made POST with nothing changed', async () => {
    const { context, page } = await signIn('Andy Analyst');
    await page.goto(`${e.web.url}/web/cases/${mlatCase}`);
    await expect(page.locator('fieldset[data-form="input:withdraw"]').count()).resolves.toBe(0);
    await expect(page.locator('fieldset[data-form^="respond:"]').count()).resolves.toBe(0);
    // The board is a manager's: not in the analyst's navigation, and refused when asked for.
    await expect(page.getByRole('link', { name: 'Board' }).count()).resolves.toBe(0);
    const boardAnswer = await page.goto(`${e.web.url}/web/board`);
    expect(boardAnswer!.status()).toBe(403);
    await page.goto(`${e.web.url}/web/cases/${mlatCase}`);
    const csrf = await page.locator('header form input[name="_csrf"]').getAttribute('value');
    await page.goto(`${e.web.url}/web/cases/${openCase}`);
    await waitFor(async () => ((await status(openCase)).stage === 'JURISDICTION' ? true : undefined), 30_000);
    await page.reload();
    // An analyst adds notes, grades the danger and reports a child at risk; resolving jurisdiction and withdrawing are a coordinator's or a manager's.
    await expect(page.locator('fieldset[data-form^="input:"]').evaluateAll((els) => els.map((x) => x.getAttribute('data-form')))).resolves.toEqual([
      'input:notes',
      'input:assess-danger',
      'input:child-at-risk',
    ]);
    await check(page, 'case-analyst');
    const before = await humanEntries(openCase);
    const forced = await page.request.post(`${e.web.url}/web/cases/${openCase}/inputs/resolve-jurisdiction`, { form: { _csrf: csrf!, suspectCountry: 'US' } });
    expect(forced.status()).toBe(403);
    expect(await forced.text()).toContain('role: a coordinator or a manager resolves jurisdiction');
    // Without the session's CSRF token, not even the role is asked.
    const noToken = await page.request.post(`${e.web.url}/web/cases/${openCase}/inputs/notes`, { form: { text: 'no token' } });
    expect(noToken.status()).toBe(403);
    expect(await humanEntries(openCase)).toEqual(before);
    expect((await status(openCase)).stage).toBe('JURISDICTION');
    await context.close();
  });

  it('after the arrest: offers a coordinator the court’s events the case takes now, and records them through their forms (a bad delay refused next to its field)', async () => {
    // In CUSTODY with its clocks set (the case reads the deployment's policy first; the forms wait for the clocks as the validators do).
    await waitFor(async () => {
      const s = await status(arrestCase);
      if (s.stage === 'CLOSED' || s.stage === 'NEEDS_ATTENTION') throw new Error(`${arrestCase} is ${s.stage}: ${s.outcomeReason ?? s.attention?.reason}`);
      return s.stage === 'CUSTODY' && s.deadlines.some((d) => d.name === 'indictment') ? true : undefined;
    }, 180_000);
    const { context, page } = await signIn('Cora Coordinator');
    const offered = async () =>
      (await page.locator('fieldset[data-form^="input:"]').evaluateAll((els) => els.map((x) => x.getAttribute('data-form') ?? ''))).filter((f) =>
        POST_ARREST_FORMS.includes(f),
      );
    await page.goto(`${e.web.url}/web/cases/${arrestCase}`);
    // US law, no appearance yet: the appearance, excludable delay and the prosecution decision; no indictment before CHARGING, no UK form.
    expect(await offered()).toEqual(['input:initial-appearance', 'input:excludable-delay', 'input:prosecution-decision']);
    await expect(page.locator('[data-custody]').getAttribute('data-custody')).resolves.toBe('US');

    const before = await humanEntries(arrestCase);
    const delay = page.locator('fieldset[data-form="input:excludable-delay"]');
    await delay.locator('select[name="ground"]').selectOption('pretrial-motion');
    await delay.getByLabel('Days excluded (required)').fill('0');
    await delay.getByLabel('Why the delay is excluded (required)').fill('the defence’s motion to suppress');
    expect(await submit(page, delay.getByRole('button', { name: 'Record excludable delay' }))).toBe(422);
    const refused = page.locator('fieldset[data-form="input:excludable-delay"]');
    await expect(refused.locator('[aria-invalid="true"]').getAttribute('name')).resolves.toBe('days');
    await expect(refused.getByRole('alert').textContent()).resolves.toContain('must be a whole number of days');
    expect(await humanEntries(arrestCase)).toEqual(before);
    expect((await status(arrestCase)).custody).toMatchObject({ excluded: [] });

    const appearance = page.locator('fieldset[data-form="input:initial-appearance"]');
    await appearance.locator('select[name="custody"]').selectOption('detained');
    await appearance.locator('select[name="detentionHearing"]').selectOption('continued-government');
    await appearance.getByLabel('The court’s reference').fill('MJ-WEB-1');
    expect(await submit(page, appearance.getByRole('button', { name: 'Record the initial appearance' }))).toBe(303);
    expect(new URL(page.url()).searchParams.get('done')).toBe('initial-appearance');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Recorded: Record the initial appearance');
    const appeared = await waitFor(async () => {
      const s = await status(arrestCase);
      return s.stage === 'CHARGING' ? s : undefined;
    }, 30_000);
    expect(appeared.custody).toMatchObject({ law: 'US', custody: 'detained', detentionHearing: 'pending', initialAppearanceAt: expect.any(String) });
    expect(appeared.deadlines.map((d) => d.name)).toEqual(expect.arrayContaining(['detention-hearing', 'preliminary-hearing', 'indictment']));
    const recorded = ((await timeline(arrestCase)) as { kind: string; actor: string; role?: string; detail: string }[]).filter(
      (x) => x.kind === 'input' && x.actor === 'Cora Coordinator',
    );
    expect(recorded.map((x) => [x.role, x.detail])).toEqual([
      ['coordinator', expect.stringContaining('initial appearance before the magistrate judge (MJ-WEB-1)')],
    ]);

    // In CHARGING with a detention hearing continued: the continued hearing, the preliminary hearing and the indictment; the appearance no more.
    await page.goto(`${e.web.url}/web/cases/${arrestCase}`);
    expect(await offered()).toEqual([
      'input:detention-hearing',
      'input:preliminary-hearing',
      'input:indictment',
      'input:excludable-delay',
      'input:prosecution-decision',
    ]);
    await check(page, 'case-after-arrest');
    const indictment = page.locator('fieldset[data-form="input:indictment"]');
    await indictment.getByLabel('The indictment’s reference (required)').fill('IND-WEB-1');
    expect(await submit(page, indictment.getByRole('button', { name: 'Record the indictment' }))).toBe(303);
    const closed = await waitFor(async () => {
      const s = await status(arrestCase);
      return s.stage === 'CLOSED' ? s : undefined;
    }, 30_000);
    expect([closed.outcome, closed.custody?.indictment]).toEqual(['INDICTED', 'IND-WEB-1']);
    await page.goto(`${e.web.url}/web/cases/${arrestCase}`);
    expect(await offered()).toEqual([]);
    await context.close();
  });

  it('takes a tips file and reports each tip', async () => {
    const { context, page } = await signIn('Cora Coordinator');
    await page.getByRole('link', { name: 'Intake' }).click();
    await check(page, 'intake');
    const file = [JSON.stringify(sampleTip('domestic-arrest', `${tag}3`)), '{"ncmecReportNumber": "oops"}'].join('\n');
    await page.getByLabel('Tips file (required)').setInputFiles({ name: 'tips.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(file) });
    expect(await submit(page, page.getByRole('button', { name: 'Open cases' }))).toBe(200);
    await expect(page.locator('tr[data-result="started"]').count()).resolves.toBe(1);
    await expect(page.locator('tr[data-result="invalid"]').count()).resolves.toBe(1);
    await check(page, 'intake-results');
    await context.close();
  });

  it('holds the identity provider to the protocol: registered redirect URIs only, PKCE checked, a code used once', async () => {
    const crypto = await import('node:crypto');
    const verifier = crypto.randomBytes(32).toString('base64url');
    const ask = {
      client_id: 'casebridge-web',
      redirect_uri: `${e.web.url}/web/callback`,
      response_type: 'code',
      scope: 'openid',
      code_challenge_method: 'S256',
      code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
      state: 'st-1',
    };
    const elsewhere = await fetch(`${e.idp.url}/oauth/authorize?${new URLSearchParams({ ...ask, redirect_uri: 'http://127.0.0.1:9/steal' }).toString()}`, {
      redirect: 'manual',
    });
    expect(elsewhere.status).toBe(400); // answered on the page, never redirected to an unregistered URI
    const code = async () => {
      const r = await fetch(`${e.idp.url}/oauth/authorize`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...ask, name: 'Lia Liaison', password: 'pw-Lia Liaison' }).toString(),
      });
      expect(r.status).toBe(303);
      const back = new URL(r.headers.get('location')!);
      expect([back.origin + back.pathname, back.searchParams.get('state'), back.searchParams.get('iss')]).toEqual([ask.redirect_uri, 'st-1', e.idp.url]);
      return back.searchParams.get('code')!;
    };
    const redeem = async (c: string, v: string) => {
      const r = await fetch(`${e.idp.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: 'casebridge-web',
          redirect_uri: ask.redirect_uri,
          code: c,
          code_verifier: v,
        }).toString(),
      });
      return { status: r.status, body: (await r.json()) as Record<string, string> };
    };
    const first = await code();
    expect(await redeem(first, crypto.randomBytes(32).toString('base64url'))).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await redeem(first, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } }); // used up by the failed attempt
    const good = await redeem(await code(), verifier);
    expect(good).toMatchObject({ status: 200, body: { token_type: 'Bearer', id_token: expect.any(String), access_token: expect.any(String) } });
    const who = await e.http('GET', '/whoami', { token: good.body.access_token });
    expect(who.body).toMatchObject({ name: 'Lia Liaison', roles: ['liaison'], units: [UNIT] });
  });

  it('signs out: the session ends, and the pages ask to sign in again', async () => {
    const { context, page } = await signIn('Lia Liaison');
    const old = (await context.cookies()).find((c) => c.name === 'cb_session')!.value;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${e.web.url}/web/signed-out`);
    // The old cookie, replayed by hand, opens nothing.
    const replay = await fetch(`${e.web.url}/web/`, { headers: { cookie: `cb_session=${old}` }, redirect: 'manual' });
    expect([replay.status, replay.headers.get('location')]).toEqual([303, '/web/login?return=%2Fweb%2F']);
    await check(page, 'signed-out');
    expect((await context.cookies()).find((c) => c.name === 'cb_session')).toBeUndefined();
    await page.goto(`${e.web.url}/web/`);
    await page.waitForURL((u) => u.pathname === '/oauth/authorize');
    await context.close();
    expect(consoleErrors).toEqual([]);
  });
});
