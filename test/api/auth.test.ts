/**
 * Accounts over HTTP: password login (cookie and token), lock-out, logout, API keys and their
 * revocation, admin-only user management, the login rate limit; and the permission rules of
 * SPEC P2 as seen by customers and QA inspectors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.ts';
import { Client, PASSWORD, startHarness, testConfig, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let admin: TestUser;
let supervisor: TestUser;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.user('admin');
  supervisor = await h.user('supervisor');
});
afterAll(async () => {
  await h?.close();
});

/** A client address of its own, so the per-IP login rate limit of the shared server is never the reason a test fails. */
function ip(): Record<string, string> {
  const n = () => Math.floor(Math.random() * 250) + 1;
  return { 'x-forwarded-for': `10.${n()}.${n()}.${n()}` };
}

describe('password login', () => {
  it('sets an HttpOnly pd_session cookie that authenticates GET /me', async () => {
    const u = await h.user('agent');
    const res = await fetch(`${h.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ip() },
      body: JSON.stringify({ username: u.username, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; expiresAt: string; user: { id: string; role: string } };
    expect(body.token).toMatch(/^pds_/);
    expect(body.user).toMatchObject({ id: u.id, role: 'agent' });
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());

    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('pd_session='));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*Path=\//i);
    const value = session!.split(';')[0]!.slice('pd_session='.length);
    expect(value).toBe(body.token);

    const me = await fetch(`${h.url}/api/v1/me`, { headers: { cookie: `pd_session=${value}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: u.id, username: u.username, role: 'agent', customerId: null });

    // Without the cookie the same call is refused.
    const anon = await h.anon.get('/api/v1/me');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthenticated');
  });

  it('answers a wrong password with 401 invalid_credentials and sets no cookie', async () => {
    const u = await h.user('agent');
    const res = await h.anon.post('/api/v1/auth/login', { username: u.username, password: 'not-the-password' }, ip());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
    expect(res.headers.get('set-cookie')).toBeNull();
    // An unknown user gets the very same answer (nothing to learn about which usernames exist).
    const unknown = await h.anon.post('/api/v1/auth/login', { username: `nobody_${h.uid()}`, password: 'not-the-password' }, ip());
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(res.body);
  });

  it('records a failed login in the audit log', async () => {
    const u = await h.user('agent');
    await h.anon.post('/api/v1/auth/login', { username: u.username, password: 'wrong-password-1' }, ip());
    const audit = await supervisor.client.get(`/api/v1/audit?entityId=${u.id}&action=auth.login_failed`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: 'auth.login_failed', entityType: 'user', entityId: u.id, actorId: null, actorRole: 'system' });
    expect(audit.body.items[0].data.failures).toBe(1);
  });

  it('locks the account after auth.lockout.maxFailures failures: 423 even with the right password, audited as auth.locked', async () => {
    const settings = await admin.client.get('/api/v1/settings');
    expect(settings.status).toBe(200);
    const { maxFailures, lockMinutes } = settings.body['auth.lockout'] as { maxFailures: number; lockMinutes: number };
    expect(maxFailures).toBe(5);
    expect(lockMinutes).toBeGreaterThan(0);

    const u = await h.user('agent');
    for (let i = 1; i < maxFailures; i++) {
      const r = await h.anon.post('/api/v1/auth/login', { username: u.username, password: `wrong-${i}-password` }, ip());
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('invalid_credentials');
    }
    // Not yet locked: one attempt short of the limit.
    const last = await h.anon.post('/api/v1/auth/login', { username: u.username, password: 'wrong-last-password' }, ip());
    expect(last.status).toBe(401);

    const locked = await h.anon.post('/api/v1/auth/login', { username: u.username, password: PASSWORD }, ip());
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('account_locked');
    expect(locked.headers.get('set-cookie')).toBeNull();
    // A wrong password on a locked account says "locked" too, not "wrong password".
    const lockedWrong = await h.anon.post('/api/v1/auth/login', { username: u.username, password: 'still-wrong-password' }, ip());
    expect(lockedWrong.status).toBe(423);

    // Sessions opened before the lock stay valid; the lock guards password logins only.
    const me = await u.client.get('/api/v1/me');
    expect(me.status).toBe(200);

    const audit = await supervisor.client.get(`/api/v1/audit?entityId=${u.id}&action=auth.locked`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: 'auth.locked', entityType: 'user', entityId: u.id });
    expect(audit.body.items[0].data.failures).toBe(maxFailures);
    const failed = await supervisor.client.get(`/api/v1/audit?entityId=${u.id}&action=auth.login_failed`);
    expect(failed.body.items).toHaveLength(maxFailures - 1);

    // The lock is stored on the user, about lockMinutes ahead.
    const { rows } = await h.ctx.db.pool.query<{ locked_until: Date }>('SELECT locked_until FROM users WHERE id = $1', [u.id]);
    const ahead = rows[0]!.locked_until.getTime() - Date.now();
    expect(ahead).toBeGreaterThan((lockMinutes - 1) * 60_000);
    expect(ahead).toBeLessThanOrEqual(lockMinutes * 60_000 + 5_000);
  });

  it('lets the user in again once the lock has expired, and a good login clears the failure count', async () => {
    const u = await h.user('agent');
    for (let i = 0; i < 5; i++) await h.anon.post('/api/v1/auth/login', { username: u.username, password: 'wrong-password-x' }, ip());
    expect((await h.anon.post('/api/v1/auth/login', { username: u.username, password: PASSWORD }, ip())).status).toBe(423);
    await h.ctx.db.pool.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [u.id]);
    const ok = await h.anon.post('/api/v1/auth/login', { username: u.username, password: PASSWORD }, ip());
    expect(ok.status).toBe(200);
    const { rows } = await h.ctx.db.pool.query<{ failed_logins: number; locked_until: Date | null }>('SELECT failed_logins, locked_until FROM users WHERE id = $1', [u.id]);
    expect(rows[0]).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('logout ends the session, for the bearer token and for the cookie', async () => {
    const u = await h.user('agent');
    expect((await u.client.get('/api/v1/me')).status).toBe(200);
    const out = await u.client.post('/api/v1/auth/logout');
    expect(out.status).toBe(204);
    const after = await u.client.get('/api/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');

    const login = await h.anon.post<{ token: string }>('/api/v1/auth/login', { username: u.username, password: PASSWORD }, ip());
    expect(login.status).toBe(200);
    const cookie = `pd_session=${login.body.token}`;
    expect((await fetch(`${h.url}/api/v1/me`, { headers: { cookie } })).status).toBe(200);
    const logout = await fetch(`${h.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(logout.status).toBe(204);
    const cleared = logout.headers.getSetCookie().find((c) => c.startsWith('pd_session='));
    expect(cleared).toMatch(/^pd_session=;/);
    expect((await fetch(`${h.url}/api/v1/me`, { headers: { cookie } })).status).toBe(401);
    const { rows } = await h.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [u.id]);
    expect(rows[0]!.n).toBe(0);
  });

  it('rejects an unknown bearer token and a malformed Authorization header with 401', async () => {
    const unknown = await new Client(h.url, 'pds_not-a-real-session').get('/api/v1/me');
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('unauthenticated');
    const basic = await h.anon.request('GET', '/api/v1/me', undefined, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(basic.status).toBe(401);
    expect(basic.body.error.code).toBe('unauthenticated');
  });
});

describe('API keys', () => {
  it('an API key works as a Bearer token and acts with its role', async () => {
    const key = await h.apiKey('agent');
    const me = await key.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('agent');
    expect(me.body.username).toMatch(/^apikey:/);
    const list = await key.get('/api/v1/tickets?limit=1');
    expect(list.status).toBe(200);
    // The key's role limits it like any user: an agent key may not create users.
    const create = await key.post('/api/v1/users', { username: `x_${h.uid()}`, password: PASSWORD, role: 'agent' });
    expect(create.status).toBe(403);
  });

  it('an admin creates a key (shown once) and revokes it; the revoked key stops working', async () => {
    const created = await admin.client.post<{ id: string; key: string }>('/api/v1/api-keys', { name: `crm ${h.uid()}`, role: 'agent' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^pdk_/);
    const key = new Client(h.url, created.body.key);
    expect((await key.get('/api/v1/me')).status).toBe(200);

    // Only the hash is stored.
    const { rows } = await h.ctx.db.pool.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
    expect(rows[0]!.key_hash).not.toContain(created.body.key);

    const agent = await h.user('agent');
    const denied = await agent.client.request('DELETE', `/api/v1/api-keys/${created.body.id}`);
    expect(denied.status).toBe(403);
    expect((await key.get('/api/v1/me')).status).toBe(200);

    const revoked = await admin.client.request('DELETE', `/api/v1/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(204);
    const after = await key.get('/api/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    // Revoking twice: the key is no longer active.
    expect((await admin.client.request('DELETE', `/api/v1/api-keys/${created.body.id}`)).status).toBe(404);

    const audit = await supervisor.client.get(`/api/v1/audit?entityId=${created.body.id}&action=apikey.revoke`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].actorId).toBe(admin.id);
  });

  it('only admins create API keys', async () => {
    const res = await supervisor.client.post('/api/v1/api-keys', { name: 'nope', role: 'agent' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });
});

describe('user management', () => {
  it('POST /users is for admins only: an agent (and a supervisor) get 403 and no user is created', async () => {
    const agent = await h.user('agent');
    for (const c of [agent.client, supervisor.client]) {
      const username = `new_${h.uid()}`;
      const res = await c.post('/api/v1/users', { username, password: PASSWORD, role: 'agent' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      const { rows } = await h.ctx.db.pool.query('SELECT 1 FROM users WHERE username = $1', [username]);
      expect(rows).toHaveLength(0);
    }
  });

  it('an admin creates a user who can then log in; the creation is audited', async () => {
    const username = `new_${h.uid()}`;
    const res = await admin.client.post('/api/v1/users', { username, password: PASSWORD, role: 'agent', displayName: '新坐席' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username, role: 'agent', displayName: '新坐席' });
    expect(res.body).not.toHaveProperty('password');
    expect(res.body).not.toHaveProperty('passwordHash');
    const login = await h.anon.post('/api/v1/auth/login', { username, password: PASSWORD }, ip());
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(res.body.id);
    const audit = await supervisor.client.get(`/api/v1/audit?entityId=${res.body.id}&action=user.create`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ actorId: admin.id, data: { username, role: 'agent' } });
    // The same username again is a conflict.
    const again = await admin.client.post('/api/v1/users', { username: username.toUpperCase(), password: PASSWORD, role: 'agent' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });
});

describe('login rate limit', () => {
  let limited: RunningServer;
  beforeAll(async () => {
    limited = await startServer(testConfig(), { ctx: h.ctx, jobs: false, loginRateLimit: 3 });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  it('answers 429 rate_limited once an address exceeds loginRateLimit attempts per minute', async () => {
    const anon = new Client(limited.url);
    const addr = ip();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await anon.post('/api/v1/auth/login', { username: `nobody_${h.uid()}`, password: 'whatever-password' }, addr);
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401]);
    const u = await h.user('agent');
    // Even the right password is refused while the limit holds.
    const blocked = await anon.post('/api/v1/auth/login', { username: u.username, password: PASSWORD }, addr);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(blocked.body.error.message).toMatch(/retry/);
    // Another address is counted on its own.
    const other = await anon.post('/api/v1/auth/login', { username: u.username, password: PASSWORD }, ip());
    expect(other.status).toBe(200);
    // The limit applies to logins only: other calls from the blocked address still work.
    const health = await anon.request('GET', '/healthz', undefined, addr);
    expect(health.status).toBe(200);
  });
});

describe('permissions (P2)', () => {
  let agent: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let aliceTicket: { id: string; number: string };
  let bobTicket: { id: string; number: string };
  let bobStatus: string;

  beforeAll(async () => {
    agent = await h.user('agent');
    alice = await h.user('customer');
    bob = await h.user('customer');
    const a = await alice.client.post('/api/v1/tickets', { type: 'consultation', channel: 'web', subject: `alice ${h.uid()}` });
    const b = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: `bob ${h.uid()}`, customerId: bob.customerId });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    aliceTicket = a.body;
    bobTicket = b.body;
    bobStatus = b.body.status;
    expect(a.body.customerId).toBe(alice.customerId);
    // An internal note and a public reply on Alice's ticket.
    expect((await agent.client.post(`/api/v1/tickets/${aliceTicket.id}/messages`, { body: '内部备注：客户情绪激动', visibility: 'internal' })).status).toBe(201);
    expect((await agent.client.post(`/api/v1/tickets/${aliceTicket.id}/messages`, { body: '您好，已为您查询', visibility: 'public' })).status).toBe(201);
  });

  it('a customer listing tickets sees only their own', async () => {
    const list = await alice.client.get('/api/v1/tickets?limit=200');
    expect(list.status).toBe(200);
    const ids = list.body.items.map((t: { id: string }) => t.id);
    expect(ids).toContain(aliceTicket.id);
    expect(ids).not.toContain(bobTicket.id);
    expect(list.body.items.every((t: { customerId: string }) => t.customerId === alice.customerId)).toBe(true);
    // Asking for another customer's tickets by filter does not widen the scope.
    const filtered = await alice.client.get(`/api/v1/tickets?customerId=${bob.customerId}`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.items).toEqual([]);
  });

  it("another customer's ticket is 404 — by id, by number, and for its timeline", async () => {
    for (const ref of [bobTicket.id, bobTicket.number]) {
      const res = await alice.client.get(`/api/v1/tickets/${ref}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await alice.client.get(`/api/v1/tickets/${bobTicket.id}/events`)).status).toBe(404);
    const reply = await alice.client.post(`/api/v1/tickets/${bobTicket.id}/messages`, { body: 'hi' });
    expect(reply.status).toBe(404);
    // Their own is fine.
    expect((await bob.client.get(`/api/v1/tickets/${bobTicket.number}`)).status).toBe(200);
  });

  it('a customer cannot add an internal note', async () => {
    const before = await h.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1', [aliceTicket.id]);
    const res = await alice.client.post(`/api/v1/tickets/${aliceTicket.id}/messages`, { body: 'sneaky note', visibility: 'internal' });
    expect([403, 404]).toContain(res.status);
    expect(['forbidden', 'not_found']).toContain(res.body.error.code);
    const after = await h.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1', [aliceTicket.id]);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    // A public reply on the own ticket is allowed.
    const ok = await alice.client.post(`/api/v1/tickets/${aliceTicket.id}/messages`, { body: '谢谢' });
    expect(ok.status).toBe(201);
  });

  it('a customer does not see internal notes in the timeline; staff do', async () => {
    const mine = await alice.client.get(`/api/v1/tickets/${aliceTicket.id}/events`);
    expect(mine.status).toBe(200);
    const items = mine.body.items as { visibility: string; body: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.visibility === 'public')).toBe(true);
    expect(items.map((e) => e.body)).toContain('您好，已为您查询');
    expect(JSON.stringify(items)).not.toContain('内部备注');

    const staff = await agent.client.get(`/api/v1/tickets/${aliceTicket.id}/events`);
    expect(staff.body.items.map((e: { body: string | null }) => e.body)).toContain('内部备注：客户情绪激动');
  });

  it('a QA inspector reads tickets but cannot change their status (403)', async () => {
    const qa = await h.user('qa_inspector');
    expect((await qa.client.get(`/api/v1/tickets/${bobTicket.id}`)).status).toBe(200);
    const res = await qa.client.post(`/api/v1/tickets/${bobTicket.id}/status`, { status: 'open' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    const { rows } = await h.ctx.db.pool.query<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [bobTicket.id]);
    expect(rows[0]!.status).toBe(bobStatus);
    // QA may leave an internal note (scoring remarks), but not a public reply.
    expect((await qa.client.post(`/api/v1/tickets/${bobTicket.id}/messages`, { body: 'QA: 开场白规范', visibility: 'internal' })).status).toBe(201);
    expect((await qa.client.post(`/api/v1/tickets/${bobTicket.id}/messages`, { body: 'hello', visibility: 'public' })).status).toBe(403);
  });

  it('a customer opening a ticket may not route it (owner, team, priority, special groups): 403, nothing written', async () => {
    const before = await h.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets WHERE customer_id = $1', [alice.customerId]);
    for (const extra of [{ ownerId: agent.id }, { priority: 'urgent' }, { specialGroups: ['elderly'] }, { autoAssign: true }]) {
      const res = await alice.client.post('/api/v1/tickets', { type: 'consultation', channel: 'web', subject: `route ${h.uid()}`, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(403);
      expect(res.body.error.message).toContain(Object.keys(extra)[0]);
    }
    const after = await h.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets WHERE customer_id = $1', [alice.customerId]);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    // An agent may not give a new ticket to a colleague; a lead may.
    const colleague = await h.user('agent');
    const byAgent = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: `x ${h.uid()}`, ownerId: colleague.id });
    expect(byAgent.status).toBe(403);
    const lead = await h.user('team_lead');
    const byLead = await lead.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: `x ${h.uid()}`, ownerId: colleague.id });
    expect(byLead.status).toBe(201);
    expect(byLead.body.ownerId).toBe(colleague.id);
  });

  it('a customer cannot read the audit log, settings or user list', async () => {
    for (const path of ['/api/v1/audit', '/api/v1/audit/verify', '/api/v1/settings', '/api/v1/users']) {
      const res = await alice.client.get(path);
      expect(res.status, path).toBe(403);
    }
  });
});
