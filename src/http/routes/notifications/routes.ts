import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/policy.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { listNotifications, markNotificationRead } from '../../../services/notifications/notifications.ts';
import { requireActor } from '../../auth.ts';
import { AppError, forbidden } from '../../errors.ts';

export async function notificationRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/notifications', { schema: { tags: ['notifications'], summary: 'My notifications (SLA warnings and breaches, assignments, escalations)', querystring: z.object({ unread: z.enum(['true', 'false']).optional() }) } }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'notification.read')) throw forbidden();
    return { items: await listNotifications(ctx.db.pool, actor.userId, req.query.unread === 'true') };
  });
  r.post('/notifications/:id/read', { schema: { tags: ['notifications'], summary: 'Mark as read', params: z.object({ id: z.uuid() }) } }, async (req, reply) => {
    const actor = requireActor(req);
    if (!(await markNotificationRead(ctx.db.pool, actor.userId, req.params.id))) throw new AppError('not_found', `notification ${req.params.id} does not exist`);
    return reply.code(204).send();
  });
}
