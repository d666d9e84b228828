/** What people do to a ticket once it exists: reply, note, status, edit. */
import { withTx, type Tx } from '../../db/database.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { derivePriority, maxPriority, type Priority } from '../../domain/priority.ts';
import { transition, type TicketStatus, type WaitingOn } from '../../domain/ticket-lifecycle.ts';
import { AppError, forbidden } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { guardReply, type GuardOverride } from '../guard/guard.ts';
import { getSetting } from '../settings/settings.ts';
import { pauseClocks, refreshTicketSla, resumeClocks, startClocks, stopAllClocks, stopClocks } from '../sla/clocks.ts';
import { normTags, normWaybills } from './create-ticket.ts';
import { appendEvent, loadTicket, loadTicketFor, touchTicket, type TicketRow } from './ticket-row.ts';

const STAFF_HANDLERS = new Set(['agent', 'team_lead']);

/** First-contact ownership (C3): the first agent to act on an unowned ticket becomes its owner. */
export async function claimIfUnowned(tx: Tx, actor: Actor, t: TicketRow): Promise<void> {
  if (t.owner_id || !STAFF_HANDLERS.has(actor.role)) return;
  const { rowCount } = await tx.query('UPDATE tickets SET owner_id = $2 WHERE id = $1 AND owner_id IS NULL', [t.id, actor.userId]);
  if (rowCount) {
    await appendEvent(tx, t.id, { kind: 'assignment', actorId: actor.userId, data: { ownerId: actor.userId, teamId: t.team_id, by: 'first_contact' } });
    t.owner_id = actor.userId;
  }
}

function clockTicket(t: TicketRow): { id: string; type: string; priority: string; channel: string; category_code: string | null } {
  return { id: t.id, type: t.type, priority: t.priority, channel: t.channel, category_code: t.category_code };
}

async function applyStatus(tx: Tx, ctx: ServiceContext, actor: Actor, t: TicketRow, to: TicketStatus, opts: { waitingOn?: WaitingOn; reason?: string; auto?: 'first_reply' | 'customer_replied' }): Promise<void> {
  const r = transition({ status: t.status, waitingOn: t.waiting_on, customerNotifiedAt: t.customer_notified_at }, to, opts.waitingOn ? { waitingOn: opts.waitingOn } : undefined);
  if (!r.ok) throw new AppError(r.error.code === 'same_status' || r.error.code === 'waiting_on_required' ? 'validation_failed' : r.error.code, r.error.message);
  const now = ctx.now();
  await tx.query(
    `UPDATE tickets SET status = $2, waiting_on = $3, updated_at = $4,
            resolved_at = CASE WHEN $2 = 'resolved' THEN $4 WHEN $2 = 'open' THEN NULL ELSE resolved_at END,
            closed_at = CASE WHEN $2 = 'closed' THEN $4 WHEN $2 = 'open' THEN NULL ELSE closed_at END,
            customer_notified_at = CASE WHEN $5 THEN NULL ELSE customer_notified_at END
      WHERE id = $1`,
    [t.id, r.status, r.waitingOn, now, r.reopened],
  );
  const wasPaused = t.status === 'pending' && t.waiting_on === 'customer';
  if (r.clocks === 'pause') await pauseClocks(tx, t.id, now);
  else if (r.clocks === 'run' && wasPaused) await resumeClocks(tx, t.id, now);
  if (r.status === 'resolved') {
    if (wasPaused) await resumeClocks(tx, t.id, now);
    await stopClocks(tx, t.id, 'resolved', now);
    await startClocks(tx, clockTicket(t), 'resolved', now);
  }
  if (r.status === 'closed') await stopAllClocks(tx, t.id, now);
  if (r.reopened) await startClocks(tx, clockTicket(t), 'ticket_created', now, { onlyStopsOn: 'resolved' });
  await refreshTicketSla(tx, t.id);
  await appendEvent(tx, t.id, { kind: 'status', actorId: actor.userId, visibility: 'public', data: { from: t.status, to: r.status, waitingOn: r.waitingOn, reason: opts.reason ?? null, reopened: r.reopened, ...(opts.auto ? { auto: opts.auto } : {}) } });
  await recordAudit(tx, actor, { action: 'ticket.status', entityType: 'ticket', entityId: t.id, data: { from: t.status, to: r.status, waitingOn: r.waitingOn } });
}

export async function changeTicketStatus(ctx: ServiceContext, actor: Actor, idOrNumber: string, input: { status: TicketStatus; waitingOn?: WaitingOn; reason?: string }): Promise<TicketRow> {
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.status', true);
    if (actor.role === 'customer' && !(input.status === 'open' && (t.status === 'resolved' || t.status === 'closed'))) {
      throw forbidden('customers may only reopen their tickets');
    }
    if (t.merged_into_id) throw new AppError('conflict', `ticket ${t.number} was merged into another ticket; work on that one`);
    await claimIfUnowned(tx, actor, t);
    await applyStatus(tx, ctx, actor, t, input.status, input);
    return loadTicket(tx, t.id);
  });
}

