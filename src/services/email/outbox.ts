/**
 * Outbound mail (issue 4, SPEC C1): an agent's public reply on a ticket that came by mail (or has
 * a mail thread) is queued in the outbox in the reply's own transaction (through the ticket-event
 * fan-out), with our own Message-ID, the thread's In-Reply-To and References and the ticket number
 * in the subject. The sweep (job runner) claims due mail with SKIP LOCKED, so two processes never
 * send one reply twice, sends it over SMTP and records the outcome: sent, or the error and the
 * next attempt after a back-off, or given up after the last attempt — each failure on the
 * ticket's timeline, the delivery state through GET /tickets/{id}/emails.
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { withTx, type Database, type Queryable } from '../../db/database.ts';
import { angle, referencesChain, replySubject, retryDelayMs } from '../../domain/email.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import type { PiiCrypto } from '../../platform/crypto.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting, type SettingValue } from '../settings/settings.ts';
import type { FannedEvent } from '../tickets/ticket-event-fanout.ts';
import { appendEvent, loadTicketFor, touchTicket } from '../tickets/ticket-row.ts';

/** Our own Message-ID domain: the setting, else the from address's domain. */
export function ownMessageIdDomain(out: SettingValue<'email.outbound'>): string {
  return (out.messageIdDomain ?? out.fromAddress.split('@')[1] ?? 'parceldesk.invalid').toLowerCase();
}

/**
 * Called by the fan-out for every new ticket event, inside the writing transaction: an agent's
 * public message on a mail ticket becomes an outbox row. Everything else returns at once.
 */
export async function queueEmailReply(q: Queryable, e: FannedEvent): Promise<void> {
  if (e.kind !== 'message' || e.visibility !== 'public' || e.data.author !== 'agent') return;
  const { rows } = await q.query<{
    number: string; subject: string; channel: string; customer_email_enc: string | null;
    last_id: string | null; last_refs: string[] | null; reply_to_enc: string | null;
  }>(
    `SELECT t.number, t.subject, t.channel, c.email_enc AS customer_email_enc, last.message_id AS last_id, last.refs AS last_refs,
            (SELECT m.from_enc FROM email_messages m WHERE m.ticket_id = t.id AND m.direction = 'inbound' AND m.automated IS NULL AND m.from_enc IS NOT NULL
              ORDER BY m.seq DESC LIMIT 1) AS reply_to_enc
       FROM tickets t
       LEFT JOIN customers c ON c.id = t.customer_id
       LEFT JOIN LATERAL (SELECT m.message_id, m.refs FROM email_messages m WHERE m.ticket_id = t.id ORDER BY m.seq DESC LIMIT 1) last ON true
      WHERE t.id = $1`,
    [e.ticketId],
  );
  const t = rows[0];
  if (!t) return;
  const hasThread = t.last_id !== null;
  if (!hasThread && t.channel !== 'email') return;
  const to = t.reply_to_enc ?? t.customer_email_enc;
  if (!hasThread && !to) return; // an e-mail ticket typed in by an agent for a customer without an address: nothing to mail
  const settings = await getSetting(q, 'email.outbound');
  await insertOutbound(q, settings, {
    ticketId: e.ticketId,
    eventId: e.id,
    parent: t.last_id ? { messageId: t.last_id, references: t.last_refs ?? [] } : null,
    toEnc: to,
    subject: replySubject(t.subject, t.number),
  });
}

export interface OutboundInput {
  ticketId: string;
  /** The agent's reply (its body is the mail's text), or null with bodyText. */
  eventId: number | null;
  bodyText?: string;
  autoSubmitted?: boolean;
  /** The mail answered: its id becomes In-Reply-To, its References + id the References. */
  parent: { messageId: string; references: readonly string[] } | null;
  toEnc: string | null;
  subject: string;
}

