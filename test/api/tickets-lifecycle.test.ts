/**
 * Tickets over HTTP: creation (number, types, categories, channels, tags, waybills, intake by
 * phone, special groups and urgent goods, Idempotency-Key) and the lifecycle of SPEC T2
 * (new → open → pending → resolved → closed, reopen, the closed loop, the timeline, clientId retries).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let admin: TestUser;
let agent: TestUser;
let teamId: string;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.user('admin');
  teamId = await h.team();
  agent = await h.user('agent', { teamIds: [teamId] });
});
afterAll(async () => {
  await h?.close();
});

interface Ticket {
  id: string;
  number: string;
  type: string;
  categoryId: string | null;
  categoryCode: string | null;
  channel: string;
  priority: string;
  status: string;
  waitingOn: string | null;
  subject: string;
  customerId: string | null;
  teamId: string | null;
  ownerId: string | null;
  specialGroups: string[];
  goods: string[];
  tags: string[];
  waybills: string[];
  customerNotifiedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  firstRespondedAt: string | null;
  serviceNotes: { code: string; zh: string; en: string }[];
  allowedStatuses: string[];
  slaState: string;
  clocks: { clock: string; status: string; stoppedAt: string | null }[];
  createdAt: string;
}

interface TimelineEvent {
  id: number;
  kind: string;
  actorId: string | null;
  visibility: string;
  body: string | null;
  data: Record<string, any>;
  clientId: string | null;
}

const shanghaiDay = (d: Date): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d).replaceAll('-', '');

async function create(client: Client, body: Record<string, unknown> = {}, headers?: Record<string, string>): Promise<Ticket> {
  const res = await client.post<Ticket>('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '咨询寄件价格', ...body }, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function get(id: string, client: Client = agent.client): Promise<Ticket> {
  const res = await client.get<Ticket>(`/api/v1/tickets/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function events(id: string, client: Client = agent.client): Promise<TimelineEvent[]> {
  const res = await client.get<{ items: TimelineEvent[] }>(`/api/v1/tickets/${id}/events`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

async function setStatus(client: Client, id: string, body: Record<string, unknown>, expected = 200): Promise<any> {
  const res = await client.post(`/api/v1/tickets/${id}/status`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(expected);
  return res.body;
}

async function reply(client: Client, id: string, body: Record<string, unknown> = {}): Promise<TimelineEvent> {
  const res = await client.post<TimelineEvent>(`/api/v1/tickets/${id}/messages`, { body: '您好,已为您查询。', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Tickets carrying `tag`, via the list endpoint (admin sees all). */
