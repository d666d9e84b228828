/**
 * Sending webhook deliveries. The sweep may run in several processes at once; each delivery is
 * sent by one of them:
 * - a sweep first leases subscriptions with due deliveries (`FOR NO KEY UPDATE SKIP LOCKED`, then
 *   `sending_until`/`sending_token` set in the same statement), so one sender works a subscription
 *   at a time and its deliveries go out one after another in creation order;
 * - its due deliveries are then claimed, up to 10 at a time in creation order, with `FOR UPDATE
 *   SKIP LOCKED`, their `next_attempt_at` moved to the end of the lease, so a ping or a second
 *   sender never picks them, and a sender that dies mid-request leaves them due again once the
 *   lease is over (at-least-once; receivers deduplicate by the payload's `id`);
 * - a sweep sends what was due when it started (the job runs every 2 s), within a time budget.
 * A failed delivery waits for its back-off without holding back later ones (order is kept where
 * practical, not at the cost of one bad event blocking the rest).
 *
 * Requests: POST, JSON, signed, with a timeout (setting `webhooks.delivery`); redirects are
 * followed only when 307/308 to the same origin; 2xx is delivered; the response is kept truncated.
 */
import { randomUUID } from 'node:crypto';
import { withTx, type Database, type Queryable } from '../../db/database.ts';
import {
  isDelivered,
  nextAttemptAt,
  redirectTarget,
  RESPONSE_EXCERPT_CHARS,
  signatureHeader,
  truncate,
  webhookUrlProblem,
} from '../../domain/webhooks.ts';
import type { PiiCrypto } from '../../platform/crypto.ts';
import { getSetting } from '../settings/settings.ts';

export interface SenderContext {
  db: Database;
  crypto: PiiCrypto;
  now(): Date;
}

export interface SweepWebhooksOptions {
  /** The time the sweep acts at (tests drive back-off with it); defaults to the context's clock. */
  now?: Date;
  /** Subscriptions worked in parallel. */
  parallel?: number;
  /** Stop claiming new work after this long (a sweep is one job run). */
  budgetMs?: number;
}

