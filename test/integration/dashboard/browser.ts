// Headless Chromium from Debian (hack/browser/setup.sh), driven by puppeteer-core: no
// browser is downloaded. Each user gets an isolated browser context (own cookies).
// Screenshots go to docs/dashboard/ only with DASHBOARD_SCREENSHOTS=update, so a normal
// test run (CI) never changes the tree.
import { existsSync, mkdirSync } from 'node:fs';
import type { TestContext } from 'node:test';
import puppeteer, { type Browser, type ConsoleMessage, type Page } from 'puppeteer-core';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
  if (found === undefined)
    throw new Error(
      'no Chromium found: run bash hack/browser/setup.sh (Debian package chromium) or set CHROMIUM_PATH',
    );
  return found;
}

export async function launchBrowser(t: TestContext): Promise<Browser> {
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in a container: Chromium's sandbox needs user namespaces it may not get.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--window-size=1280,900'],
    defaultViewport: { width: 1280, height: 900 },
  });
  t.after(() => browser.close());
  return browser;
}

export interface UserPage {
  readonly page: Page;
  /** Console errors and page errors (a CSP violation shows up here). */
  readonly problems: string[];
}

export async function newUserPage(browser: Browser): Promise<UserPage> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (err: unknown) => problems.push(String(err)));
  return { page, problems };
}

export async function loginWithToken(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}login`, { waitUntil: 'load' });
  await page.type('#token', token);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#login-submit')]);
}

const DOCS = new URL('../../../../docs/dashboard/', import.meta.url);

export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env['DASHBOARD_SCREENSHOTS'] !== 'update') return;
  mkdirSync(DOCS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, DOCS).pathname, fullPage: true });
}

export async function text(page: Page, selector: string): Promise<string> {
  // A string function: the root tsconfig has no DOM types for a callback to be checked against.
  const value: unknown = await page.evaluate(
    `document.querySelector(${JSON.stringify(selector)})?.textContent`,
  );
  return typeof value === 'string' ? value : '';
}

/**
 * Clicks inside the page in one step. The views are re-rendered on every pushed change,
 * so an element handle taken a moment earlier may already be replaced.
 */
export async function clickNow(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(selector);
  const clicked: unknown = await page.evaluate(
    `(() => { const el = document.querySelector(${JSON.stringify(selector)}); if (!el || el.disabled) return false; el.click(); return true; })()`,
  );
  if (clicked !== true) throw new Error(`${selector} is missing or disabled`);
}
