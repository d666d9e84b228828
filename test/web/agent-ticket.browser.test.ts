/**
 * The ticket page in a real browser (Debian's Chromium) against a real server and database, on a
 * ticket the size of the demo's (a long timeline, a customer with history, a parcel with its
 * tracking): an agent opens it — its render time is measured — sees the special-group banner and
 * the SLA badges, takes it, changes status (and is refused closing before the customer was told)
 * and priority, reveals the customer's phone with a reason, runs a quote and inserts it into the
 * reply, and hands the ticket over with a reason that the timeline shows; escalates, links and
 * merges (each on the timeline). Screenshots go to docs/screenshots/ (UPDATE_SCREENSHOTS=1).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, screenshot, signInStaff } from './browser.ts';

let h: Harness;
let browser: Browser;
let agent: TestUser;
let colleague: TestUser;
let supervisor: TestUser;

const HOUR = 3600_000;
const iso = (ms: number): string => new Date(Date.now() + ms).toISOString();

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  [agent, colleague, supervisor] = await Promise.all([h.user('agent'), h.user('agent'), h.user('supervisor')]);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/** A ticket like the demo's busiest: an elderly customer with earlier tickets, a parcel with its tracking, 40 timeline entries. */
async function demoSizedTicket(): Promise<{ id: string; number: string; phone: string; waybill: string }> {
  const run = h.uid().toUpperCase();
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const customerId = await h.customer({ name: '李秀英', phone, specialGroups: ['elderly'] });
  const waybill = `TP${run}01`;
  const ops = await h.apiKey('integration');
  await ok(ops.post('/api/v1/shipments', {
    waybill,
    sender: { name: '张伟', phone: '13800138000', address: '北京市朝阳区建国路88号' },
    receiver: { name: '李秀英', phone, address: '上海市浦东新区世纪大道100号' },
    origin: '110105', destination: '310115', product: 'standard', weightKg: 2.5, declaredValue: 500, insured: true, postage: 14,
    itemDescription: '羊毛衫', shippedAt: iso(-72 * HOUR), promisedAt: iso(-12 * HOUR),
  }));
  const codes = ['XD', 'LS', 'FC', 'YS', 'DC', 'FJ', 'FC', 'YS', 'DC', 'FJ', 'DW', 'PJ'];
  await ok(ops.post('/api/v1/shipment-events', { events: codes.map((code, i) => ({ waybill, eventId: `${run}-${i}`, occurredAt: iso(-70 * HOUR + i * 5 * HOUR), code, location: i < 6 ? '北京市' : '上海市', facility: i < 6 ? '北京顺义分拣中心' : '上海青浦分拣中心' })) }));
  for (let i = 0; i < 8; i++) {
    await ok(supervisor.client.post('/api/v1/tickets', { type: 'consultation', channel: i % 2 ? 'phone' : 'chat', subject: `以前的咨询 ${i + 1}`, customerId }), 201);
  }
  const ticket = await ok(supervisor.client.post('/api/v1/tickets', {
    type: 'problem_shipment', channel: 'phone', subject: `快件延误,老人着急 ${run}`, description: '客户反映快件已超时未送达,需要尽快派送。', customerId, waybills: [waybill], tags: ['延误'],
  }), 201);
  expect(ticket.ownerId).toBeNull();
  for (let i = 0; i < 40; i++) {
    await ok(supervisor.client.post(`/api/v1/tickets/${ticket.id}/messages`, { body: `第 ${i + 1} 条跟进记录:已联系网点核实派送情况。`, visibility: 'internal' }), 201);
  }
  return { id: ticket.id, number: ticket.number, phone, waybill };
}

const signInAtRoot = (page: Page, user: TestUser): Promise<void> => signInStaff(page, user.username, PASSWORD, '[data-testid=incoming]');

