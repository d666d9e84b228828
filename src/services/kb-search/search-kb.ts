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
import { ANY_TIER_LIMIT, cleanTokens, expandTokens, highlight, mendGroups, planQuery, soundWindows, TIER_LIMIT, type KbQueryPlan } from '../../domain/kb-search.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError } from '../../http/errors.ts';
import type { ServiceContext } from '../context.ts';
import { recordKbSearch } from '../kb/kb-usage.ts';
import { getSetting } from '../settings/settings.ts';
import { indexKbBatch, kbIndexPending } from './index-articles.ts';
import { pinyinKey, segmentQuery, subWords } from './segment.ts';

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
  /** The logged search (kb_searches), to send back with a click on a hit; null when the query normalises to nothing. */
  searchId?: number | null;
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

/** Document frequencies of the given terms (kb_search_terms, kept by the indexer); absent terms occur nowhere. */
export async function termFrequencies(q: Queryable, terms: readonly string[]): Promise<Map<string, number>> {
  if (!terms.length) return new Map();
  const { rows } = await q.query<{ term: string; df: number }>(`SELECT term, df FROM kb_search_terms WHERE term = ANY($1::text[])`, [[...new Set(terms)]]);
  return new Map(rows.map((r) => [r.term, r.df]));
}

/** Indexed words that sound like the given ones (same toneless pinyin), the most frequent first, by word. */
export async function soundAlikes(q: Queryable, words: readonly string[]): Promise<Map<string, string[]>> {
  const keys = new Map<string, string>();
  for (const w of words) {
    const k = pinyinKey(w);
    if (k) keys.set(w, k);
  }
  if (!keys.size) return new Map();
  const { rows } = await q.query<{ term: string; pinyin: string }>(
    `SELECT term, pinyin FROM kb_search_terms WHERE pinyin = ANY($1::text[]) AND df > 0 ORDER BY df DESC, term LIMIT 200`,
    [[...new Set(keys.values())]],
  );
  const out = new Map<string, string[]>();
  for (const [w, k] of keys) out.set(w, rows.filter((r) => r.pinyin === k).slice(0, 2).map((r) => r.term));
  return out;
}

/**
 * The query's groups with their document frequencies, mended where words occur nowhere
 * (mendGroups: sound-alike words by pinyin, synonyms inside unknown tokens).
 */
export async function mendedQuery(q: Queryable, tokens: readonly string[], groups: string[][], synonyms: readonly (readonly string[])[]): Promise<{ expanded: string[][]; df: Map<string, number> }> {
  const windows = soundWindows(tokens);
  const df = await termFrequencies(q, [...groups.flat(), ...windows]);
  const unknownTokens = tokens.some((t, i) => !(groups[i] ?? [t]).some((w) => (df.get(w) ?? 0) > 0));
  if (!unknownTokens) return { expanded: groups, df };
  const alikes = await soundAlikes(q, windows.filter((w) => !df.get(w)));
  const expanded = mendGroups(tokens, groups, df, alikes, synonyms);
  const added = expanded.flat().filter((t) => !df.has(t));
  if (added.length) for (const [t, n] of await termFrequencies(q, added)) df.set(t, n);
  return { expanded, df };
}

/**
 * Searchable content: a published version exists and the article is not archived. The hit shows
 * that version (an edit waiting for review does not replace it).
 */
export const SEARCHABLE = `a.published_version IS NOT NULL AND a.status <> 'archived'`;
/** The published title and body of `a` (joined only for the rows returned). */
export const PUBLISHED_JOIN = `LEFT JOIN kb_article_versions pv ON pv.article_id = a.id AND pv.version = a.published_version AND a.published_version <> a.version`;
export const PUBLISHED_COLUMNS = `a.id, a.kind, a.audience, a.category_id, coalesce(pv.title, a.title) AS title, coalesce(pv.body, a.body) AS body, a.applies_to, coalesce(pv.tags, a.tags) AS tags`;

/**
 * The candidate rows of a plan as a UNION of selects (their tsqueries appended to `params`), under
 * the caller's `filters` SQL: every row with an essential (rare) word — bounded by the words'
 * document frequencies —, then up to TIER_LIMIT rows each with every word and with any word in
 * the title, and ANY_TIER_LIMIT with any word at all. The bounded tiers matter when the filters narrow the search (a
 * category): the globally rare words may not occur there at all. Null when no word occurs.
 */
export function candidateTiers(plan: KbQueryPlan, filters: string, params: unknown[]): string | null {
  const tiers: string[] = [];
  const tier = (column: string, tsq: string, limit: number | null): void => {
    params.push(tsq);
    tiers.push(`(SELECT a.id FROM kb_articles a WHERE a.${column} @@ to_tsquery('simple', $${params.length}) AND ${filters}${limit ? ` LIMIT ${limit}` : ''})`);
  };
  if (plan.essential) tier('search_vector', plan.essential, null);
  if (plan.every && plan.every !== `(${plan.essential})`) tier('search_vector', plan.every, TIER_LIMIT);
  if (plan.titleAny) tier('search_title', plan.titleAny, TIER_LIMIT);
  if (plan.titleAny && plan.titleAny !== plan.essential) tier('search_vector', plan.titleAny, ANY_TIER_LIMIT);
  return tiers.length ? tiers.join(' UNION ') : null;
}

