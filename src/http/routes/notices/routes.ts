import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../../services/context.ts';
import { listNotices, reportNotice, sendDelayNotices } from '../../../services/express/proactive-notices.ts';
import { requireActor } from '../../auth.ts';

const noticeView = z.object({
  id: z.string(),
  periodId: z.string().nullable(),
  periodName: z.string(),
  waybill: z.string(),
  recipient: z.enum(['receiver', 'sender']),
  phone: z.string().describe('in full for the SMS gateway (integration key), masked for people'),
  text: z.string(),
  priority: z.boolean(),
  status: z.enum(['queued', 'sent', 'failed']),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export async function noticeRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['proactive notices'];

  r.post('/delay-periods/:id/notices', {
    schema: {
      tags,
      summary: '提前告知 — tell the receivers of parcels in flight in the period’s regions; their promised dates move and urgent goods are marked 优先派件 (supervisors, admins; repeatable, never tells anyone twice)',
      params: z.object({ id: z.uuid() }),
      body: z.object({}).optional(),
      response: { 200: z.object({ periodId: z.string(), affected: z.number(), queued: z.number(), alreadyNotified: z.number(), promisesMoved: z.number(), priorityMarked: z.number() }) },
    },
  }, async (req) => sendDelayNotices(ctx, requireActor(req), req.params.id));

  r.get('/shipment-notices', {
    schema: {
      tags, summary: 'Proactive notices, oldest first; the SMS gateway takes status=queued',
      querystring: z.object({ status: z.enum(['queued', 'sent', 'failed']).optional(), periodId: z.uuid().optional(), waybill: z.string().min(6).max(32).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }),
      response: { 200: z.object({ items: z.array(noticeView) }) },
    },
  }, async (req) => ({ items: await listNotices(ctx.db.pool, ctx.crypto, requireActor(req), req.query) }));

  r.post('/shipment-notices/:id/report', {
    schema: {
      tags, summary: 'The SMS gateway reports a notice sent or failed (integration key)',
      params: z.object({ id: z.uuid() }),
      body: z.object({ status: z.enum(['sent', 'failed']), error: z.string().max(500).optional() }),
      response: { 200: noticeView },
    },
  }, async (req) => reportNotice(ctx, requireActor(req), req.params.id, req.body));
}
