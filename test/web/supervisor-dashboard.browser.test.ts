/**
 * The supervisor dashboard in a real browser (Debian's Chromium) against a real server and
 * database: a supervisor signs in, opens 主管看板 from the navigation, sees the three charts drawn
 * on canvases (with their text alternatives and non-empty data), the agent status board and the
 * SLA-at-risk list, whose ticket link opens the ticket; at tablet width too. An agent has no
 * dashboard in the navigation and never downloads the ECharts chunk. The time from the click to
 * the drawn charts is measured with the page's performance clock and printed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, screenshot, signInStaff } from './browser.ts';

let h: Harness;
let browser: Browser;
let supervisor: TestUser;
let agent: TestUser;
let teamId: string;
const made: { id: string; number: string }[] = [];

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  teamId = await h.team();
  await h.ctx.db.pool.query(`UPDATE teams SET name = $2 WHERE id = $1`, [teamId, `华东一组 ${h.uid()}`]);
  supervisor = await h.user('supervisor');
  for (const [channel, subject] of [['chat', '快件三天没更新'], ['phone', '改派送地址'], ['chat', '催件'], ['email', '发票问题']] as const) {
    const res = await supervisor.client.post('/api/v1/tickets', { type: 'consultation', channel, subject: `${subject} ${h.uid()}`, teamId, ownerId: null, autoAssign: false });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    made.push({ id: res.body.id, number: res.body.number });
  }
  agent = await h.user('agent', { teamIds: [teamId] });
  const q = (sql: string, p: unknown[]) => h.ctx.db.pool.query(sql, p);
  // Two answered (40 s, 3 min), one met and one late first-response clock, one ticket at risk now, one owned by the agent who is online.
  await q(`UPDATE tickets SET first_responded_at = created_at + interval '40 seconds' WHERE id = $1`, [made[0]!.id]);
  await q(`UPDATE tickets SET first_responded_at = created_at + interval '3 minutes' WHERE id = $1`, [made[1]!.id]);
  await q(`UPDATE sla_clocks SET stopped_at = now(), running_since = NULL, due_at = now() + interval '1 hour' WHERE ticket_id = $1 AND clock = 'first_response'`, [made[0]!.id]);
  await q(`UPDATE sla_clocks SET breached_at = now() - interval '1 minute', due_at = now() - interval '1 minute' WHERE ticket_id = $1 AND clock = 'first_response'`, [made[1]!.id]);
  await q(`UPDATE sla_clocks SET warn_at = now() - interval '1 minute', due_at = now() + interval '20 minutes' WHERE ticket_id = $1 AND clock = 'first_response'`, [made[2]!.id]);
  await q('UPDATE tickets SET owner_id = $2 WHERE id = $1', [made[2]!.id, agent.id]);
  await q(`INSERT INTO chat_presence (user_id, status, capacity, last_seen_at) VALUES ($1, 'online', 3, now())`, [agent.id]);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const signInAt = (page: Page, user: TestUser): Promise<void> => signInStaff(page, user.username, PASSWORD, '[data-testid=ticket-list], [data-testid=who]');

/** Pixels drawn on a chart's canvas (not transparent): a blank canvas has none. */
const inked = (page: Page, testId: string): Promise<number> =>
  page.locator(`[data-testid=${testId}] canvas`).first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });

const CHARTS = ['volume-canvas', 'first-response-canvas', 'sla-canvas'];

