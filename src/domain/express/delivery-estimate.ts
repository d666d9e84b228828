// Delivery-time estimate (SPEC X4): calendar days by zone and product, route overrides for fast
// trunk lines, shifted by declared delay periods (holiday, weather, promotion) that touch the
// transit window. `shippedAt` is passed in (no clock here); dates are local to the time zone.
import { DateTime } from 'luxon';
import { regionOrThrow, zoneOf, ZONE_NAMES_ZH, type Region, type Zone } from './regions.ts';
import { PRODUCT_NAMES, type Product } from './quote.ts';

export interface DayRange {
  minDays: number;
  maxDays: number;
}

export type TransitTable = Record<Product, Partial<Record<Zone, DayRange>>>;

const d = (minDays: number, maxDays: number): DayRange => ({ minDays, maxDays });

/**
 * Defaults. Seed 004 第四章 1.1.12: standard 同城 1–2 days, 省内 2–3, 省际 3–5; 加急 1 / 2 / 3.
 * Ours, not seed facts: remote standard 5–8 and express 4–5; same-day 0; next-day 1; cold chain
 * 1 / 1–2 / 2–3 and not to remote regions (matching the default tariff).
 */
export const DEFAULT_TRANSIT_DAYS: TransitTable = {
  standard: { same_city: d(1, 2), in_province: d(2, 3), inter_province: d(3, 5), remote: d(5, 8) },
  express: { same_city: d(1, 1), in_province: d(2, 2), inter_province: d(3, 3), remote: d(4, 5) },
  same_day: { same_city: d(0, 0) },
  next_day: { same_city: d(1, 1), in_province: d(1, 1), inter_province: d(1, 1) },
  cold_chain: { same_city: d(1, 1), in_province: d(1, 2), inter_province: d(2, 3) },
};

/** A fast trunk line: origin and destination code prefixes (2 or 4 digits), one product. */
export interface RouteOverride {
  from: string;
  to: string;
  product: Product;
  minDays: number;
  maxDays: number;
  note?: string | undefined;
}

/** Seed 000 三、(一): 「北京寄上海,标准件预计2天到达」. */
export const DEFAULT_ROUTE_OVERRIDES: RouteOverride[] = [{ from: '1101', to: '3101', product: 'standard', minDays: 2, maxDays: 2, note: '北京寄上海,标准件预计2天到达(服务规范 三、(一))' }];

export const DELAY_KINDS = ['holiday', 'weather', 'promotion'] as const;
export type DelayKind = (typeof DELAY_KINDS)[number];

export interface DelayPeriod {
  id?: string | undefined;
  kind: DelayKind;
  name: string;
  /** Code prefixes (2, 4 or 6 digits) of the regions affected; empty = nationwide. */
  regionPrefixes: string[];
  /** Local dates, inclusive: YYYY-MM-DD. */
  startsOn: string;
  endsOn: string;
  extraMinDays: number;
  extraMaxDays: number;
  notice?: string | null | undefined;
}

export interface EstimateInput {
  origin: string;
  destination: string;
  product?: Product | undefined;
  shippedAt: Date;
}

export interface EstimateRules {
  transitDays: TransitTable;
  routeOverrides: RouteOverride[];
  remoteProvinces: readonly string[];
  delayPeriods: DelayPeriod[];
  timeZone: string;
}

export interface AppliedDelay {
  id: string | null;
  kind: DelayKind;
  name: string;
  extraMinDays: number;
  extraMaxDays: number;
  notice: string | null;
}

export interface Estimate {
  zone: Zone;
  zoneNameZh: string;
  product: Product;
  baseMinDays: number;
  baseMaxDays: number;
  routeOverride: RouteOverride | null;
  delays: AppliedDelay[];
  minDays: number;
  maxDays: number;
  shippedOn: string;
  earliest: string;
  latest: string;
  sentence: string;
  sentenceEn: string;
}

export class EstimateError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'EstimateError';
  }
}

const matchesPrefix = (code: string, prefix: string): boolean => code.startsWith(prefix);

/** The override whose prefixes match most precisely (longest from + to), or null. */
export function findRouteOverride(overrides: readonly RouteOverride[], origin: string, destination: string, product: Product): RouteOverride | null {
  let best: RouteOverride | null = null;
  for (const o of overrides) {
    if (o.product !== product || !matchesPrefix(origin, o.from) || !matchesPrefix(destination, o.to)) continue;
    if (!best || o.from.length + o.to.length > best.from.length + best.to.length) best = o;
  }
  return best;
}

/** Whether a period touches a region at either end of the route (empty prefixes: everywhere). */
function touchesRoute(period: DelayPeriod, origin: string, destination: string): boolean {
  if (period.regionPrefixes.length === 0) return true;
  return period.regionPrefixes.some((p) => matchesPrefix(origin, p) || matchesPrefix(destination, p));
}

/**
 * The estimate. Delay periods count when they overlap the transit window [shipping date, shipping
 * date + base max days] and touch the route; the extra days of all such periods add up (a snow
 * storm during Spring Festival delays twice). Days are calendar days from the local shipping date.
 */
