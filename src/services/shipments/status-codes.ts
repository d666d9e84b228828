/**
 * The operations system's raw status codes and the normalised status each stands for. Admins
 * edit the mapping; codes first seen in an event are kept unmapped (their events count as
 * exception) until an admin maps them, which re-normalises every stored event with that code.
 */
import type { Queryable, Tx } from '../../db/database.ts';
import type { ShipmentStatus } from '../../domain/express/tracking.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { lockShipments, refreshShipmentState } from './shipment-state.ts';

/** [code, status, zh, en]: the defaults an installation starts with (the operations system's usual scan codes). */
export const DEFAULT_STATUS_CODES: [string, ShipmentStatus, string, string][] = [
  ['XD', 'created', '已下单,电子面单已生成', 'Order placed, label printed'],
  ['LS', 'picked_up', '快递员已揽收', 'Picked up by the courier'],
  ['FC', 'in_transit', '已发出,发往下一站', 'Dispatched to the next stop'],
  ['YS', 'in_transit', '运输中', 'In transit'],
  ['DC', 'at_sorting_centre', '到达分拣中心', 'Arrived at sorting centre'],
  ['FJ', 'at_sorting_centre', '分拣中心已分拣', 'Sorted at sorting centre'],
  ['DW', 'in_transit', '到达网点', 'Arrived at the delivery outlet'],
  ['PJ', 'out_for_delivery', '派件中', 'Out for delivery'],
  ['PS', 'delivery_failed', '派送未成功', 'Delivery attempt failed'],
  ['YZ', 'available_for_pickup', '已放入驿站', 'Placed in a pickup station'],
  ['GZ', 'available_for_pickup', '已放入快递柜', 'Placed in a parcel locker'],
  ['QS', 'delivered', '已签收', 'Delivered'],
  ['TH', 'returned', '已退回寄件人', 'Returned to sender'],
  ['YC', 'exception', '异常件', 'Exception'],
  ['ZL', 'exception', '滞留', 'Held up'],
  ['DS', 'lost', '确认丢失', 'Confirmed lost'],
];

/** Idempotent: codes an admin already edited are left alone. */
export async function seedShipmentStatusCodes(tx: Tx): Promise<void> {
  await tx.query(
    `INSERT INTO shipment_status_codes (code, status, description_zh, description_en)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT (code) DO NOTHING`,
    [DEFAULT_STATUS_CODES.map((c) => c[0]), DEFAULT_STATUS_CODES.map((c) => c[1]), DEFAULT_STATUS_CODES.map((c) => c[2]), DEFAULT_STATUS_CODES.map((c) => c[3])],
  );
}

export interface StatusCodeView {
  code: string;
  status: ShipmentStatus;
  mapped: boolean;
  descriptionZh: string | null;
  descriptionEn: string | null;
  updatedAt: string;
}

const VIEW = `code, status, mapped, description_zh AS "descriptionZh", description_en AS "descriptionEn", to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

export async function listStatusCodes(q: Queryable): Promise<StatusCodeView[]> {
  const { rows } = await q.query<StatusCodeView>(`SELECT ${VIEW} FROM shipment_status_codes ORDER BY mapped, code`);
  return rows;
}

export interface MapStatusCodeInput {
  status: ShipmentStatus;
  descriptionZh?: string | null | undefined;
  descriptionEn?: string | null | undefined;
}

/**
 * Maps (or re-maps) a raw code; every stored event with that code takes the new status, and the
 * parcels whose latest event changed get their current state recomputed — in one transaction.
 */
export async function mapStatusCode(tx: Tx, actor: Actor, code: string, input: MapStatusCodeInput): Promise<{ code: StatusCodeView; eventsUpdated: number; shipmentsUpdated: number }> {
  // Only codes the operations system has sent (or the seeded ones) are mapped: a mistyped code in
  // the URL is an error, not a new code nobody will ever send.
  const { rows } = await tx.query<StatusCodeView>(
    `UPDATE shipment_status_codes SET status = $2, mapped = true,
       description_zh = COALESCE($3, description_zh), description_en = COALESCE($4, description_en),
       updated_by = $5, updated_at = now()
     WHERE code = $1
     RETURNING ${VIEW}`,
    [code, input.status, input.descriptionZh ?? null, input.descriptionEn ?? null, actor.userId],
  );
  if (!rows[0]) throw new AppError('not_found', `status code ${code} has not been seen in any event and is not a known code`);
  const changed = await tx.query<{ waybill: string }>(
    `UPDATE shipment_events SET status = $2 WHERE raw_code = $1 AND status <> $2 RETURNING waybill`,
    [code, input.status],
  );
  const waybills = [...new Set(changed.rows.map((r) => r.waybill))].sort();
  await lockShipments(tx, waybills);
  const shipmentsUpdated = waybills.length ? await refreshShipmentState(tx, waybills) : 0;
  await recordAudit(tx, actor, {
    action: 'shipment_status_code.map',
    entityType: 'shipment_status_code',
    entityId: code,
    data: { status: input.status, eventsUpdated: changed.rowCount ?? 0, shipmentsUpdated },
  });
  return { code: rows[0]!, eventsUpdated: changed.rowCount ?? 0, shipmentsUpdated };
}
