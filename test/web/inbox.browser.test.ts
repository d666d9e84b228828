/**
 * The inbox in a real browser (Debian's Chromium) against a real server and the suite's shared
 * database: an agent signs in, sees their own tickets, switches to the team queue, filters by
 * priority, saves the view, moves with j/k and opens a ticket with Enter; a ticket created through
 * the API meanwhile is announced as "1 new" and shown on top without a reload. The inbox's render
 * time (navigation start → first rows) is measured and printed. Screenshots with UPDATE_SCREENSHOTS=1.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, screenshot } from './browser.ts';

let h: Harness;
let browser: Browser;
let agent: TestUser;
let lead: TestUser;
let team: string;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  // A team of this test's own, over the tickets the rest of the suite writes into the shared
  // database (no demo seed here: its 300 parcels would land in other tests' delay regions).
  team = await h.team();
  agent = await h.user('agent', { teamIds: [team] });
  lead = await h.user('team_lead', { teamIds: [team], leadOf: [team] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function ticket(by: TestUser, body: Record<string, unknown>): Promise<{ id: string; number: string; subject: string }> {
  const res = await by.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const rows = (page: Page) => page.locator('[data-testid=ticket-list] tbody tr');
const rowIds = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));
const focusedId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id ?? null);

describe('the inbox', () => {
  it('views, filters, saved views, keyboard, and a new ticket arriving live', async () => {
    const tag = h.uid();
    const mine = await ticket(agent, { teamId: team, subject: `我的件 ${tag}` });
    const urgent = await ticket(lead, { teamId: team, ownerId: null, autoAssign: false, priority: 'urgent', subject: `急件 ${tag}` });
    const normal = await ticket(lead, { teamId: team, ownerId: null, autoAssign: false, subject: `普通件 ${tag}` });

    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await page.goto('/');
      await page.getByLabel('用户名').fill(agent.username);
      await page.getByLabel('密码').fill(PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      // The default queue: my tickets.
      await eventually(() => rowIds(page)).toEqual([mine.id]);
      expect(await page.locator('h1').innerText()).toBe('我的工单');
      await eventually(() => page.locator('[data-testid=live-status]').innerText()).toBe('实时更新中');

      // Another queue: my team, newest first.
      await page.getByRole('link', { name: '我的小组' }).click();
      await page.waitForURL('**/tickets?queue=team');
      await eventually(() => rowIds(page)).toEqual([normal.id, urgent.id, mine.id]);

      // A filter, then saved as a view of my own.
      await page.getByLabel('优先级').selectOption('urgent');
      await page.waitForURL('**/tickets?queue=team&priority=urgent');
      await eventually(() => rowIds(page)).toEqual([urgent.id]);
      await page.getByLabel('视图名称').fill(`组内急件 ${tag}`);
      await page.getByRole('button', { name: '保存当前视图' }).click();
      const saved = page.locator('[data-testid=saved-views]').getByRole('link', { name: `组内急件 ${tag}` });
      await saved.waitFor();
      expect(await saved.getAttribute('aria-current')).toBe('page');
      await expectNoMissingKeys(page);

      // Back to the whole team queue; the keyboard moves the visible focus and Enter opens.
      await page.getByLabel('优先级').selectOption('');
      await eventually(() => rowIds(page)).toEqual([normal.id, urgent.id, mine.id]);
      // The first key enters the list on the row last focused (the urgent one, kept across the filter change).
      await page.locator('h1').click();
      await page.keyboard.press('j');
      expect(await focusedId(page)).toBe(urgent.id);
      await page.keyboard.press('j');
      await page.keyboard.press('ArrowDown');
      expect(await focusedId(page)).toBe(mine.id);
      await page.keyboard.press('k');
      await page.keyboard.press('ArrowUp');
      expect(await focusedId(page)).toBe(normal.id);
      await page.keyboard.press('j');
      expect(await focusedId(page)).toBe(urgent.id);
      const outline = await page.locator(`tr[data-id="${urgent.id}"] td`).first().evaluate((td) => getComputedStyle(td).boxShadow);
      expect(outline).not.toBe('none');
      await screenshot(page, 'agent-inbox');

      // Meanwhile a ticket is created through the API: announced, not pushed under the cursor.
      const arrived = await ticket(lead, { teamId: team, ownerId: null, autoAssign: false, subject: `新来的 ${tag}` });
      const incoming = page.locator('[data-testid=incoming] button');
      await eventually(() => incoming.innerText()).toBe('有 1 张新工单,点击显示');
      expect(await rowIds(page)).toEqual([normal.id, urgent.id, mine.id]);
      expect(await focusedId(page)).toBe(urgent.id);
      await screenshot(page, 'agent-inbox-new');
      await incoming.click();
      await eventually(() => rowIds(page)).toEqual([arrived.id, normal.id, urgent.id, mine.id]);
      expect(await page.locator(`tr[data-id="${arrived.id}"]`).innerText()).toContain('新');
      // A reply on a listed ticket marks its row in place.
      await lead.client.post(`/api/v1/tickets/${normal.id}/messages`, { body: '您好,正在为您核实。', visibility: 'public' });
      await page.locator(`tr[data-id="${normal.id}"] [data-testid=new-message]`).waitFor();
      expect(await rowIds(page)).toEqual([arrived.id, normal.id, urgent.id, mine.id]);

      // Enter opens the focused ticket.
      await page.locator(`tr[data-id="${urgent.id}"]`).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/tickets/${urgent.id}`);
      await eventually(() => page.locator('h1').innerText()).toBe(urgent.number);

      // Tablet width: one column, still usable.
      await page.setViewportSize({ width: 768, height: 1024 });
      await page.goto('/tickets?queue=team');
      await eventually(() => rowIds(page)).toEqual([arrived.id, normal.id, urgent.id, mine.id]);
      await screenshot(page, 'agent-inbox-tablet');
      await page.setViewportSize({ width: 1280, height: 800 });

      // Render time over the shared test database's tickets: a fresh load of all tickets, navigation start → first rows.
      await page.goto('/tickets?queue=all');
      await rows(page).first().waitFor();
      const timing = await page.evaluate(() => {
        const mark = performance.getEntriesByName('inbox:first-rows')[0];
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const at = (part: string) => {
          const r = performance.getEntriesByType('resource').find((e) => e.name.includes(part)) as PerformanceResourceTiming | undefined;
          return r ? `${r.startTime.toFixed(0)}–${r.responseEnd.toFixed(0)}` : '?';
        };
        return {
          firstRows: mark?.startTime ?? null,
          domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
          me: at('/api/v1/me'),
          list: at('/api/v1/tickets?'),
          all: performance.getEntriesByType("resource").map((e) => `${e.name.replace(location.origin, "")} ${e.startTime.toFixed(0)}-${(e as PerformanceResourceTiming).responseEnd.toFixed(0)}`).join(" | "),
          rows: document.querySelectorAll('[data-testid=ticket-list] tbody tr').length,
        };
      });
      console.log(`inbox render: first ${timing.rows} rows at ${timing.firstRows?.toFixed(0)} ms after navigation start (DOMContentLoaded ${timing.domContentLoaded?.toFixed(0)} ms, GET /me ${timing.me} ms, GET /tickets ${timing.list} ms)`, process.env.DEBUG_TIMING ? timing.all : "");
      expect(timing.firstRows).not.toBeNull();
      expect(timing.rows).toBeGreaterThan(0);
      // Issue 6's target is 1 s; the bound here leaves room for a machine shared with other runs.
      expect(timing.firstRows!).toBeLessThan(3_000);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
