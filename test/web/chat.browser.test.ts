/**
 * The portal's live chat in a real browser against the real chat backend: the agent side is
 * driven from the test over the WebSocket and HTTP (until the agent console exists). Covers the
 * queue notice, agent name, typing, live replies, markup shown as literal text (never run), and a
 * network drop after which the history is complete with nothing twice. Each test uses a team of
 * its own (the portal's ?team=, the widget's data-team) so other files' agents never take its chats.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatWs } from '../support/chat-client.ts';
import { PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, PHONE, screenshot, signIn } from './browser.ts';

let h: Harness;
let browser: Browser;
const sockets: ChatWs[] = [];

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
});
afterAll(async () => {
  for (const s of sockets) await s.close();
  await browser?.close();
  await h?.close();
});

const XSS = ['<img src=x onerror="window.__xss=1">', '<script>window.__xss=2</script>', '"><svg onload=window.__xss=3>'];

async function teamCode(): Promise<{ id: string; code: string }> {
  const id = await h.team();
  const { rows } = await h.ctx.db.pool.query<{ code: string }>('SELECT code FROM teams WHERE id = $1', [id]);
  return { id, code: rows[0]!.code };
}

async function onlineAgent(teamId: string, displayName: string): Promise<{ agent: TestUser; ws: ChatWs }> {
  const agent = await h.user('agent', { teamIds: [teamId] });
  await h.ctx.db.pool.query('UPDATE users SET display_name = $2 WHERE id = $1', [agent.id, displayName]);
  const p = await agent.client.put('/api/v1/chat/presence', { status: 'online', capacity: 3 });
  expect(p.status, JSON.stringify(p.body)).toBe(200);
  const ws = await ChatWs.open(h.url, { bearer: agent.client.token! });
  sockets.push(ws);
  return { agent, ws };
}

/** Starts a chat from the portal's form; returns the conversation id the page keeps. */
async function startChat(page: Page, team: string, first: string): Promise<string> {
  await page.goto(`/portal/chat?team=${encodeURIComponent(team)}`);
  await page.fill('input[name=name]', '陈先生');
  await page.fill('input[name=phone]', '13800138000');
  await page.fill('textarea[name=message]', first);
  await page.click('form.chat-start button[type=submit]');
  await page.locator('[data-testid=messages]').waitFor();
  const saved = await page.evaluate(() => window.sessionStorage.getItem('pd_chat'));
  return (JSON.parse(saved!) as { conversationId: string }).conversationId;
}

const messageBodies = (page: Page): Promise<string[]> => page.locator('[data-testid=messages] li:not([data-pending]) .msg-body').allInnerTexts();
const messageIds = (page: Page): Promise<(string | null)[]> =>
  page.locator('[data-testid=messages] li[data-message-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')));

