/**
 * Outgoing webhooks over HTTP (issue 4): admins subscribe a URL and get its secret once; ticket
 * creation, replies, notes, changes and SLA breaches become deliveries in the writing transaction
 * (none when it rolls back); the sweep POSTs them signed to a real local receiver, retries with
 * back-off, records every attempt, sends each delivery once even with two sweeps side by side,
 * and follows no redirect to another host.
 *
 * Other processes may sweep the same database while this file runs (the three-process test starts
 * servers with their jobs on), so tests wait for outcomes (sweepUntil) and assert on what the
 * receiver got and what the log says, whichever sender sent it; exactly-once is then checked
 * across all of them.
 *
 * The database is shared with other test files, whose tickets also reach these subscriptions:
 * every assertion is narrowed to this file's tickets, subscriptions and deliveries. Each test
 * deletes its subscriptions at the end, so later sweeps do not keep sending to them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../src/db/database.ts';
import { verifySignature } from '../../src/domain/webhooks.ts';
import { putSetting } from '../../src/services/settings/settings.ts';
import { sweepSla } from '../../src/services/sla/sweep-sla.ts';
import { appendEvent } from '../../src/services/tickets/ticket-row.ts';
import { sweepWebhooks, type SweepWebhooksOptions } from '../../src/services/webhooks/send-webhooks.ts';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

// ---------------------------------------------------------------------------------------------
// A real receiver on 127.0.0.1: what it answers depends on the path.

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; createdAt: string; data: Record<string, any> };
  at: number;
}

class Receiver {
  readonly received: Received[] = [];
  private readonly seen = new Map<string, number>();
  private server!: http.Server;
  base = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: Received['body'];
        try {
          body = JSON.parse(raw);
        } catch {
          body = { id: '', type: '', createdAt: '', data: {} };
        }
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, raw, body, at: Date.now() });
        void this.answer(path, body, res);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async answer(path: string, body: Received['body'], res: http.ServerResponse): Promise<void> {
    const key = `${path}|${body.id}`;
    const n = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, n);
    if (path.startsWith('/flaky')) {
      // 500 twice for each event, then 200.
      res.writeHead(n <= 2 ? 500 : 200, { 'content-type': 'text/plain' }).end(n <= 2 ? `boom ${n}` : 'ok');
    } else if (path.startsWith('/slowish')) {
      await new Promise((r) => setTimeout(r, 15));
      res.writeHead(204).end();
    } else if (path.startsWith('/slow')) {
      await new Promise((r) => setTimeout(r, 3_000));
      res.writeHead(200).end('late');
    } else if (path.startsWith('/big')) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('x'.repeat(20_000));
    } else if (path.startsWith('/away')) {
      res.writeHead(302, { location: 'https://elsewhere.example.net/in' }).end();
    } else if (path.startsWith('/other-host')) {
      res.writeHead(307, { location: 'http://localhost:1/in' }).end();
    } else if (path.startsWith('/moved')) {
      res.writeHead(307, { location: '/ok/after-redirect' }).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    }
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let h: Harness;
let admin: TestUser;
let agent: TestUser;
let receiver: Receiver;
const created: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  admin = await h.user('admin');
  agent = await h.user('agent');
  receiver = new Receiver();
  await receiver.start();
});
afterAll(async () => {
  for (const id of created) await admin.client.request('DELETE', `/api/v1/webhooks/${id}`);
  await receiver?.stop();
  await h?.close();
});

// ---------------------------------------------------------------------------------------------
// helpers

async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

interface Subscription {
  id: string;
  secret: string;
  path: string;
}

const ALL = ['ticket.created', 'ticket.updated', 'message.created', 'sla.breached'];

async function subscribe(path: string, body: Record<string, unknown> = {}): Promise<Subscription> {
  const p = `${path}/${h.uid()}`;
  const res = await ok(admin.client.post('/api/v1/webhooks', { url: receiver.base + p, events: ALL, description: 'test receiver', ...body }), 201);
  created.push(res.webhook.id);
  return { id: res.webhook.id, secret: res.secret, path: p };
}

async function unsubscribe(s: Subscription): Promise<void> {
  await ok(admin.client.request('DELETE', `/api/v1/webhooks/${s.id}`), 204);
}

async function newTicket(client: Client = agent.client, body: Record<string, unknown> = {}): Promise<{ id: string; number: string }> {
  return ok(client.post('/api/v1/tickets', { type: 'consultation', channel: 'web', subject: '网络下单咨询', ...body }), 201);
}

async function deliveries(s: Subscription, query = ''): Promise<any[]> {
  return (await ok(admin.client.get(`/api/v1/webhooks/${s.id}/deliveries?limit=100${query}`))).items;
}

const forTicket = (list: Received[], ticketId: string): Received[] => list.filter((r) => r.body.data?.ticket?.id === ticketId);

async function deliveryCount(where: string, params: unknown[]): Promise<number> {
  return (await h.ctx.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE ${where}`, params)).rows[0]!.n;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sweeps until `done` holds. Other processes may sweep the same database meanwhile (the
 * three-process test runs servers with their jobs on): one of them may hold a subscription's lease,
 * and this sweep then skips it; that sender's attempts follow. Assertions are therefore on what the
 * receiver got and what the log says, not on which sweep sent it.
 */
