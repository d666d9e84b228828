import { describe, expect, it } from 'vitest';
import { CITIES, generateShipments, type Scenario } from '../../src/demo/shipment-generator.ts';
import { normalizePhone } from '../../src/domain/masking.ts';
import { DEFAULT_STATUS_CODES } from '../../src/services/shipments/status-codes.ts';

const NOW = new Date('2026-11-23T02:00:00Z');

describe('shipment generator', () => {
  const batch = generateShipments({ seed: 7, count: 2000, now: NOW });

  it('is deterministic from its seed', () => {
    expect(generateShipments({ seed: 7, count: 50, now: NOW })).toEqual(batch.slice(0, 50));
    expect(generateShipments({ seed: 8, count: 50, now: NOW })).not.toEqual(batch.slice(0, 50));
  });

  it('produces valid shipments: real region codes, valid phones, unique waybills, promise after shipping', () => {
    const codes = new Set(CITIES.map((c) => c.code));
    expect(new Set(batch.map((g) => g.shipment.waybill)).size).toBe(batch.length);
    for (const { shipment: s } of batch) {
      expect(s.waybill).toMatch(/^SD\d{10}$/);
      expect(codes.has(s.origin) && codes.has(s.destination)).toBe(true);
      expect(normalizePhone(s.sender.phone)).toBe(s.sender.phone);
      expect(normalizePhone(s.receiver.phone)).toBe(s.receiver.phone);
      expect(Date.parse(s.promisedAt!)).toBeGreaterThan(Date.parse(s.shippedAt!));
    }
  });

  it('emits events in time order, none after now, with known codes and unique ids', () => {
    const known = new Set(DEFAULT_STATUS_CODES.map((c) => c[0]));
    const ids = new Set<string>();
    for (const { events } of batch) {
      const times = events.map((e) => Date.parse(e.occurredAt));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      for (const e of events) {
        expect(known.has(e.code)).toBe(true);
        expect(Date.parse(e.occurredAt)).toBeLessThanOrEqual(NOW.getTime());
        expect(ids.has(e.eventId)).toBe(false);
        ids.add(e.eventId);
      }
    }
  });

  it('covers every scenario, with the codes each one implies', () => {
    const seen = new Map<Scenario, number>();
    for (const g of batch) seen.set(g.scenario, (seen.get(g.scenario) ?? 0) + 1);
    expect([...seen.keys()].sort()).toEqual(['delivered', 'exception', 'failed_then_delivered', 'locker', 'lost', 'returned', 'station', 'stuck']);
    expect(seen.get('delivered')! / batch.length).toBeGreaterThan(0.5);
    const last = (s: Scenario): string[] => batch.filter((g) => g.scenario === s && g.events.length > 0).map((g) => g.events[g.events.length - 1]!.code);
    // Older parcels have finished their route; recent ones are still on the way.
    expect(last('lost')).toContain('DS');
    expect(last('returned')).toContain('TH');
    expect(last('locker')).toContain('GZ');
    expect(batch.filter((g) => g.scenario === 'station').flatMap((g) => g.events).some((e) => e.code === 'YZ' && /^\d-\d-\d{4}$/.test(e.pickupCode ?? ''))).toBe(true);
    expect(batch.filter((g) => g.scenario === 'failed_then_delivered').flatMap((g) => g.events).some((e) => e.code === 'PS')).toBe(true);
    expect(batch.filter((g) => g.scenario === 'exception').every((g) => g.events.every((e) => e.code !== 'QS'))).toBe(true);
    expect(batch.some((g) => g.events.some((e) => e.facility?.endsWith('转运中心')))).toBe(true);
  });

  it('applies fixed phones, waybills and scenarios', () => {
    const [g] = generateShipments({ seed: 1, count: 1, now: NOW, fixed: () => ({ waybill: 'SF1234567890', receiverPhone: '13812345678', scenario: 'lost' }) });
    expect(g!.shipment.waybill).toBe('SF1234567890');
    expect(g!.shipment.receiver.phone).toBe('13812345678');
    expect(g!.scenario).toBe('lost');
  });
});
