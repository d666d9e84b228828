import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE_OVERRIDES, DEFAULT_TRANSIT_DAYS, estimateDelivery, findRouteOverride, type DelayPeriod, type EstimateRules } from '../../../src/domain/express/delivery-estimate.ts';
import type { Product } from '../../../src/domain/express/quote.ts';

const BJ = '110105';
const BJ2 = '110108';
const SH = '310115';
const HZ = '330106';
const NB = '330203';
const GZ = '440106'; // 广州天河
const LS = '540102';

const rules = (delayPeriods: DelayPeriod[] = [], extra: Partial<EstimateRules> = {}): EstimateRules => ({
  transitDays: DEFAULT_TRANSIT_DAYS,
  routeOverrides: DEFAULT_ROUTE_OVERRIDES,
  remoteProvinces: ['54', '65'],
  delayPeriods,
  timeZone: 'Asia/Shanghai',
  ...extra,
});

// 2026-11-23 10:00 in Shanghai (a Monday).
const MON = new Date('2026-11-23T02:00:00Z');

const est = (origin: string, destination: string, product?: Product, shippedAt = MON, r = rules()) => estimateDelivery({ origin, destination, product, shippedAt }, r);

describe('days by zone and product (seed 004 第四章 and our defaults)', () => {
  it.each<[string, string, Product | undefined, string, number, number, string, string]>([
    [BJ, BJ2, undefined, 'same_city', 1, 2, '2026-11-24', '2026-11-25'],
    [HZ, NB, 'standard', 'in_province', 2, 3, '2026-11-25', '2026-11-26'],
    [HZ, GZ, 'standard', 'inter_province', 3, 5, '2026-11-26', '2026-11-28'],
    [BJ, LS, 'standard', 'remote', 5, 8, '2026-11-28', '2026-12-01'],
    [BJ, BJ2, 'express', 'same_city', 1, 1, '2026-11-24', '2026-11-24'],
    [HZ, NB, 'express', 'in_province', 2, 2, '2026-11-25', '2026-11-25'],
    [HZ, GZ, 'express', 'inter_province', 3, 3, '2026-11-26', '2026-11-26'],
    [BJ, LS, 'express', 'remote', 4, 5, '2026-11-27', '2026-11-28'],
    [BJ, BJ2, 'same_day', 'same_city', 0, 0, '2026-11-23', '2026-11-23'],
    [HZ, GZ, 'next_day', 'inter_province', 1, 1, '2026-11-24', '2026-11-24'],
    [HZ, NB, 'cold_chain', 'in_province', 1, 2, '2026-11-24', '2026-11-25'],
  ])('%s → %s %s: %s %s–%s days, %s … %s', (o, d, product, zone, min, max, earliest, latest) => {
    const e = est(o, d, product);
    expect(e).toMatchObject({ zone, minDays: min, maxDays: max, earliest, latest, shippedOn: '2026-11-23', delays: [], routeOverride: null });
  });

  it('refuses a product not offered in the zone', () => {
    expect(() => est(HZ, GZ, 'same_day')).toThrow('same_day (当日达) is not offered for inter_province (省际)');
    expect(() => est(BJ, LS, 'cold_chain')).toThrow('cold_chain (冷链快递) is not offered for remote (偏远地区); offered there: standard, express');
  });

  it('refuses unknown regions', () => {
    expect(() => est('999999', BJ)).toThrow('origin 999999 is not a known region code');
  });
});

describe('route overrides', () => {
  it('北京 → 上海 standard = 2 days (seed 000), not the 3–5 of 省际', () => {
    const e = est(BJ, SH);
    expect(e).toMatchObject({ zone: 'inter_province', minDays: 2, maxDays: 2, earliest: '2026-11-25', latest: '2026-11-25' });
    expect(e.routeOverride?.from).toBe('1101');
    expect(e.sentence).toBe('北京寄上海，标准快递预计2天到达，您的快件预计于11月25日送达。');
  });
  it('does not apply the other way, nor to another product', () => {
    expect(est(SH, BJ)).toMatchObject({ minDays: 3, maxDays: 5, routeOverride: null });
    expect(est(BJ, SH, 'express')).toMatchObject({ minDays: 3, maxDays: 3, routeOverride: null });
  });
  it('the most precise prefix pair wins', () => {
    const overrides = [
      { from: '11', to: '31', product: 'standard' as const, minDays: 3, maxDays: 3 },
      { from: '1101', to: '3101', product: 'standard' as const, minDays: 1, maxDays: 2 },
      { from: '11', to: '44', product: 'standard' as const, minDays: 2, maxDays: 3 },
    ];
    expect(findRouteOverride(overrides, BJ, SH, 'standard')?.minDays).toBe(1);
    expect(findRouteOverride(overrides, BJ, GZ, 'standard')?.minDays).toBe(2);
    expect(findRouteOverride(overrides, HZ, GZ, 'standard')).toBeNull();
    expect(est(BJ, GZ, 'standard', MON, rules([], { routeOverrides: overrides }))).toMatchObject({ minDays: 2, maxDays: 3 });
  });
});

