/**
 * The customer portal in a real browser (Debian's Chromium) against a real server: Chinese first,
 * English switchable and remembered; "my tickets" and "track my parcel" with data made here; the
 * widget tag opening the chat iframe; a phone-width layout; the help centre and its search.
 * Screenshots go to docs/screenshots/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, PHONE, screenshot, signIn } from './browser.ts';

let h: Harness;
let browser: Browser;
let agent: TestUser;
let ops: Client;
const servers: http.Server[] = [];

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  agent = await h.user('agent');
  ops = await h.apiKey('integration');
});
afterAll(async () => {
  for (const s of servers) s.close();
  await browser?.close();
  await h?.close();
});

const randomPhone = (): string => `13${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

describe('language', () => {
  it('loads in Chinese, switches to English, remembers it, and shows no missing key in either', async () => {
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await page.goto('/portal/');
      await eventually(() => page.locator('h1').first().textContent()).toBe('在线客服');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await page.locator('nav').innerText()).toContain('我的工单');
      expect(await page.title()).toBe('Parceldesk 客户服务');
      await expectNoMissingKeys(page);

      await page.click('[data-testid=lang-toggle]');
      await eventually(() => page.locator('h1').first().textContent()).toBe('Live chat');
      expect(await page.locator('nav').innerText()).toContain('My tickets');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await expectNoMissingKeys(page);

      // Remembered across a reload and on other pages.
      await page.goto('/portal/track');
      await eventually(() => page.locator('nav').innerText()).toContain('Track a parcel');
      await eventually(() => page.locator('body').innerText()).toContain('Please sign in to track a parcel.');
      await expectNoMissingKeys(page);

      await page.click('[data-testid=lang-toggle]');
      await eventually(() => page.locator('body').innerText()).toContain('查询快递需要先登录。');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('my tickets', () => {
  it('a signed-in customer sees their tickets and a ticket’s public timeline, never internal notes or others’ tickets', async () => {
    const customerId = await h.customer({ name: '李娜' });
    const customer = await h.user('customer', { customerId });
    const other = await h.customer();
    const mine = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: `快件三天没有更新 ${h.uid()}`, customerId });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const second = await agent.client.post('/api/v1/tickets', { type: 'complaint', channel: 'email', subject: `派件员态度问题 ${h.uid()}`, customerId });
    expect(second.status).toBe(201);
    const theirs = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: `别人的工单 ${h.uid()}`, customerId: other });
    expect(theirs.status).toBe(201);
    const reply = `您好,您的快件已在上海青浦分拣中心,预计明天送达。${h.uid()}`;
    expect((await agent.client.post(`/api/v1/tickets/${mine.body.id}/messages`, { body: reply, visibility: 'public' })).status).toBe(201);
    const note = `内部备注:联系网点核实 ${h.uid()}`;
    expect((await agent.client.post(`/api/v1/tickets/${mine.body.id}/messages`, { body: note, visibility: 'internal' })).status).toBe(201);

    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await page.goto('/portal/tickets');
      await eventually(() => page.locator('body').innerText()).toContain('请先登录再查看此页面。');
      await signIn(page, customer.username, PASSWORD);
      const list = page.locator('[data-testid=ticket-list]');
      await list.waitFor();
      const text = await list.innerText();
      expect(text).toContain(mine.body.number);
      expect(text).toContain(mine.body.subject);
      expect(text).toContain(second.body.number);
      expect(text).not.toContain(theirs.body.number);
      expect(text).toContain('电话');
      await expectNoMissingKeys(page);
      await screenshot(page, 'portal-my-tickets');

      await page.click(`text=${mine.body.number}`);
      const timeline = page.locator('[data-testid=timeline]');
      await timeline.waitFor();
      await eventually(() => timeline.innerText()).toContain(reply);
      expect(await timeline.innerText()).not.toContain(note);
      expect(await page.locator('h1').innerText()).toBe(mine.body.number);
      await expectNoMissingKeys(page);
      await screenshot(page, 'portal-ticket-timeline');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('track my parcel', () => {
  it('shows the status sentence, expected delivery and the scans of a parcel fed in here; a wrong phone finds nothing', async () => {
    const run = h.uid().toUpperCase().replace(/[^A-Z0-9]/g, '');
    const receiverPhone = randomPhone();
    const customerId = await h.customer({ name: '王芳', phone: receiverPhone });
    const customer = await h.user('customer', { customerId });
    const waybill = `SD${run}0001`;
    const hour = 3600_000;
    const at = (ms: number): string => new Date(Date.now() + ms).toISOString();
    const created = await ops.post('/api/v1/shipments', {
      waybill,
      sender: { name: '张伟', phone: randomPhone(), address: '北京市朝阳区建国路88号' },
      receiver: { name: '王芳', phone: receiverPhone, address: '上海市浦东新区世纪大道100号' },
      origin: '110105',
      destination: '310115',
      product: 'standard',
      weightKg: 2,
      shippedAt: at(-30 * hour),
      promisedAt: at(30 * hour),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const events = await ops.post(`/api/v1/shipments/${waybill}/events`, [
      { eventId: `${run}-1`, occurredAt: at(-28 * hour), code: 'LS', location: '北京市朝阳区', facility: '北京朝阳建国路网点', facilityType: 'outlet' },
      { eventId: `${run}-2`, occurredAt: at(-3 * hour), code: 'DC', location: '上海市青浦区', facility: '上海青浦分拣中心', facilityType: 'sorting_centre' },
    ]);
    expect(events.status, JSON.stringify(events.body)).toBe(200);
    const truth = (await customer.client.get(`/api/v1/shipments/${waybill}`)).body;
    expect(truth.sentence.zh).toContain('上海青浦分拣中心');

    // A second customer, not party to the parcel: needs the digits, and wrong digits find nothing.
    const stranger = await h.user('customer');

    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signIn(page, stranger.username, PASSWORD);
      await page.goto('/portal/track');
      await page.fill('input[name=waybill]', waybill.toLowerCase());
      await page.fill('input[name=last4]', receiverPhone.slice(-4) === '0000' ? '1111' : '0000');
      await page.click('form button[type=submit]');
      await eventually(() => page.locator('[role=alert]').innerText()).toContain('没有找到这个运单');

      await page.fill('input[name=last4]', receiverPhone.slice(-4));
      await page.click('form button[type=submit]');
      const card = page.locator('[data-testid=shipment]');
      await card.waitFor();
      expect(await page.locator('[data-testid=sentence]').innerText()).toBe(truth.sentence.zh);
      const text = await card.innerText();
      expect(text).toContain(waybill);
      expect(text).toContain('北京朝阳建国路网点');
      expect(text).toContain('上海青浦分拣中心');
      expect(text).toContain(truth.statusLabel.zh);
      expect((await page.locator('[data-testid=expected]').innerText()).trim()).not.toBe('—');
      await expectNoMissingKeys(page);
      await screenshot(page, 'portal-tracking');

      // English shows the English sentence the server wrote.
      await page.click('[data-testid=lang-toggle]');
      await eventually(() => page.locator('[data-testid=sentence]').innerText()).toBe(truth.sentence.en);
      await expectNoMissingKeys(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    // The receiver, signed in, tracks their own parcel without any digits, on a phone.
    const mobile = await openPage(browser, h.url, PHONE);
    try {
      await signIn(mobile.page, customer.username, PASSWORD);
      await mobile.page.goto('/portal/track');
      await mobile.page.fill('input[name=waybill]', waybill);
      await mobile.page.click('form button[type=submit]');
      await eventually(() => mobile.page.locator('[data-testid=sentence]').innerText()).toBe(truth.sentence.zh);
      const overflow = await mobile.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(mobile.page, 'portal-tracking-phone');
      expect(mobile.errors).toEqual([]);
    } finally {
      await mobile.context.close();
    }
  });
});

describe('the widget', () => {
  it('the one-tag embed on the demo page adds the 在线客服 button; clicking opens the compact chat in an iframe', async () => {
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await page.goto('/widget-demo.html');
      const button = page.locator('#parceldesk-widget button');
      await button.waitFor();
      expect(await button.innerText()).toBe('在线客服');
      expect(await page.locator('iframe').count()).toBe(0);
      await button.click();
      const frameEl = page.locator('#parceldesk-widget iframe');
      await frameEl.waitFor();
      expect(await frameEl.getAttribute('src')).toBe(`${h.url}/portal/chat?embed=1&lang=zh`);
      const frame = page.frameLocator('#parceldesk-widget iframe');
      await frame.locator('input[name=name]').waitFor();
      expect(await frame.locator('h1').innerText()).toBe('在线客服');
      // Compact: no portal navigation inside the widget.
      expect(await frame.locator('nav').count()).toBe(0);
      expect(await button.innerText()).toBe('关闭在线客服');
      await screenshot(page, 'widget-demo');
      await button.click();
      expect(await frameEl.isHidden()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('on another site: data-lang="en" and data-team reach the iframe, the chat loads cross-origin, the tag pasted twice makes one button', async () => {
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      // The courier's own web site: another origin (its own server) than Parceldesk's.
      const html = `<!doctype html><html><body><p>某某速运官网</p><script src="${h.url}/widget.js" data-lang="en" data-team="north" async></script><script src="${h.url}/widget.js" data-lang="en" data-team="north" async></script></body></html>`;
      const site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
      servers.push(site);
      await page.goto(`http://localhost:${(site.address() as AddressInfo).port}/`);
      const button = page.locator('#parceldesk-widget button');
      await button.waitFor();
      expect(await page.locator('#parceldesk-widget').count()).toBe(1);
      expect(await button.innerText()).toBe('Live chat');
      await button.click();
      expect(await page.locator('#parceldesk-widget iframe').getAttribute('src')).toBe(`${h.url}/portal/chat?embed=1&lang=en&team=north`);
      await eventually(() => page.frameLocator('#parceldesk-widget iframe').locator('h1').innerText()).toBe('Live chat');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('help centre', () => {
  it('lists published public articles without signing in, opens one, and counts a vote once per browser', async () => {
    const lead = await h.user('team_lead');
    const title = `快递丢了怎么赔(浏览器测试)${h.uid()}`;
    const draftTitle = `草稿不公开 ${h.uid()}`;
    const a = await agent.client.post('/api/v1/kb/articles', { kind: 'article', audience: 'public', categoryCode: 'claim', title, body: '第一行:保价件按保价金额赔付。\n第二行:未保价按运费倍数赔付。' });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect((await agent.client.post(`/api/v1/kb/articles/${a.body.id}/submit`)).status).toBe(200);
    expect((await lead.client.post(`/api/v1/kb/articles/${a.body.id}/approve`, {})).status).toBe(200);
    expect((await agent.client.post('/api/v1/kb/articles', { kind: 'article', audience: 'public', categoryCode: 'claim', title: draftTitle, body: '还没审核的内容' })).status).toBe(201);

    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await page.goto('/portal/help');
      await eventually(() => page.locator('h1').first().textContent()).toBe('帮助中心');
      await eventually(() => page.locator('main').innerText()).toContain(title);
      const list = await page.locator('main').innerText();
      expect(list).toContain('哪些物品不能寄?(禁寄物品)');
      expect(list).not.toContain(draftTitle);
      await expectNoMissingKeys(page);

      await page.getByRole('link', { name: title }).click();
      await eventually(() => page.locator('h1').first().textContent()).toBe(title);
      expect(await page.locator('.help-body').innerText()).toContain('第一行:保价件按保价金额赔付。\n第二行');
      await page.getByRole('button', { name: '有帮助' }).click();
      await eventually(() => page.locator('main').innerText()).toContain('感谢您的反馈!');
      // The same browser voting again (a reload) is not a second vote.
      await page.reload();
      await page.getByRole('button', { name: '有帮助' }).click();
      await eventually(() => page.locator('main').innerText()).toContain('感谢您的反馈!');
      const after = await agent.client.get(`/api/v1/kb/articles/${a.body.id}`);
      expect(after.body).toMatchObject({ helpfulYes: 1, helpfulNo: 0 });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('help centre search', () => {
  it('searches as the customer types, highlights the matched words, and records an opened hit once per click (a retry is not a second click)', async () => {
    const lead = await h.user('team_lead');
    const title = `快件丢失如何申请赔偿(搜索测试 ${h.uid()})`;
    const a = await agent.client.post('/api/v1/kb/articles', { kind: 'article', audience: 'public', categoryCode: 'claim', title, body: '确认快件丢失后,请提供运单号和物品价值证明,客服会为您提交理赔申请。' });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect((await agent.client.post(`/api/v1/kb/articles/${a.body.id}/submit`)).status).toBe(200);
    expect((await lead.client.post(`/api/v1/kb/articles/${a.body.id}/approve`, {})).status).toBe(200);
    const articleId: string = a.body.id;

    const { context, page, errors } = await openPage(browser, h.url);
    // The first click's answer is lost on the way back (the server has kept the click): the page sends it again.
    const usageBodies: { eventId: string; clientId: string; searchId?: number; rank: number; kind: string }[] = [];
    let dropFirstAnswer = true;
    await page.route('**/api/v1/kb/public/*/usage', async (route) => {
      usageBodies.push(route.request().postDataJSON());
      if (dropFirstAnswer) {
        dropFirstAnswer = false;
        await route.fetch();
        await route.abort('failed');
        return;
      }
      await route.continue();
    });
    const clicks = async () => (await h.ctx.db.pool.query<{ event_id: string; client_id: string; search_id: number | null; rank: number; query: string }>(
      `SELECT event_id, client_id, search_id, rank, query FROM kb_usage WHERE article_id = $1 AND kind = 'search_click' ORDER BY id`, [articleId])).rows;
    try {
      await page.goto('/portal/help');
      await eventually(() => page.locator('h1').first().textContent()).toBe('帮助中心');
      // The category lists show while the box is empty.
      await eventually(() => page.locator('main').innerText()).toContain('哪些物品不能寄?(禁寄物品)');
      const box = page.getByLabel('搜索帮助文章');
      expect(await box.getAttribute('type')).toBe('search');

      // Nothing found: the empty state offers the live chat.
      await box.pressSequentially('xqzvwkjj', { delay: 20 });
      await eventually(() => page.getByRole('status').innerText()).toBe('没有找到与「xqzvwkjj」相关的文章。');
      expect(await page.getByRole('link', { name: '联系在线客服' }).getAttribute('href')).toBe('/portal/chat');
      expect(await page.locator('main').innerText()).not.toContain('哪些物品不能寄?(禁寄物品)');

      // 包裹丢了 finds the article titled 快件丢失… (synonyms), typed key by key.
      await box.fill('');
      await eventually(() => page.locator('main').innerText()).toContain('哪些物品不能寄?(禁寄物品)');
      await box.pressSequentially('包裹丢了', { delay: 40 });
      const results = page.getByRole('list', { name: '搜索结果' });
      const hit = results.getByRole('link', { name: title });
      await hit.waitFor();
      await eventually(() => page.getByRole('status').innerText()).toMatch(/^找到 \d+ 篇相关文章$/);
      const marks = await hit.locator('mark').allInnerTexts();
      expect(marks.join('')).toMatch(/快件|丢失/);
      expect(await hit.innerText()).toBe(title);
      const links = await results.getByRole('link').allInnerTexts();
      const rank = links.indexOf(title) + 1;
      expect(rank).toBeGreaterThan(0);
      expect(page.url()).toContain(`/portal/help?q=${encodeURIComponent('包裹丢了')}`);
      // ArrowDown from the box reaches the first hit.
      await box.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(links[0]);
      await screenshot(page, 'portal-help-search');
      await expectNoMissingKeys(page);

      // Enter on the hit opens it.
      await hit.focus();
      await page.keyboard.press('Enter');
      await eventually(() => page.locator('h1').first().textContent()).toBe(title);
      await eventually(() => usageBodies.length).toBe(2);
      expect(usageBodies[1]).toEqual(usageBodies[0]);
      const first = await clicks();
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({ event_id: usageBodies[0]!.eventId, client_id: usageBodies[0]!.clientId, search_id: usageBodies[0]!.searchId, rank, query: '包裹丢了' });
      expect(usageBodies[0]!.searchId).toEqual(expect.any(Number));
      // The browser's help-centre token is the one its votes use.
      expect(await page.evaluate(() => localStorage.getItem('pd.help.clientId'))).toBe(usageBodies[0]!.clientId);

      // After a reload the search comes back (?q=), and clicking the same hit again is a new event.
      await page.goto(`/portal/help?q=${encodeURIComponent('包裹丢了')}`);
      expect(await page.getByLabel('搜索帮助文章').inputValue()).toBe('包裹丢了');
      await page.getByRole('list', { name: '搜索结果' }).getByRole('link', { name: title }).click();
      await eventually(() => page.locator('h1').first().textContent()).toBe(title);
      await eventually(async () => (await clicks()).length).toBe(2);
      const both = await clicks();
      expect(both[1]!.event_id).not.toBe(both[0]!.event_id);
      expect(both[1]!.search_id).not.toBe(both[0]!.search_id);
      expect(both[1]!.client_id).toBe(both[0]!.client_id);
      expect(usageBodies).toHaveLength(3);

      // English through the toggle.
      await page.goBack();
      await page.click('[data-testid=lang-toggle]');
      await eventually(() => page.getByLabel('Search help articles').inputValue()).toBe('包裹丢了');
      await eventually(() => page.getByRole('status').innerText()).toMatch(/^\d+ articles? found$/);
      await expectNoMissingKeys(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
