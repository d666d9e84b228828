/**
 * The supervisor screens' reads over HTTP on a real database: GET /reports/overview (volume by
 * channel and hour on the company clock, first-response time, SLA compliance, counts now),
 * /reports/agents (team queue, agent presence and load) and /reports/sla-at-risk; who may see
 * which teams; bad input is a 4xx. The tickets are the test's own, in teams of its own, their
 * times set in the database so the sums are known (the formulas are src/domain/kpi.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstResponseTime, volumeOf } from '../../src/domain/kpi.ts';
import { startHarness, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let supervisor: TestUser;
let lead: TestUser;
let agent: TestUser;
let teamA: string;
let teamB: string;
const DAY = '2026-04-10';
const T = (hhmm: string): Date => new Date(`${DAY}T${hhmm}:00+08:00`);
const S = 1000;
const tickets: Record<string, { id: string; number: string }> = {};

async function ticket(key: string, channel: string, teamId: string): Promise<void> {
  const res = await supervisor.client.post('/api/v1/tickets', { type: 'consultation', channel, subject: `报表 ${key} ${h.uid()}`, teamId, ownerId: null, autoAssign: false });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  tickets[key] = { id: res.body.id, number: res.body.number };
}
const q = (sql: string, params: unknown[]) => h.ctx.db.pool.query(sql, params);
async function times(key: string, createdAt: Date, firstRespondedAt: Date | null): Promise<void> {
  await q('UPDATE tickets SET created_at = $2, first_responded_at = $3 WHERE id = $1', [tickets[key]!.id, createdAt, firstRespondedAt]);
}
async function clock(key: string, name: string, set: Record<string, Date | null>): Promise<void> {
  const cols = Object.keys(set);
  await q(`UPDATE sla_clocks SET ${cols.map((c, i) => `${c} = $${i + 3}`).join(', ')} WHERE ticket_id = $1 AND clock = $2`, [tickets[key]!.id, name, ...Object.values(set)]);
}

const CREATED = { chat1: T('09:10'), chat2: T('09:40'), phone: T('14:00'), email: T('23:30') };
const ANSWERED = { chat1: new Date(CREATED.chat1.getTime() + 30 * S), chat2: new Date(CREATED.chat2.getTime() + 90 * S), phone: new Date(CREATED.phone.getTime() + 600 * S), email: null };

beforeAll(async () => {
  h = await startHarness();
  [teamA, teamB] = await Promise.all([h.team(), h.team()]);
  supervisor = await h.user('supervisor');
  for (const [k, ch] of [['chat1', 'chat'], ['chat2', 'chat'], ['phone', 'phone'], ['email', 'email']] as const) await ticket(k, ch, teamA);
  await ticket('other', 'chat', teamB);
  [lead, agent] = await Promise.all([h.user('team_lead', { teamIds: [teamA], leadOf: [teamA] }), h.user('agent', { teamIds: [teamA] })]);

  for (const k of ['chat1', 'chat2', 'phone', 'email'] as const) await times(k, CREATED[k], ANSWERED[k]);
  await times('other', T('09:15'), new Date(T('09:15').getTime() + 5 * S));
  const now = Date.now();
  // First-response clocks: chat1 met, chat2 stopped late (breached), phone marked breached and still running, email running (open).
  await clock('chat1', 'first_response', { running_since: null, stopped_at: ANSWERED.chat1, due_at: new Date(CREATED.chat1.getTime() + 60 * S), breached_at: null });
  await clock('chat2', 'first_response', { running_since: null, stopped_at: ANSWERED.chat2, due_at: new Date(CREATED.chat2.getTime() + 60 * S), breached_at: null });
  await clock('phone', 'first_response', { stopped_at: null, due_at: new Date(CREATED.phone.getTime() + 60 * S), breached_at: new Date(CREATED.phone.getTime() + 60 * S) });
  await clock('email', 'first_response', { stopped_at: null, warn_at: new Date(now + 50 * 3600 * S), due_at: new Date(now + 60 * 3600 * S) });
  // Resolution clocks run (open); email's is past its warning time: at risk now.
  await clock('email', 'resolution', { warn_at: new Date(now - 60 * S), due_at: new Date(now + 3600 * S) });
  // The agent owns chat1 and is online.
  await q('UPDATE tickets SET owner_id = $2 WHERE id = $1', [tickets.chat1!.id, agent.id]);
  await q(`INSERT INTO chat_presence (user_id, status, capacity, last_seen_at) VALUES ($1, 'online', 4, now())`, [agent.id]);
});
afterAll(async () => {
  await h?.close();
});

describe('GET /api/v1/reports/overview', () => {
  it('sums one team\'s day: volume by channel and by local hour, first-response time, SLA compliance, counts now', async () => {
    const res = await supervisor.client.get(`/api/v1/reports/overview?from=${DAY}&to=${DAY}&teamId=${teamA}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body;
    expect(r.period).toMatchObject({ from: DAY, to: DAY, timeZone: 'Asia/Shanghai', start: '2026-04-10T00:00:00.000+08:00', end: '2026-04-11T00:00:00.000+08:00' });
    expect(r.teamIds).toEqual([teamA]);

    const channels = { chat1: 'chat', chat2: 'chat', phone: 'phone', email: 'email' } as const;
    const expectedVolume = volumeOf(Object.entries(CREATED).map(([k, at]) => ({ channel: channels[k as keyof typeof channels], createdAt: at })), 'Asia/Shanghai');
    expect(r.volume).toEqual(expectedVolume);
    expect(r.volume.total).toBe(4);
    expect(r.volume.byChannel).toMatchObject({ chat: 2, phone: 1, email: 1, walk_in: 0 });
    expect(r.volume.byHour[9].byChannel.chat).toBe(2);
    expect(r.volume.byHour[14].byChannel.phone).toBe(1);
    expect(r.volume.byHour[23].byChannel.email).toBe(1); // 15:30 UTC: counted on the company clock
    expect(r.volume.byHour[15].total).toBe(0);

    const expectedFr = firstResponseTime(Object.entries(CREATED).map(([k, at]) => ({ createdAt: at, firstRespondedAt: ANSWERED[k as keyof typeof ANSWERED] })));
    expect(expectedFr).toEqual({ responded: 3, averageMs: 240_000, p50Ms: 90_000, p90Ms: 498_000 });
    expect(r.firstResponse).toMatchObject({ channel: null, created: 4, ...expectedFr });
    expect(r.firstResponse.byChannel).toEqual(expect.arrayContaining([
      { channel: 'chat', created: 2, responded: 2, averageMs: 60_000, p50Ms: 60_000, p90Ms: 84_000 },
      { channel: 'email', created: 1, responded: 0, averageMs: null, p50Ms: null, p90Ms: null },
    ]));

    expect(r.sla).toMatchObject({ clock: null, met: 1, breached: 2, open: 5 });
    expect(r.sla.rate).toBeCloseTo(1 / 3, 9);
    expect(r.sla.byClock).toEqual([
      { clock: 'first_response', met: 1, breached: 2, open: 1, rate: 1 / 3 },
      { clock: 'resolution', met: 0, breached: 0, open: 4, rate: null },
    ]);
    expect(r.now).toEqual({ open: 4, unassigned: 3, atRisk: 1, breached: 1 });
  });

  it('a lead sees their own teams (without teamId too); another team is refused', async () => {
    const own = await lead.client.get(`/api/v1/reports/overview?from=${DAY}&to=${DAY}`);
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.teamIds).toEqual([teamA]);
    expect(own.body.volume.total).toBe(4);
    expect((await lead.client.get(`/api/v1/reports/overview?from=${DAY}&to=${DAY}&teamId=${teamA}`)).body.firstResponse.p90Ms).toBe(498_000);
    const other = await lead.client.get(`/api/v1/reports/overview?teamId=${teamB}`);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
    // The supervisor sees team B's one ticket.
    const b = await supervisor.client.get(`/api/v1/reports/overview?from=${DAY}&to=${DAY}&teamId=${teamB}`);
    expect(b.body.volume.total).toBe(1);
    expect(b.body.firstResponse.averageMs).toBe(5_000);
    // Without a team, every ticket: at least both teams' five.
    const all = await supervisor.client.get(`/api/v1/reports/overview?from=${DAY}&to=${DAY}`);
    expect(all.body.teamIds).toBeNull();
    expect(all.body.volume.total).toBeGreaterThanOrEqual(5);
  });

  it('agents and QA may not see it; bad input is a 400, an unknown team a 404', async () => {
    expect((await agent.client.get('/api/v1/reports/overview')).status).toBe(403);
    const qa = await h.user('qa_inspector');
    expect((await qa.client.get('/api/v1/reports/overview')).status).toBe(403);
    expect((await h.anon.get('/api/v1/reports/overview')).status).toBe(401);
    for (const bad of ['from=2026-13-01', 'from=yesterday', 'from=2026-04-11&to=2026-04-10', 'from=2024-01-01&to=2026-04-10', 'teamId=not-a-uuid']) {
      const res = await supervisor.client.get(`/api/v1/reports/overview?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe('validation_failed');
    }
    const unknown = await supervisor.client.get('/api/v1/reports/overview?teamId=00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });
});

describe('GET /api/v1/reports/sla-at-risk', () => {
  it('open tickets with a clock past warning or deadline, soonest deadline first', async () => {
    const res = await supervisor.client.get(`/api/v1/reports/sla-at-risk?teamId=${teamA}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.map((i: any) => [i.number, i.clock, i.state])).toEqual([
      [tickets.phone!.number, 'first_response', 'breached'],
      [tickets.email!.number, 'resolution', 'at_risk'],
    ]);
    const [breached, atRisk] = res.body.items;
    expect(breached.remainingMs).toBeLessThan(0);
    expect(atRisk.remainingMs).toBeGreaterThan(0);
    expect(atRisk.dueAt).toMatch(/\+08:00$/);
    expect(atRisk.teamId).toBe(teamA);
    expect((await lead.client.get('/api/v1/reports/sla-at-risk')).body.items).toHaveLength(2);
    expect((await lead.client.get(`/api/v1/reports/sla-at-risk?teamId=${teamB}`)).status).toBe(403);
    expect((await agent.client.get('/api/v1/reports/sla-at-risk')).status).toBe(403);
    expect((await supervisor.client.get('/api/v1/reports/sla-at-risk?limit=0')).status).toBe(400);
  });

  it('a resolved ticket leaves the list', async () => {
    await q(`UPDATE tickets SET status = 'resolved', resolved_at = now() WHERE id = $1`, [tickets.phone!.id]);
    try {
      const res = await supervisor.client.get(`/api/v1/reports/sla-at-risk?teamId=${teamA}`);
      expect(res.body.items.map((i: any) => i.number)).toEqual([tickets.email!.number]);
    } finally {
      await q(`UPDATE tickets SET status = 'new', resolved_at = NULL WHERE id = $1`, [tickets.phone!.id]);
    }
  });
});

describe('GET /api/v1/reports/agents', () => {
  it('the team queue and each member\'s presence and load', async () => {
    const res = await lead.client.get('/api/v1/reports/agents');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.teams).toHaveLength(1);
    const [team] = res.body.teams;
    expect(team).toMatchObject({ id: teamA, openTickets: 4, unassigned: 3, queuedChats: 0 });
    expect(team.agents.map((a: any) => a.userId)).toEqual([lead.id, agent.id]); // the lead first
    const me = team.agents[1];
    expect(me).toMatchObject({ presence: 'online', available: true, openTickets: 1, atRiskTickets: 0, chatsActive: 0, chatCapacity: 4, isLead: false });
    expect(team.agents[0]).toMatchObject({ presence: 'offline', available: false, openTickets: 0, isLead: true, chatCapacity: null });
    expect((await lead.client.get(`/api/v1/reports/agents?teamId=${teamB}`)).status).toBe(403);
    expect((await agent.client.get('/api/v1/reports/agents')).status).toBe(403);
    const b = await supervisor.client.get(`/api/v1/reports/agents?teamId=${teamB}`);
    expect(b.body.teams).toEqual([expect.objectContaining({ id: teamB, openTickets: 1, unassigned: 1, agents: [] })]);
  });
});
