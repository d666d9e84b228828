/**
 * Webhook subscriptions and their delivery log (admins, `webhook.manage`). The signing secret is
 * generated here, shown once (on creation and on rotation) and kept encrypted, since the server
 * signs with it. After a rotation the previous secret is still signed with for a grace period, so
 * a receiver can switch without losing deliveries. Every change is audited; the audit entry names
 * the URL's origin only (a path or query may carry the receiver's own token) and never a secret.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { withTx, type Queryable } from '../../db/database.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { PING_EVENT, webhookUrlProblem, type WebhookEventType } from '../../domain/webhooks.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting } from '../settings/settings.ts';
import { payloadJson } from './webhook-outbox.ts';
import { attemptDelivery, claimDeliveries, recordAttempt, type SubscriptionSecrets } from './send-webhooks.ts';

interface SubscriptionRow extends SubscriptionSecrets {
  id: string;
  description: string;
  events: string[];
  include_internal: boolean;
  active: boolean;
  secret_rotated_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface WebhookView {
  id: string;
  url: string;
  description: string;
  events: string[];
  includeInternal: boolean;
  active: boolean;
  secretRotatedAt: string | null;
  previousSecretValidUntil: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

function present(s: SubscriptionRow, now: Date): WebhookView {
  return {
    id: s.id,
    url: s.url,
    description: s.description,
    events: s.events,
    includeInternal: s.include_internal,
    active: s.active,
    secretRotatedAt: s.secret_rotated_at?.toISOString() ?? null,
    previousSecretValidUntil: s.previous_secret_until && s.previous_secret_until > now ? s.previous_secret_until.toISOString() : null,
    createdBy: s.created_by,
    createdAt: s.created_at.toISOString(),
    updatedAt: s.updated_at.toISOString(),
  };
}

function requireManage(actor: Actor): void {
  if (!can(actor, 'webhook.manage')) throw forbidden('only admins manage webhooks');
}

/** The URL as stored (normalised), or a 400 saying what is wrong with it. */
function checkUrl(raw: string): string {
  const problem = webhookUrlProblem(raw.trim());
  if (problem) throw new AppError('validation_failed', `url: ${problem}`);
  return new URL(raw.trim()).toString();
}

const origin = (url: string): string => new URL(url).origin;
const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;
const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/** `edit` locks the row without blocking writers that are adding deliveries for it (they hold KEY SHARE); `delete` waits for them. */
async function loadSubscription(q: Queryable, id: string, lock: 'edit' | 'delete' | null = null): Promise<SubscriptionRow> {
  const mode = lock === 'edit' ? ' FOR NO KEY UPDATE' : lock === 'delete' ? ' FOR UPDATE' : '';
  const { rows } = await q.query<SubscriptionRow>(`SELECT * FROM webhook_subscriptions WHERE id = $1${mode}`, [id]);
  if (!rows[0]) throw notFound('webhook', id);
  return rows[0];
}

export interface CreateWebhookInput {
  url: string;
  events: WebhookEventType[];
  description?: string | undefined;
  active?: boolean | undefined;
  includeInternal?: boolean | undefined;
}

