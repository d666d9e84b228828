import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withTx } from '../../../db/database.ts';
import { can } from '../../../domain/policy.ts';
import { createApiKey, createUser, USER_COLUMNS, type UserRow } from '../../../services/accounts/accounts.ts';
import { recordAudit } from '../../../services/audit/record-audit.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { requireActor } from '../../auth.ts';
import { AppError, forbidden } from '../../errors.ts';
import { presentUser } from './presenters.ts';
import { createApiKeyBody, createTeamBody, createUserBody, userSchema } from './schema.ts';

export async function userRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/users', { schema: { tags: ['users'], summary: 'List staff users (not API-key service users)', response: { 200: z.object({ items: z.array(userSchema) }) } } }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'settings.read')) throw forbidden();
    const { rows } = await ctx.db.pool.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users
        WHERE role <> 'customer' AND username NOT LIKE 'apikey:%' AND disabled_at IS NULL ORDER BY username`,
    );
    return { items: rows.map(presentUser) };
  });

  r.post('/users', { schema: { tags: ['users'], summary: 'Create a user (admin)', body: createUserBody, response: { 201: userSchema } } }, async (req, reply) => {
    const actor = requireActor(req);
    if (!can(actor, 'user.manage')) throw forbidden('only admins manage users');
    const user = await withTx(ctx.db, (tx) => createUser(tx, actor, req.body));
    return reply.code(201).send(presentUser(user));
  });

  r.post('/api-keys', {
    schema: { tags: ['users'], summary: 'Create an API key for an integration (admin); the key is shown only in this response', body: createApiKeyBody, response: { 201: z.object({ id: z.string(), key: z.string() }) } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (!can(actor, 'apikey.manage')) throw forbidden('only admins manage API keys');
    return reply.code(201).send(await withTx(ctx.db, (tx) => createApiKey(tx, actor, req.body.name, req.body.role)));
  });

  r.delete('/api-keys/:id', { schema: { tags: ['users'], summary: 'Revoke an API key', params: z.object({ id: z.uuid() }) } }, async (req, reply) => {
    const actor = requireActor(req);
    if (!can(actor, 'apikey.manage')) throw forbidden('only admins manage API keys');
    await withTx(ctx.db, async (tx) => {
      const { rowCount } = await tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [req.params.id]);
      if (!rowCount) throw new AppError('not_found', `active API key ${req.params.id} does not exist`);
      await recordAudit(tx, actor, { action: 'apikey.revoke', entityType: 'api_key', entityId: req.params.id });
    });
    return reply.code(204).send();
  });

  r.get('/teams', { schema: { tags: ['teams'], summary: 'Teams with their members' } }, async (req) => {
    requireActor(req);
    const { rows } = await ctx.db.pool.query(
      `SELECT t.id, t.code, t.name, t.kind, t.strategy,
              coalesce(json_agg(json_build_object('userId', m.user_id, 'isLead', m.is_lead)) FILTER (WHERE m.user_id IS NOT NULL), '[]') AS members
         FROM teams t LEFT JOIN team_members m ON m.team_id = t.id GROUP BY t.id ORDER BY t.code`,
    );
    return { items: rows };
  });

  r.post('/teams', { schema: { tags: ['teams'], summary: 'Create a team (admin/supervisor)', body: createTeamBody } }, async (req, reply) => {
    const actor = requireActor(req);
    if (!can(actor, 'team.manage')) throw forbidden();
    const team = await withTx(ctx.db, async (tx) => {
      const { rows } = await tx.query<{ id: string }>('INSERT INTO teams (code, name, kind, strategy) VALUES ($1, $2, $3, $4) RETURNING id', [req.body.code, req.body.name, req.body.kind ?? 'service', req.body.strategy ?? 'least_loaded']);
      await recordAudit(tx, actor, { action: 'team.create', entityType: 'team', entityId: rows[0]!.id, data: req.body });
      return rows[0]!;
    });
    return reply.code(201).send({ id: team.id, ...req.body });
  });

  r.patch('/users/:id', {
    schema: {
      tags: ['users'],
      summary: 'Update presence, capacity, skills or channels (own presence; others: lead/admin)',
      params: z.object({ id: z.uuid() }),
      body: z.object({
        available: z.boolean().optional(),
        capacity: z.number().int().min(0).max(500).optional(),
        skills: z.array(z.string()).optional(),
        channels: z.array(z.string()).optional(),
        phoneExtension: z.string().regex(/^\d{2,10}$/, 'phoneExtension: 2–10 digits').nullable().optional(),
      }),
    },
  }, async (req) => {
    const actor = requireActor(req);
    const self = actor.userId === req.params.id;
    const onlyPresence = Object.keys(req.body).every((k) => k === 'available');
    if (!(self && onlyPresence) && !can(actor, 'team.manage') && !can(actor, 'user.manage')) throw forbidden();
    return withTx(ctx.db, async (tx) => {
      const { rows } = await tx.query<UserRow>(
        `UPDATE users SET available = coalesce($2, available), capacity = coalesce($3, capacity), skills = coalesce($4, skills), channels = coalesce($5, channels),
                phone_extension = CASE WHEN $6 THEN $7 ELSE phone_extension END
          WHERE id = $1 RETURNING ${USER_COLUMNS}`,
        [req.params.id, req.body.available ?? null, req.body.capacity ?? null, req.body.skills ?? null, req.body.channels ?? null, req.body.phoneExtension !== undefined, req.body.phoneExtension ?? null],
      );
      if (!rows[0]) throw new AppError('not_found', `user ${req.params.id} does not exist`);
      await recordAudit(tx, actor, { action: 'user.update', entityType: 'user', entityId: req.params.id, data: req.body });
      return presentUser(rows[0]);
    });
  });
}
