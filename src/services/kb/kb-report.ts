/**
 * The knowledge-base usage and feedback report (issue 5; seed 001 5.2 keeps content current and
 * useful, 5.4 wants it measured): per live article (published, not archived) its views, inserts
 * into replies, search clicks and "was this helpful" answers in the period, the helpful rate, the
 * last use and the review date; totals; the searched queries with their click-through; content
 * nobody used and content readers found mostly unhelpful. The period is local dates in the
 * company's time zone; timestamps are shown on the company's clock. Articles come a page at a
 * time (keyset on uses, then id); the lists are bounded. The formulas are src/domain/kb-report.ts.
 */
import { withTx, type Queryable } from '../../db/database.ts';
import { clickThroughRate, helpfulRate, isMostlyUnhelpful, isUnused, MOSTLY_UNHELPFUL, reportRange, zonedIso } from '../../domain/kb-report.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden } from '../../http/errors.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting } from '../settings/settings.ts';
import type { KbAudience, KbKind, KbStatus } from './kb.ts';

export const LIST_LIMIT = 50;
export const QUERY_LIMIT = 20;

export interface KbReportInput {
  from?: string | undefined;
  to?: string | undefined;
  categoryId?: string | undefined;
  kind?: KbKind | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface KbReportCategory {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface KbReportItem {
  id: string;
  title: string;
  kind: KbKind;
  audience: KbAudience;
  status: KbStatus;
  category: KbReportCategory | null;
  views: number;
  inserts: number;
  searchClicks: number;
  uses: number;
  helpfulYes: number;
  helpfulNo: number;
  helpfulRate: number | null;
  mostlyUnhelpful: boolean;
  unused: boolean;
  lastUsedAt: string | null;
  publishedAt: string | null;
  reviewDueAt: string | null;
  reviewOverdue: boolean;
}

export interface KbQueryStat {
  query: string;
  searches: number;
  searchesWithClick: number;
  searchesWithoutClick: number;
  noResults: number;
  clicks: number;
  clickThroughRate: number | null;
}

export interface KbUsageReport {
  period: { from: string; to: string; timeZone: string; start: string; end: string };
  filters: { categoryId: string | null; kind: KbKind | null };
  totals: {
    articles: number;
    views: number;
    inserts: number;
    searchClicks: number;
    helpfulYes: number;
    helpfulNo: number;
    helpfulRate: number | null;
    unused: number;
    mostlyUnhelpful: number;
    reviewOverdue: number;
  };
  items: KbReportItem[];
  nextCursor: string | null;
  searches: {
    searches: number;
    searchesWithClick: number;
    searchesWithoutClick: number;
    noResults: number;
    clicks: number;
    clickThroughRate: number | null;
    distinctQueries: number;
    topQueries: KbQueryStat[];
    withoutClick: KbQueryStat[];
  };
  unused: KbReportItem[];
  mostlyUnhelpful: KbReportItem[];
  rules: { mostlyUnhelpful: { minAnswers: number; belowRate: number } };
}

interface ReportRow {
  id: string;
  title: string;
  kind: KbKind;
  audience: KbAudience;
  status: KbStatus;
  category_id: string | null;
  category_code: string | null;
  category_name_zh: string | null;
  category_name_en: string | null;
  published_at: Date | null;
  review_due_at: Date | null;
  views: number;
  inserts: number;
  clicks: number;
  uses: number;
  yes: number;
  no: number;
  last_used_at: Date | null;
}

interface QueryRow {
  query: string;
  searches: number;
  with_click: number;
  no_results: number;
  clicks: number;
}

function encodeCursor(uses: number, id: string): string {
  return Buffer.from(JSON.stringify([uses, id])).toString('base64url');
}

function decodeCursor(raw: string): { uses: number; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && v[0] >= 0 && typeof v[1] === 'string' && /^[0-9a-f-]{36}$/.test(v[1])) return { uses: v[0] as number, id: v[1] };
  } catch {
    // fall through: not one of ours
  }
  throw new AppError('validation_failed', 'cursor: not a cursor this report gave (use nextCursor as it is)');
}

