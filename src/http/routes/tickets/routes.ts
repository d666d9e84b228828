import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can, forbiddenCreateFields, type Actor } from '../../../domain/policy.ts';
import { derivePriority } from '../../../domain/priority.ts';
import { allowedTransitions } from '../../../domain/ticket-lifecycle.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { getCustomerRow, presentCustomer } from '../../../services/customers/customers.ts';
import { getSetting } from '../../../services/settings/settings.ts';
import { ticketClocks } from '../../../services/sla/clocks.ts';
import { createTicket } from '../../../services/tickets/create-ticket.ts';
import { listTickets } from '../../../services/tickets/list-tickets.ts';
import { addTicketMessage, changeTicketStatus, recordCustomerNotified, ticketTimeline, updateTicket } from '../../../services/tickets/ticket-actions.ts';
import {
  answerEscalation,
  assignTicket,
  escalateTicket,
  handOverTicket,
  linkTickets,
  listEscalations,
  listLinks,
  mergeTickets,
  takeTicket,
} from '../../../services/tickets/ticket-ownership.ts';
import { loadTicketFor, presentTicketSummary, type TicketRow } from '../../../services/tickets/ticket-row.ts';
import { requireActor } from '../../auth.ts';
import { AppError, forbidden } from '../../errors.ts';
import { createTicketBody, listQuery, messageBody, statusBody, ticketRef, ticketSummary, timelineEvent, updateTicketBody } from './schema.ts';

async function presentTicketDetail(ctx: ServiceContext, actor: Actor, t: TicketRow) {
  const groups = await getSetting(ctx.db.pool, 'tickets.special_groups');
  const goods = await getSetting(ctx.db.pool, 'tickets.urgent_goods');
  // The service notes every agent sees on opening the ticket (T3).
  const notes = derivePriority({ requested: t.priority, specialGroups: t.special_groups, goods: t.goods }, { groups, goods }).notes;
  const customer = t.customer_id ? presentCustomer(await getCustomerRow(ctx.db.pool, t.customer_id), ctx.crypto, actor) : null;
  return {
    ...presentTicketSummary(t),
    description: t.description,
    firstRespondedAt: t.first_responded_at?.toISOString() ?? null,
    resolvedAt: t.resolved_at?.toISOString() ?? null,
    closedAt: t.closed_at?.toISOString() ?? null,
    serviceNotes: notes,
    customer,
    clocks: await ticketClocks(ctx.db.pool, t.id, ctx.now()),
    allowedStatuses: allowedTransitions({ status: t.status, waitingOn: t.waiting_on, customerNotifiedAt: t.customer_notified_at }),
  };
}

