/**
 * The inbox's server side (issue 6): the list's queue filters (my team, waiting on the customer),
 * saved views per user, and the staff live socket (new tickets, messages, SLA warnings).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { sweepSla } from '../../src/services/sla/sweep-sla.ts';
import { startHarness, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let team: string;
let otherTeam: string;
let agent: TestUser;
let other: TestUser;

beforeAll(async () => {
  h = await startHarness();
  team = await h.team();
  otherTeam = await h.team();
  agent = await h.user('agent', { teamIds: [team] });
  other = await h.user('agent', { teamIds: [otherTeam] });
});
afterAll(async () => {
  await h.close();
});

async function ticket(by: TestUser, body: Record<string, unknown> = {}): Promise<{ id: string; number: string }> {
  const res = await by.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: `收件箱测试 ${h.uid()}`, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('ticket list queues', () => {
  it('teamId=mine lists the tickets of the caller\'s teams only', async () => {
    const mine = await ticket(agent, { teamId: team, subject: `我组 ${h.uid()}` });
    const theirs = await ticket(other, { teamId: otherTeam, subject: `他组 ${h.uid()}` });
    const res = await agent.client.get('/api/v1/tickets?teamId=mine&limit=200');
    expect(res.status).toBe(200);
    const ids = res.body.items.map((t: { id: string }) => t.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(res.body.items.every((t: { teamId: string }) => t.teamId === team)).toBe(true);
  });

  it('waitingOn=customer lists pending tickets waiting on the customer', async () => {
    const waiting = await ticket(agent, { teamId: team });
    const open = await ticket(agent, { teamId: team });
    const s = await agent.client.post(`/api/v1/tickets/${waiting.id}/status`, { status: 'pending', waitingOn: 'customer' });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    const res = await agent.client.get('/api/v1/tickets?teamId=mine&status=pending&waitingOn=customer&limit=200');
    const ids = res.body.items.map((t: { id: string }) => t.id);
    expect(ids).toContain(waiting.id);
    expect(ids).not.toContain(open.id);
  });

  it('teamId and categoryId take several ids, any of them matching', async () => {
    const admin = await h.user('admin');
    const third = await h.team();
    const cats: string[] = [];
    for (const n of [1, 2, 3]) {
      const c = await admin.client.post('/api/v1/categories', { code: `inbox_${h.uid()}_${n}`, nameZh: `收件箱分类 ${n}`, nameEn: `Inbox category ${n}` });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      cats.push(c.body.id);
    }
    const inTeam = await ticket(agent, { teamId: team, categoryId: cats[0] });
    const inOther = await ticket(other, { teamId: otherTeam, categoryId: cats[1] });
    const inThird = await ticket(admin, { teamId: third, ownerId: null, autoAssign: false, categoryId: cats[2] });
    const ids = async (query: string): Promise<string[]> => {
      const res = await admin.client.get(`/api/v1/tickets?${query}&limit=200`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.map((t: { id: string }) => t.id);
    };
    const byTeams = await ids(`teamId=${team},${otherTeam}`);
    expect(byTeams).toEqual(expect.arrayContaining([inTeam.id, inOther.id]));
    expect(byTeams).not.toContain(inThird.id);
    expect(await ids(`teamId=${third}`)).toEqual([inThird.id]);
    const byCats = await ids(`categoryId=${cats[1]},${cats[2]}`);
    expect(byCats.sort()).toEqual([inOther.id, inThird.id].sort());
    expect(await ids(`categoryId=${cats[0]}&teamId=${otherTeam},${third}`)).toEqual([]);
    // A repeated id is one; upper case is the same id.
    expect(await ids(`categoryId=${cats[0]},${cats[0]!.toUpperCase()}`)).toEqual([inTeam.id]);
  });

  it('refuses a bad queue value with a 400', async () => {
    const bad = await agent.client.get('/api/v1/tickets?categoryId=8a6e0804-2bd0-4672-b79d-d97027f9071a,nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('nope');
    expect((await agent.client.get('/api/v1/tickets?teamId=mine,8a6e0804-2bd0-4672-b79d-d97027f9071a')).status).toBe(400);
    expect((await agent.client.get('/api/v1/tickets?categoryId=,')).status).toBe(400);
    expect((await agent.client.get('/api/v1/tickets?teamId=theirs')).status).toBe(400);
    expect((await agent.client.get('/api/v1/tickets?waitingOn=nobody')).status).toBe(400);
  });
});

describe('the OpenAPI document', () => {
  it('describes several ids per list filter, the views\' order and the render\'s eventId', async () => {
    const doc = (await h.anon.get('/api/openapi.json')).body;
    const params = doc.paths['/api/v1/tickets'].get.parameters as { name: string; description?: string }[];
    expect(params.find((p) => p.name === 'teamId')?.description).toContain('comma-separated');
    expect(params.find((p) => p.name === 'categoryId')?.description).toContain('comma-separated');
    expect(doc.paths['/api/v1/me/views/order'].put.requestBody.content['application/json'].schema.required).toEqual(['ids']);
    expect(Object.keys(doc.paths['/api/v1/kb/articles/{id}/render'].post.requestBody.content['application/json'].schema.properties)).toEqual(['ticketId', 'eventId']);
  });
});

describe('saved views', () => {
  it('an agent saves, lists, renames and deletes their own views', async () => {
    const name = `急件 ${h.uid()}`;
    const created = await agent.client.post('/api/v1/me/views', { name, filters: { queue: 'mine', priority: ['urgent', 'high'], q: '破损' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name, filters: { queue: 'mine', priority: ['urgent', 'high'], q: '破损' } });
    const list = await agent.client.get('/api/v1/me/views');
    expect(list.body.items.map((v: { id: string }) => v.id)).toContain(created.body.id);

    const renamed = await agent.client.put(`/api/v1/me/views/${created.body.id}`, { name: `${name} 2`, filters: { queue: 'at_risk' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: `${name} 2`, filters: { queue: 'at_risk' } });

    expect((await agent.client.request('DELETE', `/api/v1/me/views/${created.body.id}`)).status).toBe(204);
    expect((await agent.client.get('/api/v1/me/views')).body.items.map((v: { id: string }) => v.id)).not.toContain(created.body.id);
  });

  it('a view keeps several categories and teams, and an older single category still reads', async () => {
    const ids = ['8a6e0804-2bd0-4672-b79d-d97027f9071a', '1b6e0804-2bd0-4672-b79d-d97027f9071b'];
    const filters = { queue: 'all', status: ['new', 'open'], channel: ['chat', 'email'], categoryIds: ids, teamIds: [team, otherTeam] };
    const v = await agent.client.post('/api/v1/me/views', { name: `多选 ${h.uid()}`, filters });
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    expect(v.body.filters).toEqual(filters);
    const legacy = await agent.client.post('/api/v1/me/views', { name: `旧 ${h.uid()}`, filters: { categoryId: ids[0] } });
    expect(legacy.status).toBe(201);
    expect((await agent.client.get('/api/v1/me/views')).body.items.find((x: { id: string }) => x.id === legacy.body.id).filters).toEqual({ categoryId: ids[0] });
    expect((await agent.client.post('/api/v1/me/views', { name: `坏 ${h.uid()}`, filters: { teamIds: ['x'] } })).status).toBe(400);
  });

  it('an agent puts their views in an order; views not placed follow by name, a new one goes last', async () => {
    const me = await h.user('agent', { teamIds: [team] });
    const make = async (name: string): Promise<string> => (await me.client.post('/api/v1/me/views', { name, filters: {} })).body.id;
    const [c, a, b] = [await make('丙'), await make('甲'), await make('乙')];
    const names = async (): Promise<string[]> => (await me.client.get('/api/v1/me/views')).body.items.map((v: { name: string }) => v.name);
    // Never ordered: by name (code points: 丙 < 乙 < 甲).
    expect(await names()).toEqual(['丙', '乙', '甲']);
    const put = await me.client.put('/api/v1/me/views/order', { ids: [a, c] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.items.map((v: { id: string }) => v.id)).toEqual([a, c, b]);
    expect(await names()).toEqual(['甲', '丙', '乙']);
    await make('丁');
    expect(await names()).toEqual(['甲', '丙', '丁', '乙']);
    expect((await me.client.put('/api/v1/me/views/order', { ids: [b, a, c] })).body.items.map((v: { name: string }) => v.name)).toEqual(['乙', '甲', '丙', '丁']);
    // Renaming keeps the place.
    expect((await me.client.put(`/api/v1/me/views/${a}`, { name: '甲二', filters: {} })).status).toBe(200);
    expect(await names()).toEqual(['乙', '甲二', '丙', '丁']);

    // Bad orders are refused and change nothing.
    const twice = await me.client.put('/api/v1/me/views/order', { ids: [a, a] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toContain('twice');
    const theirs = (await agent.client.post('/api/v1/me/views', { name: `别人的 ${h.uid()}`, filters: {} })).body.id;
    expect((await me.client.put('/api/v1/me/views/order', { ids: [theirs, a] })).status).toBe(404);
    expect((await me.client.put('/api/v1/me/views/order', { ids: [] })).status).toBe(400);
    expect((await me.client.put('/api/v1/me/views/order', { ids: ['x'] })).status).toBe(400);
    expect(await names()).toEqual(['乙', '甲二', '丙', '丁']);
    const customer = await h.user('customer');
    expect((await customer.client.put('/api/v1/me/views/order', { ids: [a] })).status).toBe(403);
  });

  it('views are private: another user neither sees nor changes them', async () => {
    const v = await agent.client.post('/api/v1/me/views', { name: `私有 ${h.uid()}`, filters: {} });
    expect((await other.client.get('/api/v1/me/views')).body.items.map((x: { id: string }) => x.id)).not.toContain(v.body.id);
    expect((await other.client.put(`/api/v1/me/views/${v.body.id}`, { name: 'x', filters: {} })).status).toBe(404);
    expect((await other.client.request('DELETE', `/api/v1/me/views/${v.body.id}`)).status).toBe(404);
  });

  it('bad input is a 4xx: unknown filter, bad status, empty name, duplicate name, customer caller', async () => {
    expect((await agent.client.post('/api/v1/me/views', { name: 'x', filters: { owner: 'me' } })).status).toBe(400);
    expect((await agent.client.post('/api/v1/me/views', { name: 'x', filters: { status: ['lost'] } })).status).toBe(400);
    expect((await agent.client.post('/api/v1/me/views', { name: '  ', filters: {} })).status).toBe(400);
    expect((await agent.client.put('/api/v1/me/views/not-a-uuid', { name: 'x', filters: {} })).status).toBe(400);
    const name = `重复 ${h.uid()}`;
    expect((await agent.client.post('/api/v1/me/views', { name, filters: {} })).status).toBe(201);
    const dup = await agent.client.post('/api/v1/me/views', { name, filters: {} });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    const customer = await h.user('customer');
    expect((await customer.client.get('/api/v1/me/views')).status).toBe(403);
    expect((await h.anon.get('/api/v1/me/views')).status).toBe(401);
  });
});

type Frame = { type: string; [k: string]: any };

async function openLive(token: string | null): Promise<{ ws: WebSocket; frames: Frame[]; next: (test: (f: Frame) => boolean) => Promise<Frame> }> {
  const ws = new WebSocket(new URL('/api/v1/live/ws', h.url.replace(/^http/, 'ws')), token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const frames: Frame[] = [];
  const waiters: { test: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as Frame;
    frames.push(f);
    for (const w of waiters.splice(0)) (w.test(f) ? w.resolve(f) : waiters.push(w));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (test: (f: Frame) => boolean): Promise<Frame> => {
    const seen = frames.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no frame; got ${JSON.stringify(frames.slice(-5))}`)), 5_000);
      waiters.push({ test, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  };
  return { ws, frames, next };
}

describe('staff live socket', () => {
  it('tells a signed-in agent of new tickets, messages and SLA warnings, and refuses customers and strangers', async () => {
    const live = await openLive(agent.client.token);
    await live.next((f) => f.type === 'ready');
    const t = await ticket(other, { teamId: otherTeam, subject: `实时 ${h.uid()}` });
    const created = await live.next((f) => f.type === 'ticket.created' && f.ticket.id === t.id);
    expect(created.ticket).toMatchObject({ number: t.number, channel: 'phone', status: expect.any(String) });

    await other.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '您好,已为您查询', visibility: 'public' });
    const msg = await live.next((f) => f.type === 'ticket.message' && f.ticketId === t.id);
    expect(msg.visibility).toBe('public');
    expect(msg.ticket).toMatchObject({ id: t.id, number: t.number });

    // A change of owner comes with the ticket as it now stands: an "unassigned" inbox sees it taken.
    const supervisor = await h.user('supervisor');
    const loose = await ticket(supervisor, { teamId: otherTeam, ownerId: null, autoAssign: false });
    const took = await other.client.post(`/api/v1/tickets/${loose.id}/take`, {});
    expect(took.status, JSON.stringify(took.body)).toBe(200);
    const taken = await live.next((f) => f.type === 'ticket.changed' && f.ticketId === loose.id);
    expect(taken).toMatchObject({ kind: 'assignment', ticket: { id: loose.id, ownerId: other.id, teamId: otherTeam } });
    expect((await other.client.post(`/api/v1/tickets/${loose.id}/status`, { status: 'pending', waitingOn: 'customer' })).status).toBe(200);
    const pending = await live.next((f) => f.type === 'ticket.changed' && f.ticketId === loose.id && f.kind === 'status');
    expect(pending.ticket).toMatchObject({ status: 'pending', waitingOn: 'customer' });

    const clocks = await h.ctx.db.pool.query('UPDATE sla_clocks SET warn_at = now() - interval \'1 minute\' WHERE ticket_id = $1 AND warned_at IS NULL AND stopped_at IS NULL RETURNING id', [t.id]);
    expect(clocks.rowCount, 'the ticket has a running SLA clock').toBeGreaterThan(0);
    await sweepSla(h.ctx.db);
    const isSla = (f: Frame): boolean => f.type === 'ticket.sla' && f.ticketId === t.id;
    if (inject('databaseUrl') !== null) {
      // PostgreSQL: whichever process's sweep claims the warning, its NOTIFY reaches this one.
      const sla = await live.next(isSla);
      expect(sla.kind).toBe('warning');
      expect(sla.ticket).toMatchObject({ id: t.id, slaState: 'warning' });
    } else {
      // The embedded PGlite carries no notifications between processes: the frame comes when this
      // process's sweep claimed the warning; another test file's job runner may have claimed it
      // first (once, as it must), and then the clock shows it was warned.
      const sla = await live.next(isSla).catch(() => null);
      if (sla) expect(sla).toMatchObject({ kind: 'warning', ticket: { id: t.id, slaState: 'warning' } });
      else {
        const { rows } = await h.ctx.db.pool.query('SELECT count(*)::int AS n FROM sla_clocks WHERE ticket_id = $1 AND warned_at IS NOT NULL', [t.id]);
        expect(rows[0].n).toBeGreaterThan(0);
      }
    }
    live.ws.close();

    const customer = await h.user('customer');
    const refused = await openLive(customer.client.token);
    expect((await refused.next((f) => f.type === 'error')).code).toBe('forbidden');
    const anon = await openLive(null);
    expect((await anon.next((f) => f.type === 'error')).code).toBe('unauthenticated');
  });
});
