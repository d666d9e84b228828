/**
 * SLA clocks (SPEC T5) over HTTP: default clocks, start/stop/pause/resume by ticket events, an
 * admin's target change applied at once, business-hours deadlines, and the sweep that warns and
 * breaches — notifying owner and lead exactly once, even when sweeps run side by side.
 *
 * Tests that need short targets create their own category and SLA policies restricted to it, so
 * the shared database's other tickets are not affected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusinessTime, type BusinessCalendar } from '../../src/domain/business-hours.ts';
import { SLA_POLICY_SEEDS } from '../../src/db/seed-defaults.ts';
import { sweepSla } from '../../src/services/sla/sweep-sla.ts';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let h: Harness;
let admin: TestUser;
let agent: TestUser;
let lead: TestUser;
let teamId: string;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.user('admin');
  teamId = await h.team();
  lead = await h.user('team_lead', { leadOf: [teamId] });
  agent = await h.user('agent', { teamIds: [teamId] });
});
afterAll(async () => {
  await h?.close();
});

// ---------------------------------------------------------------------------------------------
// helpers

interface ClockView {
  clock: string;
  targetMs: number;
  mode: 'business' | 'calendar';
  status: string;
  dueAt: string | null;
  remainingMs: number | null;
  consumedMs: number;
  stoppedAt: string | null;
  breachedAt: string | null;
}

interface TicketDetail {
  id: string;
  number: string;
  status: string;
  ownerId: string | null;
  teamId: string | null;
  slaState: string;
  slaDueAt: string | null;
  createdAt: string;
  firstRespondedAt: string | null;
  clocks: ClockView[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until the wall clock has passed `at` (a deadline the server computed). */
async function waitPast(at: string | Date): Promise<void> {
  const ms = new Date(at).getTime() - Date.now();
  if (ms >= 0) await sleep(ms + 25);
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Sweeps until `done` holds. Usually the first sweep does it; but another process's sweep (the
 * three-process test shares the database) may hold the clock row for a moment, and this sweep
 * then skips it (SKIP LOCKED) — the other one's marks and notifications follow at its commit.
 */
async function sweepUntil(what: string, done: () => Promise<boolean>): Promise<void> {
  await until(what, async () => {
    await sweepSla(h.ctx.db);
    return done();
  }, 20_000);
}

const marked = (ticketId: string, clock: string, mark: 'warned_at' | 'breached_at') => async (): Promise<boolean> => (await clockRow(ticketId, clock))[mark] !== null;

async function newCategory(ticketType = 'consultation'): Promise<{ id: string; code: string }> {
  const code = `slatest_${h.uid()}`;
  const res = await admin.client.post('/api/v1/categories', { code, nameZh: 'SLA 测试', nameEn: 'SLA test', ticketType });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, code };
}

interface PolicyInput {
  clock?: string;
  targetMinutes: number;
  mode?: 'business' | 'calendar';
  calendarId?: string;
  warnFraction?: number;
  startsOn?: string;
  stopsOn?: string;
  channel?: string;
}

