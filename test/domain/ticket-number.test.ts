import { describe, expect, it } from 'vitest';
import { formatTicketNumber, parseTicketNumber, ticketDay } from '../../src/domain/ticket-number.ts';

describe('ticketDay', () => {
  it.each<[string, string, string]>([
    ['2026-11-22T00:00:00Z', 'Asia/Shanghai', '20261122'],
    ['2026-11-22T15:59:59Z', 'Asia/Shanghai', '20261122'],
    // 16:00 UTC is midnight in Beijing: already the next day there
    ['2026-11-22T16:00:00Z', 'Asia/Shanghai', '20261123'],
    ['2026-11-22T16:00:00Z', 'UTC', '20261122'],
    ['2026-12-31T16:30:00Z', 'Asia/Shanghai', '20270101'],
    ['2027-01-01T03:00:00Z', 'America/New_York', '20261231'],
    ['2028-02-28T20:00:00Z', 'Asia/Shanghai', '20280229'],
    ['2026-03-08T06:59:00Z', 'America/Los_Angeles', '20260307'],
    ['2026-07-01T00:00:00Z', 'Asia/Kolkata', '20260701'],
  ])('%s in %s → %s', (iso, tz, expected) => {
    expect(ticketDay(new Date(iso), tz)).toBe(expected);
  });

  it('gives the same answer on repeated calls (cached formatter)', () => {
    const d = new Date('2026-11-22T16:00:00Z');
    expect([ticketDay(d, 'Asia/Shanghai'), ticketDay(d, 'Asia/Shanghai'), ticketDay(d, 'UTC')]).toEqual([
      '20261123',
      '20261123',
      '20261122',
    ]);
  });

  it.each<[string, string]>([
    ['2026-11-22T00:00:00Z', 'Mars/Olympus_Mons'],
    ['not a date', 'Asia/Shanghai'],
  ])('throws RangeError for %s in %s', (iso, tz) => {
    expect(() => ticketDay(new Date(iso), tz)).toThrow(RangeError);
  });
});

describe('formatTicketNumber', () => {
  it.each<[string, string, number, string]>([
    ['GD', '20261122', 1, 'GD20261122000001'],
    ['GD', '20261122', 42, 'GD20261122000042'],
    ['GD', '20261122', 999_999, 'GD20261122999999'],
    ['T', '20260101', 123_456, 'T20260101123456'],
    ['ABCD', '20281231', 10, 'ABCD20281231000010'],
    ['SZ', '20280229', 7, 'SZ20280229000007'],
  ])('(%s, %s, %d) → %s', (prefix, day, seq, expected) => {
    expect(formatTicketNumber(prefix, day, seq)).toBe(expected);
  });

  it.each<[string, string, number, RegExp]>([
    ['GD', '20261122', 0, /sequence/],
    ['GD', '20261122', -1, /sequence/],
    ['GD', '20261122', 1_000_000, /sequence/],
    ['GD', '20261122', 1.5, /sequence/],
    ['GD', '20261122', Number.NaN, /sequence/],
    ['', '20261122', 1, /prefix/],
    ['gd', '20261122', 1, /prefix/],
    ['ABCDE', '20261122', 1, /prefix/],
    ['G1', '20261122', 1, /prefix/],
    ['GD', '2026112', 1, /day/],
    ['GD', '20261301', 1, /day/],
    ['GD', '20260230', 1, /day/],
    ['GD', '20270229', 1, /day/],
    ['GD', '2026-11-22', 1, /day/],
  ])('(%j, %j, %d) throws RangeError mentioning %s', (prefix, day, seq, msg) => {
    expect(() => formatTicketNumber(prefix, day, seq)).toThrow(RangeError);
    expect(() => formatTicketNumber(prefix, day, seq)).toThrow(msg);
  });
});

describe('parseTicketNumber', () => {
  it.each<[string, { prefix: string; day: string; seq: number } | null]>([
    ['GD20261122000001', { prefix: 'GD', day: '20261122', seq: 1 }],
    ['GD20261122999999', { prefix: 'GD', day: '20261122', seq: 999_999 }],
    ['T20260101123456', { prefix: 'T', day: '20260101', seq: 123_456 }],
    ['ABCD20281231000010', { prefix: 'ABCD', day: '20281231', seq: 10 }],
    ['  gd20261122000042 ', { prefix: 'GD', day: '20261122', seq: 42 }],
    ['GD20261122000000', null],
    ['GD202611220000001', null],
    ['GD2026112200001', null],
    ['20261122000001', null],
    ['ABCDE20261122000001', null],
    ['GD20261322000001', null],
    ['GD20260230000001', null],
    ['GD-20261122-000001', null],
    ['G D20261122000001', null],
    ['ＧＤ20261122000001', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(parseTicketNumber(input)).toEqual(expected);
  });

  it.each<[string, string, number]>([
    ['GD', '20261122', 1],
    ['PD', '20280229', 500_000],
    ['Z', '20991231', 999_999],
  ])('round-trips format → parse for (%s, %s, %d)', (prefix, day, seq) => {
    expect(parseTicketNumber(formatTicketNumber(prefix, day, seq))).toEqual({ prefix, day, seq });
  });
});
