import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listScope } from '../../../domain/policy.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { createSavedView, deleteSavedView, listSavedViews, orderSavedViews, updateSavedView } from '../../../services/saved-views/saved-views.ts';
import { requireActor } from '../../auth.ts';
import { forbidden } from '../../errors.ts';
import type { Actor } from '../../../domain/policy.ts';
import { savedView, viewBody, viewOrder, viewRef } from './schema.ts';

/** Views filter the staff inbox: for those who list every ticket. */
function requireInboxUser(actor: Actor): Actor {
  if (actor.role === 'integration' || listScope(actor).kind !== 'all') throw forbidden('saved views belong to the staff inbox');
  return actor;
}

export async function savedViewRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['saved views'];
  r.get('/me/views', { schema: { tags, summary: 'My saved inbox views', response: { 200: z.object({ items: z.array(savedView) }) } } }, async (req) => {
    const actor = requireInboxUser(requireActor(req));
    return { items: await listSavedViews(ctx.db.pool, actor) };
  });
  r.post('/me/views', { schema: { tags, summary: 'Save an inbox view (a name and its filters)', body: viewBody, response: { 201: savedView } } }, async (req, reply) => {
    const actor = requireInboxUser(requireActor(req));
    return reply.code(201).send(await createSavedView(ctx.db.pool, actor, req.body));
  });
  r.put('/me/views/order', {
    schema: { tags, summary: 'Put my saved views in an order: these ids first, in this order; any not given after them, by name', body: viewOrder, response: { 200: z.object({ items: z.array(savedView) }) } },
  }, async (req) => {
    const actor = requireInboxUser(requireActor(req));
    return { items: await orderSavedViews(ctx.db.pool, actor, req.body.ids) };
  });
  r.put('/me/views/:id', { schema: { tags, summary: 'Rename a saved view or change its filters', params: viewRef, body: viewBody, response: { 200: savedView } } }, async (req) => {
    const actor = requireInboxUser(requireActor(req));
    return updateSavedView(ctx.db.pool, actor, req.params.id, req.body);
  });
  r.delete('/me/views/:id', { schema: { tags, summary: 'Delete a saved view', params: viewRef } }, async (req, reply) => {
    const actor = requireInboxUser(requireActor(req));
    await deleteSavedView(ctx.db.pool, actor, req.params.id);
    return reply.code(204).send();
  });
}
