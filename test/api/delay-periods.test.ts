/**
 * Declared delay periods over HTTP: CRUD for supervisors and admins (audited), reading for
 * everyone with the express tools, and their effect on delivery estimates. Dates lie in 2031 and
 * regions are chosen so that other test files' estimates are not touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let admin: TestUser;
let supervisor: TestUser;
let agent: TestUser;
let customer: TestUser;
let integration: Client;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.user('admin');
  supervisor = await h.user('supervisor');
  agent = await h.user('agent');
  customer = await h.user('customer');
  integration = await h.apiKey('integration');
});
afterAll(async () => {
  await h?.close();
});

const SPRING = { kind: 'holiday', name: '春节2031', regionPrefixes: [], startsOn: '2031-01-20', endsOn: '2031-01-27', extraMinDays: 1, extraMaxDays: 3 };

async function auditFor(id: string): Promise<{ action: string; actor_id: string }[]> {
  const { rows } = await h.ctx.db.pool.query<{ action: string; actor_id: string }>("SELECT action, actor_id FROM audit_log WHERE entity_type = 'delay_period' AND entity_id = $1 ORDER BY id", [id]);
  return rows;
}

describe('delay periods CRUD', () => {
  it('a supervisor declares, changes and withdraws a period; each step is audited', async () => {
    const created = await supervisor.client.post('/api/v1/delay-periods', { ...SPRING, name: '春节(测试)', notice: '春节期间，快件时效延迟1-3天，请您谅解。' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: 'holiday', startsOn: '2031-01-20', endsOn: '2031-01-27', extraMinDays: 1, extraMaxDays: 3, regionPrefixes: [], createdBy: supervisor.id });
    const id = created.body.id as string;

    const got = await agent.client.get(`/api/v1/delay-periods/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.name).toBe('春节(测试)');

    const patched = await admin.client.patch(`/api/v1/delay-periods/${id}`, { extraMaxDays: 4, regionPrefixes: ['61'] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ extraMinDays: 1, extraMaxDays: 4, regionPrefixes: ['61'], updatedBy: admin.id, name: '春节(测试)' });

    const del = await supervisor.client.request('DELETE', `/api/v1/delay-periods/${id}`);
    expect(del.status).toBe(204);
    expect((await agent.client.get(`/api/v1/delay-periods/${id}`)).status).toBe(404);
    expect((await supervisor.client.request('DELETE', `/api/v1/delay-periods/${id}`)).status).toBe(404);

    expect((await auditFor(id)).map((a) => a.action)).toEqual(['delay_period.create', 'delay_period.update', 'delay_period.delete']);
  });

  it('lists periods for anyone with the tools, filtered by activeOn', async () => {
    const a = await admin.client.post('/api/v1/delay-periods', { ...SPRING, name: '列表测试A', startsOn: '2031-03-01', endsOn: '2031-03-03', regionPrefixes: ['6201'] });
    const b = await admin.client.post('/api/v1/delay-periods', { ...SPRING, name: '列表测试B', startsOn: '2031-05-01', endsOn: '2031-05-05', regionPrefixes: ['6201'] });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    const all = await customer.client.get('/api/v1/delay-periods');
    expect(all.status).toBe(200);
    const ids = all.body.items.map((x: { id: string }) => x.id);
    expect(ids).toContain(a.body.id);
    expect(ids).toContain(b.body.id);
    const later = await agent.client.get('/api/v1/delay-periods?activeOn=2031-04-01');
    const laterIds = later.body.items.map((x: { id: string }) => x.id);
    expect(laterIds).not.toContain(a.body.id);
    expect(laterIds).toContain(b.body.id);
  });

  it.each([
    [{ ...SPRING, kind: 'party' }, 'kind'],
    [{ ...SPRING, name: '' }, 'name'],
    [{ ...SPRING, startsOn: '2031-02-30' }, '2031-02-30 is not a calendar date'],
    [{ ...SPRING, startsOn: '20310120' }, 'startsOn'],
    [{ ...SPRING, endsOn: '2031-01-01' }, 'endsOn 2031-01-01 is before startsOn 2031-01-20'],
    [{ ...SPRING, extraMinDays: 3, extraMaxDays: 1 }, 'extraMaxDays 1 is less than extraMinDays 3'],
    [{ ...SPRING, extraMinDays: -1 }, 'extraMinDays'],
    [{ ...SPRING, extraMaxDays: 1.5 }, 'extraMaxDays'],
    [{ ...SPRING, regionPrefixes: ['4'] }, 'regionPrefixes'],
    [{ kind: 'weather', name: '暴雨' }, 'startsOn'],
  ])('400 for %j', async (body, fragment) => {
    const res = await supervisor.client.post('/api/v1/delay-periods', body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.message).toContain(fragment);
  });

  it('a change that breaks the rules is refused and changes nothing', async () => {
    const c = await supervisor.client.post('/api/v1/delay-periods', { ...SPRING, name: '改坏测试', regionPrefixes: ['6202'] });
    const res = await supervisor.client.patch(`/api/v1/delay-periods/${c.body.id}`, { endsOn: '2031-01-01' });
    expect(res.status).toBe(400);
    expect((await agent.client.get(`/api/v1/delay-periods/${c.body.id}`)).body.endsOn).toBe('2031-01-27');
    expect((await supervisor.client.patch('/api/v1/delay-periods/00000000-0000-0000-0000-000000000000', { name: 'x' })).status).toBe(404);
    expect((await supervisor.client.patch('/api/v1/delay-periods/not-a-uuid', { name: 'x' })).status).toBe(400);
  });

  it('only supervisors and admins change periods; integration keys and anonymous callers see nothing', async () => {
    for (const u of [agent, customer]) {
      const res = await u.client.post('/api/v1/delay-periods', SPRING);
      expect(res.status, u.role).toBe(403);
      expect(res.body.error.message).toContain('only supervisors and admins declare delay periods');
    }
    const c = await admin.client.post('/api/v1/delay-periods', { ...SPRING, name: '权限测试', regionPrefixes: ['6203'] });
    expect((await agent.client.patch(`/api/v1/delay-periods/${c.body.id}`, { name: 'x' })).status).toBe(403);
    expect((await agent.client.request('DELETE', `/api/v1/delay-periods/${c.body.id}`)).status).toBe(403);
    expect((await integration.get('/api/v1/delay-periods')).status).toBe(403);
    expect((await integration.post('/api/v1/delay-periods', SPRING)).status).toBe(403);
    expect((await h.anon.get('/api/v1/delay-periods')).status).toBe(401);
    expect((await auditFor(c.body.id)).map((a) => a.action)).toEqual(['delay_period.create']);
  });
});

describe('delay periods lengthen delivery estimates', () => {
  it('a nationwide 春节 period adds 1–3 days to a parcel whose transit window touches it (seed 000)', async () => {
    const p = await supervisor.client.post('/api/v1/delay-periods', { ...SPRING, name: '春节', startsOn: '2031-09-20', endsOn: '2031-09-27' });
    expect(p.status).toBe(201);
    const touching = await agent.client.post('/api/v1/delivery-estimates', { origin: '330106', destination: '440305', shippedAt: '2031-09-18T10:00:00+08:00' });
    expect(touching.status, JSON.stringify(touching.body)).toBe(200);
    expect(touching.body).toMatchObject({ baseMinDays: 3, baseMaxDays: 5, minDays: 4, maxDays: 8, earliest: '2031-09-22', latest: '2031-09-26' });
    expect(touching.body.delays).toEqual([expect.objectContaining({ id: p.body.id, name: '春节', extraMinDays: 1, extraMaxDays: 3 })]);
    expect(touching.body.sentence).toBe('杭州寄深圳，标准快递预计4-8天到达，您的快件预计于9月22日至9月26日送达。春节期间，快件时效延迟1-3天，请您谅解。');

    const before = await agent.client.post('/api/v1/delivery-estimates', { origin: '330106', destination: '440305', shippedAt: '2031-09-10T10:00:00+08:00' });
    expect(before.body).toMatchObject({ minDays: 3, maxDays: 5, delays: [] });
  });

  it('a regional weather period counts only for routes that start or end in its regions', async () => {
    const p = await supervisor.client.post('/api/v1/delay-periods', { kind: 'weather', name: '暴雪', regionPrefixes: ['2101'], startsOn: '2031-11-10', endsOn: '2031-11-12', extraMinDays: 1, extraMaxDays: 2, notice: '受暴雪天气影响，沈阳地区快件延误1-2天，请您谅解。' });
    expect(p.status).toBe(201);
    const at = '2031-11-10T09:00:00+08:00';
    const into = await customer.client.post('/api/v1/delivery-estimates', { origin: '110105', destination: '210102', shippedAt: at });
    expect(into.body).toMatchObject({ minDays: 4, maxDays: 7 });
    expect(into.body.sentence).toContain('受暴雪天气影响，沈阳地区快件延误1-2天，请您谅解。');
    const elsewhere = await customer.client.post('/api/v1/delivery-estimates', { origin: '110105', destination: '440305', shippedAt: at });
    expect(elsewhere.body).toMatchObject({ minDays: 3, maxDays: 5, delays: [] });
  });
});
