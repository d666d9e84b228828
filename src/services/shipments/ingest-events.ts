/**
 * Tracking events from the operations system (X1), for one parcel or across many: idempotent by
 * (source, event id) — a replayed batch changes nothing and is reported as duplicates. Raw codes
 * are normalised through shipment_status_codes; a code never seen before is kept raw, recorded as
 * unmapped and counts as `exception` until an admin maps it. A few statements per batch, never
 * one per event; one audit entry per batch.
 */
import type { Tx } from '../../db/database.ts';
import type { FacilityType } from '../../domain/express/tracking.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { markOrdersPickedUp } from '../orders/orders.ts';
import { lockShipments, refreshShipmentState, waybillNormaliser } from './shipment-state.ts';

export const MAX_EVENTS_PER_BATCH = 5000;
/** Scanners' clocks drift; an event stamped further ahead than this is refused as a data error. */
const MAX_FUTURE_MS = 24 * 3600_000;

export interface EventInput {
  eventId: string;
  waybill: string;
  occurredAt: string;
  code: string;
  text?: string | null | undefined;
  location?: string | null | undefined;
  facility?: string | null | undefined;
  facilityType?: FacilityType | null | undefined;
  courier?: string | null | undefined;
  pickupCode?: string | null | undefined;
}

export interface IngestEventsResult {
  received: number;
  inserted: number;
  duplicates: number;
  /** Codes in this batch that no admin has mapped yet (their events count as exception). */
  unmappedCodes: string[];
  shipmentsUpdated: number;
}

export async function ingestEvents(tx: Tx, actor: Actor | null, now: Date, source: string, inputs: readonly EventInput[]): Promise<IngestEventsResult> {
  if (inputs.length === 0) throw new AppError('validation_failed', 'send at least one event');
  if (inputs.length > MAX_EVENTS_PER_BATCH) throw new AppError('payload_too_large', `at most ${MAX_EVENTS_PER_BATCH} events per request, got ${inputs.length}`);
  const normWaybill = await waybillNormaliser(tx);
  const latest = now.getTime() + MAX_FUTURE_MS;
  const events = inputs.map((e, i) => {
    const at = `events[${i}]`;
    const waybill = normWaybill(e.waybill, `${at}.waybill`);
    const t = Date.parse(e.occurredAt);
    if (Number.isNaN(t)) throw new AppError('validation_failed', `${at}.occurredAt: "${e.occurredAt}" is not a date-time`);
    if (t > latest) throw new AppError('validation_failed', `${at}.occurredAt: ${e.occurredAt} is more than a day in the future`);
    const code = e.code.trim();
    if (!code) throw new AppError('validation_failed', `${at}.code is empty`);
    return { ...e, waybill, code, occurredAt: new Date(t).toISOString() };
  });
  const waybills = [...new Set(events.map((e) => e.waybill))].sort();
  const existing = await lockShipments(tx, waybills);
  const missing = waybills.filter((w) => !existing.has(w));
  if (missing.length) {
    throw new AppError('not_found', `no shipment with waybill ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''}; send the shipment first`);
  }
  const codes = [...new Set(events.map((e) => e.code))];
  // Codes seen for the first time are kept, unmapped, so an admin finds them in the list.
  await tx.query(
    `INSERT INTO shipment_status_codes (code, status, mapped) SELECT c, 'exception', false FROM unnest($1::text[]) c ON CONFLICT (code) DO NOTHING`,
    [codes],
  );
  const unmapped = await tx.query<{ code: string }>('SELECT code FROM shipment_status_codes WHERE code = ANY($1::text[]) AND NOT mapped ORDER BY code', [codes]);
  const col = <T>(f: (e: (typeof events)[number]) => T): T[] => events.map(f);
  const inserted = await tx.query<{ waybill: string }>(
    `INSERT INTO shipment_events (source, event_id, waybill, occurred_at, location, facility, facility_type, courier, pickup_code, raw_code, raw_text, status)
     SELECT $1, x.eid, x.w, x.t, x.loc, x.fac, x.ft, x.cr, x.pc, x.code, x.txt, COALESCE(c.status, 'exception')
       FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
            WITH ORDINALITY AS x(eid, w, t, loc, fac, ft, cr, pc, code, txt, n)
       LEFT JOIN shipment_status_codes c ON c.code = x.code
      ORDER BY x.n
     ON CONFLICT (source, event_id) DO NOTHING
     RETURNING waybill`,
    [
      source,
      col((e) => e.eventId),
      col((e) => e.waybill),
      col((e) => e.occurredAt),
      col((e) => e.location ?? null),
      col((e) => e.facility ?? null),
      col((e) => e.facilityType ?? null),
      col((e) => e.courier ?? null),
      col((e) => e.pickupCode ?? null),
      col((e) => e.code),
      col((e) => e.text ?? null),
    ],
  );
  const touched = [...new Set(inserted.rows.map((r) => r.waybill))].sort();
  const shipmentsUpdated = await refreshShipmentState(tx, touched);
  // A scan of an ordered parcel means the courier has it: the order is picked up.
  await markOrdersPickedUp(tx, touched, now);
  const n = inserted.rowCount ?? 0;
  const result: IngestEventsResult = { received: inputs.length, inserted: n, duplicates: inputs.length - n, unmappedCodes: unmapped.rows.map((r) => r.code), shipmentsUpdated };
  await recordAudit(tx, actor, {
    action: 'shipment_event.ingest',
    entityType: 'shipment',
    entityId: waybills.length === 1 ? waybills[0]! : null,
    data: { source, received: result.received, inserted: result.inserted, duplicates: result.duplicates, waybills: waybills.length, unmappedCodes: result.unmappedCodes },
  });
  return result;
}
