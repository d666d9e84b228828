/**
 * Outgoing webhooks (issue 4, "Webhooks out"): which ticket events become which webhook events,
 * how a payload is signed and verified, when a failed delivery is tried again, which URLs and
 * redirects are acceptable. Pure: no I/O, no clock (times are passed in).
 *
 * Event types and what produces them:
 * - `ticket.created`: a ticket is opened (any channel).
 * - `ticket.updated`: a change to the ticket's own fields — `status` (incl. reopen), `assignment`
 *   (take, assign, first-contact and auto assignment), `handover`, `update` (subject, type,
 *   category, priority, tags, waybills, special groups, goods) and `merge`. All such changes of one
 *   ticket in one transaction become ONE `ticket.updated` listing them in `changes`; a ticket
 *   created in the same transaction gets only its `ticket.created`. Timeline entries that do not
 *   change the ticket's fields (calls, walk-ins, orders, claims, problem-case steps, links,
 *   escalations, SLA warnings, customer-notified records) produce no webhook.
 * - `message.created`: a public message in either direction (`message`, author customer or
 *   agent) and — only for subscriptions that set `includeInternal` — an internal note (`note`).
 * - `sla.breached`: an SLA clock passed its deadline (claimed once by the SLA sweep).
 * - `webhook.ping`: the test event an admin sends; never subscribed to.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_EVENT_TYPES = ['ticket.created', 'ticket.updated', 'message.created', 'sla.breached'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const PING_EVENT = 'webhook.ping';

/** Ticket event kinds that change the ticket's own fields and so count as `ticket.updated`. */
export const TICKET_UPDATE_KINDS = ['status', 'assignment', 'handover', 'update', 'merge'] as const;

/** One change inside a `ticket.updated` payload. Free text written by staff (hand-over reasons, merge reasons) stays out. */
export type TicketChange =
  | { kind: 'status'; from: unknown; to: unknown; waitingOn: unknown; reopened: boolean }
  | { kind: 'assignment'; ownerId: unknown; teamId: unknown; by: unknown }
  | { kind: 'handover'; fromOwnerId: unknown; fromTeamId: unknown; toOwnerId: unknown; toTeamId: unknown }
  | { kind: 'update'; fields: string[] }
  | { kind: 'merge'; intoTicketId: unknown; fromTicketId: unknown };

export interface TicketEventLike {
  id: number | null;
  kind: string;
  actorId: string | null;
  visibility: 'public' | 'internal';
  body: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

export interface MessageData {
  id: number | null;
  visibility: 'public' | 'internal';
  author: 'customer' | 'agent';
  authorId: string | null;
  body: string;
  createdAt: string;
}

/** What a ticket event means for webhooks (null: nothing). */
export type MappedEvent =
  | { type: 'ticket.created' }
  | { type: 'ticket.updated'; change: TicketChange }
  | { type: 'message.created'; internal: boolean; message: MessageData }
  | { type: 'sla.breached'; sla: { clock: unknown; dueAt: unknown } };

const SNAKE_FIELDS: Record<string, string> = { category_id: 'categoryId', special_groups: 'specialGroups' };

export function mapTicketEvent(e: TicketEventLike): MappedEvent | null {
  const d = e.data;
  switch (e.kind) {
    case 'created':
      return { type: 'ticket.created' };
    case 'message':
    case 'note': {
      const internal = e.kind === 'note' || e.visibility === 'internal';
      const author = d.author === 'customer' ? 'customer' : 'agent';
      return { type: 'message.created', internal, message: { id: e.id, visibility: internal ? 'internal' : 'public', author, authorId: e.actorId, body: e.body ?? '', createdAt: e.createdAt } };
    }
    case 'status':
      return { type: 'ticket.updated', change: { kind: 'status', from: d.from ?? null, to: d.to ?? null, waitingOn: d.waitingOn ?? null, reopened: d.reopened === true } };
    case 'assignment':
      return { type: 'ticket.updated', change: { kind: 'assignment', ownerId: d.ownerId ?? null, teamId: d.teamId ?? null, by: d.by ?? null } };
    case 'handover':
      return { type: 'ticket.updated', change: { kind: 'handover', fromOwnerId: d.fromOwnerId ?? null, fromTeamId: d.fromTeamId ?? null, toOwnerId: d.toOwnerId ?? null, toTeamId: d.toTeamId ?? null } };
    case 'update': {
      const changes = d.changes && typeof d.changes === 'object' ? Object.keys(d.changes) : [];
      return { type: 'ticket.updated', change: { kind: 'update', fields: changes.map((f) => SNAKE_FIELDS[f] ?? f) } };
    }
    case 'merge':
      return { type: 'ticket.updated', change: { kind: 'merge', intoTicketId: d.into ?? null, fromTicketId: d.from ?? null } };
    case 'sla_breach':
      return { type: 'sla.breached', sla: { clock: d.clock ?? null, dueAt: d.dueAt ?? null } };
    default:
      return null;
  }
}

/** Whether a subscription receives an event of this type (internal notes only when it asked for them). */
export function subscriptionWants(sub: { events: readonly string[]; includeInternal: boolean }, type: string, internal: boolean): boolean {
  return sub.events.includes(type) && (!internal || sub.includeInternal);
}

// ---------------------------------------------------------------------------------------------
// Signing (Stripe-style): X-Parceldesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256("<t>.<raw body>")>.
// While a rotated secret is still honoured, the header carries one v1 per secret.

export const SIGNATURE_HEADER = 'x-parceldesk-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signPayload(s, timestamp, body)}`)].join(',');
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'no_match' | 'too_old' | 'too_new' };

