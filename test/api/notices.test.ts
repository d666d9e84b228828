/**
 * Proactive notices (SPEC X7; seed 000 四(一)) over HTTP: a supervisor declares bad weather for a
 * region; parcels in flight there are found, their promise moves by the longest delay, urgent
 * goods are marked 优先派件, and each receiver gets one notice — never two — which the SMS
 * gateway collects and reports.
 *
 * The period covers one district (乌鲁木齐天山区, 650102) so estimates in other test files are untouched.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let supervisor: TestUser;
let agent: TestUser;
let ops: Client;
let run: string;

const DAY = 86_400_000;
const zone = 'Asia/Shanghai';
const today = (): DateTime => DateTime.now().setZone(zone).startOf('day');

beforeAll(async () => {
  h = await startHarness();
  supervisor = await h.user('supervisor');
  agent = await h.user('agent');
  ops = await h.apiKey('integration' as never);
  run = h.uid().toUpperCase();
});
afterAll(async () => {
  await h?.close();
});

async function parcel(suffix: string, over: Record<string, unknown>): Promise<string> {
  const waybill = `NT${run}${suffix}`;
  const res = await ops.post('/api/v1/shipments', {
    waybill,
    sender: { name: '王五', phone: '13711112222', address: '乌鲁木齐天山区解放路1号' },
    receiver: { name: '赵六', phone: '13912345678', address: '天山区人民路2号' },
    origin: '110105',
    destination: '650102',
    ...over,
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return waybill;
}

describe('proactive notices for a declared delay period', () => {
  it('finds the parcels in flight there, moves their promise, marks urgent goods and queues one notice each', async () => {
    const promised = new Date(Date.now() + 2 * DAY);
    const plain = await parcel('A', { promisedAt: promised.toISOString() });
    const medical = await parcel('B', { promisedAt: promised.toISOString(), flags: ['medical'] });
    const late = await parcel('C', { promisedAt: new Date(Date.now() - DAY).toISOString() }); // overdue, still moving
    const elsewhere = await parcel('D', { destination: '310115', promisedAt: promised.toISOString() });
    const done = await parcel('E', { promisedAt: promised.toISOString() });
    expect((await ops.post(`/api/v1/shipments/${done}/events`, [{ eventId: `${run}-e1`, occurredAt: new Date().toISOString(), code: 'QS' }])).status).toBe(200);

    const period = await supervisor.client.post('/api/v1/delay-periods', {
      kind: 'weather', name: '暴雪', regionPrefixes: ['650102'],
      startsOn: today().toISODate(), endsOn: today().plus({ days: 3 }).toISODate(), extraMinDays: 1, extraMaxDays: 2,
    });
    expect(period.status, JSON.stringify(period.body)).toBe(201);
    const id = period.body.id;

    expect((await agent.client.post(`/api/v1/delay-periods/${id}/notices`, {})).status).toBe(403);
    const sent = await supervisor.client.post(`/api/v1/delay-periods/${id}/notices`, {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const mine = (await ops.get(`/api/v1/shipment-notices?periodId=${id}&limit=1000`)).body.items as { waybill: string; text: string; phone: string; priority: boolean; id: string; status: string }[];
    expect(mine.map((n) => n.waybill).sort()).toEqual([plain, medical, late].sort());
    expect(sent.body).toMatchObject({ queued: 3, alreadyNotified: 0, promisesMoved: 3, priorityMarked: 1 });
    expect(sent.body.affected).toBe(3);

    const plainNotice = mine.find((n) => n.waybill === plain)!;
    const newDate = DateTime.fromJSDate(new Date(promised.getTime() + 2 * DAY)).setZone(zone);
    expect(plainNotice.text).toBe(`【提前告知】您的快件(运单号${plain}):受暴雪影响,快件时效延迟1-2天,我们会尽快为您派送,请您谅解。预计${newDate.month}月${newDate.day}日前送达。`);
    expect(plainNotice.phone).toBe('13912345678');
    expect(mine.find((n) => n.waybill === medical)!).toMatchObject({ priority: true });
    expect(mine.find((n) => n.waybill === medical)!.text).toContain('优先派件');

    // The parcels carry the new promise; the original is kept.
    const row = await h.ctx.db.pool.query<{ promised_at: Date; original_promised_at: Date; flags: string[] }>('SELECT promised_at, original_promised_at, flags FROM shipments WHERE waybill = $1', [medical]);
    expect(row.rows[0]!.original_promised_at.getTime()).toBe(promised.getTime());
    expect(row.rows[0]!.promised_at.getTime()).toBe(promised.getTime() + 2 * DAY);
    expect(row.rows[0]!.flags).toEqual(['medical', 'priority_delivery']);
    const untouched = await h.ctx.db.pool.query<{ promised_at: Date; original_promised_at: Date | null }>('SELECT promised_at, original_promised_at FROM shipments WHERE waybill = $1', [elsewhere]);
    expect(untouched.rows[0]).toEqual({ promised_at: promised, original_promised_at: null });

    // People see masked phones.
    const forSupervisor = (await supervisor.client.get(`/api/v1/shipment-notices?waybill=${plain}`)).body.items;
    expect(forSupervisor[0].phone).toBe('139****5678');
    expect((await agent.client.get('/api/v1/shipment-notices')).status).toBe(403);

    // Declaring again tells nobody twice and moves nothing twice.
    const again = await supervisor.client.post(`/api/v1/delay-periods/${id}/notices`, {});
    expect(again.body).toMatchObject({ affected: 3, queued: 0, alreadyNotified: 3, promisesMoved: 0, priorityMarked: 0 });
    const twice = await h.ctx.db.pool.query<{ promised_at: Date }>('SELECT promised_at FROM shipments WHERE waybill = $1', [plain]);
    expect(twice.rows[0]!.promised_at.getTime()).toBe(promised.getTime() + 2 * DAY);
    expect((await ops.get(`/api/v1/shipment-notices?periodId=${id}&limit=1000`)).body.items).toHaveLength(3);

    // The gateway reports; reporting twice is harmless; a sent notice does not become failed.
    const report = await ops.post(`/api/v1/shipment-notices/${plainNotice.id}/report`, { status: 'sent' });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ status: 'sent' });
    expect(report.body.sentAt).not.toBeNull();
    expect((await ops.post(`/api/v1/shipment-notices/${plainNotice.id}/report`, { status: 'sent' })).body.sentAt).toBe(report.body.sentAt);
    expect((await ops.post(`/api/v1/shipment-notices/${plainNotice.id}/report`, { status: 'failed', error: 'x' })).status).toBe(409);
    expect((await supervisor.client.post(`/api/v1/shipment-notices/${plainNotice.id}/report`, { status: 'sent' })).status).toBe(403);
    const queued = (await ops.get('/api/v1/shipment-notices?status=queued&limit=1000')).body.items.map((n: { id: string }) => n.id);
    expect(queued).not.toContain(plainNotice.id);

    const audit = await h.ctx.db.pool.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id', [id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['delay_period.create', 'delay_period.notify', 'delay_period.notify']);
    const reported = await h.ctx.db.pool.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1', [plainNotice.id]);
    expect(reported.rows.map((r) => r.action)).toEqual(['notice.sent']);

    // Withdrawing the period keeps the notices already sent, by name.
    expect((await supervisor.client.request('DELETE', `/api/v1/delay-periods/${id}`)).status).toBeLessThan(300);
    const kept = await h.ctx.db.pool.query<{ period_name: string; delay_period_id: string | null }>('SELECT period_name, delay_period_id FROM shipment_notices WHERE id = $1', [plainNotice.id]);
    expect(kept.rows[0]).toEqual({ period_name: '暴雪', delay_period_id: null });
  });

  it('a period that has ended announces nothing; unknown periods and bad ids are 404 and 400', async () => {
    const past = await supervisor.client.post('/api/v1/delay-periods', {
      kind: 'holiday', name: '已过去的假期', regionPrefixes: ['650102'],
      startsOn: today().minus({ days: 10 }).toISODate(), endsOn: today().minus({ days: 5 }).toISODate(), extraMinDays: 1, extraMaxDays: 1,
    });
    expect(past.status, JSON.stringify(past.body)).toBe(201);
    const res = await supervisor.client.post(`/api/v1/delay-periods/${past.body.id}/notices`, {});
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('ended on');
    expect((await supervisor.client.post('/api/v1/delay-periods/00000000-0000-4000-8000-000000000000/notices', {})).status).toBe(404);
    expect((await supervisor.client.post('/api/v1/delay-periods/nope/notices', {})).status).toBe(400);
    expect((await ops.get('/api/v1/shipment-notices?status=lost')).status).toBe(400);
    await supervisor.client.request('DELETE', `/api/v1/delay-periods/${past.body.id}`);
  });
});
