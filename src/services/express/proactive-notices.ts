/**
 * Proactive notices (提前告知, X7; seed 000 四(一)): for a declared delay period, find the parcels
 * in flight in its regions while it lasts, move their promised delivery by the period's longest
 * delay, mark urgent goods 优先派件, and queue one notice per parcel for its receiver. Declaring
 * twice changes nothing (one notice per period and parcel, enforced by the database, and the
 * promise moves only with a new notice). The SMS gateway collects queued notices from a feed.
 */
import { withTx, type Queryable } from '../../db/database.ts';
import { isUrgent, noticeText, revisedPromise, SETTLED_STATUSES, URGENT_FLAGS } from '../../domain/express/proactive-notice.ts';
import { maskPhone } from '../../domain/masking.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import type { PiiCrypto } from '../../platform/crypto.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting } from '../settings/settings.ts';
import { getDelayPeriod } from './delay-periods.ts';

export const PRIORITY_FLAG = 'priority_delivery';
const CHUNK = 5000;

export interface NoticeRun {
  periodId: string;
  /** Parcels in flight in the period's regions while it lasts. */
  affected: number;
  /** Notices queued now (parcels not told about this period before). */
  queued: number;
  alreadyNotified: number;
  promisesMoved: number;
  priorityMarked: number;
}

interface Affected {
  waybill: string;
  flags: string[];
  promised_at: Date | null;
}

/** The local date (Asia/Shanghai, by default) of an instant, "YYYY-MM-DD". */
function localDate(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

export async function sendDelayNotices(ctx: ServiceContext, actor: Actor, periodId: string): Promise<NoticeRun> {
  if (!can(actor, 'notice.manage')) throw forbidden('only supervisors and admins send proactive notices');
  const zones = await getSetting(ctx.db.pool, 'express.zones');
  return withTx(ctx.db, async (tx) => {
    // One run per period at a time: a second click waits, then finds everyone already told.
    const locked = await tx.query('SELECT id FROM delay_periods WHERE id = $1 FOR UPDATE', [periodId]);
    if (!locked.rowCount) throw notFound('delay period', periodId);
    const period = await getDelayPeriod(tx, periodId);
    const now = ctx.now();
    if (period.endsOn < localDate(now, zones.timeZone)) throw new AppError('invalid_transition', `${period.name} ended on ${period.endsOn}; there is nothing left to announce`);
    // In flight while the period lasts: not settled, created before it ends, and still expected
    // (or already late and so still moving) when it starts.
    const { rows } = await tx.query<Affected>(
      `SELECT waybill, flags, promised_at FROM shipments
        WHERE status <> ALL($1::text[])
          AND (cardinality($2::text[]) = 0 OR origin_region LIKE ANY($2::text[]) OR destination_region LIKE ANY($2::text[]))
          AND created_at < ($4::date + 1)::timestamp AT TIME ZONE $5
          AND greatest(coalesce(promised_at, $6), $6) >= $3::date::timestamp AT TIME ZONE $5
        ORDER BY waybill`,
      [SETTLED_STATUSES, period.regionPrefixes.map((p) => `${p}%`), period.startsOn, period.endsOn, zones.timeZone, now],
    );
    let queued = 0;
    let promisesMoved = 0;
    let priorityMarked = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const revised = chunk.map((r) => revisedPromise(r.promised_at, null, period.extraMaxDays));
      const texts = chunk.map((r, j) => noticeText(period, { waybill: r.waybill, flags: r.flags, revisedBy: revised[j] ? localDate(revised[j]!, zones.timeZone) : null }));
      const inserted = await tx.query<{ waybill: string }>(
        `INSERT INTO shipment_notices (delay_period_id, period_name, waybill, text, priority, created_by, created_at)
         SELECT $1, $2, w, t, p, $3, $4 FROM unnest($5::text[], $6::text[], $7::boolean[]) AS x(w, t, p)
         ON CONFLICT (delay_period_id, waybill, recipient) DO NOTHING RETURNING waybill`,
        [period.id, period.name, actor.userId, now, chunk.map((r) => r.waybill), texts, chunk.map((r) => isUrgent(r.flags))],
      );
      const fresh = new Set(inserted.rows.map((r) => r.waybill));
      queued += fresh.size;
      const moves = chunk.map((r, j) => ({ w: r.waybill, at: revised[j] })).filter((m) => fresh.has(m.w) && m.at !== null);
      if (moves.length) {
        const moved = await tx.query(
          `UPDATE shipments s SET original_promised_at = coalesce(s.original_promised_at, s.promised_at), promised_at = m.at, updated_at = $3
             FROM unnest($1::text[], $2::timestamptz[]) AS m(w, at) WHERE s.waybill = m.w`,
          [moves.map((m) => m.w), moves.map((m) => m.at), now],
        );
        promisesMoved += moved.rowCount ?? 0;
      }
      const urgent = chunk.filter((r) => fresh.has(r.waybill) && isUrgent(r.flags) && !r.flags.includes(PRIORITY_FLAG)).map((r) => r.waybill);
      if (urgent.length) {
        const marked = await tx.query(`UPDATE shipments SET flags = array_append(flags, $2), updated_at = $3 WHERE waybill = ANY($1::text[]) AND NOT ($2 = ANY(flags))`, [urgent, PRIORITY_FLAG, now]);
        priorityMarked += marked.rowCount ?? 0;
      }
    }
    const run: NoticeRun = { periodId: period.id, affected: rows.length, queued, alreadyNotified: rows.length - queued, promisesMoved, priorityMarked };
    await recordAudit(tx, actor, { action: 'delay_period.notify', entityType: 'delay_period', entityId: period.id, data: { ...run, urgentFlags: URGENT_FLAGS } });
    return run;
  });
}

