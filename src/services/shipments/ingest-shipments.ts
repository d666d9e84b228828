/**
 * Shipments from the operations system (X1): one or a batch, upserted by waybill in one
 * statement, personal data encrypted, phones hashed for lookup; one audit entry per batch.
 */
import type { Tx } from '../../db/database.ts';
import { normalizePhone } from '../../domain/masking.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError } from '../../http/errors.ts';
import type { PiiCrypto } from '../../platform/crypto.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { waybillNormaliser } from './shipment-state.ts';
import { DateTime } from 'luxon';
import { estimateDelivery, EstimateError } from '../../domain/express/delivery-estimate.ts';
import { UnknownRegionError } from '../../domain/express/regions.ts';
import { listActiveDelayPeriods } from '../express/delay-periods.ts';
import { getSetting } from '../settings/settings.ts';

export const SHIPMENT_PRODUCTS = ['standard', 'express', 'same_day', 'next_day', 'cold_chain'] as const;
export type ShipmentProduct = (typeof SHIPMENT_PRODUCTS)[number];
export const MAX_SHIPMENTS_PER_BATCH = 1000;

export interface PartyInput {
  name: string;
  phone: string;
  address: string;
}

export interface ShipmentInput {
  waybill: string;
  sender: PartyInput;
  receiver: PartyInput;
  origin: string;
  destination: string;
  product?: ShipmentProduct | undefined;
  weightKg?: number | null | undefined;
  lengthCm?: number | null | undefined;
  widthCm?: number | null | undefined;
  heightCm?: number | null | undefined;
  declaredValue?: number | null | undefined;
  insured?: boolean | undefined;
  postage?: number | null | undefined;
  flags?: string[] | undefined;
  itemDescription?: string | null | undefined;
  shippedAt?: string | null | undefined;
  promisedAt?: string | null | undefined;
}

export interface IngestShipmentsResult {
  received: number;
  created: number;
  updated: number;
  waybills: string[];
}

const REGION_RE = /^[1-9]\d{5}$/;
const money = (v: number | null | undefined): string | null => (v == null ? null : v.toFixed(2));

/**
 * When the operations system gives no promise, the delivery estimate's last day (end of the
 * working day, in the service time zone) is the promise, so delay detection and the sentence the
 * agent reads work for every parcel. Codes the region table does not know get no promise.
 */
async function promisesFromEstimate(tx: Tx, parcels: { waybill: string; origin: string; destination: string; product: ShipmentProduct; shippedAt: Date }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (parcels.length === 0) return out;
  const [transitDays, routeOverrides, zones] = await Promise.all([getSetting(tx, 'express.transit_days'), getSetting(tx, 'express.route_overrides'), getSetting(tx, 'express.zones')]);
  const earliest = new Date(Math.min(...parcels.map((p) => p.shippedAt.getTime())) - 86_400_000);
  const delayPeriods = await listActiveDelayPeriods(tx, earliest);
  for (const p of parcels) {
    try {
      const e = estimateDelivery({ origin: p.origin, destination: p.destination, product: p.product, shippedAt: p.shippedAt }, { transitDays, routeOverrides, remoteProvinces: zones.remoteProvinces, delayPeriods, timeZone: zones.timeZone });
      out.set(p.waybill, DateTime.fromISO(`${e.latest}T18:00:00`, { zone: zones.timeZone }).toISO()!);
    } catch (err) {
      if (!(err instanceof UnknownRegionError) && !(err instanceof EstimateError)) throw err;
    }
  }
  return out;
}

