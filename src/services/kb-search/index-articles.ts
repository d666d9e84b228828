/**
 * The search indexer: rows of kb_articles whose search_version differs from version (new or
 * edited, found through the partial index kb_articles_unindexed) get their title and body
 * segmented with jieba and written to search_title (weight A), search_body (weight B) and
 * search_text (the plain segmented text the trigram fallback reads). Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so processes indexing at once never do the same row twice, and the
 * write is conditional on the version read, so an edit made meanwhile is indexed again later.
 * Only search_* columns are written.
 */
import { withTx, type Database } from '../../db/database.ts';
import { indexText } from '../../domain/kb-search.ts';
import { segmentForIndex } from './segment.ts';

interface PendingRow {
  id: string;
  version: number;
  title: string;
  body: string;
  tags: string[];
}

/** Indexes up to `batch` pending articles; returns how many were written. */
export async function indexKbBatch(db: Database, batch = 200): Promise<number> {
  return withTx(db, async (tx) => {
    const { rows } = await tx.query<PendingRow>(
      `SELECT id, version, title, body, tags FROM kb_articles
        WHERE search_version IS DISTINCT FROM version
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batch],
    );
    if (!rows.length) return 0;
    const ids: string[] = [];
    const versions: number[] = [];
    const titles: string[] = [];
    const bodies: string[] = [];
    const texts: string[] = [];
    for (const r of rows) {
      const title = indexText(segmentForIndex(r.title));
      const body = indexText(segmentForIndex(`${r.body} ${r.tags.join(' ')}`));
      ids.push(r.id);
      versions.push(r.version);
      titles.push(title);
      bodies.push(body);
      texts.push(`${title} ${body}`.slice(0, 20_000));
    }
    const res = await tx.query(
      `UPDATE kb_articles a
          SET search_title = setweight(to_tsvector('simple', v.title), 'A'),
              search_body = setweight(to_tsvector('simple', v.body), 'B'),
              search_text = v.text,
              search_version = v.version
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[]) AS v(id, version, title, body, text)
        WHERE a.id = v.id AND a.version = v.version`,
      [ids, versions, titles, bodies, texts],
    );
    return res.rowCount ?? 0;
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
  const { rows } = await db.pool.query(`SELECT 1 FROM kb_articles WHERE search_version IS DISTINCT FROM version LIMIT 1`);
  return rows.length > 0;
}