/** One outbox row with our own Message-ID; without an address it is failed at once, with the reason. */
export async function insertOutbound(q: Queryable, settings: SettingValue<'email.outbound'>, o: OutboundInput): Promise<string> {
  const messageId = `${randomUUID()}@${ownMessageIdDomain(settings)}`;
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO email_messages (direction, message_id, ticket_id, event_id, in_reply_to, refs, to_enc, subject, status, next_attempt_at, last_error, body_text, auto_submitted)
     VALUES ('outbound', $1, $2, $3, $4, $5, $6, $7, $8, now(), $9, $10, $11) RETURNING id`,
    [
      messageId, o.ticketId, o.eventId, o.parent?.messageId ?? null, referencesChain(o.parent), o.toEnc, o.subject, o.toEnc ? 'queued' : 'failed',
      o.toEnc ? null : 'no e-mail address to send to: the thread has no sender address and the customer none on record', o.bodyText ?? null, o.autoSubmitted ?? false,
    ],
  );
  return rows[0]!.id;
}

export interface SweepEnv {
  crypto: PiiCrypto;
  smtpPassword?: string | null;
}

export interface SweepResult {
  sent: number;
  retried: number;
  failed: number;
}

interface ClaimedMail {
  id: string;
  ticket_id: string;
  number: string;
  message_id: string;
  in_reply_to: string | null;
  refs: string[];
  to_enc: string;
  subject: string;
  body: string | null;
  auto_submitted: boolean;
  attempts: number;
}

/**
 * Sends what is due. Rows are claimed in a short transaction (queued and due, or "sending" whose
 * claim ran out because its process died), marked "sending" with a claim time, and sent outside
 * any transaction; each outcome is recorded in its own transaction.
 */
export async function sendDueEmails(db: Database, env: SweepEnv, opts: { batch?: number; budgetMs?: number } = {}): Promise<SweepResult> {
  const settings = await getSetting(db.pool, 'email.outbound');
  const result: SweepResult = { sent: 0, retried: 0, failed: 0 };
  if (!settings.enabled) return result;
  const batch = opts.batch ?? 20;
  // A claim outlives the slowest possible batch (every send timing out), so no other process
  // takes a row over while this one may still be sending it.
  const claimSeconds = Math.ceil((batch * settings.timeoutMs * 3) / 1000) + 60;
  const started = Date.now();
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
    ...(settings.username ? { auth: { user: settings.username, pass: env.smtpPassword ?? '' } } : {}),
  });
  const domain = ownMessageIdDomain(settings);
  try {
    // Batch after batch until nothing is due or the time budget is spent (the job queue runs
    // one sweep at a time, so one sweep must be able to drain a backlog).
    while (Date.now() - started < (opts.budgetMs ?? 30_000)) {
      const claimed = await claimDue(db, batch, claimSeconds);
      if (claimed.length === 0) break;
      for (const m of claimed) {
        try {
          const info = await transport.sendMail({
            from: { name: settings.fromName, address: settings.fromAddress },
            to: env.crypto.decrypt(m.to_enc),
            subject: m.subject,
            text: m.body ?? '',
            messageId: angle(m.message_id),
            ...(m.in_reply_to ? { inReplyTo: angle(m.in_reply_to) } : {}),
            ...(m.refs.length ? { references: m.refs.map(angle) } : {}),
            headers: {
              'X-Parceldesk-Loop': domain,
              'X-Parceldesk-Ticket': m.number,
              'X-Auto-Response-Suppress': 'OOF, AutoReply',
              ...(m.auto_submitted ? { 'Auto-Submitted': 'auto-replied' } : {}),
            },
          });
          await withTx(db, async (tx) => {
            await tx.query(
              `UPDATE email_messages SET status = 'sent', sent_at = now(), smtp_response = $2, last_error = NULL, claimed_until = NULL, next_attempt_at = NULL, updated_at = now()
                WHERE id = $1 AND status = 'sending'`,
              [m.id, String(info.response ?? '').slice(0, 500)],
            );
            await recordAudit(tx, null, { action: 'email.send', entityType: 'email', entityId: m.id, data: { ticketId: m.ticket_id, attempt: m.attempts } });
          });
          result.sent += 1;
        } catch (err) {
          const failed = await recordFailure(db, m, describeSmtpError(err), settings.retry);
          if (failed) result.failed += 1;
          else result.retried += 1;
        }
      }
      if (claimed.length < batch) break;
    }
  } finally {
    transport.close();
  }
  return result;
}

/** Claims up to `batch` due rows (queued and due, or "sending" whose claim ran out) and reads what sending needs. */
async function claimDue(db: Database, batch: number, claimSeconds: number): Promise<ClaimedMail[]> {
  return withTx(db, async (tx) => {
    const ids = await tx.query<{ id: string }>(
      `UPDATE email_messages SET status = 'sending', attempts = attempts + 1, claimed_until = now() + make_interval(secs => $1), updated_at = now()
        WHERE id IN (SELECT id FROM email_messages
                      WHERE (status = 'queued' AND next_attempt_at <= now()) OR (status = 'sending' AND claimed_until < now())
                      ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [claimSeconds, batch],
    );
    if (!ids.rowCount) return [];
    return (await tx.query<ClaimedMail>(
      `SELECT m.id, m.ticket_id, t.number, m.message_id, m.in_reply_to, m.refs, m.to_enc, m.subject, coalesce(ev.body, m.body_text) AS body, m.auto_submitted, m.attempts
         FROM email_messages m JOIN tickets t ON t.id = m.ticket_id LEFT JOIN ticket_events ev ON ev.id = m.event_id
        WHERE m.id = ANY($1::uuid[]) ORDER BY m.seq`,
      [ids.rows.map((r) => r.id)],
    )).rows;
  });
}

