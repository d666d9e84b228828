import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../../services/context.ts';
import { retryEmail } from '../../../services/email/outbox.ts';
import { getEmailAttachment, listTicketEmails } from '../../../services/email/ticket-emails.ts';
import { requireActor } from '../../auth.ts';
import { ticketRef } from '../tickets/schema.ts';

const status = z.enum(['received', 'queued', 'sending', 'sent', 'failed']);

const emailView = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  messageId: z.string(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  from: z.string().nullable().describe('masked'),
  to: z.string().nullable().describe('masked'),
  subject: z.string(),
  eventId: z.number().nullable().describe('the timeline entry of this mail'),
  automated: z.enum(['auto_reply', 'bulk', 'loop']).nullable().describe('sent by a machine: kept, never answered'),
  automatedReason: z.string().nullable(),
  status: status.describe('inbound: received; outbound: queued → sending → sent, or failed after the last attempt'),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  createdAt: z.string(),
  attachments: z.array(z.object({ id: z.string(), filename: z.string().nullable(), contentType: z.string(), size: z.number(), stored: z.boolean() })),
});

export async function emailRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['email'];

  r.get('/tickets/:id/emails', {
    schema: { tags, summary: '工单邮件 — the ticket’s mail in and out with delivery state, attempts and last error (staff)', params: ticketRef, response: { 200: z.object({ items: z.array(emailView) }) } },
  }, async (req) => ({ items: await listTicketEmails(ctx, requireActor(req), req.params.id) }));

  r.get('/email/attachments/:id', {
    schema: { tags, summary: 'A mail attachment’s bytes (whoever may read its ticket)', params: z.object({ id: z.uuid() }) },
  }, async (req, reply) => {
    const a = await getEmailAttachment(ctx, requireActor(req), req.params.id);
    return reply
      .header('content-type', a.contentType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename ?? 'attachment')}`)
      .header('x-content-type-options', 'nosniff')
      .send(a.content);
  });

  r.post('/email/outbox/:id/retry', {
    schema: {
      tags, summary: '重新发送 — send a failed outbound mail again (a fresh round of attempts)',
      params: z.object({ id: z.uuid() }),
      body: z.object({}).strict().optional(),
      response: { 200: z.object({ id: z.string(), status }) },
    },
  }, async (req) => retryEmail(ctx, requireActor(req), req.params.id));
}
