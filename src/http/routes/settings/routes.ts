import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withTx } from '../../../db/database.ts';
import { calendarProblems, type BusinessCalendar } from '../../../domain/business-hours.ts';
import { can, type Actor } from '../../../domain/policy.ts';
import { recordAudit } from '../../../services/audit/record-audit.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { getSetting, putSetting, SETTINGS, validateSetting, type SettingKey } from '../../../services/settings/settings.ts';
import { clearCalendarCache, retargetPolicyClocks, START_EVENTS, STOP_EVENTS } from '../../../services/sla/clocks.ts';
import { requireActor } from '../../auth.ts';
import { AppError, forbidden } from '../../errors.ts';

function mustManage(actor: Actor): void {
  if (!can(actor, 'settings.manage')) throw forbidden('only supervisors and admins change settings');
}
function mustRead(actor: Actor): void {
  if (!can(actor, 'settings.read')) throw forbidden();
}

const policyView = `id, clock, name_zh AS "nameZh", name_en AS "nameEn", ticket_type AS "ticketType", priority, channel, category_code AS "categoryCode",
  target_minutes::float8 AS "targetMinutes", mode, calendar_id AS "calendarId", warn_fraction::float8 AS "warnFraction", starts_on AS "startsOn", stops_on AS "stopsOn", active, updated_at AS "updatedAt"`;

const timeRange = z.object({ start: z.string(), end: z.string() });
const calendarDef = z.object({
  timeZone: z.string(),
  weeklyHours: z.object({ '1': z.array(timeRange), '2': z.array(timeRange), '3': z.array(timeRange), '4': z.array(timeRange), '5': z.array(timeRange), '6': z.array(timeRange), '7': z.array(timeRange) }),
  holidays: z.array(z.string()),
  workdays: z.array(z.object({ date: z.string(), hours: z.array(timeRange).optional() })),
});

/**
 * A calendar's problems refused as one 400 whose details name each problem's part of the
 * definition (`calendar_timeZone`, `calendar_weeklyHours`, …), for a form to show by its field.
 */
function refuseInvalidCalendar(def: BusinessCalendar): void {
  const problems = calendarProblems(def);
  if (!problems.length) return;
  const issues = problems.map((p) => ({ path: `body.definition.${p.part}`, field: p.part, code: `calendar_${p.part}`, message: p.message }));
  throw new AppError('validation_failed', `calendar is invalid: ${problems.map((p) => p.message).join('; ')}`, { issues });
}

