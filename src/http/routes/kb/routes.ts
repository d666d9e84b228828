import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/policy.ts';
import { KB_VARIABLES } from '../../../domain/kb-variables.ts';
import type { ServiceContext } from '../../../services/context.ts';
import {
  approveArticle, archiveArticle, confirmReview, createArticle, getArticle, getPublicArticle, KB_AUDIENCES, KB_KINDS, KB_STATUSES, listArticles, listCategories,
  listPublicArticles, listVersions, recordFeedback, rejectArticle, renderArticle, submitArticle, updateArticle,
} from '../../../services/kb/kb.ts';
import { kbUsageReport } from '../../../services/kb/kb-report.ts';
import { recordKbUsage, recordPublicKbUsage, STAFF_USAGE_KINDS } from '../../../services/kb/kb-usage.ts';
import { forbidden } from '../../errors.ts';
import { requireActor } from '../../auth.ts';

const category = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() }).nullable();

const articleView = z.object({
  id: z.string(),
  kind: z.enum(KB_KINDS),
  audience: z.enum(KB_AUDIENCES),
  category,
  status: z.enum(KB_STATUSES),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  appliesTo: z.array(z.string()),
  version: z.number(),
  publishedVersion: z.number().nullable(),
  reviewDueAt: z.string().nullable(),
  dueForReview: z.boolean(),
  submittedBy: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  archivedAt: z.string().nullable(),
  usageCount: z.number(),
  helpfulYes: z.number(),
  helpfulNo: z.number(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const publicView = z.object({
  id: z.string(), kind: z.enum(KB_KINDS), category, title: z.string(), body: z.string(), tags: z.array(z.string()), publishedAt: z.string().nullable(), helpfulYes: z.number(), helpfulNo: z.number(),
});

const idParams = z.object({ id: z.uuid() });
const label = z.string().trim().min(1).max(40);
const content = {
  kind: z.enum(KB_KINDS),
  audience: z.enum(KB_AUDIENCES),
  categoryCode: z.string().trim().min(1).max(60).nullable().optional(),
  title: z.string().trim().min(2).max(200),
  body: z.string().trim().min(2).max(20_000),
  tags: z.array(label).max(30).optional(),
  appliesTo: z.array(label).max(30).optional().describe('parcel statuses and situations this content is for, e.g. damaged, lost, delayed'),
  note: z.string().trim().min(1).max(500).optional().describe('why this version was written'),
};
// Usage events (the report's clicks and views): the client's id for the event makes a retry a no-op.
const eventId = z.string().trim().min(8).max(100).regex(/^[\w-]+$/, 'letters, digits, _ and - only').describe('the client\'s id for this event (e.g. a UUID): a retry with the same id is not a second event');
const clickFields = {
  query: z.string().trim().min(1).max(200).optional().describe('search_click: the text searched for (stored normalised, phone numbers, waybills and e-mail addresses replaced); may be left out when searchId is given'),
  rank: z.number().int().min(1).max(1000).optional().describe('search_click: the result\'s position, 1 = first'),
  searchId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('search_click: the search the result came from, when the search answered with one'),
};
const recordedView = z.object({ recorded: z.boolean().describe('false: this eventId was recorded before (a retry)') });
const zonedTime = z.string().nullable().describe('ISO 8601 on the company\'s clock (e.g. +08:00)');
const reportCategory = z.object({ id: z.string(), code: z.string(), nameZh: z.string(), nameEn: z.string() }).nullable();
const reportItem = z.object({
  id: z.string(), title: z.string().describe('the published version\'s title'), kind: z.enum(KB_KINDS), audience: z.enum(KB_AUDIENCES), status: z.enum(KB_STATUSES), category: reportCategory,
  views: z.number(), inserts: z.number().describe('scripts inserted into replies'), searchClicks: z.number(), uses: z.number().describe('views + inserts + searchClicks'),
  helpfulYes: z.number(), helpfulNo: z.number(), helpfulRate: z.number().nullable().describe('yes / (yes + no), 0–1; null without answers'),
  mostlyUnhelpful: z.boolean(), unused: z.boolean().describe('no view, insert or search click in the period'),
  lastUsedAt: zonedTime.describe('the last use of any kind, ever'), publishedAt: zonedTime, reviewDueAt: zonedTime, reviewOverdue: z.boolean(),
});
const queryStat = z.object({
  query: z.string(), searches: z.number(), searchesWithClick: z.number(), searchesWithoutClick: z.number(), noResults: z.number().describe('searches that found nothing'), clicks: z.number(),
  clickThroughRate: z.number().nullable().describe('searchesWithClick / searches, 0–1; null without searches'),
});
const usageReport = z.object({
  period: z.object({ from: z.string(), to: z.string(), timeZone: z.string(), start: z.string(), end: z.string() }),
  filters: z.object({ categoryId: z.string().nullable(), kind: z.enum(KB_KINDS).nullable() }),
  totals: z.object({
    articles: z.number(), views: z.number(), inserts: z.number(), searchClicks: z.number(), helpfulYes: z.number(), helpfulNo: z.number(), helpfulRate: z.number().nullable(),
    unused: z.number(), mostlyUnhelpful: z.number(), reviewOverdue: z.number(),
  }),
  items: z.array(reportItem).describe('live articles, most used first; the next page with cursor=nextCursor'),
  nextCursor: z.string().nullable(),
  searches: z.object({
    searches: z.number(), searchesWithClick: z.number(), searchesWithoutClick: z.number(), noResults: z.number(), clicks: z.number(), clickThroughRate: z.number().nullable(), distinctQueries: z.number(),
    topQueries: z.array(queryStat).describe('the 20 most searched queries'), withoutClick: z.array(queryStat).describe('the 20 most searched queries after which nothing was opened'),
  }).describe('all searches in the period (the category and kind filters do not apply: a search is not in a category)'),
  unused: z.array(reportItem).describe('up to 50 articles nobody used in the period, longest published first'),
  mostlyUnhelpful: z.array(reportItem).describe('up to 50 articles most readers found unhelpful in the period, least helpful first'),
  rules: z.object({ mostlyUnhelpful: z.object({ minAnswers: z.number(), belowRate: z.number() }) }),
});

const page = { limit: z.coerce.number().int().min(1).max(200).optional(), offset: z.coerce.number().int().min(0).max(100_000).optional() };

export async function kbRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge base'];

  r.get('/kb/categories', { schema: { tags, summary: '知识库分类 — the knowledge-base categories', response: { 200: z.object({ items: z.array(z.object({ id: z.string(), code: z.string(), nameZh: z.string(), nameEn: z.string(), parentCode: z.string().nullable(), ticketCategoryCode: z.string().nullable(), sort: z.number() })) }) } } }, async (req) => {
    if (!can(requireActor(req), 'kb.read')) throw forbidden('your role may not read the knowledge base');
    return listCategories(ctx);
  });

  r.get('/kb/articles', {
    schema: {
      tags,
      summary: '知识库 — articles and scripts for staff; dueForReview=true lists published content whose review date has come',
      querystring: z.object({ status: z.enum(KB_STATUSES).optional(), kind: z.enum(KB_KINDS).optional(), audience: z.enum(KB_AUDIENCES).optional(), category: z.string().trim().min(1).max(60).optional(), dueForReview: z.enum(['true', 'false']).optional(), ...page }),
      response: { 200: z.object({ items: z.array(articleView) }) },
    },
  }, async (req) => listArticles(ctx, requireActor(req), { ...req.query, dueForReview: req.query.dueForReview === undefined ? undefined : req.query.dueForReview === 'true' }));

  r.post('/kb/articles', {
    schema: { tags, summary: 'A new article or script, as a draft (version 1)', body: z.object(content), response: { 201: articleView } },
  }, async (req, reply) => reply.code(201).send(await createArticle(ctx, requireActor(req), req.body)));

  r.get('/kb/articles/:id', { schema: { tags, summary: 'One article or script (the latest version)', params: idParams, response: { 200: articleView } } }, async (req) =>
    getArticle(ctx, requireActor(req), req.params.id));

  r.patch('/kb/articles/:id', {
    schema: {
      tags,
      summary: 'Edit: a new version, back to draft until approved again (the published version stays live meanwhile)',
      params: idParams,
      body: z.object({ ...content, kind: content.kind.optional(), audience: content.audience.optional(), title: content.title.optional(), body: content.body.optional() }).strict(),
      response: { 200: articleView },
    },
  }, async (req) => updateArticle(ctx, requireActor(req), req.params.id, req.body));

  r.post('/kb/articles/:id/submit', { schema: { tags, summary: 'Submit a draft for review', params: idParams, response: { 200: articleView } } }, async (req) =>
    submitArticle(ctx, requireActor(req), req.params.id));

  r.post('/kb/articles/:id/approve', {
    schema: {
      tags,
      summary: 'Approve and publish (a reviewer who did not write it); the review date defaults to publish + kb.review_days',
      params: idParams,
      body: z.object({ reviewDueAt: z.string().min(10).max(40).optional().describe('ISO 8601 date-time') }).strict(),
      response: { 200: articleView },
    },
  }, async (req) => approveArticle(ctx, requireActor(req), req.params.id, req.body));

  r.post('/kb/articles/:id/reject', {
    schema: { tags, summary: 'Send back to draft with a reason', params: idParams, body: z.object({ reason: z.string().trim().min(2).max(500) }), response: { 200: articleView } },
  }, async (req) => rejectArticle(ctx, requireActor(req), req.params.id, req.body));

  r.post('/kb/articles/:id/archive', { schema: { tags, summary: 'Archive: no longer served anywhere', params: idParams, response: { 200: articleView } } }, async (req) =>
    archiveArticle(ctx, requireActor(req), req.params.id));

  r.post('/kb/articles/:id/confirm-review', {
    schema: {
      tags,
      summary: '定期复核 — the scheduled review found published content still current: the next review date is set (now + kb.review_days, or the date given)',
      params: idParams,
      body: z.object({ reviewDueAt: z.string().min(10).max(40).optional().describe('ISO 8601 date-time') }).strict(),
      response: { 200: articleView },
    },
  }, async (req) => confirmReview(ctx, requireActor(req), req.params.id, req.body));

  r.get('/kb/articles/:id/versions', {
    schema: {
      tags, summary: 'Every version as written, newest first', params: idParams,
      response: { 200: z.object({ items: z.array(z.object({ version: z.number(), title: z.string(), body: z.string(), tags: z.array(z.string()), note: z.string().nullable(), createdBy: z.string().nullable(), createdAt: z.string(), published: z.boolean() })) }) },
    },
  }, async (req) => listVersions(ctx, requireActor(req), req.params.id));

  r.post('/kb/articles/:id/render', {
    schema: {
      tags,
      summary: '插入话术 — a published script filled in for a ticket ({客户称呼} {运单号} {预计送达} {公司}); a value not known stays visible as 「{运单号}」 and is listed in missing. Each call records an insert for the usage report; with an eventId, once per eventId (a retry returns the text again, recorded: false)',
      params: idParams,
      body: z.object({ ticketId: z.string().trim().min(1).max(64), eventId: eventId.optional() }),
      response: { 200: z.object({ articleId: z.string(), version: z.number(), text: z.string(), missing: z.array(z.enum(KB_VARIABLES)), recorded: z.boolean().optional().describe('only with an eventId: false when that eventId\'s insert was recorded before') }) },
    },
  }, async (req) => renderArticle(ctx, requireActor(req), req.params.id, req.body));

  r.post('/kb/articles/:id/usage', {
    schema: {
      tags,
      summary: '使用记录 — an agent opened a search result (search_click with query and rank) or viewed an article, for the usage report; inserts into replies are recorded by /render. Once per eventId: a retry is not a second event.',
      params: idParams,
      body: z.object({ kind: z.enum(STAFF_USAGE_KINDS), ...clickFields, ticketId: z.string().trim().min(1).max(64).optional().describe('the ticket being worked on (id or number)'), eventId }).strict(),
      response: { 200: recordedView },
    },
  }, async (req) => recordKbUsage(ctx, requireActor(req), req.params.id, req.body));

  r.get('/kb/reports/usage', {
    schema: {
      tags,
      summary: '知识库使用报表 — per article: views, inserts into replies, search clicks, helpful yes/no and rate, last use, review date; totals; top searched queries with click-through; unused and mostly unhelpful content. Dates are local (YYYY-MM-DD, inclusive) in the company\'s time zone; default the last 30 days.',
      querystring: z.object({
        from: z.string().max(10).optional().describe('YYYY-MM-DD, inclusive (default: 29 days before to)'),
        to: z.string().max(10).optional().describe('YYYY-MM-DD, inclusive (default: today)'),
        categoryId: z.uuid().optional().describe('only this KB category and its sub-categories'),
        kind: z.enum(KB_KINDS).optional().describe('article or script'),
        limit: z.coerce.number().int().min(1).max(200).optional(),
        cursor: z.string().min(1).max(200).optional(),
      }),
      response: { 200: usageReport },
    },
  }, async (req) => kbUsageReport(ctx, requireActor(req), req.query));

  // The help centre: no login needed.
  const publicTags = ['help centre'];
  r.get('/kb/public', {
    schema: { tags: publicTags, summary: '帮助中心 — published public articles (no login)', querystring: z.object({ category: z.string().trim().min(1).max(60).optional(), ...page }), response: { 200: z.object({ items: z.array(publicView) }) } },
  }, async (req) => listPublicArticles(ctx, req.query));

  r.get('/kb/public/:id', { schema: { tags: publicTags, summary: 'One published public article (no login); the view is counted', params: idParams, response: { 200: publicView } } }, async (req) =>
    getPublicArticle(ctx, req.actor, req.params.id));

  r.post('/kb/public/:id/feedback', {
    schema: {
      tags: publicTags,
      summary: '这篇文章有帮助吗? — once per clientId per article; a retry is not a second vote',
      params: idParams,
      body: z.object({ helpful: z.boolean(), comment: z.string().trim().max(500).optional(), clientId: z.string().trim().min(8).max(100).regex(/^[\w-]+$/, 'letters, digits, _ and - only') }),
      response: { 200: z.object({ recorded: z.boolean(), helpfulYes: z.number(), helpfulNo: z.number() }) },
    },
  }, async (req) => recordFeedback(ctx, req.actor, req.params.id, req.body));

  r.post('/kb/public/:id/usage', {
    schema: {
      tags: publicTags,
      summary: 'The help centre: a visitor opened a search result (no login); once per clientId and eventId, a retry is not a second click. Opening the article (GET) counts the view.',
      params: idParams,
      body: z.object({
        kind: z.literal('search_click'),
        ...clickFields,
        rank: z.number().int().min(1).max(1000).describe('the result\'s position, 1 = first'),
        clientId: z.string().trim().min(8).max(100).regex(/^[\w-]+$/, 'letters, digits, _ and - only').describe('the browser token, as for feedback'),
        eventId,
      }).strict(),
      response: { 200: recordedView },
    },
  }, async (req) => recordPublicKbUsage(ctx, req.actor, req.params.id, req.body));
}
