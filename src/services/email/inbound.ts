/**
 * Inbound mail (issue 4, SPEC C1/C7): one mail becomes one ticket message. It threads into the
 * ticket of any mail it answers (In-Reply-To / References against the Message-IDs we keep, ours
 * and the customer's), else into the ticket whose number its subject carries when the sender
 * belongs to that ticket, else it opens a new e-mail ticket. The sender is recognised by the keyed
 * hash of their address, or becomes a new customer. Attachments are kept in the database. A mail
 * is kept once per Message-ID (a redelivery is a no-op). Auto-replies, bulk mail and loops are
 * kept and marked, never reopen a ticket, never start a clock and are never answered.
 */
import { createHash, randomUUID } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { withTx, type Queryable, type Tx } from '../../db/database.ts';
import {
  detectAutomated,
  normaliseAddress,
  normaliseMessageId,
  parseMessageIdList,
  replySubject,
  ticketNumberFromSubject,
  type Automated,
} from '../../domain/email.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { createCustomer } from '../customers/customers.ts';
import { settingValue, type SettingValue } from '../settings/settings.ts';
import { refreshTicketSla } from '../sla/clocks.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { customerMessageEffects } from '../tickets/ticket-actions.ts';
import { appendEvent, loadTicket, touchTicket } from '../tickets/ticket-row.ts';
import { emailActor } from './email-actor.ts';
import { insertOutbound, ownMessageIdDomain } from './outbox.ts';

export interface InboundEnvelope {
  /** MAIL FROM: '' for the null sender "<>", null when not known (not delivered over SMTP). */
  mailFrom: string | null;
  rcptTo: string[];
}

export interface InboundResult {
  outcome: 'created' | 'threaded' | 'duplicate';
  ticketId: string;
  ticketNumber: string;
  emailId: string;
  automated: Automated;
}

/** Longest subject and body kept on the ticket; the rest of a longer text is cut (and said so). */
const MAX_SUBJECT = 200;
const MAX_TEXT = 100_000;

interface ReadMail {
  messageId: string;
  from: string | null;
  fromName: string | null;
  to: string | null;
  subject: string;
  text: string;
  /** In-Reply-To and References as the mail gave them, and both together newest first (for threading). */
  inReplyTo: string | null;
  references: string[];
  thread: string[];
  automated: Automated;
  attachments: { filename: string | null; contentType: string; content: Buffer }[];
}

