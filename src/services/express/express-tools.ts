/**
 * The express calculators (SPEC X3–X6) as use cases: each reads its rules from the settings (and
 * the declared delay periods), runs the pure rule and turns a rule's complaint about the input
 * into a validation error naming the field. Nothing here writes, so nothing is audited.
 */
import type { Queryable } from '../../db/database.ts';
import { CompensationError, estimateCompensation, type CompensationEstimate, type CompensationInput } from '../../domain/express/compensation.ts';
import { estimateDelivery, EstimateError, type DelayPeriod, type Estimate } from '../../domain/express/delivery-estimate.ts';
import { checkItem, type ItemCheck } from '../../domain/express/item-check.ts';
import { quote, QuoteError, type Product, type Quote, type QuoteInput } from '../../domain/express/quote.ts';
import { findRegion, UnknownRegionError, type Region } from '../../domain/express/regions.ts';
import { AppError } from '../../http/errors.ts';
import { settingValue, type SettingKey, type SettingValue } from '../settings/settings.ts';
import { listActiveDelayPeriods } from './delay-periods.ts';

/** Several settings in one round trip (each falls back to its default like getSetting). */
async function settings<K extends SettingKey>(q: Queryable, keys: readonly K[]): Promise<{ [P in K]: SettingValue<P> }> {
  const { rows } = await q.query<{ key: string; value: unknown }>('SELECT key, value FROM settings WHERE key = ANY($1)', [keys]);
  const out = {} as { [P in K]: SettingValue<P> };
  for (const key of keys) {
    const row = rows.find((r) => r.key === key);
    out[key] = settingValue(key, row ? { value: row.value } : null);
  }
  return out;
}

/** Runs a pure rule; its input errors become 400s with the rule's own message. */
function rule<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UnknownRegionError) throw new AppError('validation_failed', err.message, { field: err.field });
    if (err instanceof QuoteError || err instanceof EstimateError || err instanceof CompensationError) {
      throw new AppError('validation_failed', err.message, { field: err.field });
    }
    throw err;
  }
}

export interface RoutePlaces {
  origin: Pick<Region, 'code' | 'fullName'>;
  destination: Pick<Region, 'code' | 'fullName'>;
}

/** Known and served by the domestic tariff (港澳台 are not, by default). */
function placesOf(zones: SettingValue<'express.zones'>, origin: string, destination: string): RoutePlaces {
  const out: Record<'origin' | 'destination', Region> = {} as Record<'origin' | 'destination', Region>;
  for (const [field, code] of [['origin', origin], ['destination', destination]] as const) {
    const r = findRegion(code);
    if (!r) throw new AppError('validation_failed', new UnknownRegionError(field, code).message, { field });
    if (zones.unservedProvinces.includes(code.slice(0, 2))) {
      throw new AppError('validation_failed', `${field} ${code} (${r.fullName}) is outside the domestic service area; ask for the international/港澳台 service`, { field });
    }
    out[field] = r;
  }
  return { origin: { code: out.origin.code, fullName: out.origin.fullName }, destination: { code: out.destination.code, fullName: out.destination.fullName } };
}

export async function quoteShipment(q: Queryable, input: QuoteInput): Promise<Quote & RoutePlaces> {
  const s = await settings(q, ['express.tariff', 'express.zones']);
  const places = placesOf(s['express.zones'], input.origin, input.destination);
  return { ...rule(() => quote(input, s['express.tariff'], s['express.zones'].remoteProvinces)), ...places };
}

export interface EstimateRequest {
  origin: string;
  destination: string;
  product?: Product | undefined;
  shippedAt: Date;
}

export async function estimateDeliveryTime(q: Queryable, input: EstimateRequest): Promise<Estimate & RoutePlaces> {
  // Periods that end before the shipping day (minus a day for the time zone) cannot touch the window.
  const since = new Date(input.shippedAt.getTime() - 86_400_000);
  const [s, delayPeriods] = await Promise.all([
    settings(q, ['express.transit_days', 'express.route_overrides', 'express.zones']),
    Number.isNaN(since.getTime()) ? Promise.resolve<DelayPeriod[]>([]) : listActiveDelayPeriods(q, since),
  ]);
  const zones = s['express.zones'];
  const places = placesOf(zones, input.origin, input.destination);
  const estimate = rule(() => estimateDelivery(input, { transitDays: s['express.transit_days'], routeOverrides: s['express.route_overrides'], remoteProvinces: zones.remoteProvinces, delayPeriods, timeZone: zones.timeZone }));
  return { ...estimate, ...places };
}

export async function checkItemDescription(q: Queryable, description: string): Promise<ItemCheck> {
  if (description.trim() === '') throw new AppError('validation_failed', 'description is empty; say what the parcel contains', { field: 'description' });
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(description)) throw new AppError('validation_failed', 'description contains control characters', { field: 'description' });
  if (!/\p{L}/u.test(description)) throw new AppError('validation_failed', `description "${description.slice(0, 40)}" names no goods; say what the parcel contains (e.g. 衣服, 手机)`, { field: 'description' });
  return checkItem(description, (await settings(q, ['express.item_catalogue']))['express.item_catalogue']);
}

export async function estimateClaimCompensation(q: Queryable, input: CompensationInput): Promise<CompensationEstimate> {
  const policy = (await settings(q, ['express.compensation']))['express.compensation'];
  return rule(() => estimateCompensation(input, policy));
}
