/**
 * The search indexer: rows of kb_articles whose search_version differs from published_version
 * (newly published or re-approved, found through the partial index kb_articles_unindexed) get
 * their published title and body segmented with jieba and written to search_title (weight A),
 * search_vector (title A + body B) and search_text (the plain segmented text the trigram fallback
 * reads). In the same statement the words' document frequencies (kb_search_terms) move by the
 * difference between the old vector and the new, so they always agree with what is indexed;
 * a new word of 2–4 Chinese characters is stored with its pinyin (for sound-alike typos).
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so processes indexing at once never do the same
 * row twice, and the write is conditional on the published version read, so an approval made
 * meanwhile is indexed again later. Only search_* columns and kb_search_terms are written;
 * frequency rows are upserted in term order, so concurrent indexers cannot deadlock on them.
 */
import { withTx, type Database } from '../../db/database.ts';
import { indexText } from '../../domain/kb-search.ts';
import { pinyinKey, segmentForIndex } from './segment.ts';

interface PendingRow {
  id: string;
  version: number | null;
  title: string | null;
  body: string | null;
  tags: string[] | null;
}

/** Indexes up to `batch` pending articles; returns how many were written. */
export async function indexKbBatch(db: Database, batch = 200): Promise<number> {
  return withTx(db, async (tx) => {
    const { rows } = await tx.query<PendingRow>(
      `SELECT a.id, a.published_version AS version,
              CASE WHEN a.published_version = a.version THEN a.title ELSE coalesce(v.title, a.title) END AS title,
              CASE WHEN a.published_version = a.version THEN a.body ELSE coalesce(v.body, a.body) END AS body,
              CASE WHEN a.published_version = a.version THEN a.tags ELSE coalesce(v.tags, a.tags) END AS tags
         FROM kb_articles a
         LEFT JOIN kb_article_versions v ON v.article_id = a.id AND v.version = a.published_version
        WHERE a.search_version IS DISTINCT FROM a.published_version
        ORDER BY a.id LIMIT $1 FOR UPDATE OF a SKIP LOCKED`,
      [batch],
    );
    if (!rows.length) return 0;
    const ids: string[] = [];
    const versions: (number | null)[] = [];
    const titles: (string | null)[] = [];
    const bodies: (string | null)[] = [];
    const texts: (string | null)[] = [];
    const sounds = new Map<string, string>();
    const listen = (indexed: string): void => {
      for (const w of indexed.split(' ')) {
        if (sounds.has(w)) continue;
        const key = pinyinKey(w);
        if (key) sounds.set(w, key);
      }
    };
    for (const r of rows) {
      ids.push(r.id);
      versions.push(r.version);
      if (r.version === null) {
        // No longer published (not reached by today's lifecycle, but never leave stale vectors).
        titles.push(null);
        bodies.push(null);
        texts.push(null);
        continue;
      }
      const title = indexText(segmentForIndex(r.title ?? ''));
      const body = indexText(segmentForIndex(`${r.body ?? ''} ${(r.tags ?? []).join(' ')}`));
      listen(title);
      listen(body);
      titles.push(title);
      bodies.push(body);
      texts.push(`${title} ${body}`.slice(0, 20_000));
    }
    const res = await tx.query(
      `WITH v AS (
         SELECT v.id, v.version,
                setweight(to_tsvector('simple', v.title), 'A') AS title,
                setweight(to_tsvector('simple', v.title), 'A') || setweight(to_tsvector('simple', v.body), 'B') AS vector,
                v.text
           FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[]) AS v(id, version, title, body, text)),
       old AS (SELECT a.id, a.search_vector FROM kb_articles a JOIN v ON v.id = a.id),
       upd AS (
         UPDATE kb_articles a
            SET search_title = v.title, search_vector = v.vector, search_text = v.text, search_version = v.version
           FROM v
          WHERE a.id = v.id AND a.published_version IS NOT DISTINCT FROM v.version
          RETURNING a.id, a.search_vector),
       delta AS (
         SELECT d.term, sum(d.n)::int AS n
           FROM (SELECT unnest(tsvector_to_array(old.search_vector)) AS term, -1 AS n FROM old JOIN upd ON upd.id = old.id
                 UNION ALL
                 SELECT unnest(tsvector_to_array(upd.search_vector)), 1 FROM upd) d
          GROUP BY d.term HAVING sum(d.n) <> 0),
       terms AS (
         INSERT INTO kb_search_terms AS t (term, df, pinyin)
         SELECT delta.term, delta.n, s.pinyin FROM delta LEFT JOIN unnest($6::text[], $7::text[]) AS s(term, pinyin) ON s.term = delta.term
          ORDER BY delta.term
         ON CONFLICT (term) DO UPDATE SET df = greatest(t.df + excluded.df, 0), pinyin = coalesce(t.pinyin, excluded.pinyin))
       SELECT count(*)::int AS n FROM upd`,
      [ids, versions, titles, bodies, texts, [...sounds.keys()], [...sounds.values()]],
    );
    return (res.rows[0] as { n: number }).n;
  });
}

/** Indexes everything pending (the kb-index job); stops after `maxBatches` so a sweep stays bounded. */
export async function indexKbPending(db: Database, maxBatches = 50): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await indexKbBatch(db, 500);
    total += n;
    if (n === 0) break;
  }
  return total;
}

/** Cheap check for the search path: is anything waiting to be indexed? (reads the partial index). */
export async function kbIndexPending(db: Database): Promise<boolean> {
  // ORDER BY id makes the planner walk the partial index (its estimate of IS DISTINCT FROM is poor,
  // and without the order a LIMIT 1 looks cheapest as a sequential scan of the whole table).
  const { rows } = await db.pool.query(`SELECT id FROM kb_articles WHERE search_version IS DISTINCT FROM published_version ORDER BY id LIMIT 1`);
  return rows.length > 0;
}
