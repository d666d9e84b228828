/**
 * 话术 / Scripts beside a ticket, in a real browser (Debian's Chromium) against a real server and
 * the suite's shared database (its default KB seed is there; the script this test inserts is its
 * own, written and approved through the API): the panel suggests scripts for a damaged-parcel
 * ticket and says why; a search shows the hit with its highlights as <mark>; Insert puts the
 * script, filled in with the customer's salutation, the waybill and its expected delivery, into
 * the reply box, and the insert is recorded once (a retry with its eventId records nothing more);
 * on a ticket without a waybill the unfilled variables stay visible and are named.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, screenshot, signInStaff } from './browser.ts';

let h: Harness;
let browser: Browser;
let agent: TestUser;
let writer: TestUser;
let lead: TestUser;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  const team = await h.team();
  [agent, writer, lead] = await Promise.all([h.user('agent', { teamIds: [team] }), h.user('agent', { teamIds: [team] }), h.user('team_lead', { teamIds: [team], leadOf: [team] })]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

const SCRIPT = '{客户称呼}好,{公司}客服提醒:您的快件{运单号}预计{预计送达}送达,送货师傅会提前联系您,请保持电话畅通。';

const reply = (page: Page) => page.locator('#reply-text');

describe('the scripts panel', () => {
  it('suggests with reasons, searches with highlights, inserts the filled-in script into the reply and records it once', async () => {
    const run = h.uid();
    const word = `派前提醒${run}`;
    const title = `${word} 预计送达通知`;
    const draft = await ok(writer.client.post('/api/v1/kb/articles', { kind: 'script', audience: 'internal', title, body: SCRIPT, tags: ['提醒'], appliesTo: ['delayed'] }), 201);
    await ok(writer.client.post(`/api/v1/kb/articles/${draft.id}/submit`));
    const script = await ok(lead.client.post(`/api/v1/kb/articles/${draft.id}/approve`, {}));

    const waybill = `SP${run.toUpperCase()}01`.slice(0, 20);
    const ops = await h.apiKey('integration');
    await ok(ops.post('/api/v1/shipments', {
      waybill, origin: '110105', destination: '310115', promisedAt: '2026-12-20T10:00:00.000Z',
      sender: { name: '张伟', phone: '13800001111', address: '建国路88号' }, receiver: { name: '王建国', phone: '13900002222', address: '世纪大道100号' },
    }));
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const customer = await ok(agent.client.post('/api/v1/customers', { name: '王建国', phone, salutation: '王先生' }), 201);
    const ticket = await ok(agent.client.post('/api/v1/tickets', { type: 'problem_shipment', channel: 'chat', subject: `快件外箱破损 ${run}`, customerId: customer.id, waybills: [waybill] }), 201);
    const bare = await ok(agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: `没有单号的咨询 ${run}` }), 201);

    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signInStaff(page, agent.username, PASSWORD, '[data-testid=incoming]');
      await page.goto(`/tickets/${ticket.id}`);
      const panel = page.getByRole('region', { name: '话术' });
      await panel.waitFor();

      // Suggestions for a damaged parcel, each saying why.
      const suggested = panel.locator('[data-testid=suggested-scripts] > li');
      await suggested.first().waitFor();
      expect(await suggested.count()).toBeGreaterThan(0);
      expect(await panel.locator('[data-testid=suggested-scripts]').innerText()).toContain('推荐原因:包裹情况(破损)');

      // Search: the hit's title with its highlight as <mark> (text, not HTML), read whole by a screen reader.
      await panel.getByLabel('搜索话术').fill(word);
      const hits = panel.getByRole('list', { name: '话术搜索结果' });
      const hit = hits.locator('li').filter({ hasText: title });
      await hit.waitFor();
      expect(await hits.locator('li').first().locator('.script-title').innerText()).toBe(title);
      expect(await hit.locator('.script-title mark').count()).toBeGreaterThan(0);
      expect(await hit.locator('.script-title').evaluate((el) => [...el.querySelectorAll('*')].every((c) => c.tagName === 'MARK'))).toBe(true);
      await expectNoMissingKeys(page);

      // Insert: the script filled in for this ticket lands in the reply box, named under the panel.
      await reply(page).fill('');
      await hit.getByRole('button', { name: `插入话术「${title}」` }).click();
      await eventually(() => reply(page).inputValue()).toContain('王先生好');
      const inserted = await reply(page).inputValue();
      expect(inserted).toMatch(new RegExp(`^王先生好,顺达客服提醒:您的快件${waybill}预计.+送达,送货师傅会提前联系您,请保持电话畅通。$`));
      expect(inserted).not.toContain('{');
      expect(await panel.locator('[data-testid=script-outcome]').innerText()).toBe(`已将「${title}」插入回复框`);
      await screenshot(page, 'agent-scripts');

      // Recorded once, as this agent's insert on this ticket; its eventId makes a retry a no-op that renders the same text.
      const { rows } = await h.ctx.db.pool.query<{ kind: string; ticket_id: string; event_id: string | null }>(
        `SELECT kind, ticket_id, event_id FROM kb_usage WHERE article_id = $1 AND user_id = $2 AND kind = 'insert'`, [script.id, agent.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'insert', ticket_id: ticket.id });
      expect(rows[0]!.event_id).toMatch(/^[0-9a-f-]{36}$/);
      const retry = await ok(agent.client.post(`/api/v1/kb/articles/${script.id}/render`, { ticketId: ticket.id, eventId: rows[0]!.event_id }));
      expect(retry).toMatchObject({ text: inserted, missing: [], recorded: false });
      expect((await ok(agent.client.get(`/api/v1/kb/articles/${script.id}`))).usageCount).toBe(1);
      // Inserted from a search: the search click too, with the search and the rank.
      await eventually(async () => (await h.ctx.db.pool.query(
        `SELECT rank, search_id IS NOT NULL AS "fromSearch", ticket_id FROM kb_usage WHERE article_id = $1 AND user_id = $2 AND kind = 'search_click'`, [script.id, agent.id])).rows)
        .toEqual([{ rank: 1, fromSearch: true, ticket_id: ticket.id }]);

      // A ticket without a waybill or customer: what could not be filled stays visible and is named.
      await page.goto(`/tickets/${bare.id}`);
      await panel.getByLabel('搜索话术').fill(word);
      await hits.locator('li').filter({ hasText: title }).getByRole('button', { name: `插入话术「${title}」` }).click();
      await eventually(() => reply(page).inputValue()).toContain('「{运单号}」');
      expect(await reply(page).inputValue()).toBe('您好,顺达客服提醒:您的快件「{运单号}」预计「{预计送达}」送达,送货师傅会提前联系您,请保持电话畅通。');
      expect(await panel.locator('.script-missing').innerText()).toBe('以下信息未能自动填写,已在回复中标出,请补充后再发送:运单号、预计送达');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
