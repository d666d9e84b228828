import { describe, expect, it } from 'vitest';
import { average, clockOutcome, complianceRate, firstResponseTime, localHour, percentile, riskState, volumeBuckets, volumeOf, type SlaClockFacts } from '../../src/domain/kpi.ts';

const at = (iso: string): Date => new Date(iso);

describe('percentile (linear between closest ranks, as percentile_cont)', () => {
  it.each<[number[], number, number | null]>([
    [[], 0.5, null],
    [[7], 0, 7],
    [[7], 0.5, 7],
    [[7], 1, 7],
    [[1, 2], 0.5, 1.5],
    [[3, 1, 2], 0.5, 2],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0.9, 3.7],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9, 91],
    [[5, 5, 5], 0.9, 5],
    [[0, 100], 0, 0],
    [[0, 100], 1, 100],
  ])('%j at %d → %s', (values, p, expected) => {
    const got = percentile(values, p);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 9);
  });
  it('refuses p outside 0..1, and does not reorder its input', () => {
    expect(() => percentile([1], -0.1)).toThrow(RangeError);
    expect(() => percentile([1], 1.1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
    const v = [3, 1, 2];
    percentile(v, 0.5);
    expect(v).toEqual([3, 1, 2]);
  });
});

describe('average', () => {
  it.each<[number[], number | null]>([[[], null], [[4], 4], [[1, 2], 1.5], [[0, 0, 9], 3]])('%j → %s', (v, e) => expect(average(v)).toBe(e));
});

describe('firstResponseTime', () => {
  const t0 = at('2026-05-01T08:00:00Z');
  const plus = (s: number): Date => new Date(t0.getTime() + s * 1000);
  it.each<[string, { createdAt: Date; firstRespondedAt: Date | null }[], { responded: number; averageMs: number | null; p50Ms: number | null; p90Ms: number | null }]>([
    ['nothing', [], { responded: 0, averageMs: null, p50Ms: null, p90Ms: null }],
    ['only unanswered', [{ createdAt: t0, firstRespondedAt: null }], { responded: 0, averageMs: null, p50Ms: null, p90Ms: null }],
    ['one answer', [{ createdAt: t0, firstRespondedAt: plus(60) }], { responded: 1, averageMs: 60_000, p50Ms: 60_000, p90Ms: 60_000 }],
    ['unanswered are left out', [{ createdAt: t0, firstRespondedAt: plus(30) }, { createdAt: t0, firstRespondedAt: null }, { createdAt: t0, firstRespondedAt: plus(90) }], { responded: 2, averageMs: 60_000, p50Ms: 60_000, p90Ms: 84_000 }],
    ['a reply stamped before creation counts as 0', [{ createdAt: t0, firstRespondedAt: plus(-5) }, { createdAt: t0, firstRespondedAt: plus(10) }], { responded: 2, averageMs: 5_000, p50Ms: 5_000, p90Ms: 9_000 }],
    ['rounded to whole ms', [{ createdAt: t0, firstRespondedAt: new Date(t0.getTime() + 1) }, { createdAt: t0, firstRespondedAt: new Date(t0.getTime() + 2) }], { responded: 2, averageMs: 2, p50Ms: 2, p90Ms: 2 }],
  ])('%s', (_name, pairs, expected) => expect(firstResponseTime(pairs)).toEqual(expected));
});

describe('complianceRate', () => {
  it.each<[number, number, number | null]>([[0, 0, null], [1, 0, 1], [0, 1, 0], [3, 1, 0.75], [19, 1, 0.95]])('met %d breached %d → %s', (m, b, e) => expect(complianceRate(m, b)).toBe(e));
  it('refuses negative counts', () => expect(() => complianceRate(-1, 0)).toThrow(RangeError));
});

const NOW = at('2026-05-01T12:00:00Z');
const clock = (c: Partial<SlaClockFacts>): SlaClockFacts => ({ dueAt: at('2026-05-01T13:00:00Z'), warnAt: at('2026-05-01T12:30:00Z'), runningSince: at('2026-05-01T11:00:00Z'), stoppedAt: null, breachedAt: null, ...c });

