/**
 * Suggested scripts for a ticket (issue 5): published scripts scored by (1) the parcel's
 * situation — the waybill's tracking status and flags, and situations the ticket's words name
 * (破损 → damaged), matched against kb_articles.applies_to; (2) the KB categories that serve the
 * ticket's category (kb_categories.ticket_category_code); (3) full-text rank of the ticket's
 * subject, description and last customer message, segmented and synonym-expanded like a search.
 * A damaged-parcel complaint therefore lists the damage scripts first.
 */
import { cleanTokens, expandTokens, highlight, planQuery, situationsFromTokens } from '../../domain/kb-search.ts';
import type { Actor } from '../../domain/policy.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting } from '../settings/settings.ts';
import { loadTicketFor } from '../tickets/ticket-row.ts';
import { indexKbBatch, kbIndexPending } from './index-articles.ts';
import { candidateTiers, kbAudiences, PUBLISHED_COLUMNS, PUBLISHED_JOIN, SEARCHABLE, termFrequencies, type KbHit } from './search-kb.ts';
import { segmentQuery, subWords } from './segment.ts';

export interface SuggestedScripts {
  ticketId: string;
  situations: string[];
  parcelStatus: string | null;
  ticketCategory: string | null;
  scripts: (KbHit & { reasons: ('situation' | 'category' | 'text')[] })[];
}

interface Row {
  id: string;
  kind: 'article' | 'script';
  audience: 'internal' | 'public';
  category_id: string | null;
  title: string;
  body: string;
  applies_to: string[];
  tags: string[];
  score: number;
  by_situation: boolean;
  by_category: boolean;
  by_text: boolean;
}

export async function suggestScripts(ctx: ServiceContext, actor: Actor, ticketIdOrNumber: string, limit = 5): Promise<SuggestedScripts> {
  const t = await loadTicketFor(ctx.db.pool, actor, ticketIdOrNumber, 'ticket.read_internal');
  const audiences = kbAudiences(actor);
  if (await kbIndexPending(ctx.db)) await indexKbBatch(ctx.db, 200);
  const q = ctx.db.pool;
  const { rows: cat } = await q.query<{ code: string }>(`SELECT code FROM categories WHERE id = $1`, [t.category_id]);
  const ticketCategory = cat[0]?.code ?? null;
  const { rows: msg } = await q.query<{ body: string }>(
    `SELECT body FROM ticket_events
      WHERE ticket_id = $1 AND kind = 'message' AND visibility = 'public' AND data->>'author' = 'customer' AND body IS NOT NULL
      ORDER BY id DESC LIMIT 1`,
    [t.id],
  );
  const waybill = t.waybills[0] ?? null;
  const { rows: ship } = waybill
    ? await q.query<{ status: string; flags: string[] }>(`SELECT status, flags FROM shipments WHERE waybill = $1`, [waybill])
    : { rows: [] as { status: string; flags: string[] }[] };
  const parcelStatus = ship[0]?.status ?? null;
  const text = [t.subject, t.description, msg[0]?.body ?? ''].join('\n');
  const tokens = cleanTokens(segmentQuery(text));
  const situations = [...new Set([...situationsFromTokens(tokens), ...(parcelStatus ? [parcelStatus] : []), ...(ship[0]?.flags ?? [])])];
  const expanded = expandTokens(tokens, await getSetting(q, 'kb.synonyms'), subWords);
  const plan = planQuery(expanded, await termFrequencies(q, expanded.flat()));
  // $1 audiences, $2 ticket category, $3 situations, $4 limit, $5 every term (null: no words), then the text tiers'.
  const params: unknown[] = [audiences, ticketCategory, situations, limit, plan?.all ?? null];
  const filters = `${SEARCHABLE} AND a.kind = 'script' AND a.audience = ANY($1::text[])`;
  const cand = plan ? candidateTiers(plan, filters, params) : null;
  const { rows } = await q.query<Row>(
    `WITH cats AS (SELECT id FROM kb_categories WHERE ticket_category_code IS NOT NULL AND ticket_category_code = $2),
          qa AS MATERIALIZED (SELECT CASE WHEN $5::text IS NULL THEN NULL ELSE to_tsquery('simple', $5) END AS q),
          m AS (
            SELECT a.id, a.helpful_yes, a.helpful_no, a.usage_count, (a.applies_to && $3::text[]) AS by_situation,
                   (a.category_id IN (SELECT id FROM cats)) AS by_category,
                   coalesce(a.search_vector @@ (SELECT q FROM qa), false) AS by_text,
                   coalesce(ts_rank_cd(a.search_vector, (SELECT q FROM qa)), 0) AS text_rank
              FROM kb_articles a
             WHERE ${filters}
               AND (a.applies_to && $3::text[] OR a.category_id IN (SELECT id FROM cats)${cand ? ` OR a.id IN (${cand})` : ''})),
          best AS (
            SELECT id, by_situation, by_category, by_text,
                   (CASE WHEN by_situation THEN 2 ELSE 0 END + CASE WHEN by_category THEN 1 ELSE 0 END + least(text_rank, 1))
                     * (1 + 0.15 * ln(1 + greatest(helpful_yes - helpful_no, 0)) + 0.05 * ln(1 + greatest(usage_count, 0))) AS score
              FROM m ORDER BY score DESC, id LIMIT $4)
     SELECT ${PUBLISHED_COLUMNS}, b.by_situation, b.by_category, b.by_text, b.score
       FROM best b JOIN kb_articles a ON a.id = b.id ${PUBLISHED_JOIN}
      ORDER BY b.score DESC, a.id`,
    params,
  );
  const terms = expanded.flat();
  return {
    ticketId: t.id,
    situations,
    parcelStatus,
    ticketCategory,
    scripts: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      audience: r.audience,
      categoryId: r.category_id,
      title: r.title,
      highlight: { title: highlight(r.title, terms).text, body: highlight(r.body, terms, 160).text },
      appliesTo: r.applies_to,
      tags: r.tags,
      score: Number(r.score),
      match: 'fulltext' as const,
      reasons: [...(r.by_situation ? ['situation' as const] : []), ...(r.by_category ? ['category' as const] : []), ...(r.by_text ? ['text' as const] : [])],
    })),
  };
}
