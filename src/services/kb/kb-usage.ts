/**
 * Knowledge-base usage events for the report (issue 5; seed 001 5.2): a search result opened
 * (search_click, with the query and the result's rank) or an article viewed, sent by the agent's
 * screen or the help centre, and the searches themselves (recordKbSearch), so the report can count
 * searches that ended without a click. Inserts into replies are recorded by the render endpoint,
 * public article views by GET /kb/public/{id}; this module does not count them twice.
 *
 * Retries never add a row: every event carries the client's eventId, unique per user for staff
 * and per browser token (clientId, as "was this helpful" uses) in the help centre. A replay of the
 * same event answers recorded: false; the same eventId for a different event is refused.
 */
import { withTx, type Queryable } from '../../db/database.ts';
import { normaliseKbQuery } from '../../domain/kb-report.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import type { ServiceContext } from '../context.ts';
import { loadTicketFor } from '../tickets/ticket-row.ts';
import { loadPublic } from './kb.ts';

export const STAFF_USAGE_KINDS = ['search_click', 'view'] as const;
export type StaffUsageKind = (typeof STAFF_USAGE_KINDS)[number];

export interface UsageEventInput {
  kind: StaffUsageKind;
  /** search_click: what was searched (or give searchId). */
  query?: string | undefined;
  /** search_click: the result's position, 1 = first. */
  rank?: number | undefined;
  /** search_click: the search it came from, when the search answered with one. */
  searchId?: number | undefined;
  /** Staff: the ticket the agent was working on. */
  ticketId?: string | undefined;
  eventId: string;
}

export interface PublicUsageEventInput {
  kind: 'search_click';
  query?: string | undefined;
  rank: number;
  searchId?: number | undefined;
  clientId: string;
  eventId: string;
}

export interface UsageRecorded {
  recorded: boolean;
}

interface Prepared {
  kind: StaffUsageKind;
  query: string | null;
  rank: number | null;
  searchId: number | null;
}

/** The click's query and rank, checked; with a searchId the query is the search's own. */
async function prepare(q: Queryable, input: { kind: StaffUsageKind; query?: string | undefined; rank?: number | undefined; searchId?: number | undefined }): Promise<Prepared> {
  if (input.kind !== 'search_click') {
    if (input.query !== undefined || input.rank !== undefined || input.searchId !== undefined) {
      throw new AppError('validation_failed', `query, rank and searchId belong to a search_click, not to a ${input.kind}`);
    }
    return { kind: input.kind, query: null, rank: null, searchId: null };
  }
  if (input.rank === undefined) throw new AppError('validation_failed', 'rank: a search_click needs the result\'s position (1 = first)');
  let query = input.query === undefined ? '' : normaliseKbQuery(input.query);
  if (input.searchId !== undefined) {
    const { rows } = await q.query<{ query: string }>('SELECT query FROM kb_searches WHERE id = $1', [input.searchId]);
    if (!rows[0]) throw new AppError('validation_failed', `searchId: no search ${input.searchId}`);
    if (query && query !== rows[0].query) throw new AppError('validation_failed', `query: "${query}" is not what search ${input.searchId} looked for`);
    query = rows[0].query;
  }
  if (!query) throw new AppError('validation_failed', 'query: a search_click needs the text searched for (or the searchId)');
  return { kind: 'search_click', query, rank: input.rank, searchId: input.searchId ?? null };
}

interface ExistingEvent {
  article_id: string;
  kind: string;
  query: string | null;
  rank: number | null;
  search_id: number | null;
  ticket_id: string | null;
}

function sameEvent(e: ExistingEvent, articleId: string, p: Prepared, ticketId: string | null): boolean {
  return e.article_id === articleId && e.kind === p.kind && e.query === p.query && e.rank === p.rank && e.search_id === p.searchId && e.ticket_id === ticketId;
}

