/**
 * The audit log over HTTP (SPEC P3): every write through the API leaves an entry naming its actor
 * and action, a refused write leaves none, GET /audit filters and is for the roles that oversee,
 * /audit/verify finds the chain intact, and the database itself refuses to change or remove rows.
 *
 * The database is shared with other test files: every query here is narrowed to entities this
 * file created. Tampering with sealed rows (and verify-audit catching it) is the CLI test's job,
 * on its own databases; here nothing is altered, so the shared chain stays intact.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withTx } from '../../src/db/database.ts';
import { recordAudit } from '../../src/services/audit/record-audit.ts';
import { sealAuditLog } from '../../src/services/audit/seal-audit-log.ts';
import { Client, nextTestAddress, PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';

interface AuditItem {
  id: number;
  seq: number | null;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  data: Record<string, unknown>;
  hash: string | null;
}

let h: Harness;
let admin: TestUser;
let supervisor: TestUser;
let lead: TestUser;
let agentA: TestUser;
let agentB: TestUser;
let qa: TestUser;
let team: string;

beforeAll(async () => {
  h = await startHarness();
  team = await h.team();
  admin = await h.user('admin');
  supervisor = await h.user('supervisor');
  lead = await h.user('team_lead', { teamIds: [team], leadOf: [team] });
  agentA = await h.user('agent', { teamIds: [team] });
  agentB = await h.user('agent', { teamIds: [team] });
  qa = await h.user('qa_inspector');
});
afterAll(async () => {
  await h?.close();
});

async function audit(query: Record<string, string | number>, client: Client = supervisor.client): Promise<AuditItem[]> {
  const qs = new URLSearchParams(Object.entries({ limit: 500, ...query }).map(([k, v]) => [k, String(v)])).toString();
  const res = await client.get<{ items: AuditItem[] }>(`/api/v1/audit?${qs}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

/**
 * How long to wait for sealing. On a PostgreSQL server shared with other work, a long transaction
 * in another database (a CREATE INDEX over a million rows, say) holds back the cluster-wide
 * horizon the sealer waits for; the entries are sealed as soon as it ends.
 */
const SEAL_WAIT_MS = 90_000;

/**
 * GET /audit until every entry it returns is sealed. An entry joins the chain once every
 * transaction older than it has ended — in the whole database cluster — so while other files (or
 * other databases on the same server) are busy, a moment may pass before it can be sealed.
 */
async function sealedAudit(query: Record<string, string | number>): Promise<AuditItem[]> {
  const deadline = Date.now() + SEAL_WAIT_MS;
  for (;;) {
    const items = await audit(query);
    if (items.every((i) => i.seq !== null) || Date.now() > deadline) return items;
    await new Promise((r) => setTimeout(r, 200));
  }
}


async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/** Every route that changes something, as the OpenAPI document names it, and what the log must say. */
interface Expectation {
  route: string;
  action: string;
  entityType: string;
  entityId: string;
  actorId: string;
}

/** Changes that are deliberately not audited, and why. */
const NOT_AUDITED: Record<string, string> = {
  // Marking one's own notification read is inbox state of the reader, not a change to service data.
  'POST /api/v1/notifications/{id}/read': 'inbox state',
  // An agent's own availability for chats (online / away / offline) is workforce state, not service data.
  'PUT /api/v1/chat/presence': 'own availability',
  // Calculators: they answer and store nothing.
  'POST /api/v1/quotes': 'calculation',
  'POST /api/v1/delivery-estimates': 'calculation',
  'POST /api/v1/item-checks': 'calculation',
  'POST /api/v1/compensation-estimates': 'calculation',
  // Knowledge-base usage statistics, kept in kb_usage / kb_feedback for reports (an anonymous
  // portal visitor's "was this helpful" vote; a script filled in for a reply changes no content).
  'POST /api/v1/kb/articles/{id}/render': 'usage statistic (kb_usage)',
  'POST /api/v1/kb/public/{id}/feedback': 'reader feedback (kb_feedback)',
  // Search clicks and views for the usage report (kb_usage): statistics of reading, no content changes (kb-report.test.ts).
  'POST /api/v1/kb/articles/{id}/usage': 'usage statistic (kb_usage)',
  'POST /api/v1/kb/public/{id}/usage': 'usage statistic (kb_usage)',
  // The language guard's check answers with findings and stores nothing (an override on a reply is audited, in guard.test.ts).
  'POST /api/v1/guard/check': 'calculation',
  // An agent's own inbox views (saved filters) are preferences of their owner, seen by nobody else, not service data (saved-views.test.ts).
  'POST /api/v1/me/views': 'own preference',
  'PUT /api/v1/me/views/{id}': 'own preference',
  'DELETE /api/v1/me/views/{id}': 'own preference',
  'PUT /api/v1/me/views/order': 'own preference',
};

