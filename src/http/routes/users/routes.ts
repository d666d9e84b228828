import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withTx } from '../../../db/database.ts';
import { can } from '../../../domain/policy.ts';
import { createApiKey, createUser, setAccountDisabled, USER_COLUMNS, type UserRow } from '../../../services/accounts/accounts.ts';
import { recordAudit } from '../../../services/audit/record-audit.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { requireActor } from '../../auth.ts';
import { AppError, forbidden } from '../../errors.ts';
import { presentUser } from './presenters.ts';
import { createApiKeyBody, createTeamBody, createUserBody, STAFF_ROLES, teamMembersBody, userSchema } from './schema.ts';

export async function userRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/users', {
    schema: {
      tags: ['users'],
      summary: 'List staff users (not API-key service users); disabled accounts only when asked for',
      querystring: z.object({ includeDisabled: z.enum(['true', 'false']).optional().describe('true: disabled accounts too (admins, to re-enable them)') }),
      response: { 200: z.object({ items: z.array(userSchema) }) },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'settings.read')) throw forbidden();
    const withDisabled = req.query.includeDisabled === 'true';
    if (withDisabled && !can(actor, 'user.manage')) throw forbidden('only admins see disabled accounts');
    const { rows } = await ctx.db.pool.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users
        WHERE role <> 'customer' AND username NOT LIKE 'apikey:%' AND ($1 OR disabled_at IS NULL) ORDER BY disabled_at IS NOT NULL, username`,
      [withDisabled],
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

  r.get('/api-keys', {
    schema: {
      tags: ['users'],
      summary: 'API keys (admin): name, role, the first characters of the key, who made it, last use, revocation; never the key',
      response: {
        200: z.object({
          items: z.array(z.object({
            id: z.string(), name: z.string(), role: z.string(), prefix: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable(),
            createdBy: z.string().nullable().describe('the username of the admin who made it (null: the CLI)'),
            suspended: z.boolean().describe('true while the account that made it is disabled: the key is refused until that account is re-enabled'),
          })),
        }),
      },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'apikey.manage')) throw forbidden('only admins manage API keys');
    const { rows } = await ctx.db.pool.query<{ id: string; name: string; role: string; prefix: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null; created_by: string | null; suspended: boolean }>(
      `SELECT k.id, k.name, k.role, k.prefix, k.created_at, k.last_used_at, k.revoked_at, u.username AS created_by, u.disabled_at IS NOT NULL AS suspended
         FROM api_keys k LEFT JOIN users u ON u.id = k.created_by ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC LIMIT 500`,
    );
    return {
      items: rows.map((k) => ({
        id: k.id, name: k.name, role: k.role, prefix: k.prefix, createdAt: k.created_at.toISOString(), lastUsedAt: k.last_used_at?.toISOString() ?? null, revokedAt: k.revoked_at?.toISOString() ?? null,
        createdBy: k.created_by, suspended: k.suspended,
      })),
    };
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

  r.put('/teams/:id/members', {
    schema: { tags: ['teams'], summary: 'Replace a team\'s members and leads (admin/supervisor); staff accounts only', params: z.object({ id: z.uuid() }), body: teamMembersBody },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'team.manage')) throw forbidden();
    const members = req.body.members;
    const ids = members.map((m) => m.userId);
    if (new Set(ids).size !== ids.length) throw new AppError('validation_failed', 'a user is listed twice', { field: 'members', code: 'duplicate_member' });
    return withTx(ctx.db, async (tx) => {
      const team = await tx.query('SELECT 1 FROM teams WHERE id = $1 FOR UPDATE', [req.params.id]);
      if (!team.rowCount) throw new AppError('not_found', `team ${req.params.id} does not exist`);
      const staff = await tx.query<{ id: string }>(
        "SELECT id FROM users WHERE id = ANY($1::uuid[]) AND role NOT IN ('customer', 'integration') AND username NOT LIKE 'apikey:%' AND disabled_at IS NULL",
        [ids],
      );
      const known = new Set(staff.rows.map((r) => r.id));
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length) throw new AppError('validation_failed', `not staff users: ${unknown.join(', ')}`, { field: 'members', code: 'not_staff' });
      await tx.query('DELETE FROM team_members WHERE team_id = $1', [req.params.id]);
      if (members.length) {
        await tx.query('INSERT INTO team_members (team_id, user_id, is_lead) SELECT $1, u, l FROM unnest($2::uuid[], $3::boolean[]) AS m(u, l)', [req.params.id, ids, members.map((m) => m.isLead)]);
      }
      await recordAudit(tx, actor, { action: 'team.members', entityType: 'team', entityId: req.params.id, data: { members } });
      return { id: req.params.id, members };
    });
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
        role: z.enum(STAFF_ROLES).optional().describe('a staff account\'s role (admin; not one\'s own)'),
        displayName: z.string().trim().min(1).max(100).optional().describe('admin'),
        disabled: z.boolean().optional().describe('admin: true disables the account (no login; its sessions end and API keys it made stop working at once), false re-enables it; not one\'s own'),
      }),
    },
  }, async (req) => {
    const actor = requireActor(req);
    const self = actor.userId === req.params.id;
    const onlyPresence = Object.keys(req.body).every((k) => k === 'available');
    if (!(self && onlyPresence) && !can(actor, 'team.manage') && !can(actor, 'user.manage')) throw forbidden();
    const { role, displayName, disabled } = req.body;
    if ((role !== undefined || displayName !== undefined) && !can(actor, 'user.manage')) throw forbidden('only admins change roles and names');
    if (disabled !== undefined && !can(actor, 'user.manage')) throw forbidden('only admins disable or re-enable accounts');
    // An admin cannot take away their own role: there would be no one left to give it back.
    if (role !== undefined && self) throw new AppError('validation_failed', 'you cannot change your own role', { field: 'role', code: 'own_role' });
    return withTx(ctx.db, async (tx) => {
      if (disabled !== undefined) await setAccountDisabled(tx, actor, { userId: req.params.id, disabled }, ctx.now());
      if (role !== undefined) {
        const target = await tx.query<{ role: string; username: string }>('SELECT role, username FROM users WHERE id = $1 FOR UPDATE', [req.params.id]);
        const t = target.rows[0];
        if (t && (t.role === 'customer' || t.role === 'integration' || t.username.startsWith('apikey:'))) throw new AppError('validation_failed', 'only staff accounts have a role to change here', { field: 'role', code: 'not_staff' });
        if (t) await tx.query('UPDATE users SET role = $2 WHERE id = $1', [req.params.id, role]);
      }
      if (displayName !== undefined) await tx.query('UPDATE users SET display_name = $2 WHERE id = $1', [req.params.id, displayName]);
      const { rows } = await tx.query<UserRow>(
        `UPDATE users SET available = coalesce($2, available), capacity = coalesce($3, capacity), skills = coalesce($4, skills), channels = coalesce($5, channels),
                phone_extension = CASE WHEN $6 THEN $7 ELSE phone_extension END
          WHERE id = $1 RETURNING ${USER_COLUMNS}`,
        [req.params.id, req.body.available ?? null, req.body.capacity ?? null, req.body.skills ?? null, req.body.channels ?? null, req.body.phoneExtension !== undefined, req.body.phoneExtension ?? null],
      );
      if (!rows[0]) throw new AppError('not_found', `user ${req.params.id} does not exist`);
      // Disabling is audited on its own (user.disable / user.enable); the rest as one update.
      const { disabled: _status, ...changes } = req.body;
      if (Object.keys(changes).length) await recordAudit(tx, actor, { action: 'user.update', entityType: 'user', entityId: req.params.id, data: changes });
      return presentUser(rows[0]);
    });
  });
}