/** Staff: an agent opened a search result or viewed an article (published content only). */
export async function recordKbUsage(ctx: ServiceContext, actor: Actor, articleId: string, input: UsageEventInput): Promise<UsageRecorded> {
  if (!can(actor, 'kb.read')) throw forbidden('your role may not use the knowledge base');
  const pool = ctx.db.pool;
  const { rows: found } = await pool.query<{ live: boolean }>(`SELECT published_version IS NOT NULL AND status <> 'archived' AS live FROM kb_articles WHERE id = $1`, [articleId]);
  if (!found[0]) throw notFound('article', articleId);
  if (!found[0].live) throw new AppError('invalid_transition', 'only published content is used (this article is not published)');
  const p = await prepare(pool, input);
  const ticketId = input.ticketId === undefined ? null : (await loadTicketFor(pool, actor, input.ticketId, 'ticket.read')).id;
  return withTx(ctx.db, async (tx) => {
    const ins = await tx.query(
      `INSERT INTO kb_usage (article_id, kind, user_id, ticket_id, query, rank, search_id, event_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (user_id, event_id) WHERE client_id IS NULL AND event_id IS NOT NULL DO NOTHING RETURNING id`,
      [articleId, p.kind, actor.userId, ticketId, p.query, p.rank, p.searchId, input.eventId, ctx.now()],
    );
    if ((ins.rowCount ?? 0) === 0) {
      const { rows } = await tx.query<ExistingEvent>('SELECT article_id, kind, query, rank, search_id, ticket_id FROM kb_usage WHERE user_id = $1 AND event_id = $2 AND client_id IS NULL', [actor.userId, input.eventId]);
      if (rows[0] && !sameEvent(rows[0], articleId, p, ticketId)) throw new AppError('idempotency_mismatch', 'this eventId was already used for a different event');
      return { recorded: false };
    }
    // A view is a use, as the help centre's views are; a click is counted as a click only.
    if (p.kind === 'view') await tx.query('UPDATE kb_articles SET usage_count = usage_count + 1 WHERE id = $1', [articleId]);
    return { recorded: true };
  });
}

/** The help centre: a visitor opened a search result (published public articles only). */
export async function recordPublicKbUsage(ctx: ServiceContext, actor: Actor | null, articleId: string, input: PublicUsageEventInput): Promise<UsageRecorded> {
  const pool = ctx.db.pool;
  await loadPublic(pool, articleId);
  const p = await prepare(pool, input);
  return withTx(ctx.db, async (tx) => {
    const ins = await tx.query(
      `INSERT INTO kb_usage (article_id, kind, user_id, query, rank, search_id, client_id, event_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (client_id, event_id) WHERE client_id IS NOT NULL AND event_id IS NOT NULL DO NOTHING RETURNING id`,
      [articleId, p.kind, actor?.userId ?? null, p.query, p.rank, p.searchId, input.clientId, input.eventId, ctx.now()],
    );
    if ((ins.rowCount ?? 0) === 0) {
      const { rows } = await tx.query<ExistingEvent>('SELECT article_id, kind, query, rank, search_id, ticket_id FROM kb_usage WHERE client_id = $1 AND event_id = $2', [input.clientId, input.eventId]);
      if (rows[0] && !sameEvent(rows[0], articleId, p, null)) throw new AppError('idempotency_mismatch', 'this eventId was already used for a different event');
      return { recorded: false };
    }
    return { recorded: true };
  });
}

/**
 * Logs one search for the report ("searches with no click", queries that find nothing). Called by
 * the search routes after searchKb answers, with the query as typed and the number of hits
 * returned; staff (anyone who may read the knowledge base) and public searches are told apart.
 * The query is normalised with personal data replaced; a query with nothing left is not logged
 * (null). The returned searchId, handed to the client, lets its click name the search exactly.
 */
export async function recordKbSearch(ctx: ServiceContext, actor: Actor | null, input: { query: string; hits: number }): Promise<{ searchId: number } | null> {
  const query = normaliseKbQuery(input.query);
  if (!query) return null;
  const audience = actor !== null && can(actor, 'kb.read') ? 'staff' : 'public';
  const { rows } = await ctx.db.pool.query<{ id: number }>(
    'INSERT INTO kb_searches (query, audience, user_id, hits, at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [query, audience, actor?.userId ?? null, Math.max(0, Math.trunc(input.hits)), ctx.now()],
  );
  return { searchId: rows[0]!.id };
}
