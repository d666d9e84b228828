/**
 * Order intake (SPEC X8; seed 000 三(一)) over HTTP: an agent takes an order, the item is checked
 * and the parcel quoted, the read-back is produced, the customer's confirmation allocates the
 * waybill and requests the pick-up, and the operations system collects it from the pick-up feed.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let agent: TestUser;
let otherAgent: TestUser;
let customer: TestUser;
let ops: Client;

beforeAll(async () => {
  h = await startHarness();
  agent = await h.user('agent');
  otherAgent = await h.user('agent');
  customer = await h.user('customer');
  ops = await h.apiKey('integration' as never);
});
afterAll(async () => {
  await h?.close();
});

const today = (): string => DateTime.now().setZone('Asia/Shanghai').toISODate()!;

function order(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId: customer.customerId,
    sender: { name: '李四', phone: '138 1234 5678', regionCode: '110105', address: '幸福小区1栋2单元301' },
    receiver: { name: '张三', phone: '13987654321', regionCode: '310115', address: '世纪大道100号5楼' },
    item: '衣服',
    weightKg: 2,
    product: 'standard',
    ...overrides,
  };
}

async function count(): Promise<number> {
  return (await h.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n;
}

describe('taking an order', () => {
  it('quotes, estimates and reads the order back (北京 → 上海, 2 kg standard)', async () => {
    const res = await agent.client.post('/api/v1/orders', order({ pickup: { date: today(), slot: 'evening' } }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const o = res.body;
    expect(o).toMatchObject({ status: 'draft', waybill: null, masked: false, item: '衣服', weightKg: 2, product: 'standard', total: 12, itemCheck: { verdict: 'allowed' } });
    expect(o.quote).toMatchObject({ zone: 'inter_province', chargeableWeightKg: 2, postage: 12, total: 12 });
    // Seed 000: 北京寄上海,标准件预计2天到达.
    expect(o.estimate.minDays).toBe(2);
    expect(o.estimate.maxDays).toBe(2);
    // The creator hears the order back in full while confirming it.
    expect(o.sender).toEqual({ name: '李四', phone: '13812345678', regionCode: '110105', address: '幸福小区1栋2单元301' });
    expect(o.readBack.zh).toMatch(/^您的寄件地址是北京市朝阳区幸福小区1栋2单元301,收件人是张三,电话是139\*\*\*\*4321,收件地址是上海市浦东新区世纪大道100号5楼;寄的是衣服,标准快递,费用12元,/);
    expect(o.readBack.zh.endsWith('会有师傅上门取件,对吗?')).toBe(true);

    // Stored encrypted: no clear phone or address in the row.
    const raw = await h.ctx.db.pool.query('SELECT * FROM orders WHERE id = $1', [o.id]);
    const text = JSON.stringify(raw.rows[0]);
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('幸福小区');

    // Another agent sees it masked.
    const seen = await otherAgent.client.get(`/api/v1/orders/${o.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ masked: true, sender: { phone: '138****5678' } });
  });

  it('refuses a prohibited item with the rule, and writes nothing', async () => {
    const before = await count();
    const res = await agent.client.post('/api/v1/orders', order({ item: '过年放的烟花爆竹' }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('cannot be sent');
    expect(res.body.error.message).toContain('烟花爆竹');
    expect(await count()).toBe(before);
  });

  it('a restricted item needs the customer told its conditions', async () => {
    const res = await agent.client.post('/api/v1/orders', order({ item: '充电宝一个' }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('restrictedAcknowledged');
    const ok = await agent.client.post('/api/v1/orders', order({ item: '充电宝一个', restrictedAcknowledged: true }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.itemCheck.verdict).toBe('restricted');
  });

  it('insurance adds its fee; the read-back says so', async () => {
    const res = await agent.client.post('/api/v1/orders', order({ declaredValue: 1000 }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.quote.insuranceFee).toBeGreaterThan(0);
    expect(res.body.total).toBe(12 + res.body.quote.insuranceFee);
    expect(res.body.readBack.lines.find((l: { label: string }) => l.label === '费用').value).toContain('保价金额1000元');
  });

  it('a retry with the same Idempotency-Key returns the first draft; another body with it is refused', async () => {
    const key = `order-${h.uid()}`;
    const before = await count();
    const first = await agent.client.post('/api/v1/orders', order(), { 'idempotency-key': key });
    const again = await agent.client.post('/api/v1/orders', order(), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await count()).toBe(before + 1);
    expect((await agent.client.post('/api/v1/orders', order({ weightKg: 3 }), { 'idempotency-key': key })).status).toBe(422);
  });

  it('bad input is a clear 400 and writes nothing', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [order({ receiver: { name: '张三', phone: '123', regionCode: '310115', address: '世纪大道100号' } }), 'receiver.phone'],
      [order({ receiver: { name: '张三', phone: '13987654321', regionCode: '310100', address: '世纪大道100号' } }), 'district or county'],
      [order({ sender: { name: '李四', phone: '13812345678', regionCode: '999999', address: '幸福小区1栋' } }), 'not a known region code'],
      [order({ weightKg: 0 }), 'weightKg'],
      [order({ weightKg: -1 }), 'weightKg'],
      [order({ pickup: { date: '2020-01-01', slot: 'morning' } }), 'in the past'],
      [order({ pickup: { date: today(), slot: 'midnight' } }), 'slot'],
      [order({ customerId: '00000000-0000-4000-8000-000000000000' }), 'does not exist'],
      [order({ product: 'same_day' }), 'same_day'],
      [order({ item: '' }), 'item'],
    ];
    for (const [body, part] of cases) {
      const res = await agent.client.post('/api/v1/orders', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toContain(part);
    }
    expect(await count()).toBe(before);
  });

  it('customers and integrations do not take orders', async () => {
    expect((await customer.client.post('/api/v1/orders', order())).status).toBe(403);
    expect((await ops.post('/api/v1/orders', order())).status).toBe(403);
    expect((await customer.client.get('/api/v1/orders')).status).toBe(403);
  });
});

describe('confirming and the pick-up', () => {
  it('confirmation allocates the waybill once, records it on the ticket, and feeds the pick-up to the operations system', async () => {
    const t = await agent.client.post('/api/v1/tickets', { type: 'order', channel: 'phone', subject: '预约上门取件', customerId: customer.customerId });
    expect(t.status).toBe(201);
    const draft = (await agent.client.post('/api/v1/orders', order({ ticketId: t.body.number }))).body;
    expect(draft.ticketId).toBe(t.body.id);

    const unconfirmed = await agent.client.post(`/api/v1/orders/${draft.id}/confirm`, { customerConfirmed: false });
    expect(unconfirmed.status).toBe(400);
    const confirmed = await agent.client.post(`/api/v1/orders/${draft.id}/confirm`, { customerConfirmed: true });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    expect(confirmed.body.waybill).toMatch(/^SD\d{12}$/);
    // Once confirmed, the creator too sees masked data: the read-back is over.
    expect(confirmed.body.masked).toBe(true);
    const twice = await agent.client.post(`/api/v1/orders/${draft.id}/confirm`, { customerConfirmed: true });
    expect(twice.status).toBe(409);

    const ticket = (await agent.client.get(`/api/v1/tickets/${t.body.id}`)).body;
    expect(ticket.waybills).toContain(confirmed.body.waybill);
    const events = (await agent.client.get(`/api/v1/tickets/${t.body.id}/events`)).body.items;
    expect(events.filter((e: { kind: string }) => e.kind === 'order').map((e: { data: { action: string } }) => e.data.action)).toEqual(['draft', 'confirm']);

    // The operations system sees the full address to send a courier; an agent may not use the feed.
    expect((await agent.client.get('/api/v1/pickup-requests')).status).toBe(403);
    const feed = await ops.get('/api/v1/pickup-requests?limit=500');
    expect(feed.status).toBe(200);
    const mine = feed.body.items.find((o: { id: string }) => o.id === draft.id);
    expect(mine).toMatchObject({ masked: false, waybill: confirmed.body.waybill, sender: { phone: '13812345678', address: '幸福小区1栋2单元301' }, pickup: null });
    const ack = await ops.post(`/api/v1/pickup-requests/${draft.id}/ack`, {});
    expect(ack.status).toBe(200);
    expect(ack.body.pickupAcknowledgedAt).not.toBeNull();
    expect((await ops.post(`/api/v1/pickup-requests/${draft.id}/ack`, {})).body.pickupAcknowledgedAt).toBe(ack.body.pickupAcknowledgedAt);
    const after = await ops.get('/api/v1/pickup-requests?limit=500');
    expect(after.body.items.some((o: { id: string }) => o.id === draft.id)).toBe(false);

    const audit = await h.ctx.db.pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [draft.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['order.draft', 'order.confirm', 'order.pickup_acknowledged']);

    // The parcel is in tracking at once, as created, promised by the estimate's last day.
    const parcel = await agent.client.get(`/api/v1/shipments/${confirmed.body.waybill}`);
    expect(parcel.status, JSON.stringify(parcel.body)).toBe(200);
    expect(parcel.body).toMatchObject({ waybill: confirmed.body.waybill, status: 'created', origin: '110105', destination: '310115' });
    // The courier's first scan: the order is picked up.
    const scan = await ops.post(`/api/v1/shipments/${confirmed.body.waybill}/events`, [{ eventId: `pu-${draft.id}`, occurredAt: new Date().toISOString(), code: 'LS', facility: '北京朝阳建国路网点', facilityType: 'outlet' }]);
    expect(scan.status, JSON.stringify(scan.body)).toBe(200);
    const picked = await agent.client.get(`/api/v1/orders/${draft.id}`);
    expect(picked.body).toMatchObject({ status: 'picked_up' });
    expect(picked.body.pickedUpAt).not.toBeNull();
    expect((await agent.client.post(`/api/v1/orders/${draft.id}/cancel`, { reason: '客户不寄了' })).status).toBe(409);
  });

  it('a confirmed order never takes a waybill number a parcel already carries', async () => {
    const { rows } = await h.ctx.db.pool.query<{ n: string }>("SELECT last_value + 1 AS n FROM order_waybill_seq");
    // The operations system already uses the next two numbers.
    const taken = [0, 1].map((i) => `SD${String(Number(rows[0]!.n) + i).padStart(12, '0')}`);
    for (const w of taken) {
      const res = await ops.post('/api/v1/shipments', { waybill: w, sender: { name: '王五', phone: '13711112222', address: '某路1号' }, receiver: { name: '赵六', phone: '13733334444', address: '某路2号' }, origin: '110105', destination: '310115' });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }
    const draft = (await agent.client.post('/api/v1/orders', order())).body;
    const confirmed = await agent.client.post(`/api/v1/orders/${draft.id}/confirm`, { customerConfirmed: true });
    expect(confirmed.status).toBe(200);
    expect(taken).not.toContain(confirmed.body.waybill);
  });

  it('cancel with a reason before pick-up; not twice; a draft cannot be acknowledged', async () => {
    const draft = (await agent.client.post('/api/v1/orders', order())).body;
    expect((await ops.post(`/api/v1/pickup-requests/${draft.id}/ack`, {})).status).toBe(409);
    expect((await agent.client.post(`/api/v1/orders/${draft.id}/cancel`, {})).status).toBe(400);
    const cancelled = await agent.client.post(`/api/v1/orders/${draft.id}/cancel`, { reason: '客户改约明天' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '客户改约明天', waybill: null });
    expect((await agent.client.post(`/api/v1/orders/${draft.id}/cancel`, { reason: '再取消一次' })).status).toBe(409);
    expect((await agent.client.post(`/api/v1/orders/${draft.id}/confirm`, { customerConfirmed: true })).status).toBe(409);
  });

  it('lists by status', async () => {
    const draft = (await agent.client.post('/api/v1/orders', order())).body;
    const drafts = await agent.client.get('/api/v1/orders?status=draft&limit=200');
    expect(drafts.status).toBe(200);
    expect(drafts.body.items.every((o: { status: string }) => o.status === 'draft')).toBe(true);
    expect(drafts.body.items.some((o: { id: string }) => o.id === draft.id)).toBe(true);
    expect((await agent.client.get('/api/v1/orders?status=lost')).status).toBe(400);
    expect((await agent.client.get('/api/v1/orders/not-a-uuid')).status).toBe(400);
    expect((await agent.client.get('/api/v1/orders/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