export interface MessageInput {
  body: string;
  visibility: 'public' | 'internal';
  clientId?: string | null;
  /** This reply tells the customer the outcome (closes the loop, T2). */
  notifiesResult?: boolean;
  /** Send a public reply the language guard (Q1) blocks; recorded for QA. */
  guardOverride?: GuardOverride | undefined;
}

export interface EventView {
  id: number;
  ticketId: string;
  kind: string;
  actorId: string | null;
  visibility: 'public' | 'internal';
  body: string | null;
  data: Record<string, unknown>;
  clientId: string | null;
  createdAt: string;
}

/**
 * A public reply or an internal note. A customer's message reopens the conversation (and starts
 * the next-response clock); an agent's public reply stops the response clocks. A retry with the
 * same clientId returns the stored message instead of adding another (C7).
 */
export async function addTicketMessage(ctx: ServiceContext, actor: Actor, idOrNumber: string, input: MessageInput): Promise<{ event: EventView; replayed: boolean }> {
  const body = input.body.trim();
  if (body === '') throw new AppError('validation_failed', 'message body must not be empty');
  return withTx(ctx.db, async (tx) => {
    const action = input.visibility === 'internal' ? 'ticket.note' : 'ticket.reply';
    const t = await loadTicketFor(tx, actor, idOrNumber, action, true);
    if (input.clientId) {
      const prior = await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ticket_events WHERE ticket_id = $1 AND client_id = $2`, [t.id, input.clientId]);
      if (prior.rows[0]) return { event: presentEvent(prior.rows[0]), replayed: true };
    }
    const now = ctx.now();
    const fromCustomer = actor.role === 'customer';
    if (!fromCustomer && input.visibility === 'public') await guardReply(tx, actor, t, body, input.guardOverride);
    if (!fromCustomer) await claimIfUnowned(tx, actor, t);
    const notifies = !fromCustomer && input.visibility === 'public' && (input.notifiesResult === true || t.status === 'resolved');
    const ev = await appendEvent(tx, t.id, {
      kind: input.visibility === 'internal' ? 'note' : 'message',
      actorId: actor.userId,
      visibility: input.visibility,
      body,
      data: { author: fromCustomer ? 'customer' : 'agent', notifiesResult: notifies },
      clientId: input.clientId ?? null,
    });
    if (input.visibility === 'public') {
      if (fromCustomer) {
        await customerMessageEffects(tx, ctx, actor, t, now);
      } else {
        await tx.query(
          `UPDATE tickets SET first_responded_at = coalesce(first_responded_at, $2), customer_notified_at = CASE WHEN $3 THEN $2 ELSE customer_notified_at END WHERE id = $1`,
          [t.id, now, notifies],
        );
        await stopClocks(tx, t.id, 'agent_reply', now);
        if (notifies) await stopClocks(tx, t.id, 'customer_notified', now);
        if (t.status === 'new') await applyStatus(tx, ctx, actor, t, 'open', { reason: 'first reply', auto: 'first_reply' });
      }
      await refreshTicketSla(tx, t.id);
    }
    await touchTicket(tx, t.id);
    await recordAudit(tx, actor, { action: `ticket.${input.visibility === 'internal' ? 'note' : 'reply'}`, entityType: 'ticket', entityId: t.id, data: { eventId: ev.id, notifiesResult: notifies } });
    const row = await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ticket_events WHERE id = $1`, [ev.id]);
    return { event: presentEvent(row.rows[0]!), replayed: false };
  });
}

/**
 * What a customer's public message does to its ticket, whichever channel brought it (portal, mail):
 * a ticket waiting on the customer opens again, and the next-response clock starts. The caller
 * refreshes the ticket's SLA summary afterwards.
 */
export async function customerMessageEffects(tx: Tx, ctx: ServiceContext, actor: Actor, t: TicketRow, now: Date): Promise<void> {
  if (t.status === 'pending' && t.waiting_on === 'customer') await applyStatus(tx, ctx, actor, t, 'open', { reason: 'customer replied', auto: 'customer_replied' });
  // A closed ticket's clocks are over: a message there (a thank-you) must not start one that later breaches.
  if (t.status !== 'closed') await startClocks(tx, clockTicket(t), 'customer_message', now);
}

/** Records that the customer was told the result another way (a phone call, SMS), closing the loop. */
export async function recordCustomerNotified(ctx: ServiceContext, actor: Actor, idOrNumber: string, input: { channel: string; summary: string }): Promise<TicketRow> {
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.update', true);
    const now = ctx.now();
    await tx.query('UPDATE tickets SET customer_notified_at = $2, updated_at = $2 WHERE id = $1', [t.id, now]);
    await stopClocks(tx, t.id, 'customer_notified', now);
    await refreshTicketSla(tx, t.id);
    await appendEvent(tx, t.id, { kind: 'customer_notified', actorId: actor.userId, visibility: 'internal', body: input.summary, data: { channel: input.channel } });
    await recordAudit(tx, actor, { action: 'ticket.customer_notified', entityType: 'ticket', entityId: t.id, data: { channel: input.channel } });
    return loadTicket(tx, t.id);
  });
}

