import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../../services/context.ts';
import { registerWalkIn } from '../../../services/walk-ins/walk-ins.ts';
import { requireActor } from '../../auth.ts';

const visitView = z.object({
  id: z.string(), ticketId: z.string(), ticketNumber: z.string(), customerId: z.string().nullable(), outlet: z.string(), purpose: z.string(),
  arrivedAt: z.string(), greetedAt: z.string(), greetMs: z.number(), greetedWithinTarget: z.boolean(),
});

export async function walkInRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/walk-ins', {
    schema: {
      tags: ['walk-ins'],
      summary: '到店登记 — register a walk-in visit at an outlet (who, why, when greeted; target 3 s); it becomes a walk_in ticket. Send Idempotency-Key to make retries safe.',
      headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).loose(),
      body: z.object({
        customerId: z.uuid().optional(),
        customer: z.object({ name: z.string().trim().min(1).max(100).optional(), phone: z.string().min(3).max(32).optional() }).optional(),
        outlet: z.string().trim().min(2).max(100),
        purpose: z.string().trim().min(2).max(200),
        type: z.string().min(1).max(40).optional(),
        waybills: z.array(z.string().min(6).max(32)).max(10).optional(),
        arrivedAt: z.string().min(10).max(40),
        greetedAt: z.string().min(10).max(40),
      }),
      response: { 200: visitView, 201: visitView },
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const { visit, replayed } = await registerWalkIn(ctx, requireActor(req), req.body, typeof key === 'string' ? key : undefined);
    return reply.code(replayed ? 200 : 201).send(visit);
  });
}
