/**
 * Error handling over HTTP: malformed JSON, wrong types, unknown and malformed ids, oversize and
 * non-JSON bodies, duplicates and retries each get their own 4xx with {"error":{"code","message"}},
 * never a 500, and never leave part of a change behind. Then a fuzz pass over every route in the
 * OpenAPI document with hostile inputs, as an admin, as a customer and without logging in.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, startHarness, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let admin: TestUser;
let agent: TestUser;
let customer: TestUser;
let team: string;

beforeAll(async () => {
  h = await startHarness();
  team = await h.team();
  admin = await h.user('admin');
  agent = await h.user('agent', { teamIds: [team] });
  customer = await h.user('customer');
});
afterAll(async () => {
  await h?.close();
});

const count = async (sql: string, params: unknown[] = []): Promise<number> => (await h.ctx.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;

/** Tickets carrying a tag, straight from the table. */
const ticketsTagged = (tag: string): Promise<number> => count('tickets WHERE tags @> ARRAY[$1]::text[]', [tag]);

function expectError(res: { status: number; body: any }, status: number, code: string, context = ''): void {
  expect(res.status, `${context} ${JSON.stringify(res.body)}`).toBe(status);
  // A request-schema refusal also names its issues (field, zod code) in details; nothing else adds keys.
  const details = res.body?.error?.details === undefined ? {} : { details: { issues: expect.arrayContaining([expect.objectContaining({ code: expect.any(String), message: expect.any(String) })]) } };
  expect(res.body, context).toEqual({ error: { code, message: expect.any(String), ...details } });
  expect(res.body.error.message.length, context).toBeGreaterThan(0);
}

