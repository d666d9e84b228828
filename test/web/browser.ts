/**
 * Debian's Chromium driven by playwright-core (never `npx playwright install`). Missing Chromium
 * is a clear failure: `apt-get install -y chromium fonts-noto-cjk` (CI's .ci/run does it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Screenshots are always taken; they replace the committed ones in docs/screenshots/ only with
 * UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the working tree clean.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../docs/screenshots', import.meta.url)) : path.join(os.tmpdir(), 'parceldesk-screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser profile at `baseUrl`; page errors and console errors are collected for the test to check. */
export async function openPage(browser: Browser, baseUrl: string, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  if (process.env.DEBUG_BROWSER) {
    page.on('console', (m) => console.log('[browser]', m.type(), m.text()));
    page.on('requestfailed', (r) => console.log('[browser] failed', r.url(), r.failure()?.errorText));
  }
  page.on('console', (m) => {
    // A 401 from GET /me (nobody signed in) is logged by Chromium as a failed load: expected, not an error of ours.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

/**
 * Signs a staff member in through the agent workspace's form at `/`, then waits for `ready`
 * (default: the signed-in shell; the inbox's always-present "N new" line is `[data-testid=incoming]`).
 */
export async function signInStaff(page: Page, username: string, password: string, ready = '[data-testid=who]'): Promise<void> {
  await page.goto('/');
  await page.locator('[data-testid=login-form]').waitFor();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator(ready).first().waitFor();
}

/** Signs the browser in as a user through the portal's form. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/portal/signin');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('form button[type=submit]');
  await page.waitForURL(/\/portal\/(tickets|track|chat)/);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The whole visible text of the page must not show a missing translation. */
export async function expectNoMissingKeys(page: Page): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText);
  expect(text).not.toContain('⟦missing:');
}

/** expect.poll with a wait that suits a browser on a loaded machine (the default is 1 s). */
export function eventually<T>(fn: () => T | Promise<T>, timeout = 15_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}