async function newPolicy(categoryCode: string, p: PolicyInput): Promise<{ id: string; targetMinutes: number }> {
  const res = await admin.client.post('/api/v1/sla-policies', {
    clock: 'first_response',
    nameZh: '测试时限',
    nameEn: 'test target',
    categoryCode,
    mode: 'calendar',
    startsOn: 'ticket_created',
    stopsOn: 'agent_reply',
    ...p,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function createTicket(client: Client, body: Record<string, unknown> = {}): Promise<TicketDetail> {
  const res = await client.post<TicketDetail>('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: 'SLA 时限测试', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function getTicket(id: string, client: Client = agent.client): Promise<TicketDetail> {
  const res = await client.get<TicketDetail>(`/api/v1/tickets/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

function clockOf(t: TicketDetail, name: string): ClockView {
  const c = t.clocks.find((x) => x.clock === name);
  if (!c) throw new Error(`ticket ${t.number} has no ${name} clock; it has ${t.clocks.map((x) => x.clock).join(', ')}`);
  return c;
}

const ms = (iso: string | null): number => {
  if (iso === null) throw new Error('expected a timestamp, got null');
  return new Date(iso).getTime();
};

async function status(id: string, body: { status: string; waitingOn?: string }, client: Client = agent.client): Promise<void> {
  const res = await client.post(`/api/v1/tickets/${id}/status`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function reply(id: string, client: Client, body = '您好,已为您查询。', visibility: 'public' | 'internal' = 'public'): Promise<void> {
  const res = await client.post(`/api/v1/tickets/${id}/messages`, { body, visibility });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function myNotifications(user: TestUser, ticketId: string): Promise<{ kind: string; title: string }[]> {
  const res = await user.client.get<{ items: { kind: string; ticketId: string; title: string }[] }>('/api/v1/notifications');
  expect(res.status).toBe(200);
  return res.body.items.filter((n) => n.ticketId === ticketId);
}

const countKind = (items: { kind: string }[], kind: string): number => items.filter((n) => n.kind === kind).length;

async function slaEvents(ticketId: string): Promise<{ kind: string; clock: string }[]> {
  const { rows } = await h.ctx.db.pool.query<{ kind: string; clock: string }>(
    `SELECT kind, data->>'clock' AS clock FROM ticket_events WHERE ticket_id = $1 AND kind IN ('sla_warning', 'sla_breach') ORDER BY id`,
    [ticketId],
  );
  return rows;
}

async function clockRow(ticketId: string, clock: string): Promise<{ id: string; warn_at: Date | null; due_at: Date | null; warned_at: Date | null; breached_at: Date | null }> {
  const { rows } = await h.ctx.db.pool.query('SELECT id, warn_at, due_at, warned_at, breached_at FROM sla_clocks WHERE ticket_id = $1 AND clock = $2', [ticketId, clock]);
  if (!rows[0]) throw new Error(`no ${clock} clock for ${ticketId}`);
  return rows[0];
}

function seed(clock: string, match: { channel?: string; type?: string } = {}): { minutes: number; mode: string } {
  const s = SLA_POLICY_SEEDS.find((p) => p.clock === clock && p.channel === match.channel && p.type === match.type && p.category === undefined);
  if (!s) throw new Error(`no seeded ${clock} policy`);
  return s;
}

// ---------------------------------------------------------------------------------------------

describe('default clocks of a new ticket', () => {
  it('starts first_response (24 h, calendar) and resolution (3 days) with their deadlines', async () => {
    expect(seed('first_response')).toMatchObject({ minutes: 24 * 60, mode: 'calendar' });
    expect(seed('resolution')).toMatchObject({ minutes: 3 * 24 * 60, mode: 'calendar' });
    const t = await createTicket(agent.client);
    expect(t.clocks.map((c) => c.clock).sort()).toEqual(['first_response', 'resolution']);
    const created = ms(t.createdAt);

    const fr = clockOf(t, 'first_response');
    expect(fr).toMatchObject({ targetMs: DAY, mode: 'calendar', status: 'running', stoppedAt: null, breachedAt: null });
    expect(ms(fr.dueAt) - created).toBe(DAY);
    expect(fr.remainingMs).toBeGreaterThan(DAY - MIN);
    expect(fr.remainingMs).toBeLessThanOrEqual(DAY);

    const res = clockOf(t, 'resolution');
    expect(res).toMatchObject({ targetMs: 3 * DAY, mode: 'calendar', status: 'running' });
    expect(ms(res.dueAt) - created).toBe(3 * DAY);

    // The ticket's summary carries the nearest deadline; GET shows the same clocks.
    expect(t.slaState).toBe('running');
    expect(t.slaDueAt).toBe(fr.dueAt);
    const again = await getTicket(t.id);
    expect(again.clocks.map((c) => [c.clock, c.dueAt])).toEqual(expect.arrayContaining([['first_response', fr.dueAt], ['resolution', res.dueAt]]));
  });

  it('gives a chat ticket a 60 s first response (the channel policy wins over the general one)', async () => {
    const t = await createTicket(agent.client, { channel: 'chat' });
    const fr = clockOf(t, 'first_response');
    expect(fr).toMatchObject({ targetMs: 60_000, mode: 'calendar', status: 'running' });
    expect(ms(fr.dueAt) - ms(t.createdAt)).toBe(60_000);
    expect(t.slaDueAt).toBe(fr.dueAt);
    // Resolution is not channel-specific: still the general 3 days.
    expect(clockOf(t, 'resolution').targetMs).toBe(3 * DAY);
  });

  it('gives a complaint the 48 h reply target (the type policy wins)', async () => {
    const t = await createTicket(agent.client, { type: 'complaint' });
    const res = clockOf(t, 'resolution');
    expect(res.targetMs).toBe(48 * HOUR);
    expect(ms(res.dueAt) - ms(t.createdAt)).toBe(48 * HOUR);
    expect(clockOf(t, 'first_response').targetMs).toBe(DAY);
  });

  it('lets a category policy win over channel and type policies, and leaves other categories alone', async () => {
    const cat = await newCategory();
    await newPolicy(cat.code, { targetMinutes: 7 });
    const mine = await createTicket(agent.client, { channel: 'chat', categoryId: cat.id });
    expect(clockOf(mine, 'first_response').targetMs).toBe(7 * MIN);
    const other = await createTicket(agent.client, { channel: 'chat', categoryId: (await newCategory()).id });
    expect(clockOf(other, 'first_response').targetMs).toBe(60_000);
  });
});

describe('clocks started and stopped by ticket events', () => {
  it('stops first_response at the first public agent reply; a customer message starts next_response', async () => {
    const customer = await h.user('customer');
    const t = await createTicket(agent.client, { channel: 'web', customerId: customer.customerId });

    // An internal note is not a response to the customer.
    await reply(t.id, agent.client, '内部备注:待查', 'internal');
    expect(clockOf(await getTicket(t.id), 'first_response').status).toBe('running');

    const beforeReply = Date.now();
    await reply(t.id, agent.client);
    const afterReply = Date.now();
    let now = await getTicket(t.id);
    const fr = clockOf(now, 'first_response');
    expect(fr.status).toBe('met');
    expect(fr.dueAt).toBeNull();
    expect(fr.remainingMs).toBeNull();
    expect(ms(fr.stoppedAt)).toBeGreaterThanOrEqual(beforeReply - 5);
    expect(ms(fr.stoppedAt)).toBeLessThanOrEqual(afterReply + 5);
    expect(fr.consumedMs).toBe(ms(fr.stoppedAt) - ms(t.createdAt));
    expect(now.firstRespondedAt).toBe(fr.stoppedAt);
    expect(now.status).toBe('open');
    // Resolution keeps running; no next_response until the customer writes.
    expect(clockOf(now, 'resolution').status).toBe('running');
    expect(now.clocks.find((c) => c.clock === 'next_response')).toBeUndefined();
    expect(now.slaDueAt).toBe(clockOf(now, 'resolution').dueAt);

    // The customer writes back: the next-response clock (30 min on service hours) starts.
    await reply(t.id, customer.client, '还是没收到,麻烦再看看');
    now = await getTicket(t.id);
    const nr = clockOf(now, 'next_response');
    expect(nr).toMatchObject({ targetMs: 30 * MIN, mode: 'business', status: 'running', stoppedAt: null });
    expect(ms(nr.dueAt)).toBeGreaterThanOrEqual(Date.now() + 29 * MIN);
    expect(clockOf(now, 'first_response').status).toBe('met'); // first response is not restarted
    expect(now.slaDueAt).toBe([nr.dueAt!, clockOf(now, 'resolution').dueAt!].sort()[0]);

    // The agent answers: next_response is met; the customer writes again: it starts afresh.
    await reply(t.id, agent.client, '已催促派送员');
    now = await getTicket(t.id);
    expect(clockOf(now, 'next_response').status).toBe('met');
    await reply(t.id, customer.client, '好的,谢谢');
    now = await getTicket(t.id);
    // Restarted afresh: running again, and only the moments since this message are consumed
    // (inside service hours the clock ticks between the request and the read).
    const restarted = clockOf(now, 'next_response');
    expect(restarted).toMatchObject({ status: 'running', stoppedAt: null });
    expect(restarted.consumedMs).toBeLessThan(60_000);

    // Resolving stops resolution (the first response stays as it was).
    await status(t.id, { status: 'resolved' });
    now = await getTicket(t.id);
    expect(clockOf(now, 'resolution').status).toBe('met');
    expect(clockOf(now, 'first_response').stoppedAt).toBe(fr.stoppedAt);
  });

  it('pauses while waiting on the customer and pushes the deadline by the paused time; waiting on a department does not pause', async () => {
    const t = await createTicket(agent.client);
    await reply(t.id, agent.client); // open; first_response met, resolution running
    const before = clockOf(await getTicket(t.id), 'resolution');
    expect(before.status).toBe('running');

    const t0 = Date.now();
    await status(t.id, { status: 'pending', waitingOn: 'customer' });
    const t1 = Date.now();
    let now = await getTicket(t.id);
    let res = clockOf(now, 'resolution');
    expect(res).toMatchObject({ status: 'paused', dueAt: null, stoppedAt: null });
    expect(now.slaState).toBe('paused');
    expect(now.slaDueAt).toBeNull();
    const consumedAtPause = res.consumedMs;
    expect(res.remainingMs).toBe(3 * DAY - consumedAtPause);

    // While paused, nothing is consumed.
    await sleep(1_200);
    now = await getTicket(t.id);
    expect(clockOf(now, 'resolution').consumedMs).toBe(consumedAtPause);

    const t2 = Date.now();
    await status(t.id, { status: 'open' });
    const t3 = Date.now();
    now = await getTicket(t.id);
    res = clockOf(now, 'resolution');
    expect(res.status).toBe('running');
    expect(now.slaState).toBe('running');
    expect(now.slaDueAt).toBe(res.dueAt);
    // The paused stretch lies between the two requests: at least t2 − t1, at most t3 − t0.
    const shift = ms(res.dueAt) - ms(before.dueAt);
    expect(shift).toBeGreaterThanOrEqual(t2 - t1 - 2);
    expect(shift).toBeLessThanOrEqual(t3 - t0 + 2);
    expect(shift).toBeGreaterThanOrEqual(1_200);

    // Waiting on another department is still our time: the clock keeps running, deadline unchanged.
    await status(t.id, { status: 'pending', waitingOn: 'department' });
    now = await getTicket(t.id);
    expect(clockOf(now, 'resolution')).toMatchObject({ status: 'running', dueAt: res.dueAt });
    expect(now.slaState).toBe('running');

    // From waiting on a department to waiting on the customer pauses; and back resumes.
    await status(t.id, { status: 'pending', waitingOn: 'customer' });
    expect(clockOf(await getTicket(t.id), 'resolution')).toMatchObject({ status: 'paused', dueAt: null });
    await status(t.id, { status: 'pending', waitingOn: 'department' });
    const resumed = clockOf(await getTicket(t.id), 'resolution');
    expect(resumed.status).toBe('running');
    expect(ms(resumed.dueAt)).toBeGreaterThanOrEqual(ms(res.dueAt));
  });

  it('a customer reply to a ticket waiting on them resumes its clocks', async () => {
    const customer = await h.user('customer');
    const t = await createTicket(agent.client, { customerId: customer.customerId });
    await status(t.id, { status: 'pending', waitingOn: 'customer' });
    expect(clockOf(await getTicket(t.id), 'first_response').status).toBe('paused');
    await reply(t.id, customer.client, '单号是 SF1234567890');
    const now = await getTicket(t.id);
    expect(now.status).toBe('open');
    expect(clockOf(now, 'first_response').status).toBe('running');
    expect(clockOf(now, 'resolution').status).toBe('running');
    expect(now.slaState).toBe('running');
  });
});

describe('an admin changes an SLA target', () => {
  it("moves the open ticket's deadline at once, and new tickets get the new target", async () => {
    const cat = await newCategory();
    const policy = await newPolicy(cat.code, { targetMinutes: 10 });
    const t = await createTicket(agent.client, { categoryId: cat.id });
    const created = ms(t.createdAt);
    expect(clockOf(t, 'first_response').targetMs).toBe(10 * MIN);
    expect(ms(clockOf(t, 'first_response').dueAt) - created).toBe(10 * MIN);
    const untouched = await createTicket(agent.client); // no category: the default policy governs it

    // Agents may not change targets.
    const denied = await agent.client.patch(`/api/v1/sla-policies/${policy.id}`, { targetMinutes: 1 });
    expect(denied.status).toBe(403);

    const res = await admin.client.patch(`/api/v1/sla-policies/${policy.id}`, { targetMinutes: 25 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: policy.id, targetMinutes: 25, retargetedClocks: 1 });

    let now = await getTicket(t.id);
    let fr = clockOf(now, 'first_response');
    expect(fr).toMatchObject({ targetMs: 25 * MIN, status: 'running' });
    expect(ms(fr.dueAt) - created).toBe(25 * MIN);
    expect(now.slaDueAt).toBe(fr.dueAt);

    // Shorter again: the deadline comes closer.
    expect((await admin.client.patch(`/api/v1/sla-policies/${policy.id}`, { targetMinutes: 5 })).status).toBe(200);
    now = await getTicket(t.id);
    fr = clockOf(now, 'first_response');
    expect(ms(fr.dueAt) - created).toBe(5 * MIN);
    expect(now.slaDueAt).toBe(fr.dueAt);

    // The listing shows the same deadline.
    const list = await agent.client.get(`/api/v1/tickets?categoryId=${cat.id}`);
    expect(list.status).toBe(200);
    expect(list.body.items.find((x: { id: string }) => x.id === t.id)?.slaDueAt).toBe(fr.dueAt);

    // Tickets of other categories keep their deadlines; new tickets of this one get the new target.
    expect(clockOf(await getTicket(untouched.id), 'first_response').dueAt).toBe(clockOf(untouched, 'first_response').dueAt);
    const fresh = await createTicket(agent.client, { categoryId: cat.id });
    expect(clockOf(fresh, 'first_response').targetMs).toBe(5 * MIN);
    expect((await admin.client.get('/api/v1/sla-policies')).body.items.find((p: { id: string }) => p.id === policy.id)).toMatchObject({ targetMinutes: 5, categoryCode: cat.code });
  });

  it('retargets a paused clock without giving it a deadline, and a stopped clock not at all', async () => {
    const cat = await newCategory();
    const policy = await newPolicy(cat.code, { targetMinutes: 10 });
    const paused = await createTicket(agent.client, { categoryId: cat.id });
    await status(paused.id, { status: 'pending', waitingOn: 'customer' });
    const met = await createTicket(agent.client, { categoryId: cat.id });
    await reply(met.id, agent.client);
    const metBefore = clockOf(await getTicket(met.id), 'first_response');

    const res = await admin.client.patch(`/api/v1/sla-policies/${policy.id}`, { targetMinutes: 40 });
    expect(res.body.retargetedClocks).toBe(1);
    expect(clockOf(await getTicket(paused.id), 'first_response')).toMatchObject({ targetMs: 40 * MIN, status: 'paused', dueAt: null });
    expect(clockOf(await getTicket(met.id), 'first_response')).toEqual(metBefore);

    const t0 = Date.now();
    await status(paused.id, { status: 'open' });
    const fr = clockOf(await getTicket(paused.id), 'first_response');
    expect(fr.status).toBe('running');
    const remaining = 40 * MIN - fr.consumedMs;
    expect(ms(fr.dueAt)).toBeGreaterThanOrEqual(t0 + remaining - 5);
    expect(ms(fr.dueAt)).toBeLessThanOrEqual(Date.now() + remaining + 5);
  });
});

describe('business-hours calendars', () => {
  it('computes a business-mode deadline on cn-workdays with the calendar arithmetic', async () => {
    const cals = await admin.client.get<{ items: { id: string; code: string; definition: BusinessCalendar }[] }>('/api/v1/calendars');
    expect(cals.status).toBe(200);
    const workdays = cals.body.items.find((c) => c.code === 'cn-workdays');
    expect(workdays).toBeDefined();
    expect(workdays!.definition.timeZone).toBe('Asia/Shanghai');

    const cat = await newCategory();
    // A business policy must say which calendar it counts on.
    const noCal = await admin.client.post('/api/v1/sla-policies', { clock: 'resolution', nameZh: '测试', nameEn: 'test', categoryCode: cat.code, targetMinutes: 60, mode: 'business', startsOn: 'ticket_created', stopsOn: 'resolved' });
    expect(noCal.status).toBe(400);
    expect(noCal.body.error.code).toBe('validation_failed');

    const target = 3 * 9 * 60; // three working days of 9 hours
    await newPolicy(cat.code, { clock: 'resolution', targetMinutes: target, mode: 'business', calendarId: workdays!.id, stopsOn: 'resolved' });
    const t = await createTicket(agent.client, { categoryId: cat.id });
    const res = clockOf(t, 'resolution');
    expect(res).toMatchObject({ mode: 'business', targetMs: target * MIN });
    const expected = addBusinessTime(workdays!.definition, new Date(t.createdAt), target * MIN);
    expect(res.dueAt).toBe(expected.toISOString());
    // 27 business hours take at least three calendar days on a 9-hour workday calendar.
    expect(ms(res.dueAt) - ms(t.createdAt)).toBeGreaterThan(2 * DAY);
    // first_response has no business policy in this category: still the 24 h calendar default.
    expect(clockOf(t, 'first_response')).toMatchObject({ mode: 'calendar', targetMs: DAY });
  });

  it('rejects an invalid calendar definition with a 400 listing the problems, leaving the calendar as it was', async () => {
    const cals = await admin.client.get<{ items: { id: string; code: string; name: string; definition: BusinessCalendar }[] }>('/api/v1/calendars');
    const cal = cals.body.items.find((c) => c.code === 'cn-workdays')!;
    const bad = {
      definition: {
        timeZone: 'Mars/Olympus_Mons',
        weeklyHours: { '1': [{ start: '09:00', end: '25:00' }], '2': [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '18:00' }], '3': [], '4': [], '5': [], '6': [], '7': [] },
        holidays: ['2026-02-30'],
        workdays: [{ date: 'tomorrow' }],
      },
    };
    const res = await admin.client.put(`/api/v1/calendars/${cal.id}`, bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const msg: string = res.body.error.message;
    expect(msg).toContain('Mars/Olympus_Mons');
    expect(msg).toContain('weeklyHours["1"]');
    expect(msg).toMatch(/overlap/);
    expect(msg).toContain('holidays[0]');
    expect(msg).toContain('workdays[0].date');

    // A shape the schema does not accept at all is a 400 too.
    const shapeless = await admin.client.put(`/api/v1/calendars/${cal.id}`, { definition: { timeZone: 'Asia/Shanghai' } });
    expect(shapeless.status).toBe(400);

    // Agents may not edit calendars, even with a valid definition.
    expect((await agent.client.put(`/api/v1/calendars/${cal.id}`, { definition: cal.definition })).status).toBe(403);

    const after = await admin.client.get<{ items: { id: string; definition: BusinessCalendar }[] }>('/api/v1/calendars');
    expect(after.body.items.find((c) => c.id === cal.id)!.definition).toEqual(cal.definition);

    // Putting the same (valid) definition back is accepted and changes nothing.
    const same = await admin.client.put(`/api/v1/calendars/${cal.id}`, { definition: cal.definition });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body.definition).toEqual(cal.definition);
  });
});

describe('the SLA sweep', () => {
  it('warns the owner before the deadline, then marks the breach and notifies owner and lead exactly once', async () => {
    const cat = await newCategory();
    // 6 s target, warning at half time: a 3 s window between warning and breach.
    await newPolicy(cat.code, { targetMinutes: 0.1, warnFraction: 0.5 });
    const t = await createTicket(agent.client, { categoryId: cat.id });
    expect(t.ownerId).toBe(agent.id);
    expect(t.teamId).toBe(teamId);
    const fr = clockOf(t, 'first_response');
    expect(fr.targetMs).toBe(6_000);
    const row = await clockRow(t.id, 'first_response');
    expect(row.warn_at!.getTime() - ms(t.createdAt)).toBe(3_000);
    expect(row.due_at!.toISOString()).toBe(fr.dueAt);

    // Before the warning point the sweep leaves the clock alone.
    await sweepSla(h.ctx.db);
    expect(await myNotifications(agent, t.id)).toEqual([]);

    await waitPast(row.warn_at!);
    await sweepUntil('the warning', marked(t.id, 'first_response', 'warned_at'));
    let now = await getTicket(t.id);
    expect(now.slaState).toBe('warning');
    expect(clockOf(now, 'first_response').status).toBe('warning');
    const warned = await clockRow(t.id, 'first_response');
    expect(warned.warned_at!.getTime()).toBeLessThan(warned.due_at!.getTime()); // the warning came before the deadline
    expect(warned.breached_at).toBeNull();
    let ownerN = await myNotifications(agent, t.id);
    expect(ownerN.map((n) => n.kind)).toEqual(['sla_warning']);
    expect(ownerN[0]!.title).toContain(t.number);
    expect(await myNotifications(lead, t.id)).toEqual([]); // warnings go to the person who can still act
    expect(await slaEvents(t.id)).toEqual([{ kind: 'sla_warning', clock: 'first_response' }]);

    await waitPast(fr.dueAt!);
    await sweepUntil('the breach', marked(t.id, 'first_response', 'breached_at'));
    now = await getTicket(t.id);
    expect(now.slaState).toBe('breached');
    const c = clockOf(now, 'first_response');
    expect(c.status).toBe('breached');
    expect(c.breachedAt).not.toBeNull();
    expect(c.remainingMs).toBeLessThanOrEqual(0);
    const breachedList = await agent.client.get(`/api/v1/tickets?slaState=breached&categoryId=${cat.id}`);
    expect(breachedList.body.items.map((x: { id: string }) => x.id)).toEqual([t.id]);

    const check = async (): Promise<void> => {
      ownerN = await myNotifications(agent, t.id);
      expect(countKind(ownerN, 'sla_breach')).toBe(1);
      expect(countKind(ownerN, 'sla_warning')).toBe(1);
      const leadN = await myNotifications(lead, t.id);
      expect(countKind(leadN, 'sla_breach')).toBe(1);
      expect(countKind(leadN, 'sla_warning')).toBe(0);
      expect(await slaEvents(t.id)).toEqual([{ kind: 'sla_warning', clock: 'first_response' }, { kind: 'sla_breach', clock: 'first_response' }]);
    };
    await check();
    // Sweeping again adds nothing.
    await sweepSla(h.ctx.db);
    await sweepSla(h.ctx.db);
    await check();
    const { rows } = await h.ctx.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'sla.breach' AND entity_id = $1`, [t.id]);
    expect(rows[0].n).toBe(1);

    // Answering late stops the clock as met late; the ticket is no longer breached.
    await reply(t.id, agent.client);
    now = await getTicket(t.id);
    expect(clockOf(now, 'first_response').status).toBe('met_late');
    expect(now.slaState).toBe('running');
  });

  it('notifies the supervisors when the team has no lead, and the lead when the ticket has no owner', async () => {
    const leadless = await h.team();
    const lonelyAgent = await h.user('agent', { teamIds: [leadless] });
    const supervisor = await h.user('supervisor');
    const cat = await newCategory();
    await newPolicy(cat.code, { targetMinutes: 0.1, warnFraction: 0.5 });
    const noLead = await createTicket(lonelyAgent.client, { categoryId: cat.id });
    expect(noLead.ownerId).toBe(lonelyAgent.id);
    const unowned = await createTicket(admin.client, { categoryId: cat.id, teamId, autoAssign: false });
    expect(unowned.ownerId).toBeNull();

    const row = await clockRow(unowned.id, 'first_response');
    await waitPast(row.warn_at!);
    await sweepUntil('both warnings', async () => (await marked(unowned.id, 'first_response', 'warned_at')()) && (await marked(noLead.id, 'first_response', 'warned_at')()));
    // Nobody owns it: the warning goes to the team lead.
    expect((await myNotifications(lead, unowned.id)).map((n) => n.kind)).toEqual(['sla_warning']);
    expect((await myNotifications(lonelyAgent, noLead.id)).map((n) => n.kind)).toEqual(['sla_warning']);
    expect(await myNotifications(supervisor, noLead.id)).toEqual([]);

    await waitPast(row.due_at!);
    await waitPast((await clockRow(noLead.id, 'first_response')).due_at!);
    await sweepUntil('both breaches', async () => (await marked(unowned.id, 'first_response', 'breached_at')()) && (await marked(noLead.id, 'first_response', 'breached_at')()));
    await sweepSla(h.ctx.db);
    expect(countKind(await myNotifications(lonelyAgent, noLead.id), 'sla_breach')).toBe(1);
    expect(countKind(await myNotifications(supervisor, noLead.id), 'sla_breach')).toBe(1);
    expect(countKind(await myNotifications(lead, unowned.id), 'sla_breach')).toBe(1);
    expect(countKind(await myNotifications(supervisor, unowned.id), 'sla_breach')).toBe(0); // the team has a lead
    expect((await slaEvents(noLead.id)).filter((e) => e.kind === 'sla_breach')).toHaveLength(1);
    expect((await slaEvents(unowned.id)).filter((e) => e.kind === 'sla_breach')).toHaveLength(1);
  });

  it('clears a breach when the admin extends the target past now', async () => {
    const cat = await newCategory();
    const policy = await newPolicy(cat.code, { targetMinutes: 0.05 });
    const t = await createTicket(agent.client, { categoryId: cat.id });
    await waitPast(clockOf(t, 'first_response').dueAt!);
    await sweepUntil('the breach', marked(t.id, 'first_response', 'breached_at'));
    expect((await getTicket(t.id)).slaState).toBe('breached');

    expect((await admin.client.patch(`/api/v1/sla-policies/${policy.id}`, { targetMinutes: 60 })).status).toBe(200);
    const now = await getTicket(t.id);
    const fr = clockOf(now, 'first_response');
    expect(fr).toMatchObject({ status: 'running', breachedAt: null, targetMs: HOUR });
    expect(ms(fr.dueAt) - ms(t.createdAt)).toBe(HOUR);
    expect(now.slaState).toBe('running');
    const row = await clockRow(t.id, 'first_response');
    expect(row.warned_at).toBeNull();
    expect(row.breached_at).toBeNull();
  });

  it('five sweeps in parallel over 50 due clocks notify each person once per clock and record one breach per clock', async () => {
    const cat = await newCategory();
    await newPolicy(cat.code, { targetMinutes: 0.05 }); // 3 s
    const ids: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const made = await Promise.all(Array.from({ length: 10 }, () => createTicket(agent.client, { categoryId: cat.id })));
      ids.push(...made.map((x) => x.id));
    }
    expect(ids).toHaveLength(50);
    const clocks = await h.ctx.db.pool.query<{ id: string; ticket_id: string; due_at: Date }>(`SELECT id, ticket_id, due_at FROM sla_clocks WHERE ticket_id = ANY($1) AND clock = 'first_response'`, [ids]);
    expect(clocks.rows).toHaveLength(50);
    await waitPast(new Date(Math.max(...clocks.rows.map((r) => r.due_at.getTime()))));

    const results = await Promise.all(Array.from({ length: 5 }, () => sweepSla(h.ctx.db)));
    expect(results.every((r) => r.breached >= 0)).toBe(true);
    // (A sweep of another process, if one is running, may still be committing some of them.)
    await sweepUntil('all 50 breaches', async () => {
      const { rows } = await h.ctx.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sla_clocks WHERE ticket_id = ANY($1) AND clock = 'first_response' AND breached_at IS NOT NULL`, [ids]);
      return rows[0]!.n === 50;
    });

    const { rows } = await h.ctx.db.pool.query<{ id: string; breached: boolean; owner: number; lead: number; others: number; warnings: number; events: number; state: string }>(
      `SELECT c.id, c.breached_at IS NOT NULL AS breached,
              (SELECT count(*)::int FROM notifications n WHERE n.clock_id = c.id AND n.kind = 'sla_breach' AND n.user_id = $2) AS owner,
              (SELECT count(*)::int FROM notifications n WHERE n.clock_id = c.id AND n.kind = 'sla_breach' AND n.user_id = $3) AS lead,
              (SELECT count(*)::int FROM notifications n WHERE n.clock_id = c.id AND n.user_id NOT IN ($2, $3)) AS others,
              (SELECT count(*)::int FROM notifications n WHERE n.clock_id = c.id AND n.kind = 'sla_warning') AS warnings,
              (SELECT count(*)::int FROM ticket_events e WHERE e.ticket_id = c.ticket_id AND e.kind = 'sla_breach' AND e.data->>'clock' = c.clock) AS events,
              t.sla_state AS state
         FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
        WHERE c.ticket_id = ANY($1) AND c.clock = 'first_response'`,
      [ids, agent.id, lead.id],
    );
    expect(rows).toHaveLength(50);
    const wrong = rows.filter((r) => !(r.breached && r.owner === 1 && r.lead === 1 && r.others === 0 && r.events === 1 && r.state === 'breached'));
    expect(wrong).toEqual([]);
    // Past the deadline when these sweeps ran: no belated warning from them. (A job sweep of a
    // server process sharing this database may have caught a clock inside its warning window
    // while the 50 were being created; then it warned exactly once.)
    expect(rows.filter((r) => r.warnings > 1)).toEqual([]);

    // The people see it in their own lists: one breach per ticket each.
    const ownerList = (await agent.client.get<{ items: { kind: string; ticketId: string }[] }>('/api/v1/notifications')).body.items.filter((n) => ids.includes(n.ticketId) && n.kind === 'sla_breach');
    expect(ownerList).toHaveLength(50);
    expect(new Set(ownerList.map((n) => n.ticketId)).size).toBe(50);

    // And further sweeps change nothing.
    await Promise.all(Array.from({ length: 3 }, () => sweepSla(h.ctx.db)));
    const total = await h.ctx.db.pool.query<{ n: number; e: number }>(
      `SELECT (SELECT count(*)::int FROM notifications WHERE ticket_id = ANY($1)) AS n,
              (SELECT count(*)::int FROM ticket_events WHERE ticket_id = ANY($1) AND kind LIKE 'sla_%') AS e`,
      [ids],
    );
    const warnings = rows.reduce((sum, r) => sum + r.warnings, 0);
    expect(total.rows[0]!.e).toBe(50 + warnings);
    expect(total.rows[0]!.n).toBe(100 + warnings);
  }, 120_000);
});