/**
 * Per live article, its counts in [$1, $2): $3 the category (and its sub-categories) or null, $4
 * the kind or null. The title is the published version's (an edit under review is not yet live).
 */
const ARTICLES_CTE = `WITH RECURSIVE cats AS (
    SELECT id FROM kb_categories WHERE id = $3::uuid
    UNION ALL SELECT c.id FROM kb_categories c JOIN cats ON c.parent_id = cats.id
  ), arts AS (
    SELECT a.id, v.title, a.kind, a.audience, a.status, a.category_id, a.published_at, a.review_due_at
      FROM kb_articles a JOIN kb_article_versions v ON v.article_id = a.id AND v.version = a.published_version
     WHERE a.published_version IS NOT NULL AND a.status <> 'archived'
       AND ($3::uuid IS NULL OR a.category_id IN (SELECT id FROM cats))
       AND ($4::text IS NULL OR a.kind = $4::text)
  ), u AS (
    SELECT article_id,
           count(*) FILTER (WHERE kind = 'view')::int AS views,
           count(*) FILTER (WHERE kind = 'insert')::int AS inserts,
           count(*) FILTER (WHERE kind = 'search_click')::int AS clicks
      FROM kb_usage WHERE at >= $1 AND at < $2 GROUP BY article_id
  ), f AS (
    SELECT article_id, count(*) FILTER (WHERE helpful)::int AS yes, count(*) FILTER (WHERE NOT helpful)::int AS no
      FROM kb_feedback WHERE at >= $1 AND at < $2 GROUP BY article_id
  ), r AS (
    SELECT arts.*, coalesce(u.views, 0) AS views, coalesce(u.inserts, 0) AS inserts, coalesce(u.clicks, 0) AS clicks,
           coalesce(u.views, 0) + coalesce(u.inserts, 0) + coalesce(u.clicks, 0) AS uses,
           coalesce(f.yes, 0) AS yes, coalesce(f.no, 0) AS no
      FROM arts LEFT JOIN u ON u.article_id = arts.id LEFT JOIN f ON f.article_id = arts.id
  )`;

/**
 * Rows of the report's article set (the temporary table the report fills once per request) that
 * match `where`, in `order`, at most `limit`: their category and last use are looked up for those
 * rows only, not for every live article.
 */
function rowsSql(where: string, order: string, limit: string | number | null): string {
  return `SELECT p.*, c.code AS category_code, c.name_zh AS category_name_zh, c.name_en AS category_name_en,
      (SELECT max(x.at) FROM kb_usage x WHERE x.article_id = p.id) AS last_used_at
    FROM (SELECT * FROM kb_report_rows r WHERE ${where} ORDER BY ${order}${limit === null ? '' : ` LIMIT ${limit}`}) p
    LEFT JOIN kb_categories c ON c.id = p.category_id
   ORDER BY ${order.replace(/\br\./g, 'p.')}`;
}

/**
 * Per normalised query in [$1, $2): searches, those that found nothing, clicks, and searches
 * followed by a click — exact for clicks that name their search (searchId), and a click without
 * one counted against a search of the same query; never more than the searches.
 */
const QUERIES_CTE = `WITH s AS (
    SELECT query, count(*)::int AS searches, count(*) FILTER (WHERE hits = 0)::int AS no_results
      FROM kb_searches WHERE at >= $1 AND at < $2 GROUP BY query
  ), c AS (
    SELECT query, count(*)::int AS clicks, count(DISTINCT search_id)::int AS linked, count(*) FILTER (WHERE search_id IS NULL)::int AS unlinked
      FROM kb_usage WHERE kind = 'search_click' AND at >= $1 AND at < $2 GROUP BY query
  ), q AS (
    SELECT coalesce(s.query, c.query) AS query, coalesce(s.searches, 0) AS searches, coalesce(s.no_results, 0) AS no_results, coalesce(c.clicks, 0) AS clicks,
           LEAST(coalesce(s.searches, 0), coalesce(c.linked, 0) + coalesce(c.unlinked, 0)) AS with_click
      FROM s FULL JOIN c ON c.query = s.query
  )`;

