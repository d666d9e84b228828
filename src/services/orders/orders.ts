/**
 * Order intake (下单, X8; seed 000 三(一)): an agent takes an order for a customer. The draft is
 * checked (parties, item against the prohibited-items catalogue), quoted and estimated, and comes
 * back with the read-back the agent says aloud. When the customer confirms, the pick-up is
 * requested: a waybill number is allocated, the parcel appears in tracking as "created", and the
 * operations system collects the request from the pick-up feed. Personal data is stored
 * encrypted; presenters mask it.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { withTx, type Queryable, type Tx } from '../../db/database.ts';
import { checkParties, checkPickupDate, orderTransition, readBack, type OrderParty, type OrderStatus, type PickupSlot } from '../../domain/express/order-intake.ts';
import { PRODUCT_NAMES, type Product } from '../../domain/express/quote.ts';
import { findRegion } from '../../domain/express/regions.ts';
import type { ItemCheck } from '../../domain/express/item-check.ts';
import { maskAddress, maskName, maskPhone } from '../../domain/masking.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import type { PiiCrypto } from '../../platform/crypto.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { checkItemDescription, estimateDeliveryTime, quoteShipment } from '../express/express-tools.ts';
import { getSetting } from '../settings/settings.ts';
import { ingestShipments } from '../shipments/ingest-shipments.ts';
import { appendEvent, loadTicketFor, touchTicket } from '../tickets/ticket-row.ts';

export interface OrderInput {
  customerId?: string | undefined;
  ticketId?: string | undefined;
  sender: OrderParty;
  receiver: OrderParty;
  item: string;
  weightKg: number;
  lengthCm?: number | undefined;
  widthCm?: number | undefined;
  heightCm?: number | undefined;
  product?: Product | undefined;
  declaredValue?: number | undefined;
  pickup?: { date: string; slot: PickupSlot } | undefined;
  note?: string | undefined;
  /** The agent told the customer the conditions for a restricted item (e.g. a power bank's capacity). */
  restrictedAcknowledged?: boolean | undefined;
}

