/**
 * Settings of the express tools (SPEC X3–X6): tariff, transit days and route overrides, zones,
 * compensation policy and the prohibited/restricted item catalogue. Spread into SETTINGS, so they
 * are read and changed through the settings API like every other setting (supervisors, admins)
 * and apply without a restart.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { DEFAULT_COMPENSATION_POLICY } from '../../domain/express/compensation.ts';
import { DEFAULT_ROUTE_OVERRIDES, DEFAULT_TRANSIT_DAYS } from '../../domain/express/delivery-estimate.ts';
import { DEFAULT_ITEM_CATALOGUE } from '../../domain/express/item-check.ts';
import { DEFAULT_TARIFF, PRODUCTS } from '../../domain/express/quote.ts';
import { ZONES } from '../../domain/express/regions.ts';

const zonePrice = z.object({
  firstWeightKg: z.number().positive(),
  firstPrice: z.number().nonnegative(),
  additionalUnitKg: z.number().positive(),
  additionalPrice: z.number().nonnegative(),
});
const dayRange = z
  .object({ minDays: z.number().int().min(0).max(60), maxDays: z.number().int().min(0).max(60) })
  .refine((d) => d.maxDays >= d.minDays, 'maxDays must be ≥ minDays');
const prefix = z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, 'a region code prefix of 2, 4 or 6 digits');
const product = z.enum(PRODUCTS);

const tariff = z.object({
  volumetricDivisor: z.number().positive(),
  stepKg: z.number().positive(),
  maxWeightKg: z.number().positive(),
  maxSideCm: z.number().positive(),
  insurance: z.object({ rate: z.number().min(0).max(1), minimumFee: z.number().nonnegative(), maxDeclaredValue: z.number().positive() }),
  prices: z.record(product, z.partialRecord(z.enum(ZONES), zonePrice)),
});

const routeOverride = z
  .object({ from: prefix, to: prefix, product, minDays: z.number().int().min(0).max(60), maxDays: z.number().int().min(0).max(60), note: z.string().max(200).optional() })
  .refine((d) => d.maxDays >= d.minDays, 'maxDays must be ≥ minDays');

const catalogueEntry = z.object({
  code: z.string().min(1).max(60),
  category: z.string().min(1).max(60),
  nameZh: z.string().min(1).max(100),
  verdict: z.enum(['prohibited', 'restricted']),
  keywords: z.array(z.string().min(1).max(40)).min(1),
  exceptions: z.array(z.string().min(1).max(40)).optional(),
  innocentAfter: z.array(z.string().min(1).max(40)).optional(),
  reason: z.string().min(1).max(500),
  rule: z.string().min(1).max(200),
});

export const expressSettings = {
  'express.tariff': { schema: tariff, default: DEFAULT_TARIFF },
  'express.transit_days': { schema: z.record(product, z.partialRecord(z.enum(ZONES), dayRange)), default: DEFAULT_TRANSIT_DAYS },
  'express.route_overrides': { schema: z.array(routeOverride), default: DEFAULT_ROUTE_OVERRIDES },
  // Remote provinces (two-digit prefixes) are our default, not a seed fact: 内蒙古、西藏、甘肃、青海、宁夏、新疆.
  // Not served by the domestic tariff: 台湾、香港、澳门.
  'express.zones': {
    schema: z.object({ remoteProvinces: z.array(z.string().regex(/^\d{2}$/)), unservedProvinces: z.array(z.string().regex(/^\d{2}$/)), timeZone: z.string().refine((tz) => IANAZone.isValidZone(tz), 'an IANA time zone such as Asia/Shanghai') }),
    default: { remoteProvinces: ['15', '54', '62', '63', '64', '65'], unservedProvinces: ['71', '81', '82'], timeZone: 'Asia/Shanghai' },
  },
  // Seed 000: uninsured 3–5× the postage (default 3×); delay refunds the postage (GB/T 27917.3).
  'express.compensation': {
    schema: z.object({ uninsuredPostageMultiple: z.number().min(3).max(5), delayPostageRefundShare: z.number().min(0).max(1) }),
    default: DEFAULT_COMPENSATION_POLICY,
  },
  'express.item_catalogue': { schema: z.array(catalogueEntry), default: DEFAULT_ITEM_CATALOGUE },
} as const;
