import { describe, expect, it } from 'vitest';
import { DEFAULT_TARIFF, PRODUCTS, productsFor, quote, QuoteError, type Product, type QuoteInput, type Tariff } from '../../../src/domain/express/quote.ts';
import { fenTimesRate, toFen, toYuan } from '../../../src/domain/express/money.ts';

const REMOTE = ['54', '65'];
const BJ = '110105'; // 北京朝阳
const BJ2 = '110108'; // 北京海淀
const SH = '310115'; // 上海浦东
const HZ = '330106'; // 杭州西湖
const NB = '330203'; // 宁波海曙
const LS = '540102'; // 拉萨城关

const q = (input: Partial<QuoteInput>, tariff: Tariff = DEFAULT_TARIFF) => quote({ origin: BJ, destination: BJ2, weightKg: 1, ...input }, tariff, REMOTE);

describe('money', () => {
  it.each([
    [0.1, 10],
    [12.34, 1234],
    [0.29, 29],
    [1.01, 101],
    [19.99, 1999],
    [100, 10000],
  ])('toFen(%s) = %s', (y, f) => expect(toFen(y)).toBe(f));
  it('toYuan gives two decimals', () => {
    expect(toYuan(1234)).toBe(12.34);
    expect(toYuan(10)).toBe(0.1);
  });
  it.each([
    [10000, 0.005, 50],
    [12345, 0.005, 62], // 61.725 → half up
    [12300, 0.005, 62], // 61.5 → 62
    [12299, 0.005, 61],
    [1000, 3, 3000],
    [333, 0.5, 167],
  ])('fenTimesRate(%s, %s) = %s', (fen, rate, out) => expect(fenTimesRate(fen, rate)).toBe(out));
});

describe('quote: the seed examples', () => {
  it('2 kg 同城 standard = 12 元 (first 1 kg 10 元 + 1 started kg × 2 元)', () => {
    const r = q({ weightKg: 2 });
    expect(r).toMatchObject({ zone: 'same_city', product: 'standard', chargeableWeightKg: 2, postage: 12, insuranceFee: 0, total: 12, additionalUnits: 1 });
    expect(r.sentence).toBe('标准快递同城首重1公斤10元，续重每公斤2元，您的快件2公斤，总费用12元。');
    expect(r.sentenceEn).toBe('Standard, same city: first 1 kg 10 yuan, each further started 1 kg 2 yuan; chargeable 2 kg; total 12 yuan.');
  });
  it('the sentence names a chargeable weight above the actual one, and the insurance fee', () => {
    const r = q({ weightKg: 1.2, declaredValue: 1000 });
    expect(r.sentence).toBe('标准快递同城首重1公斤10元，续重每公斤2元，您的快件计费重量1.5公斤，运费12元，保价费5元，总费用17元。');
    expect(r.sentenceEn).toContain('total 17 yuan including 5 yuan insurance');
  });
  it('北京 → 上海 2 kg standard is 12 元 too (the seed quotes it on that route)', () => {
    expect(q({ destination: SH, weightKg: 2 })).toMatchObject({ zone: 'inter_province', postage: 12, total: 12 });
  });
});

describe('quote: weight, steps and started units', () => {
  it.each([
    [0.001, 0.5, 10],
    [0.3, 0.5, 10],
    [0.5, 0.5, 10], // exactly on a step
    [0.51, 1, 10],
    [1, 1, 10], // exactly the first weight
    [1.01, 1.5, 12], // a started kg
    [1.5, 1.5, 12],
    [2, 2, 12],
    [2.3, 2.5, 14],
    [2.5, 2.5, 14],
    [3, 3, 14],
    [3.001, 3.5, 16], // one gram over a step
    [10, 10, 28],
    [49.9, 50, 108],
    [50, 50, 108], // the maximum, exactly
  ])('%s kg → chargeable %s kg, postage %s 元 (同城 standard)', (kg, chargeable, postage) => {
    const r = q({ weightKg: kg });
    expect(r.chargeableWeightKg).toBe(chargeable);
    expect(r.postage).toBe(postage);
    expect(r.total).toBe(postage);
  });

  it('weights are kept to the gram: 3.0001 kg is 3 kg', () => {
    expect(q({ weightKg: 3.0001 })).toMatchObject({ actualWeightKg: 3, chargeableWeightKg: 3, postage: 14 });
  });

  it('a step of 1 kg and 0.1 kg', () => {
    expect(q({ weightKg: 1.2 }, { ...DEFAULT_TARIFF, stepKg: 1 }).chargeableWeightKg).toBe(2);
    expect(q({ weightKg: 1.23 }, { ...DEFAULT_TARIFF, stepKg: 0.1 }).chargeableWeightKg).toBe(1.3);
    expect(q({ weightKg: 1.2 }, { ...DEFAULT_TARIFF, stepKg: 0.1 }).chargeableWeightKg).toBe(1.2);
  });

  it('a first weight of 3 kg and additional units of 0.5 kg', () => {
    const t: Tariff = { ...DEFAULT_TARIFF, prices: { ...DEFAULT_TARIFF.prices, standard: { same_city: { firstWeightKg: 3, firstPrice: 8, additionalUnitKg: 0.5, additionalPrice: 1.5 } } } };
    expect(q({ weightKg: 2 }, t).postage).toBe(8);
    expect(q({ weightKg: 3 }, t).postage).toBe(8);
    expect(q({ weightKg: 3.2 }, t)).toMatchObject({ chargeableWeightKg: 3.5, additionalUnits: 1, postage: 9.5 });
    expect(q({ weightKg: 4.1 }, t)).toMatchObject({ chargeableWeightKg: 4.5, additionalUnits: 3, postage: 12.5 });
  });
});

