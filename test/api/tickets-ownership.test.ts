/**
 * Who holds a ticket, over HTTP: first-contact ownership (C3), taking, hand-over with a reason,
 * automatic assignment by team strategy, capacity, skill, channel and presence (T4), escalation
 * with owner and deadline, merging and linking (T6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../src/db/database.ts';
import type { Role } from '../../src/domain/policy.ts';
import { createUser } from '../../src/services/accounts/accounts.ts';
import { Client, PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let admin: TestUser;
let logins = 0;

/**
 * Like h.user, but each login comes from its own client address (X-Forwarded-For; the app trusts
 * the proxy header): this file needs far more users than the login rate limit allows one address
 * per minute.
 */
async function user(role: Role, opts: { teamIds?: string[]; leadOf?: string[]; skills?: string[]; channels?: string[]; capacity?: number } = {}): Promise<TestUser> {
  const username = `${role}_${h.uid()}`;
  const customerId = role === 'customer' ? await h.customer() : null;
  const u = await withTx(h.ctx.db, (tx) => createUser(tx, null, { username, password: PASSWORD, role, customerId, channels: ['phone', 'chat', 'email', 'walk_in', 'web', 'api'], ...opts }));
  logins += 1;
  const res = await h.anon.post<{ token: string }>('/api/v1/auth/login', { username, password: PASSWORD }, { 'x-forwarded-for': `10.77.${logins >> 8}.${logins & 255}` });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { id: u.id, username, role, client: new Client(h.url, res.body.token), customerId };
}

beforeAll(async () => {
  h = await startHarness();
  admin = await user('admin');
});
afterAll(async () => {
  await h?.close();
});

interface Ticket {
  id: string;
  number: string;
  status: string;
  customerId: string | null;
  teamId: string | null;
  ownerId: string | null;
  tags: string[];
  waybills: string[];
  mergedIntoId: string | null;
  clocks: { clock: string; status: string; dueAt: string | null; stoppedAt: string | null }[];
}

interface TimelineEvent {
  id: number;
  ticketId: string;
  kind: string;
  actorId: string | null;
  body: string | null;
  data: Record<string, any>;
}

interface Notification {
  id: string;
  kind: string;
  ticketId: string | null;
  title: string;
  body: string;
}

