import { describe, expect, it } from 'vitest';
import { clickThroughRate, helpfulRate, isMostlyUnhelpful, isUnused, normaliseKbQuery, reportRange, zonedIso } from '../../src/domain/kb-report.ts';

describe('helpfulRate', () => {
  it.each<[number, number, number | null]>([
    [0, 0, null],
    [1, 0, 1],
    [0, 1, 0],
    [3, 1, 0.75],
    [1, 2, 0.333],
    [2, 1, 0.667],
    [999, 1, 0.999],
  ])('%i yes, %i no → %s', (yes, no, rate) => {
    expect(helpfulRate(yes, no)).toBe(rate);
  });
});

describe('clickThroughRate', () => {
  it.each<[number, number, number | null]>([
    [0, 0, null],
    [0, 10, 0],
    [5, 10, 0.5],
    [10, 10, 1],
    // More clicked searches than searches cannot happen; the rate never exceeds 1.
    [12, 10, 1],
    [1, 3, 0.333],
    [-1, 3, 0],
  ])('%i of %i searches clicked → %s', (clicked, searches, rate) => {
    expect(clickThroughRate(clicked, searches)).toBe(rate);
  });
});

describe('isMostlyUnhelpful (at least 5 answers, under half helpful)', () => {
  it.each<[number, number, boolean]>([
    [0, 0, false],
    [0, 4, false], // four "no" are too few to judge
    [0, 5, true],
    [2, 3, true], // 40 %
    [3, 3, false], // exactly half is not "mostly unhelpful"
    [3, 2, false],
    [10, 11, true],
    [100, 1, false],
  ])('%i yes, %i no → %s', (yes, no, expected) => {
    expect(isMostlyUnhelpful(yes, no)).toBe(expected);
  });

  it('takes another threshold', () => {
    expect(isMostlyUnhelpful(7, 3, { minAnswers: 10, belowRate: 0.8 })).toBe(true);
    expect(isMostlyUnhelpful(7, 2, { minAnswers: 10, belowRate: 0.8 })).toBe(false);
  });
});

describe('isUnused', () => {
  it.each<[number, number, number, boolean]>([
    [0, 0, 0, true],
    [1, 0, 0, false],
    [0, 1, 0, false],
    [0, 0, 1, false],
  ])('%i views, %i inserts, %i clicks → %s', (views, inserts, searchClicks, expected) => {
    expect(isUnused({ views, inserts, searchClicks })).toBe(expected);
  });
});

describe('normaliseKbQuery', () => {
  it.each<[string, string]>([
    ['  快递  丢了 ', '快递 丢了'],
    ['ＳＦ快递　破损', 'sf快递 破损'], // full-width letters and space folded
    ['SF1234567890 到哪了', '〔号码〕到哪了'],
    ['YT2026112200001到哪了', '〔号码〕到哪了'],
    ['我的电话13812345678改地址', '我的电话〔号码〕改地址'],
    ['138 1234 5678 改地址', '〔号码〕改地址'],
    ['010-12345678 投诉', '〔号码〕投诉'],
    ['zhang.san@example.com 发票', '〔邮箱〕发票'],
    ['退款 zhang@example.cn', '退款〔邮箱〕'],
    ['track SF1234567890 now', 'track 〔号码〕 now'],
    // Short numbers are not personal data: days, prices, years.
    ['3天没更新', '3天没更新'],
    ['2026年春节 停运', '2026年春节 停运'],
    ['运费 12.5元', '运费 12.5元'],
    ['   ', ''],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseKbQuery(raw)).toBe(expected);
  });

  it('is at most 200 characters', () => {
    expect(Array.from(normaliseKbQuery('查'.repeat(300))).length).toBe(200);
  });
});

describe('reportRange (company time zone)', () => {
  // 2026-05-10 01:30 in Shanghai is still 2026-05-09 in UTC.
  const now = new Date('2026-05-09T17:30:00Z');
  const tz = 'Asia/Shanghai';

  it('defaults to the 30 days ending today, local dates, local midnights', () => {
    const r = reportRange({}, now, tz);
    expect(r).toEqual({ ok: true, range: { from: '2026-04-11', to: '2026-05-10', timeZone: tz, start: new Date('2026-04-10T16:00:00Z'), end: new Date('2026-05-10T16:00:00Z') } });
  });

  it.each<[{ from?: string; to?: string }, string, string, string, string]>([
    [{ from: '2026-05-01', to: '2026-05-01' }, '2026-05-01', '2026-05-01', '2026-04-30T16:00:00.000Z', '2026-05-01T16:00:00.000Z'],
    [{ to: '2026-03-31' }, '2026-03-02', '2026-03-31', '2026-03-01T16:00:00.000Z', '2026-03-31T16:00:00.000Z'],
    [{ from: '2026-05-01' }, '2026-05-01', '2026-05-10', '2026-04-30T16:00:00.000Z', '2026-05-10T16:00:00.000Z'],
    [{ from: '2025-05-10', to: '2026-05-10' }, '2025-05-10', '2026-05-10', '2025-05-09T16:00:00.000Z', '2026-05-10T16:00:00.000Z'],
  ])('%j', (input, from, to, start, end) => {
    const r = reportRange(input, now, tz);
    if (!r.ok) throw new Error(r.message);
    expect([r.range.from, r.range.to, r.range.start.toISOString(), r.range.end.toISOString()]).toEqual([from, to, start, end]);
  });

  it('follows the zone it is given', () => {
    const r = reportRange({ from: '2026-05-01', to: '2026-05-01' }, now, 'Europe/Berlin');
    expect(r.ok && [r.range.start.toISOString(), r.range.end.toISOString()]).toEqual(['2026-04-30T22:00:00.000Z', '2026-05-01T22:00:00.000Z']);
  });

  it.each<[{ from?: string; to?: string }, RegExp]>([
    [{ from: '2026-05-02', to: '2026-05-01' }, /after/],
    [{ from: '2026-13-01' }, /not a date/],
    [{ to: 'yesterday' }, /not a date/],
    [{ from: '2026-5-1' }, /not a date/],
    [{ from: '2024-01-01', to: '2026-01-01' }, /at most 366/],
  ])('refuses %j', (input, message) => {
    const r = reportRange(input, now, tz);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });

  it('refuses an unknown zone', () => {
    expect(reportRange({}, now, 'Mars/Olympus').ok).toBe(false);
  });
});

describe('zonedIso', () => {
  it('shows an instant on the company clock', () => {
    expect(zonedIso(new Date('2026-05-01T10:00:00Z'), 'Asia/Shanghai')).toBe('2026-05-01T18:00:00.000+08:00');
    expect(zonedIso(null, 'Asia/Shanghai')).toBeNull();
  });
});