/** Writes whose audit entries are asserted in the test file of their own resource. */
const AUDITED_IN: Record<string, string> = {
  'POST /api/v1/email/outbox/{id}/retry': 'email.test.ts',
  'POST /api/v1/tickets/{id}/problem-case': 'claims.test.ts',
  'POST /api/v1/tickets/{id}/problem-case/steps': 'claims.test.ts',
  'POST /api/v1/tickets/{id}/problem-case/courier-contact': 'claims.test.ts',
  'POST /api/v1/claims': 'claims.test.ts',
  'POST /api/v1/claims/{id}/verify': 'claims.test.ts',
  'POST /api/v1/claims/{id}/approve': 'claims.test.ts',
  'POST /api/v1/claims/{id}/pay': 'claims.test.ts',
  'POST /api/v1/claims/{id}/reject': 'claims.test.ts',
  'POST /api/v1/claims/{id}/evidence': 'claims.test.ts',
  'POST /api/v1/orders': 'orders.test.ts',
  'POST /api/v1/orders/{id}/confirm': 'orders.test.ts',
  'POST /api/v1/orders/{id}/cancel': 'orders.test.ts',
  'POST /api/v1/pickup-requests/{id}/ack': 'orders.test.ts',
  'POST /api/v1/delay-periods': 'delay-periods.test.ts',
  'PATCH /api/v1/delay-periods/{id}': 'delay-periods.test.ts',
  'DELETE /api/v1/delay-periods/{id}': 'delay-periods.test.ts',
  'POST /api/v1/shipments': 'shipments.test.ts',
  'POST /api/v1/shipments/{waybill}/events': 'shipments.test.ts',
  'POST /api/v1/shipment-events': 'shipments.test.ts',
  'POST /api/v1/shipments/{waybill}/reveal': 'shipments.test.ts',
  'PUT /api/v1/shipment-status-codes/{code}': 'shipments.test.ts',
  'POST /api/v1/delay-periods/{id}/notices': 'notices.test.ts',
  'POST /api/v1/shipment-notices/{id}/report': 'notices.test.ts',
  'POST /api/v1/telephony/events': 'calls.test.ts',
  'POST /api/v1/chat/conversations': 'chat.test.ts',
  'POST /api/v1/chat/conversations/{id}/end': 'chat.test.ts',
  'POST /api/v1/chat/conversations/{id}/accept': 'chat.test.ts',
  'POST /api/v1/chat/conversations/{id}/transfer': 'chat.test.ts',
  'POST /api/v1/chat/conversations/{id}/link-customer': 'chat.test.ts',
  'POST /api/v1/calls/{callId}/callback-message': 'calls.test.ts',
  'POST /api/v1/walk-ins': 'walk-ins.test.ts',
  'POST /api/v1/webhooks': 'webhooks.test.ts',
  'PATCH /api/v1/webhooks/{id}': 'webhooks.test.ts',
  'DELETE /api/v1/webhooks/{id}': 'webhooks.test.ts',
  'POST /api/v1/webhooks/{id}/rotate-secret': 'webhooks.test.ts',
  'POST /api/v1/webhooks/{id}/ping': 'webhooks.test.ts',
  'POST /api/v1/webhook-deliveries/{id}/redeliver': 'webhooks.test.ts',
  'POST /api/v1/kb/articles': 'kb.test.ts',
  'PATCH /api/v1/kb/articles/{id}': 'kb.test.ts',
  'POST /api/v1/kb/articles/{id}/submit': 'kb.test.ts',
  'POST /api/v1/kb/articles/{id}/approve': 'kb.test.ts',
  'POST /api/v1/kb/articles/{id}/reject': 'kb.test.ts',
  'POST /api/v1/kb/articles/{id}/archive': 'kb.test.ts',
  'POST /api/v1/kb/articles/{id}/confirm-review': 'kb.test.ts',
  'POST /api/v1/calendars': 'admin-accounts.test.ts',
  'DELETE /api/v1/categories/{id}': 'admin-accounts.test.ts',
};

