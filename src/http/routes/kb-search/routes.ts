import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../../services/context.ts';
import { searchKb } from '../../../services/kb-search/search-kb.ts';
import { suggestScripts } from '../../../services/kb-search/suggest-scripts.ts';
import { requireActor } from '../../auth.ts';

const hit = z.object({
  id: z.string(),
  kind: z.enum(['article', 'script']),
  audience: z.enum(['internal', 'public']),
  categoryId: z.string().nullable(),
  title: z.string(),
  highlight: z.object({ title: z.string(), body: z.string() }).describe('matched terms wrapped in 【】 (plain text, not HTML); the body is an excerpt around the first match'),
  appliesTo: z.array(z.string()),
  tags: z.array(z.string()),
  score: z.number(),
  match: z.enum(['fulltext', 'fuzzy']).describe('fulltext: segmented index; fuzzy: trigram fallback (typos, partial words)'),
});
const result = z.object({
  query: z.object({ tokens: z.array(z.string()), expanded: z.array(z.array(z.string())) }),
  hits: z.array(hit),
  searchId: z.number().nullable().describe('this search as logged for the usage report: send it with a click on a hit (POST /kb/articles/{id}/usage or /kb/public/{id}/usage)'),
});
const q = z.string().trim().min(1).max(200);
const limit = z.coerce.number().int().min(1).max(50).default(10);

export async function kbSearchRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge base'];

  r.get('/kb/search', {
    schema: {
      tags,
      summary: '知识库搜索 — search published articles and scripts in Chinese (jieba segmentation, synonyms, title matches first, helpful content boosted, trigram fallback for typos). Staff see internal and public content; customers public only.',
      querystring: z.object({ q, kind: z.enum(['article', 'script']).optional(), audience: z.enum(['internal', 'public']).optional(), categoryId: z.uuid().optional().describe('only this KB category and its sub-categories'), limit }),
      response: { 200: result },
    },
  }, async (req) => searchKb(ctx, requireActor(req), req.query));

  r.get('/kb/public/search', {
    schema: {
      tags,
      summary: 'Public knowledge-base search for the customer portal (no login): published public articles only.',
      querystring: z.object({ q, categoryId: z.uuid().optional(), limit }),
      response: { 200: result },
    },
  }, async (req) => searchKb(ctx, null, { q: req.query.q, kind: 'article', audience: 'public', categoryId: req.query.categoryId, limit: req.query.limit }));

  r.get('/tickets/:id/suggested-scripts', {
    schema: {
      tags,
      summary: 'Scripts suggested for a ticket: by the parcel’s situation (tracking status, flags, words such as 破损), the ticket’s category and its text.',
      params: z.object({ id: z.string().min(1).max(64) }),
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(20).default(5) }),
      response: {
        200: z.object({
          ticketId: z.string(),
          situations: z.array(z.string()),
          parcelStatus: z.string().nullable(),
          ticketCategory: z.string().nullable(),
          scripts: z.array(hit.extend({ reasons: z.array(z.enum(['situation', 'category', 'text'])) })),
        }),
      },
    },
  }, async (req) => suggestScripts(ctx, requireActor(req), req.params.id, req.query.limit));
}
