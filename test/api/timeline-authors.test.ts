/**
 * The ticket timeline names who acted (issue 6): each entry of GET /tickets/{id}/events carries
 * `actor` — a staff member's display name and role, a customer by role alone (their account name
 * is personal data, masked elsewhere), null for the system — and the OpenAPI document says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let agent: TestUser;
let colleague: TestUser;
let lead: TestUser;
let customer: TestUser;

interface Entry {
  id: number;
  kind: string;
  actorId: string | null;
  actor: { displayName: string | null; role: string } | null;
  body: string | null;
}

beforeAll(async () => {
  h = await startHarness();
  const teamId = await h.team();
  [agent, colleague, lead, customer] = await Promise.all([h.user('agent', { teamIds: [teamId] }), h.user('agent', { teamIds: [teamId] }), h.user('team_lead', { leadOf: [teamId] }), h.user('customer')]);
  // Display names as people have them (the harness names users by their username).
  const names: [TestUser, string][] = [[agent, `孙小美-${h.uid()}`], [colleague, `李文-${h.uid()}`], [lead, `钱组长-${h.uid()}`], [customer, `张伟-${h.uid()}`]];
  for (const [u, name] of names) await h.ctx.db.pool.query('UPDATE users SET display_name = $2 WHERE id = $1', [u.id, name]);
});
afterAll(async () => {
  await h?.close();
});

const nameOf = async (u: TestUser): Promise<string> => (await h.ctx.db.pool.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [u.id])).rows[0]!.display_name;

describe('timeline authors', () => {
  it('names staff by display name and role, a customer by role only, the system as null', async () => {
    const created = await customer.client.post<{ id: string }>('/api/v1/tickets', { type: 'consultation', channel: 'web', subject: '咨询寄件价格' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    expect((await agent.client.post(`/api/v1/tickets/${id}/take`)).status).toBe(200);
    expect((await agent.client.post(`/api/v1/tickets/${id}/messages`, { body: '您好,已收到您的问题,正在为您核实。', visibility: 'public' })).status).toBe(201);
    expect((await lead.client.post(`/api/v1/tickets/${id}/messages`, { body: '请优先处理', visibility: 'internal' })).status).toBe(201);
    expect((await agent.client.post(`/api/v1/tickets/${id}/handover`, { toUserId: colleague.id, reason: '换班交接' })).status).toBe(200);

    const res = await agent.client.get<{ items: Entry[] }>(`/api/v1/tickets/${id}/events`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body.items;
    const of = (kind: string, actorId: string | null): Entry | undefined => items.find((e) => e.kind === kind && e.actorId === actorId);

    expect(of('created', customer.id)?.actor).toEqual({ displayName: null, role: 'customer' });
    expect(of('message', agent.id)?.actor).toEqual({ displayName: await nameOf(agent), role: 'agent' });
    expect(of('note', lead.id)?.actor).toEqual({ displayName: await nameOf(lead), role: 'team_lead' });
    expect(of('handover', agent.id)?.actor).toEqual({ displayName: await nameOf(agent), role: 'agent' });
    // Every entry says who acted, consistently with actorId.
    for (const e of items) expect(e.actor === null).toBe(e.actorId === null);

    // The customer reads the same public timeline: staff names, no internal note, and never their own account name.
    const seen = await customer.client.get<{ items: Entry[] }>(`/api/v1/tickets/${id}/events`);
    expect(seen.status).toBe(200);
    expect(seen.body.items.some((e) => e.kind === 'note')).toBe(false);
    expect(seen.body.items.find((e) => e.kind === 'message')?.actor).toEqual({ displayName: await nameOf(agent), role: 'agent' });
    expect(JSON.stringify(seen.body)).not.toContain(await nameOf(customer));
  });

  it('an SLA breach written by the sweep has no actor', async () => {
    const t = await agent.client.post<{ id: string }>('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '系统事件测试' });
    expect(t.status).toBe(201);
    // A system-written entry, as the sweep writes its breach rows (actor_id NULL).
    await h.ctx.db.pool.query(`INSERT INTO ticket_events (ticket_id, kind, actor_id, visibility, data) VALUES ($1, 'sla_breach', NULL, 'internal', '{"clock":"first_response"}')`, [t.body.id]);
    const res = await agent.client.get<{ items: Entry[] }>(`/api/v1/tickets/${t.body.id}/events`);
    expect(res.body.items.find((e) => e.kind === 'sla_breach')).toMatchObject({ actorId: null, actor: null });
  });

  it('serialises every entry kind the timeline holds', async () => {
    // Whatever kinds this shared database holds by now (messages, merges, calls, e-mail, SLA…), the response schema passes them.
    const { rows } = await h.ctx.db.pool.query<{ ticket_id: string }>('SELECT DISTINCT ON (kind) ticket_id FROM ticket_events ORDER BY kind, id DESC LIMIT 40');
    const supervisor = await h.user('supervisor');
    for (const r of rows) expect((await supervisor.client.get(`/api/v1/tickets/${r.ticket_id}/events`)).status).toBe(200);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await h.anon.get('/api/openapi.json')).body;
    const schema = doc.paths['/api/v1/tickets/{id}/events'].get.responses['200'].content['application/json'].schema;
    const item = schema.properties.items.items;
    expect(item.properties.actor).toBeDefined();
    expect(JSON.stringify(item.properties.actor)).toContain('displayName');
    expect(item.required).toEqual(expect.arrayContaining(['id', 'kind', 'actorId', 'actor', 'createdAt']));
  });
});