interface OrderRow {
  id: string;
  customer_id: string | null;
  ticket_id: string | null;
  status: OrderStatus;
  sender_name_enc: string;
  sender_phone_enc: string;
  sender_region: string;
  sender_address_enc: string;
  receiver_name_enc: string;
  receiver_phone_enc: string;
  receiver_region: string;
  receiver_address_enc: string;
  item: string;
  item_check: ItemCheck;
  weight_kg: string;
  length_cm: string | null;
  width_cm: string | null;
  height_cm: string | null;
  product: Product;
  declared_value: string | null;
  quote: Record<string, unknown> & { total: number; chargeableWeightKg: number; postage: number; insuranceFee: number; zone: string };
  estimate: { earliest: string; latest: string; sentence: string } | null;
  total: string;
  pickup_date: string | null;
  pickup_slot: PickupSlot | null;
  note: string;
  waybill: string | null;
  confirmed_at: Date | null;
  pickup_acknowledged_at: Date | null;
  picked_up_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  request_hash: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, customer_id, ticket_id, status, sender_name_enc, sender_phone_enc, sender_region, sender_address_enc,
  receiver_name_enc, receiver_phone_enc, receiver_region, receiver_address_enc, item, item_check, weight_kg, length_cm, width_cm, height_cm,
  product, declared_value, quote, estimate, total, to_char(pickup_date, 'YYYY-MM-DD') AS pickup_date, pickup_slot, note, waybill,
  confirmed_at, pickup_acknowledged_at, picked_up_at, cancelled_at, cancel_reason, request_hash, created_by, created_at, updated_at`;

export interface PartyView {
  name: string;
  phone: string;
  regionCode: string;
  address: string;
}

export interface OrderView {
  id: string;
  status: OrderStatus;
  customerId: string | null;
  ticketId: string | null;
  waybill: string | null;
  sender: PartyView;
  receiver: PartyView;
  masked: boolean;
  item: string;
  itemCheck: ItemCheck;
  weightKg: number;
  dimensionsCm: { length: number; width: number; height: number } | null;
  product: Product;
  declaredValue: number | null;
  quote: OrderRow['quote'];
  estimate: OrderRow['estimate'];
  total: number;
  pickup: { date: string; slot: PickupSlot } | null;
  note: string;
  /** What the agent reads back for the customer to confirm (seed 000 三(一)4). */
  readBack: { zh: string; lines: { label: string; value: string }[] };
  confirmedAt: string | null;
  pickupAcknowledgedAt: string | null;
  pickedUpAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  createdAt: string;
}

function parties(row: OrderRow, crypto: PiiCrypto): { sender: OrderParty; receiver: OrderParty } {
  return {
    sender: { name: crypto.decrypt(row.sender_name_enc), phone: crypto.decrypt(row.sender_phone_enc), regionCode: row.sender_region, address: crypto.decrypt(row.sender_address_enc) },
    receiver: { name: crypto.decrypt(row.receiver_name_enc), phone: crypto.decrypt(row.receiver_phone_enc), regionCode: row.receiver_region, address: crypto.decrypt(row.receiver_address_enc) },
  };
}

const maskParty = (p: OrderParty): PartyView => ({ name: maskName(p.name), phone: maskPhone(p.phone), regionCode: p.regionCode, address: maskAddress(p.address) });

/**
 * Full contact data for whoever took the order while it is being read back and for roles that may
 * see personal data (the operations system's pick-up feed); masked for everyone else.
 */
export function presentOrder(row: OrderRow, crypto: PiiCrypto, actor: Actor): OrderView {
  const p = parties(row, crypto);
  const clear = actor.role === 'integration' || (row.created_by === actor.userId && row.status === 'draft');
  const dims = row.length_cm && row.width_cm && row.height_cm ? { length: Number(row.length_cm), width: Number(row.width_cm), height: Number(row.height_cm) } : null;
  const pickup = row.pickup_date && row.pickup_slot ? { date: row.pickup_date, slot: row.pickup_slot } : null;
  return {
    id: row.id,
    status: row.status,
    customerId: row.customer_id,
    ticketId: row.ticket_id,
    waybill: row.waybill,
    sender: clear ? p.sender : maskParty(p.sender),
    receiver: clear ? p.receiver : maskParty(p.receiver),
    masked: !clear,
    item: row.item,
    itemCheck: row.item_check,
    weightKg: Number(row.weight_kg),
    dimensionsCm: dims,
    product: row.product,
    declaredValue: row.declared_value === null ? null : Number(row.declared_value),
    quote: row.quote,
    estimate: row.estimate,
    total: Number(row.total),
    pickup,
    note: row.note,
    readBack: readBack({
      ...p,
      item: row.item,
      chargeableWeightKg: row.quote.chargeableWeightKg,
      productNameZh: PRODUCT_NAMES[row.product].zh,
      total: Number(row.total),
      insured: row.declared_value !== null && Number(row.declared_value) > 0,
      declaredValue: row.declared_value === null ? null : Number(row.declared_value),
      pickup,
      estimateZh: row.estimate?.sentence ?? null,
    }),
    confirmedAt: row.confirmed_at?.toISOString() ?? null,
    pickupAcknowledgedAt: row.pickup_acknowledged_at?.toISOString() ?? null,
    pickedUpAt: row.picked_up_at?.toISOString() ?? null,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at.toISOString(),
  };
}

async function loadOrder(q: Queryable, id: string, lock = false): Promise<OrderRow> {
  const { rows } = await q.query<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!rows[0]) throw notFound('order', id);
  return rows[0];
}

/** Who may see an order: those who take orders, and the operations system. */
function assertOrderAccess(actor: Actor): void {
  if (!can(actor, 'order.create') && !can(actor, 'shipment.ingest')) throw forbidden('your role may not see orders');
}

/**
 * Checks, prices and stores a draft. A prohibited item is refused with the rule and reason; a
 * restricted one needs the agent to confirm the customer was told its conditions. With an
 * idempotency key a retry returns the first draft.
 */
export async function draftOrder(ctx: ServiceContext, actor: Actor, input: OrderInput, idempotencyKey?: string): Promise<{ order: OrderView; replayed: boolean }> {
  if (!can(actor, 'order.create')) throw forbidden('your role may not take orders');
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  if (idempotencyKey) {
    const prior = await ctx.db.pool.query<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE created_by = $1 AND idempotency_key = $2`, [actor.userId, idempotencyKey]);
    if (prior.rows[0]) {
      if (prior.rows[0].request_hash !== requestHash) throw new AppError('idempotency_mismatch', 'this Idempotency-Key was already used for a different order');
      return { order: presentOrder(prior.rows[0], ctx.crypto, actor), replayed: true };
    }
  }

  const checked = checkParties({ sender: input.sender, receiver: input.receiver });
  if (!checked.ok) throw new AppError('validation_failed', checked.errors.map((e) => e.message).join('; '), { fields: checked.errors.map((e) => e.field) });
  const now = ctx.now();
  const zones = await getSetting(ctx.db.pool, 'express.zones');
  if (input.pickup) {
    const today = DateTime.fromJSDate(now, { zone: zones.timeZone }).toISODate()!;
    const problem = checkPickupDate(input.pickup.date, today);
    if (problem) throw new AppError('validation_failed', problem);
  }
  const itemCheck = await checkItemDescription(ctx.db.pool, input.item);
  if (itemCheck.verdict === 'prohibited') {
    throw new AppError('validation_failed', `item: ${input.item} cannot be sent — ${itemCheck.nameZh ?? itemCheck.category}: ${itemCheck.reason}${itemCheck.rule ? `(${itemCheck.rule})` : ''}`, { field: 'item', itemCheck });
  }
  if (itemCheck.verdict === 'restricted' && input.restrictedAcknowledged !== true) {
    throw new AppError('validation_failed', `item: ${itemCheck.nameZh ?? itemCheck.category} is restricted — ${itemCheck.reason}; tell the customer the conditions and send restrictedAcknowledged: true`, { field: 'item', itemCheck });
  }
  const q = await quoteShipment(ctx.db.pool, {
    origin: checked.sender.regionCode,
    destination: checked.receiver.regionCode,
    weightKg: input.weightKg,
    lengthCm: input.lengthCm,
    widthCm: input.widthCm,
    heightCm: input.heightCm,
    product: input.product,
    declaredValue: input.declaredValue,
  });
  const shipDay = input.pickup ? DateTime.fromISO(input.pickup.date, { zone: zones.timeZone }).set({ hour: 12 }).toJSDate() : now;
  const e = await estimateDeliveryTime(ctx.db.pool, { origin: checked.sender.regionCode, destination: checked.receiver.regionCode, product: q.product, shippedAt: shipDay });

  if (input.customerId) {
    const c = await ctx.db.pool.query('SELECT 1 FROM customers WHERE id = $1', [input.customerId]);
    if (!c.rowCount) throw new AppError('validation_failed', `customerId ${input.customerId} does not exist`);
  }

  try {
    return await withTx(ctx.db, async (tx) => {
      if (input.ticketId) await loadTicketFor(tx, actor, input.ticketId, 'ticket.update', true);
      const enc = (v: string): string => ctx.crypto.encrypt(v);
      const { sender: s, receiver: r } = checked;
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO orders (customer_id, ticket_id, sender_name_enc, sender_phone_enc, sender_phone_hash, sender_region, sender_address_enc,
           receiver_name_enc, receiver_phone_enc, receiver_phone_hash, receiver_region, receiver_address_enc, item, item_check, weight_kg,
           length_cm, width_cm, height_cm, product, declared_value, quote, estimate, total, pickup_date, pickup_slot, note, restricted_ack,
           idempotency_key, request_hash, created_by, created_at, updated_at)
         VALUES ($1, (SELECT id FROM tickets WHERE id::text = $2 OR number = upper($2)), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $31)
         RETURNING id`,
        [
          input.customerId ?? null, input.ticketId ?? null,
          enc(s.name), enc(s.phone), ctx.crypto.lookupHash(s.phone), s.regionCode, enc(s.address),
          enc(r.name), enc(r.phone), ctx.crypto.lookupHash(r.phone), r.regionCode, enc(r.address),
          input.item.trim(), JSON.stringify(itemCheck), input.weightKg, input.lengthCm ?? null, input.widthCm ?? null, input.heightCm ?? null,
          q.product, input.declaredValue ?? null, JSON.stringify(q), JSON.stringify({ earliest: e.earliest, latest: e.latest, minDays: e.minDays, maxDays: e.maxDays, sentence: e.sentence }),
          q.total, input.pickup?.date ?? null, input.pickup?.slot ?? null, input.note ?? '', input.restrictedAcknowledged === true,
          idempotencyKey ?? null, requestHash, actor.userId, now,
        ],
      );
      const id = rows[0]!.id;
      const row = await loadOrder(tx, id);
      if (row.ticket_id) {
        await appendEvent(tx, row.ticket_id, { kind: 'order', actorId: actor.userId, body: `已为客户录入寄件订单(待确认):${row.item},${Number(row.total).toFixed(2)} 元`, data: { orderId: id, action: 'draft' } });
        await touchTicket(tx, row.ticket_id);
      }
      await recordAudit(tx, actor, { action: 'order.draft', entityType: 'order', entityId: id, data: { product: q.product, total: q.total, item: row.item, itemVerdict: itemCheck.verdict } });
      return { order: presentOrder(row, ctx.crypto, actor), replayed: false };
    });
  } catch (err) {
    const pgErr = err as { code?: string; constraint?: string };
    if (idempotencyKey && pgErr.code === '23505' && pgErr.constraint === 'orders_created_by_idempotency_key_key') return draftOrder(ctx, actor, input, idempotencyKey);
    throw err;
  }
}

export async function getOrder(ctx: ServiceContext, actor: Actor, id: string): Promise<OrderView> {
  assertOrderAccess(actor);
  return presentOrder(await loadOrder(ctx.db.pool, id), ctx.crypto, actor);
}

export async function listOrders(ctx: ServiceContext, actor: Actor, f: { status?: OrderStatus[] | undefined; customerId?: string | undefined; limit?: number | undefined }): Promise<OrderView[]> {
  assertOrderAccess(actor);
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown): string => `$${params.push(v)}`;
  if (f.status?.length) where.push(`status = ANY(${p(f.status)}::text[])`);
  if (f.customerId) where.push(`customer_id = ${p(f.customerId)}`);
  const { rows } = await ctx.db.pool.query<OrderRow>(
    `SELECT ${COLUMNS} FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ${Math.min(Math.max(f.limit ?? 50, 1), 200)}`,
    params,
  );
  return rows.map((r) => presentOrder(r, ctx.crypto, actor));
}

/**
 * The customer said 「对」 to the read-back: allocate the waybill, register the parcel as created
 * and request the pick-up. Confirming twice is a conflict, never a second waybill.
 */
export async function confirmOrder(ctx: ServiceContext, actor: Actor, id: string, input: { customerConfirmed: boolean }): Promise<OrderView> {
  if (!can(actor, 'order.create')) throw forbidden('your role may not take orders');
  if (input.customerConfirmed !== true) throw new AppError('validation_failed', 'customerConfirmed: read the order back and confirm only when the customer agrees');
  return withTx(ctx.db, async (tx) => {
    const row = await loadOrder(tx, id, true);
    const move = orderTransition(row.status, 'confirm');
    if (!move.ok) throw new AppError('invalid_transition', move.reason);
    const prefix = (await getSetting(tx, 'orders.waybill_prefix')).prefix;
    const waybill = await allocateWaybill(tx, prefix);
    const now = ctx.now();
    await tx.query('UPDATE orders SET status = $2, waybill = $3, confirmed_by = $4, confirmed_at = $5, updated_at = $5 WHERE id = $1', [id, move.value, waybill, actor.userId, now]);
    await registerShipment(tx, ctx.crypto, actor, row, waybill);
    if (row.ticket_id) {
      await tx.query('UPDATE tickets SET waybills = array_append(waybills, $2) WHERE id = $1 AND NOT ($2 = ANY(waybills))', [row.ticket_id, waybill]);
      await appendEvent(tx, row.ticket_id, { kind: 'order', actorId: actor.userId, body: `客户已确认寄件订单,运单号 ${waybill},已安排上门取件`, data: { orderId: id, action: 'confirm', waybill } });
      await touchTicket(tx, row.ticket_id);
    }
    await recordAudit(tx, actor, { action: 'order.confirm', entityType: 'order', entityId: id, data: { waybill } });
    return presentOrder(await loadOrder(tx, id), ctx.crypto, actor);
  });
}

export async function cancelOrder(ctx: ServiceContext, actor: Actor, id: string, input: { reason: string }): Promise<OrderView> {
  if (!can(actor, 'order.create')) throw forbidden('your role may not take orders');
  return withTx(ctx.db, async (tx) => {
    const row = await loadOrder(tx, id, true);
    const move = orderTransition(row.status, 'cancel');
    if (!move.ok) throw new AppError('invalid_transition', move.reason);
    const now = ctx.now();
    await tx.query('UPDATE orders SET status = $2, cancelled_by = $3, cancelled_at = $4, cancel_reason = $5, updated_at = $4 WHERE id = $1', [id, move.value, actor.userId, now, input.reason]);
    if (row.ticket_id) await appendEvent(tx, row.ticket_id, { kind: 'order', actorId: actor.userId, body: `寄件订单已取消:${input.reason}`, data: { orderId: id, action: 'cancel' } });
    await recordAudit(tx, actor, { action: 'order.cancel', entityType: 'order', entityId: id, data: { reason: input.reason, waybill: row.waybill } });
    return presentOrder(await loadOrder(tx, id), ctx.crypto, actor);
  });
}

/** The operations system's pick-up feed: confirmed orders it has not acknowledged, oldest first, in clear. */
export async function pendingPickups(ctx: ServiceContext, actor: Actor, limit = 100): Promise<OrderView[]> {
  if (!can(actor, 'shipment.ingest')) throw forbidden('the pick-up feed is for the operations system');
  const { rows } = await ctx.db.pool.query<OrderRow>(
    `SELECT ${COLUMNS} FROM orders WHERE status = 'confirmed' AND pickup_acknowledged_at IS NULL ORDER BY confirmed_at, id LIMIT $1`,
    [Math.min(Math.max(limit, 1), 500)],
  );
  if (rows.length) await withTx(ctx.db, (tx) => recordAudit(tx, actor, { action: 'order.pickup_feed', entityType: 'order', entityId: null, data: { orderIds: rows.map((r) => r.id) } }));
  return rows.map((r) => presentOrder(r, ctx.crypto, actor));
}

export async function acknowledgePickup(ctx: ServiceContext, actor: Actor, id: string): Promise<OrderView> {
  if (!can(actor, 'shipment.ingest')) throw forbidden('the pick-up feed is for the operations system');
  return withTx(ctx.db, async (tx) => {
    const row = await loadOrder(tx, id, true);
    if (row.status !== 'confirmed' && row.status !== 'picked_up') throw new AppError('invalid_transition', `a ${row.status} order has no pick-up to acknowledge`);
    // A repeated acknowledgement keeps the first time.
    if (!row.pickup_acknowledged_at) {
      await tx.query('UPDATE orders SET pickup_acknowledged_at = $2, updated_at = $2 WHERE id = $1', [id, ctx.now()]);
      await recordAudit(tx, actor, { action: 'order.pickup_acknowledged', entityType: 'order', entityId: id, data: { waybill: row.waybill } });
    }
    return presentOrder(await loadOrder(tx, id), ctx.crypto, actor);
  });
}

/** Hook for shipment ingestion: the first scan of an ordered waybill means the courier picked it up. */
export async function markOrdersPickedUp(tx: Queryable, waybills: string[], at: Date): Promise<number> {
  if (waybills.length === 0) return 0;
  const { rowCount } = await tx.query(`UPDATE orders SET status = 'picked_up', picked_up_at = $2, updated_at = $2 WHERE waybill = ANY($1::text[]) AND status = 'confirmed'`, [waybills, at]);
  return rowCount ?? 0;
}

/**
 * The next number of the sequence that no parcel carries yet: the operations system may already
 * use numbers of the same shape, and a confirmed order must never take over someone's parcel.
 */
async function allocateWaybill(tx: Tx, prefix: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { rows } = await tx.query<{ waybill: string; taken: boolean }>(
      `SELECT w AS waybill, EXISTS (SELECT 1 FROM shipments WHERE waybill = w) AS taken
         FROM (SELECT $1 || lpad(nextval('order_waybill_seq')::text, 12, '0') AS w) n`,
      [prefix],
    );
    if (!rows[0]!.taken) return rows[0]!.waybill;
  }
  throw new AppError('conflict', `could not find a free ${prefix} waybill number in 100 tries; change the waybill prefix setting (orders.waybill_prefix)`);
}

/**
 * The confirmed order becomes a parcel in tracking (status "created") at once, so a customer who
 * calls back before the courier arrives is answered; the operations system's later record for
 * the waybill updates it.
 */
async function registerShipment(tx: Tx, crypto: PiiCrypto, actor: Actor, row: OrderRow, waybill: string): Promise<void> {
  const p = parties(row, crypto);
  const party = (x: OrderParty) => ({ name: x.name, phone: x.phone, address: `${findRegion(x.regionCode)?.fullName ?? ''}${x.address}` });
  const declared = row.declared_value === null ? null : Number(row.declared_value);
  await ingestShipments(tx, crypto, actor, [{
    waybill,
    sender: party(p.sender),
    receiver: party(p.receiver),
    origin: row.sender_region,
    destination: row.receiver_region,
    product: row.product,
    weightKg: Number(row.weight_kg),
    lengthCm: row.length_cm === null ? null : Number(row.length_cm),
    widthCm: row.width_cm === null ? null : Number(row.width_cm),
    heightCm: row.height_cm === null ? null : Number(row.height_cm),
    declaredValue: declared,
    insured: declared !== null && declared > 0,
    postage: row.quote.postage,
    itemDescription: row.item,
    // The latest day of the estimate, end of the working day in China.
    promisedAt: row.estimate ? `${row.estimate.latest}T18:00:00+08:00` : null,
  }]);
}
