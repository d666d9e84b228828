/**
 * E-mail rules (SPEC C1, C7; issue 4): message ids, threading (References chain, ticket number in
 * the subject), reply subjects, recognising auto-replies, bulk mail and mail loops from headers,
 * and the retry back-off of outbound mail. Pure: no I/O, no clock.
 */
import { formatTicketNumber, parseTicketNumber } from './ticket-number.ts';

/** The longest message id kept; longer ones are not ids but garbage (RFC 5322 lines are ≤ 998). */
const MAX_ID = 500;

/**
 * A message id without its angle brackets, the domain part lower-cased (domains are
 * case-insensitive, local parts are not). Null for anything that is not an id: empty, with
 * white space or brackets inside, or too long.
 */
export function normaliseMessageId(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  let s = raw.trim();
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  if (s === '' || s.length > MAX_ID || /[\s<>]/.test(s)) return null;
  const at = s.lastIndexOf('@');
  return at < 0 ? s : `${s.slice(0, at)}@${s.slice(at + 1).toLowerCase()}`;
}

/** The ids of an In-Reply-To or References header (or the list a parser made of it), in order, once each. */
export function parseMessageIdList(raw: string | readonly string[] | null | undefined): string[] {
  if (raw == null) return [];
  const text = typeof raw === 'string' ? raw : raw.join(' ');
  const bracketed = text.match(/<[^<>]*>/g);
  const tokens = bracketed ?? text.split(/[\s,]+/);
  const out: string[] = [];
  for (const t of tokens) {
    const id = normaliseMessageId(t);
    if (id !== null && !out.includes(id)) out.push(id);
  }
  return out;
}

/** "<id>" as written in a header. */
export function angle(id: string): string {
  return `<${id}>`;
}

/** The domain part of a message id (lower case), or null. */
export function messageIdDomain(id: string): string | null {
  const at = id.lastIndexOf('@');
  return at < 0 || at === id.length - 1 ? null : id.slice(at + 1).toLowerCase();
}

/**
 * The References of a reply: the parent's References followed by the parent's own id, once each.
 * Long chains keep the first id (the thread's root) and the most recent ones (RFC 5322 3.6.4 lets
 * a writer trim the middle), at most `max` ids.
 */
export function referencesChain(parent: { messageId: string; references: readonly string[] } | null, max = 20): string[] {
  if (parent === null) return [];
  const chain: string[] = [];
  for (const id of [...parent.references, parent.messageId]) if (!chain.includes(id)) chain.push(id);
  if (chain.length <= max) return chain;
  return [chain[0]!, ...chain.slice(chain.length - (max - 1))];
}

const NUMBER_IN_TEXT = /(?<![A-Za-z0-9])([A-Za-z]{1,4})(\d{8})-?(\d{6})(?![0-9])/g;

/**
 * The ticket number a subject carries, canonical (upper case, no hyphen): "GD20261123000123" or
 * "GD20261123-000123", bracketed or not. A bracketed one wins over a bare one (the bracket is
 * what our replies write); among equals, the last one (the newest tag in "Re: … [A] [B]").
 * Only real dates and sequences count; `prefixes`, when given, limits the prefixes accepted.
 */
export function ticketNumberFromSubject(subject: string, prefixes?: readonly string[]): string | null {
  let bare: string | null = null;
  let bracketed: string | null = null;
  for (const m of subject.matchAll(NUMBER_IN_TEXT)) {
    const parsed = parseTicketNumber(`${m[1]}${m[2]}${m[3]}`);
    if (parsed === null) continue;
    if (prefixes && !prefixes.includes(parsed.prefix)) continue;
    const number = formatTicketNumber(parsed.prefix, parsed.day, parsed.seq);
    const before = subject.slice(0, m.index).trimEnd();
    const after = subject.slice(m.index + m[0].length).trimStart();
    if ((before.endsWith('[') || before.endsWith('【') || before.endsWith('#')) || (after.startsWith(']') || after.startsWith('】'))) bracketed = number;
    else bare = number;
  }
  return bracketed ?? bare;
}

const REPLY_PREFIX = /^\s*(?:re|fw|fwd|aw|wg|sv|vs|antw|答复|回复|转发|回覆|轉寄)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/i;

/** A subject without its "Re:", "Fwd:", "回复:" … prefixes (any number of them, any mix). */
export function stripReplyPrefixes(subject: string): string {
  let s = subject;
  for (let i = 0; i < 20; i++) {
    const next = s.replace(REPLY_PREFIX, '');
    if (next === s) break;
    s = next;
  }
  return s.trim();
}