async function readMail(raw: Buffer, envelope: InboundEnvelope, inbound: SettingValue<'email.inbound'>, outbound: SettingValue<'email.outbound'>): Promise<ReadMail> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, keepCidLinks: true, maxHtmlLengthToParse: 2_000_000, checksumAlgo: false });
  } catch (err) {
    throw new AppError('validation_failed', `the mail could not be read: ${(err as Error).message}`);
  }
  // The parser keeps what it understands; a header it could not make sense of is simply absent.
  const headers: Record<string, string | undefined> = {};
  for (const h of parsed.headerLines ?? []) {
    if (headers[h.key] !== undefined) continue;
    const colon = h.line.indexOf(':');
    headers[h.key] = colon < 0 ? '' : h.line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
  }
  const messageId = normaliseMessageId(parsed.messageId) ?? `sha256.${createHash('sha256').update(raw).digest('hex')}@parceldesk.invalid`;
  const fromEntry = parsed.from?.value.find((a) => a.address) ?? null;
  const from = normaliseAddress(fromEntry?.address) ?? normaliseAddress(envelope.mailFrom);
  const toList = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) => a.value.map((v) => v.address).filter((x): x is string => !!x));
  const subject = (parsed.subject ?? '').replace(/\s+/g, ' ').trim();
  let text = (parsed.text ?? '').replace(/\r\n/g, '\n').trim();
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}\n[…]`;
  const inReplyTo = parseMessageIdList(parsed.inReplyTo);
  const references = parseMessageIdList(parsed.references).slice(-100);
  const thread = [...inReplyTo, ...[...references].reverse()].filter((id, i, all) => all.indexOf(id) === i && id !== messageId);
  const automated = detectAutomated({
    headers,
    from,
    envelopeFrom: envelope.mailFrom,
    subject,
    messageId: normaliseMessageId(parsed.messageId),
    ownMessageIdDomain: ownMessageIdDomain(outbound),
    ownAddresses: [outbound.fromAddress, ...inbound.addresses],
  });
  return {
    messageId,
    from,
    fromName: fromEntry?.name?.trim() || null,
    to: toList.length ? toList.join(', ') : envelope.rcptTo.join(', ') || null,
    subject,
    text,
    inReplyTo: inReplyTo[0] ?? null,
    references,
    thread,
    automated,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType || 'application/octet-stream', content: a.content })),
  };
}

/** Receives one raw mail (RFC 5322 bytes) and files it; see the module comment. */
export async function receiveEmail(ctx: ServiceContext, raw: Buffer, envelope: InboundEnvelope): Promise<InboundResult> {
  const { inbound, outbound } = await emailSettings(ctx.db.pool);
  if (raw.length > inbound.maxBytes) throw new AppError('payload_too_large', `the mail is ${raw.length} bytes, more than the ${inbound.maxBytes} accepted`);
  const mail = await readMail(raw, envelope, inbound, outbound);
  const fromHash = mail.from ? ctx.crypto.lookupHash(mail.from) : null;
  // What is known already, in one round trip: this mail (a redelivery), the sender, the thread.
  const { rows: [k] } = await ctx.db.pool.query<{ known: boolean; customer_id: string | null; thread_ticket: string | null }>(
    `SELECT EXISTS (SELECT 1 FROM email_messages WHERE message_id = $1) AS known,
            (SELECT id FROM customers WHERE $2::text IS NOT NULL AND email_hash = $2 ORDER BY created_at LIMIT 1) AS customer_id,
            (SELECT ticket_id FROM email_messages WHERE message_id = ANY($3::text[]) ORDER BY seq DESC LIMIT 1) AS thread_ticket`,
    [mail.messageId, fromHash, mail.thread.slice(0, 100)],
  );
  if (k!.known) {
    const known = await findEmail(ctx.db.pool, mail.messageId);
    if (known) return { ...known, outcome: 'duplicate' };
  }

  const actor = await emailActor(ctx.db.pool);
  const customerId = k!.customer_id ?? (mail.from ? await customerFor(ctx, actor, mail.from, mail.fromName, mail.automated === null) : null);
  const threadTicket = (k!.thread_ticket ? await followMerges(ctx.db.pool, k!.thread_ticket) : null) ?? (await ticketBySubject(ctx.db.pool, mail.subject, fromHash));

  if (threadTicket) {
    return withTx(ctx.db, async (tx) => {
      const t = await loadTicket(tx, threadTicket, true);
      const emailId = await insertEmailRow(tx, ctx, mail, raw.length, t.id, customerId, fromHash);
      if (!emailId) return { ...(await findEmail(tx, mail.messageId))!, outcome: 'duplicate' as const };
      const attachments = await insertAttachments(tx, emailId, t.id, mail, inbound.maxAttachmentBytes);
      const ev = await appendEvent(tx, t.id, {
        kind: 'message',
        actorId: actor.userId,
        visibility: 'public',
        body: mail.text === '' ? `(${mail.subject || '无正文'})` : mail.text,
        data: { author: 'customer', channel: 'email', emailId, subject: mail.subject, automated: mail.automated?.kind ?? null, attachments },
        clientId: `email:${mail.messageId}`.slice(0, 600),
      });
      await tx.query('UPDATE email_messages SET event_id = $2 WHERE id = $1', [emailId, ev.id]);
      if (mail.automated === null && customerId !== null && t.customer_id === null) {
        await tx.query('UPDATE tickets SET customer_id = $2 WHERE id = $1', [t.id, customerId]);
      }
      if (mail.automated === null) {
        await customerMessageEffects(tx, ctx, actor, t, ctx.now());
        await refreshTicketSla(tx, t.id);
      }
      await touchTicket(tx, t.id);
      await recordAudit(tx, actor, { action: 'email.receive', entityType: 'email', entityId: emailId, data: { ticketId: t.id, threaded: true, automated: mail.automated?.kind ?? null, attachments: attachments.length } });
      return { outcome: 'threaded' as const, ticketId: t.id, ticketNumber: t.number, emailId, automated: mail.automated };
    });
  }

  // A new ticket: created (idempotently, by Message-ID) first, then the mail filed on it, so a
  // redelivery after a crash between the two finds the ticket and files the mail once.
  const { ticket } = await createTicket(
    ctx,
    actor,
    {
      type: 'consultation',
      channel: 'email',
      subject: (mail.subject || '(无主题)').slice(0, MAX_SUBJECT),
      description: mail.text,
      customerId,
      ...(mail.automated ? { tags: [`email_${mail.automated.kind}`] } : {}),
    },
    { key: `email:${mail.messageId}` },
  );
  return withTx(ctx.db, async (tx) => {
    const emailId = await insertEmailRow(tx, ctx, mail, raw.length, ticket.id, customerId, fromHash);
    if (!emailId) return { ...(await findEmail(tx, mail.messageId))!, outcome: 'duplicate' as const };
    const attachments = await insertAttachments(tx, emailId, ticket.id, mail, inbound.maxAttachmentBytes);
    const created = await tx.query<{ id: string }>(`SELECT id FROM ticket_events WHERE ticket_id = $1 AND kind = 'created' ORDER BY id LIMIT 1`, [ticket.id]);
    await tx.query('UPDATE email_messages SET event_id = $2 WHERE id = $1', [emailId, created.rows[0]?.id ?? null]);
    if (attachments.length || mail.automated) {
      await appendEvent(tx, ticket.id, {
        kind: 'email',
        actorId: actor.userId,
        visibility: 'internal',
        body: [mail.automated ? `自动发送的邮件(${mail.automated.reason}),不会自动回复` : null, attachments.length ? `附件 ${attachments.length} 个` : null].filter(Boolean).join(';'),
        data: { emailId, automated: mail.automated?.kind ?? null, attachments },
      });
    }
    // The optional acknowledgement: to people only, never to a machine's mail (no auto-reply ping-pong, no loops).
    let acknowledged = false;
    if (inbound.acknowledge.enabled && mail.automated === null && mail.from) {
      await insertOutbound(tx, outbound, {
        ticketId: ticket.id,
        eventId: null,
        bodyText: inbound.acknowledge.text.replaceAll('{number}', ticket.number),
        autoSubmitted: true,
        parent: { messageId: mail.messageId, references: mail.references },
        toEnc: ctx.crypto.encrypt(mail.from),
        subject: replySubject(mail.subject, ticket.number),
      });
      acknowledged = true;
    }
    await recordAudit(tx, actor, { action: 'email.receive', entityType: 'email', entityId: emailId, data: { ticketId: ticket.id, threaded: false, acknowledged, automated: mail.automated?.kind ?? null, attachments: attachments.length } });
    return { outcome: 'created' as const, ticketId: ticket.id, ticketNumber: ticket.number, emailId, automated: mail.automated };
  });
}

async function emailSettings(q: Queryable): Promise<{ inbound: SettingValue<'email.inbound'>; outbound: SettingValue<'email.outbound'> }> {
  const { rows } = await q.query<{ key: string; value: unknown }>(`SELECT key, value FROM settings WHERE key IN ('email.inbound', 'email.outbound')`);
  const stored = (key: string): { value: unknown } | null => {
    const r = rows.find((x) => x.key === key);
    return r ? { value: r.value } : null;
  };
  return { inbound: settingValue('email.inbound', stored('email.inbound')), outbound: settingValue('email.outbound', stored('email.outbound')) };
}

async function findEmail(q: Queryable, messageId: string): Promise<Omit<InboundResult, 'outcome'> | null> {
  const { rows } = await q.query<{ id: string; ticket_id: string; number: string; automated: 'auto_reply' | 'bulk' | 'loop' | null; automated_reason: string | null }>(
    'SELECT e.id, e.ticket_id, t.number, e.automated, e.automated_reason FROM email_messages e JOIN tickets t ON t.id = e.ticket_id WHERE e.message_id = $1',
    [messageId],
  );
  const r = rows[0];
  if (!r) return null;
  return { ticketId: r.ticket_id, ticketNumber: r.number, emailId: r.id, automated: r.automated ? { kind: r.automated, reason: r.automated_reason ?? '' } : null };
}

/**
 * The ticket whose number the subject carries, when the sender belongs to it: the ticket's
 * customer by address, or someone who already wrote on the ticket. A stranger quoting a number
 * does not get into somebody else's ticket; they open their own.
 */
async function ticketBySubject(q: Queryable, subject: string, fromHash: string | null): Promise<string | null> {
  const number = ticketNumberFromSubject(subject);
  if (!number || !fromHash) return null;
  const { rows } = await q.query<{ id: string }>(
    `SELECT t.id FROM tickets t
      WHERE t.number = $1
        AND (EXISTS (SELECT 1 FROM customers c WHERE c.id = t.customer_id AND c.email_hash = $2)
             OR EXISTS (SELECT 1 FROM email_messages e WHERE e.ticket_id = t.id AND e.from_hash = $2))`,
    [number, fromHash],
  );
  return rows[0] ? followMerges(q, rows[0].id) : null;
}

/** The ticket a merged ticket went into (the thread goes on there). */
async function followMerges(q: Queryable, ticketId: string): Promise<string> {
  let id = ticketId;
  for (let i = 0; i < 10; i++) {
    const { rows } = await q.query<{ merged_into_id: string | null }>('SELECT merged_into_id FROM tickets WHERE id = $1', [id]);
    const next = rows[0]?.merged_into_id;
    if (!next) return id;
    id = next;
  }
  return id;
}

/**
 * The customer whose (verified) address this is, found by keyed hash; an unknown person's mail
 * creates one holding the address and display name (encrypted). Machines' mail creates nobody.
 * A transaction-scoped lock on the hash keeps two mails from a new sender at once from creating two.
 */
async function customerFor(ctx: ServiceContext, actor: Actor, address: string, name: string | null, create: boolean): Promise<string | null> {
  const hash = ctx.crypto.lookupHash(address);
  const find = async (q: Queryable): Promise<string | null> =>
    (await q.query<{ id: string }>('SELECT id FROM customers WHERE email_hash = $1 ORDER BY created_at LIMIT 1', [hash])).rows[0]?.id ?? null;
  const found = await find(ctx.db.pool);
  if (found || !create) return found;
  return withTx(ctx.db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 13))', [`customer-email:${hash}`]);
    const again = await find(tx);
    if (again) return again;
    try {
      return (await createCustomer(tx, ctx.crypto, actor, { email: address, name: name?.slice(0, 100) ?? null })).id;
    } catch (err) {
      if (err instanceof AppError) return null; // an address our customer records do not accept: the mail is kept without a customer
      throw err;
    }
  });
}

async function insertEmailRow(tx: Tx, ctx: ServiceContext, mail: ReadMail, size: number, ticketId: string, customerId: string | null, fromHash: string | null): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO email_messages (direction, message_id, ticket_id, customer_id, in_reply_to, refs, from_enc, from_hash, to_enc, subject, size_bytes, automated, automated_reason, status)
     VALUES ('inbound', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received')
     ON CONFLICT (message_id) DO NOTHING RETURNING id`,
    [
      mail.messageId, ticketId, customerId, mail.inReplyTo, mail.references,
      mail.from ? ctx.crypto.encrypt(mail.from) : null, fromHash, mail.to ? ctx.crypto.encrypt(mail.to) : null,
      mail.subject.slice(0, 1000), size, mail.automated?.kind ?? null, mail.automated?.reason ?? null,
    ],
  );
  return rows[0]?.id ?? null;
}

export interface AttachmentRef {
  id: string;
  filename: string | null;
  contentType: string;
  size: number;
  stored: boolean;
}

async function insertAttachments(tx: Tx, emailId: string, ticketId: string, mail: ReadMail, maxBytes: number): Promise<AttachmentRef[]> {
  const out: AttachmentRef[] = [];
  for (const [i, a] of mail.attachments.entries()) {
    const id = randomUUID();
    const stored = a.content.length <= maxBytes;
    const filename = a.filename?.slice(0, 255) ?? null;
    await tx.query(
      `INSERT INTO email_attachments (id, email_id, ticket_id, position, filename, content_type, size_bytes, sha256, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, emailId, ticketId, i, filename, a.contentType.slice(0, 255), a.content.length, createHash('sha256').update(a.content).digest('hex'), stored ? a.content : null],
    );
    out.push({ id, filename, contentType: a.contentType, size: a.content.length, stored });
  }
  return out;
}
