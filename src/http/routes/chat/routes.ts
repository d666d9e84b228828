/** Live chat over HTTP (docs/chat-protocol.md): starting, reading and ending chats; presence, queue, accept, transfer, scripts. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PRESENCES } from '../../../domain/chat.ts';
import {
  acceptConversation,
  chatQueue,
  chatScripts,
  endConversation,
  getConversationForCustomer,
  getConversationForStaff,
  linkConversationCustomer,
  listPresence,
  myConversations,
  myPresence,
  setPresence,
  startConversation,
  transferConversation,
} from '../../../services/chat/chat.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { requireActor } from '../../auth.ts';

export const conversationSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  ticketNumber: z.string(),
  status: z.enum(['queued', 'active', 'ended']),
  queuePosition: z.number().nullable().describe('1 = next; null unless waiting'),
  agent: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  teamId: z.string().nullable(),
  visitorName: z.string(),
  topic: z.string().describe('the ticket subject: the topic the customer gave, else the start of the first message'),
  customerId: z.string(),
  startedAt: z.string(),
  assignedAt: z.string().nullable(),
  firstCustomerMessageAt: z.string().nullable(),
  firstReplyAt: z.string().nullable(),
  firstReplyMs: z.number().nullable(),
  firstReplyWithinTarget: z.boolean().nullable().describe('C4: first agent reply within 60 s (setting chat.service)'),
  busyNotices: z.number(),
  transfers: z.number(),
  endedAt: z.string().nullable(),
  endedBy: z.enum(['customer', 'agent', 'system']).nullable(),
});

export const chatMessageSchema = z.object({
  id: z.number(),
  clientId: z.string().nullable(),
  author: z.enum(['customer', 'agent', 'system']),
  authorName: z.string(),
  body: z.string().describe('plain text; render as text, never as HTML'),
  createdAt: z.string(),
});

const presenceSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  status: z.enum(PRESENCES),
  capacity: z.number(),
  active: z.number(),
  lastSeenAt: z.string(),
  available: z.boolean(),
});

const params = z.object({ id: z.string().uuid() });
const clientId = z.string().trim().min(8).max(100).regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only');

function chatToken(req: FastifyRequest): string | null {
  const h = req.headers['x-chat-token'];
  return typeof h === 'string' && h !== '' ? h : null;
}

export async function chatRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['chat'];

  r.post('/chat/conversations', {
    schema: {
      tags,
      summary: '在线咨询 — start a live chat, with no account (name, phone unverified) or signed in as a customer. Keep visitorToken: send it as X-Chat-Token and on the WebSocket. The same clientId again returns the same chat.',
      security: [],
      body: z.object({
        name: z.string().min(1).max(40),
        phone: z.string().min(3).max(30).optional(),
        topic: z.string().max(120).optional(),
        message: z.string().max(4000).optional(),
        clientId: clientId.optional(),
        team: z.string().min(1).max(50).optional().describe('entry point’s team code: only its members get the chat'),
      }),
      response: { 200: z.object({ conversation: conversationSchema, visitorToken: z.string() }), 201: z.object({ conversation: conversationSchema, visitorToken: z.string() }) },
    },
  }, async (req, reply) => {
    const r2 = await startConversation(ctx, req.actor, req.body);
    return reply.code(r2.replayed ? 200 : 201).send({ conversation: r2.conversation, visitorToken: r2.visitorToken });
  });

  r.get('/chat/conversations/:id', {
    schema: {
      tags,
      summary: 'A chat and its messages: the customer side (X-Chat-Token, or the signed-in customer) or staff',
      security: [],
      params,
      response: {
        200: z.object({
          conversation: conversationSchema,
          messages: z.array(chatMessageSchema),
          possibleCustomers: z.array(z.object({ id: z.string(), name: z.string().nullable(), phone: z.string().nullable(), tier: z.string() }).passthrough()).optional().describe('staff only: existing customers with the phone the guest gave (masked, unverified)'),
        }),
      },
    },
  }, async (req) => {
    const token = chatToken(req);
    if (token || !req.actor || req.actor.role === 'customer') return getConversationForCustomer(ctx, { conversationId: req.params.id, token, actor: req.actor });
    return getConversationForStaff(ctx, req.actor, req.params.id);
  });

  r.post('/chat/conversations/:id/end', {
    schema: { tags, summary: 'End a chat: the customer (X-Chat-Token) or the agent in it', security: [], params, response: { 200: z.object({ conversation: conversationSchema }) } },
  }, async (req) => {
    const token = chatToken(req);
    const side = token || !req.actor || req.actor.role === 'customer' ? { customer: { conversationId: req.params.id, token, actor: req.actor } } : { actor: req.actor };
    return { conversation: await endConversation(ctx, side, req.params.id) };
  });

  r.post('/chat/conversations/:id/link-customer', {
    schema: {
      tags,
      summary: 'After verifying a guest’s identity, move the chat (and its ticket) to the existing customer record, saying how they were verified',
      params,
      body: z.object({ customerId: z.string().uuid(), verifiedBy: z.string().min(2).max(200) }),
      response: { 200: z.object({ conversation: conversationSchema }) },
    },
  }, async (req) => ({ conversation: await linkConversationCustomer(ctx, requireActor(req), req.params.id, req.body) }));

  r.post('/chat/conversations/:id/accept', {
    schema: { tags, summary: 'Take a waiting chat', params, response: { 200: z.object({ conversation: conversationSchema }) } },
  }, async (req) => ({ conversation: await acceptConversation(ctx, requireActor(req), req.params.id) }));

  r.post('/chat/conversations/:id/transfer', {
    schema: {
      tags,
      summary: '转接 — transfer a chat to another agent or to a team’s queue, with the reason and the customer’s consent (C6)',
      params,
      body: z.object({
        toAgentId: z.string().uuid().optional(),
        toTeamId: z.string().uuid().optional(),
        reason: z.string().min(1).max(500),
        customerConsent: z.boolean(),
      }),
      response: { 200: z.object({ conversation: conversationSchema }) },
    },
  }, async (req) => ({ conversation: await transferConversation(ctx, requireActor(req), req.params.id, req.body) }));

  r.put('/chat/presence', {
    schema: {
      tags,
      summary: 'My chat presence (online / away / offline) and how many chats I take at once',
      body: z.object({ status: z.enum(PRESENCES), capacity: z.number().int().min(1).max(20).optional() }),
      response: { 200: presenceSchema },
    },
  }, async (req) => setPresence(ctx, requireActor(req), req.body));

  r.get('/chat/presence', {
    schema: { tags, summary: 'Agents’ chat presence and load (team leads and up)', response: { 200: z.object({ items: z.array(presenceSchema) }) } },
  }, async (req) => ({ items: await listPresence(ctx, requireActor(req)) }));

  r.get('/chat/presence/me', {
    schema: { tags, summary: 'My own chat presence and load (offline with the default capacity if never set)', response: { 200: presenceSchema } },
  }, async (req) => myPresence(ctx, requireActor(req)));

  r.get('/chat/queue', {
    schema: { tags, summary: 'Chats waiting for an agent, in queue order', response: { 200: z.object({ items: z.array(conversationSchema) }) } },
  }, async (req) => ({ items: await chatQueue(ctx, requireActor(req)) }));

  r.get('/chat/mine', {
    schema: { tags, summary: 'My active chats', response: { 200: z.object({ items: z.array(conversationSchema) }) } },
  }, async (req) => ({ items: await myConversations(ctx, requireActor(req)) }));

  r.get('/chat/scripts', {
    schema: { tags, summary: 'The standard greeting and closing (C5) and the busy message (C4), company name filled in', response: { 200: z.object({ greeting: z.string(), closing: z.string(), busy: z.string() }) } },
  }, async (req) => chatScripts(ctx, requireActor(req)));
}
