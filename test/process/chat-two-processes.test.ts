/**
 * Issue 4: "a customer connected to process A and an agent connected to process B talk normally".
 * Two real `parceldesk start` processes on the run's PostgreSQL; live frames cross between them
 * through LISTEN/NOTIFY. (The embedded PGlite does not pass notifications through its socket and
 * runs as one server process, so this runs on PostgreSQL only; one process is tested in chat.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatWs } from '../support/chat-client.ts';
import { Client, startHarness, type Harness, type TestUser } from '../support/harness.ts';
import { spawnServer, stopServers, type ServerProcess } from '../support/processes.ts';

const onPostgres = !!process.env.DATABASE_URL;
let h: Harness;
let procs: ServerProcess[] = [];
const sockets: ChatWs[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  h = await startHarness();
  procs = await Promise.all(['a', 'b'].map((name) => spawnServer({ name, jobs: true, jobNames: ['chat-sweep'] })));
}, 120_000);

afterAll(async () => {
  for (const s of sockets) await s.close();
  await stopServers(procs, 5_000);
  await h?.close();
}, 60_000);

describe.runIf(onPostgres)('chat across two server processes', () => {
  it('customer on A and agent on B exchange messages, typing and state, each message once', async () => {
    const [a, b] = procs as [ServerProcess, ServerProcess];
    const teamId = await h.team();
    const code = (await h.ctx.db.pool.query<{ code: string }>('SELECT code FROM teams WHERE id = $1', [teamId])).rows[0]!.code;
    const agent: TestUser = await h.user('agent', { teamIds: [teamId] });
    const agentOnB = new Client(b.url, agent.client.token);
    expect((await agentOnB.put('/api/v1/chat/presence', { status: 'online', capacity: 2 })).status).toBe(200);
    const aws = await ChatWs.open(b.url, { bearer: agent.client.token! });
    sockets.push(aws);

    const start = await new Client(a.url).post('/api/v1/chat/conversations', { name: '跨进程客户', team: code, message: '你好' });
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    const id = start.body.conversation.id as string;
    // Routed on A, offered live on B.
    const offer = await aws.next((f) => f.type === 'offer' && f.conversation.id === id, 10_000);
    expect(offer.conversation.agent.id).toBe(agent.id);

    const cws = await ChatWs.open(a.url, { conversationId: id, token: start.body.visitorToken });
    sockets.push(cws);
    cws.send({ type: 'hello' });
    await cws.next((f) => f.type === 'history');
    aws.send({ type: 'watch', conversationId: id });
    await aws.next((f) => f.type === 'history');

    const N = 20;
    for (let i = 0; i < N; i++) cws.send({ type: 'message', clientId: `c-${i}-${randomUUID()}`, body: `客户消息 ${i}` });
    for (let i = 0; i < N; i++) aws.send({ type: 'message', conversationId: id, clientId: `a-${i}-${randomUUID()}`, body: `坐席回复 ${i}` });
    cws.send({ type: 'typing', on: true });
    await aws.next((f) => f.type === 'typing' && f.who === 'customer', 10_000);
    await aws.next((f) => f.type === 'message' && f.message.body === `客户消息 ${N - 1}`, 10_000);
    await cws.next((f) => f.type === 'message' && f.message.body === `坐席回复 ${N - 1}`, 10_000);
    await new Promise((r) => setTimeout(r, 300));

    const seenByAgent = aws.all('message').filter((f) => f.conversationId === id && f.message.author === 'customer').map((f) => f.message.body);
    const seenByCustomer = cws.all('message').filter((f) => f.message.author === 'agent').map((f) => f.message.body);
    expect(seenByAgent).toEqual(Array.from({ length: N }, (_, i) => `客户消息 ${i}`));
    expect(seenByCustomer).toEqual(Array.from({ length: N }, (_, i) => `坐席回复 ${i}`));

    // The agent on B ends the chat; the customer on A sees it end.
    expect((await agentOnB.post(`/api/v1/chat/conversations/${id}/end`)).status).toBe(200);
    await cws.next((f) => f.type === 'state' && f.conversation.status === 'ended', 10_000);
    await agentOnB.put('/api/v1/chat/presence', { status: 'offline' });
  }, 60_000);
});