describe('clockOutcome and riskState', () => {
  it.each<[string, Partial<SlaClockFacts>, 'met' | 'breached' | 'open', string]>([
    ['running, before warning', {}, 'open', 'ok'],
    ['running, warning time reached', { warnAt: NOW }, 'open', 'at_risk'],
    ['running, past warning', { warnAt: at('2026-05-01T11:59:00Z') }, 'open', 'at_risk'],
    ['running, due now', { dueAt: NOW, warnAt: at('2026-05-01T11:50:00Z') }, 'breached', 'breached'],
    ['running, past due, not yet swept', { dueAt: at('2026-05-01T11:30:00Z') }, 'breached', 'breached'],
    ['marked breached by the sweep', { breachedAt: at('2026-05-01T11:30:00Z') }, 'breached', 'breached'],
    ['stopped in time', { stoppedAt: at('2026-05-01T11:40:00Z') }, 'met', 'stopped'],
    ['stopped exactly at the deadline', { stoppedAt: at('2026-05-01T13:00:00Z') }, 'met', 'stopped'],
    ['stopped after the deadline', { stoppedAt: at('2026-05-01T13:00:01Z') }, 'breached', 'stopped'],
    ['stopped after a breach', { stoppedAt: at('2026-05-01T13:30:00Z'), breachedAt: at('2026-05-01T13:00:00Z') }, 'breached', 'stopped'],
    ['paused, before due', { runningSince: null }, 'open', 'paused'],
    ['paused with a past due time (time does not count while paused)', { runningSince: null, dueAt: at('2026-05-01T10:00:00Z') }, 'open', 'paused'],
    ['no deadline yet', { dueAt: null, warnAt: null }, 'open', 'ok'],
    ['stopped without a deadline', { dueAt: null, warnAt: null, stoppedAt: NOW }, 'met', 'stopped'],
  ])('%s', (_name, facts, outcome, risk) => {
    expect(clockOutcome(clock(facts), NOW)).toBe(outcome);
    expect(riskState(clock(facts), NOW)).toBe(risk);
  });
});

describe('localHour: the company clock', () => {
  it.each<[string, string, number]>([
    ['2026-05-01T00:00:00Z', 'Asia/Shanghai', 8],
    ['2026-05-01T15:59:59Z', 'Asia/Shanghai', 23],
    ['2026-05-01T16:00:00Z', 'Asia/Shanghai', 0],
    ['2026-05-01T16:00:00Z', 'UTC', 16],
    ['2026-03-08T07:30:00Z', 'America/New_York', 3], // the spring-forward morning: 2:xx does not exist
    ['2026-11-01T05:30:00Z', 'America/New_York', 1], // the second 1:xx of the fall-back night
    ['2026-11-01T06:30:00Z', 'America/New_York', 1],
  ])('%s in %s → %d', (iso, tz, h) => expect(localHour(at(iso), tz)).toBe(h));
});

describe('volumeBuckets', () => {
  it('fills every hour and channel, sums by channel and hour', () => {
    const v = volumeBuckets([{ channel: 'chat', hour: 9, count: 3 }, { channel: 'phone', hour: 9, count: 2 }, { channel: 'chat', hour: 23, count: 1 }]);
    expect(v.total).toBe(6);
    expect(v.byChannel).toEqual({ phone: 2, chat: 4, email: 0, walk_in: 0, web: 0, api: 0 });
    expect(v.byHour).toHaveLength(24);
    expect(v.byHour.map((b) => b.hour)).toEqual([...Array(24).keys()]);
    expect(v.byHour[9]).toEqual({ hour: 9, total: 5, byChannel: { phone: 2, chat: 3, email: 0, walk_in: 0, web: 0, api: 0 } });
    expect(v.byHour[23]!.total).toBe(1);
    expect(v.byHour.filter((b) => b.total > 0).map((b) => b.hour)).toEqual([9, 23]);
  });
  it('empty rows: all zeros', () => {
    const v = volumeBuckets([]);
    expect(v.total).toBe(0);
    expect(v.byHour.every((b) => b.total === 0)).toBe(true);
  });
  it('repeated (channel, hour) rows add up', () => expect(volumeBuckets([{ channel: 'web', hour: 0, count: 1 }, { channel: 'web', hour: 0, count: 2 }]).byHour[0]!.byChannel.web).toBe(3));
  it.each([
    [{ channel: 'fax', hour: 1, count: 1 }],
    [{ channel: 'chat', hour: 24, count: 1 }],
    [{ channel: 'chat', hour: -1, count: 1 }],
    [{ channel: 'chat', hour: 1.5, count: 1 }],
    [{ channel: 'chat', hour: 1, count: -1 }],
  ])('refuses %j', (row) => expect(() => volumeBuckets([row])).toThrow(RangeError));
});

describe('volumeOf: hours on the company clock, not UTC', () => {
  it('a ticket at 23:30 UTC is at 7 in Shanghai', () => {
    const v = volumeOf([{ channel: 'email', createdAt: at('2026-05-01T23:30:00Z') }, { channel: 'email', createdAt: at('2026-05-01T23:45:00Z') }, { channel: 'chat', createdAt: at('2026-05-02T01:00:00Z') }], 'Asia/Shanghai');
    expect(v.byHour[7]!.byChannel.email).toBe(2);
    expect(v.byHour[9]!.byChannel.chat).toBe(1);
    expect(v.byHour[23]!.total).toBe(0);
  });
});
