/**
 * What the admin screens need of the server beyond the older routes: a staff account's role and
 * name changed by an admin (never one's own role), the API-key list without keys, and a team's
 * members replaced; each refused clearly (4xx) when it should be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let admin: TestUser;
let supervisor: TestUser;
let agent: TestUser;

beforeAll(async () => {
  h = await startHarness();
  [admin, supervisor, agent] = await Promise.all([h.user('admin'), h.user('supervisor'), h.user('agent')]);
});
afterAll(async () => h?.close());

describe('PATCH /users/{id}: role and display name', () => {
  it('an admin changes a staff role, effective on the user\'s next request', async () => {
    const u = await h.user('agent');
    const res = await admin.client.patch(`/api/v1/users/${u.id}`, { role: 'team_lead', displayName: '李组长' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ role: 'team_lead', displayName: '李组长' });
    expect((await u.client.get('/api/v1/me')).body.role).toBe('team_lead');
    const audit = await h.ctx.db.pool.query("SELECT data FROM audit_log WHERE action = 'user.update' AND entity_id = $1", [u.id]);
    expect(audit.rows.at(-1)?.data).toMatchObject({ role: 'team_lead', displayName: '李组长' });
  });

  it('refuses one\'s own role, a customer\'s, a supervisor changing roles, and unknown roles', async () => {
    const own = await admin.client.patch(`/api/v1/users/${admin.id}`, { role: 'agent' });
    expect(own.status).toBe(400);
    expect(own.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'role' } });
    const cu = await h.user('customer');
    expect((await admin.client.patch(`/api/v1/users/${cu.id}`, { role: 'agent' })).status).toBe(400);
    const service = await h.ctx.db.pool.query<{ id: string }>("SELECT id FROM users WHERE role = 'integration' LIMIT 1");
    if (service.rows[0]) expect((await admin.client.patch(`/api/v1/users/${service.rows[0].id}`, { role: 'agent' })).status).toBe(400);
    expect((await supervisor.client.patch(`/api/v1/users/${agent.id}`, { role: 'admin' })).status).toBe(403);
    expect((await supervisor.client.patch(`/api/v1/users/${agent.id}`, { displayName: 'x' })).status).toBe(403);
    expect((await admin.client.patch(`/api/v1/users/${agent.id}`, { role: 'customer' })).status).toBe(400);
    expect((await admin.client.patch(`/api/v1/users/${agent.id}`, { role: 'integration' })).status).toBe(400);
    expect((await admin.client.patch(`/api/v1/users/${agent.id}`, { displayName: '   ' })).status).toBe(400);
    expect((await admin.client.patch('/api/v1/users/00000000-0000-4000-8000-000000000000', { role: 'agent' })).status).toBe(404);
    expect((await agent.client.get('/api/v1/me')).body.role).toBe('agent');
  });
});

describe('GET /api-keys', () => {
  it('lists keys by prefix for admins, never the key; revoked ones last', async () => {
    const made = await admin.client.post('/api/v1/api-keys', { name: `列表 ${h.uid()}`, role: 'integration' });
    expect(made.status).toBe(201);
    const list = await admin.client.get('/api/v1/api-keys');
    expect(list.status).toBe(200);
    const row = list.body.items.find((k: { id: string }) => k.id === made.body.id);
    expect(row).toMatchObject({ role: 'integration', prefix: made.body.key.slice(0, 8), revokedAt: null, lastUsedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(made.body.key);
    expect((await admin.client.request('DELETE', `/api/v1/api-keys/${made.body.id}`)).status).toBe(204);
    const after = (await admin.client.get('/api/v1/api-keys')).body.items.find((k: { id: string }) => k.id === made.body.id);
    expect(after.revokedAt).not.toBeNull();
    expect((await supervisor.client.get('/api/v1/api-keys')).status).toBe(403);
  });
});

describe('PUT /teams/{id}/members', () => {
  it('replaces the members and leads; refuses non-staff, duplicates and unknown teams', async () => {
    const team = await admin.client.post('/api/v1/teams', { code: `m_${h.uid()}`, name: '成员测试组' });
    expect(team.status).toBe(201);
    const lead = await h.user('team_lead');
    const put = await supervisor.client.put(`/api/v1/teams/${team.body.id}/members`, { members: [{ userId: agent.id }, { userId: lead.id, isLead: true }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const listed = (await admin.client.get('/api/v1/teams')).body.items.find((t: { id: string }) => t.id === team.body.id);
    expect(listed.members).toHaveLength(2);
    expect(listed.members).toContainEqual({ userId: lead.id, isLead: true });
    expect((await lead.client.get('/api/v1/me')).body.teamIds).toContain(team.body.id);
    // Replaced, not added to.
    expect((await admin.client.put(`/api/v1/teams/${team.body.id}/members`, { members: [{ userId: lead.id, isLead: false }] })).status).toBe(200);
    expect((await admin.client.get('/api/v1/teams')).body.items.find((t: { id: string }) => t.id === team.body.id).members).toEqual([{ userId: lead.id, isLead: false }]);

    const cu = await h.user('customer');
    const bad = await admin.client.put(`/api/v1/teams/${team.body.id}/members`, { members: [{ userId: cu.id }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual({ field: 'members', code: 'not_staff' });
    expect((await admin.client.put(`/api/v1/teams/${team.body.id}/members`, { members: [{ userId: lead.id }, { userId: lead.id }] })).status).toBe(400);
    expect((await admin.client.put(`/api/v1/teams/${team.body.id}/members`, { members: [{ userId: 'nope' }] })).status).toBe(400);
    expect((await admin.client.put('/api/v1/teams/00000000-0000-4000-8000-000000000000/members', { members: [] })).status).toBe(404);
    expect((await agent.client.put(`/api/v1/teams/${team.body.id}/members`, { members: [] })).status).toBe(403);
  });
});

describe('PATCH /categories/{id}', () => {
  it('renames, sets the skill and switches a category off; refuses bad input clearly', async () => {
    const made = await admin.client.post('/api/v1/categories', { code: `c_${h.uid()}`, nameZh: '旧名', nameEn: 'Old' });
    expect(made.status).toBe(201);
    const res = await supervisor.client.patch(`/api/v1/categories/${made.body.id}`, { nameZh: '新名', skill: 'claims', active: false });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ nameZh: '新名', nameEn: 'Old', skill: 'claims', active: false, ticketType: null });
    expect((await admin.client.patch(`/api/v1/categories/${made.body.id}`, { skill: null })).body.skill).toBeNull();
    expect((await admin.client.patch(`/api/v1/categories/${made.body.id}`, { ticketType: 'no_such_type' })).status).toBe(400);
    expect((await admin.client.patch(`/api/v1/categories/${made.body.id}`, { nameZh: ' ' })).status).toBe(400);
    expect((await admin.client.patch('/api/v1/categories/00000000-0000-4000-8000-000000000000', { active: true })).status).toBe(404);
    expect((await agent.client.patch(`/api/v1/categories/${made.body.id}`, { active: true })).status).toBe(403);
  });
});