describe('the agent ticket page', () => {
  it('opens fast, takes, changes status and priority, reveals the phone with a reason, inserts a quote, hands over with a reason', async () => {
    const tk = await demoSizedTicket();
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signInAtRoot(page, agent);

      // Render time, from navigation start of a full load of the ticket URL: when the header and the
      // timeline are on screen (the page is usable), and when every panel has its data too.
      await page.addInitScript(() => {
        const marks: Record<string, number> = {};
        const watch = { main: ['h1', '[data-testid=timeline]', '[data-testid=sla-badges]'], all: ['h1', '[data-testid=timeline]', '[data-testid=customer-history]', '[data-testid=customer-parcels]', '[data-testid=parcel-sentence]'] };
        new MutationObserver(() => {
          for (const [name, sels] of Object.entries(watch)) if (!(name in marks) && sels.every((q) => document.querySelector(q))) marks[name] = performance.now();
        }).observe(document, { childList: true, subtree: true });
        (window as unknown as { __marks: Record<string, number> }).__marks = marks;
      });
      await page.goto(`/tickets/${tk.id}`);
      await page.waitForFunction(() => 'all' in (window as unknown as { __marks: Record<string, number> }).__marks, null, { timeout: 15_000 });
      const marks = await page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);
      const main = Math.round(marks.main!);
      const all = Math.round(marks.all!);
      console.log(`[ticket page] header and timeline on screen ${main} ms after navigation start, every panel with its data ${all} ms (41 timeline entries, 12 tracking events, 9 earlier contacts)`);
      if (process.env.DEBUG_TIMING) console.log(await page.evaluate(() => performance.getEntriesByType('resource').map((r) => `${Math.round(r.startTime)}+${Math.round(r.duration)} ${r.name.replace(location.origin, '')}`).join('\n')));
      // Issue 6's target is 1 s, read from the line above (run alone here: ~0.5–0.75 s usable, ~0.7–1.15 s
      // every panel). The bounds below only catch regressions: test files run side by side on shared
      // cores, and the panels wait on the ticket for its customer and waybill.
      expect(main).toBeLessThan(1500);
      expect(all).toBeLessThan(2500);

      expect(await page.locator('h1').innerText()).toBe(tk.number);
      expect(await page.locator('[data-testid=timeline] li').count()).toBe(41);
      const banner = page.locator('[data-testid=special-banner]');
      expect(await banner.innerText()).toContain('特殊群体客户:老年人');
      expect(await banner.innerText()).toContain('语速放慢');
      expect(await banner.getAttribute('role')).toBe('note');
      const badge = page.locator('[data-testid=sla-badges] li').first();
      expect(await badge.innerText()).toMatch(/剩余 \d/);
      expect(await badge.getAttribute('data-tone')).toBe('ok');
      expect(await page.locator('[data-testid=parcel-sentence]').innerText()).toContain('派送中');
      expect(await page.locator('[data-testid=customer-parcels]').innerText()).toContain(tk.waybill);
      expect(await page.locator('[data-testid=customer-history] li').count()).toBeGreaterThanOrEqual(9);
      // The phone is masked as the API returns it.
      const phoneField = page.locator('[data-testid=customer-phone]');
      expect(await phoneField.innerText()).not.toBe(tk.phone);
      expect(await phoneField.innerText()).toContain(tk.phone.slice(-4));
      await expectNoMissingKeys(page);

      // Take it.
      await page.getByRole('button', { name: '接手工单' }).click();
      await eventually(() => page.locator('[data-testid=owner]').innerText()).toContain('由我负责');

      // Status: only the lifecycle's moves are offered; closing before the customer was told is refused with the server's message.
      const status = page.locator('[data-testid=status-form] select[name=status]');
      expect(await status.locator('option').evaluateAll((os) => os.map((o) => o.textContent))).toEqual(['新建 — 请选择', '处理中', '等待中', '已解决']);
      await status.selectOption('open');
      await page.getByRole('button', { name: '更改状态' }).click();
      await eventually(() => page.locator('[data-testid=ticket-meta]').innerText()).toContain('处理中');
      await status.selectOption('resolved');
      await page.getByRole('button', { name: '更改状态' }).click();
      await eventually(() => page.locator('[data-testid=ticket-meta]').innerText()).toContain('已解决');
      await status.selectOption('closed');
      await page.getByRole('button', { name: '更改状态' }).click();
      await eventually(() => page.locator('[data-testid=status-error]').innerText()).toContain('请先回复客户、告知处理结果,再关闭工单');
      await status.selectOption('open');
      await page.getByRole('button', { name: '更改状态' }).click();
      await eventually(() => page.locator('[data-testid=ticket-meta]').innerText()).toContain('处理中');

      // Priority.
      await page.locator('select[name=priority]').selectOption('urgent');
      await page.locator('[data-testid=fields-form]').getByRole('button', { name: '保存' }).click();
      await eventually(() => page.locator('[data-testid=ticket-meta]').innerText()).toContain('紧急');

      // Reveal the phone: a reason first, the number only after.
      await page.getByRole('button', { name: '查看完整电话' }).click();
      const reveal = page.locator('[data-testid=reveal-form]');
      expect(await reveal.getByRole('button', { name: '确认查看' }).isDisabled()).toBe(true);
      await reveal.getByLabel('查看完整电话的原因').fill('回电确认派送地址');
      await reveal.getByRole('button', { name: '确认查看' }).click();
      await eventually(() => phoneField.innerText()).toBe(tk.phone);
      const { rows } = await h.ctx.db.pool.query<{ data: { field: string; reason: string } }>("SELECT data FROM audit_log WHERE action = 'pii.reveal' AND entity_id = $1", [(await agent.client.get(`/api/v1/tickets/${tk.id}`)).body.customerId]);
      expect(rows.map((r) => r.data)).toEqual([expect.objectContaining({ field: 'phone', reason: '回电确认派送地址' })]);

      // A quote from the parcel's facts, inserted into the reply.
      const quote = page.locator('[data-testid=tool-quote]');
      await quote.locator('summary').click();
      await quote.getByRole('button', { name: '计算' }).click();
      const sentence = await quote.locator('[data-testid=tool-quote-sentence]').innerText();
      expect(sentence).toMatch(/元/);
      await page.locator('#reply-text').fill('您好,');
      await quote.getByRole('button', { name: '将运费报价结果插入回复' }).click();
      await eventually(() => page.locator('#reply-text').inputValue()).toBe(`您好,${sentence}`);
      expect(await page.locator('[data-testid=reply-status]').innerText()).toBe('已插入回复框');
      await expectNoMissingKeys(page);
      await screenshot(page, 'agent-ticket');

      // Hand over with a reason: the timeline shows it.
      const handover = page.locator('[data-testid=handover-form]');
      await page.locator('summary', { hasText: '转交' }).click();
      await handover.locator('select[name=toUserId]').selectOption({ label: colleague.username });
      const reason = '客户要求由熟悉此件的同事跟进';
      await handover.getByLabel('原因').fill(reason);
      await handover.getByRole('button', { name: '确认转交' }).click();
      await eventually(() => page.locator('[data-testid=timeline] li[data-kind=handover]').innerText()).toContain(`原因:${reason}`);
      await eventually(() => page.locator('[data-testid=owner]').innerText()).toContain('由其他客服负责');
      expect((await agent.client.get(`/api/v1/tickets/${tk.id}`)).body).toMatchObject({ ownerId: colleague.id, priority: 'urgent', status: 'open' });

      // Tablet width: no sideways scrolling.
      await page.setViewportSize({ width: 768, height: 1024 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
      await screenshot(page, 'agent-ticket-tablet');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('escalates with owner, deadline and reason; links to another ticket; merges a duplicate — each on the timeline', async () => {
    const run = h.uid();
    const customerId = await h.customer({ name: '王芳' });
    const make = async (subject: string): Promise<{ id: string; number: string }> =>
      ok(supervisor.client.post('/api/v1/tickets', { type: 'problem_shipment', channel: 'phone', subject: `${subject} ${run}`, customerId, ownerId: agent.id }), 201);
    const [main, other, duplicate] = [await make('快件破损'), await make('同一客户的另一件快件'), await make('快件破损(重复来电)')];
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signInAtRoot(page, agent);
      await page.goto(`/tickets/${main.id}`);
      await eventually(() => page.locator('h1').innerText()).toBe(main.number);
      const timeline = page.locator('[data-testid=timeline]');

      // Escalate to a senior colleague with a reply deadline two hours on (entered in the browser's own zone).
      const deadline = await page.evaluate(() => {
        const d = new Date(Date.now() + 2 * 3600_000);
        d.setSeconds(0, 0);
        const two = (n: number) => String(n).padStart(2, '0');
        return { local: `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`, iso: d.toISOString() };
      });
      await page.locator('summary', { hasText: '升级' }).click();
      const escalate = page.locator('[data-testid=escalate-form]');
      await escalate.locator('select[name=level]').selectOption('senior');
      await escalate.locator('select[name=ownerId]').selectOption({ label: colleague.username });
      await escalate.getByLabel('答复期限').fill(deadline.local);
      const escReason = '客户要求赔偿,需资深客服核定';
      await escalate.getByLabel('原因').fill(escReason);
      await escalate.getByRole('button', { name: '确认升级' }).click();
      await eventually(() => page.locator('[data-testid=escalate-status]').innerText()).toBe('已升级');
      await eventually(() => timeline.locator('li[data-kind=escalation]').innerText()).toContain(`原因:${escReason}`);
      expect(await timeline.locator('li[data-kind=escalation] [data-testid=event-author]').innerText()).toContain(agent.username);
      const escalations = await ok(agent.client.get(`/api/v1/tickets/${main.id}/escalations`));
      expect(escalations.items ?? escalations).toEqual([expect.objectContaining({ level: 'senior', ownerId: colleague.id, reason: escReason, deadlineAt: deadline.iso })]);

      // Link it with the customer's other ticket, by number.
      await page.locator('summary', { hasText: '合并 / 关联' }).click();
      const related = page.locator('[data-testid=related-form]');
      await related.locator('select[name=kind]').selectOption('related');
      await related.getByLabel('另一工单编号').fill(other.number);
      await related.getByRole('button', { name: '确认关联' }).click();
      await eventually(() => page.locator('[data-testid=related-status]').innerText()).toBe(`已关联 ${other.number}`);
      await eventually(() => timeline.locator('li[data-kind=link] [data-testid=event-related]').innerText()).toBe(`与 ${other.number} 关联`);
      expect(await ok(agent.client.get(`/api/v1/tickets/${main.id}/links`))).toEqual(expect.objectContaining({ items: [expect.objectContaining({ otherId: other.id, kind: 'related' })] }));

      // Merge the repeat call's ticket into this one: it is closed and points here; this timeline shows both.
      await page.goto(`/tickets/${duplicate.id}`);
      await eventually(() => page.locator('h1').innerText()).toBe(duplicate.number);
      await page.locator('summary', { hasText: '合并 / 关联' }).click();
      await related.locator('select[name=kind]').selectOption('merge');
      await related.getByLabel('另一工单编号').fill(main.number);
      await related.getByRole('button', { name: '确认合并' }).click();
      await eventually(() => page.locator('[data-testid=related-status]').innerText()).toBe(`已合并到 ${main.number}`);
      expect(await ok(agent.client.get(`/api/v1/tickets/${duplicate.id}`))).toMatchObject({ mergedIntoId: main.id, status: 'closed' });
      await eventually(() => timeline.locator('li[data-kind=merge] [data-testid=event-related]').innerText()).toBe(`已合并到 ${main.number}`);
      await page.goto(`/tickets/${main.id}`);
      await eventually(() => timeline.locator('[data-testid=event-related]').allInnerTexts()).toEqual(expect.arrayContaining([`${duplicate.number} 已并入本工单`, `已合并到 ${main.number}`, `与 ${other.number} 关联`]));
      await expectNoMissingKeys(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
