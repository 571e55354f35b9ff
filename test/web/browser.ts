/**
 * What the browser tests share: axe-core run in the page (no serious or critical violation), a form
 * submitted by its button with the answering page awaited, a screenshot into test-results/web/, and
 * signing in by the code flow at the identity provider's login page.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { SHOTS } from './web-env';

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** axe-core in the page (evaluated through the DevTools protocol, which the page's CSP does not govern). */
export async function axe(page: Page): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- axe's global, injected above
    const g = globalThis as any;
    const r = await g.axe.run(g.document, { resultTypes: ['violations'] });
    const violations = (r.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
    return { violations, rules: (r.passes.length as number) + violations.length };
  });
  // axe ran its rules on this page (an empty answer because nothing was checked would prove nothing).
  expect(result.rules).toBeGreaterThan(10);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Submits a form by its button and waits for the page that answers it; returns the POST's status. */
export async function submit(page: Page, button: Locator): Promise<number> {
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/web/')),
    // The page that answers: the POST's own (a refusal) or the one its 303 leads to.
    page.waitForEvent('load'),
    button.click(),
  ]);
  return answer.status();
}

export async function check(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  expect(await axe(page)).toEqual([]);
}

/**
 * Signs `name` in (password `pw-<name>`, as WebEnv.person sets it) in a new browser context; console
 * errors other than the HTTP statuses a test asserts are collected into `consoleErrors`.
 */
export async function signIn(browser: Browser, webUrl: string, name: string, consoleErrors: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // HTTP statuses are asserted where they are expected; anything else (a CSP refusal, a script error) is a failure.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded with a status of'))
      consoleErrors.push(`${name}: ${m.text()}`);
  });
  await page.goto(`${webUrl}/web/`);
  await page.waitForURL((u) => u.pathname === '/oauth/authorize');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(`pw-${name}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.origin === webUrl && u.pathname === '/web/');
  return { context, page };
}
