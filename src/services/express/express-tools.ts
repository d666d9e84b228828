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
import { getSetting } from '../settings/settings.ts';
import { listActiveDelayPeriods } from './delay-periods.ts';

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
async function placesOf(q: Queryable, origin: string, destination: string): Promise<RoutePlaces> {
  const zones = await getSetting(q, 'express.zones');
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
  const places = await placesOf(q, input.origin, input.destination);
  const [tariff, zones] = await Promise.all([getSetting(q, 'express.tariff'), getSetting(q, 'express.zones')]);
  return { ...rule(() => quote(input, tariff, zones.remoteProvinces)), ...places };
}

export interface EstimateRequest {
  origin: string;
  destination: string;
  product?: Product | undefined;
  shippedAt: Date;
}

export async function estimateDeliveryTime(q: Queryable, input: EstimateRequest): Promise<Estimate & RoutePlaces> {
  const places = await placesOf(q, input.origin, input.destination);
  const [transitDays, routeOverrides, zones] = await Promise.all([getSetting(q, 'express.transit_days'), getSetting(q, 'express.route_overrides'), getSetting(q, 'express.zones')]);
  // Periods that end before the shipping day (minus a day for the time zone) cannot touch the window.
  const since = new Date(input.shippedAt.getTime() - 86_400_000);
  const delayPeriods: DelayPeriod[] = Number.isNaN(since.getTime()) ? [] : await listActiveDelayPeriods(q, since);
  const estimate = rule(() => estimateDelivery(input, { transitDays, routeOverrides, remoteProvinces: zones.remoteProvinces, delayPeriods, timeZone: zones.timeZone }));
  return { ...estimate, ...places };
}

export async function checkItemDescription(q: Queryable, description: string): Promise<ItemCheck> {
  if (description.trim() === '') throw new AppError('validation_failed', 'description is empty; say what the parcel contains', { field: 'description' });
  return checkItem(description, await getSetting(q, 'express.item_catalogue'));
}

export async function estimateClaimCompensation(q: Queryable, input: CompensationInput): Promise<CompensationEstimate> {
  const policy = await getSetting(q, 'express.compensation');
  return rule(() => estimateCompensation(input, policy));
}