export async function createWebhook(ctx: ServiceContext, actor: Actor, input: CreateWebhookInput): Promise<{ webhook: WebhookView; secret: string }> {
  requireManage(actor);
  const url = checkUrl(input.url);
  const secret = newSecret();
  return withTx(ctx.db, async (tx) => {
    const { rows } = await tx.query<SubscriptionRow>(
      `INSERT INTO webhook_subscriptions (url, description, events, include_internal, active, secret_enc, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [url, input.description?.trim() ?? '', uniq(input.events), input.includeInternal ?? false, input.active ?? true, ctx.crypto.encrypt(secret), actor.userId],
    );
    const s = rows[0]!;
    await recordAudit(tx, actor, { action: 'webhook.create', entityType: 'webhook', entityId: s.id, data: { origin: origin(url), events: s.events, includeInternal: s.include_internal, active: s.active } });
    return { webhook: present(s, ctx.now()), secret };
  });
}

export async function listWebhooks(ctx: ServiceContext, actor: Actor): Promise<WebhookView[]> {
  requireManage(actor);
  const { rows } = await ctx.db.pool.query<SubscriptionRow>('SELECT * FROM webhook_subscriptions ORDER BY created_at, id');
  return rows.map((s) => present(s, ctx.now()));
}

export async function getWebhook(ctx: ServiceContext, actor: Actor, id: string): Promise<WebhookView> {
  requireManage(actor);
  return present(await loadSubscription(ctx.db.pool, id), ctx.now());
}

export interface UpdateWebhookInput {
  url?: string | undefined;
  events?: WebhookEventType[] | undefined;
  description?: string | undefined;
  active?: boolean | undefined;
  includeInternal?: boolean | undefined;
}

export async function updateWebhook(ctx: ServiceContext, actor: Actor, id: string, input: UpdateWebhookInput): Promise<WebhookView> {
  requireManage(actor);
  const url = input.url === undefined ? undefined : checkUrl(input.url);
  return withTx(ctx.db, async (tx) => {
    const s = await loadSubscription(tx, id, 'edit');
    const next = {
      url: url ?? s.url,
      description: input.description?.trim() ?? s.description,
      events: input.events ? uniq(input.events) : s.events,
      include_internal: input.includeInternal ?? s.include_internal,
      active: input.active ?? s.active,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(s[k]));
    if (changed.length === 0) return present(s, ctx.now());
    const { rows } = await tx.query<SubscriptionRow>(
      `UPDATE webhook_subscriptions SET url = $2, description = $3, events = $4, include_internal = $5, active = $6, updated_at = now() WHERE id = $1 RETURNING *`,
      [id, next.url, next.description, next.events, next.include_internal, next.active],
    );
    const data: Record<string, unknown> = { fields: changed.map((k) => (k === 'include_internal' ? 'includeInternal' : k)) };
    if (changed.includes('url')) data.origin = origin(next.url);
    if (changed.includes('events')) data.events = next.events;
    if (changed.includes('active')) data.active = next.active;
    await recordAudit(tx, actor, { action: 'webhook.update', entityType: 'webhook', entityId: id, data });
    return present(rows[0]!, ctx.now());
  });
}

/** Deletes a subscription with its delivery log (pending deliveries are never sent). */
export async function deleteWebhook(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  requireManage(actor);
  await withTx(ctx.db, async (tx) => {
    const s = await loadSubscription(tx, id, 'delete');
    const pending = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 AND state = 'pending'`, [id]);
    await tx.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
    await recordAudit(tx, actor, { action: 'webhook.delete', entityType: 'webhook', entityId: id, data: { origin: origin(s.url), pendingDropped: pending.rows[0]!.n } });
  });
}

/** A new secret, shown once; the previous one is still signed with (a second v1) for `keepPreviousHours`. */
export async function rotateWebhookSecret(ctx: ServiceContext, actor: Actor, id: string, input: { keepPreviousHours?: number | undefined } = {}): Promise<{ webhook: WebhookView; secret: string }> {
  requireManage(actor);
  const secret = newSecret();
  const now = ctx.now();
  const keepHours = input.keepPreviousHours ?? 24;
  return withTx(ctx.db, async (tx) => {
    await loadSubscription(tx, id, 'edit');
    const { rows } = await tx.query<SubscriptionRow>(
      `UPDATE webhook_subscriptions
          SET previous_secret_enc = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE secret_enc END,
              previous_secret_until = $3, secret_enc = $2, secret_rotated_at = $4, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, ctx.crypto.encrypt(secret), keepHours > 0 ? new Date(now.getTime() + keepHours * 3_600_000) : null, now],
    );
    await recordAudit(tx, actor, { action: 'webhook.rotate_secret', entityType: 'webhook', entityId: id, data: { keepPreviousHours: keepHours } });
    return { webhook: present(rows[0]!, now), secret };
  });
}

// ---------------------------------------------------------------------------------------------
// Deliveries.

interface DeliveryRow {
  id: string;
  seq: number;
  subscription_id: string;
  event_id: string;
  event_type: string;
  ticket_id: string | null;
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  status_code: number | null;
  response_excerpt: string | null;
  error: string | null;
  delivered_at: Date | null;
  redelivery_of: string | null;
  created_at: Date;
  attempt_log: { attempt: number; at: string; durationMs: number; statusCode: number | null; error: string | null }[] | null;
}

export interface DeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  ticketId: string | null;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  statusCode: number | null;
  responseExcerpt: string | null;
  error: string | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  redeliveryOf: string | null;
  createdAt: string;
  payload: unknown;
  attemptLog: { attempt: number; at: string; durationMs: number; statusCode: number | null; error: string | null }[];
}

function presentDelivery(d: DeliveryRow): DeliveryView {
  return {
    id: d.id,
    webhookId: d.subscription_id,
    eventId: d.event_id,
    eventType: d.event_type,
    ticketId: d.ticket_id,
    state: d.state,
    attempts: d.attempts,
    statusCode: d.status_code,
    responseExcerpt: d.response_excerpt,
    error: d.error,
    nextAttemptAt: d.next_attempt_at?.toISOString() ?? null,
    lastAttemptAt: d.last_attempt_at?.toISOString() ?? null,
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    redeliveryOf: d.redelivery_of,
    createdAt: d.created_at.toISOString(),
    payload: JSON.parse(d.payload) as unknown,
    attemptLog: (d.attempt_log ?? []).map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
  };
}

const DELIVERY_COLUMNS = `d.*, (SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'durationMs', a.duration_ms, 'statusCode', a.status_code, 'error', a.error) ORDER BY a.attempt)
  FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id) AS attempt_log`;

export interface DeliveryQuery {
  limit: number;
  before?: number | undefined;
  state?: 'pending' | 'delivered' | 'failed' | undefined;
  eventType?: string | undefined;
  ticketId?: string | undefined;
}

/** The delivery log, newest first; `nextBefore` continues it. */
export async function listDeliveries(ctx: ServiceContext, actor: Actor, webhookId: string, query: DeliveryQuery): Promise<{ items: DeliveryView[]; nextBefore: number | null }> {
  requireManage(actor);
  await loadSubscription(ctx.db.pool, webhookId);
  const { rows } = await ctx.db.pool.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d
      WHERE d.subscription_id = $1 AND ($2::bigint IS NULL OR d.seq < $2) AND ($3::text IS NULL OR d.state = $3)
        AND ($4::text IS NULL OR d.event_type = $4) AND ($5::uuid IS NULL OR d.ticket_id = $5)
      ORDER BY d.seq DESC LIMIT $6`,
    [webhookId, query.before ?? null, query.state ?? null, query.eventType ?? null, query.ticketId ?? null, query.limit + 1],
  );
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  return { items: page.map(presentDelivery), nextBefore: more ? page[page.length - 1]!.seq : null };
}