export interface NoticeView {
  id: string;
  periodId: string | null;
  periodName: string;
  waybill: string;
  recipient: 'receiver' | 'sender';
  /** The receiver's phone: in full for the SMS gateway (integration), masked for people. */
  phone: string;
  text: string;
  priority: boolean;
  status: 'queued' | 'sent' | 'failed';
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

interface NoticeRow {
  id: string;
  delay_period_id: string | null;
  period_name: string;
  waybill: string;
  recipient: 'receiver' | 'sender';
  phone_enc: string;
  text: string;
  priority: boolean;
  status: NoticeView['status'];
  error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

const NOTICE_COLUMNS = `n.id, n.delay_period_id, n.period_name, n.waybill, n.recipient,
  CASE n.recipient WHEN 'sender' THEN s.sender_phone_enc ELSE s.receiver_phone_enc END AS phone_enc,
  n.text, n.priority, n.status, n.error, n.created_at, n.sent_at`;

function present(r: NoticeRow, crypto: PiiCrypto, actor: Actor): NoticeView {
  const phone = crypto.decrypt(r.phone_enc);
  return {
    id: r.id,
    periodId: r.delay_period_id,
    periodName: r.period_name,
    waybill: r.waybill,
    recipient: r.recipient,
    phone: actor.role === 'integration' ? phone : maskPhone(phone),
    text: r.text,
    priority: r.priority,
    status: r.status,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
  };
}

function mayReadNotices(actor: Actor): boolean {
  return can(actor, 'notice.manage') || can(actor, 'shipment.ingest');
}

/** Notices, oldest first: the gateway's queue (status=queued) or a period's record for supervisors. */
export async function listNotices(q: Queryable, crypto: PiiCrypto, actor: Actor, f: { status?: NoticeView['status'] | undefined; periodId?: string | undefined; waybill?: string | undefined; limit?: number | undefined }): Promise<NoticeView[]> {
  if (!mayReadNotices(actor)) throw forbidden('your role may not read proactive notices');
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown): string => `$${params.push(v)}`;
  if (f.status) where.push(`n.status = ${p(f.status)}`);
  if (f.periodId) where.push(`n.delay_period_id = ${p(f.periodId)}`);
  if (f.waybill) where.push(`n.waybill = ${p(f.waybill.trim().toUpperCase())}`);
  const { rows } = await q.query<NoticeRow>(
    `SELECT ${NOTICE_COLUMNS} FROM shipment_notices n JOIN shipments s ON s.waybill = n.waybill
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY n.created_at, n.id LIMIT ${Math.min(Math.max(f.limit ?? 100, 1), 1000)}`,
    params,
  );
  return rows.map((r) => present(r, crypto, actor));
}

/** The gateway reports a notice sent (or failed, with why); reporting the same outcome again changes nothing. */
export async function reportNotice(ctx: ServiceContext, actor: Actor, id: string, input: { status: 'sent' | 'failed'; error?: string | undefined }): Promise<NoticeView> {
  if (!can(actor, 'shipment.ingest')) throw forbidden('only the SMS gateway (an integration key) reports notices');
  return withTx(ctx.db, async (tx) => {
    const cur = await tx.query<{ status: string }>('SELECT status FROM shipment_notices WHERE id = $1 FOR UPDATE', [id]);
    if (!cur.rows[0]) throw notFound('notice', id);
    if (cur.rows[0].status === 'sent' && input.status !== 'sent') throw new AppError('invalid_transition', 'this notice was already sent');
    if (cur.rows[0].status !== input.status) {
      await tx.query('UPDATE shipment_notices SET status = $2, error = $3, sent_at = CASE WHEN $2 = \'sent\' THEN $4::timestamptz ELSE sent_at END WHERE id = $1', [id, input.status, input.error ?? null, ctx.now()]);
      await recordAudit(tx, actor, { action: `notice.${input.status}`, entityType: 'shipment_notice', entityId: id, data: input.error ? { error: input.error } : {} });
    }
    const { rows } = await tx.query<NoticeRow>(`SELECT ${NOTICE_COLUMNS} FROM shipment_notices n JOIN shipments s ON s.waybill = n.waybill WHERE n.id = $1`, [id]);
    return present(rows[0]!, ctx.crypto, actor);
  });
}