/** Upserts the shipments (all or none): a later record for a waybill replaces the earlier one's fields; tracking state is kept. */
export async function ingestShipments(tx: Tx, crypto: PiiCrypto, actor: Actor | null, inputs: readonly ShipmentInput[]): Promise<IngestShipmentsResult> {
  if (inputs.length === 0) throw new AppError('validation_failed', 'send at least one shipment');
  if (inputs.length > MAX_SHIPMENTS_PER_BATCH) throw new AppError('payload_too_large', `at most ${MAX_SHIPMENTS_PER_BATCH} shipments per request, got ${inputs.length}`);
  const normWaybill = await waybillNormaliser(tx);
  const seen = new Set<string>();
  const rows = inputs.map((s, i) => {
    const at = inputs.length > 1 ? `shipments[${i}]` : 'shipment';
    const waybill = normWaybill(s.waybill, `${at}.waybill`);
    if (seen.has(waybill)) throw new AppError('validation_failed', `${at}.waybill: ${waybill} appears more than once in this batch`);
    seen.add(waybill);
    const phone = (p: string, side: string): string => {
      const n = normalizePhone(p);
      if (!n) throw new AppError('validation_failed', `${at}.${side}.phone: "${p}" is not a valid mainland mobile or landline number`);
      return n;
    };
    const senderPhone = phone(s.sender.phone, 'sender');
    const receiverPhone = phone(s.receiver.phone, 'receiver');
    for (const [k, v] of [['origin', s.origin], ['destination', s.destination]] as const) {
      if (!REGION_RE.test(v)) throw new AppError('validation_failed', `${at}.${k}: "${v}" is not a 6-digit administrative division code (e.g. 110105)`);
    }
    if (s.shippedAt && s.promisedAt && Date.parse(s.promisedAt) < Date.parse(s.shippedAt)) {
      throw new AppError('validation_failed', `${at}.promisedAt is before shippedAt`);
    }
    return { s, waybill, senderPhone, receiverPhone };
  });
  const promises = await promisesFromEstimate(tx, rows.filter((r) => !r.s.promisedAt).map((r) => ({ waybill: r.waybill, origin: r.s.origin, destination: r.s.destination, product: r.s.product ?? 'standard', shippedAt: r.s.shippedAt ? new Date(r.s.shippedAt) : new Date() })));
  // A stable order keeps concurrent batches from locking the same rows in opposite orders.
  rows.sort((a, b) => (a.waybill < b.waybill ? -1 : a.waybill > b.waybill ? 1 : 0));
  const col = <T>(f: (r: (typeof rows)[number]) => T): T[] => rows.map(f);
  const { rows: out } = await tx.query<{ waybill: string; inserted: boolean }>(
    `INSERT INTO shipments (waybill, sender_name_enc, sender_phone_enc, sender_phone_hash, sender_phone_last4, sender_address_enc,
                            receiver_name_enc, receiver_phone_enc, receiver_phone_hash, receiver_phone_last4, receiver_address_enc,
                            origin_region, destination_region, product, weight_kg, length_cm, width_cm, height_cm,
                            declared_value, insured, postage, flags, item_description, shipped_at, promised_at)
     SELECT w, sn, sp, sh, sl, sa, rn, rp, rh, rl, ra, o, d, prod, wt, l, wd, h, dv, ins, pst,
            CASE WHEN fl = '' THEN '{}'::text[] ELSE string_to_array(fl, ',') END, item, shipped, promised
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                   $12::text[], $13::text[], $14::text[], $15::numeric[], $16::numeric[], $17::numeric[], $18::numeric[],
                   $19::numeric[], $20::boolean[], $21::numeric[], $22::text[], $23::text[], $24::timestamptz[], $25::timestamptz[])
            AS x(w, sn, sp, sh, sl, sa, rn, rp, rh, rl, ra, o, d, prod, wt, l, wd, h, dv, ins, pst, fl, item, shipped, promised)
     ON CONFLICT (waybill) DO UPDATE SET
       sender_name_enc = EXCLUDED.sender_name_enc, sender_phone_enc = EXCLUDED.sender_phone_enc, sender_phone_hash = EXCLUDED.sender_phone_hash,
       sender_phone_last4 = EXCLUDED.sender_phone_last4, sender_address_enc = EXCLUDED.sender_address_enc,
       receiver_name_enc = EXCLUDED.receiver_name_enc, receiver_phone_enc = EXCLUDED.receiver_phone_enc, receiver_phone_hash = EXCLUDED.receiver_phone_hash,
       receiver_phone_last4 = EXCLUDED.receiver_phone_last4, receiver_address_enc = EXCLUDED.receiver_address_enc,
       origin_region = EXCLUDED.origin_region, destination_region = EXCLUDED.destination_region, product = EXCLUDED.product,
       weight_kg = EXCLUDED.weight_kg, length_cm = EXCLUDED.length_cm, width_cm = EXCLUDED.width_cm, height_cm = EXCLUDED.height_cm,
       declared_value = EXCLUDED.declared_value, insured = EXCLUDED.insured, postage = EXCLUDED.postage, flags = EXCLUDED.flags,
       item_description = EXCLUDED.item_description, shipped_at = EXCLUDED.shipped_at, promised_at = EXCLUDED.promised_at, updated_at = now()
     RETURNING waybill, (xmax = 0) AS inserted`,
    [
      col((r) => r.waybill),
      col((r) => crypto.encrypt(r.s.sender.name)),
      col((r) => crypto.encrypt(r.senderPhone)),
      col((r) => crypto.lookupHash(r.senderPhone)),
      col((r) => r.senderPhone.slice(-4)),
      col((r) => crypto.encrypt(r.s.sender.address)),
      col((r) => crypto.encrypt(r.s.receiver.name)),
      col((r) => crypto.encrypt(r.receiverPhone)),
      col((r) => crypto.lookupHash(r.receiverPhone)),
      col((r) => r.receiverPhone.slice(-4)),
      col((r) => crypto.encrypt(r.s.receiver.address)),
      col((r) => r.s.origin),
      col((r) => r.s.destination),
      col((r) => r.s.product ?? 'standard'),
      col((r) => r.s.weightKg ?? null),
      col((r) => r.s.lengthCm ?? null),
      col((r) => r.s.widthCm ?? null),
      col((r) => r.s.heightCm ?? null),
      col((r) => money(r.s.declaredValue)),
      col((r) => r.s.insured ?? false),
      col((r) => money(r.s.postage)),
      col((r) => [...new Set(r.s.flags ?? [])].join(',')),
      col((r) => r.s.itemDescription ?? null),
      col((r) => r.s.shippedAt ?? null),
      col((r) => r.s.promisedAt ?? promises.get(r.waybill) ?? null),
    ],
  );
  const created = out.filter((r) => r.inserted).length;
  await recordAudit(tx, actor, {
    action: 'shipment.ingest',
    entityType: 'shipment',
    entityId: out.length === 1 ? out[0]!.waybill : null,
    data: { received: inputs.length, created, updated: out.length - created },
  });
  return { received: inputs.length, created, updated: out.length - created, waybills: out.map((r) => r.waybill) };
}