describe('waiting in the queue', () => {
  it('shows 「您前面还有 N 位客户」 and the busy notice while nobody is online, then the agent who takes the chat', async () => {
    const team = await teamCode();
    const ahead = await h.anon.post('/api/v1/chat/conversations', { name: '排队的人', phone: '13700000000', team: team.code, message: '我先来的' });
    expect(ahead.status).toBe(201);
    const { context, page, errors } = await openPage(browser, h.url, PHONE);
    try {
      const id = await startChat(page, team.code, '你好,想问一下寄件');
      const token = (JSON.parse((await page.evaluate(() => window.sessionStorage.getItem('pd_chat')))!) as { token: string }).token;
      // Positions count every waiting chat (other test files' too): compare with what the server says now.
      const serverPosition = async (): Promise<number> => (await h.anon.request('GET', `/api/v1/chat/conversations/${id}`, undefined, { 'x-chat-token': token })).body.conversation.queuePosition;
      const shownMatchesServer = async (): Promise<string> => {
        const pos = await serverPosition();
        const shown = await page.locator('[data-testid=queue]').innerText();
        return shown === (pos > 1 ? `您前面还有 ${pos - 1} 位客户,请稍候` : '马上为您接入客服,请稍候') ? 'match' : `${shown} vs position ${pos}`;
      };
      const before = await serverPosition();
      expect(before).toBeGreaterThanOrEqual(2); // the chat started just before is ahead
      await eventually(shownMatchesServer).toBe('match');
      // The busy notice (C4) is a system message from the server.
      await eventually(() => page.locator('.msg-system .msg-body').allInnerTexts()).toEqual([expect.stringContaining('当前咨询量较大')]);
      await expectNoMissingKeys(page);
      await screenshot(page, 'portal-chat-queue-phone');

      // The one ahead leaves: the place shown moves up live.
      expect((await h.anon.request('POST', `/api/v1/chat/conversations/${ahead.body.conversation.id}/end`, {}, { 'x-chat-token': ahead.body.visitorToken })).status).toBe(200);
      await eventually(serverPosition).toBeLessThan(before);
      await eventually(shownMatchesServer).toBe('match');

      await onlineAgent(team.id, '小周');
      await eventually(() => page.locator('[data-testid=agent]').innerText(), 10_000).toBe('客服 小周 为您服务');
      expect(await page.locator('[data-testid=queue]').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('chatting with an agent', () => {
  it('replies and typing arrive live; markup from either side stays literal text and never runs', async () => {
    const team = await teamCode();
    const { agent, ws } = await onlineAgent(team.id, '小李');
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      const id = await startChat(page, team.code, '我的快递三天没动了');
      await eventually(() => page.locator('[data-testid=agent]').innerText()).toBe('客服 小李 为您服务');
      ws.send({ type: 'watch', conversationId: id });
      await ws.next((f) => f.type === 'history' && f.conversation.id === id);

      // The agent types: the customer sees it; the reply replaces it.
      ws.send({ type: 'typing', on: true, conversationId: id });
      await eventually(() => page.locator('[data-testid=typing]').innerText()).toBe('小李 正在输入…');
      ws.send({ type: 'message', conversationId: id, clientId: `a-${randomUUID()}`, body: '您好,请提供一下运单号。' });
      await eventually(() => messageBodies(page)).toContain('您好,请提供一下运单号。');
      await eventually(() => page.locator('[data-testid=typing]').count()).toBe(0);

      // The customer types and sends from the browser: the agent sees typing, then the message, once.
      await page.fill('textarea[name=chat-input]', 'SF1234567890');
      await page.locator('textarea[name=chat-input]').press('End');
      await page.keyboard.type(' ');
      await ws.next((f) => f.type === 'typing' && f.who === 'customer' && f.on === true);
      await page.click('form.composer button[type=submit]');
      await ws.next((f) => f.type === 'message' && f.message.body === 'SF1234567890');
      await eventually(() => messageBodies(page)).toContain('SF1234567890');
      expect(await page.locator('[data-pending]').count()).toBe(0);
      await expectNoMissingKeys(page);
      await screenshot(page, 'portal-chat');

      // Markup from the customer's browser, from the agent's socket and from the tickets API.
      const fromCustomer = XSS.join(' ');
      await page.fill('textarea[name=chat-input]', fromCustomer);
      await page.click('form.composer button[type=submit]');
      await ws.next((f) => f.type === 'message' && f.message.body === fromCustomer);
      for (const body of XSS) ws.send({ type: 'message', conversationId: id, clientId: `a-${randomUUID()}`, body });
      const conv = (await agent.client.get(`/api/v1/chat/conversations/${id}`)).body.conversation;
      const viaApi = `API: ${XSS[0]}`;
      expect((await agent.client.post(`/api/v1/tickets/${conv.ticketId}/messages`, { body: viaApi, visibility: 'public' })).status).toBe(201);
      await eventually(() => messageBodies(page)).toEqual(expect.arrayContaining([fromCustomer, ...XSS, viaApi]));
      // Shown as the literal characters; no element was made from them; nothing ran.
      const html = await page.locator('[data-testid=messages]').innerHTML();
      expect(html).toContain('&lt;img src=x onerror="window.__xss=1"&gt;');
      expect(await page.locator('[data-testid=messages] img, [data-testid=messages] svg, [data-testid=messages] script').count()).toBe(0);
      await page.waitForTimeout(300); // an onerror/onload would have fired by now
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

      // Ending the chat.
      await page.click('text=结束会话');
      await eventually(() => page.locator('[data-testid=ended]').innerText()).toBe('本次会话已结束,感谢您的咨询。');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('after the network drops, the history is complete and nothing is shown or stored twice', async () => {
    const team = await teamCode();
    const { agent, ws } = await onlineAgent(team.id, '小王');
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      const id = await startChat(page, team.code, '断网测试');
      await eventually(() => page.locator('[data-testid=agent]').innerText()).toBe('客服 小王 为您服务');
      ws.send({ type: 'watch', conversationId: id });
      await ws.next((f) => f.type === 'history' && f.conversation.id === id);
      ws.send({ type: 'message', conversationId: id, clientId: `a-${randomUUID()}`, body: '在线回复 1' });
      await ws.next((f) => (f.type === 'ack' && f.message.body === '在线回复 1') || f.type === 'error').then((f) => expect(f.type, JSON.stringify(f)).toBe('ack'));
      await eventually(() => messageBodies(page)).toContain('在线回复 1');

      await context.setOffline(true);
      await eventually(() => page.locator('[data-testid=chat-status]').innerText()).toContain('网络已断开,正在重新连接…');
      // While the customer is away: the agent writes twice, the customer writes once (kept pending).
      ws.send({ type: 'message', conversationId: id, clientId: `a-${randomUUID()}`, body: '断网期间回复 2' });
      ws.send({ type: 'message', conversationId: id, clientId: `a-${randomUUID()}`, body: '断网期间回复 3' });
      await ws.next((f) => f.type === 'ack' && f.message.body === '断网期间回复 3');
      await page.fill('textarea[name=chat-input]', '断网时写的消息');
      await page.click('form.composer button[type=submit]');
      await eventually(() => page.locator('[data-pending] .msg-body').allInnerTexts()).toEqual(['断网时写的消息']);

      await context.setOffline(false);
      await eventually(() => messageBodies(page), 15_000).toEqual(expect.arrayContaining(['断网期间回复 2', '断网期间回复 3', '断网时写的消息']));
      await eventually(() => page.locator('[data-pending]').count()).toBe(0);
      await ws.next((f) => f.type === 'message' && f.message.body === '断网时写的消息');

      // The page shows exactly what the server stored, in order, each once.
      const server = (await agent.client.get(`/api/v1/chat/conversations/${id}`)).body.messages as { id: number; body: string }[];
      const shown = await messageIds(page);
      expect(new Set(shown).size).toBe(shown.length);
      expect(shown).toEqual(server.map((m) => String(m.id)));
      expect(await messageBodies(page)).toEqual(server.map((m) => m.body));
      expect(server.filter((m) => m.body === '断网时写的消息')).toHaveLength(1);

      // Resending after a reload resumes the same conversation with the same history.
      await page.reload();
      await eventually(() => messageIds(page)).toEqual(server.map((m) => String(m.id)));
      // A connection attempt racing the switch to offline is logged by Chromium; that one is expected.
      expect(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a signed-in customer chats as themselves without giving a phone, and finds the chat among their tickets', async () => {
    const team = await teamCode();
    const { ws } = await onlineAgent(team.id, '小赵');
    const customerId = await h.customer({ name: '刘洋' });
    const customer = await h.user('customer', { customerId });
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signIn(page, customer.username, PASSWORD);
      await page.goto(`/portal/chat?team=${team.code}`);
      await eventually(() => page.locator('form.chat-start').innerText()).toContain(`您已登录,将以 ${customer.username} 的身份咨询。`);
      await page.fill('textarea[name=message]', '登录后咨询');
      await page.click('form.chat-start button[type=submit]');
      await eventually(() => page.locator('[data-testid=agent]').innerText()).toBe('客服 小赵 为您服务');
      const id = JSON.parse((await page.evaluate(() => window.sessionStorage.getItem('pd_chat')))!).conversationId as string;
      ws.send({ type: 'watch', conversationId: id });
      const history = await ws.next((f) => f.type === 'history' && f.conversation.id === id);
      expect(history.conversation.customerId).toBe(customerId);
      expect(history.conversation.visitorName).toBe(customer.username);

      await page.click('nav >> text=我的工单');
      await eventually(() => page.locator('[data-testid=ticket-list]').innerText()).toContain(history.conversation.ticketNumber);
      expect(await page.locator('[data-testid=ticket-list]').innerText()).toContain('在线客服');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