export interface WebhookSweepResult {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

const MAX_REDIRECTS = 3;
/** Bytes of a response read at most (the excerpt keeps RESPONSE_EXCERPT_CHARS characters). */
const MAX_RESPONSE_BYTES = 4 * RESPONSE_EXCERPT_CHARS;

interface LeasedSubscription {
  id: string;
}

interface ClaimedDelivery {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  attempts: number;
}

export async function sweepWebhooks(ctx: SenderContext, opts: SweepWebhooksOptions = {}): Promise<WebhookSweepResult> {
  const clock = opts.now ? (): Date => opts.now! : (): Date => ctx.now();
  // What is due when the sweep starts is its work; what falls due later is the next sweep's (the
  // job runs every few seconds), so one sweep never chases an endless stream.
  const dueBy = clock();
  const started = Date.now();
  const budget = opts.budgetMs ?? 60_000;
  const settings = await getSetting(ctx.db.pool, 'webhooks.delivery');
  // Long enough for a whole batch of attempts that all time out.
  const leaseMs = BATCH * (settings.timeoutSeconds * 1000 + 5_000) + 30_000;
  const token = randomUUID();
  const result: WebhookSweepResult = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  while (Date.now() - started < budget) {
    const now = clock();
    const { rows: subs } = await ctx.db.pool.query<LeasedSubscription>(
      `WITH c AS (
         SELECT s.id FROM webhook_subscriptions s
          WHERE s.active AND (s.sending_until IS NULL OR s.sending_until <= $1)
            AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending' AND d.next_attempt_at <= $5)
          ORDER BY s.id LIMIT $2
          FOR NO KEY UPDATE SKIP LOCKED)
       UPDATE webhook_subscriptions s SET sending_until = $3, sending_token = $4 FROM c WHERE s.id = c.id RETURNING s.id`,
      [now, opts.parallel ?? 8, new Date(now.getTime() + leaseMs), token, dueBy],
    );
    if (subs.length === 0) break;
    await Promise.all(subs.map((s) => sendSubscription(ctx, s.id, token, { clock, dueBy, leaseMs, settings, result, inBudget: () => Date.now() - started < budget })));
  }
  return result;
}

/** Deliveries claimed at a time per subscription. */
const BATCH = 10;

interface SendState {
  clock: () => Date;
  dueBy: Date;
  leaseMs: number;
  settings: { maxAttempts: number; timeoutSeconds: number };
  result: WebhookSweepResult;
  inBudget: () => boolean;
}

async function sendSubscription(ctx: SenderContext, subscriptionId: string, token: string, st: SendState): Promise<void> {
  try {
    while (st.inBudget()) {
      const now = st.clock();
      const leaseUntil = new Date(now.getTime() + st.leaseMs);
      const claimed = await withTx(ctx.db, async (tx) => {
        // Renew the lease (and read the URL and secrets as they are now); lost or deactivated: stop.
        const sub = await tx.query<SubscriptionSecrets>(
          `UPDATE webhook_subscriptions SET sending_until = $3 WHERE id = $1 AND sending_token = $2 AND active
           RETURNING url, secret_enc, previous_secret_enc, previous_secret_until`,
          [subscriptionId, token, leaseUntil],
        );
        if (!sub.rows[0]) return null;
        const ds = await claimDeliveries(tx, `d.subscription_id = $1 AND d.state = 'pending' AND d.next_attempt_at <= $2 ORDER BY d.seq LIMIT ${BATCH}`, [subscriptionId, st.dueBy], leaseUntil);
        return ds.length ? { sub: sub.rows[0], deliveries: ds } : null;
      });
      if (!claimed) return;
      for (const d of claimed.deliveries) {
        const outcome = await attemptDelivery(ctx, claimed.sub, d, st.settings.timeoutSeconds, st.clock);
        const state = await recordAttempt(ctx.db.pool, d, outcome, st.settings.maxAttempts, st.clock());
        st.result.attempted += 1;
        st.result[state === 'delivered' ? 'delivered' : state === 'failed' ? 'failed' : 'retrying'] += 1;
      }
    }
  } finally {
    await ctx.db.pool.query('UPDATE webhook_subscriptions SET sending_until = NULL, sending_token = NULL WHERE id = $1 AND sending_token = $2', [subscriptionId, token]);
  }
}

/**
 * Claims the deliveries matching `where` (alias d, with its ORDER BY and LIMIT): locks them,
 * skipping any another sender holds, and moves their due time to the lease's end. In `seq` order.
 */
export async function claimDeliveries(q: Queryable, where: string, params: unknown[], leaseUntil: Date): Promise<ClaimedDelivery[]> {
  const n = params.length + 1;
  const { rows } = await q.query<ClaimedDelivery & { seq: number }>(
    `WITH next AS (SELECT d.id FROM webhook_deliveries d WHERE ${where} FOR UPDATE SKIP LOCKED)
     UPDATE webhook_deliveries w SET next_attempt_at = $${n} FROM next WHERE w.id = next.id
     RETURNING w.id, w.seq, w.subscription_id, w.event_id, w.event_type, w.payload, w.attempts`,
    [...params, leaseUntil],
  );
  return rows.sort((a, b) => a.seq - b.seq);
}

export interface SubscriptionSecrets {
  url: string;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_until: Date | null;
}

export interface AttemptOutcome {
  at: Date;
  durationMs: number;
  statusCode: number | null;
  responseExcerpt: string | null;
  error: string | null;
}

/** One signed POST of a delivery's payload (no database work). */
export async function attemptDelivery(ctx: { crypto: PiiCrypto }, sub: SubscriptionSecrets, d: Pick<ClaimedDelivery, 'id' | 'event_type' | 'payload'>, timeoutSeconds: number, clock: () => Date): Promise<AttemptOutcome> {
  const at = clock();
  const started = Date.now();
  const done = (o: Omit<AttemptOutcome, 'at' | 'durationMs'>): AttemptOutcome => ({ at, durationMs: Date.now() - started, ...o });
  const problem = webhookUrlProblem(sub.url);
  if (problem) return done({ statusCode: null, responseExcerpt: null, error: `not sent: ${problem}` });
  let secrets: string[];
  try {
    secrets = [ctx.crypto.decrypt(sub.secret_enc)];
    if (sub.previous_secret_enc && sub.previous_secret_until && sub.previous_secret_until > at) secrets.push(ctx.crypto.decrypt(sub.previous_secret_enc));
  } catch {
    // Encrypted under another PARCELDESK_SECRET (a restore elsewhere): rotate the secret to recover.
    return done({ statusCode: null, responseExcerpt: null, error: 'not sent: the signing secret cannot be decrypted with this server\'s key; rotate it' });
  }
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Parceldesk-Webhooks/1.0',
    'x-parceldesk-event': d.event_type,
    'x-parceldesk-delivery': d.id,
    'x-parceldesk-signature': signatureHeader(secrets, Math.floor(at.getTime() / 1000), d.payload),
  };
  const signal = AbortSignal.timeout(timeoutSeconds * 1000);
  let target = sub.url;
  try {
    for (let hop = 0; ; hop++) {
      const res = await fetch(target, { method: 'POST', headers, body: d.payload, redirect: 'manual', signal });
      if (res.status >= 300 && res.status < 400) {
        const location = res.headers.get('location');
        const next = hop < MAX_REDIRECTS ? redirectTarget(target, res.status, location) : null;
        await res.body?.cancel().catch(() => undefined);
        if (!next) {
          return done({ statusCode: res.status, responseExcerpt: null, error: `redirect (${res.status}) to ${truncate((location ?? '(no location)').replace(/\u0000/g, ''), 200)} not followed: only 307/308 to the same origin are, at most ${MAX_REDIRECTS}` });
        }
        target = next;
        continue;
      }
      const excerpt = await readExcerpt(res);
      return done({ statusCode: res.status, responseExcerpt: excerpt, error: isDelivered(res.status) ? null : `HTTP ${res.status}` });
    }
  } catch (err) {
    return done({ statusCode: null, responseExcerpt: null, error: describeError(err, timeoutSeconds) });
  }
}

