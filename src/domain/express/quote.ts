// Price quote (SPEC X3): first weight + additional weight per started unit, by zone and product;
// chargeable weight = max(actual, volumetric) rounded up to the tariff's step; insurance fee on
// the declared value. The tariff is data (a setting); weights are computed in integer grams and
// money in integer fen.
import { fenTimesRate, toFen, toYuan } from './money.ts';
import { regionOrThrow, zoneOf, ZONE_NAMES_ZH, type Zone } from './regions.ts';

export const PRODUCTS = ['standard', 'express', 'same_day', 'next_day', 'cold_chain'] as const;
export type Product = (typeof PRODUCTS)[number];

export const PRODUCT_NAMES: Record<Product, { zh: string; en: string }> = {
  standard: { zh: '标准快递', en: 'Standard' },
  express: { zh: '加急快递', en: 'Express' },
  same_day: { zh: '当日达', en: 'Same day' },
  next_day: { zh: '次日达', en: 'Next day' },
  cold_chain: { zh: '冷链快递', en: 'Cold chain' },
};

export interface ZonePrice {
  firstWeightKg: number;
  /** Yuan for the first weight. */
  firstPrice: number;
  /** Each further started unit of this many kg costs additionalPrice. */
  additionalUnitKg: number;
  additionalPrice: number;
}

export interface Tariff {
  /** cm³ per kg: volumetric kg = L × W × H ÷ divisor. */
  volumetricDivisor: number;
  /** Chargeable weight is rounded up to a multiple of this (kg). */
  stepKg: number;
  /** Heaviest single piece accepted (kg, chargeable weight). */
  maxWeightKg: number;
  /** Longest side accepted (cm). */
  maxSideCm: number;
  insurance: { rate: number; minimumFee: number; maxDeclaredValue: number };
  /** A product missing a zone is not offered in that zone. */
  prices: Record<Product, Partial<Record<Zone, ZonePrice>>>;
}

const p = (firstPrice: number, additionalPrice: number): ZonePrice => ({ firstWeightKg: 1, firstPrice, additionalUnitKg: 1, additionalPrice });

/**
 * Defaults. From the seeds (000 三、(一)): standard first 1 kg 10 元, each further started kg 2 元
 * — the seed quotes it for 北京寄上海 as well, so it holds for 同城, 省内 and 省际 alike. Everything
 * else here is a sensible default of ours, not a seed fact: remote standard 18 + 8, express,
 * same-day, next-day and cold-chain surcharges, divisor 6000, step 0.5 kg, 50 kg and 150 cm per
 * piece, insurance 0.5 % of the declared value with a 1 元 minimum up to 50 000 元.
 */
export const DEFAULT_TARIFF: Tariff = {
  volumetricDivisor: 6000,
  stepKg: 0.5,
  maxWeightKg: 50,
  maxSideCm: 150,
  insurance: { rate: 0.005, minimumFee: 1, maxDeclaredValue: 50_000 },
  prices: {
    standard: { same_city: p(10, 2), in_province: p(10, 2), inter_province: p(10, 2), remote: p(18, 8) },
    express: { same_city: p(15, 3), in_province: p(18, 4), inter_province: p(22, 6), remote: p(30, 12) },
    same_day: { same_city: p(25, 5) },
    next_day: { same_city: p(18, 4), in_province: p(20, 5), inter_province: p(25, 8) },
    cold_chain: { same_city: p(20, 5), in_province: p(25, 6), inter_province: p(30, 10) },
  },
};

export interface QuoteInput {
  origin: string;
  destination: string;
  weightKg: number;
  lengthCm?: number | undefined;
  widthCm?: number | undefined;
  heightCm?: number | undefined;
  product?: Product | undefined;
  /** Given and > 0: the parcel is insured (保价) for this many yuan. */
  declaredValue?: number | undefined;
}

export interface Quote {
  zone: Zone;
  zoneNameZh: string;
  product: Product;
  actualWeightKg: number;
  volumetricWeightKg: number | null;
  chargeableWeightKg: number;
  firstWeightKg: number;
  firstPrice: number;
  additionalUnits: number;
  additionalPrice: number;
  postage: number;
  insured: boolean;
  insuranceFee: number;
  total: number;
  currency: 'CNY';
  /** In the seed's words: 「首重1公斤10元，续重每公斤2元，您的快件2公斤，总费用12元。」 */
  sentence: string;
  sentenceEn: string;
}

/** Bad input or a parcel the tariff refuses; `field` names what is wrong. */
export class QuoteError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'QuoteError';
  }
}

function positive(field: string, v: number, unit: string): void {
  if (!Number.isFinite(v)) throw new QuoteError(field, `${field} must be a number`);
  if (v <= 0) throw new QuoteError(field, `${field} must be greater than 0 ${unit} (got ${v})`);
}

const grams = (kg: number): number => Math.round(kg * 1000);

/** Which products a zone offers, for error messages and pickers. */
export function productsFor(tariff: Tariff, zone: Zone): Product[] {
  return PRODUCTS.filter((prod) => tariff.prices[prod][zone] !== undefined);
}