describe('every write leaves an audit entry with its actor and action', () => {
  const expected: Expectation[] = [];
  const expect1 = (route: string, action: string, entityType: string, entityId: string, actor: TestUser): void => {
    expected.push({ route, action, entityType, entityId, actorId: actor.id });
  };

  beforeAll(async () => {
    // Customers and personal data.
    const customer = await ok(agentA.client.post('/api/v1/customers', { name: '审计客户', phone: `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` }), 201);
    expect1('POST /api/v1/customers', 'customer.create', 'customer', customer.id, agentA);
    await ok(agentA.client.patch(`/api/v1/customers/${customer.id}`, { address: '浙江省杭州市西湖区文三路1号' }));
    expect1('PATCH /api/v1/customers/{id}', 'customer.update', 'customer', customer.id, agentA);
    await ok(agentA.client.post(`/api/v1/customers/${customer.id}/reveal`, { field: 'phone', reason: '回拨客户电话' }));
    expect1('POST /api/v1/customers/{id}/reveal', 'pii.reveal', 'customer', customer.id, agentA);

    // A ticket through its life.
    const t1 = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '审计工单', customerId: customer.id }), 201);
    expect1('POST /api/v1/tickets', 'ticket.create', 'ticket', t1.id, agentA);
    await ok(agentA.client.patch(`/api/v1/tickets/${t1.id}`, { tags: [`audit_${h.uid()}`] }));
    expect1('PATCH /api/v1/tickets/{id}', 'ticket.update', 'ticket', t1.id, agentA);
    await ok(agentA.client.post(`/api/v1/tickets/${t1.id}/messages`, { body: '您好，正在为您查询' }), 201);
    expect1('POST /api/v1/tickets/{id}/messages', 'ticket.reply', 'ticket', t1.id, agentA);
    await ok(agentA.client.post(`/api/v1/tickets/${t1.id}/messages`, { body: '内部：等待网点回复', visibility: 'internal' }), 201);
    expect1('POST /api/v1/tickets/{id}/messages', 'ticket.note', 'ticket', t1.id, agentA);
    await ok(agentA.client.post(`/api/v1/tickets/${t1.id}/status`, { status: 'pending', waitingOn: 'customer' }));
    expect1('POST /api/v1/tickets/{id}/status', 'ticket.status', 'ticket', t1.id, agentA);
    await ok(agentA.client.post(`/api/v1/tickets/${t1.id}/customer-notified`, { channel: 'phone', summary: '已电话告知处理结果' }));
    expect1('POST /api/v1/tickets/{id}/customer-notified', 'ticket.customer_notified', 'ticket', t1.id, agentA);
    await ok(agentA.client.post(`/api/v1/tickets/${t1.id}/handover`, { toUserId: agentB.id, reason: '轮班交接' }));
    expect1('POST /api/v1/tickets/{id}/handover', 'ticket.handover', 'ticket', t1.id, agentA);
    const esc = await ok(agentB.client.post(`/api/v1/tickets/${t1.id}/escalations`, { level: 'senior', ownerId: lead.id, reason: '客户要求主管回复' }), 201);
    expect1('POST /api/v1/tickets/{id}/escalations', 'ticket.escalate', 'ticket', t1.id, agentB);
    await ok(lead.client.post(`/api/v1/tickets/${t1.id}/escalations/${esc.id}/answer`, { answer: '同意按保价赔付' }));
    expect1('POST /api/v1/tickets/{id}/escalations/{escalationId}/answer', 'ticket.escalation_answer', 'ticket', t1.id, lead);

    // Unowned tickets (an admin is not a first-contact owner): taken, assigned, linked, merged.
    const t2 = await ok(admin.client.post('/api/v1/tickets', { type: 'consultation', channel: 'web', subject: '审计待领取' }), 201);
    expect(t2.ownerId).toBeNull();
    await ok(agentA.client.post(`/api/v1/tickets/${t2.id}/take`));
    expect1('POST /api/v1/tickets/{id}/take', 'ticket.take', 'ticket', t2.id, agentA);
    const t3 = await ok(admin.client.post('/api/v1/tickets', { type: 'consultation', channel: 'web', subject: '审计待分配', teamId: team, autoAssign: false }), 201);
    expect(t3.ownerId).toBeNull();
    await ok(lead.client.post(`/api/v1/tickets/${t3.id}/assign`, { ownerId: agentB.id }));
    expect1('POST /api/v1/tickets/{id}/assign', 'ticket.assign', 'ticket', t3.id, lead);
    await ok(agentA.client.post(`/api/v1/tickets/${t2.id}/links`, { otherTicket: t1.number, kind: 'related' }), 201);
    expect1('POST /api/v1/tickets/{id}/links', 'ticket.link', 'ticket', t2.id, agentA);
    await ok(admin.client.post(`/api/v1/tickets/${t3.id}/merge`, { intoTicket: t2.id, reason: '重复工单' }));
    expect1('POST /api/v1/tickets/{id}/merge', 'ticket.merge', 'ticket', t2.id, admin);

    // Accounts, keys and teams.
    const user = await ok(admin.client.post('/api/v1/users', { username: `audited_${h.uid()}`, password: PASSWORD, role: 'agent' }), 201);
    expect1('POST /api/v1/users', 'user.create', 'user', user.id, admin);
    await ok(admin.client.patch(`/api/v1/users/${user.id}`, { capacity: 7 }));
    expect1('PATCH /api/v1/users/{id}', 'user.update', 'user', user.id, admin);
    const key = await ok(admin.client.post('/api/v1/api-keys', { name: `audit ${h.uid()}`, role: 'integration' }), 201);
    expect1('POST /api/v1/api-keys', 'apikey.create', 'api_key', key.id, admin);
    await ok(admin.client.request('DELETE', `/api/v1/api-keys/${key.id}`), 204);
    expect1('DELETE /api/v1/api-keys/{id}', 'apikey.revoke', 'api_key', key.id, admin);
    const newTeam = await ok(admin.client.post('/api/v1/teams', { code: `audit_${h.uid()}`, name: '审计组' }), 201);
    expect1('POST /api/v1/teams', 'team.create', 'team', newTeam.id, admin);
    await ok(admin.client.put(`/api/v1/teams/${newTeam.id}/members`, { members: [{ userId: user.id, isLead: true }] }));
    expect1('PUT /api/v1/teams/{id}/members', 'team.members', 'team', newTeam.id, admin);

    // Settings: a category of this file's own, an SLA policy only that category uses, a calendar of
    // this file's own, and a setting written back with the value it has (a write all the same).
    const cat = await ok(supervisor.client.post('/api/v1/categories', { code: `audit_${h.uid()}`, nameZh: '审计类', nameEn: 'Audit' }), 201);
    expect1('POST /api/v1/categories', 'category.create', 'category', cat.id, supervisor);
    await ok(supervisor.client.patch(`/api/v1/categories/${cat.id}`, { nameEn: 'Audited' }));
    expect1('PATCH /api/v1/categories/{id}', 'category.update', 'category', cat.id, supervisor);
    const policy = await ok(supervisor.client.post('/api/v1/sla-policies', { clock: 'resolution', nameZh: '审计', nameEn: 'audit', categoryCode: cat.code, targetMinutes: 600, mode: 'calendar', startsOn: 'ticket_created', stopsOn: 'resolved' }), 201);
    expect1('POST /api/v1/sla-policies', 'sla_policy.create', 'sla_policy', policy.id, supervisor);
    await ok(supervisor.client.patch(`/api/v1/sla-policies/${policy.id}`, { targetMinutes: 900 }));
    expect1('PATCH /api/v1/sla-policies/{id}', 'sla_policy.update', 'sla_policy', policy.id, supervisor);
    const base = (await ok(admin.client.get('/api/v1/calendars'))).items.find((c: { code: string }) => c.code === 'cn-workdays');
    const cal = await h.ctx.db.pool.query<{ id: string }>('INSERT INTO calendars (code, name, definition) VALUES ($1, $2, $3) RETURNING id', [`audit-${h.uid()}`, '审计日历', JSON.stringify(base.definition)]);
    await ok(supervisor.client.put(`/api/v1/calendars/${cal.rows[0]!.id}`, { name: '审计日历二', definition: base.definition }));
    expect1('PUT /api/v1/calendars/{id}', 'calendar.update', 'calendar', cal.rows[0]!.id, supervisor);
    const settings = await ok(supervisor.client.get('/api/v1/settings'));
    await ok(supervisor.client.put('/api/v1/settings/company.name', settings['company.name']));
    expect1('PUT /api/v1/settings/{key}', 'setting.update', 'setting', 'company.name', supervisor);

    // Logging in and out (on a session of its own, so this file's clients stay logged in).
    const person = await h.user('agent');
    const login = await ok(h.anon.post('/api/v1/auth/login', { username: person.username, password: PASSWORD }, { 'x-forwarded-for': nextTestAddress() }));
    expect1('POST /api/v1/auth/login', 'auth.login', 'user', person.id, person);
    await ok(new Client(h.url, login.token).post('/api/v1/auth/logout'), 204);
    expect1('POST /api/v1/auth/logout', 'auth.logout', 'user', person.id, person);
  });

  it('each write is in the log: action, entity, actor and role, sealed into the chain', { timeout: SEAL_WAIT_MS + 30_000 }, async () => {
    for (const e of expected) {
      const items = await sealedAudit({ entityType: e.entityType, entityId: e.entityId, action: e.action });
      const mine = items.filter((i) => i.actorId === e.actorId);
      expect(mine.length, `${e.route} → ${e.action}: ${JSON.stringify(items)}`).toBeGreaterThanOrEqual(1);
      expect(mine[0]!.actorRole).toBeTruthy();
      // GET /audit seals first, so what it shows carries its place in the chain.
      expect(mine[0]!.seq, e.action).toEqual(expect.any(Number));
      expect(mine[0]!.hash, e.action).toMatch(/^[0-9a-f]{64}$/);
    }
    const roles = await audit({ entityType: 'ticket', action: 'ticket.escalation_answer', entityId: expected.find((e) => e.action === 'ticket.escalation_answer')!.entityId });
    expect(roles[0]).toMatchObject({ actorId: lead.id, actorRole: 'team_lead' });
  });

  it('the entries carry what was done: the hand-over reason, the revealed field and reason, the setting value', async () => {
    const byAction = (a: string): Expectation => expected.find((e) => e.action === a)!;
    const handover = (await audit({ entityId: byAction('ticket.handover').entityId, action: 'ticket.handover' }))[0]!;
    expect(handover.data).toMatchObject({ from: agentA.id, to: agentB.id, reason: '轮班交接' });
    const reveal = (await audit({ entityId: byAction('pii.reveal').entityId, action: 'pii.reveal' }))[0]!;
    expect(reveal.data).toEqual({ field: 'phone', reason: '回拨客户电话' });
    const status = (await audit({ entityId: byAction('ticket.status').entityId, action: 'ticket.status' }))[0]!;
    expect(status.data).toMatchObject({ from: 'open', to: 'pending', waitingOn: 'customer' });
    const setting = (await audit({ entityId: 'company.name', action: 'setting.update' })).find((i) => i.actorId === supervisor.id)!;
    expect(setting.data).toEqual({ value: expect.objectContaining({ zh: expect.any(String), en: expect.any(String) }) });
  });

  it('every route that changes something is covered above or listed as deliberately not audited', async () => {
    const doc = await ok(h.anon.get('/api/openapi.json'));
    const writes: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) if (['post', 'put', 'patch', 'delete'].includes(method)) writes.push(`${method.toUpperCase()} ${path}`);
    }
    const covered = new Set([...expected.map((e) => e.route), ...Object.keys(NOT_AUDITED), ...Object.keys(AUDITED_IN)]);
    expect(writes.filter((w) => !covered.has(w)), 'write routes without an audit expectation').toEqual([]);
  });
});