async function taggedTickets(tag: string): Promise<Ticket[]> {
  const res = await admin.client.get<{ items: Ticket[] }>(`/api/v1/tickets?tag=${encodeURIComponent(tag)}&limit=200`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

describe('creating tickets', () => {
  it('answers 201 with a GD number for today in Asia/Shanghai, a Location header and status new', async () => {
    const before = shanghaiDay(new Date());
    const res = await agent.client.post<Ticket>('/api/v1/tickets', { type: 'tracking', channel: 'phone', subject: '查询快件到哪了' });
    const after = shanghaiDay(new Date());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const t = res.body;
    expect(t.number).toMatch(/^GD\d{8}\d{6}$/);
    expect([before, after]).toContain(t.number.slice(2, 10));
    expect(Number(t.number.slice(10))).toBeGreaterThan(0);
    expect(res.headers.get('location')).toBe(`/api/v1/tickets/${t.id}`);
    expect(t).toMatchObject({ type: 'tracking', channel: 'phone', status: 'new', priority: 'normal', subject: '查询快件到哪了' });

    // The number works as an id, also typed in lower case.
    const byNumber = await get(t.number.toLowerCase());
    expect(byNumber.id).toBe(t.id);
  });

  it('lists the ticket types of T1 and the seeded multi-level categories', async () => {
    const types = await agent.client.get<{ items: { code: string; nameZh: string; nameEn: string }[] }>('/api/v1/ticket-types');
    expect(types.status).toBe(200);
    const codes = types.body.items.map((x) => x.code);
    expect(codes).toEqual(expect.arrayContaining(['consultation', 'order', 'tracking', 'problem_shipment', 'complaint', 'suggestion', 'after_sales', 'privacy_request']));
    expect(types.body.items.find((x) => x.code === 'complaint')?.nameZh).toBe('投诉');

    const cats = await agent.client.get<{ items: { id: string; parentId: string | null; code: string; nameZh: string; ticketType: string | null; skill: string | null }[] }>('/api/v1/categories');
    expect(cats.status).toBe(200);
    const problem = cats.body.items.find((c) => c.code === 'problem');
    const delay = cats.body.items.find((c) => c.code === 'problem.delay');
    expect(problem).toMatchObject({ parentId: null, ticketType: 'problem_shipment', skill: 'problem' });
    expect(delay).toMatchObject({ parentId: problem!.id, nameZh: '延误', ticketType: 'problem_shipment' });
    const product = cats.body.items.find((c) => c.code === 'after_sales.product');
    expect(product?.parentId).toBe(cats.body.items.find((c) => c.code === 'after_sales')?.id);

    // A ticket in a category carries the category's id and code.
    const t = await create(agent.client, { type: 'problem_shipment', categoryId: delay!.id, subject: '快件三天没有更新' });
    expect(t).toMatchObject({ type: 'problem_shipment', categoryId: delay!.id, categoryCode: 'problem.delay' });
  });

  it('rejects unknown types, categories and channels with 400 and creates nothing', async () => {
    const tag = `bad_${h.uid()}`;
    const unknownType = await agent.client.post('/api/v1/tickets', { type: 'no_such_type', channel: 'phone', subject: 'x', tags: [tag] });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.code).toBe('validation_failed');
    const unknownCategory = await agent.client.post('/api/v1/tickets', { type: 'consultation', categoryId: '00000000-0000-4000-8000-000000000000', channel: 'phone', subject: 'x', tags: [tag] });
    expect(unknownCategory.status).toBe(400);
    expect(unknownCategory.body.error.message).toContain('category');
    const badChannel = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'pigeon', subject: 'x', tags: [tag] });
    expect(badChannel.status).toBe(400);
    const badWaybill = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: 'x', tags: [tag], waybills: ['SF-12 34!'] });
    expect(badWaybill.status).toBe(400);
    expect(await taggedTickets(tag)).toEqual([]);
  });

  it('accepts every channel, keeps tags (trimmed, de-duplicated) and upper-cases waybills', async () => {
    const tag = `ch_${h.uid()}`;
    for (const channel of ['phone', 'chat', 'email', 'walk_in', 'web', 'api']) {
      const t = await create(agent.client, { channel, tags: [tag] });
      expect(t.channel).toBe(channel);
      // Answer the chat at once: its 60-second first-reply clock would otherwise breach during the run.
      if (channel === 'chat') await reply(agent.client, t.id);
    }
    const wb = `sf${Date.now()}`;
    const t = await create(agent.client, { tags: [tag, ` ${tag} `, '加急'], waybills: [wb, wb.toUpperCase(), 'yt1234567890'] });
    expect(t.tags).toEqual([tag, '加急']);
    expect(t.waybills).toEqual([wb.toUpperCase(), 'YT1234567890']);
    expect((await get(t.id)).waybills).toEqual([wb.toUpperCase(), 'YT1234567890']);
    expect((await taggedTickets(tag)).map((x) => x.channel).sort()).toEqual(['api', 'chat', 'email', 'phone', 'phone', 'walk_in', 'web']);
  });

  it('finds an existing customer by phone at intake, or creates one and finds it next time', async () => {
    const phone = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const existing = await h.customer({ phone, name: '王先生' });
    const t1 = await create(agent.client, { customer: { phone } });
    expect(t1.customerId).toBe(existing);
    // The same number written differently is the same customer.
    const t2 = await create(agent.client, { customer: { phone: `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` } });
    expect(t2.customerId).toBe(existing);

    const newPhone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const t3 = await create(agent.client, { customer: { phone: newPhone, name: '李女士' } });
    expect(t3.customerId).not.toBeNull();
    expect(t3.customerId).not.toBe(existing);
    const t4 = await create(agent.client, { customer: { phone: newPhone } });
    expect(t4.customerId).toBe(t3.customerId);

    // The detail shows the customer, masked for an agent.
    const detail = await agent.client.get(`/api/v1/tickets/${t3.id}`);
    expect(detail.body.customer.id).toBe(t3.customerId);
    expect(detail.body.customer.phone).not.toBe(newPhone);
    expect(detail.body.customer.phone).toContain(newPhone.slice(-4));

    const invalid = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: 'x', customer: { phone: '12345' } });
    expect(invalid.status).toBe(400);
  });

  it('raises the priority to high for special groups and shows the Chinese service notes', async () => {
    const elderly = await h.customer({ specialGroups: ['elderly'] });
    const t1 = await create(agent.client, { customerId: elderly, priority: 'low' });
    expect(t1.priority).toBe('high');
    expect(t1.specialGroups).toContain('elderly');
    const d1 = await get(t1.id);
    expect(d1.serviceNotes).toEqual([expect.objectContaining({ code: 'elderly', zh: expect.stringContaining('语速放慢') })]);

    const t2 = await create(agent.client, { specialGroups: ['pregnant'] });
    expect(t2.priority).toBe('high');
    const d2 = await get(t2.id);
    expect(d2.serviceNotes.map((n) => n.code)).toEqual(['pregnant']);
    expect(d2.serviceNotes[0]!.zh).toContain('孕妇优先');

    // A ticket of nobody special has no notes and keeps the requested priority.
    const plain = await create(agent.client, { priority: 'low' });
    expect(plain.priority).toBe('low');
    expect((await get(plain.id)).serviceNotes).toEqual([]);

    // The created event records why the priority was raised.
    const created = (await events(t2.id)).find((e) => e.kind === 'created')!;
    expect(created.data).toMatchObject({ priority: 'high', requestedPriority: 'normal', reasons: [{ kind: 'special_group', code: 'pregnant', raiseTo: 'high' }] });
  });

  it('makes medical goods urgent, by code or by a keyword in the text', async () => {
    const byCode = await create(agent.client, { goods: ['medical'], priority: 'normal' });
    expect(byCode.priority).toBe('urgent');
    expect(byCode.goods).toEqual(['medical']);
    const byText = await create(agent.client, { subject: '寄送胰岛素延误了' });
    expect(byText.priority).toBe('urgent');
    expect(byText.goods).toEqual(['medical']);
    // Urgent goods and a special group together: the highest wins.
    const both = await create(agent.client, { goods: ['medical'], specialGroups: ['elderly'] });
    expect(both.priority).toBe('urgent');
  });
});

