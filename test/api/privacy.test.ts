/**
 * Personal data over HTTP (SPEC P1, P2, P4): encrypted at rest, found by phone through the keyed
 * hash, masked for staff, full for the customer themself, revealed only by an explicit call with a
 * reason that the audit log records, and never shown to another customer.
 *
 * Every customer here is created by this file with values unique to the run, so the raw-row checks
 * search for exactly these strings.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

interface CustomerView {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  masked: boolean;
  tier: string;
  specialGroups: string[];
  createdAt: string;
}

interface AuditItem {
  id: number;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  data: Record<string, unknown>;
  at: string;
}

let h: Harness;
let admin: TestUser;
let supervisor: TestUser;
let lead: TestUser;
let agent: TestUser;
let qa: TestUser;
let integration: Client;

/** A mainland mobile number no other test file uses: 137 + 8 random digits. */
function freshMobile(): string {
  return `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** The values a created customer was given, to compare with what the API and the database hold. */
interface Person {
  id: string;
  name: string;
  phone: string;
  email: string;
  address: string;
}

async function createPerson(by: Client = agent.client): Promise<Person> {
  const n = Math.floor(Math.random() * 9000) + 1000;
  const input = {
    name: '欧阳娜娜',
    phone: freshMobile(),
    email: `ouyang.${h.uid()}@example.com`,
    address: `广东省深圳市南山区科技园南路${n}号${h.uid()}`,
  };
  const res = await by.post<CustomerView>('/api/v1/customers', input);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, ...input };
}

/** A customer login linked to a customer record made with known personal data. */
async function customerUser(p: Person): Promise<TestUser> {
  return h.user('customer', { customerId: p.id });
}

async function auditFor(entityId: string, action?: string): Promise<AuditItem[]> {
  const res = await supervisor.client.get<{ items: AuditItem[] }>(`/api/v1/audit?entityId=${entityId}${action ? `&action=${action}` : ''}&limit=500`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

async function rawRow(id: string): Promise<string> {
  const { rows } = await h.ctx.db.pool.query<{ raw: string }>('SELECT row_to_json(c)::text AS raw FROM customers c WHERE id = $1', [id]);
  expect(rows).toHaveLength(1);
  return rows[0]!.raw;
}

/** Every substring of the personal data that must not appear in stored text (whole values and their tell-tale parts). */
function plaintextPieces(p: Person): string[] {
  const local = p.email.split('@')[0]!;
  return [p.name, p.phone, p.phone.slice(3), p.email, local, p.address, p.address.slice(9)];
}

beforeAll(async () => {
  h = await startHarness();
  admin = await h.user('admin');
  supervisor = await h.user('supervisor');
  lead = await h.user('team_lead');
  agent = await h.user('agent');
  qa = await h.user('qa_inspector');
  integration = await h.apiKey('integration');
});
afterAll(async () => {
  await h?.close();
});

describe('encrypted at rest', () => {
  it('the customers row holds no plaintext name, phone, e-mail or address — only v1 AES-GCM values that decrypt to them', async () => {
    const p = await createPerson();
    const raw = await rawRow(p.id);
    for (const piece of plaintextPieces(p)) expect(raw, piece).not.toContain(piece);

    const { rows } = await h.ctx.db.pool.query<{ name_enc: string; phone_enc: string; email_enc: string; address_enc: string; phone_hash: string; email_hash: string }>(
      'SELECT name_enc, phone_enc, email_enc, address_enc, phone_hash, email_hash FROM customers WHERE id = $1',
      [p.id],
    );
    const r = rows[0]!;
    for (const enc of [r.name_enc, r.phone_enc, r.email_enc, r.address_enc]) expect(enc).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(h.ctx.crypto.decrypt(r.name_enc)).toBe(p.name);
    expect(h.ctx.crypto.decrypt(r.phone_enc)).toBe(p.phone);
    expect(h.ctx.crypto.decrypt(r.email_enc)).toBe(p.email);
    expect(h.ctx.crypto.decrypt(r.address_enc)).toBe(p.address);
    // The lookup columns are keyed hashes, not the values.
    expect(r.phone_hash).toBe(h.ctx.crypto.lookupHash(p.phone));
    expect(r.email_hash).toBe(h.ctx.crypto.lookupHash(p.email));
    expect(r.phone_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the same value encrypts differently each time (random IV), so equal names cannot be matched in the table', async () => {
    const a = await createPerson();
    const b = await createPerson();
    const { rows } = await h.ctx.db.pool.query<{ id: string; name_enc: string }>('SELECT id, name_enc FROM customers WHERE id = ANY($1::uuid[])', [[a.id, b.id]]);
    expect(rows).toHaveLength(2);
    expect(a.name).toBe(b.name);
    expect(rows[0]!.name_enc).not.toBe(rows[1]!.name_enc);
  });

  it('a correction is stored encrypted too, and the audit entries name the fields, never their values', async () => {
    const p = await createPerson();
    const newPhone = freshMobile();
    const newAddress = `北京市朝阳区建国路${h.uid()}号`;
    const res = await agent.client.patch<CustomerView>(`/api/v1/customers/${p.id}`, { phone: newPhone, address: newAddress });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const raw = await rawRow(p.id);
    for (const piece of [newPhone, newPhone.slice(3), newAddress, newAddress.slice(6)]) expect(raw).not.toContain(piece);

    const audit = await auditFor(p.id);
    expect(audit.map((a) => a.action).sort()).toEqual(['customer.create', 'customer.update']);
    const update = audit.find((a) => a.action === 'customer.update')!;
    expect(update.data).toEqual({ fields: ['phone', 'address'] });
    const all = JSON.stringify(audit);
    for (const piece of [...plaintextPieces(p), newPhone, newAddress]) expect(all).not.toContain(piece);
  });

  it('intake by phone on a new ticket stores the new customer encrypted; nothing in the ticket, its timeline or the audit log holds the phone or name', async () => {
    const phone = freshMobile();
    const name = `司马${h.uid()}`;
    const res = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '来电咨询运费', customer: { name, phone } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const customerId = res.body.customerId as string;
    expect(customerId).toMatch(/^[0-9a-f-]{36}$/);
    const raw = await rawRow(customerId);
    expect(raw).not.toContain(phone);
    expect(raw).not.toContain(name);
    const stored = await h.ctx.db.pool.query<{ t: string }>(
      `SELECT (SELECT row_to_json(t)::text FROM tickets t WHERE id = $1)
           || (SELECT coalesce(string_agg(row_to_json(e)::text, ''), '') FROM ticket_events e WHERE ticket_id = $1)
           || (SELECT coalesce(string_agg(a.data::text, ''), '') FROM audit_log a WHERE entity_id IN ($1::text, $2::text)) AS t`,
      [res.body.id, customerId],
    );
    expect(stored.rows[0]!.t).not.toContain(phone.slice(3));
    expect(stored.rows[0]!.t).not.toContain(name);
  });
});

describe('lookup by phone (keyed hash)', () => {
  it('finds the customer whatever way the number is typed: spaces, dashes, brackets, +86, 0086, 86', async () => {
    const p = await createPerson();
    const d = p.phone;
    const forms = [
      d,
      `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`,
      `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`,
      `(${d.slice(0, 3)})${d.slice(3)}`,
      `+86 ${d}`,
      `+86-${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`,
      `0086${d}`,
      `86${d}`,
    ];
    for (const form of forms) {
      const res = await agent.client.get<{ items: CustomerView[] }>(`/api/v1/customers?phone=${encodeURIComponent(form)}`);
      expect(res.status, `${form}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.items.map((c) => c.id), form).toEqual([p.id]);
      // Results are masked like any staff view.
      expect(res.body.items[0]).toMatchObject({ phone: `${d.slice(0, 3)}****${d.slice(7)}`, masked: true });
    }
  });

  it('finds a landline stored with its area code, typed with or without separators and in +86 form', async () => {
    const area = '0755';
    const subscriber = String(2_000_000 + Math.floor(Math.random() * 7_999_999)).slice(0, 7);
    const res = await agent.client.post<CustomerView>('/api/v1/customers', { name: '黄飞', phone: `${area}-${subscriber}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.phone).toBe(`0755****${subscriber.slice(-4)}`);
    for (const form of [`${area}${subscriber}`, `(0755) ${subscriber}`, `+86 755 ${subscriber}`]) {
      const found = await agent.client.get<{ items: CustomerView[] }>(`/api/v1/customers?phone=${encodeURIComponent(form)}`);
      expect(found.status, form).toBe(200);
      expect(found.body.items.map((c) => c.id), form).toEqual([res.body.id]);
    }
  });

  it('an unknown number finds nothing; a string that is not a phone number, or no number, is 400', async () => {
    const none = await agent.client.get<{ items: CustomerView[] }>(`/api/v1/customers?phone=${freshMobile()}`);
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);
    for (const bad of ['abcdefg', '1234', '12345678901', '%25']) {
      const res = await agent.client.get(`/api/v1/customers?phone=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const missing = await agent.client.get('/api/v1/customers');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('phone');
  });

  it('a customer may not search customers by phone (403), even for their own number', async () => {
    const p = await createPerson();
    const me = await customerUser(p);
    const res = await me.client.get(`/api/v1/customers?phone=${p.phone}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(JSON.stringify(res.body)).not.toContain(p.id);
  });
});

describe('masking', () => {
  it('every staff role, the integration key included, sees 138****1234-style values and masked: true', async () => {
    const p = await createPerson();
    const expected = {
      id: p.id,
      name: '欧***',
      phone: `${p.phone.slice(0, 3)}****${p.phone.slice(-4)}`,
      email: `o${'*'.repeat(p.email.indexOf('@') - 1)}@example.com`,
      address: '广东省深圳市南山区****',
      masked: true,
    };
    for (const [role, client] of [['admin', admin.client], ['supervisor', supervisor.client], ['team_lead', lead.client], ['agent', agent.client], ['qa_inspector', qa.client], ['integration', integration]] as const) {
      const res = await client.get<CustomerView>(`/api/v1/customers/${p.id}`);
      expect(res.status, role).toBe(200);
      expect(res.body, role).toMatchObject(expected);
      for (const piece of plaintextPieces(p)) expect(JSON.stringify(res.body), `${role}: ${piece}`).not.toContain(piece);
    }
  });

  it('the create and update responses are masked as well (the agent typed the value, the response does not echo it)', async () => {
    const p = await createPerson();
    const created = await agent.client.get<CustomerView>(`/api/v1/customers/${p.id}`);
    expect(created.body.masked).toBe(true);
    const phone = freshMobile();
    const updated = await agent.client.patch<CustomerView>(`/api/v1/customers/${p.id}`, { phone });
    expect(updated.status).toBe(200);
    expect(updated.body.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(JSON.stringify(updated.body)).not.toContain(phone);
  });

  it('the customer on a ticket is masked for the agent and full for the customer who owns the ticket', async () => {
    const p = await createPerson();
    const me = await customerUser(p);
    const t = await me.client.post('/api/v1/tickets', { type: 'tracking', channel: 'web', subject: '我的快件到哪了' });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    expect(t.body.customer).toMatchObject({ id: p.id, name: p.name, phone: p.phone, email: p.email, address: p.address, masked: false });

    const staff = await agent.client.get(`/api/v1/tickets/${t.body.id}`);
    expect(staff.status).toBe(200);
    expect(staff.body.customer).toMatchObject({ id: p.id, name: '欧***', phone: `${p.phone.slice(0, 3)}****${p.phone.slice(-4)}`, masked: true });
    for (const piece of plaintextPieces(p)) expect(JSON.stringify(staff.body)).not.toContain(piece);
  });

  it('the customer themself sees their own record in full, and that is not logged as a reveal', async () => {
    const p = await createPerson();
    const me = await customerUser(p);
    const res = await me.client.get<CustomerView>(`/api/v1/customers/${p.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.id, name: p.name, phone: p.phone, email: p.email, address: p.address, masked: false });
    expect(await auditFor(p.id, 'pii.reveal')).toEqual([]);
  });
});

