/**
 * The agent's live chat console in a real browser against the real chat backend. The agent signs
 * in, finds the presence switch as the server has it, goes online and sets a capacity, then steps
 * away while two customers (driven from the test over HTTP and the WebSocket, as the portal does)
 * start chats: both wait in the queue, oldest first; the agent accepts both and gets two tabs,
 * sees the customer typing, sends the greeting script with Enter, exchanges messages (the customer
 * receives them), sees an unread count on the other tab, switches tabs with the keyboard with each
 * draft kept, is held by the language guard, gets a third chat routed on going online, ends one
 * chat, sees a team lead looking in, and transfers one to another team with reason and consent.
 * Markup from a customer stays text; the composer does not move as messages arrive; the page fits
 * a tablet (screenshots agent-chat and agent-chat-tablet). Each test uses a team of its own so
 * other files' agents never take its chats.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatWs } from '../support/chat-client.ts';
import { PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { eventually, expectNoMissingKeys, launchBrowser, openPage, screenshot, signInStaff } from './browser.ts';

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

async function teamCode(): Promise<{ id: string; code: string }> {
  const id = await h.team();
  const { rows } = await h.ctx.db.pool.query<{ code: string }>('SELECT code FROM teams WHERE id = $1', [id]);
  return { id, code: rows[0]!.code };
}

interface Customer {
  id: string;
  ticketId: string;
  ws: ChatWs;
  send(body: string): void;
}

/** A customer starts a chat for `team` and follows it over the WebSocket, as the portal's chat page does. */
async function customer(team: string, name: string, topic: string, first: string): Promise<Customer> {
  const res = await h.anon.post('/api/v1/chat/conversations', { name, topic, message: first, team, clientId: `c-${h.uid()}-${h.uid()}` });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const { conversation, visitorToken } = res.body;
  const ws = await ChatWs.open(h.url, { conversationId: conversation.id, token: visitorToken });
  sockets.push(ws);
  ws.send({ type: 'hello' });
  await ws.next((f) => f.type === 'history');
  let n = 0;
  return { id: conversation.id, ticketId: conversation.ticketId, ws, send: (body) => ws.send({ type: 'message', clientId: `m-${conversation.id.slice(0, 8)}-${++n}`, body }) };
}

const presence = async (agent: TestUser): Promise<{ status: string; capacity: number }> => (await agent.client.get('/api/v1/chat/presence/me')).body;
const tab = (page: Page, name: string) => page.getByRole('tab', { name: new RegExp(name) });
const composer = (page: Page, name: string) => page.getByLabel(`回复 ${name}`);
const bodies = (page: Page): Promise<string[]> => page.locator('[data-testid=chat-messages] li:not([data-pending]) .cmsg-body').allInnerTexts();