/** A raw request: any body bytes, any content type. */
async function raw(client: Client, method: string, path: string, body: string | undefined, contentType?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (client.token) headers.authorization = `Bearer ${client.token}`;
  if (contentType) headers['content-type'] = contentType;
  const res = await fetch(h.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

describe('malformed bodies', () => {
  it('malformed JSON is 400 invalid_json, and nothing is created', async () => {
    const before = await count('tickets WHERE created_by = $1', [agent.id]);
    for (const text of ['{"type":', '{"type":"consultation",}', "{'type':'consultation'}", '{"type":"consultation"}garbage', 'nul', '{"subject":"\\x"}', '\u0000']) {
      const res = await raw(agent.client, 'POST', '/api/v1/tickets', text, 'application/json');
      expectError(res, 400, 'invalid_json', text);
    }
    // An empty body that says it is JSON.
    expectError(await raw(agent.client, 'POST', '/api/v1/tickets', '', 'application/json'), 400, 'invalid_json', 'empty');
    expect(await count('tickets WHERE created_by = $1', [agent.id])).toBe(before);
  });

  it('JSON that is not an object, or no body at all, is 400 validation_failed', async () => {
    for (const text of ['null', '[]', '"consultation"', '42', 'true']) {
      expectError(await raw(agent.client, 'POST', '/api/v1/tickets', text, 'application/json'), 400, 'validation_failed', text);
    }
    expectError(await raw(agent.client, 'POST', '/api/v1/tickets', undefined), 400, 'validation_failed', 'no body');
  });

  it('wrong types and missing fields are 400 validation_failed with a message naming the field', async () => {
    const valid = { type: 'consultation', channel: 'phone', subject: '类型错误' };
    const cases: [string, string, string, unknown, string][] = [
      ['POST', '/api/v1/tickets', 'type is a number', { ...valid, type: 5 }, 'type'],
      ['POST', '/api/v1/tickets', 'unknown channel', { ...valid, channel: 'fax' }, 'channel'],
      ['POST', '/api/v1/tickets', 'subject is an array', { ...valid, subject: ['a'] }, 'subject'],
      ['POST', '/api/v1/tickets', 'blank subject', { ...valid, subject: '   ' }, 'subject'],
      ['POST', '/api/v1/tickets', 'tags is a string', { ...valid, tags: 'urgent' }, 'tags'],
      ['POST', '/api/v1/tickets', 'a tag is a number', { ...valid, tags: ['ok', 7] }, 'tags.1'],
      ['POST', '/api/v1/tickets', 'customer.phone is a number', { ...valid, customer: { phone: 13812345678 } }, 'customer.phone'],
      ['POST', '/api/v1/tickets', 'customerId is not a uuid', { ...valid, customerId: 'abc' }, 'customerId'],
      ['POST', '/api/v1/tickets', 'autoAssign is a string', { ...valid, autoAssign: 'yes' }, 'autoAssign'],
      ['POST', '/api/v1/tickets', 'subject missing', { type: 'consultation', channel: 'phone' }, 'subject'],
      ['POST', '/api/v1/customers', 'phone is a number', { phone: 13812345678 }, 'phone'],
      ['POST', '/api/v1/customers', 'tier unknown', { tier: 'platinum' }, 'tier'],
      ['PATCH', `/api/v1/users/${agent.id}`, 'capacity negative', { capacity: -1 }, 'capacity'],
      ['PATCH', `/api/v1/users/${agent.id}`, 'capacity fractional', { capacity: 2.5 }, 'capacity'],
      ['PATCH', `/api/v1/users/${agent.id}`, 'available is a string', { available: 'true' }, 'available'],
      ['POST', '/api/v1/sla-policies', 'targetMinutes negative', { clock: 'resolution', nameZh: 'x', nameEn: 'x', targetMinutes: -5, mode: 'calendar', startsOn: 'ticket_created', stopsOn: 'resolved' }, 'targetMinutes'],
      ['POST', '/api/v1/users', 'password too short', { username: `u_${h.uid()}`, password: 'short', role: 'agent' }, 'password'],
      ['POST', '/api/v1/users', 'role unknown', { username: `u_${h.uid()}`, password: PASSWORD, role: 'root' }, 'role'],
    ];
    for (const [method, path, what, body, field] of cases) {
      const res = await admin.client.request(method, path, body);
      expectError(res, 400, 'validation_failed', what);
      expect(res.body.error.message, what).toContain(field);
    }
  });

  it('a body over 1 MiB is 413 payload_too_large and nothing is created; just under the limit it is read (and validated)', async () => {
    const tag = `big_${h.uid()}`;
    const huge = JSON.stringify({ type: 'consultation', channel: 'phone', subject: '超大请求', tags: [tag], description: 'x'.repeat(1_100_000) });
    const tooBig = await raw(agent.client, 'POST', '/api/v1/tickets', huge, 'application/json');
    expectError(tooBig, 413, 'payload_too_large');
    expect(tooBig.body.error.message).toBe('request body exceeds the 1 MiB this endpoint accepts');
    const under = JSON.stringify({ type: 'consultation', channel: 'phone', subject: '大请求', tags: [tag], description: 'x'.repeat(1_000_000) });
    expect(Buffer.byteLength(under)).toBeLessThan(1_048_576);
    const res = await raw(agent.client, 'POST', '/api/v1/tickets', under, 'application/json');
    expectError(res, 400, 'validation_failed');
    expect(res.body.error.message).toContain('description');
    expect(await ticketsTagged(tag)).toBe(0);
  });

  it('a body that is not JSON (text/plain, form, XML) is 415 unsupported_media_type and nothing is created', async () => {
    const tag = `media_${h.uid()}`;
    const json = JSON.stringify({ type: 'consultation', channel: 'phone', subject: '错误类型', tags: [tag] });
    for (const [body, type] of [
      [json, 'text/plain'],
      [`type=consultation&channel=phone&subject=x&tags=${tag}`, 'application/x-www-form-urlencoded'],
      ['<ticket><type>consultation</type></ticket>', 'application/xml'],
      [json, 'application/octet-stream'],
    ] as const) {
      const res = await raw(agent.client, 'POST', '/api/v1/tickets', body, type);
      expectError(res, 415, 'unsupported_media_type', type);
      expect(res.body.error.message).toContain(type);
    }
    expect(await ticketsTagged(tag)).toBe(0);
    // JSON with a charset parameter is JSON.
    const ok = await raw(agent.client, 'POST', '/api/v1/tickets', json, 'application/json; charset=utf-8');
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(await ticketsTagged(tag)).toBe(1);
  });
});

describe('ids', () => {
  it('an unknown uuid is 404 not_found on every resource that takes one', async () => {
    const ghost = randomUUID();
    const cases: [string, string, unknown?][] = [
      ['GET', `/api/v1/tickets/${ghost}`],
      ['GET', `/api/v1/tickets/${ghost}/events`],
      ['PATCH', `/api/v1/tickets/${ghost}`, { subject: '不存在' }],
      ['POST', `/api/v1/tickets/${ghost}/messages`, { body: '你好' }],
      ['POST', `/api/v1/tickets/${ghost}/status`, { status: 'open' }],
      ['POST', `/api/v1/tickets/${ghost}/take`, {}],
      ['POST', `/api/v1/tickets/${ghost}/links`, { otherTicket: randomUUID() }],
      ['POST', `/api/v1/tickets/${ghost}/escalations/${randomUUID()}/answer`, { answer: '好' }],
      ['GET', `/api/v1/customers/${ghost}`],
      ['PATCH', `/api/v1/customers/${ghost}`, { name: '不存在' }],
      ['PATCH', `/api/v1/users/${ghost}`, { capacity: 3 }],
      ['DELETE', `/api/v1/api-keys/${ghost}`],
      ['PATCH', `/api/v1/sla-policies/${ghost}`, { targetMinutes: 5 }],
      ['POST', `/api/v1/notifications/${ghost}/read`, {}],
      ['PUT', '/api/v1/settings/no.such.setting', { a: 1 }],
    ];
    for (const [method, path, body] of cases) expectError(await admin.client.request(method, path, body), 404, 'not_found', `${method} ${path}`);
    // An escalation id that is not this ticket's is 404 as well.
    const t = (await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: 'id 测试' })).body;
    expectError(await agent.client.post(`/api/v1/tickets/${t.id}/escalations/${ghost}/answer`, { answer: '好' }), 404, 'not_found');
    // A valid calendar definition for a calendar that does not exist.
    const cal = (await admin.client.get('/api/v1/calendars')).body.items[0];
    expectError(await admin.client.put(`/api/v1/calendars/${ghost}`, { definition: cal.definition }), 404, 'not_found');
  });

  it('a non-uuid id is 400 validation_failed naming the parameter, never a 500', async () => {
    for (const bad of ['not-a-uuid', '123', `${randomUUID()}x`, "1' OR '1'='1", '%00', '-1']) {
      const cases: [string, string, unknown?][] = [
        ['GET', `/api/v1/customers/${bad}`],
        ['PATCH', `/api/v1/customers/${bad}`, { name: 'x' }],
        ['POST', `/api/v1/customers/${bad}/reveal`, { field: 'phone', reason: '核实身份信息' }],
        ['PATCH', `/api/v1/users/${bad}`, { capacity: 3 }],
        ['DELETE', `/api/v1/api-keys/${bad}`],
        ['PATCH', `/api/v1/sla-policies/${bad}`, { targetMinutes: 5 }],
        ['PUT', `/api/v1/calendars/${bad}`, { definition: {} }],
        ['POST', `/api/v1/notifications/${bad}/read`, {}],
      ];
      for (const [method, path, body] of cases) {
        const res = await admin.client.request(method, path.replace(bad, encodeURIComponent(bad)), body);
        expectError(res, 400, 'validation_failed', `${method} ${path}`);
        expect(res.body.error.message).toContain('id');
      }
    }
  });

  it('tickets take an id or a number: anything else is simply not found (404), never a 500', async () => {
    for (const ref of ['not-a-uuid', 'GD20990101000001', "1' OR '1'='1", '%00', 'x'.repeat(64)]) {
      expectError(await admin.client.get(`/api/v1/tickets/${encodeURIComponent(ref)}`), 404, 'not_found', ref);
    }
    expectError(await admin.client.get(`/api/v1/tickets/${'x'.repeat(65)}`), 400, 'validation_failed', '65 characters');
  });
});

