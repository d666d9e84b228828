/**
 * Shipments and tracking (X1, X2): ingestion from the operations system (API keys with
 * shipment.ingest), lookup for agents and customers, and the raw status-code mapping.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withTx } from '../../../db/database.ts';
import { SHIPMENT_STATUSES } from '../../../domain/express/tracking.ts';
import { can, type Actor } from '../../../domain/policy.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { ingestEvents, MAX_EVENTS_PER_BATCH } from '../../../services/shipments/ingest-events.ts';
import { ingestShipments, MAX_SHIPMENTS_PER_BATCH, SHIPMENT_PRODUCTS } from '../../../services/shipments/ingest-shipments.ts';
import { findShipmentsByPhone, getShipment, listCustomerShipments, listOwnShipments, revealShipmentField } from '../../../services/shipments/lookup-shipments.ts';
import { listStatusCodes, mapStatusCode } from '../../../services/shipments/status-codes.ts';
import { requireActor } from '../../auth.ts';
import { AppError, forbidden } from '../../errors.ts';

const region = z.string().regex(/^[1-9]\d{5}$/, 'a 6-digit administrative division code (GB/T 2260), e.g. 110105');
const party = z.object({ name: z.string().trim().min(1).max(100), phone: z.string().min(3).max(32), address: z.string().trim().min(1).max(300) });
const dateTime = z.iso.datetime({ offset: true });

const shipmentBody = z.object({
  waybill: z.string().min(1).max(40).describe('upper-cased, then checked against the shipments.waybill_format setting'),
  sender: party,
  receiver: party,
  origin: region,
  destination: region,
  product: z.enum(SHIPMENT_PRODUCTS).optional(),
  weightKg: z.number().min(0).max(100_000).nullable().optional(),
  lengthCm: z.number().positive().max(10_000).nullable().optional(),
  widthCm: z.number().positive().max(10_000).nullable().optional(),
  heightCm: z.number().positive().max(10_000).nullable().optional(),
  declaredValue: z.number().min(0).max(1e9).nullable().optional().describe('yuan'),
  insured: z.boolean().optional(),
  postage: z.number().min(0).max(1e7).nullable().optional().describe('yuan'),
  flags: z.array(z.string().regex(/^[a-z][a-z_]{0,29}$/, 'lower-case code such as cold_chain, fresh, medical, fragile')).max(10).optional(),
  itemDescription: z.string().max(500).nullable().optional(),
  shippedAt: dateTime.nullable().optional(),
  promisedAt: dateTime.nullable().optional().describe('the delivery time the operations system promised'),
});

const facilityType = z.enum(['outlet', 'sorting_centre', 'station', 'locker', 'vehicle', 'other']);
const eventFields = {
  eventId: z.string().min(1).max(100).describe('unique per source; a replayed event id is a duplicate and changes nothing'),
  occurredAt: dateTime,
  code: z.string().min(1).max(40).describe("the operations system's raw status code"),
  text: z.string().max(500).nullable().optional(),
  location: z.string().max(200).nullable().optional(),
  facility: z.string().max(200).nullable().optional().describe('outlet 网点, sorting centre 分拣中心, 驿站 or locker name'),
  facilityType: facilityType.nullable().optional(),
  courier: z.string().max(100).nullable().optional(),
  pickupCode: z.string().max(40).nullable().optional(),
};
const waybillEvent = z.object({ ...eventFields, waybill: z.string().min(1).max(40).optional() });
const batchEvent = z.object({ ...eventFields, waybill: z.string().min(1).max(40) });
const SOURCE_RE = /^[a-z0-9][a-z0-9_.-]{0,39}$/;
const sourceQuery = z.object({ source: z.string().regex(SOURCE_RE).default('ops').describe('which feed the event ids belong to (default ops)') });

const statusEnum = z.enum(SHIPMENT_STATUSES);
const label = z.object({ zh: z.string(), en: z.string() });
const delayView = z.object({ state: z.enum(['no_promise', 'on_time', 'delayed', 'may_be_lost']), overdueMinutes: z.number(), lostAfter: z.string().nullable() });
const partyView = z.object({ name: z.string(), phone: z.string(), address: z.string() });
const eventView = z.object({
  occurredAt: z.string(),
  status: statusEnum,
  statusLabel: label,
  location: z.string().nullable(),
  facility: z.string().nullable(),
  facilityType: facilityType.nullable(),
  courier: z.string().nullable(),
  pickupCode: z.string().nullable(),
  text: z.string().nullable(),
  code: z.string().optional(),
  eventId: z.string().optional(),
  source: z.string().optional(),
  receivedAt: z.string().optional(),
});
const shipmentView = z.object({
  waybill: z.string(),
  status: statusEnum,
  statusLabel: label,
  lastEventAt: z.string().nullable(),
  lastLocation: z.string().nullable(),
  lastFacility: z.string().nullable(),
  expectedDelivery: z.string().nullable(),
  delay: delayView,
  sentence: label.describe('what the agent reads to the customer'),
  origin: z.string(),
  destination: z.string(),
  sameCity: z.boolean(),
  product: z.string(),
  weightKg: z.number().nullable(),
  lengthCm: z.number().nullable(),
  widthCm: z.number().nullable(),
  heightCm: z.number().nullable(),
  declaredValue: z.number().nullable(),
  insured: z.boolean(),
  postage: z.number().nullable(),
  flags: z.array(z.string()),
  itemDescription: z.string().nullable(),
  shippedAt: z.string().nullable(),
  promisedAt: z.string().nullable(),
  sender: partyView,
  receiver: partyView,
  masked: z.boolean(),
  events: z.array(eventView).describe('newest first'),
  exceptions: z.array(eventView),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const summaryView = z.object({
  waybill: z.string(),
  status: statusEnum,
  statusLabel: label,
  lastEventAt: z.string().nullable(),
  lastLocation: z.string().nullable(),
  lastFacility: z.string().nullable(),
  promisedAt: z.string().nullable(),
  delay: delayView,
  origin: z.string(),
  destination: z.string(),
  product: z.string(),
  matchedAs: z.array(z.enum(['sender', 'receiver'])),
  senderName: z.string(),
  receiverName: z.string(),
  createdAt: z.string(),
});
const ingestEventsResult = z.object({ received: z.number(), inserted: z.number(), duplicates: z.number(), unmappedCodes: z.array(z.string()), shipmentsUpdated: z.number() });
const statusCodeView = z.object({ code: z.string(), status: statusEnum, mapped: z.boolean(), descriptionZh: z.string().nullable(), descriptionEn: z.string().nullable(), updatedAt: z.string() });

/** Look-ups with phoneLast4 a customer may make per 10 minutes (per server process). */
export const LAST4_ATTEMPTS = 20;