export function quote(input: QuoteInput, tariff: Tariff, remoteProvinces: readonly string[]): Quote {
  regionOrThrow('origin', input.origin);
  regionOrThrow('destination', input.destination);
  positive('weightKg', input.weightKg, 'kg');
  const dims = [input.lengthCm, input.widthCm, input.heightCm];
  const given = dims.filter((d) => d !== undefined).length;
  if (given !== 0 && given !== 3) throw new QuoteError('lengthCm', 'give all three of lengthCm, widthCm and heightCm for a volumetric weight, or none');
  if (given === 3) {
    positive('lengthCm', input.lengthCm!, 'cm');
    positive('widthCm', input.widthCm!, 'cm');
    positive('heightCm', input.heightCm!, 'cm');
    const longest = Math.max(...(dims as number[]));
    if (longest > tariff.maxSideCm) throw new QuoteError('lengthCm', `a side of ${longest} cm exceeds the ${tariff.maxSideCm} cm accepted per piece; such goods go by freight, not parcel`);
  }
  if (input.declaredValue !== undefined) {
    if (!Number.isFinite(input.declaredValue) || input.declaredValue < 0) throw new QuoteError('declaredValue', `declaredValue must be 0 or more yuan (got ${input.declaredValue})`);
    if (input.declaredValue > tariff.insurance.maxDeclaredValue) {
      throw new QuoteError('declaredValue', `declaredValue ${input.declaredValue} 元 exceeds the ${tariff.insurance.maxDeclaredValue} 元 that can be insured per piece`);
    }
  }

  const zone = zoneOf(input.origin, input.destination, remoteProvinces);
  const product = input.product ?? 'standard';
  const price = tariff.prices[product][zone];
  if (!price) {
    const offered = productsFor(tariff, zone);
    throw new QuoteError('product', `${product} (${PRODUCT_NAMES[product].zh}) is not offered for ${zone} (${ZONE_NAMES_ZH[zone]}); offered there: ${offered.join(', ') || 'none'}`);
  }

  const actualG = grams(input.weightKg);
  // Volume in cm³ × 1000 g/kg ÷ divisor; the tiny epsilon keeps 6000.0000001-style float noise from adding a gram.
  const volumetricG = given === 3 ? Math.ceil((input.lengthCm! * input.widthCm! * input.heightCm! * 1000) / tariff.volumetricDivisor - 1e-6) : null;
  const stepG = grams(tariff.stepKg);
  const rawG = Math.max(actualG, volumetricG ?? 0);
  const chargeableG = Math.ceil(rawG / stepG) * stepG;
  if (chargeableG > grams(tariff.maxWeightKg)) {
    throw new QuoteError('weightKg', `chargeable weight ${chargeableG / 1000} kg exceeds the ${tariff.maxWeightKg} kg accepted per piece; split the shipment or send it as freight`);
  }

  const firstG = grams(price.firstWeightKg);
  const unitG = grams(price.additionalUnitKg);
  const additionalUnits = Math.max(0, Math.ceil((chargeableG - firstG) / unitG));
  const postageFen = toFen(price.firstPrice) + additionalUnits * toFen(price.additionalPrice);

  const insured = input.declaredValue !== undefined && input.declaredValue > 0;
  const insuranceFen = insured ? Math.max(toFen(tariff.insurance.minimumFee), fenTimesRate(toFen(input.declaredValue!), tariff.insurance.rate)) : 0;

  const n = (fen: number): string => String(toYuan(fen));
  const kg = (g: number): string => String(g / 1000);
  const unit = price.additionalUnitKg === 1 ? '每公斤' : `每${price.additionalUnitKg}公斤`;
  let sentence = `${PRODUCT_NAMES[product].zh}${ZONE_NAMES_ZH[zone]}首重${price.firstWeightKg}公斤${n(toFen(price.firstPrice))}元，续重${unit}${n(toFen(price.additionalPrice))}元，您的快件${chargeableG > actualG ? `计费重量${kg(chargeableG)}公斤` : `${kg(chargeableG)}公斤`}，`;
  sentence += insured ? `运费${n(postageFen)}元，保价费${n(insuranceFen)}元，总费用${n(postageFen + insuranceFen)}元。` : `总费用${n(postageFen)}元。`;
  const sentenceEn = `${PRODUCT_NAMES[product].en}, ${zone.replace('_', ' ')}: first ${price.firstWeightKg} kg ${n(toFen(price.firstPrice))} yuan, each further started ${price.additionalUnitKg} kg ${n(toFen(price.additionalPrice))} yuan; chargeable ${kg(chargeableG)} kg; total ${n(postageFen + insuranceFen)} yuan${insured ? ` including ${n(insuranceFen)} yuan insurance` : ''}.`;

  return {
    zone,
    zoneNameZh: ZONE_NAMES_ZH[zone],
    product,
    actualWeightKg: actualG / 1000,
    volumetricWeightKg: volumetricG === null ? null : volumetricG / 1000,
    chargeableWeightKg: chargeableG / 1000,
    firstWeightKg: price.firstWeightKg,
    firstPrice: price.firstPrice,
    additionalUnits,
    additionalPrice: toYuan(additionalUnits * toFen(price.additionalPrice)),
    postage: toYuan(postageFen),
    insured,
    insuranceFee: toYuan(insuranceFen),
    total: toYuan(postageFen + insuranceFen),
    currency: 'CNY',
    sentence,
    sentenceEn,
  };
}