async function loadDelivery(q: Queryable, id: string): Promise<DeliveryRow> {
  const { rows } = await q.query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.id = $1`, [id]);
  if (!rows[0]) throw notFound('webhook delivery', id);
  return rows[0];
}

/** Sends a delivered or failed delivery again: a new delivery of the same payload (same event id), due at once. */
export async function redeliverWebhook(ctx: ServiceContext, actor: Actor, deliveryId: string): Promise<DeliveryView> {
  requireManage(actor);
  return withTx(ctx.db, async (tx) => {
    const d = await loadDelivery(tx, deliveryId);
    // Its subscription stays while this commits (or is gone already: 404, not a foreign-key error).
    if (!(await tx.query('SELECT 1 FROM webhook_subscriptions WHERE id = $1 FOR KEY SHARE', [d.subscription_id])).rowCount) throw notFound('webhook delivery', deliveryId);
    if (d.state === 'pending') {
      throw new AppError('conflict', `delivery ${deliveryId} is still pending (next attempt ${d.next_attempt_at?.toISOString() ?? 'now'}); redeliver it once it is delivered or failed`);
    }
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, ticket_id, payload, next_attempt_at, redelivery_of)
       SELECT subscription_id, event_id, event_type, ticket_id, payload, $2, id FROM webhook_deliveries WHERE id = $1 RETURNING id`,
      [deliveryId, ctx.now()],
    );
    const id = rows[0]!.id;
    await recordAudit(tx, actor, { action: 'webhook.redeliver', entityType: 'webhook', entityId: d.subscription_id, data: { deliveryId: id, redeliveryOf: deliveryId, eventId: d.event_id, eventType: d.event_type } });
    return presentDelivery(await loadDelivery(tx, id));
  });
}

/**
 * Sends a `webhook.ping` now (one attempt, whether or not the subscription is active) and returns
 * its delivery with the receiver's answer.
 */
export async function pingWebhook(ctx: ServiceContext, actor: Actor, webhookId: string): Promise<DeliveryView> {
  requireManage(actor);
  const settings = await getSetting(ctx.db.pool, 'webhooks.delivery');
  const now = ctx.now();
  const leaseUntil = new Date(now.getTime() + settings.timeoutSeconds * 1000 + 30_000);
  const { sub, delivery } = await withTx(ctx.db, async (tx) => {
    const s = await loadSubscription(tx, webhookId, 'edit');
    const eventId = randomUUID();
    const payload = payloadJson(eventId, PING_EVENT, now.toISOString(), { webhook: { id: s.id, url: s.url, events: s.events } });
    // Born claimed (due only at the end of the lease), so no sweep sends it meanwhile.
    const ins = await tx.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, payload, next_attempt_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [s.id, eventId, PING_EVENT, payload, now],
    );
    const [claimed] = await claimDeliveries(tx, 'd.id = $1', [ins.rows[0]!.id], leaseUntil);
    await recordAudit(tx, actor, { action: 'webhook.ping', entityType: 'webhook', entityId: s.id, data: { deliveryId: ins.rows[0]!.id } });
    return { sub: s, delivery: claimed! };
  });
  const outcome = await attemptDelivery(ctx, sub, delivery, settings.timeoutSeconds, () => ctx.now());
  await recordAttempt(ctx.db.pool, delivery, outcome, 1, ctx.now());
  return presentDelivery(await loadDelivery(ctx.db.pool, delivery.id));
}