describe('delay periods', () => {
  const springFestival: DelayPeriod = { kind: 'holiday', name: '春节', regionPrefixes: [], startsOn: '2027-02-05', endsOn: '2027-02-12', extraMinDays: 1, extraMaxDays: 3 };
  const snowNE: DelayPeriod = { kind: 'weather', name: '东北暴雪', regionPrefixes: ['21', '22', '23'], startsOn: '2026-11-24', endsOn: '2026-11-26', extraMinDays: 1, extraMaxDays: 2, notice: '受暴雪天气影响，东北地区快件延误1-2天，请您谅解。' };
  const d11: DelayPeriod = { kind: 'promotion', name: '双11', regionPrefixes: [], startsOn: '2026-11-11', endsOn: '2026-11-20', extraMinDays: 1, extraMaxDays: 2 };

  it('春节 +1–3 days when the transit window touches it (seed 000)', () => {
    const e = est(HZ, GZ, 'standard', new Date('2027-02-03T03:00:00Z'), rules([springFestival]));
    expect(e).toMatchObject({ baseMinDays: 3, baseMaxDays: 5, minDays: 4, maxDays: 8, earliest: '2027-02-07', latest: '2027-02-11' });
    expect(e.delays.map((x) => x.name)).toEqual(['春节']);
    expect(e.sentence).toBe('杭州寄广州，标准快递预计4-8天到达，您的快件预计于2月7日至2月11日送达。春节期间，快件时效延迟1-3天，请您谅解。');
    expect(e.sentenceEn).toBe('Standard: about 4–8 days; your parcel should arrive between 7 Feb 2027 and 11 Feb 2027. Includes delays for 春节.');
  });

  it.each([
    ['shipped the day the window reaches the period start', '2027-02-02T03:00:00Z', true], // 02-02 + 3 = 02-05
    ['shipped a day earlier: window ends before', '2027-02-01T03:00:00Z', false],
    ['shipped on the last day', '2027-02-12T03:00:00Z', true],
    ['shipped the day after', '2027-02-13T03:00:00Z', false],
  ])('overlap: %s', (_label, at, applies) => {
    const e = est(HZ, NB, 'standard', new Date(at), rules([springFestival]));
    expect(e.delays.length).toBe(applies ? 1 : 0);
  });

  it('regional periods apply when either end is in the region', () => {
    const sy = '210102'; // 沈阳和平
    expect(est(BJ, sy, 'standard', MON, rules([snowNE])).delays).toHaveLength(1);
    expect(est(sy, BJ, 'standard', MON, rules([snowNE])).delays).toHaveLength(1);
    expect(est(BJ, SH, 'standard', MON, rules([snowNE])).delays).toHaveLength(0);
  });

  it("a period's own notice replaces the generic sentence", () => {
    const e = est(BJ, '210102', 'standard', MON, rules([snowNE]));
    expect(e.sentence.endsWith('受暴雪天气影响，东北地区快件延误1-2天，请您谅解。')).toBe(true);
    expect(e).toMatchObject({ minDays: 3 + 1, maxDays: 5 + 2 });
  });

  it('several periods add up; a past one does not count', () => {
    const storm: DelayPeriod = { ...snowNE, regionPrefixes: [], name: '寒潮' };
    const e = est(HZ, GZ, 'standard', MON, rules([storm, d11, { ...storm, name: '大雾', extraMinDays: 0, extraMaxDays: 1 }]));
    expect(e.delays.map((x) => x.name)).toEqual(['寒潮', '大雾']);
    expect(e).toMatchObject({ minDays: 4, maxDays: 8 });
  });

  it('route overrides are shifted too', () => {
    const e = est(BJ, SH, 'standard', new Date('2027-02-04T03:00:00Z'), rules([springFestival]));
    expect(e).toMatchObject({ baseMinDays: 2, baseMaxDays: 2, minDays: 3, maxDays: 5 });
  });
});

describe('dates in the time zone', () => {
  it('a parcel shipped at 23:30 Beijing time counts from that local day', () => {
    const e = est(BJ, BJ2, 'standard', new Date('2026-11-23T15:30:00Z')); // 23:30 on the 23rd in Shanghai
    expect(e.shippedOn).toBe('2026-11-23');
    const next = est(BJ, BJ2, 'standard', new Date('2026-11-23T16:30:00Z')); // 00:30 on the 24th
    expect(next.shippedOn).toBe('2026-11-24');
  });
  it('crosses months and years', () => {
    expect(est(HZ, GZ, 'standard', new Date('2026-12-30T02:00:00Z'))).toMatchObject({ earliest: '2027-01-02', latest: '2027-01-04' });
  });
  it('same-day sentence', () => {
    expect(est(BJ, BJ2, 'same_day').sentence).toBe('北京寄北京，当日达当天送达，您的快件预计于11月23日送达。');
  });
  it('refuses an invalid time and an unknown zone', () => {
    expect(() => est(BJ, BJ2, 'standard', new Date('nope'))).toThrow('shippedAt is not a valid time');
    expect(() => est(BJ, BJ2, 'standard', MON, rules([], { timeZone: 'Mars/Olympus' }))).toThrow('time zone Mars/Olympus is not known');
  });
});
