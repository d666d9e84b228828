/**
 * What a chat conversation learns from its ticket's messages, whichever way they were written (the
 * chat socket, the tickets API): a customer's message starts a waiting spell (the busy notice and
 * the 60 s norm count from it); an agent's public reply ends it and, the first time, is the first
 * reply. Called from the ticket-event fan-out inside the writing transaction.
 */
import type { Queryable } from '../../db/database.ts';
import type { FannedEvent } from '../tickets/ticket-event-fanout.ts';

export async function noteChatMessage(q: Queryable, e: FannedEvent): Promise<void> {
  if (e.kind !== 'message' || e.visibility !== 'public') return;
  const author = e.data.author;
  if (author === 'customer') {
    await q.query(
      `UPDATE chat_conversations SET awaiting_since = coalesce(awaiting_since, $2), first_customer_message_at = coalesce(first_customer_message_at, $2)
        WHERE ticket_id = $1 AND status <> 'ended'`,
      [e.ticketId, e.createdAt],
    );
  } else if (author === 'agent') {
    await q.query(
      `UPDATE chat_conversations SET awaiting_since = NULL, first_reply_at = coalesce(first_reply_at, $2),
              first_reply_ms = coalesce(first_reply_ms, CASE WHEN first_customer_message_at IS NULL THEN NULL
                                 ELSE greatest(0, round(extract(epoch FROM ($2::timestamptz - first_customer_message_at)) * 1000))::int END)
        WHERE ticket_id = $1 AND status <> 'ended'`,
      [e.ticketId, e.createdAt],
    );
  }
}
