/**
 * Where a new ticket event goes besides its table row: the live bus (WebSocket clients watching the
 * ticket, agents' inboxes) and, through the same seam, anything else that must hear of it (webhooks).
 * Called by appendEvent inside the writing transaction, so all of it happens on commit or not at all.
 */
import type { Queryable } from '../../db/database.ts';
import type { EventView } from './ticket-actions.ts';
import { noteChatMessage } from '../chat/chat-bookkeeping.ts';
import { queueEmailReply } from '../email/outbox.ts';
import { publishLive } from '../live/live-bus.ts';
import { queueWebhooksForTicketEvent } from '../webhooks/webhook-outbox.ts';

/** A ticket event as the timeline presents it. */
export type FannedEvent = EventView;

export async function fanOutTicketEvent(q: Queryable, e: FannedEvent): Promise<void> {
  await noteChatMessage(q, e);
  await publishLive(q, { topic: `ticket:${e.ticketId}`, type: 'ticket.event', data: { ...e } });
  await publishLive(q, { topic: 'tickets', type: 'ticket.event', data: { id: e.id, ticketId: e.ticketId, kind: e.kind, visibility: e.visibility, createdAt: e.createdAt } });
  await queueWebhooksForTicketEvent(q, e.ticketId, e);
  await queueEmailReply(q, e);
}