export async function settingsRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['settings'];

  r.get('/sla-policies', { schema: { tags, summary: 'SLA policies (T5): targets per clock, type, priority, channel, category' } }, async (req) => {
    mustRead(requireActor(req));
    const { rows } = await ctx.db.pool.query(`SELECT ${policyView} FROM sla_policies ORDER BY clock, target_minutes`);
    return { items: rows };
  });

  r.post('/sla-policies', {
    schema: {
      tags,
      summary: 'Add an SLA policy',
      body: z.object({
        clock: z.string().regex(/^[a-z_]{2,40}$/), nameZh: z.string().min(1), nameEn: z.string().min(1), ticketType: z.string().nullable().optional(),
        priority: z.enum(['low', 'normal', 'high', 'urgent']).nullable().optional(), channel: z.string().nullable().optional(), categoryCode: z.string().nullable().optional(),
        targetMinutes: z.number().positive().max(525_600), mode: z.enum(['business', 'calendar']), calendarId: z.uuid().nullable().optional(), warnFraction: z.number().min(0).max(0.99).optional(),
        startsOn: z.enum(START_EVENTS), stopsOn: z.enum(STOP_EVENTS),
      }),
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    mustManage(actor);
    const b = req.body;
    if (b.mode === 'business' && !b.calendarId) throw new AppError('validation_failed', 'a business-hours policy needs a calendarId');
    const row = await withTx(ctx.db, async (tx) => {
      const { rows } = await tx.query(
        `INSERT INTO sla_policies (clock, name_zh, name_en, ticket_type, priority, channel, category_code, target_minutes, mode, calendar_id, warn_fraction, starts_on, stops_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${policyView}`,
        [b.clock, b.nameZh, b.nameEn, b.ticketType ?? null, b.priority ?? null, b.channel ?? null, b.categoryCode ?? null, b.targetMinutes, b.mode, b.calendarId ?? null, b.warnFraction ?? 0.2, b.startsOn, b.stopsOn],
      );
      await recordAudit(tx, actor, { action: 'sla_policy.create', entityType: 'sla_policy', entityId: (rows[0] as { id: string }).id, data: b });
      return rows[0];
    });
    return reply.code(201).send(row);
  });

  r.patch('/sla-policies/:id', {
    schema: {
      tags,
      summary: 'Change an SLA target; open tickets governed by it get their deadlines recomputed at once',
      params: z.object({ id: z.uuid() }),
      body: z.object({ targetMinutes: z.number().positive().max(525_600).optional(), warnFraction: z.number().min(0).max(0.99).optional(), active: z.boolean().optional(), nameZh: z.string().min(1).optional(), nameEn: z.string().min(1).optional() }),
    },
  }, async (req) => {
    const actor = requireActor(req);
    mustManage(actor);
    return withTx(ctx.db, async (tx) => {
      const before = await tx.query<{ target_minutes: number }>('SELECT target_minutes FROM sla_policies WHERE id = $1 FOR UPDATE', [req.params.id]);
      if (!before.rows[0]) throw new AppError('not_found', `SLA policy ${req.params.id} does not exist`);
      const b = req.body;
      const { rows } = await tx.query(
        `UPDATE sla_policies SET target_minutes = coalesce($2, target_minutes), warn_fraction = coalesce($3, warn_fraction), active = coalesce($4, active),
                name_zh = coalesce($5, name_zh), name_en = coalesce($6, name_en), updated_at = now() WHERE id = $1 RETURNING ${policyView}`,
        [req.params.id, b.targetMinutes ?? null, b.warnFraction ?? null, b.active ?? null, b.nameZh ?? null, b.nameEn ?? null],
      );
      if (b.warnFraction !== undefined) await tx.query('UPDATE sla_clocks SET warn_fraction = $2 WHERE policy_id = $1 AND stopped_at IS NULL', [req.params.id, b.warnFraction]);
      let retargeted = 0;
      if (b.targetMinutes !== undefined && b.targetMinutes !== before.rows[0].target_minutes) {
        retargeted = await retargetPolicyClocks(tx, req.params.id, Math.round(b.targetMinutes * 60_000), ctx.now());
      }
      await recordAudit(tx, actor, { action: 'sla_policy.update', entityType: 'sla_policy', entityId: req.params.id, data: { ...b, retargetedClocks: retargeted } });
      return { ...(rows[0] as object), retargetedClocks: retargeted };
    });
  });

  r.get('/calendars', { schema: { tags, summary: 'Business-hours calendars with time zone, holidays and make-up workdays' } }, async (req) => {
    mustRead(requireActor(req));
    const { rows } = await ctx.db.pool.query('SELECT id, code, name, definition, updated_at AS "updatedAt" FROM calendars ORDER BY code');
    return { items: rows };
  });

  r.post('/calendars', {
    schema: {
      tags,
      summary: 'Add a business-hours calendar: time zone, weekly hours, holidays and make-up workdays (validated like PUT)',
      body: z.object({ code: z.string().regex(/^[a-z0-9_.-]{2,40}$/, 'code: 2–40 lower-case letters, digits or _ . -'), name: z.string().trim().min(1).max(100), definition: calendarDef }),
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    mustManage(actor);
    const def = req.body.definition as BusinessCalendar;
    refuseInvalidCalendar(def);
    const row = await withTx(ctx.db, async (tx) => {
      const taken = await tx.query('SELECT 1 FROM calendars WHERE code = $1', [req.body.code]);
      if (taken.rowCount) throw new AppError('conflict', `a calendar with code ${req.body.code} exists`, { field: 'code' });
      const { rows } = await tx.query<{ id: string }>('INSERT INTO calendars (code, name, definition) VALUES ($1, $2, $3) RETURNING id, code, name, definition, updated_at AS "updatedAt"', [req.body.code, req.body.name, JSON.stringify(def)]);
      await recordAudit(tx, actor, { action: 'calendar.create', entityType: 'calendar', entityId: rows[0]!.id, data: { code: req.body.code, name: req.body.name, holidays: def.holidays.length, workdays: def.workdays.length, timeZone: def.timeZone } });
      return rows[0]!;
    });
    return reply.code(201).send(row);
  });

  r.put('/calendars/:id', {
    schema: { tags, summary: 'Replace a calendar definition (validated: time zone, HH:MM ranges, dates)', params: z.object({ id: z.uuid() }), body: z.object({ name: z.string().min(1).max(100).optional(), definition: calendarDef }) },
  }, async (req) => {
    const actor = requireActor(req);
    mustManage(actor);
    const def = req.body.definition as BusinessCalendar;
    refuseInvalidCalendar(def);
    const row = await withTx(ctx.db, async (tx) => {
      const { rows } = await tx.query('UPDATE calendars SET definition = $2, name = coalesce($3, name), updated_at = now() WHERE id = $1 RETURNING id, code, name, definition', [req.params.id, JSON.stringify(def), req.body.name ?? null]);
      if (!rows[0]) throw new AppError('not_found', `calendar ${req.params.id} does not exist`);
      await recordAudit(tx, actor, { action: 'calendar.update', entityType: 'calendar', entityId: req.params.id, data: { holidays: def.holidays.length, workdays: def.workdays.length, timeZone: def.timeZone } });
      return rows[0];
    });
    clearCalendarCache();
    return row;
  });

  r.get('/categories', { schema: { tags, summary: 'Ticket categories (multi-level)' } }, async (req) => {
    requireActor(req);
    const { rows } = await ctx.db.pool.query(
      'SELECT id, parent_id AS "parentId", code, name_zh AS "nameZh", name_en AS "nameEn", ticket_type AS "ticketType", skill, active FROM categories ORDER BY sort, code',
    );
    return { items: rows };
  });

  r.post('/categories', {
    schema: {
      tags,
      summary: 'Add a category',
      body: z.object({ code: z.string().regex(/^[a-z0-9_.]{2,60}$/), parentId: z.uuid().nullable().optional(), nameZh: z.string().min(1).max(100), nameEn: z.string().min(1).max(100), ticketType: z.string().nullable().optional(), skill: z.string().nullable().optional() }),
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    mustManage(actor);
    const b = req.body;
    const row = await withTx(ctx.db, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        'INSERT INTO categories (code, parent_id, name_zh, name_en, ticket_type, skill, sort) VALUES ($1, $2, $3, $4, $5, $6, 1000) RETURNING id',
        [b.code, b.parentId ?? null, b.nameZh, b.nameEn, b.ticketType ?? null, b.skill ?? null],
      );
      await recordAudit(tx, actor, { action: 'category.create', entityType: 'category', entityId: rows[0]!.id, data: b });
      return rows[0]!;
    });
    return reply.code(201).send({ id: row.id, ...b });
  });

  r.patch('/categories/:id', {
    schema: {
      tags,
      summary: 'Rename a category, change its default type or skill, or switch it off (tickets keep it)',
      params: z.object({ id: z.uuid() }),
      body: z.object({ nameZh: z.string().trim().min(1).max(100).optional(), nameEn: z.string().trim().min(1).max(100).optional(), ticketType: z.string().nullable().optional(), skill: z.string().max(40).nullable().optional(), active: z.boolean().optional() }),
    },
  }, async (req) => {
    const actor = requireActor(req);
    mustManage(actor);
    const b = req.body;
    return withTx(ctx.db, async (tx) => {
      const { rows } = await tx.query(
        `UPDATE categories SET name_zh = coalesce($2, name_zh), name_en = coalesce($3, name_en),
                ticket_type = CASE WHEN $4 THEN $5 ELSE ticket_type END, skill = CASE WHEN $6 THEN $7 ELSE skill END, active = coalesce($8, active)
          WHERE id = $1
          RETURNING id, parent_id AS "parentId", code, name_zh AS "nameZh", name_en AS "nameEn", ticket_type AS "ticketType", skill, active`,
        [req.params.id, b.nameZh ?? null, b.nameEn ?? null, b.ticketType !== undefined, b.ticketType ?? null, b.skill !== undefined, b.skill ?? null, b.active ?? null],
      );
      if (!rows[0]) throw new AppError('not_found', `category ${req.params.id} does not exist`);
      await recordAudit(tx, actor, { action: 'category.update', entityType: 'category', entityId: req.params.id, data: b });
      return rows[0];
    });
  });

  r.delete('/categories/:id', {
    schema: {
      tags,
      summary: 'Delete a category nothing uses (no ticket, subcategory, SLA policy or knowledge-base category names it); one in use is refused with 409 — switch it off instead (PATCH active: false)',
      params: z.object({ id: z.uuid() }),
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    mustManage(actor);
    await withTx(ctx.db, async (tx) => {
      // The row lock also holds off a ticket being given the category meanwhile (its foreign key takes a key-share lock).
      const cat = (await tx.query<{ code: string; active: boolean }>('SELECT code, active FROM categories WHERE id = $1 FOR UPDATE', [req.params.id])).rows[0];
      if (!cat) throw new AppError('not_found', `category ${req.params.id} does not exist`);
      const uses = (await tx.query<{ tickets: number; children: number; sla_policies: number; kb_categories: number }>(
        `SELECT (SELECT count(*) FROM tickets WHERE category_id = $1)::int AS tickets,
                (SELECT count(*) FROM categories WHERE parent_id = $1)::int AS children,
                (SELECT count(*) FROM sla_policies WHERE category_code = $2)::int AS sla_policies,
                (SELECT count(*) FROM kb_categories WHERE ticket_category_code = $2)::int AS kb_categories`,
        [req.params.id, cat.code],
      )).rows[0]!;
      const inUse = { tickets: uses.tickets, subcategories: uses.children, slaPolicies: uses.sla_policies, kbCategories: uses.kb_categories };
      if (Object.values(inUse).some((n) => n > 0)) {
        const parts = Object.entries(inUse).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
        throw new AppError('conflict', `category ${cat.code} is in use (${parts.join(', ')}) and cannot be deleted; switch it off instead (active: false)${cat.active ? '' : ' — it is already off'}`, { inUse, active: cat.active });
      }
      await tx.query('DELETE FROM categories WHERE id = $1', [req.params.id]);
      await recordAudit(tx, actor, { action: 'category.delete', entityType: 'category', entityId: req.params.id, data: { code: cat.code } });
    });
    return reply.code(204).send();
  });

  r.get('/settings', { schema: { tags, summary: 'All settings with their current values' } }, async (req) => {
    mustRead(requireActor(req));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(SETTINGS) as SettingKey[]) out[key] = await getSetting(ctx.db.pool, key);
    return out;
  });

  r.put('/settings/:key', { schema: { tags, summary: 'Change one setting (validated against its schema)', params: z.object({ key: z.string() }), body: z.unknown() } }, async (req) => {
    const actor = requireActor(req);
    mustManage(actor);
    const key = req.params.key;
    if (!(key in SETTINGS)) throw new AppError('not_found', `no setting "${key}"; known: ${Object.keys(SETTINGS).join(', ')}`);
    const value = validateSetting(key as SettingKey, req.body);
    await withTx(ctx.db, async (tx) => {
      await putSetting(tx, key as SettingKey, value, actor.userId);
      await recordAudit(tx, actor, { action: 'setting.update', entityType: 'setting', entityId: key, data: { value } });
    });
    return { key, value };
  });
}