export interface UpdateTicketInput {
  subject?: string;
  type?: string;
  categoryId?: string | null;
  priority?: Priority;
  tags?: string[];
  waybills?: string[];
  specialGroups?: string[];
  goods?: string[];
}

export async function updateTicket(ctx: ServiceContext, actor: Actor, idOrNumber: string, input: UpdateTicketInput): Promise<TicketRow> {
  return withTx(ctx.db, async (tx) => {
    const t = await loadTicketFor(tx, actor, idOrNumber, 'ticket.update', true);
    await claimIfUnowned(tx, actor, t);
    if (input.type !== undefined && !(await tx.query('SELECT 1 FROM ticket_types WHERE code = $1', [input.type])).rowCount) {
      throw new AppError('validation_failed', `unknown ticket type "${input.type}"`);
    }
    if (input.categoryId && !(await tx.query('SELECT 1 FROM categories WHERE id = $1', [input.categoryId])).rowCount) {
      throw new AppError('validation_failed', `category ${input.categoryId} does not exist`);
    }
    const specialGroups = input.specialGroups ?? t.special_groups;
    const goods = input.goods ?? t.goods;
    // Special groups and urgent goods keep the priority at least as high as they require (T3).
    const derived = derivePriority(
      { requested: input.priority ?? t.priority, specialGroups, goods, text: '' },
      { groups: await getSetting(tx, 'tickets.special_groups'), goods: await getSetting(tx, 'tickets.urgent_goods') },
    );
    const priority = input.priority ? maxPriority(input.priority, derived.priority) : derived.priority;
    const next = {
      subject: input.subject ?? t.subject,
      type: input.type ?? t.type,
      category_id: input.categoryId === undefined ? t.category_id : input.categoryId,
      priority,
      tags: input.tags ? normTags(input.tags) : t.tags,
      waybills: input.waybills ? normWaybills(input.waybills) : t.waybills,
      special_groups: specialGroups,
      goods,
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, v] of Object.entries(next)) {
      const before = t[k as keyof TicketRow];
      if (JSON.stringify(before) !== JSON.stringify(v)) changes[k] = { from: before, to: v };
    }
    if (Object.keys(changes).length === 0) return t;
    await tx.query(
      `UPDATE tickets SET subject = $2, type = $3, category_id = $4, priority = $5, tags = $6, waybills = $7, special_groups = $8, goods = $9, updated_at = $10 WHERE id = $1`,
      [t.id, next.subject, next.type, next.category_id, next.priority, next.tags, next.waybills, next.special_groups, next.goods, ctx.now()],
    );
    await appendEvent(tx, t.id, { kind: 'update', actorId: actor.userId, data: { changes } });
    await recordAudit(tx, actor, { action: 'ticket.update', entityType: 'ticket', entityId: t.id, data: { fields: Object.keys(changes) } });
    return loadTicket(tx, t.id);
  });
}

export interface EventRow {
  id: number;
  ticket_id: string;
  kind: string;
  actor_id: string | null;
  visibility: 'public' | 'internal';
  body: string | null;
  data: Record<string, unknown>;
  client_id: string | null;
  created_at: Date;
}

export const EVENT_COLUMNS = 'id, ticket_id, kind, actor_id, visibility, body, data, client_id, created_at';

export function presentEvent(e: EventRow): EventView {
  return { id: e.id, ticketId: e.ticket_id, kind: e.kind, actorId: e.actor_id, visibility: e.visibility, body: e.body, data: e.data, clientId: e.client_id, createdAt: e.created_at.toISOString() };
}

/** Who wrote a timeline entry: a staff member's display name and role; a customer by role alone. */
export interface EventAuthor {
  /** Null for a customer: their account's name is personal data, shown (masked) in the customer panel only. */
  displayName: string | null;
  role: string;
}

export interface TimelineEventView extends EventView {
  /** Null when no person acted (the system: SLA breaches, automatic assignment). */
  actor: EventAuthor | null;
}

/** The timeline, including tickets merged into this one; internal entries only for those who may read them. */
export async function ticketTimeline(ctx: ServiceContext, actor: Actor, idOrNumber: string): Promise<TimelineEventView[]> {
  const t = await loadTicketFor(ctx.db.pool, actor, idOrNumber, 'ticket.read');
  const internal = can(actor, 'ticket.read_internal', { customerId: t.customer_id, ownerId: t.owner_id, teamId: t.team_id });
  const { rows } = await ctx.db.pool.query<EventRow & { actor_name: string | null; actor_role: string | null }>(
    `SELECT ${EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}, u.display_name AS actor_name, u.role AS actor_role
       FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.ticket_id IN (SELECT $1::uuid UNION ALL SELECT id FROM tickets WHERE merged_into_id = $1)
        AND ($2 OR e.visibility = 'public')
      ORDER BY e.created_at, e.id`,
    [t.id, internal],
  );
  return rows.map((r) => ({
    ...presentEvent(r),
    actor: r.actor_role === null ? null : { displayName: r.actor_role === 'customer' ? null : r.actor_name, role: r.actor_role },
  }));
}