describe('paths the router refuses', () => {
  it('a path parameter over 100 characters, or a malformed %-escape, is 400 in the usual error shape', async () => {
    for (const path of [`/api/v1/tickets/${'x'.repeat(101)}`, `/api/v1/customers/${'a'.repeat(300)}`]) {
      const res = await admin.client.get(path);
      expectError(res, 400, 'validation_failed', path);
      expect(res.body.error.message).toContain('100 characters');
    }
    for (const path of ['/api/v1/tickets/%E0%A4%A', '/api/v1/customers/%ZZ']) {
      const res = await admin.client.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body, path).toEqual({ error: { code: expect.stringMatching(/^(bad_request|validation_failed)$/), message: expect.any(String) } });
    }
  });
});

describe('NUL characters (PostgreSQL text cannot hold them)', () => {
  it('in a body, a path or a query they are a 4xx, not a 500, and nothing is written', async () => {
    const tag = `nul_${h.uid()}`;
    const t = (await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: 'NUL 测试', tags: [tag] })).body;
    const before = await count('ticket_events WHERE ticket_id = $1', [t.id]);
    const cases: [Client, string, string, unknown?][] = [
      [agent.client, 'POST', '/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: 'a\u0000b', tags: [tag] }],
      [agent.client, 'POST', '/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: 'ok', tags: [tag, 'a\u0000b'] }],
      [agent.client, 'POST', '/api/v1/tickets', { type: 'consult\u0000ation', channel: 'phone', subject: 'ok', tags: [tag] }],
      [agent.client, 'POST', `/api/v1/tickets/${t.id}/messages`, { body: '你好\u0000' }],
      [agent.client, 'PATCH', `/api/v1/tickets/${t.id}`, { subject: 'a\u0000b' }],
      [admin.client, 'POST', '/api/v1/teams', { code: `nul_${h.uid()}`, name: 'a\u0000b' }],
      [admin.client, 'POST', '/api/v1/api-keys', { name: 'a\u0000b', role: 'agent' }],
      [h.anon, 'POST', '/api/v1/auth/login', { username: 'a\u0000b', password: 'x' }],
      [agent.client, 'GET', `/api/v1/tickets?q=${encodeURIComponent('a\u0000b')}`],
      [agent.client, 'GET', `/api/v1/tickets?tag=${encodeURIComponent('a\u0000b')}`],
      [agent.client, 'GET', `/api/v1/tickets/${encodeURIComponent('GD\u0000')}`],
      [admin.client, 'GET', `/api/v1/audit?entityId=${encodeURIComponent('a\u0000b')}`],
    ];
    for (const [client, method, path, body] of cases) {
      const res = await client.request(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      expect(res.body.error.code).toEqual(expect.any(String));
    }
    expect(await ticketsTagged(tag)).toBe(1);
    expect(await count('ticket_events WHERE ticket_id = $1', [t.id])).toBe(before);
    expect((await agent.client.get(`/api/v1/tickets/${t.id}`)).body.subject).toBe('NUL 测试');
  });
});

describe('conflicts and partial writes', () => {
  it('a duplicate username (in any case) is 409 conflict; one user row, one audit entry', async () => {
    const username = `dup_${h.uid()}`;
    const first = await admin.client.post('/api/v1/users', { username, password: PASSWORD, role: 'agent' });
    expect(first.status).toBe(201);
    for (const name of [username, username.toUpperCase()]) {
      expectError(await admin.client.post('/api/v1/users', { username: name, password: PASSWORD, role: 'agent' }), 409, 'conflict', name);
    }
    expect(await count('users WHERE lower(username) = lower($1)', [username])).toBe(1);
    expect(await count(`audit_log WHERE action = 'user.create' AND data->>'username' ILIKE $1`, [username])).toBe(1);
  });

  it('the same username sent 6 times at once: one 201, the rest 409 conflict (never a 500), one row', async () => {
    const username = `race_${h.uid()}`;
    const results = await Promise.all(Array.from({ length: 6 }, () => admin.client.post('/api/v1/users', { username, password: PASSWORD, role: 'agent' })));
    expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('conflict');
    expect(await count('users WHERE lower(username) = lower($1)', [username])).toBe(1);
    expect(await count(`audit_log WHERE action = 'user.create' AND data->>'username' = $1`, [username])).toBe(1);
  });

  it('a duplicate team or category code is 409 conflict (the unique index decides), with nothing else written', async () => {
    const code = `dup_${h.uid()}`;
    expect((await admin.client.post('/api/v1/teams', { code, name: '重复组' })).status).toBe(201);
    expectError(await admin.client.post('/api/v1/teams', { code, name: '重复组二' }), 409, 'conflict', 'team');
    expect(await count('teams WHERE code = $1', [code])).toBe(1);
    expect(await count(`audit_log WHERE action = 'team.create' AND data->>'code' = $1`, [code])).toBe(1);

    expect((await admin.client.post('/api/v1/categories', { code, nameZh: '重复类', nameEn: 'dup' })).status).toBe(201);
    expectError(await admin.client.post('/api/v1/categories', { code, nameZh: '重复类二', nameEn: 'dup 2' }), 409, 'conflict', 'category');
    expect(await count('categories WHERE code = $1', [code])).toBe(1);
    expect(await count(`audit_log WHERE action = 'category.create' AND data->>'code' = $1`, [code])).toBe(1);
  });

  it('a customer with no personal data at all is 400, and no empty record is created', async () => {
    for (const body of [{}, { tier: 'vip' }, { name: null, phone: null }, { name: '', email: '' }, { specialGroups: ['elderly'] }]) {
      const res = await agent.client.post('/api/v1/customers', body);
      expectError(res, 400, 'validation_failed', JSON.stringify(body));
    }
    // Other files create customers at the same time: count only rows with no data at all.
    expect(await count('customers WHERE name_enc IS NULL AND phone_enc IS NULL AND email_enc IS NULL AND address_enc IS NULL')).toBe(0);
  });

  it('a user whose team does not exist is refused (400) with no user row, membership or audit entry left behind', async () => {
    const members = await count('team_members WHERE team_id = $1', [team]);
    for (const field of ['teamIds', 'leadOf']) {
      const username = `half_${h.uid()}`;
      const res = await admin.client.post('/api/v1/users', { username, password: PASSWORD, role: 'agent', [field]: [team, randomUUID()] });
      expectError(res, 400, 'validation_failed', field);
      expect(await count('users WHERE username = $1', [username]), field).toBe(0);
      expect(await count(`audit_log WHERE action = 'user.create' AND data->>'username' = $1`, [username]), field).toBe(0);
    }
    // The membership in the team that does exist was rolled back with the rest.
    expect(await count('team_members WHERE team_id = $1', [team])).toBe(members);
  });

  it('a ticket whose category does not exist is refused before the intake customer is created: no ticket, no customer', async () => {
    const tag = `half_${h.uid()}`;
    const phone = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const res = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '部分写入', tags: [tag], categoryId: randomUUID(), customer: { name: '新来电', phone } });
    expectError(res, 400, 'validation_failed');
    expect(res.body.error.message).toContain('category');
    expect(await ticketsTagged(tag)).toBe(0);
    expect(await count('customers WHERE phone_hash = $1', [h.ctx.crypto.lookupHash(phone)])).toBe(0);
  });

  it('an escalation to a team that does not exist is refused with no escalation, clock or notification written', async () => {
    const t = (await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '升级失败' })).body;
    const lead = await h.user('team_lead');
    const res = await agent.client.post(`/api/v1/tickets/${t.id}/escalations`, { level: 'senior', ownerId: lead.id, targetTeamId: randomUUID(), reason: '客户要求升级' });
    expectError(res, 400, 'validation_failed');
    expect(await count('escalations WHERE ticket_id = $1', [t.id])).toBe(0);
    expect(await count(`sla_clocks WHERE ticket_id = $1 AND clock = 'escalation_reply'`, [t.id])).toBe(0);
    expect(await count('notifications WHERE user_id = $1', [lead.id])).toBe(0);
    expect(await count(`audit_log WHERE entity_id = $1 AND action = 'ticket.escalate'`, [t.id])).toBe(0);
  });
});

