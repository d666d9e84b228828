import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/policy.ts';
import { sealAuditLog } from '../../../services/audit/seal-audit-log.ts';
import { verifyAuditLog } from '../../../services/audit/verify-audit-log.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { requireActor } from '../../auth.ts';
import { forbidden } from '../../errors.ts';

export async function auditRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/audit', {
    schema: {
      tags: ['audit'],
      summary: 'Audit log, newest first (sealed entries carry their chain hash)',
      querystring: z.object({ entityType: z.string().max(40).optional(), entityId: z.string().max(64).optional(), action: z.string().max(60).optional(), before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'audit.read')) throw forbidden('your role may not read the audit log');
    await sealAuditLog(ctx.db);
    const q = req.query;
    const { rows } = await ctx.db.pool.query(
      `SELECT id, seq, at, actor_id AS "actorId", actor_role AS "actorRole", action, entity_type AS "entityType", entity_id AS "entityId", data, hash
         FROM audit_log
        WHERE ($1::text IS NULL OR entity_type = $1) AND ($2::text IS NULL OR entity_id = $2) AND ($3::text IS NULL OR action = $3) AND ($4::bigint IS NULL OR id < $4)
        ORDER BY id DESC LIMIT $5`,
      [q.entityType ?? null, q.entityId ?? null, q.action ?? null, q.before ?? null, q.limit],
    );
    return { items: rows };
  });
  r.get('/audit/verify', { schema: { tags: ['audit'], summary: 'Verify the hash chain of the whole audit log' } }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'audit.read')) throw forbidden('your role may not read the audit log');
    return verifyAuditLog(ctx.db);
  });
}