describe('reveal', () => {
  it('returns the full value and records who, when, which field and the reason — never the value', async () => {
    const p = await createPerson();
    const before = Date.now();
    const res = await agent.client.post(`/api/v1/customers/${p.id}/reveal`, { field: 'phone', reason: '  客户来电核实收件人身份  ' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ field: 'phone', value: p.phone });

    const entries = await auditFor(p.id, 'pii.reveal');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: agent.id, actorRole: 'agent', action: 'pii.reveal', entityType: 'customer', entityId: p.id, data: { field: 'phone', reason: '客户来电核实收件人身份' } });
    const at = Date.parse(entries[0]!.at);
    expect(at).toBeGreaterThanOrEqual(before - 5_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 5_000);
    expect(JSON.stringify(entries)).not.toContain(p.phone.slice(3));

    // Each field on its own, each reveal its own entry.
    for (const field of ['name', 'email', 'address'] as const) {
      const r = await lead.client.post(`/api/v1/customers/${p.id}/reveal`, { field, reason: '理赔需要核对信息' });
      expect(r.status, field).toBe(200);
      expect(r.body).toEqual({ field, value: p[field] });
    }
    const all = await auditFor(p.id, 'pii.reveal');
    expect(all.map((e) => [e.actorId, e.data.field]).sort()).toEqual([[agent.id, 'phone'], [lead.id, 'address'], [lead.id, 'email'], [lead.id, 'name']].sort());
  });

  it('a field the customer never gave reveals null, and the look is still recorded', async () => {
    const res = await agent.client.post<CustomerView>('/api/v1/customers', { name: '无邮箱客户', phone: freshMobile() });
    expect(res.status).toBe(201);
    expect(res.body.email).toBeNull();
    const r = await agent.client.post(`/api/v1/customers/${res.body.id}/reveal`, { field: 'email', reason: '确认是否留有邮箱' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ field: 'email', value: null });
    expect(await auditFor(res.body.id, 'pii.reveal')).toHaveLength(1);
  });

  it('needs a stated reason: missing, too short or blank is 400 naming the reason, and nothing is revealed or logged', async () => {
    const p = await createPerson();
    const attempts: [unknown, string][] = [
      [{ field: 'phone' }, 'reason'],
      [{ field: 'phone', reason: '' }, 'reason'],
      [{ field: 'phone', reason: 'abc' }, 'reason'],
      [{ field: 'phone', reason: '       ' }, 'reason'],
      [{ field: 'phone', reason: 42 }, 'reason'],
      [{ field: 'phone', reason: 'x'.repeat(501) }, 'reason'],
      [{ field: 'password', reason: '正当理由正当理由' }, 'field'],
      [{ reason: '正当理由正当理由' }, 'field'],
    ];
    for (const [body, mentions] of attempts) {
      const res = await agent.client.post(`/api/v1/customers/${p.id}/reveal`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message, JSON.stringify(body)).toContain(mentions);
      expect(JSON.stringify(res.body)).not.toContain(p.phone);
    }
    expect(await auditFor(p.id, 'pii.reveal')).toEqual([]);
  });

  it('agents, leads, supervisors and admins may reveal; QA, integrations and customers (even their own record) get 403 and nothing is logged', async () => {
    const p = await createPerson();
    const me = await customerUser(p);
    const other = await customerUser(await createPerson());
    const body = { field: 'phone', reason: '派件联系收件人' };
    for (const [role, client] of [['agent', agent.client], ['team_lead', lead.client], ['supervisor', supervisor.client], ['admin', admin.client]] as const) {
      const res = await client.post(`/api/v1/customers/${p.id}/reveal`, body);
      expect(res.status, role).toBe(200);
      expect(res.body.value, role).toBe(p.phone);
    }
    const allowed = await auditFor(p.id, 'pii.reveal');
    expect(allowed.map((e) => e.actorRole).sort()).toEqual(['admin', 'agent', 'supervisor', 'team_lead']);

    for (const [role, client] of [['qa_inspector', qa.client], ['integration', integration], ['customer (own)', me.client], ['customer (other)', other.client]] as const) {
      const res = await client.post(`/api/v1/customers/${p.id}/reveal`, body);
      expect(res.status, role).toBe(403);
      expect(res.body.error.code, role).toBe('forbidden');
      expect(JSON.stringify(res.body), role).not.toContain(p.phone);
    }
    expect(await auditFor(p.id, 'pii.reveal')).toHaveLength(4);
  });

  it('an unknown customer is 404 and a non-uuid id is 400; neither writes an audit entry', async () => {
    const ghost = randomUUID();
    const res = await agent.client.post(`/api/v1/customers/${ghost}/reveal`, { field: 'phone', reason: '核实身份信息' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(await auditFor(ghost)).toEqual([]);
    const bad = await agent.client.post('/api/v1/customers/not-a-uuid/reveal', { field: 'phone', reason: '核实身份信息' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });
});

describe('logs', () => {
  it('request logs do not carry the phone number of a lookup or the text of a search (no query strings)', async () => {
    const lines: string[] = [];
    const app = await buildApp(h.ctx, { logger: { level: 'info', stream: { write: (line) => void lines.push(line) } } });
    try {
      const p = await createPerson();
      const auth = { authorization: `Bearer ${agent.client.token}` };
      const lookup = await app.inject({ method: 'GET', url: `/api/v1/customers?phone=${encodeURIComponent(`+86 ${p.phone}`)}`, headers: auth });
      expect(lookup.statusCode).toBe(200);
      expect(lookup.json().items.map((c: CustomerView) => c.id)).toEqual([p.id]);
      const search = await app.inject({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent(p.name)}`, headers: auth });
      expect(search.statusCode).toBe(200);
      const log = lines.join('');
      // The requests were logged, by path.
      expect(log).toContain('/api/v1/customers');
      expect(log).toContain('/api/v1/tickets');
      expect(log).not.toContain(p.phone.slice(3));
      expect(log).not.toContain(encodeURIComponent(p.name));
      expect(log).not.toContain(p.name);
      expect(log).not.toContain(agent.client.token!);
    } finally {
      await app.close();
    }
  });
});

describe('customers and other customers (P2, P4)', () => {
  it('a customer cannot read another customer: 404, with nothing of theirs in the answer', async () => {
    const mine = await createPerson();
    const theirs = await createPerson();
    const me = await customerUser(mine);
    const res = await me.client.get(`/api/v1/customers/${theirs.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    for (const piece of plaintextPieces(theirs)) expect(JSON.stringify(res.body)).not.toContain(piece);
    // Indistinguishable from a customer that does not exist.
    const ghost = await me.client.get(`/api/v1/customers/${randomUUID()}`);
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.code).toBe('not_found');
  });

  it('a customer cannot change another customer (404, row unchanged) and cannot create customers (403)', async () => {
    const mine = await createPerson();
    const theirs = await createPerson();
    const me = await customerUser(mine);
    const rawBefore = await rawRow(theirs.id);
    const res = await me.client.patch(`/api/v1/customers/${theirs.id}`, { phone: freshMobile(), name: '冒名' });
    expect(res.status).toBe(404);
    expect(await rawRow(theirs.id)).toBe(rawBefore);
    expect((await auditFor(theirs.id, 'customer.update'))).toEqual([]);
    const create = await me.client.post('/api/v1/customers', { name: '新客户', phone: freshMobile() });
    expect(create.status).toBe(403);
  });

  it('a customer corrects their own name, phone and address (P4); the answer is in full and the change is audited', async () => {
    const p = await createPerson();
    const me = await customerUser(p);
    const phone = freshMobile();
    const res = await me.client.patch<CustomerView>(`/api/v1/customers/${p.id}`, { name: '欧阳娜', phone: `+86 ${phone}`, address: '上海市浦东新区世纪大道100号' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: '欧阳娜', phone, address: '上海市浦东新区世纪大道100号', masked: false });
    const audit = await auditFor(p.id, 'customer.update');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: me.id, actorRole: 'customer', data: { fields: ['name', 'phone', 'address'] } });
    // The new number finds them; the old one no longer does.
    const found = await agent.client.get<{ items: CustomerView[] }>(`/api/v1/customers?phone=${phone}`);
    expect(found.body.items.map((c) => c.id)).toEqual([p.id]);
    const old = await agent.client.get<{ items: CustomerView[] }>(`/api/v1/customers?phone=${p.phone}`);
    expect(old.body.items).toEqual([]);
  });

  it('a customer may not grade themselves: tier and special groups (which raise ticket priority, T3) are 403 and unchanged', async () => {
    const p = await createPerson();
    const me = await customerUser(p);
    for (const body of [{ tier: 'vip' }, { specialGroups: ['elderly'] }, { name: '欧阳娜娜', tier: 'enterprise' }]) {
      const res = await me.client.patch(`/api/v1/customers/${p.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const { rows } = await h.ctx.db.pool.query<{ tier: string; special_groups: string[] }>('SELECT tier, special_groups FROM customers WHERE id = $1', [p.id]);
    expect(rows[0]).toEqual({ tier: 'standard', special_groups: [] });
    expect(await auditFor(p.id, 'customer.update')).toEqual([]);
    // Staff set them.
    const staff = await agent.client.patch<CustomerView>(`/api/v1/customers/${p.id}`, { tier: 'vip', specialGroups: ['elderly'] });
    expect(staff.status).toBe(200);
    expect(staff.body).toMatchObject({ tier: 'vip', specialGroups: ['elderly'] });
  });
});
