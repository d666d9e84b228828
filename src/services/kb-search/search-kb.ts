/**
 * Knowledge-base search (issue 5): the query is segmented with jieba, stop words dropped, each
 * word expanded into its synonym group (setting kb.synonyms) and everything OR-ed into a
 * tsquery over the indexed tokens. Ranking: ts_rank_cd with title tokens weighted A and body
 * tokens B, multiplied by a log-scaled boost for helpful, often-used content. When full text
 * finds fewer than `limit`, a trigram fallback (pg_trgm word_similarity on the segmented text,
 * similarity on the title) fills in for typos and partial words. Staff see internal and public
 * content, customers and anonymous visitors public only; published content only.
 */
import type { PoolClient } from 'pg';
import type { Queryable } from '../../db/database.ts';
import { cleanTokens, expandTokens, highlight, planQuery } from '../../domain/kb-search.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError } from '../../http/errors.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting } from '../settings/settings.ts';
import { indexKbBatch, kbIndexPending } from './index-articles.ts';
import { segmentQuery, subWords } from './segment.ts';

export type KbKind = 'article' | 'script';
export type KbAudience = 'internal' | 'public';

export interface KbSearchInput {
  q: string;
  kind?: KbKind | undefined;
  audience?: KbAudience | undefined;
  limit?: number | undefined;
  /** Only content in this category (or its direct sub-categories). */
  categoryId?: string | undefined;
}

export interface KbHit {
  id: string;
  kind: KbKind;
  audience: KbAudience;
  categoryId: string | null;
  title: string;
  /** Title and a body excerpt with the matched terms wrapped in 【】 (plain text, not HTML). */
  highlight: { title: string; body: string };
  appliesTo: string[];
  tags: string[];
  score: number;
  /** fulltext: found through the segmented index; fuzzy: through the trigram fallback. */
  match: 'fulltext' | 'fuzzy';
}

export interface KbSearchResult {
  query: { tokens: string[]; expanded: string[][] };
  hits: KbHit[];
}

interface HitRow {
  id: string;
  kind: KbKind;
  audience: KbAudience;
  category_id: string | null;
  title: string;
  body: string;
  applies_to: string[];
  tags: string[];
  score: number;
}

const HIT_COLUMNS = `a.id, a.kind, a.audience, a.category_id, a.title, a.body, a.applies_to, a.tags`;
const BOOST = `(1 + 0.15 * ln(1 + greatest(a.helpful_yes - a.helpful_no, 0)) + 0.05 * ln(1 + greatest(a.usage_count, 0)))`;

/** Which audiences this actor may search (null actor: anonymous portal visitor). */
export function kbAudiences(actor: Actor | null, requested?: KbAudience): KbAudience[] {
  const staff = actor !== null && can(actor, 'kb.read');
  if (!staff) {
    if (requested === 'internal') throw new AppError('forbidden', 'internal knowledge-base content is for staff');
    return ['public'];
  }
  return requested ? [requested] : ['internal', 'public'];
}

export interface KbQueryOptions {
  audiences: KbAudience[];
  kind?: KbKind | undefined;
  limit: number;
  categoryId?: string | undefined;
}

