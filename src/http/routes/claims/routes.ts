import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CLAIM_ACTIONS, CLAIM_KINDS, CLAIM_STATUSES } from '../../../domain/express/claim-lifecycle.ts';
import {
  addClaimEvidence,
  approveClaim,
  EVIDENCE_MAX_BYTES,
  EVIDENCE_TYPES,
  getClaim,
  getClaimEvidenceContent,
  listClaims,
  payClaim,
  rejectClaim,
  submitClaim,
  verifyClaim,
} from '../../../services/claims/claims.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { requireActor } from '../../auth.ts';

const yuan = z.number().nonnegative().max(100_000_000).multipleOf(0.01, 'amounts are in yuan with at most two decimals');
const positiveYuan = yuan.positive();

const evidenceView = z.object({
  id: z.string(), kind: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number(), sha256: z.string(), note: z.string(), uploadedAt: z.string(),
});

const claimView = z.object({
  id: z.string(),
  ticketId: z.string(),
  ticketNumber: z.string(),
  customerId: z.string().nullable(),
  waybill: z.string().nullable(),
  kind: z.enum(CLAIM_KINDS),
  status: z.enum(CLAIM_STATUSES),
  claimedAmount: z.number(),
  insured: z.boolean(),
  declaredValue: z.number().nullable(),
  postage: z.number(),
  maxPayable: z.number().describe('the most the compensation rules pay for this parcel and claim'),
  basis: z.string().describe('the rule applied, in Chinese, to read to the customer'),
  description: z.string(),
  approvedAmount: z.number().nullable(),
  rejectReason: z.string().nullable(),
  paymentReference: z.string().nullable(),
  paymentDueAt: z.string().nullable().describe('approval + the compensation-payment clock (3 working days by default)'),
  verifiedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  rejectedAt: z.string().nullable(),
  actions: z.array(z.enum(CLAIM_ACTIONS)),
  evidence: z.array(evidenceView),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const figures = {
  kind: z.enum(CLAIM_KINDS),
  claimedAmount: positiveYuan.describe('the actual loss the customer claims, yuan'),
  insured: z.boolean().describe('保价: the parcel was insured at its declared value'),
  declaredValue: yuan.nullable().optional(),
  postage: yuan.describe('运费 paid for the parcel, yuan'),
};

export async function claimRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['claims'];
  const params = z.object({ id: z.uuid() });

  r.get('/claims', {
    schema: {
      tags, summary: '赔付申请列表 — claims, newest first (customers: their own)',
      querystring: z.object({
        status: z.string().optional().transform((s, c) => {
          const parts = s ? s.split(',').map((x) => x.trim()).filter(Boolean) : [];
          for (const p of parts) if (!(CLAIM_STATUSES as readonly string[]).includes(p)) c.addIssue({ code: 'custom', message: `status "${p}" is not one of ${CLAIM_STATUSES.join(', ')}` });
          return parts as (typeof CLAIM_STATUSES)[number][];
        }),
        ticketId: z.uuid().optional(),
        limit: z.coerce.number().int().min(1).max(200).optional(),
      }),
      response: { 200: z.object({ items: z.array(claimView) }) },
    },
  }, async (req) => ({ items: await listClaims(ctx, requireActor(req), req.query) }));

  r.post('/claims', {
    schema: {
      tags, summary: '提交赔付申请 — submit a claim for a ticket (one claim in progress per ticket)',
      body: z.object({
        ticketId: z.string().min(1).max(64).describe('ticket id or number'),
        waybill: z.string().min(6).max(32).optional(),
        description: z.string().max(2000).optional(),
        kind: figures.kind,
        claimedAmount: figures.claimedAmount,
        insured: figures.insured.optional().describe('only when the waybill is not a known parcel; otherwise the parcel record decides'),
        declaredValue: figures.declaredValue,
        postage: figures.postage.optional().describe('only when the waybill is not a known parcel; otherwise the parcel record decides'),
      }),
      response: { 201: claimView },
    },
  }, async (req, reply) => reply.code(201).send(await submitClaim(ctx, requireActor(req), req.body)));

  r.get('/claims/:id', { schema: { tags, summary: 'A claim with its evidence', params, response: { 200: claimView } } }, async (req) => getClaim(ctx, requireActor(req), req.params.id));

  r.post('/claims/:id/verify', {
    schema: {
      tags, summary: '核实 — verify a claim against the waybill and evidence; figures may be corrected', params,
      body: z.object({ kind: figures.kind.optional(), claimedAmount: figures.claimedAmount.optional(), insured: figures.insured.optional(), declaredValue: figures.declaredValue, postage: figures.postage.optional(), note: z.string().max(1000).optional() }),
      response: { 200: claimView },
    },
  }, async (req) => verifyClaim(ctx, requireActor(req), req.params.id, req.body));

  r.post('/claims/:id/approve', {
    schema: {
      tags, summary: '批准 — approve an amount within your role’s approval limit; starts the payment clock', params,
      body: z.object({ amount: positiveYuan.optional().describe('default: the most payable'), note: z.string().max(1000).optional() }),
      response: { 200: claimView },
    },
  }, async (req) => approveClaim(ctx, requireActor(req), req.params.id, req.body));

  r.post('/claims/:id/pay', {
    schema: { tags, summary: '支付 — record the payment; stops the payment clock', params, body: z.object({ reference: z.string().trim().min(2).max(100).describe('payment or transfer reference') }), response: { 200: claimView } },
  }, async (req) => payClaim(ctx, requireActor(req), req.params.id, req.body));

  r.post('/claims/:id/reject', {
    schema: { tags, summary: '驳回 — reject a claim before approval, with the reason', params, body: z.object({ reason: z.string().trim().min(4).max(1000) }), response: { 200: claimView } },
  }, async (req) => rejectClaim(ctx, requireActor(req), req.params.id, req.body));

  r.post('/claims/:id/evidence', {
    // Photos are bigger than the API's usual 1 MiB: base64 of up to 5 MiB.
    bodyLimit: Math.ceil((EVIDENCE_MAX_BYTES * 4) / 3) + 64 * 1024,
    schema: {
      tags, summary: '上传凭证 — attach a photo or document (base64, at most 5 MiB); the same file twice is stored once', params,
      body: z.object({
        kind: z.enum(['photo', 'invoice', 'receipt', 'document', 'other']),
        fileName: z.string().trim().min(1).max(200),
        contentType: z.enum(EVIDENCE_TYPES),
        content: z.string().min(1).regex(/^[A-Za-z0-9+/\r\n]+={0,2}$/, 'content must be base64'),
        note: z.string().max(500).optional(),
      }),
      response: { 200: evidenceView, 201: evidenceView },
    },
  }, async (req, reply) => {
    const { evidence, created } = await addClaimEvidence(ctx, requireActor(req), req.params.id, req.body);
    return reply.code(created ? 201 : 200).send(evidence);
  });

  r.get('/claims/:id/evidence/:evidenceId/content', {
    schema: { tags, summary: 'The evidence file itself', params: z.object({ id: z.uuid(), evidenceId: z.uuid() }) },
  }, async (req, reply) => {
    const f = await getClaimEvidenceContent(ctx, requireActor(req), req.params.id, req.params.evidenceId);
    return reply
      .header('content-type', f.contentType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
      .header('x-content-type-options', 'nosniff')
      .send(f.content);
  });
}
