import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ORDER_STATUSES, PICKUP_SLOTS } from '../../../domain/express/order-intake.ts';
import { PRODUCTS } from '../../../domain/express/quote.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { acknowledgePickup, cancelOrder, confirmOrder, draftOrder, getOrder, listOrders, pendingPickups } from '../../../services/orders/orders.ts';
import { requireActor } from '../../auth.ts';

const party = z.object({
  name: z.string().trim().min(1).max(50),
  phone: z.string().min(3).max(32),
  regionCode: z.string().regex(/^\d{6}$/, 'a 6-digit region code (GB/T 2260), e.g. 110105'),
  address: z.string().trim().min(1).max(200).describe('street, building, unit and room within the region'),
});
const partyView = z.object({ name: z.string(), phone: z.string(), regionCode: z.string(), address: z.string() });

const orderView = z.object({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  customerId: z.string().nullable(),
  ticketId: z.string().nullable(),
  waybill: z.string().nullable(),
  sender: partyView,
  receiver: partyView,
  masked: z.boolean(),
  item: z.string(),
  itemCheck: z.object({ verdict: z.enum(['allowed', 'restricted', 'prohibited']), category: z.string().nullable(), nameZh: z.string().nullable(), reason: z.string(), rule: z.string().nullable(), matchedWords: z.array(z.string()) }),
  weightKg: z.number(),
  dimensionsCm: z.object({ length: z.number(), width: z.number(), height: z.number() }).nullable(),
  product: z.enum(PRODUCTS),
  declaredValue: z.number().nullable(),
  quote: z.object({ zone: z.string(), chargeableWeightKg: z.number(), postage: z.number(), insuranceFee: z.number(), total: z.number() }).loose(),
  estimate: z.object({ earliest: z.string(), latest: z.string(), sentence: z.string() }).loose().nullable(),
  total: z.number(),
  pickup: z.object({ date: z.string(), slot: z.enum(PICKUP_SLOTS) }).nullable(),
  note: z.string(),
  readBack: z.object({ zh: z.string(), lines: z.array(z.object({ label: z.string(), value: z.string() })) }),
  confirmedAt: z.string().nullable(),
  pickupAcknowledgedAt: z.string().nullable(),
  pickedUpAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
});

export async function orderRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['orders'];
  const params = z.object({ id: z.uuid() });

  r.post('/orders', {
    schema: {
      tags,
      summary: '下单 — take a shipment order for a customer: item check, quote, estimate and the read-back to confirm. Send Idempotency-Key to make retries safe.',
      headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).loose(),
      body: z.object({
        customerId: z.uuid().optional(),
        ticketId: z.string().min(1).max(64).optional().describe('the ticket (id or number) the order was taken on'),
        sender: party,
        receiver: party,
        item: z.string().trim().min(1).max(200).describe('what the parcel contains, in the customer’s words'),
        weightKg: z.number().positive().max(1000),
        lengthCm: z.number().positive().max(1000).optional(),
        widthCm: z.number().positive().max(1000).optional(),
        heightCm: z.number().positive().max(1000).optional(),
        product: z.enum(PRODUCTS).optional(),
        declaredValue: z.number().positive().max(1_000_000).optional().describe('保价 amount, yuan'),
        pickup: z.object({ date: z.string().describe('YYYY-MM-DD, today to 7 days ahead'), slot: z.enum(PICKUP_SLOTS) }).optional(),
        note: z.string().max(500).optional(),
        restrictedAcknowledged: z.boolean().optional(),
      }),
      response: { 200: orderView, 201: orderView },
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const { order, replayed } = await draftOrder(ctx, requireActor(req), req.body, typeof key === 'string' ? key : undefined);
    return reply.code(replayed ? 200 : 201).header('location', `/api/v1/orders/${order.id}`).send(order);
  });

  r.get('/orders', {
    schema: {
      tags, summary: 'Orders, newest first',
      querystring: z.object({ status: z.enum(ORDER_STATUSES).optional(), customerId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(200).optional() }),
      response: { 200: z.object({ items: z.array(orderView) }) },
    },
  }, async (req) => ({ items: await listOrders(ctx, requireActor(req), { ...req.query, status: req.query.status ? [req.query.status] : undefined }) }));

  r.get('/orders/:id', { schema: { tags, summary: 'An order with its read-back', params, response: { 200: orderView } } }, async (req) => getOrder(ctx, requireActor(req), req.params.id));

  r.post('/orders/:id/confirm', {
    schema: {
      tags, summary: '确认 — the customer confirmed the read-back: allocate the waybill and request the pick-up', params,
      body: z.object({ customerConfirmed: z.boolean() }), response: { 200: orderView },
    },
  }, async (req) => confirmOrder(ctx, requireActor(req), req.params.id, req.body));

  r.post('/orders/:id/cancel', {
    schema: { tags, summary: '取消 — cancel an order before pick-up, with the reason', params, body: z.object({ reason: z.string().trim().min(2).max(500) }), response: { 200: orderView } },
  }, async (req) => cancelOrder(ctx, requireActor(req), req.params.id, req.body));

  r.get('/pickup-requests', {
    schema: {
      tags, summary: 'The operations system’s pick-up feed: confirmed orders not yet acknowledged, oldest first, with full contact data',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }),
      response: { 200: z.object({ items: z.array(orderView) }) },
    },
  }, async (req) => ({ items: await pendingPickups(ctx, requireActor(req), req.query.limit) }));

  r.post('/pickup-requests/:id/ack', {
    schema: { tags, summary: 'The operations system took the pick-up request (idempotent)', params, body: z.object({}).optional(), response: { 200: orderView } },
  }, async (req) => acknowledgePickup(ctx, requireActor(req), req.params.id));
}
