/**
 * Walk-ins over HTTP (issue 4, C4): an agent registers a visit at an outlet; it becomes a walk_in
 * ticket with the greeting measured against 3 s; retries register one visit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let agent: TestUser;
let customer: TestUser;

beforeAll(async () => {
  h = await startHarness();
  agent = await h.user('agent');
  customer = await h.user('customer');
});
afterAll(async () => {
  await h?.close();
});

const at = (s: number): string => new Date(Date.parse('2026-11-23T02:00:00Z') + s * 1000).toISOString();

describe('walk-ins', () => {
  it('a visit becomes a walk_in ticket with the greeting measured; a retry registers it once', async () => {
    const phone = `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const body = { customer: { name: '刘先生', phone }, outlet: '北京朝阳建国路网点', purpose: '寄文件到上海', arrivedAt: at(0), greetedAt: at(2) };
    const key = `visit-${h.uid()}`;
    const res = await agent.client.post('/api/v1/walk-ins', body, { 'idempotency-key': key });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ outlet: '北京朝阳建国路网点', purpose: '寄文件到上海', greetMs: 2000, greetedWithinTarget: true });
    const again = await agent.client.post('/api/v1/walk-ins', body, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);

    const ticket = (await agent.client.get(`/api/v1/tickets/${res.body.ticketId}`)).body;
    expect(ticket).toMatchObject({ channel: 'walk_in', subject: '到店:寄文件到上海' });
    expect(ticket.customer.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    const events = (await agent.client.get(`/api/v1/tickets/${res.body.ticketId}/events`)).body.items;
    expect(events.find((e: { kind: string }) => e.kind === 'walk_in').body).toBe('到店客户(北京朝阳建国路网点):寄文件到上海;2 秒内问候');
    const audit = await h.ctx.db.pool.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1', [res.body.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['walk_in.register']);
  });

  it('a slow greeting is recorded as late', async () => {
    const res = await agent.client.post('/api/v1/walk-ins', { customerId: customer.customerId, outlet: '上海浦东世纪大道网点', purpose: '取件', arrivedAt: at(0), greetedAt: at(8) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ greetMs: 8000, greetedWithinTarget: false, customerId: customer.customerId });
  });

  it('bad times and missing fields are 400 and write nothing; customers cannot register visits', async () => {
    const before = (await h.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM walk_ins')).rows[0]!.n;
    const bad = await agent.client.post('/api/v1/walk-ins', { outlet: '网点一', purpose: '咨询', arrivedAt: at(10), greetedAt: at(0) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('greetedAt is before arrivedAt');
    expect((await agent.client.post('/api/v1/walk-ins', { outlet: '网点一', purpose: '咨询', arrivedAt: 'soon', greetedAt: at(0) })).status).toBe(400);
    expect((await agent.client.post('/api/v1/walk-ins', { purpose: '咨询', arrivedAt: at(0), greetedAt: at(1) })).status).toBe(400);
    expect((await customer.client.post('/api/v1/walk-ins', { outlet: '网点一', purpose: '咨询', arrivedAt: at(0), greetedAt: at(1) })).status).toBe(403);
    expect((await h.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM walk_ins')).rows[0]!.n).toBe(before);
  });
});