/** Segments, expands and runs the query (no permission checks: callers decide the audiences). */
export async function runKbQuery(q: Queryable, text: string, opts: KbQueryOptions): Promise<KbSearchResult> {
  const tokens = cleanTokens(segmentQuery(text));
  const synonyms = await getSetting(q, 'kb.synonyms');
  const { expanded, df } = await mendedQuery(q, tokens, expandTokens(tokens, synonyms, subWords), synonyms);
  const plan = planQuery(expanded, df);
  const rows: (HitRow & { match: 'fulltext' | 'fuzzy' })[] = [];
  // Parameters: $1 audiences, $2 kind, $3 category, $4 ids to leave out, $5 limit, then the plan's.
  const filters = `${SEARCHABLE} AND a.audience = ANY($1::text[]) AND ($2::text IS NULL OR a.kind = $2)
          AND NOT (a.id = ANY($4::uuid[]))
          AND ($3::uuid IS NULL OR a.category_id IN (SELECT c.id FROM kb_categories c WHERE c.id = $3 OR c.parent_id = $3))`;
  const base: unknown[] = [opts.audiences, opts.kind ?? null, opts.categoryId ?? null, [], opts.limit];
  if (plan) {
    // Candidates come from bounded tiers (candidateTiers). They are scored cheaply (the weighted
    // number of query words — synonym groups — a row contains, plus ts_rank), the best
    // RERANK are scored again with ts_rank_cd (title tokens weight A, body B), and everything is
    // multiplied by the helpfulness boost.
    const params = [...base, plan.all, plan.groups.map((g) => g.query), plan.groups.map((g) => g.weight)];
    const cand = candidateTiers(plan, filters, params);
    if (cand) {
      const { rows: ft } = await q.query<HitRow>(
        `WITH qa AS MATERIALIZED (SELECT to_tsquery('simple', $6) AS q),
              g AS MATERIALIZED (SELECT to_tsquery('simple', x.q) AS q, x.w FROM unnest($7::text[], $8::float8[]) AS x(q, w)),
              cand AS (${cand}),
              scored AS (
                SELECT a.id, a.search_vector, ${BOOST} AS boost, (SELECT sum(g.w * (a.search_vector @@ g.q)::int) FROM g) AS coord,
                       ts_rank(a.search_vector, (SELECT q FROM qa)) AS quick
                  FROM kb_articles a JOIN cand ON cand.id = a.id),
              coarse AS MATERIALIZED (SELECT * FROM scored ORDER BY (coord + quick) * boost DESC, id LIMIT ${RERANK}),
              ranked AS (
                SELECT c.id, (c.coord + ts_rank_cd(c.search_vector, (SELECT q FROM qa))) * c.boost AS score FROM coarse c
                 ORDER BY score DESC, c.id LIMIT $5)
         SELECT ${PUBLISHED_COLUMNS}, r.score
           FROM ranked r JOIN kb_articles a ON a.id = r.id ${PUBLISHED_JOIN}
          ORDER BY r.score DESC, a.id`,
        params,
      );
      for (const r of ft) rows.push({ ...r, match: 'fulltext' });
    }
  }
  const plain = text.trim().toLowerCase().slice(0, 100);
  if (rows.length < opts.limit && plain.length >= 2) {
    // Fuzzy fallback (typos, partial words): ranked below every full-text hit. The trigram
    // thresholds are lowered for this statement only (Chinese words are short: one wrong character
    // of four already removes three of five trigrams); the GIN trigram indexes still answer it.
    base[3] = rows.map((r) => r.id);
    base[4] = opts.limit - rows.length;
    const fz = await fuzzy(q, (c) => c.query<HitRow>(
      `WITH f AS (
         SELECT a.id, greatest(word_similarity($6, a.search_text), similarity($6, a.title)) * 0.01 * ${BOOST} AS score
           FROM kb_articles a
          WHERE ($6 <% a.search_text OR a.title % $6) AND ${filters}
          ORDER BY score DESC, a.id
          LIMIT $5)
       SELECT ${PUBLISHED_COLUMNS}, f.score FROM f JOIN kb_articles a ON a.id = f.id ${PUBLISHED_JOIN}
        ORDER BY f.score DESC, a.id`,
      [...base, plain],
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

/** How many of the cheaply scored candidates are scored again with ts_rank_cd (cover density: costly per row). */
export const RERANK = 60;
export const FUZZY_WORD_THRESHOLD = 0.4;
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

export async function searchKb(ctx: ServiceContext, actor: Actor | null, input: KbSearchInput): Promise<KbSearchResult & { searchId: number | null }> {
  const audiences = kbAudiences(actor, input.audience);
  const text = input.q.trim();
  if (!text) throw new AppError('bad_request', 'q must not be empty');
  // New or edited articles are searchable at once: index what is pending (one bounded batch; the kb-index job does the rest).
  if (await kbIndexPending(ctx.db)) await indexKbBatch(ctx.db, 200);
  const result = await runKbQuery(ctx.db.pool, text, { audiences, kind: input.kind, categoryId: input.categoryId, limit: Math.min(Math.max(input.limit ?? 10, 1), 50) });
  // Logged for the usage report (searches with and without a click); clicks send the id back.
  const logged = await recordKbSearch(ctx, actor, { query: text, hits: result.hits.length });
  return { ...result, searchId: logged?.searchId ?? null };
}