/**
 * What a receiver does: parse the header, recompute the HMAC over "<t>.<raw body>" with its
 * secret, compare in constant time against each v1, and refuse timestamps further than
 * `toleranceSeconds` from its own clock (replays).
 */
export function verifySignature(header: string | null | undefined, body: string, secret: string, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): VerifyResult {
  if (!header) return { ok: false, reason: 'malformed' };
  let t: number | null = null;
  const sigs: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return { ok: false, reason: 'malformed' };
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't') {
      if (!/^\d{1,12}$/.test(v) || t !== null) return { ok: false, reason: 'malformed' };
      t = Number(v);
    } else if (k === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(v)) return { ok: false, reason: 'malformed' };
      sigs.push(v);
    }
  }
  if (t === null || sigs.length === 0) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(signPayload(secret, t, body), 'hex');
  if (!sigs.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected))) return { ok: false, reason: 'no_match' };
  if (nowSeconds - t > toleranceSeconds) return { ok: false, reason: 'too_old' };
  if (t - nowSeconds > toleranceSeconds) return { ok: false, reason: 'too_new' };
  return { ok: true, timestamp: t };
}

// ---------------------------------------------------------------------------------------------
// Retries.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** The wait after the 1st, 2nd, … failed attempt; after the last entry the wait stays at it. */
export const BACKOFF_SCHEDULE_MS = [10 * SECOND, MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR] as const;
export const DEFAULT_MAX_ATTEMPTS = 8;

export function backoffDelayMs(failedAttempts: number): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new RangeError(`failedAttempts must be a positive integer, not ${failedAttempts}`);
  return BACKOFF_SCHEDULE_MS[Math.min(failedAttempts, BACKOFF_SCHEDULE_MS.length) - 1]!;
}

/** When to try again after `attempts` attempts that all failed; null when that was the last one allowed. */
export function nextAttemptAt(attempts: number, maxAttempts: number, now: Date): Date | null {
  if (attempts >= maxAttempts) return null;
  return new Date(now.getTime() + backoffDelayMs(attempts));
}

export function isDelivered(status: number): boolean {
  return status >= 200 && status <= 299;
}

// ---------------------------------------------------------------------------------------------
// URLs and redirects.

export const MAX_URL_LENGTH = 2000;

/** Why a subscription URL is refused (null: acceptable): http(s) only, a host, no credentials in it. */
export function webhookUrlProblem(raw: string): string | null {
  if (raw.length > MAX_URL_LENGTH) return `the URL is longer than ${MAX_URL_LENGTH} characters`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'not an absolute URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `only http and https URLs are accepted, not ${u.protocol.replace(/:$/, '')}`;
  if (!u.hostname) return 'the URL has no host';
  if (u.username || u.password) return 'put credentials in the secret check on your side, not in the URL (user:password@ is refused)';
  if (u.hash) return 'a URL fragment (#…) is never sent; remove it';
  return null;
}

/**
 * Where a redirect may be followed: only a 307/308 (which keep the POST and its body) to the same
 * origin (scheme, host and port). Anything else is not followed and counts as a failed attempt.
 */
export function redirectTarget(from: string, status: number, location: string | null): string | null {
  if ((status !== 307 && status !== 308) || !location) return null;
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return null;
  }
  return target.origin === new URL(from).origin ? target.toString() : null;
}

export const RESPONSE_EXCERPT_CHARS = 1_000;

export function truncate(text: string, max = RESPONSE_EXCERPT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
