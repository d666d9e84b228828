/**
 * Suggested scripts for a ticket (issue 5): published scripts scored by (1) the parcel's
 * situation — the waybill's tracking status and flags, and situations the ticket's words name
 * (破损 → damaged), matched against kb_articles.applies_to; (2) the KB categories that serve the
 * ticket's category (kb_categories.ticket_category_code); (3) full-text rank of the ticket's
 * subject, description and last customer message, segmented and synonym-expanded like a search.
 * A damaged-parcel complaint therefore lists the damage scripts first.
 */
import { buildTsQuery, cleanTokens, expandTokens, highlight, situationsFromTokens } from '../../domain/kb-search.ts';
import type { Actor } from '../../domain/policy.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting } from '../settings/settings.ts';
import { loadTicketFor } from '../tickets/ticket-row.ts';
import { indexKbBatch, kbIndexPending } from './index-articles.ts';
import { kbAudiences, type KbHit } from './search-kb.ts';
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
  const tsq = buildTsQuery(expanded);
  const { rows } = await q.query<Row>(
    `WITH cats AS (SELECT id FROM kb_categories WHERE ticket_category_code IS NOT NULL AND ticket_category_code = $2),
          m AS (
            SELECT a.*, (a.applies_to && $3::text[]) AS by_situation,
                   (a.category_id IN (SELECT id FROM cats)) AS by_category,
                   coalesce((a.search_title || a.search_body) @@ to_tsquery('simple', $1), false) AS by_text,
                   coalesce(ts_rank_cd(a.search_title || a.search_body, to_tsquery('simple', $1)), 0) AS text_rank
              FROM kb_articles a
             WHERE a.status = 'published' AND a.kind = 'script' AND a.audience = ANY($4::text[])
               AND (a.applies_to && $3::text[] OR a.category_id IN (SELECT id FROM cats)
                    OR ($1::text IS NOT NULL AND (a.search_title || a.search_body) @@ to_tsquery('simple', $1))))
     SELECT id, kind, audience, category_id, title, body, applies_to, tags, by_situation, by_category, by_text,
            (CASE WHEN by_situation THEN 2 ELSE 0 END + CASE WHEN by_category THEN 1 ELSE 0 END + least(text_rank, 1))
              * (1 + 0.15 * ln(1 + greatest(helpful_yes - helpful_no, 0)) + 0.05 * ln(1 + greatest(usage_count, 0))) AS score
       FROM m ORDER BY score DESC, id LIMIT $5`,
    [tsq, ticketCategory, situations, audiences, limit],
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