describe('the agent chat console', () => {
  it('presence, queue and accept, two chats as tabs with typing, greeting, messages both ways, drafts kept, guard, offer, end', async () => {
    const team = await teamCode();
    const agent = await h.user('agent', { teamIds: [team.id] });
    await h.ctx.db.pool.query('UPDATE users SET display_name = $2 WHERE id = $1', [agent.id, '王晓芳']);
    const scripts = (await agent.client.get('/api/v1/chat/scripts')).body as { greeting: string; closing: string };
    expect(scripts.greeting).toContain('快递客服');

    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signInStaff(page, agent.username, PASSWORD);
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '在线会话' }).click();
      await page.locator('[data-testid=chat-console]').waitFor();
      expect(new URL(page.url()).pathname).toBe('/chat');
      await page.locator('[data-testid=no-chats]').waitFor();

      // The switch shows what the server has: never set, so offline with the default capacity.
      const radio = (name: string) => page.getByRole('radio', { name, exact: true });
      await eventually(() => radio('离线').isChecked()).toBe(true);
      expect(await page.getByLabel('同时接待上限').inputValue()).toBe(String((await presence(agent)).capacity));
      await radio('在线').check();
      await eventually(async () => (await presence(agent)).status).toBe('online');
      await page.getByLabel('同时接待上限').selectOption('4');
      await eventually(async () => (await presence(agent)).capacity).toBe(4);
      // A reload reads the same state back.
      await page.reload();
      await eventually(() => radio('在线').isChecked()).toBe(true);
      expect(await page.getByLabel('同时接待上限').inputValue()).toBe('4');

      // Away: chats are not routed to the agent, so the two customers wait in the queue.
      await radio('暂离').check();
      await eventually(async () => (await presence(agent)).status).toBe('away');
      const a = await customer(team.code, '张女士', '快递三天没动', '你好,我的快递三天没有更新了');
      const b = await customer(team.code, '李先生', '寄大件', '想寄一个大件行李');

      const rowA = page.locator(`[data-testid=queue-item][data-conversation="${a.id}"]`);
      const rowB = page.locator(`[data-testid=queue-item][data-conversation="${b.id}"]`);
      await eventually(() => rowB.count(), 12_000).toBe(1); // the queue polls every 5 s
      expect(await rowA.innerText()).toContain('张女士');
      expect(await rowA.innerText()).toContain('快递三天没动');
      expect(await rowA.locator('[data-testid=queue-wait]').innerText()).toMatch(/^已等待 \d+:\d\d$/);
      // Oldest first: A is ahead of B, in the list and by position.
      const order = await page.locator('[data-testid=queue-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-conversation')));
      expect(order.indexOf(a.id)).toBeLessThan(order.indexOf(b.id));
      const posA = Number(await rowA.locator('.queue-pos').innerText());
      expect(Number(await rowB.locator('.queue-pos').innerText())).toBeGreaterThan(posA);

      // Accept both: a tab each, the last accepted in front.
      await page.getByRole('button', { name: '接入 张女士' }).click();
      await eventually(() => tab(page, '张女士').getAttribute('aria-selected')).toBe('true');
      await page.getByRole('button', { name: '接入 李先生' }).click();
      await eventually(() => tab(page, '李先生').getAttribute('aria-selected')).toBe('true');
      expect(await page.getByRole('tablist', { name: '我的会话' }).getByRole('tab').count()).toBe(2);
      await eventually(() => rowA.count()).toBe(0);
      await eventually(() => page.locator('[data-testid=presence-load]').innerText()).toBe('正在接待 2 / 4 个会话');
      await eventually(() => bodies(page)).toContain('想寄一个大件行李');
      const panel = page.getByRole('tabpanel');
      expect(await panel.getAttribute('aria-labelledby')).toBe(await tab(page, '李先生').getAttribute('id'));

      // Chat A: the ticket link, the customer typing, the greeting sent with Enter.
      await tab(page, '张女士').click();
      await eventually(() => bodies(page)).toContain('你好,我的快递三天没有更新了');
      expect(await page.getByTestId('ticket-link').getAttribute('href')).toBe(`/tickets/${a.ticketId}`);
      a.ws.send({ type: 'typing', on: true });
      await eventually(() => page.getByTestId('typing').innerText()).toBe('张女士 正在输入…');
      a.send('运单号是 SF1234567890');
      await eventually(() => bodies(page)).toContain('运单号是 SF1234567890');
      await eventually(() => page.getByTestId('typing').innerText()).toBe('');

      const inputA = composer(page, '张女士');
      await page.getByRole('button', { name: '问候语' }).click();
      await eventually(() => inputA.inputValue()).toBe(scripts.greeting);
      expect(await inputA.evaluate((el) => el === document.activeElement)).toBe(true);
      await inputA.press('Enter');
      const greeted = await a.ws.next((f) => f.type === 'message' && f.message.author === 'agent');
      expect(greeted.message.body).toBe(scripts.greeting);
      expect(greeted.message.authorName).toBe('王晓芳');
      await eventually(() => bodies(page)).toContain(scripts.greeting);
      expect(await page.locator('[data-pending]').count()).toBe(0);
      expect(await inputA.inputValue()).toBe('');

      // Shift+Enter breaks the line; typing reaches the customer as "typing".
      const typingFrom = a.ws.frames.length;
      await inputA.pressSequentially('请稍等');
      await inputA.press('Shift+Enter');
      await inputA.pressSequentially('我帮您查一下');
      expect(await inputA.inputValue()).toBe('请稍等\n我帮您查一下');
      const typingFrame = await a.ws.next((f) => f.type === 'typing', 5_000, typingFrom);
      expect(typingFrame).toMatchObject({ who: 'agent', name: '王晓芳', on: true });

      // Markup from the customer stays literal text, and arriving messages do not move the composer.
      await eventually(() => page.getByTestId('guard-summary').innerText()).not.toBe('');
      const composerBox = await page.getByTestId('composer').boundingBox();
      const xss = '<img src=x onerror="window.__xss=1">';
      a.send(xss);
      await eventually(() => bodies(page)).toContain(xss);
      expect(await page.locator('[data-testid=chat-messages] img').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      for (let i = 1; i <= 3; i++) a.send(`补充说明第 ${i} 条`);
      await eventually(() => bodies(page)).toContain('补充说明第 3 条');
      const after = await page.getByTestId('composer').boundingBox();
      expect(Math.round(after!.y)).toBe(Math.round(composerBox!.y));

      // B writes while A is in front: B's tab counts it unread.
      b.send('箱子有二十公斤');
      await eventually(() => tab(page, '李先生').locator('[data-testid=unread]').innerText()).toBe('1');
      expect(await tab(page, '李先生').locator('[data-testid=unread]').getAttribute('aria-label')).toBe('1 条未读');

      // Keyboard: the arrow moves to B and shows it (unread cleared); B's draft; back to A with its draft kept.
      await tab(page, '张女士').focus();
      await page.keyboard.press('ArrowRight');
      await eventually(() => tab(page, '李先生').getAttribute('aria-selected')).toBe('true');
      expect(await tab(page, '李先生').evaluate((el) => el === document.activeElement)).toBe(true);
      await eventually(() => tab(page, '李先生').locator('[data-testid=unread]').count()).toBe(0);
      await eventually(() => bodies(page)).toContain('箱子有二十公斤');
      await composer(page, '李先生').fill('二十公斤可以寄,');
      await tab(page, '李先生').focus();
      await page.keyboard.press('ArrowLeft');
      await eventually(() => tab(page, '张女士').getAttribute('aria-selected')).toBe('true');
      expect(await composer(page, '张女士').inputValue()).toBe('请稍等\n我帮您查一下');
      await tab(page, '张女士').focus();
      await page.keyboard.press('End');
      await eventually(() => tab(page, '李先生').getAttribute('aria-selected')).toBe('true');
      expect(await composer(page, '李先生').inputValue()).toBe('二十公斤可以寄,');

      // The language guard (the server refuses a blocked chat message): the finding shows and holds the send.
      await composer(page, '李先生').fill('这个我不知道');
      await eventually(() => page.locator('[data-testid=finding][data-severity=block]').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('send').isDisabled()).toBe(true);
      await composer(page, '李先生').fill('二十公斤可以寄,我帮您算一下运费');
      await eventually(() => page.locator('[data-testid=finding][data-severity=block]').count()).toBe(0);
      await page.getByTestId('send').click();
      const toB = await b.ws.next((f) => f.type === 'message' && f.message.author === 'agent');
      expect(toB.message.body).toBe('二十公斤可以寄,我帮您算一下运费');

      // A third customer waits; the screenshot shows the console at work.
      const c = await customer(team.code, '陈阿姨', '改派送地址', '能不能改到单位收件');
      await eventually(() => page.locator(`[data-testid=queue-item][data-conversation="${c.id}"]`).count(), 12_000).toBe(1);
      await tab(page, '张女士').click();
      await eventually(() => page.getByTestId('guard-summary').innerText()).toBe('未发现不规范用语');
      await expectNoMissingKeys(page);
      await screenshot(page, 'agent-chat');

      // Going online routes the waiting chat to the agent: its tab opens in the background, its first message unread.
      await radio('在线').check();
      await eventually(() => tab(page, '陈阿姨').count()).toBe(1);
      expect(await tab(page, '张女士').getAttribute('aria-selected')).toBe('true');
      await eventually(() => tab(page, '陈阿姨').locator('[data-testid=unread]').innerText()).toBe('1');
      await c.ws.next((f) => f.type === 'state' && f.conversation.agent?.displayName === '王晓芳');

      // End chat A: the customer is told; the tab stays, marked ended, until closed.
      await page.getByTestId('end-chat').click();
      await a.ws.next((f) => f.type === 'state' && f.conversation.status === 'ended');
      await eventually(() => page.getByTestId('chat-ended').count()).toBe(1);
      expect(await page.getByTestId('composer').count()).toBe(0);
      expect(await tab(page, '张女士').innerText()).toContain('已结束');
      await page.getByTestId('close-tab').click();
      await eventually(() => page.getByRole('tab').count()).toBe(2);
      await eventually(() => page.locator('[data-testid=presence-load]').innerText()).toBe('正在接待 2 / 4 个会话');

      // A team lead looks in on B: the agent is told someone else is following the chat.
      const lead = await h.user('team_lead', { teamIds: [team.id], leadOf: [team.id] });
      await h.ctx.db.pool.query('UPDATE users SET display_name = $2 WHERE id = $1', [lead.id, '赵组长']);
      const leadWs = await ChatWs.open(h.url, { bearer: lead.client.token! });
      sockets.push(leadWs);
      leadWs.send({ type: 'watch', conversationId: b.id });
      await leadWs.next((f) => f.type === 'history' && f.conversation.id === b.id);
      await tab(page, '李先生').click();
      await eventually(() => page.getByTestId('viewers').innerText()).toBe('赵组长 也在查看这个会话');

      // A tablet: everything fits the width, the composer is on screen.
      await page.setViewportSize({ width: 820, height: 1180 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
      const box = await page.getByTestId('composer').boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(820);
      expect(box!.y + box!.height).toBeLessThanOrEqual(1180);
      expect(await composer(page, '李先生').inputValue()).toBe('');
      await screenshot(page, 'agent-chat-tablet');
      await page.setViewportSize({ width: 1280, height: 800 });

      // Transfer B to another team's queue (C6: reason and the customer's consent): the tab says so and closes.
      const other = await h.team();
      const otherCode = (await h.ctx.db.pool.query<{ code: string }>('SELECT code FROM teams WHERE id = $1', [other])).rows[0]!.code;
      await page.getByRole('button', { name: '转接' }).click();
      const form = page.getByTestId('transfer-form');
      await eventually(() => form.locator('#transfer-target option').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining(otherCode)]));
      const value = await form.locator('#transfer-target option', { hasText: otherCode }).getAttribute('value');
      expect(value).toBe(other);
      await form.getByLabel('小组').selectOption(other);
      await form.getByLabel('转接原因').fill('大件寄递由大客户组处理');
      expect(await form.getByRole('button', { name: '确认转接' }).isDisabled()).toBe(true);
      await form.getByLabel('客户已同意转接').check();
      await form.getByRole('button', { name: '确认转接' }).click();
      await eventually(() => page.getByTestId('chat-left').innerText()).toBe('会话已转回排队');
      const moved = (await lead.client.get(`/api/v1/chat/conversations/${b.id}`)).body.conversation;
      expect(moved).toMatchObject({ status: 'queued', teamId: other, agent: null, transfers: 1 });
      await page.getByTestId('close-tab').click();
      await eventually(() => page.getByRole('tab').count()).toBe(1);

      await radio('离线').check();
      await eventually(async () => (await presence(agent)).status).toBe('offline');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a QA inspector has no chat menu entry and is told the console is not theirs', async () => {
    const qa = await h.user('qa_inspector');
    const { context, page, errors } = await openPage(browser, h.url);
    try {
      await signInStaff(page, qa.username, PASSWORD);
      expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '在线会话' }).count()).toBe(0);
      await page.goto('/chat');
      expect(await page.getByTestId('chat-not-for-role').innerText()).toBe('在线会话台供客服、组长、主管和管理员使用');
      expect(await page.getByTestId('chat-console').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
