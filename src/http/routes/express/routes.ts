import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withTx } from '../../../db/database.ts';
import { COMPENSATION_KINDS, BASIS_CODES } from '../../../domain/express/compensation.ts';
import { DELAY_KINDS } from '../../../domain/express/delivery-estimate.ts';
import { VERDICTS } from '../../../domain/express/item-check.ts';
import { PRODUCTS } from '../../../domain/express/quote.ts';
import { searchRegions, ZONES } from '../../../domain/express/regions.ts';
import { can, type Actor } from '../../../domain/policy.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { createDelayPeriod, deleteDelayPeriod, getDelayPeriod, listDelayPeriods, updateDelayPeriod } from '../../../services/express/delay-periods.ts';
import { checkItemDescription, estimateClaimCompensation, estimateDeliveryTime, quoteShipment } from '../../../services/express/express-tools.ts';
import { getSetting } from '../../../services/settings/settings.ts';
import { requireActor } from '../../auth.ts';
import { forbidden } from '../../errors.ts';

function mustUseTools(actor: Actor): void {
  if (!can(actor, 'express.tools')) throw forbidden('your role may not use the express tools');
}

const regionCode = (what: string) => z.string().regex(/^\d{6}$/, `${what} must be a 6-digit region code (GB/T 2260), e.g. 110105`).describe(`${what}: 6-digit GB/T 2260 code, e.g. 110105 北京市朝阳区`);
const yuan = z.number().nonnegative().max(10_000_000);
const place = z.object({ code: z.string(), fullName: z.string() });
const product = z.enum(PRODUCTS).describe('standard 标准快递 | express 加急 | same_day 当日达 | next_day 次日达 | cold_chain 冷链; default standard');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

const quoteBody = z.object({
  origin: regionCode('origin'),
  destination: regionCode('destination'),
  weightKg: z.number().positive().describe('actual weight, kg'),
  lengthCm: z.number().positive().optional(),
  widthCm: z.number().positive().optional(),
  heightCm: z.number().positive().optional(),
  product: product.optional(),
  declaredValue: yuan.optional().describe('declared value in yuan; > 0 insures the parcel (保价)'),
});
const quoteView = z.object({
  zone: z.enum(ZONES),
  zoneNameZh: z.string(),
  product: z.enum(PRODUCTS),
  origin: place,
  destination: place,
  actualWeightKg: z.number(),
  volumetricWeightKg: z.number().nullable(),
  chargeableWeightKg: z.number(),
  firstWeightKg: z.number(),
  firstPrice: z.number(),
  additionalUnits: z.number(),
  additionalPrice: z.number(),
  postage: z.number(),
  insured: z.boolean(),
  insuranceFee: z.number(),
  total: z.number(),
  currency: z.literal('CNY'),
  sentence: z.string(),
  sentenceEn: z.string(),
});

const estimateBody = z.object({
  origin: regionCode('origin'),
  destination: regionCode('destination'),
  product: product.optional(),
  shippedAt: z.iso.datetime({ offset: true }).optional().describe('when the parcel is (or was) handed over; default now'),
});
const routeOverrideView = z.object({ from: z.string(), to: z.string(), product: z.enum(PRODUCTS), minDays: z.number(), maxDays: z.number(), note: z.string().optional() });
const estimateView = z.object({
  zone: z.enum(ZONES),
  zoneNameZh: z.string(),
  product: z.enum(PRODUCTS),
  origin: place,
  destination: place,
  baseMinDays: z.number(),
  baseMaxDays: z.number(),
  routeOverride: routeOverrideView.nullable(),
  delays: z.array(z.object({ id: z.string().nullable(), kind: z.enum(DELAY_KINDS), name: z.string(), extraMinDays: z.number(), extraMaxDays: z.number(), notice: z.string().nullable() })),
  minDays: z.number(),
  maxDays: z.number(),
  shippedOn: z.string(),
  earliest: z.string(),
  latest: z.string(),
  sentence: z.string(),
  sentenceEn: z.string(),
});

const itemMatch = z.object({ code: z.string(), category: z.string(), nameZh: z.string(), verdict: z.enum(['restricted', 'prohibited']), matched: z.array(z.string()), reason: z.string(), rule: z.string() });
const itemCheckView = z.object({
  verdict: z.enum(VERDICTS),
  category: z.string().nullable(),
  nameZh: z.string().nullable(),
  reason: z.string(),
  rule: z.string().nullable(),
  matchedWords: z.array(z.string()),
  matches: z.array(itemMatch),
});

const compensationBody = z.object({
  kind: z.enum(COMPENSATION_KINDS),
  insured: z.boolean(),
  declaredValue: yuan.optional(),
  postage: yuan,
  claimedLoss: yuan,
});
const compensationView = z.object({
  amount: z.number(),
  basis: z.enum(BASIS_CODES),
  basisZh: z.string(),
  basisEn: z.string(),
  cap: z.number(),
  options: z.array(z.enum(['compensation', 'reshipment'])),
});

const regionView = z.object({ code: z.string(), level: z.enum(['province', 'city', 'county']), name: z.string(), fullName: z.string(), provinceCode: z.string(), cityCode: z.string().nullable() });

