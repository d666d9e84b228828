/**
 * The inbox in a real browser (Debian's Chromium) against a real server and the suite's shared
 * database: an agent signs in, sees their own tickets, switches to the team queue, filters by two
 * priorities at once, saves the view, renames it and reorders two views, moves with j/k and opens a ticket with Enter;
 * a ticket created through the API meanwhile is announced as "1 new" and shown on top without a
 * reload; a ticket handed over into the team (not listed) is announced as updated, and one handed
 * out of it is marked in place until the list is tidied. The inbox's render
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
let otherTeam: string;
let otherLead: TestUser;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  // A team of this test's own, over the tickets the rest of the suite writes into the shared
  // database (no demo seed here: its 300 parcels would land in other tests' delay regions).
  team = await h.team();
  agent = await h.user('agent', { teamIds: [team] });
  lead = await h.user('team_lead', { teamIds: [team], leadOf: [team] });
  otherTeam = await h.team();
  otherLead = await h.user('team_lead', { teamIds: [otherTeam], leadOf: [otherTeam] });
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
const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

describe('the inbox', () => {
  it('views, filters, saved views, keyboard, and a new ticket arriving live', async () => {
    const tag = h.uid();
    const mine = await ticket(agent, { teamId: team, subject: `我的件 ${tag}` });
    const urgent = await ticket(lead, { teamId: team, ownerId: null, autoAssign: false, priority: 'urgent', subject: `急件 ${tag}` });
    const high = await ticket(lead, { teamId: team, ownerId: null, autoAssign: false, priority: 'high', subject: `加急件 ${tag}` });

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
      await eventually(() => rowIds(page)).toEqual([high.id, urgent.id, mine.id]);

      // A filter with two values (any of them), then saved as a view of my own.
      const priority = page.locator('[data-testid="filter-优先级"]');
      await priority.locator('summary').click();
      const choices = page.getByRole('group', { name: '优先级' });
      await choices.getByLabel('紧急').check();
      await page.waitForURL('**/tickets?queue=team&priority=urgent');
      await eventually(() => rowIds(page)).toEqual([urgent.id]);
      await choices.getByLabel('高').check();
      await page.waitForURL('**/tickets?queue=team&priority=urgent%2Chigh');
      await eventually(() => rowIds(page)).toEqual([high.id, urgent.id]);
      expect(await priority.locator('summary').innerText()).toContain('紧急、高');
      await screenshot(page, 'agent-inbox-filter');
      await priority.locator('summary').click();
      await page.getByLabel('视图名称').fill(`组内急件 ${tag}`);
      await page.getByRole('button', { name: '保存当前视图' }).click();
      const savedViews = page.locator('[data-testid=saved-views]');
      const saved = savedViews.getByRole('link', { name: `组内急件 ${tag}` });
      await saved.waitFor();
      expect(await saved.getAttribute('aria-current')).toBe('page');
      await expectNoMissingKeys(page);

      // Renamed in place: Enter saves, the view stays current, the server has the new name and the same filters.
      await savedViews.getByRole('button', { name: `重命名视图「组内急件 ${tag}」` }).click();
      const nameField = savedViews.getByLabel(`视图「组内急件 ${tag}」的新名称`);
      await nameField.fill(`组内急件和加急 ${tag}`);
      await nameField.press('Enter');
      const renamed = savedViews.getByRole('link', { name: `组内急件和加急 ${tag}` });
      await renamed.waitFor();
      expect(await renamed.getAttribute('aria-current')).toBe('page');
      expect(await focusedLabel(page)).toBe(`重命名视图「组内急件和加急 ${tag}」`);
      const stored = (await agent.client.get('/api/v1/me/views')).body.items.filter((v: { name: string }) => v.name.endsWith(tag));
      expect(stored).toEqual([expect.objectContaining({ name: `组内急件和加急 ${tag}`, filters: { queue: 'team', priority: ['urgent', 'high'] } })]);

      // A second view, then moved above the first with the keyboard; the focus follows the moved view.
      await page.getByLabel('视图名称').fill(`备用视图 ${tag}`);
      await page.getByRole('button', { name: '保存当前视图' }).click();
      const viewNames = () => savedViews.getByRole('link').allInnerTexts();
      await eventually(viewNames).toEqual([`备用视图 ${tag}`, `组内急件和加急 ${tag}`].sort());
      const lower = (await viewNames())[1]!;
      await savedViews.getByRole('button', { name: `上移视图「${lower}」` }).focus();
      await page.keyboard.press('Enter');
      await eventually(viewNames).toEqual([lower, (await viewNames()).find((n) => n !== lower)]);
      // At the top now: ↑ is disabled, the focus went to ↓ of the same view.
      await eventually(() => focusedLabel(page)).toBe(`下移视图「${lower}」`);
      expect(await savedViews.getByRole('button', { name: `上移视图「${lower}」` }).isDisabled()).toBe(true);
      expect((await agent.client.get('/api/v1/me/views')).body.items.map((v: { name: string }) => v.name)).toEqual(await viewNames());
      await savedViews.getByRole('button', { name: `删除视图「备用视图 ${tag}」` }).click();
      await eventually(viewNames).toEqual([`组内急件和加急 ${tag}`]);

      // Back to the whole team queue; the keyboard moves the visible focus and Enter opens.
      await priority.locator('summary').click();
      await choices.getByRole('button', { name: '清除此项筛选' }).click();
      await page.waitForURL('**/tickets?queue=team');
      // A click elsewhere closes the choices.
      await page.locator('h1').click();
      expect(await priority.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      await eventually(() => rowIds(page)).toEqual([high.id, urgent.id, mine.id]);
      // The first key enters the list on the row last focused (the urgent one, kept across the filter change).
      await page.locator('h1').click();
      await page.keyboard.press('j');
      expect(await focusedId(page)).toBe(urgent.id);
      await page.keyboard.press('j');
      await page.keyboard.press('ArrowDown');
      expect(await focusedId(page)).toBe(mine.id);
      await page.keyboard.press('k');
      await page.keyboard.press('ArrowUp');
      expect(await focusedId(page)).toBe(high.id);
      await page.keyboard.press('j');
      expect(await focusedId(page)).toBe(urgent.id);
      const outline = await page.locator(`tr[data-id="${urgent.id}"] td`).first().evaluate((td) => getComputedStyle(td).boxShadow);
      expect(outline).not.toBe('none');
      await screenshot(page, 'agent-inbox');

      // Meanwhile a ticket is created through the API: announced, not pushed under the cursor.
      const arrived = await ticket(lead, { teamId: team, ownerId: null, autoAssign: false, subject: `新来的 ${tag}` });
      const incoming = page.locator('[data-testid=incoming] button');
      await eventually(() => incoming.innerText()).toBe('有 1 张新工单,点击显示');
      expect(await rowIds(page)).toEqual([high.id, urgent.id, mine.id]);
      expect(await focusedId(page)).toBe(urgent.id);
      await screenshot(page, 'agent-inbox-new');
      await incoming.click();
      await eventually(() => rowIds(page)).toEqual([arrived.id, high.id, urgent.id, mine.id]);
      expect(await page.locator(`tr[data-id="${arrived.id}"]`).innerText()).toContain('新');
      // A reply on a listed ticket marks its row in place.
      await lead.client.post(`/api/v1/tickets/${high.id}/messages`, { body: '您好,正在为您核实。', visibility: 'public' });
      await page.locator(`tr[data-id="${high.id}"] [data-testid=new-message]`).waitFor();
      expect(await rowIds(page)).toEqual([arrived.id, high.id, urgent.id, mine.id]);

      // A ticket of another team, not listed, handed over into mine: announced as updated, not pushed in.
      const elsewhere = await ticket(otherLead, { teamId: otherTeam, subject: `转来的 ${tag}` });
      const moved = await otherLead.client.post(`/api/v1/tickets/${elsewhere.id}/handover`, { toTeamId: team, reason: '归属该组处理' });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      await eventually(() => incoming.innerText()).toBe('有 1 张工单有更新并符合此视图,点击显示');
      // And one of the list handed out of the team: marked where it is, the rows not moving.
      const out = await agent.client.post(`/api/v1/tickets/${mine.id}/handover`, { toTeamId: otherTeam, reason: '转给其他组' });
      expect(out.status, JSON.stringify(out.body)).toBe(200);
      await page.locator(`tr[data-id="${mine.id}"] [data-testid=gone]`).waitFor();
      expect(await page.locator(`tr[data-id="${mine.id}"]`).getAttribute('class')).toContain('row-gone');
      expect(await rowIds(page)).toEqual([arrived.id, high.id, urgent.id, mine.id]);
      await incoming.click();
      await eventually(() => rowIds(page)).toEqual([elsewhere.id, arrived.id, high.id, urgent.id]);
      expect(await page.locator('[data-testid=incoming]').innerText()).toBe('');

      // Enter opens the focused ticket.
      await page.locator(`tr[data-id="${urgent.id}"]`).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/tickets/${urgent.id}`);
      await eventually(() => page.locator('h1').innerText()).toBe(urgent.number);

      // Tablet width: one column, still usable.
      await page.setViewportSize({ width: 768, height: 1024 });
      await page.goto('/tickets?queue=team');
      await eventually(() => rowIds(page)).toEqual([elsewhere.id, arrived.id, high.id, urgent.id]);
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