export async function ticketRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tickets'];

  r.post('/tickets', {
    schema: {
      tags,
      summary: 'Create a ticket (工单). Send Idempotency-Key to make retries safe.',
      body: createTicketBody,
      headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).loose(),
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const refused = forbiddenCreateFields(actor, req.body);
    if (refused.length) throw forbidden(`your role may not set ${refused.join(', ')} when opening a ticket`);
    const key = req.headers['idempotency-key'];
    const { ticket, replayed } = await createTicket(ctx, actor, req.body, typeof key === 'string' ? { key } : undefined);
    return reply.code(replayed ? 200 : 201).header('location', `/api/v1/tickets/${ticket.id}`).send(await presentTicketDetail(ctx, actor, ticket));
  });

  r.get('/tickets', {
    schema: { tags, summary: 'Search and list tickets, newest first, keyset-paginated (pass nextCursor as cursor)', querystring: listQuery, response: { 200: z.object({ items: z.array(ticketSummary), nextCursor: z.string().nullable() }) } },
  }, async (req) => {
    const actor = requireActor(req);
    const q = req.query;
    const { items, nextCursor } = await listTickets(ctx.db.pool, actor, {
      ...q,
      ownerId: q.ownerId === 'me' ? actor.userId : q.ownerId,
      teamIds: q.teamId === 'mine' ? actor.teamIds : q.teamId,
      categoryIds: q.categoryId,
    });
    return { items: items.map(presentTicketSummary), nextCursor };
  });

  r.get('/tickets/:id', { schema: { tags, summary: 'A ticket with its SLA clocks, customer (masked) and service notes', params: ticketRef } }, async (req) => {
    const actor = requireActor(req);
    return presentTicketDetail(ctx, actor, await loadTicketFor(ctx.db.pool, actor, req.params.id, 'ticket.read'));
  });

  r.patch('/tickets/:id', { schema: { tags, summary: 'Edit subject, type, category, priority, tags, waybills, special groups', params: ticketRef, body: updateTicketBody } }, async (req) => {
    const actor = requireActor(req);
    return presentTicketDetail(ctx, actor, await updateTicket(ctx, actor, req.params.id, req.body));
  });

  r.get('/tickets/:id/events', { schema: { tags, summary: 'Timeline: messages, notes, status changes, assignments, hand-overs, escalations, SLA events; each with its author (display name and role)', params: ticketRef, response: { 200: z.object({ items: z.array(timelineEvent) }) } } }, async (req) => {
    const actor = requireActor(req);
    return { items: await ticketTimeline(ctx, actor, req.params.id) };
  });

  r.post('/tickets/:id/messages', { schema: { tags, summary: 'Public reply or internal note', params: ticketRef, body: messageBody } }, async (req, reply) => {
    const actor = requireActor(req);
    const { event, replayed } = await addTicketMessage(ctx, actor, req.params.id, req.body);
    return reply.code(replayed ? 200 : 201).send(event);
  });

  r.post('/tickets/:id/status', { schema: { tags, summary: 'Change status by the lifecycle rules (closing needs the customer told the result)', params: ticketRef, body: statusBody } }, async (req) => {
    const actor = requireActor(req);
    return presentTicketDetail(ctx, actor, await changeTicketStatus(ctx, actor, req.params.id, req.body));
  });

  r.post('/tickets/:id/customer-notified', {
    schema: { tags, summary: 'Record that the customer was told the result by another channel (phone, SMS)', params: ticketRef, body: z.object({ channel: z.enum(['phone', 'sms', 'email', 'chat', 'walk_in']), summary: z.string().min(1).max(2000) }) },
  }, async (req) => {
    const actor = requireActor(req);
    return presentTicketDetail(ctx, actor, await recordCustomerNotified(ctx, actor, req.params.id, req.body));
  });

  r.post('/tickets/:id/take', { schema: { tags, summary: 'Take an unowned ticket', params: ticketRef } }, async (req) => {
    const actor = requireActor(req);
    return presentTicketDetail(ctx, actor, await takeTicket(ctx, actor, req.params.id));
  });

  r.post('/tickets/:id/assign', {
    schema: { tags, summary: 'Assign an unowned ticket to an agent, or by the team strategy (leads)', params: ticketRef, body: z.object({ ownerId: z.uuid().nullable().optional(), teamId: z.uuid().nullable().optional() }) },
  }, async (req) => {
    const actor = requireActor(req);
    return presentTicketDetail(ctx, actor, await assignTicket(ctx, actor, req.params.id, req.body));
  });

  r.post('/tickets/:id/handover', {
    schema: { tags, summary: 'Hand over to another agent or team, with a reason (C3)', params: ticketRef, body: z.object({ toUserId: z.uuid().nullable().optional(), toTeamId: z.uuid().nullable().optional(), reason: z.string().min(2).max(1000) }) },
  }, async (req) => {
    const actor = requireActor(req);
    return presentTicketDetail(ctx, actor, await handOverTicket(ctx, actor, req.params.id, req.body));
  });

  r.post('/tickets/:id/escalations', {
    schema: {
      tags,
      summary: 'Escalate to a senior agent, department or supervisor with owner and deadline',
      params: ticketRef,
      body: z.object({ level: z.enum(['senior', 'department', 'supervisor']), ownerId: z.uuid(), targetTeamId: z.uuid().nullable().optional(), reason: z.string().min(2).max(2000), deadlineAt: z.iso.datetime({ offset: true }).nullable().optional() }),
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    return reply.code(201).send(await escalateTicket(ctx, actor, req.params.id, req.body));
  });

  r.get('/tickets/:id/escalations', { schema: { tags, summary: 'Escalations of a ticket', params: ticketRef } }, async (req) => {
    const actor = requireActor(req);
    return { items: await listEscalations(ctx, actor, req.params.id) };
  });

  r.post('/tickets/:id/escalations/:escalationId/answer', {
    schema: { tags, summary: 'Answer an escalation', params: ticketRef.extend({ escalationId: z.uuid() }), body: z.object({ answer: z.string().min(1).max(20_000) }) },
  }, async (req) => {
    const actor = requireActor(req);
    return answerEscalation(ctx, actor, req.params.id, req.params.escalationId, req.body.answer);
  });

  r.post('/tickets/:id/merge', {
    schema: { tags, summary: 'Merge this ticket into another (this one is closed and points at the survivor)', params: ticketRef, body: z.object({ intoTicket: z.string().min(1).max(64), reason: z.string().max(500).default('duplicate') }) },
  }, async (req) => {
    const actor = requireActor(req);
    return presentTicketDetail(ctx, actor, await mergeTickets(ctx, actor, req.params.id, req.body.intoTicket, req.body.reason));
  });

  r.post('/tickets/:id/links', {
    schema: { tags, summary: 'Link two tickets', params: ticketRef, body: z.object({ otherTicket: z.string().min(1).max(64), kind: z.enum(['related', 'duplicate', 'parent', 'child']).default('related') }) },
  }, async (req, reply) => {
    const actor = requireActor(req);
    return reply.code(201).send(await linkTickets(ctx, actor, req.params.id, req.body.otherTicket, req.body.kind));
  });

  r.get('/tickets/:id/links', { schema: { tags, summary: 'Linked tickets', params: ticketRef } }, async (req) => {
    const actor = requireActor(req);
    return { items: await listLinks(ctx, actor, req.params.id) };
  });

  r.get('/ticket-types', { schema: { tags: ['settings'], summary: 'Ticket types (T1)' } }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'ticket.create')) throw new AppError('forbidden', 'not allowed');
    const { rows } = await ctx.db.pool.query('SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM ticket_types ORDER BY sort, code');
    return { items: rows };
  });
}