describe('the supervisor dashboard', () => {
  it('a supervisor sees the charts drawn, the board and the at-risk list; the list opens the ticket', async () => {
    const { context, page, errors } = await openPage(browser, h.url);
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    try {
      await signInAt(page, supervisor);
      const link = page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '主管看板' });
      expect(scripts.some((u) => /echarts-/.test(u)), 'ECharts before the dashboard is opened').toBe(false);

      // Render time: from the click to all three charts drawn and both lists shown.
      await page.evaluate(() => ((window as unknown as { t0: number }).t0 = performance.now()));
      await link.click();
      await page.waitForURL('**/dashboard');
      for (const c of CHARTS) await page.locator(`[data-testid=${c}] canvas`).waitFor();
      await page.locator('[data-testid=agent-board]').waitFor();
      await page.locator('[data-testid=at-risk-list], [data-testid=at-risk-empty]').first().waitFor();
      const renderMs = await page.evaluate(() => performance.now() - (window as unknown as { t0: number }).t0);
      console.log(`[dashboard] click → charts drawn, board and list shown: ${renderMs.toFixed(0)} ms`);
      expect(renderMs).toBeLessThan(5_000);
      expect(scripts.some((u) => /echarts-/.test(u))).toBe(true);
      expect(await link.getAttribute('aria-current')).toBe('page');

      // Our team only: the numbers are this test's.
      await page.getByLabel('团队').selectOption({ label: (await h.ctx.db.pool.query('SELECT name FROM teams WHERE id = $1', [teamId])).rows[0].name });
      await eventually(() => page.locator('[data-testid=volume-chart] .summary').innerText()).toMatch(/^共 4 张工单:/);
      expect(await page.locator('[data-testid=volume-chart] .summary').innerText()).toContain('在线客服 2 张');
      expect(await page.locator('[data-testid=volume-canvas]').getAttribute('aria-label')).toMatch(/^共 4 张工单/);
      await eventually(() => page.locator('[data-testid=first-response-chart] .summary').innerText()).toContain('4 张工单中 2 张已首次响应');
      expect(await page.locator('[data-testid=first-response-chart] .summary').innerText()).toContain('平均 1 分 50 秒');
      await eventually(() => page.locator('[data-testid=sla-chart] .summary').innerText()).toContain('达标率 50%');
      for (const c of CHARTS) await eventually(() => inked(page, c)).toBeGreaterThan(500);
      // The tables behind the charts: one row per busy hour; the volume chart's sum is 4.
      const hourRows = await page.locator('[data-testid=volume-chart] table tbody tr td:last-child').allTextContents();
      expect(hourRows.map(Number).reduce((a, b) => a + b, 0)).toBe(4);
      const tiles = await page.locator('[data-testid=kpi-tiles] .tile-value').allInnerTexts();
      expect(tiles).toEqual(['4', '3', '1', '1', '4']);

      // The board: the agent is available with one open ticket, one at risk.
      const row = page.locator('[data-testid=board-agent]');
      await eventually(() => row.count()).toBe(1);
      expect(await row.getAttribute('data-presence')).toBe('online');
      expect(await row.innerText()).toContain('可接待');
      expect(await page.locator('[data-testid=team-queue]').innerText()).toBe('未结 4 张,待分配 3 张,排队会话 0 个');

      // The at-risk list: the breached one first (its deadline passed), then the one at risk.
      const items = page.locator('[data-testid=at-risk-list] tbody tr');
      await eventually(() => items.count()).toBe(2);
      expect(await items.nth(0).getAttribute('data-state')).toBe('breached');
      expect(await items.nth(0).innerText()).toContain(made[1]!.number);
      expect(await items.nth(0).innerText()).toContain('超时');
      expect(await items.nth(1).innerText()).toMatch(/即将超时\s+剩 (19|20) 分/);
      await expectNoMissingKeys(page);
      expect(errors).toEqual([]);
      await screenshot(page, 'supervisor-dashboard');

      // Tablet width: one chart per row, nothing wider than the screen.
      await page.setViewportSize({ width: 768, height: 1024 });
      await eventually(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
      const boxes = await Promise.all(CHARTS.map((c) => page.locator(`[data-testid=${c}]`).boundingBox()));
      expect(boxes.every((b) => b !== null && b.width > 600 && b.x + b.width <= 768)).toBe(true);
      await screenshot(page, 'supervisor-dashboard-tablet');
      await page.setViewportSize({ width: 1280, height: 800 });

      await items.nth(1).getByRole('link', { name: made[2]!.number }).click();
      await page.waitForURL(`**/tickets/${made[2]!.id}`);
      await eventually(() => page.locator('h1').innerText()).toBe(made[2]!.number);

      // Back to the dashboard, its chunks now cached: the render alone.
      await page.evaluate(() => ((window as unknown as { t0: number }).t0 = performance.now()));
      await link.click();
      for (const c of CHARTS) await page.locator(`[data-testid=${c}] canvas`).waitFor();
      await page.locator('[data-testid=agent-board]').waitFor();
      await page.locator('[data-testid=at-risk-list]').waitFor();
      const warmMs = await page.evaluate(() => performance.now() - (window as unknown as { t0: number }).t0);
      console.log(`[dashboard] again (chunks cached): ${warmMs.toFixed(0)} ms`);
      // Printed, not judged finely: speed is the benchmarks' and the journey's job; this only catches a hang (it took 2.5 s once with CI at full load).
      expect(warmMs).toBeLessThan(5_000);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an agent has no dashboard in the navigation and never loads ECharts', async () => {
    const { context, page, errors } = await openPage(browser, h.url);
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    try {
      await signInAt(page, agent);
      await page.locator('[data-testid=ticket-list]').waitFor();
      const nav = page.getByRole('navigation', { name: '主导航' });
      expect(await nav.getByRole('link').allInnerTexts()).toEqual(['工单', '在线会话']);
      expect(scripts.some((u) => /echarts-|DashboardPage-/.test(u))).toBe(false);
      // Typing the address: told it is not for agents; the server is not asked.
      const reports: string[] = [];
      page.on('request', (r) => r.url().includes('/api/v1/reports/') && reports.push(r.url()));
      await page.goto('/dashboard');
      await eventually(() => page.locator('[data-testid=dashboard-forbidden]').innerText()).toBe('主管看板仅对组长、主管和管理员开放。');
      expect(reports).toEqual([]);
      expect(scripts.some((u) => /echarts-/.test(u))).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
