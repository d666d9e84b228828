import { describe, expect, it } from 'vitest';
import { greetMeasure } from '../../src/domain/walk-in.ts';

const t = (s: number): Date => new Date(Date.parse('2026-11-23T02:00:00Z') + s * 1000);

describe('greetMeasure: greeted within 3 s', () => {
  it.each([
    [0, true],
    [2.999, true],
    [3, true],
    [3.001, false],
    [60, false],
  ])('after %s s → within target %s', (s, within) => {
    expect(greetMeasure(t(0), t(s), 3000)).toEqual({ ok: true, greetMs: Math.round(s * 1000), withinTarget: within });
  });
  it('refuses impossible times', () => {
    expect(greetMeasure(t(10), t(0), 3000)).toEqual({ ok: false, reason: 'greetedAt is before arrivedAt' });
    expect(greetMeasure(t(0), t(13 * 3600), 3000).ok).toBe(false);
    expect(greetMeasure(new Date('x'), t(0), 3000).ok).toBe(false);
  });
});
