/** What staff see of a ticket's mail: every mail in and out with its delivery state, and the attachments. */
import { maskField } from '../../domain/masking.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import type { ServiceContext } from '../context.ts';
import { loadTicketFor } from '../tickets/ticket-row.ts';

export interface EmailView {
  id: string;
  direction: 'inbound' | 'outbound';
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  /** Addresses are shown masked (P1). */
  from: string | null;
  to: string | null;
  subject: string;
  eventId: number | null;
  automated: 'auto_reply' | 'bulk' | 'loop' | null;
  automatedReason: string | null;
  status: 'received' | 'queued' | 'sending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  sizeBytes: number | null;
  createdAt: string;
  attachments: { id: string; filename: string | null; contentType: string; size: number; stored: boolean }[];
}

interface EmailRow {
  id: string;
  direction: 'inbound' | 'outbound';
  message_id: string;
  in_reply_to: string | null;
  refs: string[];
  from_enc: string | null;
  to_enc: string | null;
  subject: string;
  event_id: string | null;
  automated: EmailView['automated'];
  automated_reason: string | null;
  status: EmailView['status'];
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  size_bytes: number | null;
  created_at: Date;
  attachments: { id: string; filename: string | null; content_type: string; size_bytes: number; stored: boolean }[];
}

function staffOnly(actor: Actor): void {
  if (actor.role === 'customer' || actor.role === 'integration') throw forbidden('a ticket’s mail log is for service staff');
}

const maskList = (plain: string): string => plain.split(/,\s*/).map((a) => maskField('email', a)).join(', ');

export async function listTicketEmails(ctx: ServiceContext, actor: Actor, idOrNumber: string): Promise<EmailView[]> {
  staffOnly(actor);
  const t = await loadTicketFor(ctx.db.pool, actor, idOrNumber, 'ticket.read');
  const { rows } = await ctx.db.pool.query<EmailRow>(
    `SELECT m.id, m.direction, m.message_id, m.in_reply_to, m.refs, m.from_enc, m.to_enc, m.subject, m.event_id, m.automated, m.automated_reason,
            m.status, m.attempts, m.next_attempt_at, m.last_error, m.sent_at, m.size_bytes, m.created_at,
            coalesce((SELECT json_agg(json_build_object('id', a.id, 'filename', a.filename, 'content_type', a.content_type, 'size_bytes', a.size_bytes,
                                                       'stored', a.content IS NOT NULL) ORDER BY a.position)
                        FROM email_attachments a WHERE a.email_id = m.id), '[]') AS attachments
       FROM email_messages m
      WHERE m.ticket_id IN (SELECT $1::uuid UNION ALL SELECT id FROM tickets WHERE merged_into_id = $1)
      ORDER BY m.seq`,
    [t.id],
  );
  return rows.map((m) => ({
    id: m.id,
    direction: m.direction,
    messageId: m.message_id,
    inReplyTo: m.in_reply_to,
    references: m.refs,
    from: m.from_enc ? maskField('email', ctx.crypto.decrypt(m.from_enc)) : null,
    to: m.to_enc ? maskList(ctx.crypto.decrypt(m.to_enc)) : null,
    subject: m.subject,
    eventId: m.event_id === null ? null : Number(m.event_id),
    automated: m.automated,
    automatedReason: m.automated_reason,
    status: m.status,
    attempts: m.attempts,
    nextAttemptAt: m.next_attempt_at?.toISOString() ?? null,
    lastError: m.last_error,
    sentAt: m.sent_at?.toISOString() ?? null,
    sizeBytes: m.size_bytes,
    createdAt: m.created_at.toISOString(),
    attachments: m.attachments.map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: a.size_bytes, stored: a.stored })),
  }));
}

/** An attachment's bytes, for whoever may read its ticket (the customer their own, staff theirs). */
export async function getEmailAttachment(ctx: ServiceContext, actor: Actor, id: string): Promise<{ filename: string | null; contentType: string; content: Buffer }> {
  const { rows } = await ctx.db.pool.query<{ ticket_id: string; filename: string | null; content_type: string; content: Buffer | null }>(
    'SELECT ticket_id, filename, content_type, content FROM email_attachments WHERE id = $1',
    [id],
  );
  const a = rows[0];
  if (!a) throw notFound('attachment', id);
  try {
    await loadTicketFor(ctx.db.pool, actor, a.ticket_id, 'ticket.read');
  } catch (err) {
    if (err instanceof AppError) throw notFound('attachment', id); // no hint that it exists on someone else's ticket
    throw err;
  }
  if (a.content === null) throw notFound('attachment content (it was over the size limit and not kept)', id);
  return { filename: a.filename, contentType: a.content_type, content: a.content };
}