async function create(client: Client, body: Record<string, unknown> = {}): Promise<Ticket> {
  const res = await client.post<Ticket>('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '咨询快件时效', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function get(id: string, client: Client = admin.client): Promise<Ticket> {
  const res = await client.get<Ticket>(`/api/v1/tickets/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function events(id: string, client: Client = admin.client): Promise<TimelineEvent[]> {
  const res = await client.get<{ items: TimelineEvent[] }>(`/api/v1/tickets/${id}/events`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

async function reply(client: Client, id: string, body = '您好,正在为您处理。'): Promise<void> {
  const res = await client.post(`/api/v1/tickets/${id}/messages`, { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function notifications(user: TestUser): Promise<Notification[]> {
  const res = await user.client.get<{ items: Notification[] }>('/api/v1/notifications');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

/** How many of `tickets` each user owns, keyed by user id (null: unowned). */
function ownerCounts(tickets: Ticket[]): Map<string | null, number> {
  const m = new Map<string | null, number>();
  for (const t of tickets) m.set(t.ownerId, (m.get(t.ownerId) ?? 0) + 1);
  return m;
}

describe('first-contact ownership (C3)', () => {
  it('the agent who creates a ticket owns it, in their team', async () => {
    const team = await h.team();
    const agent = await user('agent', { teamIds: [team] });
    const t = await create(agent.client);
    expect(t.ownerId).toBe(agent.id);
    expect(t.teamId).toBe(team);
    const assignment = (await events(t.id)).filter((e) => e.kind === 'assignment');
    expect(assignment).toEqual([expect.objectContaining({ actorId: agent.id, data: { ownerId: agent.id, teamId: team, by: 'first_contact' } })]);
  });

  it('an unowned ticket belongs to the first agent who replies; later replies by others do not change that', async () => {
    const team = await h.team();
    const first = await user('agent', { teamIds: [team] });
    const second = await user('agent', { teamIds: [team] });
    const t = await create(admin.client, { teamId: team, autoAssign: false });
    expect(t.ownerId).toBeNull();
    expect(t.teamId).toBe(team);

    await reply(first.client, t.id);
    expect((await get(t.id)).ownerId).toBe(first.id);
    await reply(second.client, t.id, '同事补充:已联系网点。');
    await second.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '内部备注', visibility: 'internal' });
    expect((await get(t.id)).ownerId).toBe(first.id);

    const assignments = (await events(t.id)).filter((e) => e.kind === 'assignment');
    expect(assignments).toEqual([expect.objectContaining({ actorId: first.id, data: expect.objectContaining({ ownerId: first.id, by: 'first_contact' }) })]);

    // A ticket a customer opened is unowned too, until an agent answers.
    const customer = await user('customer');
    const own = await create(customer.client, { channel: 'web', subject: '网上提交的咨询' });
    expect(own.ownerId).toBeNull();
    expect(own.customerId).toBe(customer.customerId);
    await reply(second.client, own.id);
    expect((await get(own.id)).ownerId).toBe(second.id);
  });

  it('take: an unowned ticket can be taken; an owned one answers 409', async () => {
    const team = await h.team();
    const a = await user('agent', { teamIds: [team] });
    const b = await user('agent', { teamIds: [team] });
    const t = await create(admin.client, { teamId: team, autoAssign: false });
    const taken = await a.client.post<Ticket>(`/api/v1/tickets/${t.id}/take`);
    expect(taken.status).toBe(200);
    expect(taken.body.ownerId).toBe(a.id);
    const again = await a.client.post<Ticket>(`/api/v1/tickets/${t.id}/take`);
    expect(again.status).toBe(200);
    const conflict = await b.client.post(`/api/v1/tickets/${t.id}/take`);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('conflict');
    expect((await get(t.id)).ownerId).toBe(a.id);

    const owned = await create(a.client);
    const steal = await b.client.post(`/api/v1/tickets/${owned.id}/take`);
    expect(steal.status).toBe(409);
    // Assigning an owned ticket (a lead) also needs a hand-over instead.
    const lead = await user('team_lead', { leadOf: [team] });
    const assign = await lead.client.post(`/api/v1/tickets/${owned.id}/assign`, { ownerId: b.id });
    expect(assign.status).toBe(409);
  });
});

describe('hand-over (C3)', () => {
  it('needs a reason, records it, changes the owner and notifies the new owner', async () => {
    const team = await h.team();
    const from = await user('agent', { teamIds: [team] });
    const to = await user('agent', { teamIds: [team] });
    const t = await create(from.client);

    const noReason = await from.client.post(`/api/v1/tickets/${t.id}/handover`, { toUserId: to.id });
    expect(noReason.status).toBe(400);
    const blankReason = await from.client.post(`/api/v1/tickets/${t.id}/handover`, { toUserId: to.id, reason: '   ' });
    expect(blankReason.status).toBe(400);
    const nobody = await from.client.post(`/api/v1/tickets/${t.id}/handover`, { reason: '下班交接' });
    expect(nobody.status).toBe(400);
    expect((await get(t.id)).ownerId).toBe(from.id);
    expect((await events(t.id)).filter((e) => e.kind === 'handover')).toEqual([]);

    const res = await from.client.post<Ticket>(`/api/v1/tickets/${t.id}/handover`, { toUserId: to.id, reason: '下班交接,客户需明早回电' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.ownerId).toBe(to.id);
    expect(res.body.teamId).toBe(team);

    const handovers = (await events(t.id)).filter((e) => e.kind === 'handover');
    expect(handovers).toEqual([
      expect.objectContaining({ actorId: from.id, data: { fromOwnerId: from.id, fromTeamId: team, toOwnerId: to.id, toTeamId: team, reason: '下班交接,客户需明早回电' } }),
    ]);
    const inbox = (await notifications(to)).filter((n) => n.ticketId === t.id);
    expect(inbox).toEqual([expect.objectContaining({ kind: 'handover', body: '下班交接,客户需明早回电' })]);
    expect(inbox[0]!.title).toContain(t.number);
    expect((await notifications(from)).filter((n) => n.ticketId === t.id)).toEqual([]);
  });

  it('a non-owner agent cannot hand over a colleague’s ticket (403); a team lead can', async () => {
    const team = await h.team();
    const owner = await user('agent', { teamIds: [team] });
    const other = await user('agent', { teamIds: [team] });
    const lead = await user('team_lead', { leadOf: [team] });
    const t = await create(owner.client);

    const denied = await other.client.post(`/api/v1/tickets/${t.id}/handover`, { toUserId: other.id, reason: '我来处理' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    expect((await get(t.id)).ownerId).toBe(owner.id);

    const moved = await lead.client.post<Ticket>(`/api/v1/tickets/${t.id}/handover`, { toUserId: other.id, reason: '负载均衡' });
    expect(moved.status).toBe(200);
    expect(moved.body.ownerId).toBe(other.id);
    const handover = (await events(t.id)).find((e) => e.kind === 'handover')!;
    expect(handover).toMatchObject({ actorId: lead.id, data: { fromOwnerId: owner.id, toOwnerId: other.id, reason: '负载均衡' } });
    expect((await notifications(other)).some((n) => n.ticketId === t.id && n.kind === 'handover')).toBe(true);

    // The former owner no longer holds it, so may not hand it over either.
    const former = await owner.client.post(`/api/v1/tickets/${t.id}/handover`, { toUserId: owner.id, reason: '拿回来' });
    expect(former.status).toBe(403);
    // Customers cannot own tickets.
    const customer = await user('customer');
    const toCustomer = await lead.client.post(`/api/v1/tickets/${t.id}/handover`, { toUserId: customer.id, reason: '转给客户' });
    expect(toCustomer.status).toBe(400);
  });

  it('a ticket cannot be created with a customer as its owner (as a hand-over cannot give it to one)', async () => {
    const lead = await user('team_lead'); // choosing another's owner on create is assigning
    const customer = await user('customer');
    const tag = `badowner_${h.uid()}`;
    const toCustomer = await lead.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '指定负责人', ownerId: customer.id, tags: [tag] });
    expect(toCustomer.status).toBe(400);
    expect(toCustomer.body.error.code).toBe('validation_failed');
    const colleague = await user('agent');
    const ok = await lead.client.post<Ticket>('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '指定负责人', ownerId: colleague.id, tags: [tag] });
    expect(ok.status).toBe(201);
    expect(ok.body.ownerId).toBe(colleague.id);
    const listed = await admin.client.get(`/api/v1/tickets?tag=${tag}`);
    expect(listed.body.items.map((t: Ticket) => t.ownerId)).toEqual([colleague.id]);
  });
});

describe('automatic assignment (T4)', () => {
  it('round_robin spreads 6 tickets 2-2-2 over 3 agents (API key)', async () => {
    const team = await h.team({ strategy: 'round_robin' });
    const agents = await Promise.all([1, 2, 3].map(() => user('agent', { teamIds: [team] })));
    const key = await h.apiKey('team_lead');
    const tickets: Ticket[] = [];
    for (let i = 0; i < 6; i++) tickets.push(await create(key, { channel: 'api', teamId: team, autoAssign: true }));
    const counts = ownerCounts(tickets);
    expect([...counts.keys()].sort()).toEqual(agents.map((a) => a.id).sort());
    expect([...counts.values()]).toEqual([2, 2, 2]);
    // Round robin: the first three go to three different agents, the next three repeat that order.
    expect(tickets.slice(3).map((t) => t.ownerId)).toEqual(tickets.slice(0, 3).map((t) => t.ownerId));
    expect((await events(tickets[0]!.id)).find((e) => e.kind === 'assignment')?.data).toMatchObject({ ownerId: tickets[0]!.ownerId, teamId: team, by: 'auto' });
  });

  it('round_robin also works for a lead creating with autoAssign:true (the lead is not given the ticket)', async () => {
    const team = await h.team({ strategy: 'round_robin' });
    const agents = await Promise.all([1, 2, 3].map(() => user('agent', { teamIds: [team] })));
    const lead = await user('team_lead', { leadOf: [await h.team()] });
    const tickets: Ticket[] = [];
    for (let i = 0; i < 6; i++) tickets.push(await create(lead.client, { teamId: team, autoAssign: true }));
    const counts = ownerCounts(tickets);
    expect([...counts.keys()].sort()).toEqual(agents.map((a) => a.id).sort());
    expect([...counts.values()]).toEqual([2, 2, 2]);
  });

  it('round_robin stays even when the tickets arrive all at once', async () => {
    const team = await h.team({ strategy: 'round_robin' });
    const agents = await Promise.all([1, 2, 3].map(() => user('agent', { teamIds: [team] })));
    const key = await h.apiKey('team_lead');
    const res = await Promise.all(Array.from({ length: 9 }, (_, i) => key.post<Ticket>('/api/v1/tickets', { type: 'consultation', channel: 'api', subject: `并发分配 ${i}`, teamId: team, autoAssign: true })));
    expect(res.map((r) => r.status)).toEqual(Array(9).fill(201));
    const counts = ownerCounts(res.map((r) => r.body));
    expect([...counts.keys()].sort()).toEqual(agents.map((a) => a.id).sort());
    expect([...counts.values()]).toEqual([3, 3, 3]);
  });

  it('least_loaded never exceeds capacity when the tickets arrive all at once', async () => {
    const team = await h.team({ strategy: 'least_loaded' });
    const one = await user('agent', { teamIds: [team], capacity: 1 });
    const two = await user('agent', { teamIds: [team], capacity: 2 });
    const key = await h.apiKey('team_lead');
    const res = await Promise.all(Array.from({ length: 8 }, (_, i) => key.post<Ticket>('/api/v1/tickets', { type: 'consultation', channel: 'api', subject: `并发容量 ${i}`, teamId: team, autoAssign: true })));
    expect(res.map((r) => r.status)).toEqual(Array(8).fill(201));
    const counts = ownerCounts(res.map((r) => r.body));
    expect(counts.get(one.id)).toBe(1);
    expect(counts.get(two.id)).toBe(2);
    expect(counts.get(null)).toBe(5);
  });

  it('least_loaded respects capacity, and freed capacity is used again', async () => {
    const team = await h.team({ strategy: 'least_loaded' });
    const small = await user('agent', { teamIds: [team], capacity: 1 });
    const big = await user('agent', { teamIds: [team], capacity: 3 });
    const key = await h.apiKey('team_lead');
    const tickets: Ticket[] = [];
    for (let i = 0; i < 5; i++) tickets.push(await create(key, { channel: 'api', teamId: team, autoAssign: true }));
    const counts = ownerCounts(tickets);
    expect(counts.get(small.id)).toBe(1);
    expect(counts.get(big.id)).toBe(3);
    // Nobody has room for the fifth: it waits unowned in the team's queue.
    expect(tickets[4]!).toMatchObject({ ownerId: null, teamId: team });

    // Resolving the small agent's ticket frees their capacity.
    const smallTicket = tickets.find((t) => t.ownerId === small.id)!;
    const resolved = await small.client.post(`/api/v1/tickets/${smallTicket.id}/status`, { status: 'resolved' });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    const next = await create(key, { channel: 'api', teamId: team, autoAssign: true });
    expect(next.ownerId).toBe(small.id);
  });

  it('least_loaded prefers the lower load relative to capacity', async () => {
    const team = await h.team({ strategy: 'least_loaded' });
    const a = await user('agent', { teamIds: [team], capacity: 2 });
    const b = await user('agent', { teamIds: [team], capacity: 6 });
    const key = await h.apiKey('team_lead');
    const tickets: Ticket[] = [];
    for (let i = 0; i < 8; i++) tickets.push(await create(key, { channel: 'api', teamId: team, autoAssign: true }));
    const counts = ownerCounts(tickets);
    expect(counts.get(a.id)).toBe(2);
    expect(counts.get(b.id)).toBe(6);
    // After 4 tickets the loads are equal shares of capacity: 1/2 and 3/6.
    const firstFour = ownerCounts(tickets.slice(0, 4));
    expect(firstFour.get(a.id)).toBe(1);
    expect(firstFour.get(b.id)).toBe(3);
  });

  it('a category with a skill goes only to agents with that skill', async () => {
    const skill = `skill_${h.uid()}`;
    const cat = await admin.client.post('/api/v1/categories', { code: `own_${h.uid()}`, nameZh: '技能测试', nameEn: 'Skill test', ticketType: 'complaint', skill });
    expect(cat.status, JSON.stringify(cat.body)).toBe(201);
    const team = await h.team({ strategy: 'least_loaded' });
    const skilled = await user('agent', { teamIds: [team], skills: [skill] });
    const plain = await user('agent', { teamIds: [team] });
    const key = await h.apiKey('team_lead');
    const withSkill: Ticket[] = [];
    for (let i = 0; i < 3; i++) withSkill.push(await create(key, { type: 'complaint', categoryId: cat.body.id, channel: 'api', teamId: team, autoAssign: true }));
    expect(withSkill.map((t) => t.ownerId)).toEqual([skilled.id, skilled.id, skilled.id]);
    // Without a category anyone may take it: the least loaded (the plain agent) does.
    const any = await create(key, { channel: 'api', teamId: team, autoAssign: true });
    expect(any.ownerId).toBe(plain.id);

    // Nobody has the skill: the ticket stays unowned rather than going to the wrong agent.
    const otherTeam = await h.team();
    await user('agent', { teamIds: [otherTeam] });
    const none = await create(key, { type: 'complaint', categoryId: cat.body.id, channel: 'api', teamId: otherTeam, autoAssign: true });
    expect(none.ownerId).toBeNull();
  });

  it('assigns by channel: only agents serving the ticket’s channel', async () => {
    const team = await h.team({ strategy: 'least_loaded' });
    const phoneAgent = await user('agent', { teamIds: [team], channels: ['phone'] });
    const mailAgent = await user('agent', { teamIds: [team], channels: ['email'] });
    const key = await h.apiKey('team_lead');
    const mails: Ticket[] = [];
    for (let i = 0; i < 3; i++) mails.push(await create(key, { channel: 'email', teamId: team, autoAssign: true }));
    expect(mails.map((t) => t.ownerId)).toEqual([mailAgent.id, mailAgent.id, mailAgent.id]);
    const call = await create(key, { channel: 'phone', teamId: team, autoAssign: true });
    expect(call.ownerId).toBe(phoneAgent.id);
    const web = await create(key, { channel: 'web', teamId: team, autoAssign: true });
    expect(web.ownerId).toBeNull();
  });

  it('skips agents who set themselves unavailable', async () => {
    const team = await h.team({ strategy: 'round_robin' });
    const [a, away, c] = await Promise.all([1, 2, 3].map(() => user('agent', { teamIds: [team] })));
    const off = await away!.client.patch(`/api/v1/users/${away!.id}`, { available: false });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.available).toBe(false);
    // Another agent may not change a colleague's presence.
    const meddle = await a!.client.patch(`/api/v1/users/${c!.id}`, { available: false });
    expect(meddle.status).toBe(403);

    const key = await h.apiKey('team_lead');
    const tickets: Ticket[] = [];
    for (let i = 0; i < 4; i++) tickets.push(await create(key, { channel: 'api', teamId: team, autoAssign: true }));
    const counts = ownerCounts(tickets);
    expect(counts.get(away!.id)).toBeUndefined();
    expect(counts.get(a!.id)).toBe(2);
    expect(counts.get(c!.id)).toBe(2);

    // Back at the desk (an admin may set it too): assigned again.
    const on = await admin.client.patch(`/api/v1/users/${away!.id}`, { available: true });
    expect(on.status).toBe(200);
    const next = await create(key, { channel: 'api', teamId: team, autoAssign: true });
    expect(next.ownerId).toBe(away!.id);
  });
});

describe('escalation (T4)', () => {
  it('creates an escalation with owner and a 24 h deadline, notifies the owner, runs and stops the escalation_reply clock', async () => {
    const team = await h.team();
    const agent = await user('agent', { teamIds: [team] });
    const senior = await user('agent');
    const t = await create(agent.client, { type: 'complaint', subject: '投诉快递员态度' });

    const noReason = await agent.client.post(`/api/v1/tickets/${t.id}/escalations`, { level: 'senior', ownerId: senior.id });
    expect(noReason.status).toBe(400);
    const customer = await user('customer');
    const customerOwner = await agent.client.post(`/api/v1/tickets/${t.id}/escalations`, { level: 'senior', ownerId: customer.id, reason: '需要高级处理' });
    expect(customerOwner.status).toBe(400);

    const before = Date.now();
    const res = await agent.client.post(`/api/v1/tickets/${t.id}/escalations`, { level: 'senior', ownerId: senior.id, reason: '客户要求赔偿,超出权限' });
    const after = Date.now();
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const esc = res.body;
    expect(esc).toMatchObject({ ticketId: t.id, level: 'senior', ownerId: senior.id, reason: '客户要求赔偿,超出权限', status: 'open', answeredAt: null });
    const deadline = new Date(esc.deadlineAt).getTime();
    expect(deadline).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 1_000);
    expect(deadline).toBeLessThanOrEqual(after + 24 * 3_600_000 + 1_000);

    const inbox = (await notifications(senior)).filter((n) => n.ticketId === t.id);
    expect(inbox).toEqual([expect.objectContaining({ kind: 'escalation' })]);
    expect(inbox[0]!.title).toContain(t.number);

    const clock = (await get(t.id)).clocks.find((c) => c.clock === 'escalation_reply');
    expect(clock).toMatchObject({ status: 'running', stoppedAt: null, dueAt: esc.deadlineAt });
    const listed = await agent.client.get(`/api/v1/tickets/${t.id}/escalations`);
    expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([esc.id]);
    expect((await events(t.id)).find((e) => e.kind === 'escalation')?.data).toMatchObject({ escalationId: esc.id, level: 'senior', ownerId: senior.id });

    const answered = await senior.client.post(`/api/v1/tickets/${t.id}/escalations/${esc.id}/answer`, { answer: '同意按保价赔付' });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({ id: esc.id, status: 'answered' });
    expect(answered.body.answeredAt).not.toBeNull();
    const stopped = (await get(t.id)).clocks.find((c) => c.clock === 'escalation_reply');
    expect(stopped?.stoppedAt).not.toBeNull();
    expect(stopped?.status).toBe('met');
    expect((await events(t.id)).find((e) => e.kind === 'escalation_answer')).toMatchObject({ actorId: senior.id, body: '同意按保价赔付' });

    const twice = await senior.client.post(`/api/v1/tickets/${t.id}/escalations/${esc.id}/answer`, { answer: '再答一次' });
    expect(twice.status).toBe(404);
  });

  it('a closed ticket cannot be escalated (409): its clocks are over', async () => {
    const agent = await user('agent');
    const senior = await user('agent');
    const t = await create(agent.client);
    await agent.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '已处理', notifiesResult: true });
    expect((await agent.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'resolved' })).status).toBe(200);
    expect((await agent.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'closed' })).status).toBe(200);
    const res = await agent.client.post(`/api/v1/tickets/${t.id}/escalations`, { level: 'senior', ownerId: senior.id, reason: '已关闭仍升级' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    const after = await get(t.id);
    expect(after.clocks.filter((c) => c.stoppedAt === null)).toEqual([]);
    expect((await notifications(senior)).filter((n) => n.ticketId === t.id)).toEqual([]);
  });
});

describe('merge and links (T6)', () => {
  it('merging closes the source, points it at the target, shows its messages in the target timeline and unites waybills', async () => {
    const agent = await user('agent');
    const customer = await h.customer();
    const wb1 = `SF${Date.now()}1`;
    const wb2 = `YT${Date.now()}2`;
    const source = await create(agent.client, { customerId: customer, waybills: [wb1], tags: ['重复来电'] });
    const target = await create(agent.client, { customerId: customer, waybills: [wb2] });
    await reply(agent.client, source.id, '来源工单中的回复');

    const res = await agent.client.post<Ticket>(`/api/v1/tickets/${source.id}/merge`, { intoTicket: target.number, reason: 'duplicate' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.id).toBe(target.id);
    expect([...res.body.waybills].sort()).toEqual([wb1, wb2].sort());
    expect(res.body.tags).toContain('重复来电');

    const src = await get(source.id);
    expect(src).toMatchObject({ status: 'closed', mergedIntoId: target.id });
    const tl = await events(target.id);
    expect(tl.some((e) => e.ticketId === source.id && e.kind === 'message' && e.body === '来源工单中的回复')).toBe(true);
    expect(tl.find((e) => e.ticketId === target.id && e.kind === 'merge')?.data).toMatchObject({ from: source.id, fromNumber: source.number });

    // The merged ticket is done: no more status changes, no second merge.
    const again = await agent.client.post(`/api/v1/tickets/${source.id}/merge`, { intoTicket: target.id });
    expect(again.status).toBe(409);
    const reopen = await agent.client.post(`/api/v1/tickets/${source.id}/status`, { status: 'open' });
    expect(reopen.status).toBe(409);
    // Both sides show a duplicate link.
    const links = await agent.client.get(`/api/v1/tickets/${target.id}/links`);
    expect(links.body.items).toEqual([expect.objectContaining({ otherId: source.id, kind: 'duplicate' })]);
  });

  it('refuses to merge tickets of different customers (409) and changes nothing', async () => {
    const agent = await user('agent');
    const a = await create(agent.client, { customerId: await h.customer(), waybills: ['SF000111222'] });
    const b = await create(agent.client, { customerId: await h.customer() });
    const res = await agent.client.post(`/api/v1/tickets/${a.id}/merge`, { intoTicket: b.id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(await get(a.id)).toMatchObject({ status: 'new', mergedIntoId: null });
    expect((await get(b.id)).waybills).toEqual([]);
    const self = await agent.client.post(`/api/v1/tickets/${a.id}/merge`, { intoTicket: a.number });
    expect(self.status).toBe(400);
  });

  it('links are visible from both tickets with inverse kinds', async () => {
    const agent = await user('agent');
    const parent = await create(agent.client, { subject: '批量延误' });
    const child = await create(agent.client, { subject: '其中一件延误' });
    const res = await agent.client.post(`/api/v1/tickets/${child.id}/links`, { otherTicket: parent.number, kind: 'parent' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ ticketId: child.id, otherId: parent.id, kind: 'parent' });

    const fromChild = await agent.client.get(`/api/v1/tickets/${child.id}/links`);
    expect(fromChild.body.items).toEqual([{ otherId: parent.id, otherNumber: parent.number, kind: 'parent', subject: '批量延误', status: 'new' }]);
    const fromParent = await agent.client.get(`/api/v1/tickets/${parent.id}/links`);
    expect(fromParent.body.items).toEqual([{ otherId: child.id, otherNumber: child.number, kind: 'child', subject: '其中一件延误', status: 'new' }]);
    expect((await events(parent.id)).find((e) => e.kind === 'link')?.data).toMatchObject({ otherId: child.id, kind: 'child' });

    const related = await create(agent.client);
    await agent.client.post(`/api/v1/tickets/${parent.id}/links`, { otherTicket: related.id });
    const all = await agent.client.get(`/api/v1/tickets/${parent.id}/links`);
    expect(all.body.items.map((l: { otherId: string; kind: string }) => [l.otherId, l.kind])).toEqual([[child.id, 'child'], [related.id, 'related']]);
    const selfLink = await agent.client.post(`/api/v1/tickets/${parent.id}/links`, { otherTicket: parent.id });
    expect(selfLink.status).toBe(400);
  });
});