export function estimateDelivery(input: EstimateInput, rules: EstimateRules): Estimate {
  const o = regionOrThrow('origin', input.origin);
  const dst = regionOrThrow('destination', input.destination);
  if (Number.isNaN(input.shippedAt.getTime())) throw new EstimateError('shippedAt', 'shippedAt is not a valid time');
  const zone = zoneOf(input.origin, input.destination, rules.remoteProvinces);
  const product = input.product ?? 'standard';
  const base = rules.transitDays[product][zone];
  if (!base) {
    const offered = (Object.keys(rules.transitDays) as Product[]).filter((p) => rules.transitDays[p][zone]);
    throw new EstimateError('product', `${product} (${PRODUCT_NAMES[product].zh}) is not offered for ${zone} (${ZONE_NAMES_ZH[zone]}); offered there: ${offered.join(', ') || 'none'}`);
  }
  const override = findRouteOverride(rules.routeOverrides, input.origin, input.destination, product);
  const baseMin = override ? override.minDays : base.minDays;
  const baseMax = override ? override.maxDays : base.maxDays;

  const shipped = DateTime.fromJSDate(input.shippedAt, { zone: rules.timeZone }).startOf('day');
  if (!shipped.isValid) throw new EstimateError('timeZone', `time zone ${rules.timeZone} is not known`);
  const shippedOn = shipped.toISODate()!;
  const windowEnd = shipped.plus({ days: baseMax }).toISODate()!;

  const delays: AppliedDelay[] = [];
  for (const p of rules.delayPeriods) {
    // ISO dates compare as strings.
    const overlaps = p.startsOn <= windowEnd && p.endsOn >= shippedOn;
    if (!overlaps || !touchesRoute(p, input.origin, input.destination)) continue;
    delays.push({ id: p.id ?? null, kind: p.kind, name: p.name, extraMinDays: p.extraMinDays, extraMaxDays: p.extraMaxDays, notice: p.notice ?? null });
  }
  const minDays = baseMin + delays.reduce((s, x) => s + x.extraMinDays, 0);
  const maxDays = baseMax + delays.reduce((s, x) => s + x.extraMaxDays, 0);
  const earliest = shipped.plus({ days: minDays });
  const latest = shipped.plus({ days: maxDays });

  return {
    zone,
    zoneNameZh: ZONE_NAMES_ZH[zone],
    product,
    baseMinDays: baseMin,
    baseMaxDays: baseMax,
    routeOverride: override,
    delays,
    minDays,
    maxDays,
    shippedOn,
    earliest: earliest.toISODate()!,
    latest: latest.toISODate()!,
    sentence: sentenceZh(o, dst, product, minDays, maxDays, earliest, latest, delays),
    sentenceEn: sentenceEn(product, minDays, maxDays, earliest, latest, delays),
  };
}

const zhDate = (dt: DateTime): string => `${dt.month}月${dt.day}日`;
const enDate = (dt: DateTime): string => dt.setLocale('en-GB').toFormat('d LLL yyyy');
const dayRangeZh = (a: number, b: number): string => (a === b ? `${a}天` : `${a}-${b}天`);

/** The city (or municipality) a customer names: 北京市, 杭州市, 仙桃市. */
function placeName(r: Region): string {
  if (r.level === 'province') return r.provinceName;
  if (r.cityName && !/县|直辖/.test(r.cityName)) return r.cityName;
  return r.level === 'county' ? r.name : r.provinceName;
}

/** In the seeds' words: 「北京寄上海，标准件预计2天到达」and「春节期间，快件时效延迟1-3天，请您谅解」. */
function sentenceZh(o: Region, dst: Region, product: Product, minDays: number, maxDays: number, earliest: DateTime, latest: DateTime, delays: AppliedDelay[]): string {
  const from = placeName(o).replace(/市$/, '');
  const to = placeName(dst).replace(/市$/, '');
  const when = minDays === maxDays ? `${zhDate(earliest)}` : `${zhDate(earliest)}至${zhDate(latest)}`;
  const arrive = minDays === 0 && maxDays === 0 ? '当天送达' : `预计${dayRangeZh(minDays, maxDays)}到达`;
  let s = `${from}寄${to}，${PRODUCT_NAMES[product].zh}${arrive}，您的快件预计于${when}送达。`;
  for (const x of delays) {
    s += x.notice?.trim() ? x.notice.trim() : `${x.name}期间，快件时效延迟${dayRangeZh(x.extraMinDays, x.extraMaxDays)}，请您谅解。`;
  }
  return s;
}

function sentenceEn(product: Product, minDays: number, maxDays: number, earliest: DateTime, latest: DateTime, delays: AppliedDelay[]): string {
  const days = minDays === maxDays ? `${minDays} day${minDays === 1 ? '' : 's'}` : `${minDays}–${maxDays} days`;
  const when = minDays === maxDays ? `on ${enDate(earliest)}` : `between ${enDate(earliest)} and ${enDate(latest)}`;
  let s = `${PRODUCT_NAMES[product].en}: about ${days}; your parcel should arrive ${when}.`;
  if (delays.length) s += ` Includes delays for ${delays.map((x) => x.name).join(', ')}.`;
  return s;
}
