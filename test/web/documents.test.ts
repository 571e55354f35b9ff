/**
 * A case's documents in the web app, in Chromium against real processes (identity provider, API with
 * its web app, dev server, worker with a document store): an MLAT case waits for its request's
 * document; a liaison opens the documents from the case page, previews the PDF inline, downloads the
 * DOCX, completes its gaps and uploads it as the next version; the liaison's own approval of the
 * version they wrote is refused on the page (four eyes) with nothing changed; a manager approves it,
 * and the MLAT then goes to the central authority. A coordinator, who approves other kinds but not
 * an MLAT request, is not offered the approval, and a hand-made one is refused with nothing changed.
 */
import fs from 'node:fs';
import { completeDocx } from '../case/document-desk';
import { sampleTip } from '../cli/cli-process';
import { waitFor } from '../harness/wait';
import { check, signIn, submit } from './browser';
import { documentDesk, type DocumentDesk } from '../case/document-desk';
import { startWebEnv, type WebEnv } from './web-env';

const tag = String(Date.now()).slice(-7);
const UNIT = 'unit-d';

interface Lite {
  requests: { requestId: string; kind: string; status: string }[];
}

describe('a case’s documents in the web app', () => {
  let e: WebEnv;
  let caseId: string;
  const consoleErrors: string[] = [];
  const status = (id: string) => e.env.client.workflow.getHandle(id).query<Lite>('status');
  const mlatOf = async () => (await status(caseId)).requests.find((r) => r.kind === 'mlat');

  let desk: DocumentDesk | undefined;
  beforeAll(async () => {
    e = await startWebEnv({ taskQueue: 'web-documents' });
    const coordinator = await e.person('Cody Coordinator', ['coordinator'], [UNIT]);
    await e.person('Lee Liaison', ['liaison'], [UNIT]);
    await e.person('Max Manager', ['manager'], [UNIT]);
    const r = await e.http('POST', '/cases?profile=demo', {
      token: coordinator,
      raw: JSON.stringify(sampleTip('data-abroad-mlat', `${tag}1`)),
      contentType: 'application/x-ndjson',
    });
    expect(r.status).toBe(200);
    caseId = r.body.results[0].caseId;
    // The papers of the case's own requests are approved at the desk; the MLAT's (a child workflow's) are this test's.
    desk = documentDesk(e.env.client, e.documents, new Set([caseId]), (x) => x.workflowId === undefined);
    desk.start(250);
    await waitFor(async () => ((await mlatOf())?.status === 'AWAITING_APPROVAL' ? true : undefined), 90_000);
  });
  afterAll(async () => {
    await desk?.stop();
    await e?.teardown();
  });

  it('lets a liaison preview, download, complete and upload the MLAT request; four eyes refuse their own approval; a coordinator is not offered it; a manager approves and the request is sent', async () => {
    const { context, page } = await signIn(e.browser, e.web.url, 'Lee Liaison', consoleErrors);
    await page.goto(`${e.web.url}/web/cases/${caseId}`);
    await page.locator('a[data-link="documents"]').click();
    await page.waitForURL((u) => u.pathname === `/web/cases/${caseId}/documents`);
    const card = page.locator('section[data-document="mlat-1/mlat-request.en"]');
    await expect(card.locator('[data-document-status]').textContent()).resolves.toBe('DRAFT');
    // The generated draft has gaps only a person can fill: it cannot be approved yet, and the page says so.
    expect(Number(await card.locator('[data-gaps]').getAttribute('data-gaps'))).toBeGreaterThan(0);
    await expect(card.locator('form[data-form^="approve:"]').count()).resolves.toBe(0);
    await expect(page.title()).resolves.toBe('Documents · CaseBridge');
    await check(page, 'documents-draft');

    // Preview: the sending PDF, inline, never cached.
    const preview = await page.request.get(`${e.web.url}${await card.getByRole('link', { name: 'Preview the PDF' }).getAttribute('href')}`);
    expect(preview.status()).toBe(200);
    expect(preview.headers()['content-type']).toBe('application/pdf');
    expect(preview.headers()['content-disposition']).toMatch(/^inline; filename=".+\.pdf"$/);
    expect(preview.headers()['cache-control']).toBe('no-store');
    expect((await preview.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // Download the DOCX as a browser saves it, complete the gaps, upload it.
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download the DOCX to edit' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const completed = await completeDocx(fs.readFileSync(await download.path()));
    const edited = `${await download.path()}-completed.docx`;
    fs.writeFileSync(edited, completed);
    await card.locator('input[type="file"]').setInputFiles(edited);
    expect(await submit(page, card.getByRole('button', { name: 'Upload as version 2' }))).toBe(303);
    const v2 = page.locator('section[data-document="mlat-1/mlat-request.en"]');
    await expect(v2.getByRole('status').textContent()).resolves.toContain('Recorded: the revised version');
    await expect(v2.locator('[data-gaps]').getAttribute('data-gaps')).resolves.toBe('0');
    await expect(v2.locator('tr[data-version]').count()).resolves.toBe(2);

    // The liaison wrote version 2: approving it themselves is refused by the request's workflow (four eyes), shown here, nothing changed.
    expect(await submit(page, v2.getByRole('button', { name: 'Approve version 2 for sending' }))).toBe(409);
    await expect(page.locator('section[data-document="mlat-1/mlat-request.en"] [role="alert"]').textContent()).resolves.toMatch(
      /Not recorded: .*(four|another|wrote)/i,
    );
    expect((await mlatOf())?.status).toBe('AWAITING_APPROVAL');
    await check(page, 'documents-refused');
    await context.close();

    // A coordinator approves other kinds (a warrant application), not an MLAT request: not offered, and a hand-made approval is refused by the request's workflow, nothing changed.
    const c = await signIn(e.browser, e.web.url, 'Cody Coordinator', consoleErrors);
    await c.page.goto(`${e.web.url}/web/cases/${caseId}/documents`);
    await expect(c.page.locator('section[data-document="mlat-1/mlat-request.en"] [data-gaps]').getAttribute('data-gaps')).resolves.toBe('0');
    await expect(c.page.locator('form[data-form^="approve:"]').count()).resolves.toBe(0);
    const manager = await e.person('Max Manager', ['manager'], [UNIT]);
    const before = (await e.http('GET', `/cases/${caseId}/documents`, { token: manager })).body;
    const csrf = await c.page.locator('form[action="/web/logout"] input[name="_csrf"]').getAttribute('value');
    const forced = await c.page.request.post(`${e.web.url}/web/cases/${caseId}/documents/approve`, {
      form: { _csrf: csrf!, doc: 'mlat-1/mlat-request.en', contentHash: before.documents[0].contentHash },
    });
    expect(forced.status()).toBeGreaterThanOrEqual(400);
    expect(await forced.text()).toContain('not a coordinator');
    expect((await e.http('GET', `/cases/${caseId}/documents`, { token: manager })).body).toEqual(before);
    expect((await mlatOf())?.status).toBe('AWAITING_APPROVAL');
    // The document id is checked before any API path is built from it.
    expect((await c.page.request.get(`${e.web.url}/web/cases/${caseId}/documents/file?doc=..%2F..%2Fsecrets&format=pdf`)).status()).toBe(404);
    await c.context.close();

    // A manager approves version 2 by its hash; the MLAT goes to the central authority.
    const m = await signIn(e.browser, e.web.url, 'Max Manager', consoleErrors);
    await m.page.goto(`${e.web.url}/web/cases/${caseId}/documents`);
    const mine = m.page.locator('section[data-document="mlat-1/mlat-request.en"]');
    const hash = await mine.locator('[data-content-hash]').textContent();
    expect(await submit(m.page, mine.getByRole('button', { name: 'Approve version 2 for sending' }))).toBe(303);
    const approved = m.page.locator('section[data-document="mlat-1/mlat-request.en"]');
    await expect(approved.locator('[data-document-status]').textContent()).resolves.toBe('APPROVED');
    await expect(approved.getByRole('status').textContent()).resolves.toContain('Recorded: the approval');
    await expect(approved.locator('form').count()).resolves.toBe(0);
    await check(m.page, 'documents-approved');
    await waitFor(async () => ((await mlatOf())?.status === 'TRANSMITTED' ? true : undefined), 60_000);
    // The approval names the version's hash and the manager in the case's timeline.
    const timeline = await e.env.client.workflow.getHandle(caseId).query<{ actor: string; detail: string }[]>('timeline');
    const line = timeline.find((x) => x.detail.startsWith(`${caseId}/mlat-1:`) && x.detail.includes('approved for sending'));
    expect(line).toMatchObject({ actor: 'Max Manager', detail: expect.stringContaining(`version 2 approved for sending (content sha256 ${hash})`) });
    await m.context.close();
    expect(consoleErrors).toEqual([]);
  });
});