describe('quote: volumetric weight', () => {
  it.each([
    // L, W, H, actual kg → volumetric kg, chargeable kg, postage
    [30, 20, 10, 0.5, 1, 1, 10], // 6000 cm³ / 6000 = 1 kg
    [40, 30, 20, 1, 4, 4, 16], // 24000 / 6000 = 4 kg beats 1 kg actual
    [40, 30, 20, 5, 4, 5, 18], // actual beats volumetric
    [10, 10, 10, 0.2, 0.167, 0.5, 10], // 1000/6000 = 0.1667 kg → 167 g
    [35, 25, 15, 1, 2.188, 2.5, 14], // 13125/6000 = 2.1875 → 2188 g → 2.5 kg
    [60, 40, 25, 2, 10, 10, 28], // 60000 / 6000 = 10 exactly (on a step)
    [30.5, 20, 10, 0.5, 1.017, 1.5, 12], // decimals in dimensions
  ])('%s×%s×%s cm at %s kg → volumetric %s kg, chargeable %s kg, %s 元', (l, w, h, kg, vol, chargeable, postage) => {
    const r = q({ weightKg: kg, lengthCm: l, widthCm: w, heightCm: h });
    expect(r.volumetricWeightKg).toBe(vol);
    expect(r.chargeableWeightKg).toBe(chargeable);
    expect(r.postage).toBe(postage);
  });

  it('without dimensions there is no volumetric weight', () => {
    expect(q({ weightKg: 1 }).volumetricWeightKg).toBeNull();
  });

  it('uses the divisor of the tariff (8000)', () => {
    expect(q({ weightKg: 1, lengthCm: 40, widthCm: 40, heightCm: 40 }, { ...DEFAULT_TARIFF, volumetricDivisor: 8000 }).volumetricWeightKg).toBe(8);
  });

  it.each([
    [{ lengthCm: 30 }],
    [{ lengthCm: 30, widthCm: 20 }],
    [{ widthCm: 20, heightCm: 10 }],
  ])('refuses some dimensions without the others: %j', (dims) => {
    expect(() => q({ weightKg: 1, ...dims })).toThrow('give all three of lengthCm, widthCm and heightCm');
  });
});

