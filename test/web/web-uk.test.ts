/**
 * A UK force's web app (CASEBRIDGE_HOME_COUNTRY=GB) in Chromium against real processes: the referral
 * of a US provider's user goes by an overseas production order, which a liaison records as produced
 * through its form; the premises are searched and the suspect arrested on the search; in PACE custody a
 * coordinator is offered the UK forms only, and records the CPS's charge with the DPP's consent, a
 * charge without that consent refused next to its field first. Every page passes axe.
 */
import { documentDesk, type DocumentDesk } from '../case/document-desk';
import { sampleTip } from '../cli/cli-process';
import { waitFor } from '../harness/wait';
import { check, signIn as signInAs, submit } from './browser';
import { startWebEnv, type WebEnv } from './web-env';

const tag = String(Date.now()).slice(-7);
const UNIT = 'force-a';

interface StatusLite {
  stage: string;
  outcome: string | null;
  outcomeReason?: string;
  attention: { reason: string } | null;
  requests: { requestId: string; kind: string; status: string }[];
  custody?: { law: string; decision?: { decision: string; cpsReference?: string; dppConsent?: boolean } } | null;
}

describe('a UK force’s web app in Chromium', () => {
  let e: WebEnv;
  let caseId: string;
  let desk: DocumentDesk | undefined;
  const consoleErrors: string[] = [];
  const status = async () => await e.env.client.workflow.getHandle(caseId).query<StatusLite>('status');
  const signIn = (name: string) => signInAs(e.browser, e.web.url, name, consoleErrors);
  const until = (ok: (s: StatusLite) => boolean, what: string) =>
    waitFor(async () => {
      const s = await status();
      if (s.stage === 'NEEDS_ATTENTION' || (s.stage === 'CLOSED' && !ok(s)))
        throw new Error(`${caseId} is ${s.stage} before ${what}: ${s.outcomeReason ?? s.attention?.reason}`);
      return ok(s) ? s : undefined;
    }, 120_000);

  beforeAll(async () => {
    e = await startWebEnv({ taskQueue: 'web-uk', webSettings: { CASEBRIDGE_HOME_COUNTRY: 'GB' } });
    const coordinator = await e.person('Cora Coordinator', ['coordinator'], [UNIT]);
    await e.person('Lia Liaison', ['liaison'], [UNIT]);
    // Demo timers (a policy day lasts a second): the search is scheduled a day out. Captured just now: the ISP's log retention counts from it.
    const tip = sampleTip('uk-force-referral', `${tag}1`, (t) => {
      for (const c of t.personOrUserReported.ipCaptureEvent ?? []) c.dateTime = new Date().toISOString();
    });
    const r = await e.http('POST', '/cases?profile=demo', { token: coordinator, raw: JSON.stringify(tip), contentType: 'application/x-ndjson' });
    expect(r.status).toBe(200);
    caseId = r.body.results[0].caseId as string;
    // The UK papers (the overseas production order's application, the PACE s.8 information) are approved at the desk.
    desk = documentDesk(e.env.client, e.documents, new Set([caseId]));
    desk.start(250);
  });
  afterAll(async () => {
    await desk?.stop();
    await e?.teardown();
  });

  it('records the overseas production order’s answer through its form, then the CPS’s charge in PACE custody', async () => {
    const ordered = await until((s) => s.requests.some((r) => r.kind === 'cloud-act-order' && r.status === 'SENT'), 'the order served');
    const order = ordered.requests.find((r) => r.kind === 'cloud-act-order')!;
    const short = order.requestId.split('/')[1];

    const liaison = await signIn('Lia Liaison');
    await liaison.page.goto(`${e.web.url}/web/cases/${caseId}`);
    // The page names the case, never the tip's people: the title is the product's.
    expect(await liaison.page.title()).toBe('Case · CaseBridge');
    const produced = liaison.page.locator(`fieldset[data-form="respond:${short}:produced"]`);
    await check(liaison.page, 'uk-case-order');
    await produced.getByLabel('Their reference (required)').fill('OPO-EV-WEB-1');
    expect(await submit(liaison.page, produced.getByRole('button'))).toBe(303);
    await liaison.context.close();

    // The premises searched under the PACE s.8 warrant, the arrest on the search: PACE custody.
    await until((s) => s.stage === 'CUSTODY' && s.custody?.law === 'GB', 'PACE custody');
    const { context, page } = await signIn('Cora Coordinator');
    await page.goto(`${e.web.url}/web/cases/${caseId}`);
    await expect(page.locator('[data-custody]').getAttribute('data-custody')).resolves.toBe('GB');
    const offered = await page.locator('fieldset[data-form^="input:"]').evaluateAll((els) => els.map((x) => x.getAttribute('data-form') ?? ''));
    // The US court's events are not offered under PACE.
    for (const us of ['initial-appearance', 'excludable-delay', 'prosecution-decision', 'indictment']) expect(offered).not.toContain(`input:${us}`);
    expect(offered).toContain('input:charging-decision');
    await check(page, 'uk-case-custody');

    const form = () => page.locator('fieldset[data-form="input:charging-decision"]');
    const fill = async (consent: 'yes' | 'no') => {
      await form().locator('select[name="decision"]').selectOption('charged');
      await form().getByLabel('The CPS’s charging decision').fill('CPS-WEB-1');
      await form().locator('select[name="dppConsent"]').selectOption(consent);
      await form().getByLabel('What the decision rests on (required)').fill('Full Code Test met on the seized devices');
    };
    // A charge for indecent images without the DPP's consent: the case's validator refuses it (409), shown next to the field; nothing recorded.
    await fill('no');
    expect(await submit(page, form().getByRole('button'))).toBe(409);
    await expect(form().locator('[aria-invalid="true"]').getAttribute('name')).resolves.toBe('dppConsent');
    expect((await status()).custody?.decision).toBeUndefined();

    await fill('yes');
    expect(await submit(page, form().getByRole('button'))).toBe(303);
    const closed = await until((s) => s.stage === 'CLOSED', 'the charge');
    expect([closed.outcome, closed.custody?.decision]).toEqual(['CHARGED', expect.objectContaining({ decision: 'charged', cpsReference: 'CPS-WEB-1' })]);
    await context.close();
    expect(consoleErrors).toEqual([]);
  });
});
