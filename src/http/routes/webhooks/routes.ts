import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_URL_LENGTH, WEBHOOK_EVENT_TYPES } from '../../../domain/webhooks.ts';
import type { ServiceContext } from '../../../services/context.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  pingWebhook,
  redeliverWebhook,
  rotateWebhookSecret,
  updateWebhook,
} from '../../../services/webhooks/webhooks.ts';
import { requireActor } from '../../auth.ts';

const VERIFYING = `

**Verifying a delivery.** Each delivery is a POST with a JSON body \`{ id, type, createdAt, data }\` (\`id\` is the event's id: the same on every retry and redelivery, so deduplicate on it; \`data.ticket\` is the ticket summary without personal data; \`data.message\`, \`data.changes\` or \`data.sla\` by type) and the headers \`X-Parceldesk-Event\` (the type), \`X-Parceldesk-Delivery\` (this delivery's id) and \`X-Parceldesk-Signature: t=<unix seconds>,v1=<hex>\`. To verify: take \`t\` and every \`v1\` from the header; compute HMAC-SHA256 with the secret (the whole \`whsec_…\` string as the key) over the string \`<t>.<raw request body>\` — the bytes as received, before any JSON parsing; compare in constant time with each \`v1\` (after a secret rotation there is one \`v1\` per secret still valid); accept only if one matches and \`t\` is within 5 minutes of your clock. Answer 2xx quickly (within the timeout, 10 s by default); anything else, a timeout or a refused connection is retried after 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h (setting \`webhooks.delivery\`: at most 8 attempts), then the delivery is \`failed\`. Redirects are followed only when 307/308 to the same origin. Events: \`ticket.created\`; \`ticket.updated\` (status, assignment, hand-over, field edits, merge — several in one change come as one event listing \`changes\`); \`message.created\` (public messages both ways; internal notes only with \`includeInternal\`); \`sla.breached\`.`;

const eventType = z.enum(WEBHOOK_EVENT_TYPES);
const webhookView = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  includeInternal: z.boolean(),
  active: z.boolean(),
  secretRotatedAt: z.string().nullable(),
  previousSecretValidUntil: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const withSecret = z.object({ webhook: webhookView, secret: z.string().describe('the signing secret; shown only in this response') });
const deliveryView = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  ticketId: z.string().nullable(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  statusCode: z.number().nullable(),
  responseExcerpt: z.string().nullable(),
  error: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  redeliveryOf: z.string().nullable(),
  createdAt: z.string(),
  payload: z.any(),
  attemptLog: z.array(z.object({ attempt: z.number(), at: z.string(), durationMs: z.number(), statusCode: z.number().nullable(), error: z.string().nullable() })),
});

const url = z.string().trim().min(8).max(MAX_URL_LENGTH).describe('http:// or https:// only');
const events = z.array(eventType).min(1).max(WEBHOOK_EVENT_TYPES.length);
const description = z.string().max(500);
const idParams = z.object({ id: z.uuid() });

export async function webhookRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['webhooks'];

  r.post('/webhooks', {
    schema: {
      tags,
      summary: 'Subscribe a URL to events (admin); the signing secret is generated and shown only in this response',
      description: `Creates a subscription.${VERIFYING}`,
      body: z.object({ url, events, description: description.optional(), active: z.boolean().optional(), includeInternal: z.boolean().optional().describe('also send internal notes as message.created (visibility internal)') }),
      response: { 201: withSecret },
    },
  }, async (req, reply) => reply.code(201).send(await createWebhook(ctx, requireActor(req), req.body)));

  r.get('/webhooks', { schema: { tags, summary: 'Webhook subscriptions (admin; secrets are never shown again)', description: VERIFYING.trim(), response: { 200: z.object({ items: z.array(webhookView) }) } } }, async (req) =>
    ({ items: await listWebhooks(ctx, requireActor(req)) }));

  r.get('/webhooks/:id', { schema: { tags, summary: 'A webhook subscription (admin)', params: idParams, response: { 200: webhookView } } }, async (req) =>
    getWebhook(ctx, requireActor(req), req.params.id));

  r.patch('/webhooks/:id', {
    schema: {
      tags, summary: 'Change a subscription: URL, events, description, active, includeInternal (admin)', params: idParams,
      body: z.object({ url: url.optional(), events: events.optional(), description: description.optional(), active: z.boolean().optional(), includeInternal: z.boolean().optional() })
        .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one field to change'),
      response: { 200: webhookView },
    },
  }, async (req) => updateWebhook(ctx, requireActor(req), req.params.id, req.body));

  r.delete('/webhooks/:id', { schema: { tags, summary: 'Delete a subscription with its delivery log; pending deliveries are dropped (admin)', params: idParams } }, async (req, reply) => {
    await deleteWebhook(ctx, requireActor(req), req.params.id);
    return reply.code(204).send();
  });

  r.post('/webhooks/:id/rotate-secret', {
    schema: {
      tags, summary: 'A new signing secret, shown only in this response; the previous one is still signed with (a second v1) for keepPreviousHours (default 24, 0: at once)',
      params: idParams,
      body: z.object({ keepPreviousHours: z.number().int().min(0).max(168).optional() }).optional(),
      response: { 200: withSecret },
    },
  }, async (req) => rotateWebhookSecret(ctx, requireActor(req), req.params.id, req.body ?? {}));

  r.get('/webhooks/:id/deliveries', {
    schema: {
      tags, summary: 'The delivery log, newest first: event, state, attempts (each with its status or error), last status code, response excerpt, next attempt, delivered at (admin)',
      params: idParams,
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(50),
        before: z.coerce.number().int().positive().optional().describe('nextBefore of the previous page'),
        state: z.enum(['pending', 'delivered', 'failed']).optional(),
        eventType: z.string().max(40).optional(),
        ticketId: z.uuid().optional(),
      }),
      response: { 200: z.object({ items: z.array(deliveryView), nextBefore: z.number().nullable() }) },
    },
  }, async (req) => listDeliveries(ctx, requireActor(req), req.params.id, req.query));

  r.post('/webhook-deliveries/:id/redeliver', {
    schema: { tags, summary: 'Send a delivered or failed delivery again: a new delivery of the same payload and event id, sent by the next sweep (admin)', params: idParams, response: { 202: deliveryView } },
  }, async (req, reply) => reply.code(202).send(await redeliverWebhook(ctx, requireActor(req), req.params.id)));

  r.post('/webhooks/:id/ping', {
    schema: { tags, summary: 'Send a webhook.ping now (one attempt, signed like any delivery) and answer with its outcome (admin)', params: idParams, response: { 200: deliveryView } },
  }, async (req) => pingWebhook(ctx, requireActor(req), req.params.id));
}