describe('Idempotency-Key', () => {
  it('a replay returns the same ticket (200) and one row exists', async () => {
    const tag = `idem_${h.uid()}`;
    const key = `k-${h.uid()}`;
    const body = { type: 'consultation', channel: 'api', subject: '重试', tags: [tag] };
    const first = await agent.client.post('/api/v1/tickets', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const again = await agent.client.post('/api/v1/tickets', body, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.number).toBe(first.body.number);
    expect(await ticketsTagged(tag)).toBe(1);
    expect(await count(`audit_log WHERE entity_id = $1 AND action = 'ticket.create'`, [first.body.id])).toBe(1);
  });

  it('a create that failed does not use up its key: the corrected retry with the same key creates the ticket', async () => {
    const tag = `idem_${h.uid()}`;
    const key = `k-${h.uid()}`;
    const bad = await agent.client.post('/api/v1/tickets', { type: 'no_such_type', channel: 'api', subject: '重试', tags: [tag] }, { 'idempotency-key': key });
    expectError(bad, 400, 'validation_failed');
    expect(await count('idempotency_keys WHERE actor = $1 AND key = $2', [agent.id, key])).toBe(0);
    const good = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'api', subject: '重试', tags: [tag] }, { 'idempotency-key': key });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    expect(await ticketsTagged(tag)).toBe(1);
  });

  it('an empty or overlong key is 400 naming the header', async () => {
    for (const key of ['', 'x'.repeat(201)]) {
      const res = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'api', subject: '键' }, { 'idempotency-key': key });
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message).toContain('idempotency-key');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzz: every route of the OpenAPI document with hostile inputs.

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  nullable?: boolean;
  minimum?: number;
  anyOf?: JsonSchema[];
}

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  body: JsonSchema | null;
}