/** 5 000 events of a few hundred bytes each do not fit the default 1 MiB. */
const BATCH_BODY_LIMIT = 8 * 1024 * 1024;

function mustIngest(actor: Actor): void {
  if (!can(actor, 'shipment.ingest')) throw forbidden('only the operations system (an integration API key) and admins feed in shipments');
}

/**
 * "One or a batch" bodies are a union, whose own error says only "Invalid input"; validation
 * errors are attached instead and re-checked against the branch the body is meant for, so the
 * 400 names the field that is wrong.
 */
function oneOrMany<T extends z.ZodType>(req: FastifyRequest, item: T, max: number, what: string): z.infer<T>[] {
  const body: unknown = req.body;
  const many = Array.isArray(body);
  const parsed = many ? z.array(item).min(1).max(max).safeParse(body) : item.safeParse(body);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `body${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`).join('; ');
    throw new AppError('validation_failed', many && Array.isArray(body) && body.length > max ? `at most ${max} ${what} per request, got ${body.length}` : message);
  }
  return (many ? parsed.data : [parsed.data]) as z.infer<T>[];
}

export async function shipmentRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['shipments'];
  const waybillParams = z.object({ waybill: z.string().min(1).max(40) });
  const last4Limiter = app.createRateLimit({ max: LAST4_ATTEMPTS, timeWindow: '10 minutes', keyGenerator: (req) => `shipment-last4:${req.actor?.userId ?? req.ip}` });

  r.post('/shipments', {
    attachValidation: true,
    bodyLimit: BATCH_BODY_LIMIT,
    schema: {
      tags,
      summary: `Shipments from the operations system: one object or an array of up to ${MAX_SHIPMENTS_PER_BATCH}, upserted by waybill (shipment.ingest)`,
      body: z.union([shipmentBody, z.array(shipmentBody).min(1).max(MAX_SHIPMENTS_PER_BATCH)]),
      response: { 200: z.object({ received: z.number(), created: z.number(), updated: z.number(), waybills: z.array(z.string()) }) },
    },
  }, async (req) => {
    const actor = requireActor(req);
    mustIngest(actor);
    const items = oneOrMany(req, shipmentBody, MAX_SHIPMENTS_PER_BATCH, 'shipments');
    return withTx(ctx.db, (tx) => ingestShipments(tx, ctx.crypto, actor, items));
  });

  r.post('/shipments/:waybill/events', {
    attachValidation: true,
    bodyLimit: BATCH_BODY_LIMIT,
    schema: {
      tags,
      summary: `Tracking events for one parcel: one object or an array of up to ${MAX_EVENTS_PER_BATCH}; idempotent by event id (shipment.ingest)`,
      params: waybillParams,
      querystring: sourceQuery,
      body: z.union([waybillEvent, z.array(waybillEvent).min(1).max(MAX_EVENTS_PER_BATCH)]),
      response: { 200: ingestEventsResult },
    },
  }, async (req) => {
    const actor = requireActor(req);
    mustIngest(actor);
    const items = oneOrMany(req, waybillEvent, MAX_EVENTS_PER_BATCH, 'events');
    const path = req.params.waybill.trim().toUpperCase();
    const events = items.map((e, i) => {
      if (e.waybill !== undefined && e.waybill.trim().toUpperCase() !== path) throw new AppError('validation_failed', `events[${i}].waybill ${e.waybill} differs from the waybill in the path (${req.params.waybill})`);
      return { ...e, waybill: req.params.waybill };
    });
    // With attachValidation the query string is re-checked here too.
    const source = typeof req.query.source === 'string' ? req.query.source : 'ops';
    if (!SOURCE_RE.test(source)) throw new AppError('validation_failed', 'querystring.source: lower-case letters, digits, _ . - (at most 40)');
    return withTx(ctx.db, (tx) => ingestEvents(tx, actor, ctx.now(), source, events));
  });

  r.post('/shipment-events', {
    bodyLimit: BATCH_BODY_LIMIT,
    schema: {
      tags,
      summary: `Tracking events across parcels, up to ${MAX_EVENTS_PER_BATCH} per request; idempotent by event id (shipment.ingest)`,
      querystring: sourceQuery,
      body: z.object({ events: z.array(batchEvent).min(1).max(MAX_EVENTS_PER_BATCH) }),
      response: { 200: ingestEventsResult },
    },
  }, async (req) => {
    const actor = requireActor(req);
    mustIngest(actor);
    return withTx(ctx.db, (tx) => ingestEvents(tx, actor, ctx.now(), req.query.source, req.body.events));
  });

  r.get('/shipments/:waybill', {
    schema: {
      tags,
      summary: 'A parcel: timeline, current status, last place, expected delivery, delay state and the sentence to read to the customer. Customers: their own parcels, or any with phoneLast4',
      params: waybillParams,
      querystring: z.object({ phoneLast4: z.string().regex(/^\d{4}$/, 'exactly four digits').optional() }),
      response: { 200: shipmentView },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (actor.role === 'customer' && req.query.phoneLast4 !== undefined) {
      // Four digits are 10 000 guesses: a customer gets a few tries per parcel-hunting session, not a scan.
      const r = await last4Limiter(req);
      if (!r.isAllowed && r.isExceeded) throw new AppError('rate_limited', `too many look-ups with phone digits; retry in ${r.ttlInSeconds} s`);
    }
    return getShipment(ctx.db.pool, ctx.crypto, actor, req.params.waybill, ctx.now(), { phoneLast4: req.query.phoneLast4 });
  });

  r.post('/shipments/:waybill/reveal', {
    schema: {
      tags,
      summary: "Reveal one field of the sender's or receiver's personal data in full; who, when, which field and why are audited (P1)",
      params: waybillParams,
      body: z.object({ party: z.enum(['sender', 'receiver']), field: z.enum(['name', 'phone', 'address']), reason: z.string().min(4).max(500) }),
      response: { 200: z.object({ party: z.string(), field: z.string(), value: z.string() }) },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const value = await withTx(ctx.db, (tx) => revealShipmentField(tx, ctx.crypto, actor, req.params.waybill, req.body.party, req.body.field, req.body.reason));
    return { party: req.body.party, field: req.body.field, value };
  });

  r.get('/shipments', {
    schema: {
      tags,
      summary: "Parcels by a sender's or receiver's phone (staff), or the caller's own parcels (customers: mine=true); newest first",
      querystring: z.object({
        phone: z.string().min(3).max(32).optional(),
        mine: z.enum(['true', 'false']).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
      }),
      response: { 200: z.object({ items: z.array(summaryView) }) },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const { phone, mine, limit } = req.query;
    if (mine === 'true') {
      if (phone !== undefined) throw new AppError('validation_failed', 'give either phone or mine=true, not both');
      return { items: await listOwnShipments(ctx.db.pool, ctx.crypto, actor, limit, ctx.now()) };
    }
    if (phone === undefined) throw new AppError('validation_failed', actor.role === 'customer' ? 'use mine=true for your own parcels' : 'give phone (a sender or receiver phone number)');
    return { items: await findShipmentsByPhone(ctx.db.pool, ctx.crypto, actor, phone, limit, ctx.now()) };
  });

  r.get('/customers/:id/shipments', {
    schema: {
      tags,
      summary: "A customer's parcels for staff (sender or receiver phone is the customer's), newest first, masked",
      params: z.object({ id: z.uuid() }),
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
      response: { 200: z.object({ items: z.array(summaryView) }) },
    },
  }, async (req) => {
    const actor = requireActor(req);
    return { items: await listCustomerShipments(ctx.db.pool, ctx.crypto, actor, req.params.id, req.query.limit, ctx.now()) };
  });

  r.get('/shipment-status-codes', {
    schema: { tags, summary: 'Raw status codes and their normalised status; unmapped codes (seen in events, counted as exception) first', response: { 200: z.object({ items: z.array(statusCodeView) }) } },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'shipment.manage') && !can(actor, 'shipment.ingest')) throw forbidden();
    return { items: await listStatusCodes(ctx.db.pool) };
  });

  r.put('/shipment-status-codes/:code', {
    schema: {
      tags,
      summary: 'Map a raw status code to a normalised status; stored events with that code are re-normalised (shipment.manage)',
      params: z.object({ code: z.string().min(1).max(40) }),
      body: z.object({ status: statusEnum, descriptionZh: z.string().max(200).nullable().optional(), descriptionEn: z.string().max(200).nullable().optional() }),
      response: { 200: z.object({ code: statusCodeView, eventsUpdated: z.number(), shipmentsUpdated: z.number() }) },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'shipment.manage')) throw forbidden('only supervisors and admins map status codes');
    return withTx(ctx.db, (tx) => mapStatusCode(tx, actor, req.params.code.trim(), req.body));
  });
}