describe('quote: zones and products', () => {
  it.each<[string, string, Product, string, number]>([
    [BJ, BJ2, 'standard', 'same_city', 12],
    [HZ, NB, 'standard', 'in_province', 12],
    [BJ, SH, 'standard', 'inter_province', 12],
    [BJ, LS, 'standard', 'remote', 26],
    [BJ, BJ2, 'express', 'same_city', 18],
    [HZ, NB, 'express', 'in_province', 22],
    [BJ, SH, 'express', 'inter_province', 28],
    [BJ, LS, 'express', 'remote', 42],
    [BJ, BJ2, 'same_day', 'same_city', 30],
    [BJ, BJ2, 'next_day', 'same_city', 22],
    [HZ, NB, 'next_day', 'in_province', 25],
    [BJ, SH, 'next_day', 'inter_province', 33],
    [BJ, BJ2, 'cold_chain', 'same_city', 25],
    [HZ, NB, 'cold_chain', 'in_province', 31],
    [BJ, SH, 'cold_chain', 'inter_province', 40],
  ])('%s → %s %s is %s: 2 kg costs %s 元', (origin, destination, product, zone, postage) => {
    expect(quote({ origin, destination, weightKg: 2, product }, DEFAULT_TARIFF, REMOTE)).toMatchObject({ zone, product, postage });
  });

  it.each<[string, string, Product, string]>([
    [HZ, NB, 'same_day', 'same_day (当日达) is not offered for in_province (省内); offered there: standard, express, next_day, cold_chain'],
    [BJ, SH, 'same_day', 'same_day (当日达) is not offered for inter_province (省际)'],
    [BJ, LS, 'next_day', 'next_day (次日达) is not offered for remote (偏远地区); offered there: standard, express'],
    [BJ, LS, 'cold_chain', 'cold_chain (冷链快递) is not offered for remote'],
  ])('%s → %s %s is refused', (origin, destination, product, message) => {
    expect(() => quote({ origin, destination, weightKg: 1, product }, DEFAULT_TARIFF, REMOTE)).toThrow(message);
  });

  it('productsFor lists what a zone offers', () => {
    expect(productsFor(DEFAULT_TARIFF, 'same_city')).toEqual([...PRODUCTS]);
    expect(productsFor(DEFAULT_TARIFF, 'remote')).toEqual(['standard', 'express']);
  });
});

describe('quote: insurance', () => {
  it.each([
    [undefined, false, 0],
    [0, false, 0],
    [50, true, 1], // 0.25 元 → the 1 元 minimum
    [200, true, 1], // exactly 1 元
    [201, true, 1.01], // 1.005 → half up
    [1000, true, 5],
    [1234.56, true, 6.17], // 6.1728 → 6.17
    [50000, true, 250], // the maximum
  ])('declared value %s → insured %s, fee %s 元', (declaredValue, insured, fee) => {
    const r = q({ weightKg: 2, declaredValue });
    expect(r.insured).toBe(insured);
    expect(r.insuranceFee).toBe(fee);
    expect(r.total).toBe(toYuan(toFen(12) + toFen(fee)));
  });
  it('refuses a declared value above the limit, or negative', () => {
    expect(() => q({ declaredValue: 50000.01 })).toThrow('exceeds the 50000 元 that can be insured');
    expect(() => q({ declaredValue: -1 })).toThrow('declaredValue must be 0 or more');
  });
  it('uses the rate and minimum of the tariff', () => {
    const t: Tariff = { ...DEFAULT_TARIFF, insurance: { rate: 0.01, minimumFee: 2, maxDeclaredValue: 1000 } };
    expect(q({ declaredValue: 100 }, t).insuranceFee).toBe(2);
    expect(q({ declaredValue: 900 }, t).insuranceFee).toBe(9);
  });
});

describe('quote: bad input and refused parcels', () => {
  it.each<[Partial<QuoteInput>, string, string]>([
    [{ weightKg: 0 }, 'weightKg', 'weightKg must be greater than 0 kg (got 0)'],
    [{ weightKg: -2 }, 'weightKg', 'weightKg must be greater than 0 kg (got -2)'],
    [{ weightKg: Number.NaN }, 'weightKg', 'weightKg must be a number'],
    [{ weightKg: Number.POSITIVE_INFINITY }, 'weightKg', 'weightKg must be a number'],
    [{ weightKg: 50.01 }, 'weightKg', 'chargeable weight 50.5 kg exceeds the 50 kg accepted per piece'],
    [{ weightKg: 1000 }, 'weightKg', 'exceeds the 50 kg accepted per piece'],
    [{ weightKg: 1, lengthCm: 100, widthCm: 60, heightCm: 60 }, 'weightKg', 'chargeable weight 60 kg exceeds'], // volumetric too heavy
    [{ weightKg: 1, lengthCm: 151, widthCm: 10, heightCm: 10 }, 'lengthCm', 'a side of 151 cm exceeds the 150 cm'],
    [{ weightKg: 1, lengthCm: -30, widthCm: 20, heightCm: 10 }, 'lengthCm', 'lengthCm must be greater than 0 cm'],
    [{ weightKg: 1, lengthCm: 30, widthCm: 0, heightCm: 10 }, 'widthCm', 'widthCm must be greater than 0 cm'],
  ])('%j → %s: %s', (input, field, message) => {
    try {
      q(input);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(QuoteError);
      expect((err as QuoteError).field).toBe(field);
      expect((err as Error).message).toContain(message);
    }
  });
  it('unknown regions', () => {
    expect(() => q({ origin: '999999' })).toThrow('origin 999999 is not a known region code');
    expect(() => q({ destination: '12345' })).toThrow('destination 12345 is not a known region code');
  });
});