/** Routes the fuzz leaves alone: logging out would end the session the rest of the run uses. */
const SKIP = new Set(['POST /api/v1/auth/logout']);
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** POST routes that calculate and store nothing: a valid-looking hostile body may get an answer (the audit count below still proves nothing was written). */
const CALCULATORS = new Set(['/api/v1/quotes', '/api/v1/delivery-estimates', '/api/v1/item-checks', '/api/v1/compensation-estimates', '/api/v1/guard/check']);
/**
 * Writes of the caller's own state: presence (every field an enum or a number) and the agent's own
 * saved inbox views (a name and filters). A fitting body is simply valid, and audits nothing.
 */
const OWN_STATE = new Set(['PUT /api/v1/chat/presence', 'POST /api/v1/me/views']);

const typeOf = (s: JsonSchema): string => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') ?? 'string' : s.type ?? (s.properties ? 'object' : s.anyOf ? typeOf(s.anyOf[0]!) : 'unknown'));

/** A value of the wrong type for a schema. */
function wrongType(s: JsonSchema): unknown {
  switch (typeOf(s)) {
    case 'string': return 12345;
    case 'number': case 'integer': return 'not a number';
    case 'boolean': return 'yes';
    case 'array': return 'not an array';
    case 'object': return [1, 2, 3];
    default: return { unexpected: true };
  }
}