describe('Idempotency-Key', () => {
  it('returns the same ticket for a retry with the same key and body (200), storing one row', async () => {
    const tag = `idem_${h.uid()}`;
    const key = `key-${h.uid()}`;
    const body = { type: 'consultation', channel: 'api', subject: '接口重试', tags: [tag] };
    const first = await agent.client.post<Ticket>('/api/v1/tickets', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const second = await agent.client.post<Ticket>('/api/v1/tickets', body, { 'idempotency-key': key });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.number).toBe(first.body.number);
    // The same request with its fields in another order (another client library) is the same request.
    const reordered = await agent.client.post<Ticket>('/api/v1/tickets', JSON.stringify({ tags: [tag], subject: '接口重试', channel: 'api', type: 'consultation' }), { 'idempotency-key': key });
    expect(reordered.status).toBe(200);
    expect(reordered.body.id).toBe(first.body.id);
    expect(await taggedTickets(tag)).toHaveLength(1);

    // The key belongs to the caller: another user with the same key gets their own ticket.
    const other = await h.user('agent');
    const theirs = await other.client.post<Ticket>('/api/v1/tickets', body, { 'idempotency-key': key });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
    expect(await taggedTickets(tag)).toHaveLength(2);
  });

  it('answers 422 idempotency_mismatch when the key is reused for a different body', async () => {
    const tag = `idem_${h.uid()}`;
    const key = `key-${h.uid()}`;
    const first = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'api', subject: '第一次', tags: [tag] }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const second = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'api', subject: '第二次', tags: [tag] }, { 'idempotency-key': key });
    expect(second.status).toBe(422);
    expect(second.body.error.code).toBe('idempotency_mismatch');
    expect((await taggedTickets(tag)).map((t) => t.subject)).toEqual(['第一次']);
  });

  it('creates exactly one ticket for 10 concurrent requests with the same key', async () => {
    const tag = `idem_${h.uid()}`;
    const key = `key-${h.uid()}`;
    const body = { type: 'consultation', channel: 'api', subject: '并发重试', tags: [tag] };
    const results = await Promise.all(Array.from({ length: 10 }, () => agent.client.post<Ticket>('/api/v1/tickets', body, { 'idempotency-key': key })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses, JSON.stringify(results.map((r) => r.body))).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const stored = await taggedTickets(tag);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).toBe(results[0]!.body.id);
  });
});