export async function kbUsageReport(ctx: ServiceContext, actor: Actor, input: KbReportInput): Promise<KbUsageReport> {
  if (!can(actor, 'kb.report')) throw forbidden('your role may not see the knowledge-base report');
  const now = ctx.now();
  const timeZone = (await getSetting(ctx.db.pool, 'tickets.numbering')).timeZone;
  const r = reportRange(input, now, timeZone);
  if (!r.ok) throw new AppError('validation_failed', r.message);
  const { range } = r;
  const limit = input.limit ?? 50;
  const cursor = input.cursor === undefined ? null : decodeCursor(input.cursor);
  const zoned = (d: Date | null): string | null => zonedIso(d, timeZone);

  const present = (row: ReportRow): KbReportItem => ({
    id: row.id,
    title: row.title,
    kind: row.kind,
    audience: row.audience,
    status: row.status,
    category: row.category_id && row.category_code ? { id: row.category_id, code: row.category_code, nameZh: row.category_name_zh ?? '', nameEn: row.category_name_en ?? '' } : null,
    views: row.views,
    inserts: row.inserts,
    searchClicks: row.clicks,
    uses: row.uses,
    helpfulYes: row.yes,
    helpfulNo: row.no,
    helpfulRate: helpfulRate(row.yes, row.no),
    mostlyUnhelpful: isMostlyUnhelpful(row.yes, row.no),
    unused: isUnused({ views: row.views, inserts: row.inserts, searchClicks: row.clicks }),
    lastUsedAt: zoned(row.last_used_at),
    publishedAt: zoned(row.published_at),
    reviewDueAt: zoned(row.review_due_at),
    reviewOverdue: row.status === 'published' && row.review_due_at !== null && row.review_due_at.getTime() <= now.getTime(),
  });
  const queryStat = (q: QueryRow): KbQueryStat => ({
    query: q.query,
    searches: q.searches,
    searchesWithClick: q.with_click,
    searchesWithoutClick: q.searches - q.with_click,
    noResults: q.no_results,
    clicks: q.clicks,
    clickThroughRate: clickThroughRate(q.with_click, q.searches),
  });

  return withTx(ctx.db, async (tx) => {
    // One snapshot for the page, the totals and the lists.
    // REPEATABLE READ (not READ ONLY: the article set is computed once into a temporary table,
    // dropped at commit, instead of once per figure — four passes over 100 000 articles took 6–9 s).
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await checkCategory(tx, input.categoryId);
    const base = [range.start, range.end, input.categoryId ?? null, input.kind ?? null];
    await tx.query(`CREATE TEMPORARY TABLE kb_report_rows ON COMMIT DROP AS ${ARTICLES_CTE} SELECT * FROM r`, base);

    const page = await tx.query<ReportRow>(
      rowsSql('($1::int IS NULL OR r.uses < $1::int OR (r.uses = $1::int AND r.id > $2::uuid))', 'r.uses DESC, r.id', '$3'),
      [cursor?.uses ?? null, cursor?.id ?? null, limit + 1],
    );
    const more = page.rows.length > limit;
    const items = page.rows.slice(0, limit).map(present);
    const last = items.at(-1);

    const totals = (await tx.query<{ articles: number; views: number; inserts: number; clicks: number; yes: number; no: number; unused: number; overdue: number }>(
      `SELECT count(*)::int AS articles, coalesce(sum(views), 0)::int AS views, coalesce(sum(inserts), 0)::int AS inserts,
          coalesce(sum(clicks), 0)::int AS clicks, coalesce(sum(yes), 0)::int AS yes, coalesce(sum(no), 0)::int AS no,
          count(*) FILTER (WHERE uses = 0)::int AS unused,
          count(*) FILTER (WHERE status = 'published' AND review_due_at <= $1)::int AS overdue
        FROM kb_report_rows`,
      [now],
    )).rows[0]!;

    // Longest-published first: the content most clearly not earning its place.
    const unused = await tx.query<ReportRow>(rowsSql('r.uses = 0', 'r.published_at NULLS FIRST, r.id', LIST_LIMIT));
    // Only articles answered in the period: the threshold is the domain's, applied here.
    const answered = await tx.query<ReportRow>(rowsSql('r.yes + r.no > 0', 'r.id', null));
    const unhelpful = answered.rows
      .filter((row) => isMostlyUnhelpful(row.yes, row.no))
      .map(present)
      .sort((a, b) => (a.helpfulRate ?? 0) - (b.helpfulRate ?? 0) || b.helpfulNo - a.helpfulNo || a.id.localeCompare(b.id));

    const qParams = [range.start, range.end];
    const qTotals = (await tx.query<{ searches: number; with_click: number; no_results: number; clicks: number; queries: number }>(
      `${QUERIES_CTE} SELECT coalesce(sum(searches), 0)::int AS searches, coalesce(sum(with_click), 0)::int AS with_click, coalesce(sum(no_results), 0)::int AS no_results,
          coalesce(sum(clicks), 0)::int AS clicks, count(*) FILTER (WHERE searches > 0)::int AS queries FROM q`,
      qParams,
    )).rows[0]!;
    const top = await tx.query<QueryRow>(`${QUERIES_CTE} SELECT * FROM q ORDER BY searches DESC, clicks DESC, query LIMIT ${QUERY_LIMIT}`, qParams);
    const withoutClick = await tx.query<QueryRow>(`${QUERIES_CTE} SELECT * FROM q WHERE searches > 0 AND with_click = 0 ORDER BY searches DESC, query LIMIT ${QUERY_LIMIT}`, qParams);

    return {
      period: { from: range.from, to: range.to, timeZone, start: zoned(range.start)!, end: zoned(range.end)! },
      filters: { categoryId: input.categoryId ?? null, kind: input.kind ?? null },
      totals: {
        articles: totals.articles,
        views: totals.views,
        inserts: totals.inserts,
        searchClicks: totals.clicks,
        helpfulYes: totals.yes,
        helpfulNo: totals.no,
        helpfulRate: helpfulRate(totals.yes, totals.no),
        unused: totals.unused,
        mostlyUnhelpful: unhelpful.length,
        reviewOverdue: totals.overdue,
      },
      items,
      nextCursor: more && last ? encodeCursor(last.uses, last.id) : null,
      searches: {
        searches: qTotals.searches,
        searchesWithClick: qTotals.with_click,
        searchesWithoutClick: qTotals.searches - qTotals.with_click,
        noResults: qTotals.no_results,
        clicks: qTotals.clicks,
        clickThroughRate: clickThroughRate(qTotals.with_click, qTotals.searches),
        distinctQueries: qTotals.queries,
        topQueries: top.rows.map(queryStat),
        withoutClick: withoutClick.rows.map(queryStat),
      },
      unused: unused.rows.map(present),
      mostlyUnhelpful: unhelpful.slice(0, LIST_LIMIT),
      rules: { mostlyUnhelpful: { ...MOSTLY_UNHELPFUL } },
    };
  });
}

async function checkCategory(q: Queryable, id: string | undefined): Promise<void> {
  if (id === undefined) return;
  const { rows } = await q.query('SELECT 1 FROM kb_categories WHERE id = $1', [id]);
  if (!rows[0]) throw new AppError('validation_failed', `categoryId: no knowledge-base category ${id} (GET /kb/categories)`);
}
