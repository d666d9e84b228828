/**
 * Where a new ticket event goes besides its table row: the live bus (WebSocket clients watching the
 * ticket, agents' inboxes) and, through the same seam, anything else that must hear of it (webhooks).
 * Called by appendEvent inside the writing transaction, so all of it happens on commit or not at all.
 */
import type { Queryable } from '../../db/database.ts';
import { INBOX_EVENT_KINDS } from '../../domain/inbox-live.ts';
import type { EventView } from './ticket-actions.ts';
import { noteChatMessage } from '../chat/chat-bookkeeping.ts';
import { queueEmailReply } from '../email/outbox.ts';
import { publishLive } from '../live/live-bus.ts';
import { queueWebhooksForTicketEvent } from '../webhooks/webhook-outbox.ts';
// A cycle (ticket-row calls this module), safe: both are only used inside calls, never at load.
import { loadTicket, presentTicketSummary } from './ticket-row.ts';

/** A ticket event as the timeline presents it. */
export type FannedEvent = EventView;

export async function fanOutTicketEvent(q: Queryable, e: FannedEvent): Promise<void> {
  await noteChatMessage(q, e);
  await publishLive(q, { topic: `ticket:${e.ticketId}`, type: 'ticket.event', data: { ...e } });
  // Inboxes get the ticket as it stands after the events that can move it into or out of a view
  // (the writers update the row before appending the event), so a list not showing it can tell.
  const ticket = INBOX_EVENT_KINDS.has(e.kind) ? presentTicketSummary(await loadTicket(q, e.ticketId)) : undefined;
  await publishLive(q, { topic: 'tickets', type: 'ticket.event', data: { id: e.id, ticketId: e.ticketId, kind: e.kind, visibility: e.visibility, createdAt: e.createdAt, ...(ticket ? { ticket } : {}) } });
  await queueWebhooksForTicketEvent(q, e.ticketId, e);
  await queueEmailReply(q, e);
}