/** The subject of our reply: "Re: 快件未收到 [GD20261123000123]", whatever the thread's subject already carried. */
export function replySubject(subject: string, ticketNumber: string): string {
  const tag = new RegExp(`\\s*[\\[【#]?\\s*${ticketNumber.slice(0, -6)}-?${ticketNumber.slice(-6)}\\s*[\\]】]?`, 'gi');
  const base = stripReplyPrefixes(stripReplyPrefixes(subject).replace(tag, ' ')).replace(/\s+/g, ' ').trim();
  return base === '' ? `Re: [${ticketNumber}]` : `Re: ${base} [${ticketNumber}]`;
}

/** Why a mail came from a machine (never answered, never reopens a ticket), or null for a person's mail. */
export type Automated = { kind: 'auto_reply' | 'bulk' | 'loop'; reason: string } | null;

export interface AutomationInput {
  /** Header values by lower-case name (the first occurrence; a missing header is absent or undefined). */
  headers: Readonly<Record<string, string | undefined>>;
  /** The mail's From address (lower case), if it has one. */
  from: string | null;
  /** The SMTP envelope's MAIL FROM: '' for the null sender "<>"; null when unknown. */
  envelopeFrom: string | null;
  subject: string;
  /** The mail's own Message-ID (normalised), if any. */
  messageId: string | null;
  /** The domain our own Message-IDs carry. */
  ownMessageIdDomain: string;
  /** Our own addresses (lower case): the sender and the inbound addresses. */
  ownAddresses: readonly string[];
}

const AUTO_SUBJECT = /^\s*(?:自动回复|自动答复|自動回覆|自动应答|auto[-\s]?reply|auto[-\s]?response|automatic reply|autoreply|out of (?:the )?office|abwesenheitsnotiz|undeliverable|undelivered mail|delivery status notification|mail delivery (?:failed|failure|system)|退信|系统退信)/i;
const DAEMON = /^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply)@/i;

/**
 * RFC 3834 and the headers mail systems actually send. Loops first (our own mail coming back),
 * then auto-replies and bounces, then bulk mail (lists, newsletters).
 */
export function detectAutomated(m: AutomationInput): Automated {
  const h = (name: string): string | null => {
    const v = m.headers[name];
    return v === undefined ? null : v.trim();
  };
  const ownDomain = m.ownMessageIdDomain.toLowerCase();
  if (m.messageId && messageIdDomain(m.messageId) === ownDomain) return { kind: 'loop', reason: 'Message-ID is one of ours' };
  if (h('x-parceldesk-loop') !== null) return { kind: 'loop', reason: 'X-Parceldesk-Loop header: we sent this mail' };
  if (m.from && m.ownAddresses.includes(m.from.toLowerCase())) return { kind: 'loop', reason: 'sent from our own address' };

  const auto = h('auto-submitted');
  if (auto !== null && auto.toLowerCase().split(';')[0]!.trim() !== 'no') return { kind: 'auto_reply', reason: `Auto-Submitted: ${auto}` };
  if (h('x-autoreply') !== null) return { kind: 'auto_reply', reason: 'X-Autoreply header' };
  if (h('x-autorespond') !== null) return { kind: 'auto_reply', reason: 'X-Autorespond header' };
  const precedence = h('precedence')?.toLowerCase() ?? null;
  if (precedence === 'auto_reply') return { kind: 'auto_reply', reason: 'Precedence: auto_reply' };
  const returnPath = h('return-path');
  if (m.envelopeFrom === '' || (returnPath !== null && /^<\s*>$/.test(returnPath))) return { kind: 'auto_reply', reason: 'null sender (Return-Path <>): a bounce or notification' };
  if (m.from && DAEMON.test(m.from)) return { kind: 'auto_reply', reason: `sent by ${m.from.split('@')[0]}` };
  if (AUTO_SUBJECT.test(m.subject)) return { kind: 'auto_reply', reason: 'subject of an automatic reply' };

  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') return { kind: 'bulk', reason: `Precedence: ${precedence}` };
  if (h('list-id') !== null) return { kind: 'bulk', reason: 'List-Id header: mailing-list mail' };
  return null;
}

/** An e-mail address, lower-cased and trimmed, or null when it is not one. */
export function normaliseAddress(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const s = raw.trim().toLowerCase();
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(s) && s.length <= 254 ? s : null;
}

/**
 * How long an outbound mail waits after its `attempt`-th failed try: base × 2^(attempt−1), capped.
 * Null once `maxAttempts` tries have failed: the mail is given up.
 */
export function retryDelayMs(attempt: number, o: { baseMs: number; maxMs: number; maxAttempts: number }): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  if (attempt >= o.maxAttempts) return null;
  return Math.min(o.maxMs, o.baseMs * 2 ** (attempt - 1));
}
