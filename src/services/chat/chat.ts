/**
 * Live chat (issue 4; SPEC C1, C4–C6): a conversation is a ticket on the chat channel. Customers
 * start one with or without an account; it queues, is routed to an available agent (presence and
 * per-agent capacity), may be transferred with a reason and the customer's consent, and ends. The
 * busy notice (C4) goes out once per waiting spell, claimed in the database so that several
 * processes never send it twice. Messages are ticket messages (addTicketMessage), so chat replies,
 * API replies and the timeline are one thing.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { withTx, type Queryable, type Tx } from '../../db/database.ts';
import {
  anyoneCanTake,
  busyNoticeDue,
  checkChatBody,
  fillCompany,
  firstReplyMeasure,
  routeQueue,
  type ChatAgent,
  type Presence,
  type QueuedChat,
} from '../../domain/chat.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { actorForUser, createUser } from '../accounts/accounts.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { createCustomer, getCustomerRow, presentCustomer, type CustomerView } from '../customers/customers.ts';
import { publishLive } from '../live/live-bus.ts';
import { getSetting } from '../settings/settings.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { addTicketMessage, type EventView } from '../tickets/ticket-actions.ts';
import { appendEvent, loadTicketFor } from '../tickets/ticket-row.ts';

/** What the background parts (routing, busy notices) need: the database and the clock. */
export type ChatClock = Pick<ServiceContext, 'db' | 'now'>;

export type ConversationStatus = 'queued' | 'active' | 'ended';

export interface ConversationView {
  id: string;
  ticketId: string;
  ticketNumber: string;
  status: ConversationStatus;
  queuePosition: number | null;
  agent: { id: string; displayName: string } | null;
  teamId: string | null;
  visitorName: string;
  /** The ticket's subject: the topic the customer gave, else the start of their first message. */
  topic: string;
  customerId: string;
  startedAt: string;
  assignedAt: string | null;
  firstCustomerMessageAt: string | null;
  firstReplyAt: string | null;
  firstReplyMs: number | null;
  /** C4: first agent reply within the target (60 s); null while still inside it unanswered. */
  firstReplyWithinTarget: boolean | null;
  busyNotices: number;
  transfers: number;
  endedAt: string | null;
  endedBy: 'customer' | 'agent' | 'system' | null;
}

export interface ChatMessage {
  id: number;
  clientId: string | null;
  author: 'customer' | 'agent' | 'system';
  authorName: string;
  body: string;
  createdAt: string;
}

interface ConvRow {
  id: string;
  ticket_id: string;
  ticket_number: string;
  customer_id: string;
  visitor_user_id: string;
  visitor_name: string;
  topic: string;
  status: ConversationStatus;
  priority: QueuedChat['priority'];
  team_id: string | null;
  agent_id: string | null;
  agent_name: string | null;
  not_agent_id: string | null;
  queued_at: Date;
  assigned_at: Date | null;
  first_customer_message_at: Date | null;
  first_reply_at: Date | null;
  first_reply_ms: number | null;
  awaiting_since: Date | null;
  busy_notice_for: Date | null;
  busy_notices: number;
  transfers: number;
  ended_at: Date | null;
  ended_by: ConversationView['endedBy'];
  created_at: Date;
  queue_position: number | null;
}

const RANK_SQL = (a: string): string => `CASE ${a}.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END`;

const CONV_SQL = `SELECT c.id, c.ticket_id, t.number AS ticket_number, t.subject AS topic, c.customer_id, c.visitor_user_id, c.visitor_name, c.status, c.priority,
    c.team_id, c.agent_id, u.display_name AS agent_name, c.not_agent_id, c.queued_at, c.assigned_at, c.first_customer_message_at,
    c.first_reply_at, c.first_reply_ms, c.awaiting_since, c.busy_notice_for, c.busy_notices, c.transfers, c.ended_at, c.ended_by, c.created_at,
    -- The place in the line the chat waits in: its team's (or the general queue's), not every team's.
    CASE WHEN c.status = 'queued' THEN (SELECT count(*) FROM chat_conversations o WHERE o.status = 'queued' AND o.team_id IS NOT DISTINCT FROM c.team_id
      AND (${RANK_SQL('o')}, o.queued_at, o.id) <= (${RANK_SQL('c')}, c.queued_at, c.id)) END AS queue_position
  FROM chat_conversations c JOIN tickets t ON t.id = c.ticket_id LEFT JOIN users u ON u.id = c.agent_id`;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function loadConv(q: Queryable, id: string, lock = false): Promise<ConvRow> {
  if (!UUID_RE.test(id)) throw notFound('conversation', id);
  if (lock) await q.query('SELECT 1 FROM chat_conversations WHERE id = $1 FOR UPDATE', [id]);
  const { rows } = await q.query<ConvRow>(`${CONV_SQL} WHERE c.id = $1`, [id]);
  if (!rows[0]) throw notFound('conversation', id);
  return rows[0];
}

/**
 * Locks a conversation for a change, its ticket first: every writer takes the ticket's row lock
 * before the conversation's (a message locks the ticket, then notes itself on the conversation),
 * so two writers never wait on each other in opposite order.
 */
async function lockConv(tx: Tx, id: string): Promise<ConvRow> {
  const c = await loadConv(tx, id);
  await tx.query('SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE', [c.ticket_id]);
  return loadConv(tx, id, true);
}