/** A value that fits the schema's shape (pattern, enum, format) with `text` wherever free text goes. */
function fitting(s: JsonSchema, text: string): unknown {
  if (s.enum) return s.enum[0];
  switch (typeOf(s)) {
    case 'string':
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
      if (s.pattern) return 'fuzz_ab';
      return text;
    case 'number': case 'integer': return Math.max(1, s.minimum ?? 1);
    case 'boolean': return true;
    case 'array': return s.items ? [fitting(s.items, text)] : [];
    case 'object': return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, fitting(v, text)]));
    default: return text;
  }
}

function mapProps(s: JsonSchema | null, f: (p: JsonSchema) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(s?.properties ?? {}).map(([k, v]) => [k, f(v)]));
}

/** Hostile bodies for one operation, as raw text (undefined: no body at all). */
function hostileBodies(op: Operation): (string | undefined)[] {
  const s = op.body;
  const bodies: (string | undefined)[] = [undefined, '', '{}', 'null', '[]', '"text"', '-1', '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}'];
  bodies.push(JSON.stringify(mapProps(s, wrongType)));
  bodies.push(JSON.stringify(mapProps(s, () => null)));
  bodies.push(JSON.stringify(mapProps(s, (p) => (typeOf(p) === 'string' ? 'x'.repeat(100_000) : typeOf(p) === 'array' ? Array(5000).fill('x') : fitting(p, 'x')))));
  bodies.push(JSON.stringify(mapProps(s, (p) => (['number', 'integer'].includes(typeOf(p)) ? -1 : typeOf(p) === 'array' ? [-1] : typeOf(p) === 'string' ? '-1' : fitting(p, '-1')))));
  bodies.push(JSON.stringify(mapProps(s, (p) => (['number', 'integer'].includes(typeOf(p)) ? -1e308 : fitting(p, '\u202e\ud83d\ude00\u0000')))));
  bodies.push(`{"a":${'['.repeat(2000)}${']'.repeat(2000)}}`);
  return bodies;
}