const prefix = z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, 'a region code prefix of 2, 4 or 6 digits (44 广东省, 4403 深圳市, 440305 南山区)');
const days = z.number().int().min(0).max(60);
const delayBody = z.object({
  kind: z.enum(DELAY_KINDS),
  name: z.string().trim().min(1).max(100),
  regionPrefixes: z.array(prefix).max(100).default([]).describe('regions affected; empty = nationwide'),
  startsOn: isoDate,
  endsOn: isoDate,
  extraMinDays: days,
  extraMaxDays: days,
  notice: z.string().trim().max(500).nullable().optional().describe('the sentence customers get; default 「{name}期间，快件时效延迟{min}-{max}天，请您谅解。」'),
});
const delayPatch = z.object({
  kind: z.enum(DELAY_KINDS).optional(),
  name: z.string().trim().min(1).max(100).optional(),
  regionPrefixes: z.array(prefix).max(100).optional(),
  startsOn: isoDate.optional(),
  endsOn: isoDate.optional(),
  extraMinDays: days.optional(),
  extraMaxDays: days.optional(),
  notice: z.string().trim().max(500).nullable().optional(),
});
const delayView = z.object({
  id: z.string(),
  kind: z.enum(DELAY_KINDS),
  name: z.string(),
  regionPrefixes: z.array(z.string()),
  startsOn: z.string(),
  endsOn: z.string(),
  extraMinDays: z.number(),
  extraMaxDays: z.number(),
  notice: z.string().nullable(),
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export async function expressToolRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['express tools'];

  r.post('/quotes', {
    schema: { tags, summary: '运费报价 Price quote: zone, chargeable weight (actual vs volumetric), postage, insurance fee (X3)', body: quoteBody, response: { 200: quoteView } },
  }, async (req) => {
    mustUseTools(requireActor(req));
    return quoteShipment(ctx.db.pool, req.body);
  });

  r.post('/delivery-estimates', {
    schema: { tags, summary: '时效预估 Delivery estimate: days by zone and product, route overrides, declared delays; dates and a sentence for the customer (X4)', body: estimateBody, response: { 200: estimateView } },
  }, async (req) => {
    mustUseTools(requireActor(req));
    const { shippedAt, ...rest } = req.body;
    return estimateDeliveryTime(ctx.db.pool, { ...rest, shippedAt: shippedAt ? new Date(shippedAt) : ctx.now() });
  });

  r.post('/item-checks', {
    schema: { tags, summary: '禁寄物品查询 Can I send this? allowed / restricted / prohibited, with the rule and reason (X5)', body: z.object({ description: z.string().max(1000) }), response: { 200: itemCheckView } },
  }, async (req) => {
    mustUseTools(requireActor(req));
    return checkItemDescription(ctx.db.pool, req.body.description);
  });

  r.get('/item-catalogue', {
    schema: { tags, summary: '禁寄/限寄物品目录 The prohibited and restricted item catalogue (edit it as the setting express.item_catalogue)' },
  }, async (req) => {
    mustUseTools(requireActor(req));
    return { items: await getSetting(ctx.db.pool, 'express.item_catalogue') };
  });

  r.post('/compensation-estimates', {
    schema: { tags, summary: '赔付测算 Compensation estimate for loss, damage or delay: insured up to the declared value, uninsured a multiple of the postage (X6)', body: compensationBody, response: { 200: compensationView } },
  }, async (req) => {
    mustUseTools(requireActor(req));
    return estimateClaimCompensation(ctx.db.pool, req.body);
  });

  r.get('/regions', {
    schema: {
      tags,
      summary: '行政区划查询 Regions by name fragment or code prefix, for pickers (GB/T 2260)',
      querystring: z.object({ q: z.string().trim().min(1).max(20), limit: z.coerce.number().int().min(1).max(100).default(20) }),
      response: { 200: z.object({ items: z.array(regionView) }) },
    },
  }, async (req) => {
    mustUseTools(requireActor(req));
    const items = searchRegions(req.query.q, req.query.limit).map((x) => ({ code: x.code, level: x.level, name: x.name, fullName: x.fullName, provinceCode: x.provinceCode, cityCode: x.cityCode }));
    return { items };
  });

  r.get('/delay-periods', {
    schema: {
      tags,
      summary: '时效延迟期 Declared holiday, weather and promotion delay periods',
      querystring: z.object({ activeOn: isoDate.optional().describe('only periods not ended before this date') }),
      response: { 200: z.object({ items: z.array(delayView) }) },
    },
  }, async (req) => {
    mustUseTools(requireActor(req));
    return { items: await listDelayPeriods(ctx.db.pool, { activeOn: req.query.activeOn }) };
  });

  r.get('/delay-periods/:id', { schema: { tags, summary: '时效延迟期详情 One delay period', params: z.object({ id: z.uuid() }), response: { 200: delayView } } }, async (req) => {
    mustUseTools(requireActor(req));
    return getDelayPeriod(ctx.db.pool, req.params.id);
  });

  r.post('/delay-periods', {
    schema: { tags, summary: '声明时效延迟期 Declare a delay period for regions (supervisors, admins; audited)', body: delayBody, response: { 201: delayView } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const row = await withTx(ctx.db, (tx) => createDelayPeriod(tx, actor, req.body));
    return reply.code(201).send(row);
  });

  r.patch('/delay-periods/:id', {
    schema: { tags, summary: '修改时效延迟期 Change a delay period (supervisors, admins; audited)', params: z.object({ id: z.uuid() }), body: delayPatch, response: { 200: delayView } },
  }, async (req) => {
    const actor = requireActor(req);
    return withTx(ctx.db, (tx) => updateDelayPeriod(tx, actor, req.params.id, req.body));
  });

  r.delete('/delay-periods/:id', { schema: { tags, summary: '撤销时效延迟期 Withdraw a delay period (supervisors, admins; audited)', params: z.object({ id: z.uuid() }) } }, async (req, reply) => {
    const actor = requireActor(req);
    await withTx(ctx.db, (tx) => deleteDelayPeriod(tx, actor, req.params.id));
    return reply.code(204).send();
  });
}
