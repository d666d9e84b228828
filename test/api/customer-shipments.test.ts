/** GET /customers/{id}/shipments: the parcels beside a ticket's customer panel (staff only, masked). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness, type TestUser } from '../support/harness.ts';

let h: Harness;
let ops: Client;
let agent: TestUser;

beforeAll(async () => {
  h = await startHarness();
  ops = await h.apiKey('integration');
  agent = await h.user('agent');
});
afterAll(async () => {
  await h?.close();
});

const phone = (): string => `13${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

function parcel(waybill: string, senderPhone: string, receiverPhone: string): Record<string, unknown> {
  return {
    waybill,
    sender: { name: '张伟', phone: senderPhone, address: '北京市朝阳区建国路88号' },
    receiver: { name: '王芳', phone: receiverPhone, address: '上海市浦东新区世纪大道100号' },
    origin: '110105',
    destination: '310115',
    weightKg: 1,
  };
}

describe('GET /customers/{id}/shipments', () => {
  it("lists the parcels the customer's phone sends or receives, newest first, masked", async () => {
    const mine = phone();
    const customerId = await h.customer({ phone: mine });
    const run = h.uid().toUpperCase();
    const sent = `CS${run}01`;
    const received = `CS${run}02`;
    const other = `CS${run}03`;
    expect((await ops.post('/api/v1/shipments', [parcel(sent, mine, phone())])).status).toBe(200);
    expect((await ops.post('/api/v1/shipments', [parcel(received, phone(), mine), parcel(other, phone(), phone())])).status).toBe(200);

    const res = await agent.client.get(`/api/v1/customers/${customerId}/shipments`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body.items as { waybill: string; matchedAs: string[] }[];
    expect(items.map((s) => s.waybill).sort()).toEqual([sent, received]);
    expect(items.find((s) => s.waybill === sent)?.matchedAs).toEqual(['sender']);
    expect(items.find((s) => s.waybill === received)?.matchedAs).toEqual(['receiver']);
    expect(JSON.stringify(res.body)).not.toContain(mine);
  });

  it('answers an unknown customer with 404, a bad id or limit with 400, a customer with 403', async () => {
    expect((await agent.client.get('/api/v1/customers/00000000-0000-4000-8000-000000000000/shipments')).status).toBe(404);
    expect((await agent.client.get('/api/v1/customers/not-a-uuid/shipments')).status).toBe(400);
    const customerId = await h.customer();
    expect((await agent.client.get(`/api/v1/customers/${customerId}/shipments?limit=0`)).status).toBe(400);
    const customer = await h.user('customer', { customerId });
    expect((await customer.client.get(`/api/v1/customers/${customerId}/shipments`)).status).toBe(403);
    expect((await h.anon.get(`/api/v1/customers/${customerId}/shipments`)).status).toBe(401);
  });
});