async function readExcerpt(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES));
  const clean = text.replace(/\u0000/g, '');
  return clean === '' ? null : truncate(clean);
}

function describeError(err: unknown, timeoutSeconds: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${timeoutSeconds} s`;
  const cause = e.cause?.code ?? e.cause?.message;
  return truncate(cause ? `${e.message ?? 'request failed'} (${cause})` : (e.message ?? String(err)), 500);
}

/** Writes an attempt's outcome (one statement): delivered, or due again after its back-off, or failed after the last attempt allowed. */
export async function recordAttempt(q: Queryable, d: Pick<ClaimedDelivery, 'id' | 'attempts'>, o: AttemptOutcome, maxAttempts: number, now: Date): Promise<'delivered' | 'pending' | 'failed'> {
  const attempt = d.attempts + 1;
  const ok = o.statusCode !== null && isDelivered(o.statusCode) && o.error === null;
  const next = ok ? null : nextAttemptAt(attempt, maxAttempts, now);
  const state = ok ? 'delivered' : next ? 'pending' : 'failed';
  // A delivery deleted meanwhile (its subscription was) updates nothing and records nothing.
  await q.query(
    `WITH u AS (
       UPDATE webhook_deliveries SET attempts = $2, last_attempt_at = $3, status_code = $4, response_excerpt = $5, error = $6,
              state = $7, next_attempt_at = $8, delivered_at = CASE WHEN $7 = 'delivered' THEN $9::timestamptz ELSE NULL END
        WHERE id = $1 RETURNING id)
     INSERT INTO webhook_delivery_attempts (delivery_id, attempt, at, duration_ms, status_code, response_excerpt, error)
     SELECT id, $2, $3, $10, $4, $5, $6 FROM u
     ON CONFLICT (delivery_id, attempt) DO NOTHING`,
    [d.id, attempt, o.at, o.statusCode, o.responseExcerpt, o.error, state, next, now, o.durationMs],
  );
  return state;
}