function present(c: ConvRow, now: Date, targetSeconds: number): ConversationView {
  const m = firstReplyMeasure(c.first_customer_message_at, c.first_reply_at, c.status === 'ended' && c.ended_at ? c.ended_at : now, targetSeconds);
  return {
    id: c.id,
    ticketId: c.ticket_id,
    ticketNumber: c.ticket_number,
    status: c.status,
    queuePosition: c.queue_position,
    agent: c.agent_id ? { id: c.agent_id, displayName: c.agent_name ?? '' } : null,
    teamId: c.team_id,
    visitorName: c.visitor_name,
    topic: c.topic,
    customerId: c.customer_id,
    startedAt: c.created_at.toISOString(),
    assignedAt: c.assigned_at?.toISOString() ?? null,
    firstCustomerMessageAt: c.first_customer_message_at?.toISOString() ?? null,
    firstReplyAt: c.first_reply_at?.toISOString() ?? null,
    firstReplyMs: c.first_reply_ms ?? m.firstReplyMs,
    firstReplyWithinTarget: m.withinTarget,
    busyNotices: c.busy_notices,
    transfers: c.transfers,
    endedAt: c.ended_at?.toISOString() ?? null,
    endedBy: c.ended_by,
  };
}

async function view(ctx: ServiceContext, q: Queryable, c: ConvRow): Promise<ConversationView> {
  const s = await getSetting(q, 'chat.service');
  return present(c, ctx.now(), s.firstReplyTargetSeconds);
}

export async function conversationView(ctx: ServiceContext, id: string): Promise<ConversationView> {
  return view(ctx, ctx.db.pool, await loadConv(ctx.db.pool, id));
}

/** The visitor's token proves the browser that started the chat; it is derived, so a retried start returns the same one. */
export function visitorToken(ctx: ServiceContext, conversationId: string): string {
  return ctx.crypto.lookupHash(`chat-visitor:${conversationId}`);
}

