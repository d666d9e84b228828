/**
 * Knowledge base and scripts (issue 5, SPEC K1–K3; seed 001 5.2): articles (internal or public)
 * and scripts (话术) in categories. draft → in_review → published → archived; every edit is a new
 * version (kb_article_versions) and sends the article back to draft until a reviewer who did not
 * write it approves; the published version stays what the portal and the reply box serve in the
 * meantime. Publishing sets the review date (setting kb.review_days). Search is not here: the
 * search indexer re-indexes a row whenever `version` changes.
 */
import { withTx, type Queryable } from '../../db/database.ts';
import { customerAddress, formatExpectedDelivery, renderScript, type KbVariable } from '../../domain/kb-variables.ts';
import { can, type Action, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting } from '../settings/settings.ts';
import { getShipment } from '../shipments/lookup-shipments.ts';
import { loadTicketFor } from '../tickets/ticket-row.ts';

export const KB_KINDS = ['article', 'script'] as const;
export const KB_AUDIENCES = ['internal', 'public'] as const;
export const KB_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const;
export type KbKind = (typeof KB_KINDS)[number];
export type KbAudience = (typeof KB_AUDIENCES)[number];
export type KbStatus = (typeof KB_STATUSES)[number];

interface ArticleRow {
  id: string;
  kind: KbKind;
  audience: KbAudience;
  category_id: string | null;
  category_code: string | null;
  category_name_zh: string | null;
  category_name_en: string | null;
  status: KbStatus;
  title: string;
  body: string;
  tags: string[];
  applies_to: string[];
  version: number;
  published_version: number | null;
  review_due_at: Date | null;
  submitted_by: string | null;
  reviewed_by: string | null;
  published_at: Date | null;
  archived_at: Date | null;
  usage_count: number;
  helpful_yes: number;
  helpful_no: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface KbCategoryRef {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface KbArticleView {
  id: string;
  kind: KbKind;
  audience: KbAudience;
  category: KbCategoryRef | null;
  status: KbStatus;
  title: string;
  body: string;
  tags: string[];
  appliesTo: string[];
  version: number;
  publishedVersion: number | null;
  reviewDueAt: string | null;
  dueForReview: boolean;
  submittedBy: string | null;
  reviewedBy: string | null;
  publishedAt: string | null;
  archivedAt: string | null;
  usageCount: number;
  helpfulYes: number;
  helpfulNo: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface KbPublicArticleView {
  id: string;
  kind: KbKind;
  category: KbCategoryRef | null;
  title: string;
  body: string;
  tags: string[];
  publishedAt: string | null;
  helpfulYes: number;
  helpfulNo: number;
}

const ARTICLE_SELECT = `SELECT a.id, a.kind, a.audience, a.category_id, c.code AS category_code, c.name_zh AS category_name_zh, c.name_en AS category_name_en,
  a.status, a.title, a.body, a.tags, a.applies_to, a.version, a.published_version, a.review_due_at, a.submitted_by, a.reviewed_by,
  a.published_at, a.archived_at, a.usage_count, a.helpful_yes, a.helpful_no, a.created_by, a.created_at, a.updated_at
  FROM kb_articles a LEFT JOIN kb_categories c ON c.id = a.category_id`;

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

function categoryRef(r: { category_code: string | null; category_name_zh: string | null; category_name_en: string | null }): KbCategoryRef | null {
  return r.category_code ? { code: r.category_code, nameZh: r.category_name_zh ?? '', nameEn: r.category_name_en ?? '' } : null;
}

function present(r: ArticleRow, now: Date): KbArticleView {
  return {
    id: r.id,
    kind: r.kind,
    audience: r.audience,
    category: categoryRef(r),
    status: r.status,
    title: r.title,
    body: r.body,
    tags: r.tags,
    appliesTo: r.applies_to,
    version: r.version,
    publishedVersion: r.published_version,
    reviewDueAt: iso(r.review_due_at),
    dueForReview: r.status === 'published' && r.review_due_at !== null && r.review_due_at.getTime() <= now.getTime(),
    submittedBy: r.submitted_by,
    reviewedBy: r.reviewed_by,
    publishedAt: iso(r.published_at),
    archivedAt: iso(r.archived_at),
    usageCount: r.usage_count,
    helpfulYes: r.helpful_yes,
    helpfulNo: r.helpful_no,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function require(actor: Actor, action: Action, what: string): void {
  if (!can(actor, action)) throw forbidden(`your role may not ${what}`);
}

async function loadArticle(q: Queryable, id: string, lock = false): Promise<ArticleRow> {
  const { rows } = await q.query<ArticleRow>(`${ARTICLE_SELECT} WHERE a.id = $1${lock ? ' FOR UPDATE OF a' : ''}`, [id]);
  if (!rows[0]) throw notFound('article', id);
  return rows[0];
}

async function categoryId(q: Queryable, code: string | null | undefined): Promise<string | null> {
  if (code === undefined || code === null) return null;
  const { rows } = await q.query<{ id: string }>('SELECT id FROM kb_categories WHERE code = $1', [code]);
  if (!rows[0]) throw new AppError('validation_failed', `categoryCode: no knowledge-base category "${code}" (GET /kb/categories)`);
  return rows[0].id;
}

const clean = (xs: readonly string[] | undefined): string[] => [...new Set((xs ?? []).map((x) => x.trim()).filter(Boolean))];

async function insertVersion(tx: Queryable, id: string, version: number, title: string, body: string, tags: string[], note: string | null, userId: string | null): Promise<void> {
  await tx.query('INSERT INTO kb_article_versions (article_id, version, title, body, tags, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)', [id, version, title, body, tags, note, userId]);
}

// ---------------------------------------------------------------------------------------------
// Staff: reading

export interface ListArticlesInput {
  status?: KbStatus | undefined;
  kind?: KbKind | undefined;
  audience?: KbAudience | undefined;
  category?: string | undefined;
  dueForReview?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** Articles and scripts for staff; dueForReview: published content whose review date has come (seed 001 5.2), oldest due first. */
export async function listArticles(ctx: ServiceContext, actor: Actor, input: ListArticlesInput): Promise<{ items: KbArticleView[] }> {
  require(actor, 'kb.read', 'read the knowledge base');
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown): void => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (input.status) add('a.status = ?', input.status);
  if (input.kind) add('a.kind = ?', input.kind);
  if (input.audience) add('a.audience = ?', input.audience);
  if (input.category) add('c.code = ?', input.category);
  const now = ctx.now();
  if (input.dueForReview === true) {
    where.push(`a.status = 'published'`);
    add('a.review_due_at <= ?', now);
  } else if (input.dueForReview === false) {
    add(`NOT (a.status = 'published' AND a.review_due_at IS NOT NULL AND a.review_due_at <= ?)`, now);
  }
  params.push(input.limit ?? 50, input.offset ?? 0);
  const order = input.dueForReview ? 'a.review_due_at ASC, a.id' : 'a.updated_at DESC, a.id';
  const { rows } = await ctx.db.pool.query<ArticleRow>(
    `${ARTICLE_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { items: rows.map((r) => present(r, now)) };
}

export async function getArticle(ctx: ServiceContext, actor: Actor, id: string): Promise<KbArticleView> {
  require(actor, 'kb.read', 'read the knowledge base');
  return present(await loadArticle(ctx.db.pool, id), ctx.now());
}

export interface KbVersionView {
  version: number;
  title: string;
  body: string;
  tags: string[];
  note: string | null;
  createdBy: string | null;
  createdAt: string;
  published: boolean;
}

export async function listVersions(ctx: ServiceContext, actor: Actor, id: string): Promise<{ items: KbVersionView[] }> {
  require(actor, 'kb.read', 'read the knowledge base');
  const a = await loadArticle(ctx.db.pool, id);
  const { rows } = await ctx.db.pool.query<{ version: number; title: string; body: string; tags: string[]; note: string | null; created_by: string | null; created_at: Date }>(
    'SELECT version, title, body, tags, note, created_by, created_at FROM kb_article_versions WHERE article_id = $1 ORDER BY version DESC',
    [id],
  );
  return {
    items: rows.map((v) => ({ version: v.version, title: v.title, body: v.body, tags: v.tags, note: v.note, createdBy: v.created_by, createdAt: v.created_at.toISOString(), published: v.version === a.published_version })),
  };
}

export interface KbCategoryView extends KbCategoryRef {
  id: string;
  parentCode: string | null;
  ticketCategoryCode: string | null;
  sort: number;
}

export async function listCategories(ctx: ServiceContext): Promise<{ items: KbCategoryView[] }> {
  const { rows } = await ctx.db.pool.query<{ id: string; code: string; name_zh: string; name_en: string; parent_code: string | null; ticket_category_code: string | null; sort: number }>(
    `SELECT c.id, c.code, c.name_zh, c.name_en, p.code AS parent_code, c.ticket_category_code, c.sort
       FROM kb_categories c LEFT JOIN kb_categories p ON p.id = c.parent_id ORDER BY c.sort, c.code`,
  );
  return { items: rows.map((r) => ({ id: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, parentCode: r.parent_code, ticketCategoryCode: r.ticket_category_code, sort: r.sort })) };
}

// ---------------------------------------------------------------------------------------------
// Staff: writing and the lifecycle

export interface CreateArticleInput {
  kind: KbKind;
  audience: KbAudience;
  categoryCode?: string | null | undefined;
  title: string;
  body: string;
  tags?: string[] | undefined;
  appliesTo?: string[] | undefined;
  note?: string | undefined;
}

export async function createArticle(ctx: ServiceContext, actor: Actor, input: CreateArticleInput): Promise<KbArticleView> {
  require(actor, 'kb.write', 'write knowledge-base content');
  return withTx(ctx.db, async (tx) => {
    const cat = await categoryId(tx, input.categoryCode);
    const tags = clean(input.tags);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO kb_articles (kind, audience, category_id, status, title, body, tags, applies_to, version, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, 1, $8, $9, $9) RETURNING id`,
      [input.kind, input.audience, cat, input.title, input.body, tags, clean(input.appliesTo), actor.userId, ctx.now()],
    );
    const id = rows[0]!.id;
    await insertVersion(tx, id, 1, input.title, input.body, tags, input.note ?? null, actor.userId);
    await recordAudit(tx, actor, { action: 'kb.article.create', entityType: 'kb_article', entityId: id, data: { kind: input.kind, audience: input.audience, title: input.title } });
    return present(await loadArticle(tx, id), ctx.now());
  });
}

export interface UpdateArticleInput {
  kind?: KbKind | undefined;
  audience?: KbAudience | undefined;
  categoryCode?: string | null | undefined;
  title?: string | undefined;
  body?: string | undefined;
  tags?: string[] | undefined;
  appliesTo?: string[] | undefined;
  note?: string | undefined;
}

/**
 * An edit is a new version and needs a new review: the article goes (back) to draft. What was
 * published stays published (published_version) until the new version is approved. Without
 * kb.review, one edits only one's own articles.
 */
export async function updateArticle(ctx: ServiceContext, actor: Actor, id: string, input: UpdateArticleInput): Promise<KbArticleView> {
  require(actor, 'kb.write', 'write knowledge-base content');
  return withTx(ctx.db, async (tx) => {
    const a = await loadArticle(tx, id, true);
    if (!can(actor, 'kb.review') && a.created_by !== actor.userId) throw forbidden('you may edit only the articles you wrote; a reviewer may edit any');
    if (a.status === 'archived') throw new AppError('invalid_transition', 'an archived article is not edited; write a new one');
    const changed = Object.entries(input).filter(([k, v]) => v !== undefined && k !== 'note').map(([k]) => k);
    if (changed.length === 0) throw new AppError('validation_failed', 'nothing to change: give at least one of kind, audience, categoryCode, title, body, tags, appliesTo');
    const cat = input.categoryCode === undefined ? a.category_id : await categoryId(tx, input.categoryCode);
    const next = {
      kind: input.kind ?? a.kind,
      audience: input.audience ?? a.audience,
      title: input.title ?? a.title,
      body: input.body ?? a.body,
      tags: input.tags ? clean(input.tags) : a.tags,
      appliesTo: input.appliesTo ? clean(input.appliesTo) : a.applies_to,
    };
    const version = a.version + 1;
    await tx.query(
      `UPDATE kb_articles SET kind = $2, audience = $3, category_id = $4, title = $5, body = $6, tags = $7, applies_to = $8, version = $9,
         status = 'draft', submitted_by = NULL, updated_at = $10 WHERE id = $1`,
      [id, next.kind, next.audience, cat, next.title, next.body, next.tags, next.appliesTo, version, ctx.now()],
    );
    await insertVersion(tx, id, version, next.title, next.body, next.tags, input.note ?? null, actor.userId);
    await recordAudit(tx, actor, { action: 'kb.article.update', entityType: 'kb_article', entityId: id, data: { version, fields: changed, from: a.status } });
    return present(await loadArticle(tx, id), ctx.now());
  });
}

async function transition(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  action: 'submit' | 'approve' | 'reject' | 'archive' | 'review',
  check: (a: ArticleRow, tx: Queryable) => Promise<void> | void,
  apply: (a: ArticleRow, tx: Queryable, now: Date) => Promise<Record<string, unknown>>,
): Promise<KbArticleView> {
  return withTx(ctx.db, async (tx) => {
    const a = await loadArticle(tx, id, true);
    await check(a, tx);
    const now = ctx.now();
    const data = await apply(a, tx, now);
    await recordAudit(tx, actor, { action: `kb.article.${action}`, entityType: 'kb_article', entityId: id, data: { version: a.version, from: a.status, ...data } });
    return present(await loadArticle(tx, id), now);
  });
}

export async function submitArticle(ctx: ServiceContext, actor: Actor, id: string): Promise<KbArticleView> {
  require(actor, 'kb.write', 'submit knowledge-base content');
  return transition(ctx, actor, id, 'submit', (a) => {
    if (!can(actor, 'kb.review') && a.created_by !== actor.userId) throw forbidden('you may submit only the articles you wrote');
    if (a.status !== 'draft') throw new AppError('invalid_transition', `only a draft is submitted for review (this one is ${a.status})`);
  }, async (_a, tx, now) => {
    await tx.query(`UPDATE kb_articles SET status = 'in_review', submitted_by = $2, updated_at = $3 WHERE id = $1`, [id, actor.userId, now]);
    return {};
  });
}

/** Everyone who wrote the content under review: the authors of the unpublished versions, and whoever submitted it. */
async function authorsUnderReview(tx: Queryable, a: ArticleRow): Promise<Set<string>> {
  const { rows } = await tx.query<{ created_by: string | null }>(
    'SELECT DISTINCT created_by FROM kb_article_versions WHERE article_id = $1 AND version > $2',
    [a.id, a.published_version ?? 0],
  );
  const out = new Set(rows.map((r) => r.created_by).filter((x): x is string => x !== null));
  if (a.submitted_by) out.add(a.submitted_by);
  return out;
}

export async function approveArticle(ctx: ServiceContext, actor: Actor, id: string, input: { reviewDueAt?: string | undefined }): Promise<KbArticleView> {
  require(actor, 'kb.review', 'review knowledge-base content');
  const due = input.reviewDueAt === undefined ? null : futureDate(input.reviewDueAt, ctx.now());
  return transition(ctx, actor, id, 'approve', async (a, tx) => {
    if (a.status !== 'in_review') throw new AppError('invalid_transition', `only an article in review is approved (this one is ${a.status})`);
    if ((await authorsUnderReview(tx, a)).has(actor.userId)) throw forbidden('a reviewer must not be the author: another reviewer approves this version');
  }, async (a, tx, now) => {
    const days = (await getSetting(tx, 'kb.review_days')).days;
    const reviewDueAt = due ?? new Date(now.getTime() + days * 86_400_000);
    await tx.query(
      `UPDATE kb_articles SET status = 'published', published_version = version, reviewed_by = $2, published_at = $3, review_due_at = $4, updated_at = $3 WHERE id = $1`,
      [id, actor.userId, now, reviewDueAt],
    );
    return { publishedVersion: a.version, reviewDueAt: reviewDueAt.toISOString() };
  });
}

export async function rejectArticle(ctx: ServiceContext, actor: Actor, id: string, input: { reason: string }): Promise<KbArticleView> {
  require(actor, 'kb.review', 'review knowledge-base content');
  return transition(ctx, actor, id, 'reject', (a) => {
    if (a.status !== 'in_review') throw new AppError('invalid_transition', `only an article in review is rejected (this one is ${a.status})`);
  }, async (_a, tx, now) => {
    await tx.query(`UPDATE kb_articles SET status = 'draft', reviewed_by = $2, updated_at = $3 WHERE id = $1`, [id, actor.userId, now]);
    return { reason: input.reason };
  });
}

export async function archiveArticle(ctx: ServiceContext, actor: Actor, id: string): Promise<KbArticleView> {
  require(actor, 'kb.review', 'archive knowledge-base content');
  return transition(ctx, actor, id, 'archive', (a) => {
    if (a.status === 'archived') throw new AppError('invalid_transition', 'this article is already archived');
  }, async (_a, tx, now) => {
    await tx.query(`UPDATE kb_articles SET status = 'archived', archived_at = $2, updated_at = $2 WHERE id = $1`, [id, now]);
    return {};
  });
}

/**
 * The scheduled review found the published content still current (seed 001 5.2): a reviewer
 * confirms it and the next review date is set (publish-independent: now + kb.review_days, or
 * the date given). Content that needs changing is edited instead, which starts a new review.
 */
export async function confirmReview(ctx: ServiceContext, actor: Actor, id: string, input: { reviewDueAt?: string | undefined }): Promise<KbArticleView> {
  require(actor, 'kb.review', 'review knowledge-base content');
  const due = input.reviewDueAt === undefined ? null : futureDate(input.reviewDueAt, ctx.now());
  return transition(ctx, actor, id, 'review', (a) => {
    if (a.status !== 'published') throw new AppError('invalid_transition', `only published content is confirmed as current (this one is ${a.status}); a draft is submitted and approved`);
  }, async (a, tx, now) => {
    const days = (await getSetting(tx, 'kb.review_days')).days;
    const reviewDueAt = due ?? new Date(now.getTime() + days * 86_400_000);
    await tx.query('UPDATE kb_articles SET review_due_at = $2, updated_at = $3 WHERE id = $1', [id, reviewDueAt, now]);
    return { previousReviewDueAt: iso(a.review_due_at), reviewDueAt: reviewDueAt.toISOString() };
  });
}

function futureDate(raw: string, now: Date): Date {
  const d = new Date(raw);
  if (Number.isNaN(d.getTime())) throw new AppError('validation_failed', `reviewDueAt: "${raw}" is not a date-time`);
  if (d.getTime() <= now.getTime()) throw new AppError('validation_failed', 'reviewDueAt must be in the future');
  return d;
}

// ---------------------------------------------------------------------------------------------
// Scripts into replies

/** The published title and body (the version a reviewer approved), or null when nothing is published. */
async function publishedContent(q: Queryable, a: ArticleRow): Promise<{ title: string; body: string; tags: string[] } | null> {
  if (a.published_version === null || a.status === 'archived') return null;
  if (a.published_version === a.version) return { title: a.title, body: a.body, tags: a.tags };
  const { rows } = await q.query<{ title: string; body: string; tags: string[] }>('SELECT title, body, tags FROM kb_article_versions WHERE article_id = $1 AND version = $2', [a.id, a.published_version]);
  return rows[0] ?? null;
}

export interface RenderResult {
  articleId: string;
  version: number;
  text: string;
  missing: KbVariable[];
  /** With an eventId: false when this eventId's insert was recorded before (a retry). */
  recorded?: boolean;
}

/**
 * A published script filled in for a ticket: 客户称呼 the customer's preferred form of address
 * (customers.salutation, set by the service team), else 您 (customer records hold no gender, so a
 * name alone is never turned into 先生/女士), 运单号 the ticket's first
 * waybill, 预计送达 the parcel's expected delivery, 公司 the company name. Records the insert.
 */
export async function renderArticle(ctx: ServiceContext, actor: Actor, id: string, input: { ticketId: string; eventId?: string | undefined }): Promise<RenderResult> {
  require(actor, 'kb.read', 'use knowledge-base scripts');
  const pool = ctx.db.pool;
  const a = await loadArticle(pool, id);
  const content = await publishedContent(pool, a);
  if (!content) throw new AppError('invalid_transition', 'only published content is inserted into replies');
  const ticket = await loadTicketFor(pool, actor, input.ticketId, 'ticket.reply');
  const now = ctx.now();
  let name: string | null = null;
  let salutation: string | null = null;
  if (ticket.customer_id) {
    // Decrypted for the agent's reply only; what leaves here is the filled-in text, not the record.
    const { rows } = await pool.query<{ name_enc: string | null; salutation_enc: string | null }>('SELECT name_enc, salutation_enc FROM customers WHERE id = $1', [ticket.customer_id]);
    name = rows[0]?.name_enc ? ctx.crypto.decrypt(rows[0].name_enc) : null;
    salutation = rows[0]?.salutation_enc ? ctx.crypto.decrypt(rows[0].salutation_enc) : null;
  }
  const waybill = ticket.waybills[0] ?? null;
  let expected: string | null = null;
  if (waybill) {
    try {
      const parcel = await getShipment(pool, ctx.crypto, actor, waybill, now);
      expected = formatExpectedDelivery(parcel.expectedDelivery, (await getSetting(pool, 'tickets.numbering')).timeZone);
    } catch (e) {
      if (!(e instanceof AppError) || (e.code !== 'not_found' && e.code !== 'forbidden')) throw e;
    }
  }
  const company = (await getSetting(pool, 'company.name')).zh;
  const rendered = renderScript(content.body, { 客户称呼: customerAddress(name, null, salutation), 运单号: waybill, 预计送达: expected, 公司: company });
  const result = { articleId: id, version: a.published_version!, ...rendered };
  const { eventId } = input;
  if (eventId === undefined) {
    await withTx(ctx.db, async (tx) => {
      await tx.query(`INSERT INTO kb_usage (article_id, kind, user_id, ticket_id, at) VALUES ($1, 'insert', $2, $3, $4)`, [id, actor.userId, ticket.id, now]);
      await tx.query('UPDATE kb_articles SET usage_count = usage_count + 1 WHERE id = $1', [id]);
    });
    return result;
  }
  // With the client's id for this insert, a retry (the answer was lost) is not a second insert.
  const recorded = await withTx(ctx.db, async (tx) => {
    const ins = await tx.query(
      `INSERT INTO kb_usage (article_id, kind, user_id, ticket_id, event_id, at) VALUES ($1, 'insert', $2, $3, $4, $5)
       ON CONFLICT (user_id, event_id) WHERE client_id IS NULL AND event_id IS NOT NULL DO NOTHING RETURNING id`,
      [id, actor.userId, ticket.id, eventId, now],
    );
    if ((ins.rowCount ?? 0) === 0) {
      const { rows } = await tx.query<{ article_id: string; kind: string; ticket_id: string | null }>(
        'SELECT article_id, kind, ticket_id FROM kb_usage WHERE user_id = $1 AND event_id = $2 AND client_id IS NULL', [actor.userId, eventId]);
      if (rows[0] && (rows[0].article_id !== id || rows[0].kind !== 'insert' || rows[0].ticket_id !== ticket.id)) {
        throw new AppError('idempotency_mismatch', 'this eventId was already used for a different event');
      }
      return false;
    }
    await tx.query('UPDATE kb_articles SET usage_count = usage_count + 1 WHERE id = $1', [id]);
    return true;
  });
  return { ...result, recorded };
}

// ---------------------------------------------------------------------------------------------
// The public help centre (no login)

const PUBLIC_WHERE = `a.audience = 'public' AND a.published_version IS NOT NULL AND a.status <> 'archived'`;
const PUBLIC_SELECT = `SELECT a.id, a.kind, c.code AS category_code, c.name_zh AS category_name_zh, c.name_en AS category_name_en,
  v.title, v.body, v.tags, a.published_at, a.helpful_yes, a.helpful_no
  FROM kb_articles a JOIN kb_article_versions v ON v.article_id = a.id AND v.version = a.published_version
  LEFT JOIN kb_categories c ON c.id = a.category_id`;

interface PublicRow {
  id: string;
  kind: KbKind;
  category_code: string | null;
  category_name_zh: string | null;
  category_name_en: string | null;
  title: string;
  body: string;
  tags: string[];
  published_at: Date | null;
  helpful_yes: number;
  helpful_no: number;
}

const presentPublic = (r: PublicRow): KbPublicArticleView => ({
  id: r.id, kind: r.kind, category: categoryRef(r), title: r.title, body: r.body, tags: r.tags, publishedAt: iso(r.published_at), helpfulYes: r.helpful_yes, helpfulNo: r.helpful_no,
});

/** Published public articles only, as approved (a draft of a newer version is not shown). */
export async function listPublicArticles(ctx: ServiceContext, input: { category?: string | undefined; limit?: number | undefined; offset?: number | undefined }): Promise<{ items: KbPublicArticleView[] }> {
  const params: unknown[] = [];
  let where = PUBLIC_WHERE;
  if (input.category) {
    params.push(input.category);
    where += ` AND c.code = $${params.length}`;
  }
  params.push(input.limit ?? 50, input.offset ?? 0);
  const { rows } = await ctx.db.pool.query<PublicRow>(
    `${PUBLIC_SELECT} WHERE ${where} ORDER BY c.sort NULLS LAST, a.usage_count DESC, a.published_at DESC, a.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { items: rows.map(presentPublic) };
}

/** A published public article (404 for anything else: drafts and internal articles do not exist for the public). */
export async function loadPublic(q: Queryable, id: string): Promise<PublicRow> {
  const { rows } = await q.query<PublicRow>(`${PUBLIC_SELECT} WHERE a.id = $1 AND ${PUBLIC_WHERE}`, [id]);
  // Drafts and internal articles do not exist for the public.
  if (!rows[0]) throw notFound('article', id);
  return rows[0];
}

/** One public article; the view is counted (kb_usage 'view', usage_count + 1). */
export async function getPublicArticle(ctx: ServiceContext, actor: Actor | null, id: string): Promise<KbPublicArticleView> {
  return withTx(ctx.db, async (tx) => {
    const row = await loadPublic(tx, id);
    await tx.query(`INSERT INTO kb_usage (article_id, kind, user_id, at) VALUES ($1, 'view', $2, $3)`, [id, actor?.userId ?? null, ctx.now()]);
    await tx.query('UPDATE kb_articles SET usage_count = usage_count + 1 WHERE id = $1', [id]);
    return presentPublic(row);
  });
}

export interface FeedbackInput {
  helpful: boolean;
  comment?: string | undefined;
  clientId: string;
}

/** "Was this helpful": one answer per browser token (clientId) per article; a retry is not a second vote. */
export async function recordFeedback(ctx: ServiceContext, actor: Actor | null, id: string, input: FeedbackInput): Promise<{ recorded: boolean; helpfulYes: number; helpfulNo: number }> {
  return withTx(ctx.db, async (tx) => {
    await loadPublic(tx, id);
    const ins = await tx.query(
      `INSERT INTO kb_feedback (article_id, helpful, comment, user_id, client_id, at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (article_id, client_id) DO NOTHING RETURNING id`,
      [id, input.helpful, input.comment?.trim() || null, actor?.userId ?? null, input.clientId, ctx.now()],
    );
    const recorded = (ins.rowCount ?? 0) > 0;
    const { rows } = await tx.query<{ helpful_yes: number; helpful_no: number }>(
      recorded
        ? `UPDATE kb_articles SET ${input.helpful ? 'helpful_yes = helpful_yes + 1' : 'helpful_no = helpful_no + 1'} WHERE id = $1 RETURNING helpful_yes, helpful_no`
        : 'SELECT helpful_yes, helpful_no FROM kb_articles WHERE id = $1',
      [id],
    );
    return { recorded, helpfulYes: rows[0]!.helpful_yes, helpfulNo: rows[0]!.helpful_no };
  });
}
