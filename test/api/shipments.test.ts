/**
 * Shipments and tracking over HTTP: ingestion and idempotent replay, out-of-order events, unknown
 * codes mapped later, who may see which parcel, masking per role, and bad input refused whole.
 * Waybills and phones are unique to this file's run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAST4_ATTEMPTS } from '../../src/http/routes/shipments/routes.ts';
import { ok } from '../support/expect-ok.ts';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let ops: Client;
let admin: TestUser;
let agent: TestUser;
let supervisor: TestUser;
let owner: TestUser; // a customer whose phone is the receiver's on `parcel`
let stranger: TestUser; // a customer with no parcels
let run: string;
let seq = 0;

const HOUR = 3600_000;
const iso = (msFromNow: number): string => new Date(Date.now() + msFromNow).toISOString();
const randomPhone = (): string => `13${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
const newWaybill = (): string => `SD${run}${String(++seq).padStart(4, '0')}`;
let ownerPhone: string;
let senderPhone: string;
let parcel: string;

function shipment(waybill: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    waybill,
    sender: { name: '张伟', phone: senderPhone, address: '北京市朝阳区建国路88号' },
    receiver: { name: '王芳', phone: ownerPhone, address: '上海市浦东新区世纪大道100号' },
    origin: '110105',
    destination: '310115',
    product: 'standard',
    weightKg: 2,
    declaredValue: 300,
    insured: true,
    postage: 12,
    flags: ['fragile'],
    itemDescription: '陶瓷杯',
    shippedAt: iso(-24 * HOUR),
    promisedAt: iso(24 * HOUR),
    ...over,
  };
}

function event(eventId: string, code: string, atMs: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { eventId: `${run}-${eventId}`, occurredAt: iso(atMs), code, location: '上海市青浦区', facility: '上海青浦分拣中心', facilityType: 'sorting_centre', ...over };
}


async function auditCount(action: string, entityId: string): Promise<number> {
  const { rows } = await h.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND entity_id = $2', [action, entityId]);
  return rows[0]!.n;
}

beforeAll(async () => {
  h = await startHarness();
  run = h.uid().toUpperCase();
  ops = await h.apiKey('integration');
  admin = await h.user('admin');
  agent = await h.user('agent');
  supervisor = await h.user('supervisor');
  ownerPhone = randomPhone();
  senderPhone = randomPhone();
  owner = await h.user('customer', { customerId: await h.customer({ name: '王芳', phone: ownerPhone }) });
  stranger = await h.user('customer');
  parcel = newWaybill();
  await ok(ops.post('/api/v1/shipments', shipment(parcel)));
  expect(await auditCount('shipment.ingest', parcel)).toBe(1);
  await ok(ops.post(`/api/v1/shipments/${parcel}/events`, [
    event('p1', 'LS', -20 * HOUR, { facility: '北京朝阳建国路网点', facilityType: 'outlet', location: '北京市朝阳区', courier: '李师傅' }),
    event('p2', 'DC', -10 * HOUR, { facility: '北京顺义分拣中心', location: '北京市顺义区' }),
    event('p3', 'DC', -2 * HOUR),
  ]));
});

afterAll(async () => {
  await h?.close();
});

describe('ingestion', () => {
  it('upserts shipments one at a time or in a batch, reporting created vs updated', async () => {
    const a = newWaybill();
    const b = newWaybill();
    expect(await ok(ops.post('/api/v1/shipments', shipment(a)))).toEqual({ received: 1, created: 1, updated: 0, waybills: [a] });
    const batch = await ok(ops.post('/api/v1/shipments', [shipment(a, { weightKg: 3.5 }), shipment(b)]));
    expect(batch).toMatchObject({ received: 2, created: 1, updated: 1 });
    const got = await ok(agent.client.get(`/api/v1/shipments/${a}`));
    expect(got.weightKg).toBe(3.5);
    expect(got.status).toBe('created');
    expect(got.sentence.zh).toMatch(/^您的快件已下单,等待快递员揽收,预计.+前送达。$/);
  });

  it('upper-cases waybills on input', async () => {
    const w = newWaybill();
    await ok(ops.post('/api/v1/shipments', shipment(w.toLowerCase())));
    expect((await ok(agent.client.get(`/api/v1/shipments/${w.toLowerCase()}`))).waybill).toBe(w);
  });

  it('is idempotent by event id: a replayed batch changes nothing and reports duplicates', async () => {
    const w = newWaybill();
    await ok(ops.post('/api/v1/shipments', shipment(w)));
    const events = [event(`${w}-1`, 'LS', -5 * HOUR), event(`${w}-2`, 'FC', -4 * HOUR), event(`${w}-3`, 'DC', -3 * HOUR)];
    const first = await ok(ops.post(`/api/v1/shipments/${w}/events`, events));
    expect(first).toMatchObject({ received: 3, inserted: 3, duplicates: 0, shipmentsUpdated: 1 });
    const before = await ok(agent.client.get(`/api/v1/shipments/${w}`));
    const replay = await ok(ops.post(`/api/v1/shipments/${w}/events`, events));
    expect(replay).toEqual({ received: 3, inserted: 0, duplicates: 3, unmappedCodes: [], shipmentsUpdated: 0 });
    const after = await ok(agent.client.get(`/api/v1/shipments/${w}`));
    expect(after.events).toEqual(before.events);
    expect(after.updatedAt).toBe(before.updatedAt);
    // One audit entry per batch, not per event.
    expect(await auditCount('shipment_event.ingest', w)).toBe(2);
  });

  it('takes a single event object, and duplicates inside one batch count once', async () => {
    const w = newWaybill();
    await ok(ops.post('/api/v1/shipments', shipment(w)));
    expect(await ok(ops.post(`/api/v1/shipments/${w}/events`, event(`${w}-s`, 'LS', -HOUR)))).toMatchObject({ received: 1, inserted: 1 });
    const twice = event(`${w}-t`, 'FC', -HOUR / 2);
    expect(await ok(ops.post(`/api/v1/shipments/${w}/events`, [twice, twice]))).toMatchObject({ received: 2, inserted: 1, duplicates: 1 });
  });

  it('accepts events across parcels in one request', async () => {
    const a = newWaybill();
    const b = newWaybill();
    await ok(ops.post('/api/v1/shipments', [shipment(a), shipment(b)]));
    const res = await ok(ops.post('/api/v1/shipment-events', { events: [
      { ...event(`${a}-1`, 'LS', -3 * HOUR), waybill: a },
      { ...event(`${b}-1`, 'LS', -3 * HOUR), waybill: b },
      { ...event(`${b}-2`, 'PJ', -HOUR, { facility: '上海浦东世纪大道网点', facilityType: 'outlet' }), waybill: b },
    ] }));
    expect(res).toMatchObject({ received: 3, inserted: 3, duplicates: 0, shipmentsUpdated: 2 });
    expect((await ok(agent.client.get(`/api/v1/shipments/${b}`))).status).toBe('out_for_delivery');
    expect((await ok(agent.client.get(`/api/v1/shipments/${a}`))).status).toBe('picked_up');
  });

  it('takes concurrent batches over the same parcels without deadlock or lost events', async () => {
    const ws = Array.from({ length: 6 }, () => newWaybill());
    await ok(ops.post('/api/v1/shipments', ws.map((w) => shipment(w))));
    // Four batches touching the same parcels in different orders, all at once.
    const batches = [0, 1, 2, 3].map((b) => {
      const order = b % 2 === 0 ? ws : [...ws].reverse();
      return { events: order.flatMap((w, i) => [0, 1].map((k) => ({ ...event(`${w}-c${b}-${i}-${k}`, k ? 'DC' : 'FC', -(10 - b - k) * HOUR), waybill: w }))) };
    });
    const results = await Promise.all(batches.map((b) => ops.post('/api/v1/shipment-events', b)));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(results.reduce((n, r) => n + r.body.inserted, 0)).toBe(4 * 12);
    for (const w of ws) {
      const s = await ok(agent.client.get(`/api/v1/shipments/${w}`));
      expect(s.events).toHaveLength(8);
      // Batch 3's DC scan is the latest (−6 h).
      expect(s.status).toBe('at_sorting_centre');
      expect(s.lastEventAt).toBe(s.events[0].occurredAt);
    }
  });

  it('orders out-of-order events by time: a late older scan does not move the parcel back', async () => {
    const w = newWaybill();
    await ok(ops.post('/api/v1/shipments', shipment(w)));
    await ok(ops.post(`/api/v1/shipments/${w}/events`, event(`${w}-d`, 'QS', -HOUR, { text: '本人签收', facility: null, facilityType: null })));
    await ok(ops.post(`/api/v1/shipments/${w}/events`, [event(`${w}-a`, 'LS', -30 * HOUR), event(`${w}-c`, 'PJ', -3 * HOUR), event(`${w}-b`, 'DC', -10 * HOUR)]));
    const s = await ok(agent.client.get(`/api/v1/shipments/${w}`));
    expect(s.status).toBe('delivered');
    expect(s.events.map((e: any) => e.status)).toEqual(['delivered', 'out_for_delivery', 'at_sorting_centre', 'picked_up']);
    expect(s.expectedDelivery).toBeNull();
    expect(s.sentence.zh).toMatch(/^您的快件已于.+签收\(本人签收\)。$/);
    // The phone list (denormalised state) agrees with the timeline.
    const list = await ok(agent.client.get(`/api/v1/shipments?phone=${senderPhone}&limit=100`));
    expect(list.items.find((i: any) => i.waybill === w).status).toBe('delivered');
  });

  it('keeps unknown codes raw as exception until an admin maps them; mapping re-normalises stored events', async () => {
    const w = newWaybill();
    const code = `Q${run}`;
    await ok(ops.post('/api/v1/shipments', shipment(w)));
    const res = await ok(ops.post(`/api/v1/shipments/${w}/events`, [event(`${w}-1`, 'LS', -3 * HOUR), event(`${w}-2`, code, -HOUR, { text: '转运中心中转' })]));
    expect(res.unmappedCodes).toEqual([code]);
    let s = await ok(agent.client.get(`/api/v1/shipments/${w}`));
    expect(s.status).toBe('exception');
    expect(s.exceptions).toHaveLength(1);
    expect(s.events[0]).toMatchObject({ code, text: '转运中心中转', status: 'exception' });
    const codes = await ok(admin.client.get('/api/v1/shipment-status-codes'));
    expect(codes.items.find((c: any) => c.code === code)).toMatchObject({ status: 'exception', mapped: false });

    expect((await agent.client.put(`/api/v1/shipment-status-codes/${code}`, { status: 'in_transit' })).status).toBe(403);
    const bad = await admin.client.put(`/api/v1/shipment-status-codes/${code}`, { status: 'teleported' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/status/);

    const unseen = await admin.client.put(`/api/v1/shipment-status-codes/NEVER${run}`, { status: 'in_transit' });
    expect(unseen.status).toBe(404);
    expect(unseen.body.error.message).toContain('has not been seen');
    const mapped = await ok(admin.client.put(`/api/v1/shipment-status-codes/${code}`, { status: 'in_transit', descriptionZh: '中转' }));
    expect(mapped).toMatchObject({ code: { code, status: 'in_transit', mapped: true, descriptionZh: '中转' }, eventsUpdated: 1, shipmentsUpdated: 1 });
    s = await ok(agent.client.get(`/api/v1/shipments/${w}`));
    expect(s.status).toBe('in_transit');
    expect(s.exceptions).toHaveLength(0);
    const list = await ok(agent.client.get(`/api/v1/shipments?phone=${senderPhone}&limit=100`));
    expect(list.items.find((i: any) => i.waybill === w).status).toBe('in_transit');
    // Later events with the code arrive mapped.
    expect((await ok(ops.post(`/api/v1/shipments/${w}/events`, event(`${w}-3`, code, -HOUR / 2)))).unmappedCodes).toEqual([]);
    expect(await auditCount('shipment_status_code.map', code)).toBe(1);
  });

  it('lets the integration key and admins ingest, but not agents or supervisors', async () => {
    const w = newWaybill();
    expect((await agent.client.post('/api/v1/shipments', shipment(w))).status).toBe(403);
    expect((await supervisor.client.post('/api/v1/shipments', shipment(w))).status).toBe(403);
    expect((await agent.client.post(`/api/v1/shipments/${parcel}/events`, event('agent-1', 'QS', -HOUR))).status).toBe(403);
    expect((await agent.client.post('/api/v1/shipment-events', { events: [{ ...event('agent-2', 'QS', -HOUR), waybill: parcel }] })).status).toBe(403);
    expect((await owner.client.post('/api/v1/shipments', shipment(w))).status).toBe(403);
    expect((await h.anon.post('/api/v1/shipments', shipment(w))).status).toBe(401);
    expect((await agent.client.get(`/api/v1/shipments/${w}`)).status).toBe(404);
    await ok(admin.client.post('/api/v1/shipments', shipment(w)));
    expect((await ok(agent.client.get(`/api/v1/shipments/${parcel}`))).status).toBe('at_sorting_centre');
  });
});

describe('expected delivery without a promise from the operations system', () => {
  it('is the delivery estimate’s last day, 18:00 China time (北京 → 上海 standard: 2 days)', async () => {
    const w = newWaybill();
    await ok(ops.post('/api/v1/shipments', shipment(w, { shippedAt: '2026-11-23T02:00:00Z', promisedAt: undefined })));
    const s = await ok(agent.client.get(`/api/v1/shipments/${w}`));
    expect(s.promisedAt).toBe('2026-11-25T10:00:00.000Z');
    expect(s.expectedDelivery).toBe(s.promisedAt);
    // A code the region table does not know: no promise rather than a guess.
    const unknown = newWaybill();
    await ok(ops.post('/api/v1/shipments', shipment(unknown, { destination: '999999', promisedAt: undefined })));
    expect((await ok(agent.client.get(`/api/v1/shipments/${unknown}`))).promisedAt).toBeNull();
  });
});

describe('lookup and who sees what', () => {
  it('gives agents the timeline, the place, the expected delivery and the sentence, with personal data masked', async () => {
    const s = await ok(agent.client.get(`/api/v1/shipments/${parcel}`));
    expect(s).toMatchObject({ waybill: parcel, status: 'at_sorting_centre', lastFacility: '上海青浦分拣中心', masked: true, origin: '110105', destination: '310115', sameCity: false, declaredValue: 300, postage: 12, insured: true, flags: ['fragile'] });
    expect(s.delay.state).toBe('on_time');
    expect(s.expectedDelivery).toBe(s.promisedAt);
    expect(s.sentence.zh).toMatch(/^您的快件目前在上海青浦分拣中心,预计.+前送达。$/);
    expect(s.sentence.en).toMatch(/^Your parcel is now at 上海青浦分拣中心; expected delivery by .+\.$/);
    expect(s.events).toHaveLength(3);
    expect(s.events[0]).toMatchObject({ code: 'DC', status: 'at_sorting_centre', eventId: `${run}-p3` });
    expect(s.sender).toEqual({ name: '张*', phone: `${senderPhone.slice(0, 3)}****${senderPhone.slice(-4)}`, address: '北京市朝阳区****' });
    expect(s.receiver.phone).toBe(`${ownerPhone.slice(0, 3)}****${ownerPhone.slice(-4)}`);
    expect(JSON.stringify(s)).not.toContain(ownerPhone);
  });

  it('shows the integration (the source of the data) the clear values', async () => {
    const s = await ok(ops.get(`/api/v1/shipments/${parcel}`));
    expect(s.masked).toBe(false);
    expect(s.sender).toEqual({ name: '张伟', phone: senderPhone, address: '北京市朝阳区建国路88号' });
  });

  it('lets a customer see their own parcel (masked, without the operations system identifiers) and list their parcels', async () => {
    const s = await ok(owner.client.get(`/api/v1/shipments/${parcel}`));
    expect(s.masked).toBe(true);
    expect(s.receiver.name).toBe('王*');
    expect(s.events[0].code).toBeUndefined();
    expect(s.events[0].eventId).toBeUndefined();
    expect(JSON.stringify(s)).not.toContain(senderPhone);
    const mine = await ok(owner.client.get('/api/v1/shipments?mine=true&limit=100'));
    expect(mine.items.map((i: any) => i.waybill)).toContain(parcel);
    expect(mine.items.find((i: any) => i.waybill === parcel)).toMatchObject({ matchedAs: ['receiver'], receiverName: '王*', senderName: '张*' });
    expect((await ok(stranger.client.get('/api/v1/shipments?mine=true'))).items).toEqual([]);
  });

  it('shows another customer the parcel only with the last four digits of a phone on it; otherwise it does not exist', async () => {
    const missing = await stranger.client.get(`/api/v1/shipments/${parcel}`);
    expect(missing.status).toBe(404);
    const none = await stranger.client.get(`/api/v1/shipments/SD${run}9999`);
    expect(none.status).toBe(404);
    expect(missing.body.error.code).toBe(none.body.error.code);
    expect(missing.body.error.message.replace(parcel, 'X')).toBe(none.body.error.message.replace(`SD${run}9999`, 'X'));
    const wrong = String((Number(senderPhone.slice(-4)) + 1) % 10000).padStart(4, '0');
    const wrongOther = wrong === ownerPhone.slice(-4) ? String((Number(wrong) + 1) % 10000).padStart(4, '0') : wrong;
    expect((await stranger.client.get(`/api/v1/shipments/${parcel}?phoneLast4=${wrongOther}`)).status).toBe(404);
    expect((await ok(stranger.client.get(`/api/v1/shipments/${parcel}?phoneLast4=${senderPhone.slice(-4)}`))).waybill).toBe(parcel);
    expect((await ok(stranger.client.get(`/api/v1/shipments/${parcel}?phoneLast4=${ownerPhone.slice(-4)}`))).masked).toBe(true);
    expect((await stranger.client.get(`/api/v1/shipments/${parcel}?phoneLast4=12a4`)).status).toBe(400);
  });

  it('limits a customer\'s guesses at the last four digits', async () => {
    const guesser = await h.user('customer');
    let last = 0;
    for (let i = 0; i <= LAST4_ATTEMPTS; i++) {
      const guess = String(i).padStart(4, '0');
      const res = await guesser.client.get(`/api/v1/shipments/${parcel}?phoneLast4=${guess}`);
      last = res.status;
      if (i < LAST4_ATTEMPTS) expect([200, 404]).toContain(res.status);
    }
    expect(last).toBe(429);
    // Staff are not limited; other customers have their own allowance.
    expect((await stranger.client.get(`/api/v1/shipments/${parcel}?phoneLast4=${senderPhone.slice(-4)}`)).status).toBe(200);
  });

  it('reveals one field in full to staff who may, with the reason audited', async () => {
    const res = await ok(agent.client.post(`/api/v1/shipments/${parcel}/reveal`, { party: 'receiver', field: 'phone', reason: '联系收件人确认地址' }));
    expect(res).toEqual({ party: 'receiver', field: 'phone', value: ownerPhone });
    const { rows } = await h.ctx.db.pool.query<{ actor_id: string; data: { field: string; party: string; reason: string } }>(
      "SELECT actor_id, data FROM audit_log WHERE action = 'pii.reveal' AND entity_type = 'shipment' AND entity_id = $1", [parcel]);
    expect(rows).toEqual([{ actor_id: agent.id, data: { party: 'receiver', field: 'phone', reason: '联系收件人确认地址' } }]);
    expect((await agent.client.post(`/api/v1/shipments/${parcel}/reveal`, { party: 'receiver', field: 'phone', reason: 'x' })).status).toBe(400);
    expect((await owner.client.post(`/api/v1/shipments/${parcel}/reveal`, { party: 'sender', field: 'phone', reason: '我想知道寄件人' })).status).toBe(403);
    expect((await agent.client.post(`/api/v1/shipments/SD${run}6666/reveal`, { party: 'sender', field: 'name', reason: '核实寄件人' })).status).toBe(404);
  });

  it('finds parcels by sender or receiver phone for staff, newest first; customers may not search by phone', async () => {
    const bySender = await ok(agent.client.get(`/api/v1/shipments?phone=${senderPhone}&limit=100`));
    expect(bySender.items.length).toBeGreaterThan(5);
    expect(bySender.items.every((i: any) => i.matchedAs.includes('sender'))).toBe(true);
    const times = bySender.items.map((i: any) => i.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const byReceiver = await ok(agent.client.get(`/api/v1/shipments?phone=+86 ${ownerPhone.slice(0, 3)}-${ownerPhone.slice(3)}`));
    expect(byReceiver.items.find((i: any) => i.waybill === parcel)).toMatchObject({ matchedAs: ['receiver'], status: 'at_sorting_centre' });
    expect((await ok(agent.client.get(`/api/v1/shipments?phone=${randomPhone()}`))).items).toEqual([]);
    expect((await agent.client.get('/api/v1/shipments?phone=12345')).status).toBe(400);
    expect((await agent.client.get('/api/v1/shipments')).status).toBe(400);
    expect((await owner.client.get(`/api/v1/shipments?phone=${senderPhone}`)).status).toBe(403);
  });

  it('flags a parcel past its promise as delayed, and past the complete-delay threshold as possibly lost', async () => {
    const late = newWaybill();
    const lost = newWaybill();
    const cityLost = newWaybill();
    await ok(ops.post('/api/v1/shipments', [
      shipment(late, { shippedAt: iso(-72 * HOUR), promisedAt: iso(-5 * HOUR) }),
      shipment(lost, { shippedAt: iso(-300 * HOUR), promisedAt: iso(-8 * 24 * HOUR) }),
      // Same city (310115 → 310104): 3 days suffice.
      shipment(cityLost, { origin: '310115', destination: '310104', shippedAt: iso(-120 * HOUR), promisedAt: iso(-4 * 24 * HOUR) }),
    ]));
    for (const w of [late, lost, cityLost]) await ok(ops.post(`/api/v1/shipments/${w}/events`, event(`${w}-1`, 'DC', -200 * HOUR)));
    const a = await ok(agent.client.get(`/api/v1/shipments/${late}`));
    expect(a.delay.state).toBe('delayed');
    expect(a.sentence.zh).toMatch(/^非常抱歉,您的快件出现了延误的情况,给您带来不便,我非常理解您的心情。您的快件目前在上海青浦分拣中心/);
    const b = await ok(agent.client.get(`/api/v1/shipments/${lost}`));
    expect(b.delay.state).toBe('may_be_lost');
    expect(b.sentence.zh).toContain('已超过承诺时效8天');
    expect((await ok(agent.client.get(`/api/v1/shipments/${cityLost}`))).delay.state).toBe('may_be_lost');
  });
});

describe('documentation', () => {
  it('describes the shipment endpoints in the OpenAPI document', async () => {
    const doc = await ok(h.anon.get('/api/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/shipments', '/api/v1/shipments/{waybill}', '/api/v1/shipments/{waybill}/events', '/api/v1/shipment-events',
      '/api/v1/shipment-status-codes', '/api/v1/shipment-status-codes/{code}', '/api/v1/shipments/{waybill}/reveal',
    ]));
    expect(doc.paths['/api/v1/shipment-events'].post.requestBody.content['application/json'].schema.required).toEqual(['events']);
    expect(Object.keys(doc.paths['/api/v1/shipments/{waybill}'].get.responses['200'].content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['status', 'lastLocation', 'expectedDelivery', 'delay', 'sentence', 'events', 'exceptions']));
  });
});

describe('bad input is refused whole, with a message', () => {
  it('refuses a malformed waybill', async () => {
    const res = await ops.post('/api/v1/shipments', shipment('AB-12'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('waybill');
    expect((await agent.client.get('/api/v1/shipments/AB-12')).status).toBe(400);
  });

  it('refuses wrong types, bad phones and region codes, naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ weightKg: 'heavy' }, /weightKg/],
      [{ weightKg: -1 }, /weightKg/],
      [{ origin: '1101' }, /origin/],
      [{ product: 'teleport' }, /product/],
      [{ promisedAt: 'tomorrow' }, /promisedAt/],
      [{ sender: { name: '张伟', phone: '12345', address: '北京' } }, /sender\.phone/],
      [{ flags: ['Cold Chain'] }, /flags/],
    ];
    for (const [over, message] of cases) {
      const res = await ops.post('/api/v1/shipments', shipment(newWaybill(), over));
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const arr = await ops.post('/api/v1/shipments', [shipment(newWaybill()), shipment(newWaybill(), { weightKg: 'x' })]);
    expect(arr.status).toBe(400);
    expect(arr.body.error.message).toMatch(/body\.1\.weightKg/);
  });

  it('writes nothing of a batch with one bad shipment or a duplicated waybill', async () => {
    const good = newWaybill();
    expect((await ops.post('/api/v1/shipments', [shipment(good), shipment(newWaybill(), { receiver: { name: '王芳', phone: 'none', address: '上海' } })])).status).toBe(400);
    expect((await ops.post('/api/v1/shipments', [shipment(good), shipment(good)])).status).toBe(400);
    expect((await agent.client.get(`/api/v1/shipments/${good}`)).status).toBe(404);
  });

  it('writes nothing of an event batch with a bad event, an unknown waybill or a time far in the future', async () => {
    const w = newWaybill();
    await ok(ops.post('/api/v1/shipments', shipment(w)));
    const bad = await ops.post(`/api/v1/shipments/${w}/events`, [event(`${w}-1`, 'LS', -HOUR), { ...event(`${w}-2`, 'FC', 0), occurredAt: 'yesterday' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/body\.1\.occurredAt/);
    const unknown = await ops.post('/api/v1/shipment-events', { events: [{ ...event(`${w}-3`, 'LS', -HOUR), waybill: w }, { ...event(`${w}-4`, 'LS', -HOUR), waybill: `SD${run}8888` }] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain(`SD${run}8888`);
    const future = await ops.post(`/api/v1/shipments/${w}/events`, [event(`${w}-5`, 'LS', -HOUR), event(`${w}-6`, 'FC', 48 * HOUR)]);
    expect(future.status).toBe(400);
    expect(future.body.error.message).toContain('future');
    const mismatch = await ops.post(`/api/v1/shipments/${w}/events`, { ...event(`${w}-7`, 'LS', -HOUR), waybill: parcel });
    expect(mismatch.status).toBe(400);
    const s = await ok(agent.client.get(`/api/v1/shipments/${w}`));
    expect(s.events).toEqual([]);
    expect(s.status).toBe('created');
    expect((await ops.post(`/api/v1/shipments/SD${run}7777/events`, event('x-1', 'LS', -HOUR))).status).toBe(404);
  });

  it('refuses an oversize batch', async () => {
    const events = Array.from({ length: 5001 }, (_, i) => ({ eventId: `over-${i}`, waybill: parcel, occurredAt: iso(-HOUR), code: 'LS' }));
    const res = await ops.post('/api/v1/shipment-events', { events });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('5000');
    const one = await ops.post(`/api/v1/shipments/${parcel}/events`, events);
    expect(one.status).toBe(400);
    expect(one.body.error.message).toContain('at most 5000 events');
    const shipments = await ops.post('/api/v1/shipments', Array.from({ length: 1001 }, () => shipment(newWaybill())));
    expect(shipments.status).toBe(400);
    expect((await ok(agent.client.get(`/api/v1/shipments/${parcel}`))).events).toHaveLength(3);
  });

  it('refuses a bad event source name', async () => {
    expect((await ops.post(`/api/v1/shipments/${parcel}/events?source=Bad Source`, event('src-1', 'LS', -HOUR))).status).toBe(400);
    expect((await ops.post(`/api/v1/shipment-events?source=Bad Source`, { events: [{ ...event('src-2', 'LS', -HOUR), waybill: parcel }] })).status).toBe(400);
  });
});