const hostilePathValues = (): string[] => [
  'not-a-uuid', '-1', '0', 'x'.repeat(300), '%00', '%E0%A4%A', '%ZZ', encodeURIComponent("' OR 1=1 --"), '%E2%80%AE%F0%9F%98%80', '..%2F..%2Fetc%2Fpasswd', '1e999', 'GD99999999999999', encodeURIComponent('<script>'),
];
const hostileQueryValues = ['', 'x'.repeat(5000), '-1', '1e999', '%00', '%5B%5D', 'null', randomUUID(), 'not-a-uuid', '%E2%80%AE', '1,2,3', 'me'];

function operations(doc: { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return ops;
}

interface Probe {
  method: string;
  url: string;
  body: string | undefined;
  headers?: Record<string, string>;
}

function probes(op: Operation): Probe[] {
  const fill = (v: string): string => op.pathParams.reduce((p, name) => p.replace(`{${name}}`, v), op.path);
  const out: Probe[] = [];
  const json = (body: string | undefined): Probe['body'] => body;
  if (op.pathParams.length) {
    const ghost = fill(randomUUID());
    if (op.method !== 'GET') for (const b of hostileBodies(op)) out.push({ method: op.method, url: ghost, body: json(b) });
    if (op.body) out.push({ method: op.method, url: ghost, body: JSON.stringify(fitting(op.body, '合法内容')) });
    for (const v of hostilePathValues()) {
      out.push({ method: op.method, url: fill(v), body: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}' });
      if (op.body) out.push({ method: op.method, url: fill(v), body: JSON.stringify(fitting(op.body, '合法内容')) });
    }
  } else if (op.method !== 'GET') {
    for (const b of hostileBodies(op)) out.push({ method: op.method, url: op.path, body: json(b) });
    // A body that fits the schema except that its free text holds a NUL: whatever it reaches, nothing can be stored.
    if (op.body) out.push({ method: op.method, url: op.path, body: JSON.stringify(fitting(op.body, 'a\u0000b')) });
  }
  if (op.method === 'GET') {
    const base = op.pathParams.length ? fill(randomUUID()) : op.path;
    out.push({ method: 'GET', url: `${base}?zzz=1&__proto__=1&constructor=x`, body: undefined });
    for (const q of op.queryParams) {
      for (const v of hostileQueryValues) out.push({ method: 'GET', url: `${base}?${q}=${v}`, body: undefined });
      out.push({ method: 'GET', url: `${base}?${q}=1&${q}=2`, body: undefined });
    }
  }
  if (op.method === 'POST' && op.path === '/api/v1/tickets') {
    for (const key of ['', 'x'.repeat(500)]) out.push({ method: 'POST', url: op.path, body: '{}', headers: { 'idempotency-key': key } });
  }
  return out;
}

describe('fuzz: every route, hostile inputs, as an admin, as a customer and without logging in', () => {
  it('no answer is a 5xx; every 4xx is {error:{code,message}}; no hostile write succeeds', { timeout: 300_000 }, async () => {
    const doc = (await h.anon.get('/api/openapi.json')).body;
    const ops = operations(doc).filter((op) => !SKIP.has(`${op.method} ${op.path}`));
    expect(ops.length).toBeGreaterThan(40);
    const problems: string[] = [];
    let sent = 0;
    // What the two fuzzing users have written so far (their logins, this file's earlier tests).
    const theirWrites = (): Promise<number> => count('audit_log WHERE actor_id IN ($1::uuid, $2::uuid)', [admin.id, customer.id]);
    const writesBefore = await theirWrites();
    for (const [who, client] of [['admin', admin.client], ['customer', customer.client], ['anonymous', h.anon]] as const) {
      const all = ops.flatMap(probes);
      // A few at a time: enough to be quick, few enough to leave the shared database to the other files.
      for (let i = 0; i < all.length; i += 8) {
        await Promise.all(all.slice(i, i + 8).map(async (p) => {
          const headers: Record<string, string> = { ...(p.headers ?? {}) };
          if (client.token) headers.authorization = `Bearer ${client.token}`;
          if (p.body !== undefined) headers['content-type'] = 'application/json';
          const res = await fetch(h.url + p.url, { method: p.method, headers, ...(p.body !== undefined ? { body: p.body } : {}) });
          const text = await res.text();
          sent += 1;
          const label = `${who} ${p.method} ${p.url.slice(0, 120)} ${p.body === undefined ? '(no body)' : p.body.slice(0, 100)} → ${res.status} ${text.slice(0, 200)}`;
          if (res.status >= 500) return void problems.push(label);
          if (res.status >= 400) {
            let body: any = null;
            try {
              body = JSON.parse(text);
            } catch {
              // reported below
            }
            const e = body?.error;
            if (!e || typeof e.code !== 'string' || !/^[a-z_]+$/.test(e.code) || typeof e.message !== 'string' || e.message === '' || Object.keys(body).length !== 1) problems.push(`bad error body: ${label}`);
          } else if (WRITE.has(p.method) && !CALCULATORS.has(p.url.split('?')[0]!) && !OWN_STATE.has(`${p.method} ${p.url.split('?')[0]}`)) {
            problems.push(`hostile write succeeded: ${label}`);
          }
        }));
      }
    }
    expect(problems, problems.slice(0, 40).join('\n')).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
    // Nothing the fuzz sent changed anything: no new audit entry by either user.
    expect(await theirWrites()).toBe(writesBefore);
  });
});