async function sweepUntil(what: string, done: () => Promise<boolean>, opts: () => SweepWebhooksOptions = () => ({})): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await sweepWebhooks(h.ctx, opts());
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const delivered = (subscriptionId: string, ticketId: string, n: number) => async (): Promise<boolean> =>
  (await deliveryCount(`subscription_id = $1 AND ticket_id = $2 AND state = 'delivered'`, [subscriptionId, ticketId])) >= n;

async function auditActions(entityId: string): Promise<string[]> {
  const { rows } = await h.ctx.db.pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_type = 'webhook' AND entity_id = $1 ORDER BY id`, [entityId]);
  return rows.map((r) => r.action);
}

// ---------------------------------------------------------------------------------------------

describe('subscriptions: admins only, http(s) only, the secret shown once and kept encrypted', () => {
  it('create, read, list, change, rotate, delete — each write audited', async () => {
    const url = `${receiver.base}/ok/${h.uid()}`;
    const res = await ok(admin.client.post('/api/v1/webhooks', { url, events: ['ticket.created', 'message.created'], description: '  订单系统  ' }), 201);
    expect(res.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(res.webhook).toMatchObject({ url, events: ['ticket.created', 'message.created'], description: '订单系统', active: true, includeInternal: false, createdBy: admin.id });
    const id = res.webhook.id;
    created.push(id);

    // Never shown again, stored encrypted (decryptable by the server, which signs with it).
    const got = await ok(admin.client.get(`/api/v1/webhooks/${id}`));
    expect(JSON.stringify(got)).not.toContain(res.secret);
    expect(JSON.stringify((await ok(admin.client.get('/api/v1/webhooks'))).items.find((w: { id: string }) => w.id === id))).not.toContain('whsec_');
    const row = (await h.ctx.db.pool.query<{ secret_enc: string }>('SELECT secret_enc FROM webhook_subscriptions WHERE id = $1', [id])).rows[0]!;
    expect(row.secret_enc).not.toContain(res.secret.slice(6));
    expect(h.ctx.crypto.decrypt(row.secret_enc)).toBe(res.secret);

    const changed = await ok(admin.client.patch(`/api/v1/webhooks/${id}`, { active: false, events: ['sla.breached', 'sla.breached'], includeInternal: true }));
    expect(changed).toMatchObject({ active: false, events: ['sla.breached'], includeInternal: true });
    // The same values again change nothing and record nothing.
    await ok(admin.client.patch(`/api/v1/webhooks/${id}`, { active: false }));

    const rotated = await ok(admin.client.post(`/api/v1/webhooks/${id}/rotate-secret`, {}));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(res.secret);
    expect(Date.parse(rotated.webhook.previousSecretValidUntil) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const noGrace = await ok(admin.client.post(`/api/v1/webhooks/${id}/rotate-secret`, { keepPreviousHours: 0 }));
    expect(noGrace.webhook.previousSecretValidUntil).toBeNull();

    await ok(admin.client.request('DELETE', `/api/v1/webhooks/${id}`), 204);
    expect((await admin.client.get(`/api/v1/webhooks/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toEqual(['webhook.create', 'webhook.update', 'webhook.rotate_secret', 'webhook.rotate_secret', 'webhook.delete']);
    // The audit names the receiver's origin, never the secret or the URL's path.
    const data = (await h.ctx.db.pool.query<{ data: unknown }>(`SELECT data FROM audit_log WHERE entity_type = 'webhook' AND entity_id = $1`, [id])).rows.map((r) => JSON.stringify(r.data)).join();
    expect(data).toContain(receiver.base);
    expect(data).not.toContain('whsec_');
    expect(data).not.toContain(new URL(url).pathname);
  });

  it('the OpenAPI document tells a receiver how to verify a delivery', async () => {
    const doc = (await h.anon.get('/api/openapi.json')).body;
    const create = doc.paths['/api/v1/webhooks'].post;
    expect(create.description).toContain('X-Parceldesk-Signature: t=<unix seconds>,v1=<hex>');
    expect(create.description).toContain('<t>.<raw request body>');
    expect(create.description).toContain('constant time');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/webhooks/{id}', '/api/v1/webhooks/{id}/deliveries', '/api/v1/webhooks/{id}/rotate-secret', '/api/v1/webhooks/{id}/ping', '/api/v1/webhook-deliveries/{id}/redeliver']));
  });

  it('refuses anything but an absolute http(s) URL without credentials, and unknown or no events (400)', async () => {
    const bad: Record<string, unknown>[] = [
      { url: 'ftp://example.com/hook', events: ['ticket.created'] },
      { url: 'file:///etc/passwd', events: ['ticket.created'] },
      { url: 'javascript:alert(1)//', events: ['ticket.created'] },
      { url: 'example.com/hook', events: ['ticket.created'] },
      { url: 'https://user:pw@example.com/hook', events: ['ticket.created'] },
      { url: 'https://example.com/hook', events: [] },
      { url: 'https://example.com/hook', events: ['ticket.deleted'] },
      { url: 'https://example.com/hook' },
      { url: `https://example.com/${'a'.repeat(2100)}`, events: ['ticket.created'] },
    ];
    for (const body of bad) {
      const res = await admin.client.post('/api/v1/webhooks', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const s = await subscribe('/ok');
    expect((await admin.client.patch(`/api/v1/webhooks/${s.id}`, { url: 'gopher://example.com' })).status).toBe(400);
    expect((await admin.client.patch(`/api/v1/webhooks/${s.id}`, {})).status).toBe(400);
    await unsubscribe(s);
  });

  it('only admins: supervisors, agents and customers get 403, nobody logged in 401; unknown ids 404', async () => {
    const s = await subscribe('/ok');
    const customer = await h.user('customer');
    const supervisor = await h.user('supervisor');
    for (const u of [agent, supervisor, customer]) {
      const c = u.client;
      const answers = [
        await c.post('/api/v1/webhooks', { url: `${receiver.base}/ok`, events: ['ticket.created'] }),
        await c.get('/api/v1/webhooks'),
        await c.get(`/api/v1/webhooks/${s.id}`),
        await c.patch(`/api/v1/webhooks/${s.id}`, { active: false }),
        await c.request('DELETE', `/api/v1/webhooks/${s.id}`),
        await c.post(`/api/v1/webhooks/${s.id}/rotate-secret`, {}),
        await c.get(`/api/v1/webhooks/${s.id}/deliveries`),
        await c.post(`/api/v1/webhooks/${s.id}/ping`),
      ];
      expect(answers.map((a) => a.status), u.role).toEqual(Array(answers.length).fill(403));
    }
    expect((await h.anon.get('/api/v1/webhooks')).status).toBe(401);
    expect(await auditActions(s.id)).toEqual(['webhook.create']);
    expect((await admin.client.get(`/api/v1/webhooks/${s.id}`)).body.active).toBe(true);

    const ghost = '00000000-0000-4000-8000-000000000000';
    for (const res of [
      await admin.client.get(`/api/v1/webhooks/${ghost}`),
      await admin.client.patch(`/api/v1/webhooks/${ghost}`, { active: false }),
      await admin.client.request('DELETE', `/api/v1/webhooks/${ghost}`),
      await admin.client.post(`/api/v1/webhooks/${ghost}/rotate-secret`, {}),
      await admin.client.get(`/api/v1/webhooks/${ghost}/deliveries`),
      await admin.client.post(`/api/v1/webhooks/${ghost}/ping`),
      await admin.client.post(`/api/v1/webhook-deliveries/${ghost}/redeliver`),
    ]) {
      expect(res.status, JSON.stringify(res.body)).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    await unsubscribe(s);
  });
});

describe('events become signed deliveries', () => {
  it('a new ticket, a customer message, an agent reply, a status change: ticket.created, message.created ×2, ticket.updated — signed, no internal note, no personal data', async () => {
    const s = await subscribe('/ok');
    const withNotes = await subscribe('/ok', { events: ['message.created'], includeInternal: true });
    const phone = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const customerId = await h.customer({ name: '李女士', phone });
    const customer = await h.user('customer', { customerId });
    const testStart = Date.now();
    const t = await newTicket(customer.client, { subject: '包裹未收到' });
    await ok(customer.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '快递三天没动了' }), 201);
    await ok(agent.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '您好，正在为您查询' }), 201);
    await ok(agent.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '内部：网点说今天派送', visibility: 'internal' }), 201);
    await ok(agent.client.post(`/api/v1/tickets/${t.id}/status`, { status: 'pending', waitingOn: 'customer' }));

    // The outbox holds them as soon as each change commits.
    expect(await deliveryCount('subscription_id = $1 AND ticket_id = $2', [s.id, t.id])).toBe(5);
    expect(await deliveryCount('subscription_id = $1 AND ticket_id = $2', [withNotes.id, t.id])).toBe(3);
    await sweepUntil('all eight deliveries', async () => (await delivered(s.id, t.id, 5)()) && delivered(withNotes.id, t.id, 3)());

    const got = forTicket(receiver.on(s.path), t.id);
    // The agent's first reply also took the ticket (first contact, before the reply was written) and
    // opened it: one ticket.updated with both changes, in the order things happened.
    expect(got.map((r) => r.body.type)).toEqual(['ticket.created', 'message.created', 'ticket.updated', 'message.created', 'ticket.updated']);
    const [createdEv, fromCustomer, firstUpdate, reply, statusUpdate] = got;
    expect(createdEv!.body.data.ticket).toMatchObject({ id: t.id, number: t.number, subject: '包裹未收到', customerId, status: 'new' });
    expect(fromCustomer!.body.data.message).toMatchObject({ visibility: 'public', author: 'customer', authorId: customer.id, body: '快递三天没动了' });
    expect(reply!.body.data.message).toMatchObject({ visibility: 'public', author: 'agent', authorId: agent.id, body: '您好，正在为您查询' });
    expect(firstUpdate!.body.data.changes).toEqual([
      { kind: 'assignment', ownerId: agent.id, teamId: null, by: 'first_contact' },
      { kind: 'status', from: 'new', to: 'open', waitingOn: null, reopened: false },
    ]);
    expect(statusUpdate!.body.data.changes).toEqual([{ kind: 'status', from: 'open', to: 'pending', waitingOn: 'customer', reopened: false }]);
    // The summary is the ticket as the change left it.
    expect(statusUpdate!.body.data.ticket).toMatchObject({ status: 'pending', waitingOn: 'customer', ownerId: agent.id });

    for (const r of got) {
      // Verifiable with the secret shown at creation, against the receiver's own clock.
      expect(verifySignature(r.headers['x-parceldesk-signature'] as string, r.raw, s.secret, Math.floor(Date.now() / 1000))).toMatchObject({ ok: true });
      expect(verifySignature(r.headers['x-parceldesk-signature'] as string, r.raw, withNotes.secret, Math.floor(Date.now() / 1000))).toEqual({ ok: false, reason: 'no_match' });
      expect(Number(/t=(\d+)/.exec(r.headers['x-parceldesk-signature'] as string)![1]) * 1000).toBeGreaterThanOrEqual(Math.floor(testStart / 1000) * 1000);
      expect(r.headers['x-parceldesk-event']).toBe(r.body.type);
      expect(r.headers['x-parceldesk-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(r.body.createdAt))).toBe(false);
      // Personal data stays home: not the phone, not the name.
      expect(r.raw).not.toContain(phone);
      expect(r.raw).not.toContain(phone.slice(-8));
      expect(r.raw).not.toContain('李女士');
      expect(r.raw).not.toContain('内部：网点说今天派送');
    }
    expect(new Set(got.map((r) => r.body.id)).size).toBe(got.length);

    // The subscription that asked for internal notes gets the note too (and only messages).
    const notes = forTicket(receiver.on(withNotes.path), t.id);
    expect(notes.map((r) => [r.body.type, r.body.data.message.visibility, r.body.data.message.body])).toEqual([
      ['message.created', 'public', '快递三天没动了'],
      ['message.created', 'public', '您好，正在为您查询'],
      ['message.created', 'internal', '内部：网点说今天派送'],
    ]);

    // The log: delivered once, status and response kept.
    const log = (await deliveries(s, `&ticketId=${t.id}`));
    expect(log).toHaveLength(5);
    for (const d of log) {
      expect(d).toMatchObject({ state: 'delivered', attempts: 1, statusCode: 200, responseExcerpt: '{"received":true}', error: null, nextAttemptAt: null, webhookId: s.id, ticketId: t.id });
      expect(d.deliveredAt).not.toBeNull();
      expect(d.attemptLog).toEqual([{ attempt: 1, at: expect.any(String), durationMs: expect.any(Number), statusCode: 200, error: null }]);
      expect(got.find((r) => r.headers['x-parceldesk-delivery'] === d.id)?.body.id).toBe(d.eventId);
    }
    // Sweeping again sends nothing more for these.
    await sweepWebhooks(h.ctx);
    expect(forTicket(receiver.on(s.path), t.id)).toHaveLength(5);

    await unsubscribe(s);
    await unsubscribe(withNotes);
  });

  it('an inactive subscription, or one not subscribed to the type, gets nothing', async () => {
    const inactive = await subscribe('/ok', { active: false });
    const onlySla = await subscribe('/ok', { events: ['sla.breached'] });
    const t = await newTicket();
    await ok(agent.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '收到' }), 201);
    expect(await deliveryCount('subscription_id = ANY($1::uuid[])', [[inactive.id, onlySla.id]])).toBe(0);
    // A field edit is a ticket.updated listing the fields (values are in the summary).
    const s = await subscribe('/ok', { events: ['ticket.updated'] });
    await ok(agent.client.patch(`/api/v1/tickets/${t.id}`, { priority: 'high', tags: ['webhook'] }));
    await sweepUntil('the ticket.updated', delivered(s.id, t.id, 1));
    const got = forTicket(receiver.on(s.path), t.id);
    expect(got.map((r) => r.body.data.changes)).toEqual([[{ kind: 'update', fields: ['priority', 'tags'] }]]);
    expect(got[0]!.body.data.ticket).toMatchObject({ priority: 'high', tags: ['webhook'] });
    for (const x of [inactive, onlySla, s]) await unsubscribe(x);
  });

  it('a change that rolls back leaves no delivery; the same change committed leaves one at once', async () => {
    const s = await subscribe('/ok', { events: ['message.created'] });
    const t = await newTicket();
    const before = await deliveryCount('subscription_id = $1 AND ticket_id = $2', [s.id, t.id]);
    await expect(withTx(h.ctx.db, async (tx) => {
      await appendEvent(tx, t.id, { kind: 'message', actorId: agent.id, visibility: 'public', body: '不会发出', data: { author: 'agent' } });
      throw new Error('rolled back on purpose');
    })).rejects.toThrow('rolled back on purpose');
    expect(await deliveryCount('subscription_id = $1 AND ticket_id = $2', [s.id, t.id])).toBe(before);
    // Over HTTP: a reply refused (an empty body after trimming) writes nothing either.
    expect((await agent.client.post(`/api/v1/tickets/${t.id}/messages`, { body: '   ' })).status).toBe(400);
    expect(await deliveryCount('subscription_id = $1 AND ticket_id = $2', [s.id, t.id])).toBe(before);

    await withTx(h.ctx.db, async (tx) => {
      await appendEvent(tx, t.id, { kind: 'message', actorId: agent.id, visibility: 'public', body: '会发出', data: { author: 'agent' } });
    });
    const rows = (await h.ctx.db.pool.query<{ payload: string; state: string }>('SELECT payload, state FROM webhook_deliveries WHERE subscription_id = $1 AND ticket_id = $2', [s.id, t.id])).rows;
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)!.state).toBe('pending');
    expect(JSON.parse(rows.at(-1)!.payload).data.message.body).toBe('会发出');
    await sweepUntil('the committed message', delivered(s.id, t.id, before + 1));
    expect(forTicket(receiver.on(s.path), t.id).map((r) => r.body.data.message.body)).toEqual(['会发出']);
    await unsubscribe(s);
  });

  it('subscriptions created and deleted while tickets are being written never fail a write', async () => {
    const results: number[] = [];
    let writing = true;
    const writers = Array.from({ length: 4 }, async () => {
      while (writing) {
        const res = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'web', subject: '并发订阅' });
        results.push(res.status);
        if (res.status === 201) results.push((await agent.client.post(`/api/v1/tickets/${res.body.id}/messages`, { body: '收到' })).status);
      }
    });
    for (let i = 0; i < 15; i++) {
      const s = await subscribe('/ok');
      await new Promise((r) => setTimeout(r, 10));
      await unsubscribe(s);
    }
    writing = false;
    await Promise.all(writers);
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((st) => st !== 201)).toEqual([]);
  });

  it('an SLA breach becomes sla.breached, once', async () => {
    const s = await subscribe('/ok', { events: ['sla.breached'] });
    const code = `whtest_${h.uid()}`;
    const cat = await ok(admin.client.post('/api/v1/categories', { code, nameZh: 'webhook 测试', nameEn: 'webhook test', ticketType: 'consultation' }), 201);
    // A 1.2 s first-response target on this category alone.
    await ok(admin.client.post('/api/v1/sla-policies', { clock: 'first_response', nameZh: '测试', nameEn: 'test', categoryCode: code, targetMinutes: 0.02, mode: 'calendar', startsOn: 'ticket_created', stopsOn: 'agent_reply' }), 201);
    const t = await newTicket(admin.client, { categoryId: cat.id });
    const due = (await h.ctx.db.pool.query<{ due_at: Date }>(`SELECT due_at FROM sla_clocks WHERE ticket_id = $1 AND clock = 'first_response'`, [t.id])).rows[0]!.due_at;
    await new Promise((r) => setTimeout(r, Math.max(0, due.getTime() - Date.now()) + 50));
    // Another process's sweep may hold the clock for a moment (SKIP LOCKED): sweep until it is marked.
    for (let i = 0; i < 50; i++) {
      await sweepSla(h.ctx.db);
      if (await deliveryCount('subscription_id = $1 AND ticket_id = $2', [s.id, t.id])) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await sweepSla(h.ctx.db);
    await sweepUntil('the breach delivery', delivered(s.id, t.id, 1));
    const got = forTicket(receiver.on(s.path), t.id);
    expect(got.map((r) => r.body.type)).toEqual(['sla.breached']);
    expect(got[0]!.body.data.sla).toMatchObject({ clock: 'first_response', dueAt: due.toISOString() });
    expect(got[0]!.body.data.ticket).toMatchObject({ id: t.id, slaState: 'breached' });
    expect(verifySignature(got[0]!.headers['x-parceldesk-signature'] as string, got[0]!.raw, s.secret, Math.floor(Date.now() / 1000))).toMatchObject({ ok: true });
    await unsubscribe(s);
  });
});

