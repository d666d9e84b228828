/**
 * Declared delay periods (SPEC X4, X7): an admin or supervisor declares a holiday, a promotion or
 * bad weather for regions; delivery estimates that touch the period grow by its extra days. Each
 * change is audited in its own transaction.
 */
import type { Queryable } from '../../db/database.ts';
import type { DelayKind, DelayPeriod } from '../../domain/express/delivery-estimate.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';

export interface DelayPeriodInput {
  kind: DelayKind;
  name: string;
  regionPrefixes: string[];
  startsOn: string;
  endsOn: string;
  extraMinDays: number;
  extraMaxDays: number;
  notice?: string | null | undefined;
}

export interface DelayPeriodView extends DelayPeriod {
  id: string;
  notice: string | null;
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  kind: DelayKind;
  name: string;
  region_prefixes: string[];
  starts_on: string;
  ends_on: string;
  extra_min_days: number;
  extra_max_days: number;
  notice: string | null;
  created_by: string | null;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}

// Dates leave the database as text so no time zone can shift them.
const COLUMNS = `id, kind, name, region_prefixes, starts_on::text AS starts_on, ends_on::text AS ends_on, extra_min_days, extra_max_days, notice,
  created_by, updated_by, created_at, updated_at`;

function present(r: Row): DelayPeriodView {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    regionPrefixes: r.region_prefixes,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    extraMinDays: r.extra_min_days,
    extraMaxDays: r.extra_max_days,
    notice: r.notice,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function mustManage(actor: Actor): void {
  if (!can(actor, 'notice.manage')) throw forbidden('only supervisors and admins declare delay periods');
}

/** The rules a period must satisfy beyond its field types (the database checks them again). */
function checkPeriod(p: DelayPeriodInput): void {
  for (const d of [p.startsOn, p.endsOn]) {
    const t = new Date(`${d}T00:00:00Z`);
    if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d) throw new AppError('validation_failed', `${d} is not a calendar date`);
  }
  if (p.endsOn < p.startsOn) throw new AppError('validation_failed', `endsOn ${p.endsOn} is before startsOn ${p.startsOn}`);
  if (p.extraMaxDays < p.extraMinDays) throw new AppError('validation_failed', `extraMaxDays ${p.extraMaxDays} is less than extraMinDays ${p.extraMinDays}`);
}

export async function listDelayPeriods(q: Queryable, filter: { activeOn?: string | undefined } = {}): Promise<DelayPeriodView[]> {
  const { rows } = filter.activeOn
    ? await q.query<Row>(`SELECT ${COLUMNS} FROM delay_periods WHERE ends_on >= $1::date ORDER BY starts_on, name`, [filter.activeOn])
    : await q.query<Row>(`SELECT ${COLUMNS} FROM delay_periods ORDER BY starts_on, name`);
  return rows.map(present);
}

/** Periods that have not ended before `since` (the estimate decides which touch its window). */
export async function listActiveDelayPeriods(q: Queryable, since: Date): Promise<DelayPeriodView[]> {
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM delay_periods WHERE ends_on >= $1::date ORDER BY starts_on, name`, [since.toISOString().slice(0, 10)]);
  return rows.map(present);
}

export async function getDelayPeriod(q: Queryable, id: string): Promise<DelayPeriodView> {
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM delay_periods WHERE id = $1`, [id]);
  if (!rows[0]) throw notFound('delay period', id);
  return present(rows[0]);
}

export async function createDelayPeriod(tx: Queryable, actor: Actor, input: DelayPeriodInput): Promise<DelayPeriodView> {
  mustManage(actor);
  checkPeriod(input);
  const { rows } = await tx.query<Row>(
    `INSERT INTO delay_periods (kind, name, region_prefixes, starts_on, ends_on, extra_min_days, extra_max_days, notice, created_by, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ${COLUMNS}`,
    [input.kind, input.name, input.regionPrefixes, input.startsOn, input.endsOn, input.extraMinDays, input.extraMaxDays, input.notice ?? null, actor.userId],
  );
  const view = present(rows[0]!);
  await recordAudit(tx, actor, { action: 'delay_period.create', entityType: 'delay_period', entityId: view.id, data: { ...input } });
  return view;
}

export async function updateDelayPeriod(tx: Queryable, actor: Actor, id: string, patch: Partial<DelayPeriodInput>): Promise<DelayPeriodView> {
  mustManage(actor);
  const { rows: locked } = await tx.query<Row>(`SELECT ${COLUMNS} FROM delay_periods WHERE id = $1 FOR UPDATE`, [id]);
  if (!locked[0]) throw notFound('delay period', id);
  const before = present(locked[0]);
  const next: DelayPeriodInput = {
    kind: patch.kind ?? before.kind,
    name: patch.name ?? before.name,
    regionPrefixes: patch.regionPrefixes ?? before.regionPrefixes,
    startsOn: patch.startsOn ?? before.startsOn,
    endsOn: patch.endsOn ?? before.endsOn,
    extraMinDays: patch.extraMinDays ?? before.extraMinDays,
    extraMaxDays: patch.extraMaxDays ?? before.extraMaxDays,
    notice: patch.notice !== undefined ? patch.notice : before.notice,
  };
  checkPeriod(next);
  const { rows } = await tx.query<Row>(
    `UPDATE delay_periods SET kind = $2, name = $3, region_prefixes = $4, starts_on = $5, ends_on = $6, extra_min_days = $7, extra_max_days = $8,
       notice = $9, updated_by = $10, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, next.kind, next.name, next.regionPrefixes, next.startsOn, next.endsOn, next.extraMinDays, next.extraMaxDays, next.notice ?? null, actor.userId],
  );
  await recordAudit(tx, actor, { action: 'delay_period.update', entityType: 'delay_period', entityId: id, data: { changed: patch, before: { ...before } } });
  return present(rows[0]!);
}

export async function deleteDelayPeriod(tx: Queryable, actor: Actor, id: string): Promise<void> {
  mustManage(actor);
  const { rows } = await tx.query<Row>(`DELETE FROM delay_periods WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
  if (!rows[0]) throw notFound('delay period', id);
  await recordAudit(tx, actor, { action: 'delay_period.delete', entityType: 'delay_period', entityId: id, data: { deleted: { ...present(rows[0]) } } });
}