describe('lifecycle (T2)', () => {
  it('moves new → open on the first public agent reply, not on an internal note', async () => {
    const t = await create(agent.client);
    expect(t.status).toBe('new');
    const note = await agent.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '内部备注', visibility: 'internal' });
    expect(note.status).toBe(201);
    expect((await get(t.id)).status).toBe('new');
    await reply(agent.client, t.id);
    const after = await get(t.id);
    expect(after.status).toBe('open');
    expect(after.firstRespondedAt).not.toBeNull();
    const status = (await events(t.id)).filter((e) => e.kind === 'status');
    expect(status).toEqual([expect.objectContaining({ actorId: agent.id, data: expect.objectContaining({ from: 'new', to: 'open', reason: 'first reply', auto: 'first_reply' }) })]);
  });

  it('requires waitingOn for pending (400) and refuses new → closed (409 invalid_transition)', async () => {
    const t = await create(agent.client);
    const noWait = await agent.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'pending' });
    expect(noWait.status).toBe(400);
    expect(noWait.body.error.code).toBe('validation_failed');
    const badWait = await agent.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'pending', waitingOn: 'weather' });
    expect(badWait.status).toBe(400);

    const closed = await agent.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'closed' });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('invalid_transition');
    const same = await agent.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'new' });
    expect(same.status).toBe(400);

    // Nothing changed and nothing was recorded.
    expect((await get(t.id)).status).toBe('new');
    expect((await events(t.id)).filter((e) => e.kind === 'status')).toEqual([]);

    const pending = await setStatus(agent.client, t.id, { status: 'pending', waitingOn: 'department' });
    expect(pending).toMatchObject({ status: 'pending', waitingOn: 'department' });
    const switched = await setStatus(agent.client, t.id, { status: 'pending', waitingOn: 'customer' });
    expect(switched).toMatchObject({ status: 'pending', waitingOn: 'customer' });
  });

  it('closes only after the customer was told the result; reopen starts the loop again', async () => {
    const t = await create(agent.client);
    await reply(agent.client, t.id);
    await setStatus(agent.client, t.id, { status: 'pending', waitingOn: 'department' });
    const resolved = await setStatus(agent.client, t.id, { status: 'resolved' });
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.allowedStatuses).not.toContain('closed');

    const early = await agent.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'closed' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('customer_not_notified');
    expect((await get(t.id)).status).toBe('resolved');

    const told = await reply(agent.client, t.id, { body: '您的快件已找到,明天送达。', notifiesResult: true });
    expect(told.data.notifiesResult).toBe(true);
    const notified = await get(t.id);
    expect(notified.customerNotifiedAt).not.toBeNull();
    expect(notified.allowedStatuses).toContain('closed');
    const closed = await setStatus(agent.client, t.id, { status: 'closed', reason: '已解决' });
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).not.toBeNull();

    // Reopen: open again, and the next close needs the customer told again.
    const reopened = await setStatus(agent.client, t.id, { status: 'open', reason: '客户再次来电' });
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, resolvedAt: null, customerNotifiedAt: null });
    await setStatus(agent.client, t.id, { status: 'resolved' });
    const again = await agent.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'closed' });
    expect(again.body.error.code).toBe('customer_not_notified');

    // Told by phone instead of a reply.
    const byPhone = await agent.client.post<Ticket>(`/api/v1/tickets/${t.id}/customer-notified`, { channel: 'phone', summary: '电话告知客户处理结果' });
    expect(byPhone.status).toBe(200);
    expect(byPhone.body.customerNotifiedAt).not.toBeNull();
    await setStatus(agent.client, t.id, { status: 'closed' });

    // Every change is in the timeline with its actor, in order.
    const tl = await events(t.id);
    const changes = tl.filter((e) => e.kind === 'status').map((e) => [e.data.from, e.data.to, e.actorId]);
    expect(changes).toEqual([
      ['new', 'open', agent.id],
      ['open', 'pending', agent.id],
      ['pending', 'resolved', agent.id],
      ['resolved', 'closed', agent.id],
      ['closed', 'open', agent.id],
      ['open', 'resolved', agent.id],
      ['resolved', 'closed', agent.id],
    ]);
    const reopenEvent = tl.find((e) => e.kind === 'status' && e.data.from === 'closed')!;
    expect(reopenEvent.data).toMatchObject({ reopened: true, reason: '客户再次来电' });
    expect(tl.filter((e) => e.kind === 'customer_notified')).toEqual([expect.objectContaining({ actorId: agent.id, body: '电话告知客户处理结果', data: { channel: 'phone' } })]);
    const ids = tl.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('a customer reply on a ticket pending on the customer moves it back to open', async () => {
    const customer = await h.user('customer');
    const t = await create(agent.client, { customerId: customer.customerId });
    await reply(agent.client, t.id, { body: '请提供收件地址' });
    await setStatus(agent.client, t.id, { status: 'pending', waitingOn: 'customer' });

    const theirs = await customer.client.post<TimelineEvent>(`/api/v1/tickets/${t.id}/messages`, { body: '地址是北京市朝阳区' });
    expect(theirs.status).toBe(201);
    expect(theirs.body.data.author).toBe('customer');
    const after = await get(t.id);
    expect(after).toMatchObject({ status: 'open', waitingOn: null });
    const last = (await events(t.id)).filter((e) => e.kind === 'status').at(-1)!;
    expect(last).toMatchObject({ actorId: customer.id, data: { from: 'pending', to: 'open', reason: 'customer replied', auto: 'customer_replied' } });

    // A reply while pending on a department does not move it.
    await setStatus(agent.client, t.id, { status: 'pending', waitingOn: 'department' });
    await customer.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '请问进度?' });
    expect((await get(t.id)).status).toBe('pending');

    // Customers see the public timeline only and may not change status except reopening.
    await agent.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '内部:等待分拨中心', visibility: 'internal' });
    const seen = await events(t.id, customer.client);
    expect(seen.every((e) => e.visibility === 'public')).toBe(true);
    expect(seen.some((e) => e.body === '内部:等待分拨中心')).toBe(false);
    const resolveAttempt = await customer.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'resolved' });
    expect(resolveAttempt.status).toBe(403);
  });

  it('a customer message on a closed ticket keeps it closed with its SLA met; the customer may reopen it', async () => {
    const customer = await h.user('customer');
    const t = await create(agent.client, { customerId: customer.customerId });
    await reply(agent.client, t.id, { body: '已为您改约明天派送', notifiesResult: true });
    await setStatus(agent.client, t.id, { status: 'resolved' });
    const closed = await setStatus(agent.client, t.id, { status: 'closed' });
    expect(closed.slaState).toBe('met');

    const thanks = await customer.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '收到,谢谢' });
    expect(thanks.status).toBe(201);
    const after = await get(t.id);
    expect(after.status).toBe('closed');
    // No clock may run (and later breach, notifying people) on a closed ticket.
    expect(after.slaState).toBe('met');
    expect(after.clocks.filter((c) => c.stoppedAt === null)).toEqual([]);

    const resolveAttempt = await customer.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'resolved' });
    expect(resolveAttempt.status).toBe(403);
    const reopened = await customer.client.post<Ticket>(`/api/v1/tickets/${t.id}/status`, { status: 'open', reason: '问题未解决' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe('open');
    const last = (await events(t.id)).filter((e) => e.kind === 'status').at(-1)!;
    expect(last).toMatchObject({ actorId: customer.id, data: { from: 'closed', to: 'open', reopened: true } });
  });

  it('stores a message retried with the same clientId once (second answer 200, same event)', async () => {
    const t = await create(agent.client);
    const clientId = `msg-${h.uid()}`;
    const first = await agent.client.post<TimelineEvent>(`/api/v1/tickets/${t.id}/messages`, { body: '已登记', clientId });
    expect(first.status).toBe(201);
    expect(first.body.clientId).toBe(clientId);
    const second = await agent.client.post<TimelineEvent>(`/api/v1/tickets/${t.id}/messages`, { body: '已登记', clientId });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => agent.client.post<TimelineEvent>(`/api/v1/tickets/${t.id}/messages`, { body: '已登记', clientId })));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(concurrent.every((r) => r.body.id === first.body.id)).toBe(true);
    const messages = (await events(t.id)).filter((e) => e.kind === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ id: first.body.id, body: '已登记', clientId });
  });

  it('rejects an empty message and answers 404 for an unknown ticket', async () => {
    const t = await create(agent.client);
    const blank = await agent.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '   ' });
    expect(blank.status).toBe(400);
    const missing = await agent.client.get('/api/v1/tickets/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const missingNumber = await agent.client.post('/api/v1/tickets/GD20200101000001/status', { status: 'open' });
    expect(missingNumber.status).toBe(404);
  });
});
