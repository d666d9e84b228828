/**
 * Tracking lookup (X2): by waybill, by a sender's or receiver's phone (keyed hash), and a
 * customer's own parcels. Customers see a parcel only when their phone is on it or they give the
 * last four digits of the sender's or receiver's phone; otherwise it "does not exist" to them.
 * The presenters here are the one place shipment personal data is shaped for a viewer.
 */
import type { Queryable } from '../../db/database.ts';
import {
  assessDelay,
  currentEvent,
  EXCEPTION_STATUSES,
  sameCity,
  sortEvents,
  STATUS_LABELS,
  trackingSentence,
  type DelayAssessment,
  type FacilityType,
  type LostThresholds,
  type Sentence,
  type ShipmentStatus,
  type TrackingEvent,
} from '../../domain/express/tracking.ts';
import { maskAddress, maskName, maskPhone, normalizePhone } from '../../domain/masking.ts';
import { can, mayRevealPii, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import type { PiiCrypto } from '../../platform/crypto.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { recentSetting, waybillNormaliser } from './shipment-state.ts';

export interface ShipmentRow {
  waybill: string;
  sender_name_enc: string;
  sender_phone_enc: string;
  sender_phone_hash: string;
  sender_phone_last4: string;
  sender_address_enc: string;
  receiver_name_enc: string;
  receiver_phone_enc: string;
  receiver_phone_hash: string;
  receiver_phone_last4: string;
  receiver_address_enc: string;
  origin_region: string;
  destination_region: string;
  product: string;
  weight_kg: number | null;
  length_cm: number | null;
  width_cm: number | null;
  height_cm: number | null;
  declared_value: number | null;
  insured: boolean;
  postage: number | null;
  flags: string[];
  item_description: string | null;
  shipped_at: Date | null;
  promised_at: Date | null;
  status: ShipmentStatus;
  last_event_at: Date | null;
  last_location: string | null;
  last_facility: string | null;
  created_at: Date;
  updated_at: Date;
}

interface EventRow {
  id: number;
  source: string;
  event_id: string;
  occurred_at: Date;
  location: string | null;
  facility: string | null;
  facility_type: FacilityType | null;
  courier: string | null;
  pickup_code: string | null;
  raw_code: string;
  raw_text: string | null;
  status: ShipmentStatus;
  received_at: Date;
}

type JsonEvent = Omit<EventRow, 'occurred_at' | 'received_at'> & { occurred_at: string; received_at: string };

export interface PartyView {
  name: string;
  phone: string;
  address: string;
}

export interface EventView {
  occurredAt: string;
  status: ShipmentStatus;
  statusLabel: { zh: string; en: string };
  location: string | null;
  facility: string | null;
  facilityType: FacilityType | null;
  courier: string | null;
  pickupCode: string | null;
  text: string | null;
  /** Staff and integrations only: the operations system's identifiers. */
  code?: string;
  eventId?: string;
  source?: string;
  receivedAt?: string;
}

export interface DelayView {
  state: DelayAssessment['state'];
  overdueMinutes: number;
  lostAfter: string | null;
}

export interface ShipmentDetail {
  waybill: string;
  status: ShipmentStatus;
  statusLabel: { zh: string; en: string };
  lastEventAt: string | null;
  lastLocation: string | null;
  lastFacility: string | null;
  expectedDelivery: string | null;
  delay: DelayView;
  sentence: Sentence;
  origin: string;
  destination: string;
  sameCity: boolean;
  product: string;
  weightKg: number | null;
  lengthCm: number | null;
  widthCm: number | null;
  heightCm: number | null;
  declaredValue: number | null;
  insured: boolean;
  postage: number | null;
  flags: string[];
  itemDescription: string | null;
  shippedAt: string | null;
  promisedAt: string | null;
  sender: PartyView;
  receiver: PartyView;
  masked: boolean;
  /** Newest first. */
  events: EventView[];
  /** Failed deliveries, exceptions, returns and losses on the timeline, newest first. */
  exceptions: EventView[];
  createdAt: string;
  updatedAt: string;
}

export interface ShipmentSummary {
  waybill: string;
  status: ShipmentStatus;
  statusLabel: { zh: string; en: string };
  lastEventAt: string | null;
  lastLocation: string | null;
  lastFacility: string | null;
  promisedAt: string | null;
  delay: DelayView;
  origin: string;
  destination: string;
  product: string;
  /** Which side of the parcel the phone searched for is on. */
  matchedAs: ('sender' | 'receiver')[];
  senderName: string;
  receiverName: string;
  createdAt: string;
}

const MAX_TIMELINE = 500;
// Explicit columns: the response does not change shape when a later migration adds one.
const SHIPMENT_COLUMNS = `waybill, sender_name_enc, sender_phone_enc, sender_phone_hash, sender_phone_last4, sender_address_enc,
  receiver_name_enc, receiver_phone_enc, receiver_phone_hash, receiver_phone_last4, receiver_address_enc, origin_region, destination_region,
  product, weight_kg, length_cm, width_cm, height_cm, declared_value, insured, postage, flags, item_description, shipped_at, promised_at,
  status, last_event_at, last_location, last_facility, created_at, updated_at`;
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Integrations (the operations system that sent the data) see it in clear; people see it masked — revealing is a separate, audited act. */
function seesClear(viewer: Actor): boolean {
  return viewer.role === 'integration';
}

function party(row: ShipmentRow, side: 'sender' | 'receiver', crypto: PiiCrypto, clear: boolean): PartyView {
  const name = crypto.decrypt(side === 'sender' ? row.sender_name_enc : row.receiver_name_enc);
  const phone = crypto.decrypt(side === 'sender' ? row.sender_phone_enc : row.receiver_phone_enc);
  const address = crypto.decrypt(side === 'sender' ? row.sender_address_enc : row.receiver_address_enc);
  return clear ? { name, phone, address } : { name: maskName(name), phone: maskPhone(phone), address: maskAddress(address) };
}

function delayView(d: DelayAssessment): DelayView {
  return { state: d.state, overdueMinutes: d.overdueMinutes, lostAfter: iso(d.lostAfter) };
}

function toTracking(e: EventRow): TrackingEvent {
  return {
    occurredAt: e.occurred_at,
    status: e.status,
    location: e.location,
    facility: e.facility,
    facilityType: e.facility_type,
    courier: e.courier,
    pickupCode: e.pickup_code,
    rawText: e.raw_text,
    seq: Number(e.id),
  };
}

export function presentShipment(row: ShipmentRow, eventRows: EventRow[], crypto: PiiCrypto, viewer: Actor, now: Date, thresholds: LostThresholds): ShipmentDetail {
  const staff = viewer.role !== 'customer';
  const clear = seesClear(viewer);
  const byId = new Map(eventRows.map((e) => [Number(e.id), e]));
  const timeline = sortEvents(eventRows.map(toTracking)).reverse();
  const last = currentEvent(timeline);
  const status: ShipmentStatus = last?.status ?? 'created';
  const promisedAt = row.promised_at;
  const delay = assessDelay({ status, promisedAt, statusAt: last?.occurredAt ?? null, origin: row.origin_region, destination: row.destination_region }, now, thresholds);
  const eventView = (t: TrackingEvent): EventView => {
    const e = byId.get(t.seq)!;
    const v: EventView = {
      occurredAt: e.occurred_at.toISOString(),
      status: e.status,
      statusLabel: STATUS_LABELS[e.status],
      location: e.location,
      facility: e.facility,
      facilityType: e.facility_type,
      courier: e.courier,
      pickupCode: e.pickup_code,
      text: e.raw_text,
    };
    if (staff) Object.assign(v, { code: e.raw_code, eventId: e.event_id, source: e.source, receivedAt: e.received_at.toISOString() });
    return v;
  };
  const events = timeline.map(eventView);
  const final = status === 'delivered' || status === 'returned' || status === 'lost';
  return {
    waybill: row.waybill,
    status,
    statusLabel: STATUS_LABELS[status],
    lastEventAt: iso(last?.occurredAt ?? null),
    lastLocation: last?.location ?? null,
    lastFacility: last?.facility ?? null,
    expectedDelivery: final ? null : iso(promisedAt),
    delay: delayView(delay),
    sentence: trackingSentence({ status, last, promisedAt, delay }, now),
    origin: row.origin_region,
    destination: row.destination_region,
    sameCity: sameCity(row.origin_region, row.destination_region),
    product: row.product,
    weightKg: row.weight_kg,
    lengthCm: row.length_cm,
    widthCm: row.width_cm,
    heightCm: row.height_cm,
    declaredValue: row.declared_value,
    insured: row.insured,
    postage: row.postage,
    flags: row.flags,
    itemDescription: row.item_description,
    shippedAt: iso(row.shipped_at),
    promisedAt: iso(promisedAt),
    sender: party(row, 'sender', crypto, clear),
    receiver: party(row, 'receiver', crypto, clear),
    masked: !clear,
    events,
    exceptions: events.filter((e) => EXCEPTION_STATUSES.includes(e.status)),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

async function customerPhoneHash(q: Queryable, actor: Actor): Promise<string | null> {
  if (!actor.customerId) return null;
  const { rows } = await q.query<{ phone_hash: string | null }>('SELECT phone_hash FROM customers WHERE id = $1', [actor.customerId]);
  return rows[0]?.phone_hash ?? null;
}

async function lostThresholds(q: Queryable): Promise<LostThresholds> {
  return recentSetting(q, 'shipments.lost_after_days');
}

export interface LookupOptions {
  /** A customer's proof for a parcel that is not theirs by phone: the last four digits of the sender's or receiver's phone. */
  phoneLast4?: string | undefined;
}

/** One parcel with its timeline, delay state and the agent's sentence. */
export async function getShipment(q: Queryable, crypto: PiiCrypto, actor: Actor, rawWaybill: string, now: Date, opts: LookupOptions = {}): Promise<ShipmentDetail> {
  const waybill = (await waybillNormaliser(q))(rawWaybill);
  const isCustomer = actor.role === 'customer';
  if (!can(actor, 'shipment.read')) {
    // A customer not linked to a customer record has no parcels; the parcel "does not exist" to them.
    if (isCustomer) throw notFound('shipment', waybill);
    throw forbidden('your role may not look up shipments');
  }
  if (opts.phoneLast4 !== undefined && !/^\d{4}$/.test(opts.phoneLast4)) throw new AppError('validation_failed', 'phoneLast4 must be exactly four digits');
  // One round trip: the parcel, its timeline (as JSON) and, for a customer, the phone hash of their record.
  // Not a named prepared statement: the embedded database serves every connection from one
  // session, where a statement name prepared by one pool client collides with the next.
  const { rows } = await q.query<ShipmentRow & { viewer_phone_hash: string | null; timeline: JsonEvent[] }>({
    text: `SELECT ${SHIPMENT_COLUMNS.split(', ').map((c) => `s.${c.trim()}`).join(', ')}, (SELECT phone_hash FROM customers WHERE id = $2) AS viewer_phone_hash,
            COALESCE((SELECT json_agg(e ORDER BY e.occurred_at DESC, e.id DESC) FROM (
              SELECT id, source, event_id, occurred_at, location, facility, facility_type, courier, pickup_code, raw_code, raw_text, status, received_at
                FROM shipment_events WHERE waybill = s.waybill ORDER BY occurred_at DESC, id DESC LIMIT ${MAX_TIMELINE}) e), '[]'::json) AS timeline
       FROM shipments s WHERE s.waybill = $1`,
    values: [waybill, isCustomer ? actor.customerId : null],
  });
  const row = rows[0];
  if (!row) throw notFound('shipment', waybill);
  if (isCustomer) {
    const own = row.viewer_phone_hash;
    const mine = own !== null && (row.sender_phone_hash === own || row.receiver_phone_hash === own);
    const proved = opts.phoneLast4 !== undefined && (row.sender_phone_last4 === opts.phoneLast4 || row.receiver_phone_last4 === opts.phoneLast4);
    // Same answer as a waybill that does not exist: a customer learns nothing about other people's parcels.
    if (!mine && !proved) throw notFound('shipment', waybill);
  }
  const events: EventRow[] = row.timeline.map((e) => ({ ...e, occurred_at: new Date(e.occurred_at), received_at: new Date(e.received_at) }));
  return presentShipment(row, events, crypto, actor, now, await lostThresholds(q));
}

const SUMMARY_COLUMNS = `waybill, sender_name_enc, receiver_name_enc, sender_phone_hash, receiver_phone_hash, origin_region, destination_region, product,
  status, last_event_at, last_location, last_facility, promised_at, created_at`;

type SummaryRow = Pick<ShipmentRow, 'waybill' | 'sender_name_enc' | 'receiver_name_enc' | 'sender_phone_hash' | 'receiver_phone_hash' | 'origin_region' | 'destination_region' | 'product' | 'status' | 'last_event_at' | 'last_location' | 'last_facility' | 'promised_at' | 'created_at'>;

async function listByPhoneHash(q: Queryable, crypto: PiiCrypto, hash: string, limit: number, now: Date): Promise<ShipmentSummary[]> {
  // One index scan per side (newest first), merged: no OR across two indexes.
  const { rows } = await q.query<SummaryRow>({
    text: `SELECT * FROM (
       (SELECT ${SUMMARY_COLUMNS} FROM shipments WHERE sender_phone_hash = $1 ORDER BY created_at DESC LIMIT $2)
       UNION
       (SELECT ${SUMMARY_COLUMNS} FROM shipments WHERE receiver_phone_hash = $1 ORDER BY created_at DESC LIMIT $2)
     ) x ORDER BY created_at DESC, waybill LIMIT $2`,
    values: [hash, limit],
  });
  const thresholds = await lostThresholds(q);
  return rows.map((r) => {
    const delay = assessDelay({ status: r.status, promisedAt: r.promised_at, statusAt: r.last_event_at, origin: r.origin_region, destination: r.destination_region }, now, thresholds);
    const matchedAs: ('sender' | 'receiver')[] = [];
    if (r.sender_phone_hash === hash) matchedAs.push('sender');
    if (r.receiver_phone_hash === hash) matchedAs.push('receiver');
    return {
      waybill: r.waybill,
      status: r.status,
      statusLabel: STATUS_LABELS[r.status],
      lastEventAt: iso(r.last_event_at),
      lastLocation: r.last_location,
      lastFacility: r.last_facility,
      promisedAt: iso(r.promised_at),
      delay: delayView(delay),
      origin: r.origin_region,
      destination: r.destination_region,
      product: r.product,
      matchedAs,
      senderName: maskName(crypto.decrypt(r.sender_name_enc)),
      receiverName: maskName(crypto.decrypt(r.receiver_name_enc)),
      createdAt: r.created_at.toISOString(),
    };
  });
}

/** Staff: parcels where this phone is the sender's or the receiver's, newest first. */
export async function findShipmentsByPhone(q: Queryable, crypto: PiiCrypto, actor: Actor, rawPhone: string, limit: number, now: Date): Promise<ShipmentSummary[]> {
  if (actor.role === 'customer') throw forbidden('customers look up their own parcels (mine=true) or a waybill with the last four digits of the phone');
  if (!can(actor, 'shipment.read')) throw forbidden('your role may not look up shipments');
  const phone = normalizePhone(rawPhone);
  if (!phone) throw new AppError('validation_failed', `phone: "${rawPhone}" is not a valid mainland mobile or landline number`);
  return listByPhoneHash(q, crypto, crypto.lookupHash(phone), limit, now);
}

/** A customer's own parcels: those whose sender or receiver phone is the phone on their customer record. */
export async function listOwnShipments(q: Queryable, crypto: PiiCrypto, actor: Actor, limit: number, now: Date): Promise<ShipmentSummary[]> {
  if (actor.role !== 'customer') throw new AppError('validation_failed', 'mine=true is for customers; staff search by phone');
  if (!can(actor, 'shipment.read')) return [];
  const hash = await customerPhoneHash(q, actor);
  return hash ? listByPhoneHash(q, crypto, hash, limit, now) : [];
}

/** A customer's parcels for staff beside a ticket: those whose sender or receiver phone is the one on the customer's record. */
export async function listCustomerShipments(q: Queryable, crypto: PiiCrypto, actor: Actor, customerId: string, limit: number, now: Date): Promise<ShipmentSummary[]> {
  if (actor.role === 'customer') throw forbidden('customers list their own parcels with mine=true');
  if (!can(actor, 'shipment.read')) throw forbidden('your role may not look up shipments');
  const { rows } = await q.query<{ phone_hash: string | null }>('SELECT phone_hash FROM customers WHERE id = $1', [customerId]);
  if (!rows[0]) throw notFound('customer', customerId);
  return rows[0].phone_hash ? listByPhoneHash(q, crypto, rows[0].phone_hash, limit, now) : [];
}

export type ShipmentParty = 'sender' | 'receiver';
export type ShipmentPiiField = 'name' | 'phone' | 'address';

/** One field of a parcel's sender or receiver in full (e.g. the phone, to call them), recorded with who, when and why (P1). */
export async function revealShipmentField(tx: Queryable, crypto: PiiCrypto, actor: Actor, rawWaybill: string, party: ShipmentParty, field: ShipmentPiiField, reason: string): Promise<string> {
  if (!mayRevealPii(actor)) throw forbidden('your role may not reveal personal data');
  if (reason.trim().length < 4) throw new AppError('validation_failed', 'state the reason for revealing personal data (at least 4 characters)');
  const waybill = (await waybillNormaliser(tx))(rawWaybill);
  const column = `${party}_${field}_enc`;
  const { rows } = await tx.query<{ value: string }>(`SELECT ${column} AS value FROM shipments WHERE waybill = $1`, [waybill]);
  if (!rows[0]) throw notFound('shipment', waybill);
  await recordAudit(tx, actor, { action: 'pii.reveal', entityType: 'shipment', entityId: waybill, data: { party, field, reason: reason.trim() } });
  return crypto.decrypt(rows[0].value);
}
