/**
 * The webhook outbox: ticket events become delivery rows in the transaction that wrote them. If the
 * change rolls back there is no delivery; once it commits the delivery exists, whatever happens to
 * the process, and the sweep (send-webhooks.ts) sends it.
 *
 * Events are collected per transaction and written just before it commits (one hook per
 * transaction), so the ticket summary in the payload is the ticket as the transaction leaves it,
 * several changes of one ticket become one `ticket.updated`, and a transaction with no matching
 * subscription costs one cheap query.
 */
import { randomUUID } from 'node:crypto';
import { beforeCommit, txScope, type Queryable } from '../../db/database.ts';
import { mapTicketEvent, subscriptionWants, type MappedEvent, type MessageData, type TicketChange, type TicketEventLike } from '../../domain/webhooks.ts';
import { presentTicketSummary, TICKET_COLUMNS, type TicketRow } from '../tickets/ticket-row.ts';

interface Pending {
  ticketId: string;
  at: string;
  mapped: MappedEvent;
}

const pendingByTx = new WeakMap<object, Pending[]>();

/**
 * Called for every ticket event (the fan-out seam, ticket creation and the SLA sweep): queues the
 * webhook events it means, to be written before the transaction commits.
 */
export async function queueWebhooksForTicketEvent(q: Queryable, ticketId: string, e: TicketEventLike): Promise<void> {
  const mapped = mapTicketEvent(e);
  if (!mapped) return;
  const item: Pending = { ticketId, at: e.createdAt, mapped };
  const scope = txScope(q);
  if (!scope) return writeDeliveries(q, [item]);
  let list = pendingByTx.get(scope);
  if (!list) {
    list = [];
    pendingByTx.set(scope, list);
  }
  list.push(item);
  await beforeCommit(q, 'webhooks', async (tx) => {
    const all = pendingByTx.get(scope) ?? [];
    pendingByTx.delete(scope);
    await writeDeliveries(tx, all);
  });
}

interface OutEvent {
  eventId: string;
  type: string;
  ticketId: string;
  internal: boolean;
  createdAt: string;
  data: { changes?: TicketChange[]; message?: MessageData; sla?: { clock: unknown; dueAt: unknown; breachedAt: string } };
}

/** Groups a transaction's events: one ticket.created or one ticket.updated per ticket, messages and breaches each their own. */
export function collectEvents(items: Pending[]): OutEvent[] {
  const out: OutEvent[] = [];
  const created = new Set(items.filter((i) => i.mapped.type === 'ticket.created').map((i) => i.ticketId));
  const updates = new Map<string, OutEvent>();
  for (const i of items) {
    const m = i.mapped;
    const base = { eventId: randomUUID(), ticketId: i.ticketId, createdAt: i.at, internal: false };
    switch (m.type) {
      case 'ticket.created':
        out.push({ ...base, type: m.type, data: {} });
        break;
      case 'ticket.updated': {
        if (created.has(i.ticketId)) break;
        const prior = updates.get(i.ticketId);
        if (prior) {
          prior.data.changes!.push(m.change);
          prior.createdAt = i.at;
        } else {
          const ev: OutEvent = { ...base, type: m.type, data: { changes: [m.change] } };
          updates.set(i.ticketId, ev);
          out.push(ev);
        }
        break;
      }
      case 'message.created':
        out.push({ ...base, type: m.type, internal: m.internal, data: { message: m.message } });
        break;
      case 'sla.breached':
        out.push({ ...base, type: m.type, data: { sla: { ...m.sla, breachedAt: i.at } } });
        break;
    }
  }
  return out;
}

export function payloadJson(eventId: string, type: string, createdAt: string, data: Record<string, unknown>): string {
  return JSON.stringify({ id: eventId, type, createdAt, data });
}

async function writeDeliveries(q: Queryable, items: Pending[]): Promise<void> {
  if (items.length === 0) return;
  const events = collectEvents(items);
  const types = [...new Set(events.map((e) => e.type))];
  // KEY SHARE: a subscription deleted meanwhile is skipped (or its deletion waits for this commit),
  // never an insert that fails its foreign key and with it the change being written. It does not
  // conflict with the senders' leases or with edits to the subscription's other columns.
  const subs = await q.query<{ id: string; events: string[]; include_internal: boolean }>(
    'SELECT id, events, include_internal FROM webhook_subscriptions WHERE active AND events && $1::text[] ORDER BY id FOR KEY SHARE',
    [types],
  );
  if (subs.rows.length === 0) return;
  const ticketIds = [...new Set(events.map((e) => e.ticketId))];
  const tickets = new Map(
    (await q.query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.id = ANY($1::uuid[])`, [ticketIds])).rows.map((t) => [t.id, presentTicketSummary(t)]),
  );
  const cols = { sub: [] as string[], event: [] as string[], type: [] as string[], ticket: [] as string[], payload: [] as string[] };
  for (const e of events) {
    const ticket = tickets.get(e.ticketId);
    if (!ticket) continue;
    const body = payloadJson(e.eventId, e.type, e.createdAt, { ticket, ...e.data });
    for (const s of subs.rows) {
      if (!subscriptionWants({ events: s.events, includeInternal: s.include_internal }, e.type, e.internal)) continue;
      cols.sub.push(s.id);
      cols.event.push(e.eventId);
      cols.type.push(e.type);
      cols.ticket.push(e.ticketId);
      cols.payload.push(body);
    }
  }
  if (cols.sub.length === 0) return;
  // In array order, so each subscription's deliveries get sequence numbers in the order the events happened.
  await q.query(
    `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, ticket_id, payload, next_attempt_at)
     SELECT s, e, ty, ti, p, now() FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[]) WITH ORDINALITY AS x(s, e, ty, ti, p, n)
      ORDER BY n`,
    [cols.sub, cols.event, cols.type, cols.ticket, cols.payload],
  );
}