describe('a refused write leaves no entry', () => {
  it('an invalid transition (409), a forbidden change (403) and a bad body (400) record nothing', async () => {
    const t = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '审计拒绝' }), 201);
    const before = await audit({ entityId: t.id });
    expect(before.map((i) => i.action)).toEqual(['ticket.create']);
    expect((await agentA.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'closed' })).status).toBe(409);
    expect((await qa.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'open' })).status).toBe(403);
    expect((await agentA.client.post(`/api/v1/tickets/${t.id}/handover`, { toUserId: agentB.id })).status).toBe(400);
    expect((await agentA.client.post(`/api/v1/tickets/${t.id}/handover`, { toUserId: randomUUID(), reason: '交给不存在的人' })).status).toBe(400);
    // (Compared by id and action: sealing may fill in seq and hash between the two reads.)
    const idsOf = (items: AuditItem[]): string[] => items.map((i) => `${i.id} ${i.action}`);
    expect(idsOf(await audit({ entityId: t.id }))).toEqual(idsOf(before));
  });
});

describe('GET /api/v1/audit', () => {
  let ticket: { id: string; number: string };
  let entries: AuditItem[];

  beforeAll(async () => {
    ticket = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'chat', subject: '审计筛选' }), 201);
    for (const body of ['第一条回复', '第二条回复', '第三条回复']) await ok(agentA.client.post(`/api/v1/tickets/${ticket.id}/messages`, { body }), 201);
    await ok(agentA.client.post(`/api/v1/tickets/${ticket.id}/messages`, { body: '内部备注', visibility: 'internal' }), 201);
    entries = await audit({ entityId: ticket.id });
  });

  it('lists a ticket’s entries newest first (the first public reply also opened it: new → open)', () => {
    expect(entries.map((e) => e.action)).toEqual(['ticket.note', 'ticket.reply', 'ticket.reply', 'ticket.reply', 'ticket.status', 'ticket.create']);
    expect(entries[4]!.data).toMatchObject({ from: 'new', to: 'open' });
    const ids = entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(entries.every((e) => e.entityType === 'ticket' && e.entityId === ticket.id && e.actorId === agentA.id && e.actorRole === 'agent')).toBe(true);
  });

  it('filters by action, entity type, entity id; limit and before page through them', async () => {
    expect((await audit({ entityId: ticket.id, action: 'ticket.reply' })).map((e) => e.id)).toEqual(entries.filter((e) => e.action === 'ticket.reply').map((e) => e.id));
    expect((await audit({ entityType: 'ticket', entityId: ticket.id })).map((e) => e.id)).toEqual(entries.map((e) => e.id));
    expect(await audit({ entityType: 'customer', entityId: ticket.id })).toEqual([]);
    expect(await audit({ entityId: ticket.id, action: 'ticket.merge' })).toEqual([]);
    const page1 = await audit({ entityId: ticket.id, limit: 2 });
    expect(page1.map((e) => e.id)).toEqual(entries.slice(0, 2).map((e) => e.id));
    const page2 = await audit({ entityId: ticket.id, limit: 2, before: page1[1]!.id });
    expect(page2.map((e) => e.id)).toEqual(entries.slice(2, 4).map((e) => e.id));
    const page3 = await audit({ entityId: ticket.id, limit: 2, before: page2[1]!.id });
    expect(page3.map((e) => e.id)).toEqual(entries.slice(4).map((e) => e.id));
    // Across all entities, filtered by action only: everything returned has that action.
    const creates = await audit({ action: 'ticket.create', limit: 20 });
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.every((e) => e.action === 'ticket.create')).toBe(true);
  });

  it('rejects a bad limit or cursor with 400 naming the parameter', async () => {
    for (const [qs, name] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=ten', 'limit'], ['before=-5', 'before'], ['before=1.5', 'before'], ['before=abc', 'before'], [`action=${'x'.repeat(61)}`, 'action']]) {
      const res = await supervisor.client.get(`/api/v1/audit?${qs}`);
      expect(res.status, qs).toBe(400);
      expect(res.body.error.code, qs).toBe('validation_failed');
      expect(res.body.error.message, qs).toContain(name);
    }
  });

  it('is for admins, supervisors, team leads and QA; agents, customers and integrations get 403', async () => {
    for (const [role, client] of [['admin', admin.client], ['supervisor', supervisor.client], ['team_lead', lead.client], ['qa_inspector', qa.client]] as const) {
      expect((await client.get(`/api/v1/audit?entityId=${ticket.id}`)).status, role).toBe(200);
      expect((await client.get('/api/v1/audit/verify')).status, role).toBe(200);
    }
    const customer = await h.user('customer');
    const integration = await h.apiKey('integration');
    for (const [role, client] of [['agent', agentA.client], ['customer', customer.client], ['integration', integration]] as const) {
      for (const path of [`/api/v1/audit?entityId=${ticket.id}`, '/api/v1/audit/verify']) {
        const res = await client.get(path);
        expect(res.status, `${role} ${path}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
    expect((await h.anon.get('/api/v1/audit')).status).toBe(401);
  });
});

describe('GET /api/v1/audit/verify', () => {
  it('reports the chain intact, and this file’s entries are sealed into it, each linking to the one before', { timeout: SEAL_WAIT_MS + 30_000 }, async () => {
    const t = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '审计校验' }), 201);
    await ok(agentA.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '已核实' }), 201);
    // Other files write at the same time; an entry is sealed once every transaction older than
    // it has finished, so a verify may need another round to include ours.
    let unsealedOurs = -1;
    const deadline = Date.now() + SEAL_WAIT_MS;
    while (unsealedOurs !== 0 && Date.now() < deadline) {
      const round = await ok(supervisor.client.get('/api/v1/audit/verify'));
      expect(round, JSON.stringify(round)).toMatchObject({ ok: true });
      const { rows } = await h.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND seq IS NULL', [t.id]);
      unsealedOurs = rows[0]!.n;
      if (unsealedOurs) await new Promise((r) => setTimeout(r, 200));
    }
    expect(unsealedOurs).toBe(0);
    // Ours are sealed now, so this verification walks over them.
    const verdict = await ok<{ ok: boolean; entries: number; unsealed: number }>(supervisor.client.get('/api/v1/audit/verify'));
    expect(verdict).toMatchObject({ ok: true, entries: expect.any(Number), unsealed: expect.any(Number) });
    const { rows } = await h.ctx.db.pool.query<{ seq: number; action: string; prev_hash: string; hash: string; before: string | null }>(
      `SELECT a.seq, a.action, a.prev_hash, a.hash, (SELECT b.hash FROM audit_log b WHERE b.seq = a.seq - 1) AS before
         FROM audit_log a WHERE a.entity_id = $1 ORDER BY a.seq`,
      [t.id],
    );
    expect(rows.map((r) => r.action).sort()).toEqual(['ticket.create', 'ticket.reply', 'ticket.status']);
    for (const r of rows) {
      expect(r.seq).toBeLessThanOrEqual(verdict.entries);
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
      if (r.seq > 1) expect(r.prev_hash).toBe(r.before);
    }
  });

  it('sealing directly (as the sealer job does) and verifying again stays intact', async () => {
    await sealAuditLog(h.ctx.db);
    const verdict = await ok(qa.client.get('/api/v1/audit/verify'));
    expect(verdict.ok).toBe(true);
  });
});

describe('the database refuses to change or remove audit rows', () => {
  let sealedId: number;

  beforeAll(async () => {
    const t = await ok(agentA.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '审计防篡改' }), 201);
    const items = await sealedAudit({ entityId: t.id, action: 'ticket.create' });
    expect(items[0]!.seq).toEqual(expect.any(Number));
    sealedId = items[0]!.id;
  });

  const snapshot = async (id: number): Promise<unknown> =>
    (await h.ctx.db.pool.query('SELECT id, seq, prev_hash, hash, actor_id, actor_role, action, entity_type, entity_id, data, at FROM audit_log WHERE id = $1', [id])).rows[0];

  it('UPDATE of a sealed row — its data, its actor, its hash, its place — is refused', async () => {
    const before = await snapshot(sealedId);
    const attempts = [
      [`UPDATE audit_log SET data = data || '{"subject":"篡改"}'::jsonb WHERE id = $1`],
      [`UPDATE audit_log SET actor_id = NULL, actor_role = 'system' WHERE id = $1`],
      [`UPDATE audit_log SET action = 'ticket.view' WHERE id = $1`],
      [`UPDATE audit_log SET hash = repeat('0', 64) WHERE id = $1`],
      [`UPDATE audit_log SET seq = NULL, prev_hash = NULL, hash = NULL WHERE id = $1`],
      [`UPDATE audit_log SET at = at - interval '1 day' WHERE id = $1`],
    ];
    for (const [sql] of attempts) await expect(h.ctx.db.pool.query(sql!, [sealedId]), sql).rejects.toThrow(/append-only/);
    expect(await snapshot(sealedId)).toEqual(before);
  });

  it('DELETE of a sealed row, or of all rows, is refused', async () => {
    const before = await snapshot(sealedId);
    await expect(h.ctx.db.pool.query('DELETE FROM audit_log WHERE id = $1', [sealedId])).rejects.toThrow(/append-only/);
    await expect(h.ctx.db.pool.query('DELETE FROM audit_log WHERE seq IS NOT NULL')).rejects.toThrow(/append-only/);
    expect(await snapshot(sealedId)).toEqual(before);
  });

  it('TRUNCATE is refused (only a restore may empty the log)', async () => {
    const before = await snapshot(sealedId);
    // In a transaction rolled back whatever happens, so a broken trigger cannot empty the shared log.
    const client = await h.ctx.db.pool.connect();
    try {
      await client.query('BEGIN');
      await expect(client.query('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE is refused/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    expect(await snapshot(sealedId)).toEqual(before);
  });

  it('an entry not yet sealed cannot be changed or removed either, only sealed (once)', async () => {
    await withTx(h.ctx.db, async (tx) => {
      const { rows } = await tx.query<{ id: number }>(`INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, data) VALUES ($1, 'agent', 'test.probe', 'test', $2, '{}') RETURNING id`, [agentA.id, randomUUID()]);
      const id = rows[0]!.id;
      await tx.query('SAVEPOINT probe');
      await expect(tx.query(`UPDATE audit_log SET data = '{"x":1}' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
      await tx.query('ROLLBACK TO SAVEPOINT probe');
      await expect(tx.query('DELETE FROM audit_log WHERE id = $1', [id])).rejects.toThrow(/append-only/);
      await tx.query('ROLLBACK TO SAVEPOINT probe');
      // Sealing it with new content is refused too: only seq/prev_hash/hash may be filled in.
      await expect(tx.query(`UPDATE audit_log SET seq = -1, prev_hash = 'p', hash = 'h', action = 'other' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
      await tx.query('ROLLBACK TO SAVEPOINT probe');
      // Sealing as the sealer does (only seq, prev_hash, hash) is accepted once; after that the row is fixed.
      const sealed = await tx.query(`UPDATE audit_log SET seq = $2, prev_hash = 'p', hash = 'h' WHERE id = $1`, [id, -id]);
      expect(sealed.rowCount).toBe(1);
      await tx.query('SAVEPOINT sealed');
      await expect(tx.query(`UPDATE audit_log SET seq = $2, prev_hash = 'p2', hash = 'h2' WHERE id = $1`, [id, -id - 1])).rejects.toThrow(/append-only/);
      await tx.query('ROLLBACK TO SAVEPOINT sealed');
      // Undo the probe: nothing of it may reach the shared chain.
      throw Object.assign(new Error('rollback probe'), { probe: true });
    }).catch((err: { probe?: boolean }) => {
      if (!err.probe) throw err;
    });
    const { rows } = await h.ctx.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.probe'`);
    expect(rows[0]!.n).toBe(0);
  });
});

describe('sealing and other databases on the same server', () => {
  // PostgreSQL only: the embedded database has no other databases.
  it.runIf(inject('databaseUrl'))('a transaction left open in another database does not hold sealing back', async () => {
    const url = new URL(inject('databaseUrl')!);
    url.pathname = '/postgres';
    const other = new pg.Client({ connectionString: url.toString() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()'); // holds an xid, as a bulk load or index build would
      const entity = randomUUID();
      await withTx(h.ctx.db, (tx) => recordAudit(tx, null, { action: 'test.horizon', entityType: 'test', entityId: entity }));
      // Other test files write to this database at the same time and may briefly hold the horizon
      // back themselves; the open transaction in the other database never ends during the wait.
      let seq: string | null = null;
      for (let i = 0; i < 100 && seq === null; i++) {
        await sealAuditLog(h.ctx.db);
        const { rows } = await h.ctx.db.pool.query<{ seq: string | null }>('SELECT seq FROM audit_log WHERE entity_id = $1', [entity]);
        expect(rows).toHaveLength(1);
        seq = rows[0]!.seq;
        if (seq === null) await new Promise((r) => setTimeout(r, 100));
      }
      expect(seq).not.toBeNull();
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });
});