function tokenMatches(ctx: ServiceContext, conversationId: string, token: string | null | undefined): boolean {
  if (!token) return false;
  const expected = Buffer.from(visitorToken(ctx, conversationId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Who is on the customer side of a conversation: its visitor token, or the signed-in customer it belongs to. */
export interface CustomerSide {
  conversationId: string;
  token?: string | null;
  actor?: Actor | null;
}

/** Checks a customer-side caller; answers "not found" to anyone else, so ids reveal nothing. */
export async function authorizeCustomerSide(ctx: ServiceContext, who: CustomerSide): Promise<ConvRow> {
  const c = await loadConv(ctx.db.pool, who.conversationId);
  if (tokenMatches(ctx, c.id, who.token)) return c;
  if (who.actor?.role === 'customer' && who.actor.customerId === c.customer_id) return c;
  throw notFound('conversation', who.conversationId);
}

const STAFF_CHAT_ROLES = new Set(['agent', 'team_lead', 'supervisor', 'admin']);
const LEADS = new Set(['team_lead', 'supervisor', 'admin']);

function requireChatStaff(actor: Actor): void {
  if (!STAFF_CHAT_ROLES.has(actor.role)) throw forbidden('only agents, team leads, supervisors and admins work live chats');
}

const NAME_RE = /^[^\u0000-\u001f\u007f<>]{1,40}$/;

export interface StartChatInput {
  name: string;
  phone?: string | null;
  topic?: string | null;
  message?: string | null;
  clientId?: string | null;
  /** The entry point's team (its code, e.g. a widget on the business-customer page): only its members get the chat. */
  team?: string | null;
}

/**
 * Starts a chat. Without an account the visitor gets a guest customer record (name and phone as
 * given, unverified: it is not merged into an existing customer until someone verifies it) and a
 * guest account without a password that their messages are written as.
 */
export async function startConversation(ctx: ServiceContext, actor: Actor | null, input: StartChatInput): Promise<{ conversation: ConversationView; visitorToken: string; replayed: boolean }> {
  if (actor && actor.role !== 'customer') throw forbidden('staff do not start chats as customers; customers do');
  const name = input.name.trim();
  if (!NAME_RE.test(name)) throw new AppError('validation_failed', 'name must be 1–40 characters without control characters or < >');
  const topic = input.topic?.trim() || null;
  if (topic && [...topic].length > 120) throw new AppError('validation_failed', 'topic is longer than 120 characters');
  let first: string | null = null;
  if (input.message != null && input.message.trim() !== '') {
    const b = checkChatBody(input.message);
    if (!b.ok) throw new AppError('validation_failed', b.message);
    first = b.body;
  }
  let teamId: string | null = null;
  if (input.team) {
    const t = await ctx.db.pool.query<{ id: string }>('SELECT id FROM teams WHERE code = $1', [input.team]);
    if (!t.rows[0]) throw new AppError('validation_failed', `team "${input.team}" does not exist`);
    teamId = t.rows[0].id;
  }
  if (input.clientId) {
    const prior = await ctx.db.pool.query<{ id: string }>('SELECT id FROM chat_conversations WHERE start_client_id = $1', [input.clientId]);
    if (prior.rows[0]) {
      const c = await loadConv(ctx.db.pool, prior.rows[0].id);
      if (actor && actor.customerId !== c.customer_id) throw new AppError('conflict', 'this clientId belongs to another conversation');
      return { conversation: await view(ctx, ctx.db.pool, c), visitorToken: visitorToken(ctx, c.id), replayed: true };
    }
  }

  // The customer side's account: the signed-in customer, or a new guest.
  let visitor: Actor;
  if (actor) {
    visitor = actor;
  } else {
    visitor = await withTx(ctx.db, async (tx) => {
      const customer = await createCustomer(tx, ctx.crypto, null, { name, ...(input.phone ? { phone: input.phone } : {}) });
      const user = await createUser(tx, null, { username: `guest-${randomUUID()}`, password: null, role: 'customer', displayName: name, customerId: customer.id });
      return { userId: user.id, role: 'customer', customerId: customer.id, teamIds: [] } satisfies Actor;
    });
  }
  let ticketId: string;
  try {
    const { ticket } = await createTicket(ctx, visitor, {
      type: 'consultation',
      channel: 'chat',
      subject: topic ?? (first ? [...first].slice(0, 60).join('') : '在线咨询'),
      description: first ?? '',
      ...(teamId ? { teamId } : {}),
      // The chat's routing decides who answers (and so who owns the ticket, C3), not the team's rota.
      autoAssign: false,
    });
    ticketId = ticket.id;
  } catch (err) {
    if (!actor) await ctx.db.pool.query('UPDATE users SET disabled_at = now() WHERE id = $1', [visitor.userId]);
    throw err;
  }

  const now = ctx.now();
  let conversationId: string;
  try {
    conversationId = await withTx(ctx.db, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO chat_conversations (ticket_id, customer_id, visitor_user_id, visitor_name, start_client_id, status, priority, queued_at, team_id)
         SELECT $1, $2, $3, $4, $5, 'queued', t.priority, $6, $7 FROM tickets t WHERE t.id = $1 RETURNING id`,
        [ticketId, visitor.customerId, visitor.userId, name, input.clientId ?? null, now, teamId],
      );
      const id = rows[0]!.id;
      await appendEvent(tx, ticketId, { kind: 'chat_started', actorId: visitor.userId, visibility: 'internal', data: { conversationId: id, guest: !actor } });
      await recordAudit(tx, visitor, { action: 'chat.start', entityType: 'chat', entityId: id, data: { ticketId, guest: !actor } });
      await publishLive(tx, { topic: 'chat-queue', type: 'queue', data: { conversationId: id } });
      return id;
    });
  } catch (err) {
    // A concurrent retry with the same clientId won the race: answer with its conversation.
    if ((err as { code?: string }).code === '23505' && input.clientId) return startConversation(ctx, actor, input);
    throw err;
  }
  if (first) await addTicketMessage(ctx, visitor, ticketId, { body: first, visibility: 'public', clientId: input.clientId ? `${input.clientId}:first` : null });
  await routeChats(ctx);
  await sendBusyNotices(ctx, conversationId);
  const c = await loadConv(ctx.db.pool, conversationId);
  return { conversation: await view(ctx, ctx.db.pool, c), visitorToken: visitorToken(ctx, conversationId), replayed: false };
}

/**
 * Public chat messages of a conversation's ticket after `after`, oldest first. With `overlapSeconds`
 * (a reconnecting client), also those written up to that long before message `after`: ids are
 * taken when a message is written and it becomes visible at commit, so a message with a lower id
 * can arrive after a higher one; the client drops the ones it has by id.
 */
export async function chatMessages(q: Queryable, ticketId: string, after = 0, limit = 500, overlapSeconds = 0): Promise<ChatMessage[]> {
  const { rows } = await q.query<{ id: number; client_id: string | null; author: string | null; actor_name: string | null; body: string; created_at: Date }>(
    `SELECT e.id, e.client_id, e.data->>'author' AS author, u.display_name AS actor_name, e.body, e.created_at
       FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.ticket_id = $1 AND e.kind = 'message' AND e.visibility = 'public'
        AND (e.id > $2 OR ($4 > 0 AND e.created_at >= (SELECT created_at FROM ticket_events WHERE id = $2) - make_interval(secs => $4)))
      ORDER BY e.id LIMIT $3`,
    [ticketId, after, limit, overlapSeconds],
  );
  return rows.map((r) => toChatMessage({ id: r.id, clientId: r.client_id, author: r.author, authorName: r.actor_name, body: r.body, createdAt: r.created_at.toISOString() }));
}

export function toChatMessage(e: { id: number; clientId: string | null; author: unknown; authorName: string | null; body: string | null; createdAt: string }): ChatMessage {
  const author = e.author === 'customer' || e.author === 'agent' ? e.author : 'system';
  return { id: e.id, clientId: e.clientId, author, authorName: author === 'system' ? '系统消息' : (e.authorName ?? ''), body: e.body ?? '', createdAt: e.createdAt };
}

export async function getConversationForCustomer(ctx: ServiceContext, who: CustomerSide): Promise<{ conversation: ConversationView; messages: ChatMessage[] }> {
  const c = await authorizeCustomerSide(ctx, who);
  return { conversation: await view(ctx, ctx.db.pool, c), messages: await chatMessages(ctx.db.pool, c.ticket_id) };
}

export async function getConversationForStaff(ctx: ServiceContext, actor: Actor, id: string): Promise<{ conversation: ConversationView; messages: ChatMessage[]; possibleCustomers: CustomerView[] }> {
  requireChatStaff(actor);
  const c = await loadConv(ctx.db.pool, id);
  await loadTicketFor(ctx.db.pool, actor, c.ticket_id, 'ticket.read');
  return { conversation: await view(ctx, ctx.db.pool, c), messages: await chatMessages(ctx.db.pool, c.ticket_id), possibleCustomers: await possibleCustomers(ctx, actor, c) };
}

/**
 * Existing customers with the phone a guest gave (masked). The phone is unverified: the agent
 * checks who they are talking to (a waybill, the recipient's name…) before linking the chat.
 */
async function possibleCustomers(ctx: ServiceContext, actor: Actor, c: ConvRow): Promise<CustomerView[]> {
  const { rows } = await ctx.db.pool.query<{ id: string }>(
    `SELECT o.id FROM customers g JOIN customers o ON o.phone_hash = g.phone_hash AND o.id <> g.id
      WHERE g.id = $1 AND g.phone_hash IS NOT NULL ORDER BY o.created_at LIMIT 5`,
    [c.customer_id],
  );
  const out: CustomerView[] = [];
  for (const r of rows) out.push(presentCustomer(await getCustomerRow(ctx.db.pool, r.id), ctx.crypto, actor));
  return out;
}

/**
 * "Verified later": once the agent has checked the guest's identity, the chat (its ticket and the
 * guest account it is written as) moves to the existing customer, so it shows in their history.
 */
export async function linkConversationCustomer(ctx: ServiceContext, actor: Actor, conversationId: string, input: { customerId: string; verifiedBy: string }): Promise<ConversationView> {
  requireChatStaff(actor);
  const how = input.verifiedBy.trim();
  if (how.length < 2) throw new AppError('validation_failed', 'say how the customer was verified (e.g. 核对了运单号和收件人姓名)');
  await withTx(ctx.db, async (tx) => {
    const c = await lockConv(tx, conversationId);
    await loadTicketFor(tx, actor, c.ticket_id, 'ticket.update');
    if (c.customer_id === input.customerId) return;
    const target = await tx.query('SELECT 1 FROM customers WHERE id = $1', [input.customerId]);
    if (!target.rowCount) throw new AppError('validation_failed', `customer ${input.customerId} does not exist`);
    const guest = await tx.query<{ username: string }>('SELECT username FROM users WHERE id = $1', [c.visitor_user_id]);
    if (!guest.rows[0]?.username.startsWith('guest-')) throw new AppError('conflict', 'this chat was started by a signed-in customer; it is already theirs');
    await tx.query('UPDATE chat_conversations SET customer_id = $2 WHERE id = $1', [c.id, input.customerId]);
    await tx.query('UPDATE tickets SET customer_id = $2, updated_at = now() WHERE id = $1', [c.ticket_id, input.customerId]);
    await tx.query('UPDATE users SET customer_id = $2 WHERE id = $1', [c.visitor_user_id, input.customerId]);
    const data = { conversationId: c.id, from: c.customer_id, to: input.customerId, verifiedBy: how };
    await appendEvent(tx, c.ticket_id, { kind: 'customer_linked', actorId: actor.userId, visibility: 'internal', body: how, data });
    await recordAudit(tx, actor, { action: 'chat.link_customer', entityType: 'chat', entityId: c.id, data });
  });
  return conversationView(ctx, conversationId);
}

function messageFromEvent(e: EventView, authorName: string): ChatMessage {
  return toChatMessage({ id: e.id, clientId: e.clientId, author: e.data.author, authorName, body: e.body, createdAt: e.createdAt });
}

/** A customer's chat message. A repeat with the same clientId returns the stored message (C7). */
export async function postCustomerChatMessage(ctx: ServiceContext, who: CustomerSide, input: { clientId: string; body: string }): Promise<{ message: ChatMessage; replayed: boolean }> {
  const b = checkChatBody(input.body);
  if (!b.ok) throw new AppError('validation_failed', b.message);
  // The hot path of live chat: one light query for who writes where (the conversation's customer
  // is the visitor account's, kept together by linkConversationCustomer); a retried clientId is
  // answered by addTicketMessage from the stored message.
  if (!UUID_RE.test(who.conversationId)) throw notFound('conversation', who.conversationId);
  const { rows } = await ctx.db.pool.query<{ ticket_id: string; customer_id: string; visitor_user_id: string; visitor_name: string; status: ConversationStatus; usable: boolean }>(
    `SELECT c.ticket_id, c.customer_id, c.visitor_user_id, c.visitor_name, c.status, u.disabled_at IS NULL AS usable
       FROM chat_conversations c JOIN users u ON u.id = c.visitor_user_id WHERE c.id = $1`,
    [who.conversationId],
  );
  const c = rows[0];
  if (!c || !(tokenMatches(ctx, who.conversationId, who.token) || (who.actor?.role === 'customer' && who.actor.customerId === c.customer_id))) throw notFound('conversation', who.conversationId);
  if (c.status === 'ended') {
    const prior = await priorMessage(ctx.db.pool, c.ticket_id, input.clientId);
    if (prior) return { message: prior, replayed: true };
    throw new AppError('conflict', 'this chat has ended; start a new one');
  }
  if (!c.usable) throw new AppError('conflict', 'this chat can no longer be used');
  const visitor: Actor = { userId: c.visitor_user_id, role: 'customer', customerId: c.customer_id, teamIds: [] };
  const r = await addTicketMessage(ctx, visitor, c.ticket_id, { body: b.body, visibility: 'public', clientId: input.clientId });
  return { message: messageFromEvent(r.event, c.visitor_name), replayed: r.replayed };
}

async function priorMessage(q: Queryable, ticketId: string, clientId: string): Promise<ChatMessage | null> {
  const { rows } = await q.query<{ id: number }>(`SELECT id FROM ticket_events WHERE ticket_id = $1 AND client_id = $2 AND kind = 'message'`, [ticketId, clientId]);
  if (!rows[0]) return null;
  return (await chatMessages(q, ticketId, rows[0].id - 1, 1))[0] ?? null;
}

/**
 * An agent's chat message. The assigned agent writes; a waiting chat is taken by whoever answers
 * it; team leads and up may step into someone else's chat.
 */
export async function postAgentChatMessage(ctx: ServiceContext, actor: Actor, conversationId: string, input: { clientId: string; body: string }): Promise<{ message: ChatMessage; replayed: boolean }> {
  requireChatStaff(actor);
  const b = checkChatBody(input.body);
  if (!b.ok) throw new AppError('validation_failed', b.message);
  let c = await loadConv(ctx.db.pool, conversationId);
  if (c.status === 'ended') {
    await loadTicketFor(ctx.db.pool, actor, c.ticket_id, 'ticket.reply');
    const prior = await priorMessage(ctx.db.pool, c.ticket_id, input.clientId);
    if (prior) return { message: prior, replayed: true };
    throw new AppError('conflict', 'this chat has ended');
  }
  // A retried clientId is answered by addTicketMessage from the stored message, which also checks the agent may reply.
  if (c.status === 'queued') {
    await acceptConversation(ctx, actor, conversationId);
    c = await loadConv(ctx.db.pool, conversationId);
  }
  if (c.agent_id !== actor.userId && !LEADS.has(actor.role)) throw forbidden('this chat is with another agent');
  const r = await addTicketMessage(ctx, actor, c.ticket_id, { body: b.body, visibility: 'public', clientId: input.clientId });
  const name = (await ctx.db.pool.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [actor.userId])).rows[0]?.display_name ?? '';
  return { message: messageFromEvent(r.event, name), replayed: r.replayed };
}

/** Hands a conversation to an agent inside the caller's transaction: status, ticket owner (C3), events, live frames. */
async function assignInTx(tx: Tx, c: { id: string; ticket_id: string }, agentId: string, now: Date, by: 'routing' | 'accept' | 'transfer', actorId: string | null, reason?: string): Promise<void> {
  const t = (await tx.query<{ owner_id: string | null; team_id: string | null }>('SELECT owner_id, team_id FROM tickets WHERE id = $1 FOR UPDATE', [c.ticket_id])).rows[0]!;
  await tx.query(
    `UPDATE chat_conversations SET status = 'active', agent_id = $2, assigned_at = coalesce(assigned_at, $3), not_agent_id = NULL WHERE id = $1`,
    [c.id, agentId, now],
  );
  await tx.query(
    `INSERT INTO chat_presence (user_id, status, capacity, last_seen_at, last_assigned_at) VALUES ($1, 'offline', 3, $2, $2)
     ON CONFLICT (user_id) DO UPDATE SET last_assigned_at = $2`,
    [agentId, now],
  );
  if (t.owner_id !== agentId) {
    await tx.query('UPDATE tickets SET owner_id = $2, updated_at = $3 WHERE id = $1', [c.ticket_id, agentId, now]);
    if (t.owner_id === null) {
      await appendEvent(tx, c.ticket_id, { kind: 'assignment', actorId, data: { ownerId: agentId, teamId: t.team_id, by: `chat_${by}` } });
    } else {
      await appendEvent(tx, c.ticket_id, { kind: 'handover', actorId, data: { from: t.owner_id, to: agentId, reason: reason ?? `chat ${by}`, by: `chat_${by}` } });
    }
  }
  await publishLive(tx, { topic: `chat:${c.id}`, type: 'state', data: { conversationId: c.id } });
  await publishLive(tx, { topic: `agent:${agentId}`, type: 'offer', data: { conversationId: c.id } });
  await publishLive(tx, { topic: 'chat-queue', type: 'queue', data: { conversationId: c.id } });
}

const ROUTING_LOCK = 72_611_010;

/**
 * Routes waiting chats to available agents. One routing at a time across processes (a
 * transaction-scoped advisory lock), so two processes never fill one agent past capacity.
 */
export async function routeChats(ctx: ChatClock): Promise<number> {
  const now = ctx.now();
  return withTx(ctx.db, async (tx) => {
    const queued = await tx.query<{ id: string; ticket_id: string; team_id: string | null; not_agent_id: string | null; priority: QueuedChat['priority']; queued_at: Date }>(
      `SELECT id, ticket_id, team_id, not_agent_id, priority, queued_at FROM chat_conversations WHERE status = 'queued' ORDER BY queued_at LIMIT 500`,
    );
    if (queued.rows.length === 0) return 0;
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ROUTING_LOCK]);
    const s = await getSetting(tx, 'chat.service');
    const agents = await loadAgents(tx);
    // Re-read under the lock: another process may have routed some meanwhile.
    const still = await tx.query<{ id: string }>(`SELECT id FROM chat_conversations WHERE status = 'queued' AND id = ANY($1::uuid[])`, [queued.rows.map((r) => r.id)]);
    const live = new Set(still.rows.map((r) => r.id));
    const queue = queued.rows.filter((r) => live.has(r.id)).map((r) => ({ id: r.id, teamId: r.team_id, notAgentId: r.not_agent_id, priority: r.priority, queuedAt: r.queued_at }));
    const plan = routeQueue(queue, agents, now, s.presenceTimeoutSeconds);
    const byId = new Map(queued.rows.map((r) => [r.id, r]));
    for (const a of plan) await assignInTx(tx, byId.get(a.chatId)!, a.agentId, now, 'routing', null);
    return plan.length;
  });
}

async function loadAgents(q: Queryable): Promise<ChatAgent[]> {
  const { rows } = await q.query<{ user_id: string; status: Presence; capacity: number; last_seen_at: Date; last_assigned_at: Date | null; active: number; team_ids: string[] }>(
    `SELECT p.user_id, p.status, p.capacity, p.last_seen_at, p.last_assigned_at,
            (SELECT count(*) FROM chat_conversations c WHERE c.agent_id = p.user_id AND c.status = 'active') AS active,
            coalesce(ARRAY(SELECT tm.team_id::text FROM team_members tm WHERE tm.user_id = p.user_id), '{}') AS team_ids
       FROM chat_presence p JOIN users u ON u.id = p.user_id AND u.disabled_at IS NULL
      WHERE p.status = 'online'`,
  );
  return rows.map((r) => ({ id: r.user_id, presence: r.status, capacity: r.capacity, lastSeenAt: r.last_seen_at, lastAssignedAt: r.last_assigned_at, active: Number(r.active), teamIds: r.team_ids }));
}

/**
 * C4's busy notice: to each chat whose customer has waited past the threshold (or that queues with
 * nobody able to take it), once per waiting spell. The conditional UPDATE is the claim: of several
 * processes sweeping at once, one sends it.
 */
export async function sendBusyNotices(ctx: ChatClock, onlyConversationId?: string): Promise<number> {
  const now = ctx.now();
  const s = await getSetting(ctx.db.pool, 'chat.service');
  const { rows } = await ctx.db.pool.query<{ id: string; ticket_id: string; status: ConversationStatus; team_id: string | null; awaiting_since: Date; busy_notice_for: Date | null }>(
    `SELECT id, ticket_id, status, team_id, awaiting_since, busy_notice_for FROM chat_conversations
      WHERE status <> 'ended' AND awaiting_since IS NOT NULL AND busy_notice_for IS DISTINCT FROM awaiting_since
        ${onlyConversationId ? 'AND id = $1' : ''}
      ORDER BY awaiting_since LIMIT 1000`,
    onlyConversationId ? [onlyConversationId] : [],
  );
  if (rows.length === 0) return 0;
  const agents = await loadAgents(ctx.db.pool);
  const company = (await getSetting(ctx.db.pool, 'company.name')).zh;
  let sent = 0;
  for (const r of rows) {
    const due = busyNoticeDue({ awaitingSince: r.awaiting_since, noticeFor: r.busy_notice_for, status: r.status }, now, s.busyAfterSeconds, !anyoneCanTake(agents, r.team_id, now, s.presenceTimeoutSeconds));
    if (!due) continue;
    const claimed = await withTx(ctx.db, async (tx) => {
      await tx.query('SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE', [r.ticket_id]);
      const upd = await tx.query(
        `UPDATE chat_conversations SET busy_notice_for = awaiting_since, busy_notices = busy_notices + 1
          WHERE id = $1 AND awaiting_since = $2 AND busy_notice_for IS DISTINCT FROM awaiting_since AND status <> 'ended'`,
        [r.id, r.awaiting_since],
      );
      if (!upd.rowCount) return false;
      await appendEvent(tx, r.ticket_id, { kind: 'message', actorId: null, visibility: 'public', body: fillCompany(s.busyMessage, company), data: { author: 'system', notice: 'busy' } });
      return true;
    });
    if (claimed) sent += 1;
  }
  return sent;
}

/** An agent takes a waiting chat. */
export async function acceptConversation(ctx: ServiceContext, actor: Actor, conversationId: string): Promise<ConversationView> {
  requireChatStaff(actor);
  const now = ctx.now();
  await withTx(ctx.db, async (tx) => {
    const c = await lockConv(tx, conversationId);
    await loadTicketFor(tx, actor, c.ticket_id, 'ticket.reply');
    if (c.status === 'ended') throw new AppError('conflict', 'this chat has ended');
    if (c.status === 'active') {
      if (c.agent_id === actor.userId) return;
      throw new AppError('conflict', `this chat is already with ${c.agent_name ?? 'another agent'}`);
    }
    await assignInTx(tx, c, actor.userId, now, 'accept', actor.userId);
    await recordAudit(tx, actor, { action: 'chat.accept', entityType: 'chat', entityId: c.id, data: { ticketId: c.ticket_id } });
  });
  return conversationView(ctx, conversationId);
}

export interface TransferInput {
  toAgentId?: string | null;
  toTeamId?: string | null;
  reason: string;
  customerConsent: boolean;
}

/**
 * C6: a transfer states the reason and the receiving agent or team and records that the customer
 * agreed. To an agent: they must be online with room. To a team: the chat queues for that team
 * (not back to the agent who passed it on).
 */
export async function transferConversation(ctx: ServiceContext, actor: Actor, conversationId: string, input: TransferInput): Promise<ConversationView> {
  requireChatStaff(actor);
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('validation_failed', 'a transfer needs a reason');
  if (!input.customerConsent) throw new AppError('validation_failed', 'ask the customer first: a transfer needs the customer\'s consent (customerConsent: true)');
  if ((input.toAgentId ? 1 : 0) + (input.toTeamId ? 1 : 0) !== 1) throw new AppError('validation_failed', 'name exactly one of toAgentId or toTeamId');
  const now = ctx.now();
  await withTx(ctx.db, async (tx) => {
    const c = await lockConv(tx, conversationId);
    await loadTicketFor(tx, actor, c.ticket_id, 'ticket.reply');
    if (c.status === 'ended') throw new AppError('conflict', 'this chat has ended');
    if (c.agent_id !== actor.userId && !LEADS.has(actor.role)) throw forbidden('only the agent in this chat (or a team lead) may transfer it');
    const s = await getSetting(tx, 'chat.service');
    if (input.toAgentId) {
      if (input.toAgentId === c.agent_id) throw new AppError('validation_failed', 'the chat is already with that agent');
      const target = (await loadAgents(tx)).find((a) => a.id === input.toAgentId);
      const u = (await tx.query<{ role: string }>('SELECT role FROM users WHERE id = $1 AND disabled_at IS NULL', [input.toAgentId])).rows[0];
      if (!u || !STAFF_CHAT_ROLES.has(u.role)) throw new AppError('validation_failed', `user ${input.toAgentId} is not an agent who can take chats`);
      if (!target || target.presence !== 'online' || now.getTime() - target.lastSeenAt.getTime() > s.presenceTimeoutSeconds * 1000) throw new AppError('conflict', 'that agent is not online for chats');
      if (target.active >= target.capacity) throw new AppError('conflict', 'that agent has no room for another chat now');
      await assignInTx(tx, c, input.toAgentId, now, 'transfer', actor.userId, reason);
    } else {
      const team = await tx.query('SELECT 1 FROM teams WHERE id = $1', [input.toTeamId]);
      if (!team.rowCount) throw new AppError('validation_failed', `team ${input.toTeamId} does not exist`);
      await tx.query(
        `UPDATE chat_conversations SET status = 'queued', agent_id = NULL, team_id = $2, not_agent_id = $3, queued_at = $4 WHERE id = $1`,
        [c.id, input.toTeamId, c.agent_id, now],
      );
      await tx.query('UPDATE tickets SET team_id = $2, updated_at = $3 WHERE id = $1', [c.ticket_id, input.toTeamId, now]);
      await publishLive(tx, { topic: `chat:${c.id}`, type: 'state', data: { conversationId: c.id } });
      await publishLive(tx, { topic: 'chat-queue', type: 'queue', data: { conversationId: c.id } });
    }
    await tx.query('UPDATE chat_conversations SET transfers = transfers + 1 WHERE id = $1', [c.id]);
    const data = { conversationId: c.id, from: c.agent_id, toAgentId: input.toAgentId ?? null, toTeamId: input.toTeamId ?? null, reason, customerConsent: true };
    await appendEvent(tx, c.ticket_id, { kind: 'chat_transfer', actorId: actor.userId, visibility: 'internal', body: reason, data });
    await recordAudit(tx, actor, { action: 'chat.transfer', entityType: 'chat', entityId: c.id, data });
  });
  if (input.toTeamId) await routeChats(ctx);
  return conversationView(ctx, conversationId);
}

/** Ends a chat (customer or agent). Ending twice is fine: the second time changes nothing. */
export async function endConversation(ctx: ServiceContext, side: { actor: Actor } | { customer: CustomerSide }, conversationId: string): Promise<ConversationView> {
  const now = ctx.now();
  // Checked before the transaction: on the embedded database a second connection waits for an open transaction.
  if ('customer' in side) await authorizeCustomerSide(ctx, side.customer);
  await withTx(ctx.db, async (tx) => {
    let c: ConvRow;
    let by: 'customer' | 'agent';
    let actor: Actor | null;
    if ('customer' in side) {
      c = await lockConv(tx, conversationId);
      by = 'customer';
      actor = await actorForUser(tx, c.visitor_user_id);
    } else {
      requireChatStaff(side.actor);
      c = await lockConv(tx, conversationId);
      await loadTicketFor(tx, side.actor, c.ticket_id, 'ticket.reply');
      if (c.agent_id !== side.actor.userId && !LEADS.has(side.actor.role)) throw forbidden('only the agent in this chat (or a team lead) may end it');
      by = 'agent';
      actor = side.actor;
    }
    if (c.status === 'ended') return;
    await tx.query(`UPDATE chat_conversations SET status = 'ended', ended_at = $2, ended_by = $3, awaiting_since = NULL WHERE id = $1`, [c.id, now, by]);
    await appendEvent(tx, c.ticket_id, { kind: 'chat_ended', actorId: actor?.userId ?? null, visibility: 'public', data: { conversationId: c.id, by } });
    await recordAudit(tx, actor, { action: 'chat.end', entityType: 'chat', entityId: c.id, data: { by } });
    await publishLive(tx, { topic: `chat:${c.id}`, type: 'state', data: { conversationId: c.id } });
    if (c.status === 'queued') await publishLive(tx, { topic: 'chat-queue', type: 'queue', data: { conversationId: c.id } });
  });
  if ('actor' in side) await routeChats(ctx); // the agent has room again
  return conversationView(ctx, conversationId);
}

export interface PresenceView {
  userId: string;
  displayName: string;
  status: Presence;
  capacity: number;
  active: number;
  lastSeenAt: string;
  /** Online and seen within the timeout: routing counts on them. */
  available: boolean;
}

export async function setPresence(ctx: ServiceContext, actor: Actor, input: { status: Presence; capacity?: number }): Promise<PresenceView> {
  requireChatStaff(actor);
  const s = await getSetting(ctx.db.pool, 'chat.service');
  const now = ctx.now();
  await withTx(ctx.db, async (tx) => {
    await tx.query(
      `INSERT INTO chat_presence (user_id, status, capacity, last_seen_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (user_id) DO UPDATE SET status = $2, capacity = coalesce($5, chat_presence.capacity), last_seen_at = $4, updated_at = $4`,
      [actor.userId, input.status, input.capacity ?? s.defaultCapacity, now, input.capacity ?? null],
    );
    await publishLive(tx, { topic: 'chat-presence', type: 'presence', data: { userId: actor.userId, status: input.status } });
  });
  if (input.status === 'online') await routeChats(ctx);
  return (await listPresence(ctx, actor, actor.userId))[0]!;
}

/** The caller's own presence (the console's switch on load); never set yet: offline with the default capacity. */
export async function myPresence(ctx: ServiceContext, actor: Actor): Promise<PresenceView> {
  requireChatStaff(actor);
  const own = (await listPresence(ctx, actor, actor.userId))[0];
  if (own) return own;
  const s = await getSetting(ctx.db.pool, 'chat.service');
  const u = await ctx.db.pool.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [actor.userId]);
  return { userId: actor.userId, displayName: u.rows[0]?.display_name ?? '', status: 'offline', capacity: s.defaultCapacity, active: 0, lastSeenAt: ctx.now().toISOString(), available: false };
}

/** The agent's console is alive (socket heartbeat): keeps them routable. */
export async function touchPresence(ctx: ServiceContext, userId: string): Promise<void> {
  await ctx.db.pool.query('UPDATE chat_presence SET last_seen_at = $2 WHERE user_id = $1', [userId, ctx.now()]);
}

export async function listPresence(ctx: ServiceContext, actor: Actor, onlyUserId?: string): Promise<PresenceView[]> {
  requireChatStaff(actor);
  if (!onlyUserId && !LEADS.has(actor.role)) throw forbidden('team leads, supervisors and admins see everyone\'s presence');
  const s = await getSetting(ctx.db.pool, 'chat.service');
  const now = ctx.now();
  const { rows } = await ctx.db.pool.query<{ user_id: string; display_name: string; status: Presence; capacity: number; last_seen_at: Date; active: number }>(
    `SELECT p.user_id, u.display_name, p.status, p.capacity, p.last_seen_at,
            (SELECT count(*) FROM chat_conversations c WHERE c.agent_id = p.user_id AND c.status = 'active') AS active
       FROM chat_presence p JOIN users u ON u.id = p.user_id
      WHERE u.disabled_at IS NULL ${onlyUserId ? 'AND p.user_id = $1' : ''}
      ORDER BY u.display_name`,
    onlyUserId ? [onlyUserId] : [],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    status: r.status,
    capacity: r.capacity,
    active: Number(r.active),
    lastSeenAt: r.last_seen_at.toISOString(),
    available: r.status === 'online' && now.getTime() - r.last_seen_at.getTime() <= s.presenceTimeoutSeconds * 1000,
  }));
}

export async function chatQueue(ctx: ServiceContext, actor: Actor): Promise<ConversationView[]> {
  requireChatStaff(actor);
  const { rows } = await ctx.db.pool.query<ConvRow>(`${CONV_SQL} WHERE c.status = 'queued' ORDER BY ${RANK_SQL('c')}, c.queued_at, c.id LIMIT 500`);
  const s = await getSetting(ctx.db.pool, 'chat.service');
  return rows.map((r) => present(r, ctx.now(), s.firstReplyTargetSeconds));
}

export async function myConversations(ctx: ServiceContext, actor: Actor): Promise<ConversationView[]> {
  requireChatStaff(actor);
  const { rows } = await ctx.db.pool.query<ConvRow>(`${CONV_SQL} WHERE c.agent_id = $1 AND c.status = 'active' ORDER BY c.assigned_at`, [actor.userId]);
  const s = await getSetting(ctx.db.pool, 'chat.service');
  return rows.map((r) => present(r, ctx.now(), s.firstReplyTargetSeconds));
}

/** C5: the greeting and closing offered to the agent, and the busy text (C4), with the company filled in. */
export async function chatScripts(ctx: ServiceContext, actor: Actor): Promise<{ greeting: string; closing: string; busy: string }> {
  requireChatStaff(actor);
  const s = await getSetting(ctx.db.pool, 'chat.service');
  const company = (await getSetting(ctx.db.pool, 'company.name')).zh;
  return { greeting: fillCompany(s.greeting, company), closing: fillCompany(s.closing, company), busy: fillCompany(s.busyMessage, company) };
}

/** Watchers (collision notice): who follows a conversation now. */
export async function watchConversation(ctx: ServiceContext, conversationId: string, socketId: string, userId: string): Promise<void> {
  await ctx.db.pool.query(
    `INSERT INTO chat_watchers (conversation_id, socket_id, user_id, seen_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (conversation_id, socket_id) DO UPDATE SET seen_at = $4`,
    [conversationId, socketId, userId, ctx.now()],
  );
  await publishViewers(ctx, conversationId);
}

export async function unwatchConversation(ctx: ServiceContext, conversationId: string, socketId: string): Promise<void> {
  const r = await ctx.db.pool.query('DELETE FROM chat_watchers WHERE conversation_id = $1 AND socket_id = $2', [conversationId, socketId]);
  if (r.rowCount) await publishViewers(ctx, conversationId);
}

export async function refreshWatches(ctx: ServiceContext, socketId: string): Promise<void> {
  await ctx.db.pool.query('UPDATE chat_watchers SET seen_at = $2 WHERE socket_id = $1', [socketId, ctx.now()]);
}

async function publishViewers(ctx: ServiceContext, conversationId: string): Promise<void> {
  await publishLive(ctx.db.pool, { topic: `chat:${conversationId}`, type: 'viewers', data: { conversationId, agents: await viewers(ctx, conversationId) } });
}

export async function viewers(ctx: ServiceContext, conversationId: string): Promise<{ id: string; displayName: string }[]> {
  const { rows } = await ctx.db.pool.query<{ id: string; display_name: string }>(
    `SELECT DISTINCT u.id, u.display_name FROM chat_watchers w JOIN users u ON u.id = w.user_id
      WHERE w.conversation_id = $1 AND w.seen_at > $2 ORDER BY u.display_name, u.id`,
    [conversationId, new Date(ctx.now().getTime() - 120_000)],
  );
  return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
}

/** The periodic chat sweep: route waiting chats, send due busy notices, forget watchers of vanished processes. */
export async function sweepChat(ctx: ChatClock): Promise<{ routed: number; busyNotices: number }> {
  const routed = await routeChats(ctx);
  const busyNotices = await sendBusyNotices(ctx);
  await ctx.db.pool.query('DELETE FROM chat_watchers WHERE seen_at < $1', [new Date(ctx.now().getTime() - 300_000)]);
  return { routed, busyNotices };
}