describe('sending: retries, log, redirects, timeouts, concurrency', () => {
  it('a receiver answering 500 twice then 200: three attempts logged, delivered once, each after its back-off', async () => {
    const s = await subscribe('/flaky', { events: ['ticket.created'] });
    const t = await newTicket();
    const one = async (): Promise<any> => (await deliveries(s, `&ticketId=${t.id}`))[0];
    // The first attempt at once (by this sweep, or another process's sweeper sharing the database);
    // the later ones with the sweep's clock moved on.
    await sweepUntil('the first attempt', async () => (await one()).attempts >= 1);
    let d = await one();
    expect(d).toMatchObject({ state: 'pending', attempts: 1, statusCode: 500, responseExcerpt: 'boom 1', error: 'HTTP 500' });
    // The wait counts from the end of the attempt (its start plus how long it took).
    const a1 = Date.parse(d.lastAttemptAt);
    const next1 = Date.parse(d.nextAttemptAt);
    expect(next1 - a1 - d.attemptLog[0].durationMs).toBeGreaterThanOrEqual(10_000);
    expect(next1 - a1 - d.attemptLog[0].durationMs).toBeLessThan(10_100);
    // Not due yet: a sweep a second before leaves it alone.
    await sweepWebhooks(h.ctx, { now: new Date(next1 - 1_000) });
    expect((await one()).attempts).toBe(1);
    await sweepUntil('the second attempt', async () => (await one()).attempts >= 2, () => ({ now: new Date(next1) }));
    d = await one();
    expect(d).toMatchObject({ state: 'pending', attempts: 2, statusCode: 500, responseExcerpt: 'boom 2' });
    const a2 = Date.parse(d.lastAttemptAt);
    expect(a2 - a1).toBeGreaterThanOrEqual(10_000);
    const next2 = Date.parse(d.nextAttemptAt);
    expect(next2 - a2).toBe(60_000); // this sweep's clock stood still
    await sweepUntil('the third attempt', async () => (await one()).attempts >= 3, () => ({ now: new Date(next2) }));
    d = await one();
    expect(d).toMatchObject({ state: 'delivered', attempts: 3, statusCode: 200, responseExcerpt: 'ok', error: null, nextAttemptAt: null });
    expect(Date.parse(d.deliveredAt)).toBe(Date.parse(d.lastAttemptAt));
    expect(Date.parse(d.deliveredAt) - a2).toBeGreaterThanOrEqual(60_000);
    expect(d.attemptLog.map((a: { statusCode: number; error: string | null }) => [a.statusCode, a.error])).toEqual([[500, 'HTTP 500'], [500, 'HTTP 500'], [200, null]]);
    // Delivered: nothing more, however late.
    await sweepWebhooks(h.ctx, { now: new Date(a2 + 10 * 3_600_000) });
    const got = forTicket(receiver.on(s.path), t.id);
    expect(got).toHaveLength(3);
    // Every retry is the same event (same id, same body), signed at its own time.
    expect(new Set(got.map((r) => r.raw)).size).toBe(1);
    expect(new Set(got.map((r) => r.headers['x-parceldesk-delivery'])).size).toBe(1);
    const times = d.attemptLog.map((a: { at: string }) => Math.floor(Date.parse(a.at) / 1000));
    expect(got.map((r) => Number(/t=(\d+)/.exec(r.headers['x-parceldesk-signature'] as string)![1]))).toEqual(times);
    for (const [i, r] of got.entries()) {
      expect(verifySignature(r.headers['x-parceldesk-signature'] as string, r.raw, s.secret, times[i])).toMatchObject({ ok: true });
    }
    await unsubscribe(s);
  });

  it('gives up after the last attempt the setting allows (state failed), and redelivery sends the same event again', async () => {
    await putSetting(h.ctx.db.pool, 'webhooks.delivery', { maxAttempts: 2, timeoutSeconds: 10 }, admin.id);
    try {
      const s = await subscribe('/flaky', { events: ['ticket.created'] });
      const t = await newTicket();
      const one = async (): Promise<any> => (await deliveries(s, `&ticketId=${t.id}`))[0];
      await sweepUntil('the first attempt', async () => (await one()).attempts >= 1);
      const next1 = Date.parse((await one()).nextAttemptAt);
      await sweepUntil('the second attempt', async () => (await one()).attempts >= 2, () => ({ now: new Date(next1) }));
      const d = await one();
      expect(d).toMatchObject({ state: 'failed', attempts: 2, statusCode: 500, nextAttemptAt: null, deliveredAt: null });
      await sweepWebhooks(h.ctx, { now: new Date(next1 + 86_400_000) });
      expect(forTicket(receiver.on(s.path), t.id)).toHaveLength(2);

      // Redeliver: a new delivery of the same payload (the receiver now answers 200: its third try).
      // (Paused meanwhile, so no sweeper sends it before the second request below.)
      await ok(admin.client.patch(`/api/v1/webhooks/${s.id}`, { active: false }));
      const again = await ok(admin.client.post(`/api/v1/webhook-deliveries/${d.id}/redeliver`), 202);
      expect(again).toMatchObject({ state: 'pending', attempts: 0, eventId: d.eventId, redeliveryOf: d.id, webhookId: s.id });
      expect(again.id).not.toBe(d.id);
      // Still pending: redelivering it now would send it twice.
      expect((await admin.client.post(`/api/v1/webhook-deliveries/${again.id}/redeliver`)).status).toBe(409);
      await ok(admin.client.patch(`/api/v1/webhooks/${s.id}`, { active: true }));
      await sweepUntil('the redelivery', delivered(s.id, t.id, 1));
      const got = forTicket(receiver.on(s.path), t.id);
      expect(got).toHaveLength(3);
      expect(got[2]!.raw).toBe(got[0]!.raw);
      expect(got[2]!.headers['x-parceldesk-delivery']).toBe(again.id);
      const log = await deliveries(s, `&ticketId=${t.id}`);
      expect(log.map((x) => [x.id, x.state])).toEqual([[again.id, 'delivered'], [d.id, 'failed']]);
      expect(await auditActions(s.id)).toEqual(['webhook.create', 'webhook.update', 'webhook.redeliver', 'webhook.update']);
      await unsubscribe(s);
    } finally {
      await putSetting(h.ctx.db.pool, 'webhooks.delivery', { maxAttempts: 8, timeoutSeconds: 10 }, admin.id);
    }
  });

  it('ping: one signed webhook.ping now, its outcome in the answer; a dead receiver is a failed ping with the error', async () => {
    const s = await subscribe('/ok', { active: false });
    const ping = await ok(admin.client.post(`/api/v1/webhooks/${s.id}/ping`));
    expect(ping).toMatchObject({ eventType: 'webhook.ping', state: 'delivered', attempts: 1, statusCode: 200, ticketId: null });
    const got = receiver.on(s.path);
    expect(got).toHaveLength(1);
    expect(got[0]!.body).toMatchObject({ type: 'webhook.ping', data: { webhook: { id: s.id } } });
    expect(verifySignature(got[0]!.headers['x-parceldesk-signature'] as string, got[0]!.raw, s.secret, Math.floor(Date.now() / 1000))).toMatchObject({ ok: true });

    // A port nobody listens on.
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    await ok(admin.client.patch(`/api/v1/webhooks/${s.id}`, { url: `http://127.0.0.1:${port}/gone` }));
    const failed = await ok(admin.client.post(`/api/v1/webhooks/${s.id}/ping`));
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, statusCode: null, nextAttemptAt: null });
    expect(failed.error).toContain('ECONNREFUSED');
    // A later sweep does not retry a ping.
    await sweepWebhooks(h.ctx, { now: new Date(Date.now() + 86_400_000) });
    expect((await deliveries(s)).map((d) => [d.eventType, d.state, d.attempts])).toEqual([['webhook.ping', 'failed', 1], ['webhook.ping', 'delivered', 1]]);
    expect(await auditActions(s.id)).toEqual(['webhook.create', 'webhook.ping', 'webhook.update', 'webhook.ping']);
    await unsubscribe(s);
  });

  it('after a rotation both secrets sign (two v1) until the grace ends; the receiver verifies with either', async () => {
    const s = await subscribe('/ok', { events: ['ticket.created'] });
    const rotated = await ok(admin.client.post(`/api/v1/webhooks/${s.id}/rotate-secret`, { keepPreviousHours: 1 }));
    const t = await newTicket();
    await sweepUntil('the delivery', delivered(s.id, t.id, 1));
    const [r] = forTicket(receiver.on(s.path), t.id);
    const header = r!.headers['x-parceldesk-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    const nowS = Math.floor(Date.now() / 1000);
    expect(verifySignature(header, r!.raw, rotated.secret, nowS)).toMatchObject({ ok: true });
    expect(verifySignature(header, r!.raw, s.secret, nowS)).toMatchObject({ ok: true });
    // Past the grace period only the new secret signs (the grace is made to end now).
    await h.ctx.db.pool.query(`UPDATE webhook_subscriptions SET previous_secret_until = now() - interval '1 second' WHERE id = $1`, [s.id]);
    const t2 = await newTicket();
    await sweepUntil('the second delivery', delivered(s.id, t2.id, 1));
    const [r2] = forTicket(receiver.on(s.path), t2.id);
    const h2 = r2!.headers['x-parceldesk-signature'] as string;
    expect(h2.match(/v1=/g)).toHaveLength(1);
    const t2s = Number(/t=(\d+)/.exec(h2)![1]);
    expect(verifySignature(h2, r2!.raw, rotated.secret, t2s)).toMatchObject({ ok: true });
    expect(verifySignature(h2, r2!.raw, s.secret, t2s)).toEqual({ ok: false, reason: 'no_match' });
    await unsubscribe(s);
  });

  it('no redirect to another host is followed; a 307 on the same origin is; long answers are kept truncated; a slow receiver times out', async () => {
    const away = await subscribe('/away', { events: ['ticket.created'] });
    const otherHost = await subscribe('/other-host', { events: ['ticket.created'] });
    const moved = await subscribe('/moved', { events: ['ticket.created'] });
    const big = await subscribe('/big', { events: ['ticket.created'] });
    const t = await newTicket();
    await sweepUntil('an attempt at each', async () =>
      (await deliveryCount('subscription_id = ANY($1::uuid[]) AND ticket_id = $2 AND attempts >= 1', [[away.id, otherHost.id, moved.id, big.id], t.id])) === 4);
    const [a] = await deliveries(away, `&ticketId=${t.id}`);
    expect(a).toMatchObject({ state: 'pending', attempts: 1, statusCode: 302 });
    expect(a.error).toContain('not followed');
    const [o] = await deliveries(otherHost, `&ticketId=${t.id}`);
    expect(o).toMatchObject({ state: 'pending', attempts: 1, statusCode: 307 });
    expect(o.error).toContain('http://localhost:1/in');
    const [m] = await deliveries(moved, `&ticketId=${t.id}`);
    expect(m).toMatchObject({ state: 'delivered', attempts: 1, statusCode: 200 });
    expect(forTicket(receiver.received.filter((r) => r.path === '/ok/after-redirect'), t.id)).toHaveLength(1);
    const [b] = await deliveries(big, `&ticketId=${t.id}`);
    expect(b).toMatchObject({ state: 'pending', statusCode: 503 });
    expect(b.responseExcerpt).toHaveLength(1_001);
    expect(b.responseExcerpt.endsWith('…')).toBe(true);
    for (const x of [away, otherHost, moved, big]) await unsubscribe(x);

    await putSetting(h.ctx.db.pool, 'webhooks.delivery', { maxAttempts: 8, timeoutSeconds: 1 }, admin.id);
    try {
      const slow = await subscribe('/slow', { events: ['ticket.created'] });
      const t2 = await newTicket();
      // (Other files' tickets reach this subscription too and time out as well: a bounded sweep.)
      await sweepUntil('the attempt', async () => (await deliveryCount('subscription_id = $1 AND ticket_id = $2 AND attempts >= 1', [slow.id, t2.id])) === 1, () => ({ budgetMs: 5_000 }));
      const [d] = await deliveries(slow, `&ticketId=${t2.id}`);
      expect(d).toMatchObject({ state: 'pending', attempts: 1, statusCode: null, error: 'timed out after 1 s' });
      expect(d.attemptLog[0].durationMs).toBeGreaterThanOrEqual(900);
      expect(d.attemptLog[0].durationMs).toBeLessThan(2_900);
      await unsubscribe(slow);
    } finally {
      await putSetting(h.ctx.db.pool, 'webhooks.delivery', { maxAttempts: 8, timeoutSeconds: 10 }, admin.id);
    }
  });

  it('two sweeps side by side send each delivery once, and each subscription’s in creation order', async () => {
    const subs = [await subscribe('/slowish', { events: ['ticket.created'] }), await subscribe('/slowish', { events: ['ticket.created'] }), await subscribe('/slowish', { events: ['ticket.created'] })];
    const tickets: string[] = [];
    for (let i = 0; i < 12; i++) tickets.push((await newTicket()).id);
    await Promise.all([sweepWebhooks(h.ctx, { parallel: 2 }), sweepWebhooks(h.ctx, { parallel: 2 }), sweepWebhooks(h.ctx, { parallel: 2 })]);
    // (Another process's sweeper may still be sending some: wait for all, then count.)
    await sweepUntil('every delivery', async () =>
      (await deliveryCount(`subscription_id = ANY($1::uuid[]) AND ticket_id = ANY($2::uuid[]) AND state = 'delivered'`, [subs.map((s) => s.id), tickets])) === subs.length * tickets.length);
    for (const s of subs) {
      const got = receiver.on(s.path).filter((r) => tickets.includes(r.body.data?.ticket?.id));
      expect(got.map((r) => r.body.data.ticket.id)).toEqual(tickets);
      expect(new Set(got.map((r) => r.headers['x-parceldesk-delivery'])).size).toBe(tickets.length);
      expect(await deliveryCount(`subscription_id = $1 AND ticket_id = ANY($2::uuid[]) AND state = 'delivered' AND attempts = 1`, [s.id, tickets])).toBe(tickets.length);
      expect(await deliveryCount(`subscription_id = $1 AND ticket_id = ANY($2::uuid[])`, [s.id, tickets])).toBe(tickets.length);
    }
    for (const s of subs) await unsubscribe(s);
  });

  it('the delivery log pages newest first and filters by state', async () => {
    const s = await subscribe('/ok', { events: ['ticket.created'], active: false });
    for (let i = 0; i < 5; i++) await ok(admin.client.post(`/api/v1/webhooks/${s.id}/ping`));
    const p1 = await ok(admin.client.get(`/api/v1/webhooks/${s.id}/deliveries?limit=2`));
    expect(p1.items).toHaveLength(2);
    expect(p1.nextBefore).toEqual(expect.any(Number));
    const p2 = await ok(admin.client.get(`/api/v1/webhooks/${s.id}/deliveries?limit=2&before=${p1.nextBefore}`));
    const p3 = await ok(admin.client.get(`/api/v1/webhooks/${s.id}/deliveries?limit=2&before=${p2.nextBefore}`));
    expect(p3.items).toHaveLength(1);
    expect(p3.nextBefore).toBeNull();
    const ids = [...p1.items, ...p2.items, ...p3.items].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(5);
    const all = await ok(admin.client.get(`/api/v1/webhooks/${s.id}/deliveries`));
    expect(all.items.map((d: { id: string }) => d.id)).toEqual(ids);
    expect(Date.parse(all.items[0].createdAt)).toBeGreaterThanOrEqual(Date.parse(all.items[4].createdAt));
    expect((await ok(admin.client.get(`/api/v1/webhooks/${s.id}/deliveries?state=failed`))).items).toEqual([]);
    expect((await ok(admin.client.get(`/api/v1/webhooks/${s.id}/deliveries?state=delivered`))).items).toHaveLength(5);
    expect((await admin.client.get(`/api/v1/webhooks/${s.id}/deliveries?limit=0`)).status).toBe(400);
    await unsubscribe(s);
  });
});
