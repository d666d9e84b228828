/**
 * The denormalised current state of a parcel (status, last event time, place) kept on the
 * shipment row for fast lookup and lists. The rule is the tracking module's `currentEvent`: the
 * latest event by time, ties broken by arrival order (the event id).
 */
import type { Queryable, Tx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { getSetting, type SettingKey, type SettingValue } from '../settings/settings.ts';

/** Recomputes the current state of these parcels from their events; returns how many rows changed. */
export async function refreshShipmentState(q: Queryable, waybills: readonly string[]): Promise<number> {
  if (waybills.length === 0) return 0;
  const r = await q.query(
    `UPDATE shipments s
        SET status = COALESCE(e.status, 'created'), last_event_at = e.occurred_at, last_location = e.location, last_facility = e.facility, updated_at = now()
       FROM unnest($1::text[]) AS w(waybill)
       LEFT JOIN LATERAL (
         SELECT ev.status, ev.occurred_at, ev.location, ev.facility FROM shipment_events ev
          WHERE ev.waybill = w.waybill ORDER BY ev.occurred_at DESC, ev.id DESC LIMIT 1) e ON true
      WHERE s.waybill = w.waybill
        AND (s.status, s.last_event_at, s.last_location, s.last_facility) IS DISTINCT FROM (COALESCE(e.status, 'created'), e.occurred_at, e.location, e.facility)`,
    [waybills],
  );
  return r.rowCount ?? 0;
}

const SETTING_TTL_MS = 5000;
const recent = new Map<SettingKey, { at: number; value: unknown }>();
const compiled = new Map<string, RegExp>();

/**
 * A setting as read at most a few seconds ago. Tracking lookups are the hottest path (agents
 * and customers, thousands a second); an admin's change still applies without a restart, within
 * seconds, in every process.
 */
export async function recentSetting<K extends SettingKey>(q: Queryable, key: K): Promise<SettingValue<K>> {
  const hit = recent.get(key);
  const t = Date.now();
  if (hit && t - hit.at < SETTING_TTL_MS) return hit.value as SettingValue<K>;
  const value = await getSetting(q, key);
  recent.set(key, { at: t, value });
  return value;
}

/** The waybill check from the `shipments.waybill_format` setting: trims and upper-cases, then matches. */
export async function waybillNormaliser(q: Queryable): Promise<(raw: string, where?: string) => string> {
  const { pattern, example } = await recentSetting(q, 'shipments.waybill_format');
  const re = compiled.get(pattern) ?? new RegExp(pattern);
  compiled.set(pattern, re);
  return (raw, where = 'waybill') => {
    const w = raw.trim().toUpperCase();
    if (!re.test(w)) throw new AppError('validation_failed', `${where}: "${raw}" is not a valid waybill number (expected ${pattern}, e.g. ${example})`);
    return w;
  };
}

/** Locks the parcels' rows in a stable order (so concurrent batches cannot deadlock) and returns those that exist. */
export async function lockShipments(tx: Tx, waybills: readonly string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ waybill: string }>('SELECT waybill FROM shipments WHERE waybill = ANY($1::text[]) ORDER BY waybill FOR NO KEY UPDATE', [waybills]);
  return new Set(rows.map((r) => r.waybill));
}