/** Segments, expands and runs the query (no permission checks: callers decide the audiences). */
export async function runKbQuery(q: Queryable, text: string, opts: KbQueryOptions): Promise<KbSearchResult> {
  const tokens = cleanTokens(segmentQuery(text));
  const synonyms = await getSetting(q, 'kb.synonyms');
  const expanded = expandTokens(tokens, synonyms, subWords);
  const plan = planQuery(expanded);
  const rows: (HitRow & { match: 'fulltext' | 'fuzzy' })[] = [];
  // Parameters: $1 query, $2 audiences, $3 kind, $4 limit, $5 ids to leave out, $6 category, then the plan.
  const filters = `a.status = 'published' AND a.audience = ANY($2::text[]) AND ($3::text IS NULL OR a.kind = $3)
          AND NOT (a.id = ANY($5::uuid[]))
          AND ($6::uuid IS NULL OR a.category_id IN (SELECT c.id FROM kb_categories c WHERE c.id = $6 OR c.parent_id = $6))`;
  if (plan) {
    // Score: the weighted number of query words (synonym groups) a row contains, then ts_rank_cd
    // (title tokens weight A, body B), times the helpfulness boost.
    const { rows: ft } = await q.query<HitRow>(
      `SELECT ${HIT_COLUMNS},
              ((SELECT sum(g.w * ((a.search_title || a.search_body) @@ to_tsquery('simple', g.q))::int)
                  FROM unnest($8::text[], $9::float8[]) AS g(q, w))
               + ts_rank_cd(a.search_title || a.search_body, to_tsquery('simple', $7))) * ${BOOST} AS score
         FROM kb_articles a
        WHERE a.id IN ((SELECT a.id FROM kb_articles a WHERE (a.search_title || a.search_body) @@ to_tsquery('simple', $10) AND ${filters} LIMIT ${CANDIDATES})
                       UNION (SELECT a.id FROM kb_articles a WHERE (a.search_title || a.search_body) @@ to_tsquery('simple', $1) AND ${filters} LIMIT ${CANDIDATES}))
          AND ${filters}
        ORDER BY score DESC, a.id
        LIMIT $4`,
      [plan.match, opts.audiences, opts.kind ?? null, opts.limit, [], opts.categoryId ?? null, plan.all, plan.groups.map((g) => g.query), plan.groups.map((g) => g.weight), plan.every],
    );
    for (const r of ft) rows.push({ ...r, match: 'fulltext' });
  }
  const plain = text.trim().toLowerCase().slice(0, 100);
  if (rows.length < opts.limit && plain.length >= 2) {
    // Fuzzy fallback (typos, partial words): ranked below every full-text hit. The trigram
    // thresholds are lowered for this statement only (Chinese words are short: one wrong character
    // of four already removes three of five trigrams); the GIN trigram indexes still answer it.
    const fz = await fuzzy(q, (c) => c.query<HitRow>(
      `SELECT ${HIT_COLUMNS}, greatest(word_similarity($1, a.search_text), similarity($1, a.title)) * 0.01 * ${BOOST} AS score
         FROM kb_articles a
        WHERE ($1 <% a.search_text OR a.title % $1) AND ${filters}
        ORDER BY score DESC, a.id
        LIMIT $4`,
      [plain, opts.audiences, opts.kind ?? null, opts.limit - rows.length, rows.map((r) => r.id), opts.categoryId ?? null],
    ));
    for (const r of fz) rows.push({ ...r, match: 'fuzzy' });
  }
  const terms = [...new Set([...expanded.flat(), ...tokens])];
  return {
    query: { tokens, expanded },
    hits: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      audience: r.audience,
      categoryId: r.category_id,
      title: r.title,
      highlight: { title: highlight(r.title, terms).text, body: highlight(r.body, terms, 160).text },
      appliesTo: r.applies_to,
      tags: r.tags,
      score: Number(r.score),
      match: r.match,
    })),
  };
}

export const FUZZY_WORD_THRESHOLD = 0.4;
/**
 * At most this many rows matching the words are ranked: a query made only of very common words
 * (thousands of matches among 100 000 articles) would otherwise rank every one of them.
 * Rows containing every specific word are taken first, so the cap drops only weaker matches.
 */
export const CANDIDATES = 2000;
export const FUZZY_TITLE_THRESHOLD = 0.2;

async function fuzzy(q: Queryable, run: (c: Queryable) => Promise<{ rows: HitRow[] }>): Promise<HitRow[]> {
  const client = 'release' in q ? q : await q.connect();
  const own = client !== q;
  try {
    if (own) await client.query('BEGIN');
    await client.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true), set_config('pg_trgm.similarity_threshold', $2, true)`, [String(FUZZY_WORD_THRESHOLD), String(FUZZY_TITLE_THRESHOLD)]);
    const { rows } = await run(client);
    if (own) await client.query('COMMIT');
    return rows;
  } catch (err) {
    if (own) await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    if (own) (client as PoolClient).release();
  }
}

export async function searchKb(ctx: ServiceContext, actor: Actor | null, input: KbSearchInput): Promise<KbSearchResult> {
  const audiences = kbAudiences(actor, input.audience);
  const text = input.q.trim();
  if (!text) throw new AppError('bad_request', 'q must not be empty');
  // New or edited articles are searchable at once: index what is pending (one bounded batch; the kb-index job does the rest).
  if (await kbIndexPending(ctx.db)) await indexKbBatch(ctx.db, 200);
  return runKbQuery(ctx.db.pool, text, { audiences, kind: input.kind, categoryId: input.categoryId, limit: Math.min(Math.max(input.limit ?? 10, 1), 50) });
}
