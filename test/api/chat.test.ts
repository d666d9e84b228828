/**
 * Live chat (issue 4; SPEC C1, C4–C7) over HTTP and the WebSocket: a guest starts a chat that is a
 * ticket; it queues and is routed by presence and capacity; messages are acknowledged once stored,
 * never duplicated, and replayed after a reconnect; the busy notice goes out once per waiting
 * spell; typing and the collision notice reach the other side; transfers record reason and
 * consent. Each test uses its own team, so other test files' agents never take these chats.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeChats, sendBusyNotices, sweepChat } from '../../src/services/chat/chat.ts';
import { getSetting } from '../../src/services/settings/settings.ts';
import { ChatWs } from '../support/chat-client.ts';
import { startHarness, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let admin: TestUser;
const sockets: ChatWs[] = [];

beforeAll(async () => {
  h = await startHarness();
  admin = await h.user('admin');
});
afterAll(async () => {
  for (const s of sockets) await s.close();
  await h?.close();
});

async function teamWithCode(): Promise<{ id: string; code: string }> {
  const id = await h.team();
  const { rows } = await h.ctx.db.pool.query<{ code: string }>('SELECT code FROM teams WHERE id = $1', [id]);
  return { id, code: rows[0]!.code };
}

async function start(team: string, body: Record<string, unknown> = {}): Promise<{ id: string; token: string; ticketId: string; body: any }> {
  const res = await h.anon.post('/api/v1/chat/conversations', { name: '王女士', phone: '13912345678', team, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.conversation.id, token: res.body.visitorToken, ticketId: res.body.conversation.ticketId, body: res.body };
}

async function customerWs(c: { id: string; token: string }): Promise<ChatWs> {
  const ws = await ChatWs.open(h.url, { conversationId: c.id, token: c.token });
  sockets.push(ws);
  return ws;
}
async function agentWs(a: TestUser): Promise<ChatWs> {
  const ws = await ChatWs.open(h.url, { bearer: a.client.token! });
  sockets.push(ws);
  return ws;
}
const asCustomer = (c: { token: string }) => ({ 'x-chat-token': c.token });

describe('starting a chat', () => {
  it('a guest starts a chat: a chat ticket, the first message, a token; a retry returns the same chat', async () => {
    const team = await teamWithCode();
    const clientId = `start-${randomUUID()}`;
    const c = await start(team.code, { message: '我的快递三天没动了', topic: '快件延误', clientId });
    expect(c.body.conversation).toMatchObject({ status: 'queued', queuePosition: 1, agent: null, teamId: team.id, visitorName: '王女士', topic: '快件延误' });
    expect(c.body.conversation.ticketNumber).toMatch(/^[A-Z]+\d+/);

    const again = await h.anon.post('/api/v1/chat/conversations', { name: '王女士', phone: '13912345678', team: team.code, message: '我的快递三天没动了', topic: '快件延误', clientId });
    expect(again.status).toBe(200);
    expect(again.body.conversation.id).toBe(c.id);
    expect(again.body.visitorToken).toBe(c.token);

    const agent = await h.user('agent');
    const ticket = await agent.client.get(`/api/v1/tickets/${c.ticketId}`);
    expect(ticket.body).toMatchObject({ channel: 'chat', subject: '快件延误', teamId: team.id, ownerId: null });
    const view = await h.anon.request('GET', `/api/v1/chat/conversations/${c.id}`, undefined, asCustomer(c));
    expect(view.status).toBe(200);
    const texts = view.body.messages.map((m: { author: string; body: string }) => [m.author, m.body]);
    expect(texts[0]).toEqual(['customer', '我的快递三天没动了']);
    // Nobody of the team is online: the customer is told at once that it is busy (C4), once.
    expect(texts.filter((t: string[]) => t[0] === 'system')).toEqual([['system', '您好,当前咨询量较大,我会尽快为您解答,请稍等~']]);
    // The guest's name and phone are on a customer record of their own (unverified), encrypted.
    const raw = await h.ctx.db.pool.query<{ phone_enc: string }>('SELECT phone_enc FROM customers WHERE id = $1', [view.body.conversation.customerId]);
    expect(raw.rows[0]!.phone_enc).not.toContain('13912345678');
  });

  it('refuses bad input with a clear 4xx and writes nothing', async () => {
    const before = (await h.ctx.db.pool.query<{ n: number }>('SELECT count(*) AS n FROM chat_conversations')).rows[0]!.n;
    for (const [body, status, text] of [
      [{ name: '' }, 400, 'name'],
      [{ name: '<script>' }, 400, 'name'],
      [{ name: '李', phone: '12345' }, 400, 'not a valid'],
      [{ name: '李', message: 'a\u0000b' }, 400, 'control'],
      [{ name: '李', team: 'no-such-team' }, 400, 'no-such-team'],
      [{ name: '李', message: '件'.repeat(4001) }, 400, 'message'],
    ] as const) {
      const res = await h.anon.post('/api/v1/chat/conversations', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message).toContain(text);
    }
    const after = (await h.ctx.db.pool.query<{ n: number }>('SELECT count(*) AS n FROM chat_conversations')).rows[0]!.n;
    expect(after).toBe(before);
  });

  it('only the visitor (token) or the signed-in owner sees a chat; staff cannot start one', async () => {
    const team = await teamWithCode();
    const c = await start(team.code);
    expect((await h.anon.get(`/api/v1/chat/conversations/${c.id}`)).status).toBe(404);
    expect((await h.anon.request('GET', `/api/v1/chat/conversations/${c.id}`, undefined, { 'x-chat-token': 'f'.repeat(64) })).status).toBe(404);
    const stranger = await h.user('customer');
    expect((await stranger.client.get(`/api/v1/chat/conversations/${c.id}`)).status).toBe(404);
    const agent = await h.user('agent');
    expect((await agent.client.get(`/api/v1/chat/conversations/${c.id}`)).status).toBe(200);
    expect((await agent.client.post('/api/v1/chat/conversations', { name: '坐席' })).status).toBe(403);

    // A signed-in customer's chat is on their own record and readable without a token.
    const me = await h.user('customer');
    const mine = await me.client.post('/api/v1/chat/conversations', { name: '赵先生', team: team.code });
    expect(mine.status).toBe(201);
    expect(mine.body.conversation.customerId).toBe(me.customerId);
    expect((await me.client.get(`/api/v1/chat/conversations/${mine.body.conversation.id}`)).status).toBe(200);

    // A socket without the token is refused.
    const ws = await ChatWs.open(h.url, { conversationId: c.id, token: 'nope' });
    sockets.push(ws);
    const err = await ws.next((f) => f.type === 'error');
    expect(err.code).toBe('not_found');
  });
});

describe('queue positions', () => {
  it('a chat’s place is in its own team’s line: chats waiting for another team are not ahead of it', async () => {
    const [a, b] = await Promise.all([teamWithCode(), teamWithCode()]);
    const b1 = await start(b.code, { clientId: `b1-${randomUUID()}` });
    const b2 = await start(b.code, { clientId: `b2-${randomUUID()}` });
    const a1 = await start(a.code, { clientId: `a1-${randomUUID()}` });
    expect([b1.body.conversation.queuePosition, b2.body.conversation.queuePosition, a1.body.conversation.queuePosition]).toEqual([1, 2, 1]);
  });
});

describe('routing and presence', () => {
  it('queues while nobody is online, routes by capacity when agents come online, shows queue positions', async () => {
    const team = await teamWithCode();
    const a = await start(team.code, { message: '第一位' });
    const b = await start(team.code, { message: '第二位' });
    const c3 = await start(team.code, { message: '第三位' });
    const q = async (c: { id: string; token: string }) => (await h.anon.request('GET', `/api/v1/chat/conversations/${c.id}`, undefined, asCustomer(c))).body.conversation;
    expect([(await q(a)).queuePosition, (await q(b)).queuePosition, (await q(c3)).queuePosition]).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    const pa = (await q(a)).queuePosition;
    expect((await q(b)).queuePosition).toBe(pa + 1);
    expect((await q(c3)).queuePosition).toBe(pa + 2);

    // The customer sees their place change live.
    const cws = await customerWs(c3);
    cws.send({ type: 'hello' });
    const hist = await cws.next((f) => f.type === 'history');
    expect(hist.conversation.status).toBe('queued');

    const one = await h.user('agent', { teamIds: [team.id] });
    const two = await h.user('agent', { teamIds: [team.id] });
    const away = await h.user('agent', { teamIds: [team.id] });
    expect((await away.client.put('/api/v1/chat/presence', { status: 'away' })).status).toBe(200);
    const p1 = await one.client.put('/api/v1/chat/presence', { status: 'online', capacity: 1 });
    expect(p1.body).toMatchObject({ status: 'online', capacity: 1, active: 1, available: true });
    expect((await q(a)).status).toBe('active');
    expect((await q(a)).agent.id).toBe(one.id);
    const moved = await cws.next((f) => f.type === 'state' && f.conversation.queuePosition === pa + 1);
    expect(moved.conversation.status).toBe('queued');

    await two.client.put('/api/v1/chat/presence', { status: 'online', capacity: 1 });
    expect((await q(b)).agent.id).toBe(two.id);
    // Both are full: the third waits, first in line now.
    const third = await q(c3);
    expect(third.status).toBe('queued');
    const offer = await cws.next((f) => f.type === 'state' && f.conversation.queuePosition === pa);
    expect(offer.conversation.status).toBe('queued');

    // The chat ticket's owner is the agent it was routed to (first contact, C3).
    expect((await one.client.get(`/api/v1/tickets/${a.ticketId}`)).body.ownerId).toBe(one.id);

    // Agent one ends a chat: room again, the waiting one is routed to them, and they are offered it live.
    const aws = await agentWs(one);
    const endRes = await one.client.post(`/api/v1/chat/conversations/${a.id}/end`);
    expect(endRes.body.conversation).toMatchObject({ status: 'ended', endedBy: 'agent' });
    const ended = await admin.client.get(`/api/v1/audit?entityType=chat&entityId=${a.id}&action=chat.end`);
    expect(ended.body.items.map((e: { actorId: string }) => e.actorId)).toEqual([one.id]);
    const offered = await aws.next((f) => f.type === 'offer');
    expect(offered.conversation.id).toBe(c3.id);
    const assigned = await cws.next((f) => f.type === 'state' && f.conversation.status === 'active');
    expect(assigned.conversation.agent.id).toBe(one.id);
    expect((await one.client.get('/api/v1/chat/mine')).body.items.map((c: { id: string }) => c.id)).toEqual([c3.id]);

    // Presence list for leads; agents only see their own via PUT.
    const lead = await h.user('team_lead');
    const list = await lead.client.get('/api/v1/chat/presence');
    expect(list.status).toBe(200);
    expect(list.body.items.find((p: { userId: string }) => p.userId === away.id)).toMatchObject({ status: 'away', available: false });
    expect((await one.client.get('/api/v1/chat/presence')).status).toBe(403);
    // Their own, for the console's switch on load: as set, or offline with the default capacity if never set.
    expect((await one.client.get('/api/v1/chat/presence/me')).body).toMatchObject({ userId: one.id, status: 'online', capacity: 1, active: 1, available: true });
    const fresh = await h.user('agent');
    expect((await fresh.client.get('/api/v1/chat/presence/me')).body).toMatchObject({ userId: fresh.id, status: 'offline', capacity: (await getSetting(h.ctx.db.pool, 'chat.service')).defaultCapacity, active: 0, available: false });
    const customerUser = await h.user('customer');
    expect((await customerUser.client.get('/api/v1/chat/presence/me')).status).toBe(403);
    expect((await h.anon.get('/api/v1/chat/presence/me')).status).toBe(401);
    for (const u of [one, two, away]) await u.client.put('/api/v1/chat/presence', { status: 'offline' });
  });

  it('an agent takes a waiting chat by hand, and two agents cannot take the same one', async () => {
    const team = await teamWithCode();
    const c = await start(team.code, { message: '有人吗' });
    const one = await h.user('agent', { teamIds: [team.id] });
    const two = await h.user('agent', { teamIds: [team.id] });
    const [r1, r2] = await Promise.all([one.client.post(`/api/v1/chat/conversations/${c.id}/accept`), two.client.post(`/api/v1/chat/conversations/${c.id}/accept`)]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    const winner = r1.status === 200 ? one : two;
    expect((await winner.client.get(`/api/v1/chat/conversations/${c.id}`)).body.conversation.agent.id).toBe(winner.id);
    const accepted = await admin.client.get(`/api/v1/audit?entityType=chat&entityId=${c.id}&action=chat.accept`);
    expect(accepted.body.items.map((e: { actorId: string }) => e.actorId)).toEqual([winner.id]);
    const queue = await one.client.get('/api/v1/chat/queue');
    expect(queue.body.items.some((x: { id: string }) => x.id === c.id)).toBe(false);
  });

  it('concurrent routing from several sweeps never fills an agent past capacity', async () => {
    const team = await teamWithCode();
    const agent = await h.user('agent', { teamIds: [team.id] });
    const chats = [];
    for (let i = 0; i < 5; i++) chats.push(await start(team.code, { message: `第${i}位` }));
    await h.ctx.db.pool.query(`INSERT INTO chat_presence (user_id, status, capacity, last_seen_at) VALUES ($1, 'online', 2, now())`, [agent.id]);
    await Promise.all([routeChats(h.ctx), routeChats(h.ctx), routeChats(h.ctx), sweepChat(h.ctx)]);
    const active = await h.ctx.db.pool.query<{ n: number }>(`SELECT count(*) AS n FROM chat_conversations WHERE agent_id = $1 AND status = 'active'`, [agent.id]);
    expect(active.rows[0]!.n).toBe(2);
    await agent.client.put('/api/v1/chat/presence', { status: 'offline' });
  });
});

describe('messages over the WebSocket', () => {
  it('acks once stored, delivers to the other side, never twice, and replays what a reconnect missed', async () => {
    const team = await teamWithCode();
    const agent = await h.user('agent', { teamIds: [team.id] });
    await agent.client.put('/api/v1/chat/presence', { status: 'online', capacity: 3 });
    const c = await start(team.code, { message: '你好' });
    const cws = await customerWs(c);
    cws.send({ type: 'hello' });
    const hist = await cws.next((f) => f.type === 'history');
    expect(hist.conversation).toMatchObject({ status: 'active', agent: { id: agent.id } });
    expect(hist.messages.map((m: { body: string }) => m.body)).toEqual(['你好']);

    const aws = await agentWs(agent);
    aws.send({ type: 'watch', conversationId: c.id });
    await aws.next((f) => f.type === 'history');

    // The customer sends; the same clientId again (a retry after a lost ack) stores nothing new.
    const clientId = `c-${randomUUID()}`;
    cws.send({ type: 'message', clientId, body: '运单号 SF1234567890 三天没更新' });
    cws.send({ type: 'message', clientId, body: '运单号 SF1234567890 三天没更新' });
    const acks = [await cws.next((f) => f.type === 'ack' && f.clientId === clientId), await cws.next((f, ) => f.type === 'ack' && f.clientId === clientId, 5000, cws.frames.findIndex((f) => f.type === 'ack' && f.clientId === clientId) + 1)];
    expect(acks[0]!.message.id).toBe(acks[1]!.message.id);
    const got = await aws.next((f) => f.type === 'message' && f.message.clientId === clientId);
    expect(got.message).toMatchObject({ author: 'customer', authorName: '王女士', body: '运单号 SF1234567890 三天没更新' });

    // Typing reaches the agent, not back to the customer.
    cws.send({ type: 'typing', on: true });
    const typing = await aws.next((f) => f.type === 'typing');
    expect(typing).toMatchObject({ conversationId: c.id, who: 'customer', name: '王女士', on: true });

    // The agent answers over the socket (the greeting, C5); the customer sees it and the agent typing.
    const scripts = await agent.client.get('/api/v1/chat/scripts');
    expect(scripts.body.greeting).toContain('快递客服');
    expect(scripts.body.greeting).not.toContain('{公司}');
    expect(scripts.body.closing).toBe('请问还有其他需要帮助的吗?感谢您的理解与支持,再见!');
    aws.send({ type: 'typing', on: true, conversationId: c.id });
    expect(await cws.next((f) => f.type === 'typing')).toMatchObject({ who: 'agent', on: true });
    aws.send({ type: 'message', conversationId: c.id, clientId: `a-${randomUUID()}`, body: scripts.body.greeting });
    const reply = await cws.next((f) => f.type === 'message' && f.message.author === 'agent');
    expect(reply.message.body).toBe(scripts.body.greeting);
    expect(reply.message.authorName).toBe(agent.username);

    // The first reply is measured against 60 s.
    const conv = (await agent.client.get(`/api/v1/chat/conversations/${c.id}`)).body.conversation;
    expect(conv.firstReplyWithinTarget).toBe(true);
    expect(conv.firstReplyMs).toBeGreaterThanOrEqual(0);

    // The customer drops; meanwhile the agent writes twice (one through the tickets API). On
    // reconnect, hello with the last id seen replays exactly those, nothing twice.
    const lastSeen = Math.max(...cws.frames.filter((f) => f.type === 'message' || f.type === 'ack').map((f) => f.message.id));
    await cws.close();
    aws.send({ type: 'message', conversationId: c.id, clientId: `a-${randomUUID()}`, body: '我帮您查一下' });
    await aws.next((f) => f.type === 'ack' && f.message.body === '我帮您查一下');
    const viaApi = await agent.client.post(`/api/v1/tickets/${c.ticketId}/messages`, { body: '快件在分拣中心,明天派送', visibility: 'public' });
    expect(viaApi.status).toBe(201);
    await agent.client.post(`/api/v1/tickets/${c.ticketId}/messages`, { body: '内部备注:客户很着急', visibility: 'internal' });
    const back = await customerWs(c);
    back.send({ type: 'hello', after: lastSeen });
    const replay = await back.next((f) => f.type === 'history');
    const replayed = replay.messages as { id: number; body: string }[];
    expect(replayed.filter((m) => m.id > lastSeen).map((m) => m.body)).toEqual(['我帮您查一下', '快件在分拣中心,明天派送']);
    // A resume repeats the last seconds before `after` (a message from another process may commit late); each once.
    expect(new Set(replayed.map((m) => m.id)).size).toBe(replayed.length);
    expect(replayed.some((m) => m.id === lastSeen)).toBe(true);

    // The whole chat is the ticket's timeline: every message once.
    const events = (await agent.client.get(`/api/v1/tickets/${c.ticketId}/events`)).body.items as { kind: string; body: string; data: { author?: string } }[];
    const messages = events.filter((e) => e.kind === 'message').map((e) => e.body);
    expect(messages.filter((b) => b === '运单号 SF1234567890 三天没更新')).toHaveLength(1);
    expect(messages).toContain('快件在分拣中心,明天派送');

    // A bad frame gets an error frame naming the problem, and the socket stays usable.
    back.send({ type: 'message', clientId: 'short', body: 'x' });
    expect((await back.next((f) => f.type === 'error')).message).toContain('clientId');
    back.ws.send('not json');
    await back.next((f) => f.type === 'error' && f.code === 'invalid_json');
    back.send({ type: 'message', clientId: `c-${randomUUID()}`, body: '   ' });
    await back.next((f) => f.type === 'error' && /empty/.test(f.message));
    back.send({ type: 'ping' });
    await back.next((f) => f.type === 'pong');

    // Ended chats take no more messages.
    await h.anon.request('POST', `/api/v1/chat/conversations/${c.id}/end`, {}, asCustomer(c));
    await back.next((f) => f.type === 'state' && f.conversation.status === 'ended');
    back.send({ type: 'message', clientId: `c-${randomUUID()}`, body: '还在吗' });
    expect((await back.next((f) => f.type === 'error' && f.code === 'conflict')).message).toContain('ended');
    await agent.client.put('/api/v1/chat/presence', { status: 'offline' });
  });

  it('tells agents who else follows a conversation (collision notice)', async () => {
    const team = await teamWithCode();
    const c = await start(team.code, { message: '你好' });
    const one = await h.user('agent', { teamIds: [team.id] });
    const lead = await h.user('team_lead', { teamIds: [team.id] });
    const ws1 = await agentWs(one);
    ws1.send({ type: 'watch', conversationId: c.id });
    const first = await ws1.next((f) => f.type === 'viewers');
    expect(first.agents.map((a: { id: string }) => a.id)).toEqual([one.id]);
    const ws2 = await agentWs(lead);
    ws2.send({ type: 'watch', conversationId: c.id });
    const both = await ws1.next((f) => f.type === 'viewers' && f.agents.length === 2);
    expect(both.agents.map((a: { id: string }) => a.id).sort()).toEqual([one.id, lead.id].sort());
    const from = ws1.frames.length;
    await ws2.close();
    const after = await ws1.next((f) => f.type === 'viewers' && f.agents.length === 1, 5000, from);
    expect(after.agents[0].id).toBe(one.id);
    // Customers cannot watch; agents cannot say hello as a customer.
    const cws = await customerWs(c);
    cws.send({ type: 'watch', conversationId: c.id });
    expect((await cws.next((f) => f.type === 'error')).code).toBe('forbidden');
  });
});

describe('busy notice and transfer', () => {
  it('sends the busy message once per waiting spell when the customer waits past the threshold', async () => {
    const team = await teamWithCode();
    const agent = await h.user('agent', { teamIds: [team.id] });
    await agent.client.put('/api/v1/chat/presence', { status: 'online', capacity: 3 });
    const c = await start(team.code, { message: '你好' });
    const busy = async () => (await h.anon.request('GET', `/api/v1/chat/conversations/${c.id}`, undefined, asCustomer(c))).body.messages.filter((m: { author: string }) => m.author === 'system').length;
    // An agent could take it: no notice yet.
    expect(await busy()).toBe(0);
    // Time passes (the clock is injected): past 45 s the sweep sends it, once, however often it runs.
    const later = { db: h.ctx.db, now: () => new Date(Date.now() + 46_000) };
    const sent = await Promise.all([sendBusyNotices(later, c.id), sendBusyNotices(later, c.id), sendBusyNotices(later, c.id)]);
    expect(sent.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await busy()).toBe(1);
    // The agent answers; a new customer message starts a new spell, which may get its own notice.
    const aws = await agentWs(agent);
    aws.send({ type: 'message', conversationId: c.id, clientId: `a-${randomUUID()}`, body: '您好' });
    await aws.next((f) => f.type === 'ack');
    expect(await sendBusyNotices({ db: h.ctx.db, now: () => new Date(Date.now() + 120_000) }, c.id)).toBe(0);
    const cws = await customerWs(c);
    cws.send({ type: 'message', clientId: `c-${randomUUID()}`, body: '还有一个问题' });
    await cws.next((f) => f.type === 'ack');
    expect(await sendBusyNotices({ db: h.ctx.db, now: () => new Date(Date.now() + 10_000) }, c.id)).toBe(0);
    expect(await sendBusyNotices({ db: h.ctx.db, now: () => new Date(Date.now() + 60_000) }, c.id)).toBe(1);
    expect(await busy()).toBe(2);
    const conv = (await agent.client.get(`/api/v1/chat/conversations/${c.id}`)).body.conversation;
    expect(conv.busyNotices).toBe(2);
    await agent.client.put('/api/v1/chat/presence', { status: 'offline' });
  });

  it('transfers to an agent or a team with a reason and the customer’s consent, recorded on the ticket', async () => {
    const team = await teamWithCode();
    const claims = await teamWithCode();
    const one = await h.user('agent', { teamIds: [team.id] });
    const two = await h.user('agent', { teamIds: [team.id] });
    const specialist = await h.user('agent', { teamIds: [claims.id] });
    await one.client.put('/api/v1/chat/presence', { status: 'online', capacity: 2 });
    const c = await start(team.code, { message: '我要理赔' });
    expect((await one.client.get(`/api/v1/chat/conversations/${c.id}`)).body.conversation.agent.id).toBe(one.id);

    const url = `/api/v1/chat/conversations/${c.id}/transfer`;
    expect((await one.client.post(url, { toAgentId: two.id, reason: '转专人', customerConsent: false })).status).toBe(400);
    expect((await one.client.post(url, { reason: '转专人', customerConsent: true })).status).toBe(400);
    expect((await one.client.post(url, { toAgentId: two.id, toTeamId: team.id, reason: '转专人', customerConsent: true })).status).toBe(400);
    const offline = await one.client.post(url, { toAgentId: two.id, reason: '转专人', customerConsent: true });
    expect(offline.status).toBe(409);
    expect(offline.body.error.message).toContain('not online');
    expect((await two.client.post(url, { toAgentId: one.id, reason: '抢单', customerConsent: true })).status).toBe(403);

    await two.client.put('/api/v1/chat/presence', { status: 'online', capacity: 2 });
    const toTwo = await one.client.post(url, { toAgentId: two.id, reason: '客户要求资深客服', customerConsent: true });
    expect(toTwo.status, JSON.stringify(toTwo.body)).toBe(200);
    expect(toTwo.body.conversation).toMatchObject({ status: 'active', agent: { id: two.id }, transfers: 1 });
    expect((await two.client.get(`/api/v1/tickets/${c.ticketId}`)).body.ownerId).toBe(two.id);

    // To the claims team's queue: the specialist comes online and gets it; never back to the passer.
    const toTeam = await two.client.post(url, { toTeamId: claims.id, reason: '理赔问题转理赔组', customerConsent: true });
    expect(toTeam.body.conversation).toMatchObject({ status: 'queued', teamId: claims.id, transfers: 2 });
    await specialist.client.put('/api/v1/chat/presence', { status: 'online', capacity: 1 });
    const now = (await specialist.client.get(`/api/v1/chat/conversations/${c.id}`)).body.conversation;
    expect(now).toMatchObject({ status: 'active', agent: { id: specialist.id } });

    const events = (await admin.client.get(`/api/v1/tickets/${c.ticketId}/events`)).body.items as { kind: string; body: string; data: Record<string, unknown> }[];
    const transfers = events.filter((e) => e.kind === 'chat_transfer');
    expect(transfers.map((e) => [e.body, e.data.customerConsent])).toEqual([['客户要求资深客服', true], ['理赔问题转理赔组', true]]);
    expect(events.filter((e) => e.kind === 'handover').map((e) => e.data.to)).toEqual([two.id, specialist.id]);
    const audit = await admin.client.get(`/api/v1/audit?entityType=chat&entityId=${c.id}`);
    expect(audit.status).toBe(200);
    const actions = (audit.body.items as { action: string; actorId: string | null }[]).map((e) => e.action).sort();
    expect(actions).toEqual(['chat.start', 'chat.transfer', 'chat.transfer']);

    for (const u of [one, two, specialist]) await u.client.put('/api/v1/chat/presence', { status: 'offline' });
  });
});

describe('recognising a guest later', () => {
  it('shows existing customers with the guest’s phone (masked); after verifying, the chat moves to that customer and into their history', async () => {
    const team = await teamWithCode();
    const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const known = await h.customer({ name: '张三', phone });
    const c = await start(team.code, { name: '张先生', phone, message: '我的快递到哪了' });
    const agent = await h.user('agent', { teamIds: [team.id] });
    const staffView = await agent.client.get(`/api/v1/chat/conversations/${c.id}`);
    expect(staffView.body.possibleCustomers.map((p: { id: string }) => p.id)).toEqual([known]);
    expect(staffView.body.possibleCustomers[0].phone).toMatch(/^137\*{4}\d{4}$/);
    // The customer side never sees the matches.
    const own = await h.anon.request('GET', `/api/v1/chat/conversations/${c.id}`, undefined, asCustomer(c));
    expect(own.body.possibleCustomers).toBeUndefined();

    const url = `/api/v1/chat/conversations/${c.id}/link-customer`;
    expect((await agent.client.post(url, { customerId: known, verifiedBy: '' })).status).toBe(400);
    expect((await agent.client.post(url, { customerId: randomUUID(), verifiedBy: '核对了运单号和收件人姓名' })).status).toBe(400);
    const linked = await agent.client.post(url, { customerId: known, verifiedBy: '核对了运单号和收件人姓名' });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.conversation.customerId).toBe(known);
    expect((await agent.client.get(`/api/v1/tickets/${c.ticketId}`)).body.customerId).toBe(known);
    const history = await agent.client.get(`/api/v1/customers/${known}/history`);
    expect(history.body.items.some((i: { kind: string; channel: string; ticketId: string }) => i.kind === 'ticket' && i.channel === 'chat' && i.ticketId === c.ticketId)).toBe(true);
    // The visitor carries on in the same chat with the same token.
    const cws = await customerWs(c);
    cws.send({ type: 'message', clientId: `c-${randomUUID()}`, body: '谢谢' });
    expect((await cws.next((f) => f.type === 'ack' || f.type === 'error')).type).toBe('ack');
    const audit = await admin.client.get(`/api/v1/audit?entityType=chat&entityId=${c.id}&action=chat.link_customer`);
    expect(audit.body.items[0].data).toMatchObject({ to: known, verifiedBy: '核对了运单号和收件人姓名' });
    // A signed-in customer's chat is theirs already.
    const me = await h.user('customer');
    const mine = await me.client.post('/api/v1/chat/conversations', { name: '赵先生', team: team.code });
    expect((await agent.client.post(`/api/v1/chat/conversations/${mine.body.conversation.id}/link-customer`, { customerId: known, verifiedBy: '核对' })).status).toBe(409);
  });
});