function describeSmtpError(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; code?: string };
  const text = e.message ?? String(err);
  return (e.responseCode && !text.includes(String(e.responseCode)) ? `${e.responseCode} ${text}` : text).slice(0, 500);
}

/** Records a failed try: back to the queue after the back-off, or given up; either way on the timeline. True when given up. */
async function recordFailure(db: Database, m: ClaimedMail, error: string, retry: { baseSeconds: number; maxSeconds: number; maxAttempts: number }): Promise<boolean> {
  const delay = retryDelayMs(m.attempts, { baseMs: retry.baseSeconds * 1000, maxMs: retry.maxSeconds * 1000, maxAttempts: retry.maxAttempts });
  return withTx(db, async (tx) => {
    const upd = await tx.query<{ next_attempt_at: Date | null }>(
      `UPDATE email_messages SET status = $2, last_error = $3, claimed_until = NULL, updated_at = now(),
              next_attempt_at = CASE WHEN $4::double precision IS NULL THEN NULL ELSE now() + make_interval(secs => $4::double precision) END
        WHERE id = $1 AND status = 'sending' RETURNING next_attempt_at`,
      [m.id, delay === null ? 'failed' : 'queued', error, delay === null ? null : delay / 1000],
    );
    if (!upd.rowCount) return delay === null; // someone else finished it meanwhile
    const next = upd.rows[0]!.next_attempt_at;
    await appendEvent(tx, m.ticket_id, {
      kind: delay === null ? 'email_failed' : 'email_retry',
      actorId: null,
      visibility: 'internal',
      body: delay === null
        ? `邮件回复发送失败,已尝试 ${m.attempts} 次,不再重试:${error}`
        : `邮件回复发送失败(第 ${m.attempts} 次),将于 ${next!.toISOString()} 重试:${error}`,
      data: { emailId: m.id, attempts: m.attempts, error, nextAttemptAt: next?.toISOString() ?? null },
    });
    await recordAudit(tx, null, { action: delay === null ? 'email.send_failed' : 'email.send_retry', entityType: 'email', entityId: m.id, data: { ticketId: m.ticket_id, attempt: m.attempts } });
    return delay === null;
  });
}

/** An agent sends a given-up mail again: back to the queue, due now, with a fresh round of attempts. */
export async function retryEmail(ctx: ServiceContext, actor: Actor, emailId: string): Promise<{ id: string; status: 'queued' }> {
  if (actor.role === 'customer' || actor.role === 'integration' || !can(actor, 'ticket.reply')) throw forbidden('mail is sent again by service staff');
  return withTx(ctx.db, async (tx) => {
    const { rows } = await tx.query<{ ticket_id: string; direction: string; status: string; to_enc: string | null }>(
      'SELECT ticket_id, direction, status, to_enc FROM email_messages WHERE id = $1 FOR UPDATE',
      [emailId],
    );
    const m = rows[0];
    if (!m || m.direction !== 'outbound') throw notFound('outbound e-mail', emailId);
    await loadTicketFor(tx, actor, m.ticket_id, 'ticket.reply');
    if (m.status !== 'failed') throw new AppError('invalid_transition', `this mail is ${m.status}; only a failed mail is sent again`);
    if (!m.to_enc) throw new AppError('invalid_transition', 'this mail has no address to go to; add the customer’s e-mail address and reply again');
    await tx.query(`UPDATE email_messages SET status = 'queued', attempts = 0, next_attempt_at = now(), updated_at = now() WHERE id = $1`, [emailId]);
    await appendEvent(tx, m.ticket_id, { kind: 'email_retry', actorId: actor.userId, visibility: 'internal', body: '邮件回复重新发送', data: { emailId, manual: true } });
    await touchTicket(tx, m.ticket_id);
    await recordAudit(tx, actor, { action: 'email.retry', entityType: 'email', entityId: emailId, data: { ticketId: m.ticket_id } });
    return { id: emailId, status: 'queued' as const };
  });
}
