/**
 * Where a new ticket event goes besides its table row: the live bus (WebSocket clients watching the
 * ticket, agents' inboxes) and, through the same seam, anything else that must hear of it (webhooks).
 * Called by appendEvent inside the writing transaction, so all of it happens on commit or not at all.
 */
import type { Queryable } from '../../db/database.ts';
import { noteChatMessage } from '../chat/chat-bookkeeping.ts';
import { publishLive } from '../live/live-bus.ts';
import { queueWebhooksForTicketEvent } from '../webhooks/webhook-outbox.ts';

export interface FannedEvent {
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

export async function fanOutTicketEvent(q: Queryable, e: FannedEvent): Promise<void> {
  await noteChatMessage(q, e);
  await publishLive(q, { topic: `ticket:${e.ticketId}`, type: 'ticket.event', data: { ...e } });
  await publishLive(q, { topic: 'tickets', type: 'ticket.event', data: { id: e.id, ticketId: e.ticketId, kind: e.kind, visibility: e.visibility, createdAt: e.createdAt } });
  await queueWebhooksForTicketEvent(q, e.ticketId, e);
}
