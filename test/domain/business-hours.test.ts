import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  CHINA_2026_HOLIDAYS,
  addBusinessTime,
  businessTimeBetween,
  chinaStandardCalendar,
  hoursOn,
  isOpen,
  nextOpening,
  validateCalendar,
  calendarProblems,
  weekdayCalendar,
} from '../../src/domain/business-hours.ts';
import { workdayMinutes } from '../../src/domain/business-hours.ts';
import type { BusinessCalendar, TimeRange } from '../../src/domain/business-hours.ts';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

const r = (start: string, end: string): TimeRange => ({ start, end });

function everyDay(tz: string, ranges: TimeRange[], extra: Partial<BusinessCalendar> = {}): BusinessCalendar {
  return {
    timeZone: tz,
    weeklyHours: { '1': ranges, '2': ranges, '3': ranges, '4': ranges, '5': ranges, '6': ranges, '7': ranges },
    holidays: [],
    workdays: [],
    ...extra,
  };
}

/** Mon–Fri 09:00–12:00 + 13:30–18:00, Sat 10:00–14:00, Sun closed; 2026-03-11 (Wed) a holiday,
 *  2026-03-15 (Sun) a make-up day with its own hours, 2026-03-18 (Wed) both holiday and make-up. */
const LUNCH: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  weeklyHours: {
    '1': [r('13:30', '18:00'), r('09:00', '12:00')], // unsorted on purpose
    '2': [r('09:00', '12:00'), r('13:30', '18:00')],
    '3': [r('09:00', '12:00'), r('13:30', '18:00')],
    '4': [r('09:00', '12:00'), r('13:30', '18:00')],
    '5': [r('09:00', '12:00'), r('13:30', '18:00')],
    '6': [r('10:00', '14:00')],
    '7': [],
  },
  holidays: ['2026-03-11', '2026-03-18'],
  workdays: [{ date: '2026-03-15', hours: [r('10:00', '12:00')] }, { date: '2026-03-18' }],
};

/** A night desk whose shift runs across midnight: 22:00–24:00 and 00:00–02:00 every day. */
const NIGHT = everyDay('Asia/Shanghai', [r('00:00', '02:00'), r('22:00', '24:00')]);

const CHINA = chinaStandardCalendar();
const WEEKDAY = weekdayCalendar();
const NY = everyDay('America/New_York', [r('09:00', '17:00')]);
const NY_NIGHT = everyDay('America/New_York', [r('01:00', '03:00')]);
const NY_EARLY = everyDay('America/New_York', [r('00:00', '01:30')]);
/** Sundays only, wholly inside the hour skipped on the spring-forward date. */
const NY_GAP: BusinessCalendar = { ...everyDay('America/New_York', []), weeklyHours: { '1': [], '2': [], '3': [], '4': [], '5': [], '6': [], '7': [r('02:15', '02:45')] } };
const LONDON = everyDay('Europe/London', [r('09:00', '17:30')]);
const LONDON_NIGHT = everyDay('Europe/London', [r('00:30', '02:30')]);

const CALENDARS: Record<string, BusinessCalendar> = {
  china: CHINA,
  weekday: WEEKDAY,
  lunch: LUNCH,
  night: NIGHT,
  always: ALWAYS_OPEN,
  ny: NY,
  nyNight: NY_NIGHT,
  nyEarly: NY_EARLY,
  nyGap: NY_GAP,
  london: LONDON,
  londonNight: LONDON_NIGHT,
};
type CalName = keyof typeof CALENDARS;

function cal(name: CalName): BusinessCalendar {
  const c = CALENDARS[name];
  if (!c) throw new Error(`no calendar ${name}`);
  return c;
}

/** An instant shown in the calendar's zone, e.g. "2026-02-14T15:30:00+08:00". */
function local(d: Date, tz: string): string {
  const dt = DateTime.fromJSDate(d, { zone: tz });
  return dt.toISO({ suppressMilliseconds: true }) ?? 'invalid';
}

const at = (iso: string): Date => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`bad test instant ${iso}`);
  return d;
};

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('hoursOn', () => {
  it.each<{ c: CalName; date: string; expected: TimeRange[] }>([
    { c: 'china', date: '2026-03-02', expected: [r('08:30', '18:00')] }, // Monday
    { c: 'china', date: '2026-03-06', expected: [r('08:30', '18:00')] }, // Friday
    { c: 'china', date: '2026-03-07', expected: [r('09:00', '17:00')] }, // Saturday
    { c: 'china', date: '2026-03-08', expected: [r('09:00', '17:00')] }, // Sunday
    { c: 'china', date: '2026-02-13', expected: [r('08:30', '18:00')] }, // Friday before Spring Festival
    { c: 'china', date: '2026-02-14', expected: [r('08:30', '18:00')] }, // Saturday make-up day: Monday's hours
    { c: 'china', date: '2026-02-15', expected: [] }, // 春节 (Sunday)
    { c: 'china', date: '2026-02-17', expected: [] }, // 春节 (Tuesday)
    { c: 'china', date: '2026-02-21', expected: [] }, // 春节 (Saturday)
    { c: 'china', date: '2026-02-23', expected: [] }, // last 春节 day (Monday)
    { c: 'china', date: '2026-02-24', expected: [r('08:30', '18:00')] },
    { c: 'china', date: '2026-02-28', expected: [r('08:30', '18:00')] }, // Saturday make-up day
    { c: 'china', date: '2026-01-01', expected: [] }, // 元旦
    { c: 'china', date: '2026-01-04', expected: [r('08:30', '18:00')] }, // Sunday make-up day
    { c: 'china', date: '2026-04-05', expected: [] }, // 清明
    { c: 'china', date: '2026-05-05', expected: [] }, // 劳动节
    { c: 'china', date: '2026-05-09', expected: [r('08:30', '18:00')] }, // Saturday make-up day
    { c: 'china', date: '2026-06-19', expected: [] }, // 端午
    { c: 'china', date: '2026-09-25', expected: [] }, // 中秋
    { c: 'china', date: '2026-09-20', expected: [r('08:30', '18:00')] }, // Sunday make-up day
    { c: 'china', date: '2026-10-01', expected: [] }, // 国庆
    { c: 'china', date: '2026-10-07', expected: [] },
    { c: 'china', date: '2026-10-10', expected: [r('08:30', '18:00')] }, // Saturday make-up day
    { c: 'china', date: '2026-10-11', expected: [r('09:00', '17:00')] }, // ordinary Sunday
    { c: 'china', date: '2025-12-31', expected: [r('08:30', '18:00')] },
    { c: 'weekday', date: '2026-03-07', expected: [] }, // Saturday
    { c: 'weekday', date: '2026-03-08', expected: [] }, // Sunday
    { c: 'weekday', date: '2026-03-09', expected: [r('09:00', '18:00')] },
    { c: 'weekday', date: '2026-02-14', expected: [r('09:00', '18:00')] },
    { c: 'weekday', date: '2026-09-20', expected: [r('09:00', '18:00')] },
    { c: 'weekday', date: '2026-10-05', expected: [] },
    { c: 'lunch', date: '2026-03-09', expected: [r('09:00', '12:00'), r('13:30', '18:00')] }, // sorted
    { c: 'lunch', date: '2026-03-14', expected: [r('10:00', '14:00')] },
    { c: 'lunch', date: '2026-03-15', expected: [r('10:00', '12:00')] }, // make-up day with own hours
    { c: 'lunch', date: '2026-03-11', expected: [] }, // holiday
    { c: 'lunch', date: '2026-03-18', expected: [r('09:00', '12:00'), r('13:30', '18:00')] }, // make-up (Monday's hours, sorted) wins over holiday
    { c: 'lunch', date: '2026-03-22', expected: [] }, // Sunday
    { c: 'always', date: '2026-10-01', expected: [r('00:00', '24:00')] },
  ])('$c $date', ({ c, date, expected }) => {
    expect(hoursOn(cal(c), date)).toEqual(expected);
  });

  it.each(['2026-02-30', '2026-2-1', '20260201', ''])('rejects the date %j', (date) => {
    expect(() => hoursOn(CHINA, date)).toThrow(RangeError);
  });

  it('returns copies the caller may change', () => {
    const c = weekdayCalendar();
    const h = hoursOn(c, '2026-03-09');
    h[0]!.start = '00:00';
    expect(c.weeklyHours['1'][0]!.start).toBe('09:00');
  });
});

describe('isOpen', () => {
  it.each<{ c: CalName; at: string; open: boolean }>([
    { c: 'china', at: '2026-03-02T08:29:59.999+08:00', open: false }, // Monday, before hours
    { c: 'china', at: '2026-03-02T08:30:00+08:00', open: true }, // start inclusive
    { c: 'china', at: '2026-03-02T12:00:00+08:00', open: true },
    { c: 'china', at: '2026-03-02T17:59:59.999+08:00', open: true },
    { c: 'china', at: '2026-03-02T18:00:00+08:00', open: false }, // end exclusive
    { c: 'china', at: '2026-03-02T23:00:00+08:00', open: false }, // after hours
    { c: 'china', at: '2026-03-02T00:30:00Z', open: true }, // 08:30 Shanghai written in UTC
    { c: 'china', at: '2026-03-02T00:29:59Z', open: false },
    { c: 'china', at: '2026-03-07T08:45:00+08:00', open: false }, // Saturday opens at 09:00
    { c: 'china', at: '2026-03-07T09:00:00+08:00', open: true },
    { c: 'china', at: '2026-03-07T16:59:00+08:00', open: true },
    { c: 'china', at: '2026-03-07T17:00:00+08:00', open: false },
    { c: 'china', at: '2026-02-14T08:30:00+08:00', open: true }, // Saturday make-up day, Monday's hours
    { c: 'china', at: '2026-02-14T17:30:00+08:00', open: true }, // past the weekend closing time
    { c: 'china', at: '2026-02-16T10:00:00+08:00', open: false }, // 春节 Monday
    { c: 'china', at: '2026-02-21T10:00:00+08:00', open: false }, // 春节 Saturday
    { c: 'china', at: '2026-01-01T10:00:00+08:00', open: false }, // 元旦
    { c: 'china', at: '2026-01-04T08:30:00+08:00', open: true }, // Sunday make-up day
    { c: 'china', at: '2026-10-04T12:00:00+08:00', open: false }, // 国庆 Sunday
    { c: 'china', at: '2026-10-10T08:30:00+08:00', open: true }, // Saturday make-up day
    { c: 'weekday', at: '2026-03-07T10:00:00+08:00', open: false }, // weekend closed
    { c: 'weekday', at: '2026-03-09T09:00:00+08:00', open: true },
    { c: 'weekday', at: '2026-03-09T08:59:59+08:00', open: false },
    { c: 'weekday', at: '2026-09-20T17:59:00+08:00', open: true }, // Sunday make-up day
    { c: 'lunch', at: '2026-03-10T11:59:59.999+08:00', open: true },
    { c: 'lunch', at: '2026-03-10T12:00:00+08:00', open: false }, // lunch break
    { c: 'lunch', at: '2026-03-10T13:29:59+08:00', open: false },
    { c: 'lunch', at: '2026-03-10T13:30:00+08:00', open: true },
    { c: 'lunch', at: '2026-03-10T18:00:00+08:00', open: false },
    { c: 'lunch', at: '2026-03-09T09:00:00+08:00', open: true }, // Monday with unsorted ranges
    { c: 'lunch', at: '2026-03-11T10:00:00+08:00', open: false }, // holiday
    { c: 'lunch', at: '2026-03-14T10:00:00+08:00', open: true },
    { c: 'lunch', at: '2026-03-14T14:00:00+08:00', open: false },
    { c: 'lunch', at: '2026-03-15T11:00:00+08:00', open: true }, // Sunday make-up day, own hours
    { c: 'lunch', at: '2026-03-15T12:00:00+08:00', open: false },
    { c: 'lunch', at: '2026-03-18T09:00:00+08:00', open: true }, // make-up wins over holiday
    { c: 'lunch', at: '2026-03-22T11:00:00+08:00', open: false }, // Sunday
    { c: 'night', at: '2026-03-10T21:59:59+08:00', open: false },
    { c: 'night', at: '2026-03-10T22:00:00+08:00', open: true },
    { c: 'night', at: '2026-03-10T23:59:59.999+08:00', open: true },
    { c: 'night', at: '2026-03-11T00:00:00+08:00', open: true },
    { c: 'night', at: '2026-03-11T01:59:59+08:00', open: true },
    { c: 'night', at: '2026-03-11T02:00:00+08:00', open: false },
    { c: 'always', at: '2026-01-01T00:00:00+08:00', open: true },
    { c: 'always', at: '2026-10-01T23:59:59.999+08:00', open: true },
    // New York, spring forward 2026-03-08 02:00 EST → 03:00 EDT
    { c: 'ny', at: '2026-03-08T09:00:00-04:00', open: true },
    { c: 'ny', at: '2026-03-08T08:59:59-04:00', open: false },
    { c: 'ny', at: '2026-03-08T16:59:59-04:00', open: true },
    { c: 'ny', at: '2026-03-08T17:00:00-04:00', open: false },
    { c: 'ny', at: '2026-03-07T09:00:00-05:00', open: true },
    { c: 'nyNight', at: '2026-03-08T01:59:59-05:00', open: true },
    { c: 'nyNight', at: '2026-03-08T03:00:00-04:00', open: false }, // 01:00–03:00 was one real hour
    // New York, fall back 2026-11-01 02:00 EDT → 01:00 EST: 01:xx happens twice
    { c: 'nyNight', at: '2026-11-01T01:30:00-04:00', open: true },
    { c: 'nyNight', at: '2026-11-01T01:30:00-05:00', open: true },
    { c: 'nyNight', at: '2026-11-01T02:59:59-05:00', open: true },
    { c: 'nyNight', at: '2026-11-01T03:00:00-05:00', open: false },
    { c: 'nyEarly', at: '2026-11-01T01:29:59-04:00', open: true },
    { c: 'nyEarly', at: '2026-11-01T01:45:00-04:00', open: false }, // wall clock past 01:30 …
    { c: 'nyEarly', at: '2026-11-01T01:15:00-05:00', open: true }, // … and back before it
    { c: 'nyGap', at: '2026-03-08T06:30:00Z', open: false }, // 02:15–02:45 never happens that day
    { c: 'nyGap', at: '2026-03-08T07:30:00Z', open: false },
    { c: 'nyGap', at: '2026-03-15T02:30:00-04:00', open: true },
    // London, spring forward 2026-03-29 01:00 GMT → 02:00 BST; fall back 2026-10-25 02:00 BST → 01:00 GMT
    { c: 'london', at: '2026-03-29T09:00:00+01:00', open: true },
    { c: 'london', at: '2026-03-29T08:30:00Z', open: true }, // = 09:30 BST
    { c: 'london', at: '2026-03-29T08:59:00+01:00', open: false },
    { c: 'london', at: '2026-10-25T17:29:00+00:00', open: true },
    { c: 'london', at: '2026-10-25T17:30:00+00:00', open: false },
    { c: 'londonNight', at: '2026-03-29T00:45:00+00:00', open: true },
    { c: 'londonNight', at: '2026-03-29T02:15:00+01:00', open: true },
    { c: 'londonNight', at: '2026-03-29T02:30:00+01:00', open: false },
    { c: 'londonNight', at: '2026-10-25T01:30:00+01:00', open: true },
    { c: 'londonNight', at: '2026-10-25T01:30:00+00:00', open: true },
    { c: 'londonNight', at: '2026-10-25T02:30:00+00:00', open: false },
  ])('$c $at → $open', ({ c, at: iso, open }) => {
    expect(isOpen(cal(c), at(iso))).toBe(open);
  });

  // Oracle: read each instant's local wall-clock time with luxon and compare strings with the
  // ranges of its local date — independent of how the module turns ranges into instants.
  it.each<{ c: CalName; from: string; days: number }>([
    { c: 'ny', from: '2026-03-06T00:00:00Z', days: 4 },
    { c: 'nyNight', from: '2026-03-06T00:00:00Z', days: 4 },
    { c: 'nyNight', from: '2026-10-30T00:00:00Z', days: 4 },
    { c: 'nyEarly', from: '2026-10-30T00:00:00Z', days: 4 },
    { c: 'nyGap', from: '2026-03-06T00:00:00Z', days: 4 },
    { c: 'london', from: '2026-03-27T00:00:00Z', days: 4 },
    { c: 'londonNight', from: '2026-03-27T00:00:00Z', days: 4 },
    { c: 'londonNight', from: '2026-10-23T00:00:00Z', days: 4 },
    { c: 'china', from: '2026-02-12T00:00:00Z', days: 14 },
    { c: 'lunch', from: '2026-03-08T00:00:00Z', days: 14 },
    { c: 'night', from: '2026-03-08T00:00:00Z', days: 3 },
  ])('agrees with a wall-clock oracle every 5 minutes: $c from $from', ({ c, from, days }) => {
    const calendar = cal(c);
    const start = at(from).getTime();
    const mismatches: string[] = [];
    for (let t = start; t < start + days * D; t += 5 * M) {
      const lt = DateTime.fromMillis(t, { zone: calendar.timeZone });
      const hhmm = lt.toFormat('HH:mm');
      const expected = hoursOn(calendar, lt.toISODate() ?? '').some((x) => x.start <= hhmm && hhmm < x.end);
      if (isOpen(calendar, new Date(t)) !== expected) mismatches.push(lt.toISO() ?? String(t));
    }
    expect(mismatches).toEqual([]);
  });
});

describe('nextOpening', () => {
  it.each<{ c: CalName; at: string; expected: string }>([
    { c: 'china', at: '2026-03-02T10:00:00+08:00', expected: '2026-03-02T10:00:00+08:00' }, // open: itself
    { c: 'china', at: '2026-03-02T08:30:00+08:00', expected: '2026-03-02T08:30:00+08:00' },
    { c: 'china', at: '2026-03-02T07:00:00+08:00', expected: '2026-03-02T08:30:00+08:00' },
    { c: 'china', at: '2026-03-02T18:00:00+08:00', expected: '2026-03-03T08:30:00+08:00' },
    { c: 'china', at: '2026-03-06T19:00:00+08:00', expected: '2026-03-07T09:00:00+08:00' }, // Fri → Sat
    { c: 'china', at: '2026-03-07T17:00:00+08:00', expected: '2026-03-08T09:00:00+08:00' }, // Sat → Sun
    { c: 'china', at: '2026-03-08T17:30:00+08:00', expected: '2026-03-09T08:30:00+08:00' }, // Sun → Mon
    { c: 'china', at: '2026-02-13T18:00:00+08:00', expected: '2026-02-14T08:30:00+08:00' }, // → make-up Saturday
    { c: 'china', at: '2026-02-14T18:00:00+08:00', expected: '2026-02-24T08:30:00+08:00' }, // across 春节
    { c: 'china', at: '2026-02-17T12:00:00+08:00', expected: '2026-02-24T08:30:00+08:00' },
    { c: 'china', at: '2026-09-30T18:30:00+08:00', expected: '2026-10-08T08:30:00+08:00' }, // across 国庆
    { c: 'china', at: '2025-12-31T18:00:00+08:00', expected: '2026-01-04T08:30:00+08:00' }, // across the new year
    { c: 'china', at: '2026-04-03T18:00:00+08:00', expected: '2026-04-07T08:30:00+08:00' }, // across 清明
    { c: 'china', at: '2026-04-30T18:00:00+08:00', expected: '2026-05-06T08:30:00+08:00' }, // across 劳动节
    { c: 'china', at: '2026-03-01T16:00:00Z', expected: '2026-03-02T08:30:00+08:00' }, // Sunday 00:00 in UTC terms
    { c: 'weekday', at: '2026-03-06T18:00:00+08:00', expected: '2026-03-09T09:00:00+08:00' },
    { c: 'weekday', at: '2026-02-13T18:00:00+08:00', expected: '2026-02-14T09:00:00+08:00' },
    { c: 'weekday', at: '2026-02-14T18:00:00+08:00', expected: '2026-02-24T09:00:00+08:00' },
    { c: 'weekday', at: '2026-02-27T18:00:00+08:00', expected: '2026-02-28T09:00:00+08:00' },
    { c: 'weekday', at: '2026-05-08T18:00:00+08:00', expected: '2026-05-09T09:00:00+08:00' },
    { c: 'weekday', at: '2026-06-18T18:00:00+08:00', expected: '2026-06-22T09:00:00+08:00' }, // across 端午
    { c: 'weekday', at: '2026-09-24T18:00:00+08:00', expected: '2026-09-28T09:00:00+08:00' }, // across 中秋
    { c: 'weekday', at: '2026-09-18T18:00:00+08:00', expected: '2026-09-20T09:00:00+08:00' }, // → make-up Sunday
    { c: 'lunch', at: '2026-03-10T12:00:00+08:00', expected: '2026-03-10T13:30:00+08:00' },
    { c: 'lunch', at: '2026-03-10T18:00:00+08:00', expected: '2026-03-12T09:00:00+08:00' }, // skips the holiday
    { c: 'lunch', at: '2026-03-14T14:00:00+08:00', expected: '2026-03-15T10:00:00+08:00' }, // → make-up Sunday
    { c: 'night', at: '2026-03-10T02:00:00+08:00', expected: '2026-03-10T22:00:00+08:00' },
    { c: 'ny', at: '2026-03-07T17:00:00-05:00', expected: '2026-03-08T09:00:00-04:00' },
    { c: 'ny', at: '2026-10-31T17:00:00-04:00', expected: '2026-11-01T09:00:00-05:00' },
    { c: 'nyNight', at: '2026-03-08T00:00:00-05:00', expected: '2026-03-08T01:00:00-05:00' },
    { c: 'nyNight', at: '2026-11-01T00:59:00-04:00', expected: '2026-11-01T01:00:00-04:00' },
    { c: 'nyEarly', at: '2026-11-01T01:30:00-04:00', expected: '2026-11-01T01:00:00-05:00' }, // reopens after fall-back
    { c: 'nyGap', at: '2026-03-08T00:00:00-05:00', expected: '2026-03-15T02:15:00-04:00' }, // gap day never opens
    { c: 'london', at: '2026-03-28T18:00:00+00:00', expected: '2026-03-29T09:00:00+01:00' },
    { c: 'londonNight', at: '2026-10-25T00:00:00+01:00', expected: '2026-10-25T00:30:00+01:00' },
  ])('$c $at → $expected', ({ c, at: iso, expected }) => {
    const calendar = cal(c);
    expect(local(nextOpening(calendar, at(iso)), calendar.timeZone)).toBe(expected);
  });

  it('throws a RangeError when nothing opens within 366 days', () => {
    const closed = everyDay('Asia/Shanghai', []);
    expect(() => nextOpening(closed, at('2026-03-02T10:00:00+08:00'))).toThrow(RangeError);
    const farAway = { ...closed, workdays: [{ date: '2027-04-01', hours: [r('10:00', '11:00')] }] }; // 395 days later
    expect(() => nextOpening(farAway, at('2026-03-02T10:00:00+08:00'))).toThrow(RangeError);
    const nearEnough = { ...closed, workdays: [{ date: '2027-02-01', hours: [r('10:00', '11:00')] }] };
    expect(local(nextOpening(nearEnough, at('2026-03-02T10:00:00+08:00')), 'Asia/Shanghai')).toBe('2027-02-01T10:00:00+08:00');
  });
});

describe('addBusinessTime', () => {
  it.each<{ c: CalName; start: string; ms: number; expected: string; why: string }>([
    { c: 'china', start: '2026-03-02T07:00:00+08:00', ms: 0, expected: '2026-03-02T07:00:00+08:00', why: 'ms=0 returns start even when closed' },
    { c: 'china', start: '2026-03-02T09:00:00+08:00', ms: H, expected: '2026-03-02T10:00:00+08:00', why: 'inside hours' },
    { c: 'china', start: '2026-03-02T07:00:00+08:00', ms: H, expected: '2026-03-02T09:30:00+08:00', why: 'before hours' },
    { c: 'china', start: '2026-03-02T17:00:00+08:00', ms: H, expected: '2026-03-02T18:00:00+08:00', why: 'ends exactly at closing' },
    { c: 'china', start: '2026-03-02T17:00:00+08:00', ms: 2 * H, expected: '2026-03-03T09:30:00+08:00', why: 'overnight' },
    { c: 'china', start: '2026-03-02T20:00:00+08:00', ms: H, expected: '2026-03-03T09:30:00+08:00', why: 'after hours' },
    { c: 'china', start: '2026-03-02T08:30:00+08:00', ms: 9.5 * H, expected: '2026-03-02T18:00:00+08:00', why: 'a whole weekday' },
    { c: 'china', start: '2026-03-06T17:00:00+08:00', ms: 2 * H, expected: '2026-03-07T10:00:00+08:00', why: 'Friday → Saturday 09:00' },
    { c: 'china', start: '2026-03-07T16:00:00+08:00', ms: 2 * H, expected: '2026-03-08T10:00:00+08:00', why: 'Saturday → Sunday' },
    { c: 'china', start: '2026-02-13T17:00:00+08:00', ms: 8 * H, expected: '2026-02-14T15:30:00+08:00', why: '春节: lands on the make-up Saturday' },
    { c: 'china', start: '2026-02-13T17:00:00+08:00', ms: 12 * H, expected: '2026-02-24T10:00:00+08:00', why: '春节: jumps the whole holiday' },
    { c: 'china', start: '2026-02-27T17:00:00+08:00', ms: 2 * H, expected: '2026-02-28T09:30:00+08:00', why: 'make-up Saturday uses Monday hours' },
    { c: 'china', start: '2026-09-30T17:00:00+08:00', ms: 2 * H, expected: '2026-10-08T09:30:00+08:00', why: '国庆' },
    { c: 'china', start: '2026-09-19T16:00:00+08:00', ms: 2 * H, expected: '2026-09-20T09:30:00+08:00', why: 'make-up Sunday before 国庆' },
    { c: 'china', start: '2025-12-31T17:00:00+08:00', ms: 4 * H, expected: '2026-01-04T11:30:00+08:00', why: 'year boundary + 元旦 + make-up Sunday' },
    { c: 'china', start: '2026-04-30T17:00:00+08:00', ms: 2 * H, expected: '2026-05-06T09:30:00+08:00', why: '劳动节' },
    { c: 'weekday', start: '2026-03-02T09:00:00+08:00', ms: 30 * 9 * H, expected: '2026-04-13T18:00:00+08:00', why: '30 working days over 清明' },
    { c: 'weekday', start: '2026-04-30T10:00:00+08:00', ms: 27 * H, expected: '2026-05-08T10:00:00+08:00', why: '3 working days over 劳动节' },
    { c: 'weekday', start: '2026-09-30T10:00:00+08:00', ms: 24 * H, expected: '2026-10-09T16:00:00+08:00', why: 'over 国庆' },
    { c: 'weekday', start: '2026-03-06T17:00:00+08:00', ms: 2 * H, expected: '2026-03-09T10:00:00+08:00', why: 'over a closed weekend' },
    { c: 'always', start: '2026-02-13T17:00:00+08:00', ms: 7 * D, expected: '2026-02-20T17:00:00+08:00', why: '24×7 ignores holidays' },
    { c: 'lunch', start: '2026-03-10T11:00:00+08:00', ms: H, expected: '2026-03-10T12:00:00+08:00', why: 'ends at lunch' },
    { c: 'lunch', start: '2026-03-10T11:00:00+08:00', ms: 2 * H, expected: '2026-03-10T14:30:00+08:00', why: 'skips lunch' },
    { c: 'lunch', start: '2026-03-10T12:30:00+08:00', ms: 30 * M, expected: '2026-03-10T14:00:00+08:00', why: 'starts in lunch' },
    { c: 'lunch', start: '2026-03-10T17:00:00+08:00', ms: 3 * H, expected: '2026-03-12T11:00:00+08:00', why: 'skips a holiday' },
    { c: 'lunch', start: '2026-03-14T13:00:00+08:00', ms: 2 * H, expected: '2026-03-15T11:00:00+08:00', why: 'make-up Sunday with own hours' },
    { c: 'night', start: '2026-03-10T23:00:00+08:00', ms: 2 * H, expected: '2026-03-11T01:00:00+08:00', why: 'runs through midnight' },
    { c: 'night', start: '2026-03-10T01:30:00+08:00', ms: H, expected: '2026-03-10T22:30:00+08:00', why: 'closed in the day' },
    { c: 'ny', start: '2026-03-07T16:00:00-05:00', ms: 2 * H, expected: '2026-03-08T10:00:00-04:00', why: 'into the spring-forward day' },
    { c: 'ny', start: '2026-03-08T08:00:00-04:00', ms: 8 * H, expected: '2026-03-08T17:00:00-04:00', why: 'whole 09:00–17:00 on the spring-forward day' },
    { c: 'ny', start: '2026-03-07T12:00:00-05:00', ms: 24 * H, expected: '2026-03-10T12:00:00-04:00', why: 'several days over DST' },
    { c: 'ny', start: '2026-10-31T16:00:00-04:00', ms: 2 * H, expected: '2026-11-01T10:00:00-05:00', why: 'into the fall-back day' },
    { c: 'nyNight', start: '2026-03-08T00:00:00-05:00', ms: H, expected: '2026-03-08T03:00:00-04:00', why: '01:00–03:00 is one hour on spring-forward' },
    { c: 'nyNight', start: '2026-03-08T00:00:00-05:00', ms: 90 * M, expected: '2026-03-09T01:30:00-04:00', why: 'spills to the next night' },
    { c: 'nyNight', start: '2026-11-01T00:00:00-04:00', ms: 90 * M, expected: '2026-11-01T01:30:00-05:00', why: 'the second 01:30 on fall-back' },
    { c: 'nyNight', start: '2026-11-01T00:00:00-04:00', ms: 150 * M, expected: '2026-11-01T02:30:00-05:00', why: '01:00–03:00 is three hours on fall-back' },
    { c: 'london', start: '2026-03-28T17:00:00+00:00', ms: H, expected: '2026-03-29T09:30:00+01:00', why: 'into BST' },
    { c: 'london', start: '2026-10-24T17:00:00+01:00', ms: H, expected: '2026-10-25T09:30:00+00:00', why: 'into GMT' },
    { c: 'londonNight', start: '2026-03-29T00:00:00+00:00', ms: H, expected: '2026-03-29T02:30:00+01:00', why: '00:30–02:30 is one hour on spring-forward' },
    { c: 'londonNight', start: '2026-10-25T00:00:00+01:00', ms: 150 * M, expected: '2026-10-25T02:00:00+00:00', why: '00:30–02:30 is three hours on fall-back' },
  ])('$c $start + $ms ms → $expected ($why)', ({ c, start, ms, expected }) => {
    const calendar = cal(c);
    expect(local(addBusinessTime(calendar, at(start), ms), calendar.timeZone)).toBe(expected);
  });

  it('rejects negative or non-finite durations and invalid dates', () => {
    expect(() => addBusinessTime(CHINA, at('2026-03-02T09:00:00+08:00'), -1)).toThrow(RangeError);
    expect(() => addBusinessTime(CHINA, at('2026-03-02T09:00:00+08:00'), Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => addBusinessTime(CHINA, at('2026-03-02T09:00:00+08:00'), Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessTime(CHINA, new Date('nope'), H)).toThrow(RangeError);
  });

  it('throws a RangeError on a calendar that never opens', () => {
    expect(() => addBusinessTime(everyDay('Asia/Shanghai', []), at('2026-03-02T09:00:00+08:00'), H)).toThrow(RangeError);
  });

  it('1000 calls of 7 days take well under a second', () => {
    const rand = prng(7);
    // A calendar no earlier test used, so compiling it is part of the measurement.
    const fresh: BusinessCalendar = { ...chinaStandardCalendar(), timeZone: 'Asia/Hong_Kong' };
    const base = at('2026-01-01T00:00:00+08:00').getTime();
    const starts = Array.from({ length: 1000 }, () => new Date(base + Math.floor(rand() * 360 * D)));
    const t0 = performance.now();
    for (const s of starts) addBusinessTime(fresh, s, 7 * D); // a week of business time ≈ 20 working days
    for (const s of starts) addBusinessTime(ALWAYS_OPEN, s, 7 * D);
    for (const s of starts) addBusinessTime(weekdayCalendar(), s, 7 * D); // fresh objects, as loaded per ticket
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('businessTimeBetween', () => {
  it.each<{ c: CalName; from: string; to: string; expected: number }>([
    { c: 'china', from: '2026-03-02T08:30:00+08:00', to: '2026-03-02T18:00:00+08:00', expected: 9.5 * H },
    { c: 'china', from: '2026-03-02T18:00:00+08:00', to: '2026-03-02T08:30:00+08:00', expected: 0 }, // to < from
    { c: 'china', from: '2026-03-02T10:00:00+08:00', to: '2026-03-02T10:00:00+08:00', expected: 0 }, // empty
    { c: 'china', from: '2026-03-02T17:00:00+08:00', to: '2026-03-03T09:00:00+08:00', expected: 1.5 * H },
    { c: 'china', from: '2026-03-02T18:00:00+08:00', to: '2026-03-03T08:30:00+08:00', expected: 0 }, // night
    { c: 'china', from: '2026-03-02T00:00:00+08:00', to: '2026-03-09T00:00:00+08:00', expected: 5 * 9.5 * H + 2 * 8 * H },
    { c: 'china', from: '2026-02-14T00:00:00+08:00', to: '2026-02-25T00:00:00+08:00', expected: 19 * H }, // 春节
    { c: 'china', from: '2026-09-30T00:00:00+08:00', to: '2026-10-11T00:00:00+08:00', expected: 4 * 9.5 * H }, // 国庆
    { c: 'china', from: '2025-12-31T00:00:00+08:00', to: '2026-01-05T00:00:00+08:00', expected: 19 * H }, // new year
    { c: 'weekday', from: '2026-02-01T00:00:00+08:00', to: '2026-03-01T00:00:00+08:00', expected: 16 * 9 * H }, // February
    { c: 'weekday', from: '2026-10-01T00:00:00+08:00', to: '2026-11-01T00:00:00+08:00', expected: 18 * 9 * H }, // October
    { c: 'lunch', from: '2026-03-10T00:00:00+08:00', to: '2026-03-11T00:00:00+08:00', expected: 7.5 * H },
    { c: 'lunch', from: '2026-03-10T11:00:00+08:00', to: '2026-03-10T14:00:00+08:00', expected: 1.5 * H },
    { c: 'night', from: '2026-03-10T23:00:00+08:00', to: '2026-03-11T01:00:00+08:00', expected: 2 * H },
    { c: 'always', from: '2026-02-01T00:00:00+08:00', to: '2026-03-01T00:00:00+08:00', expected: 28 * D },
    { c: 'ny', from: '2026-03-07T09:00:00-05:00', to: '2026-03-09T09:00:00-04:00', expected: 16 * H }, // 47 wall hours
    { c: 'ny', from: '2026-10-31T00:00:00-04:00', to: '2026-11-02T00:00:00-05:00', expected: 16 * H }, // 49 wall hours
    { c: 'nyNight', from: '2026-03-08T00:00:00-05:00', to: '2026-03-09T00:00:00-04:00', expected: H },
    { c: 'nyNight', from: '2026-11-01T00:00:00-04:00', to: '2026-11-02T00:00:00-05:00', expected: 3 * H },
    { c: 'nyEarly', from: '2026-11-01T00:00:00-04:00', to: '2026-11-02T00:00:00-05:00', expected: 2 * H }, // 00:00–01:30 + 01:00–01:30 again
    { c: 'nyGap', from: '2026-03-08T00:00:00-05:00', to: '2026-03-09T00:00:00-04:00', expected: 0 },
    { c: 'nyGap', from: '2026-03-15T00:00:00-04:00', to: '2026-03-16T00:00:00-04:00', expected: 30 * M },
    { c: 'nyGap', from: '2026-11-01T00:00:00-04:00', to: '2026-11-02T00:00:00-05:00', expected: 30 * M }, // 02:15 happens once
    { c: 'london', from: '2026-03-29T00:00:00+00:00', to: '2026-03-30T00:00:00+01:00', expected: 8.5 * H },
    { c: 'londonNight', from: '2026-03-29T00:00:00+00:00', to: '2026-03-30T00:00:00+01:00', expected: H },
    { c: 'londonNight', from: '2026-10-25T00:00:00+01:00', to: '2026-10-26T00:00:00+00:00', expected: 3 * H },
  ])('$c [$from, $to) = $expected ms', ({ c, from, to, expected }) => {
    expect(businessTimeBetween(cal(c), at(from), at(to))).toBe(expected);
  });

  it('agrees with a 5-minute wall-clock count on random spans', () => {
    const rand = prng(2026);
    const base = at('2026-01-01T00:00:00Z').getTime();
    for (const name of ['china', 'lunch', 'night', 'nyNight', 'nyEarly', 'londonNight'] as const) {
      const calendar = cal(name);
      for (let i = 0; i < 12; i++) {
        // Spans on a 5-minute grid, 2 days long, some of them around the DST dates.
        const anchor = i % 3 === 0 ? at('2026-03-07T00:00:00Z').getTime() : i % 3 === 1 ? at('2026-10-24T00:00:00Z').getTime() : base;
        const from = anchor + Math.floor(rand() * (i % 3 === 2 ? 360 : 9) * 288) * 5 * M;
        const to = from + Math.floor(rand() * 2 * 288) * 5 * M;
        let count = 0;
        for (let t = from; t < to; t += 5 * M) {
          const lt = DateTime.fromMillis(t, { zone: calendar.timeZone });
          const hhmm = lt.toFormat('HH:mm');
          if (hoursOn(calendar, lt.toISODate() ?? '').some((x) => x.start <= hhmm && hhmm < x.end)) count++;
        }
        expect(businessTimeBetween(calendar, new Date(from), new Date(to)), `${name} ${new Date(from).toISOString()}`).toBe(count * 5 * M);
      }
    }
  });
});

describe('addBusinessTime and businessTimeBetween round-trip (seeded random instants)', () => {
  const names: CalName[] = ['china', 'weekday', 'lunch', 'night', 'always', 'ny', 'nyNight', 'nyEarly', 'london', 'londonNight'];
  const base = at('2025-12-01T00:00:00Z').getTime();
  const span = at('2027-01-15T00:00:00Z').getTime() - base;

  it.each(names)('%s: between(start, add(start, ms)) = ms', (name) => {
    const calendar = cal(name);
    const rand = prng(name.length * 7919);
    for (let i = 0; i < 300; i++) {
      const start = new Date(base + Math.floor(rand() * span));
      const ms = 1 + Math.floor(rand() * 10 * D);
      const end = addBusinessTime(calendar, start, ms);
      expect(end.getTime()).toBeGreaterThan(start.getTime());
      expect(businessTimeBetween(calendar, start, end), `${name} ${start.toISOString()} + ${ms}`).toBe(ms);
      // The end is the earliest such instant: one millisecond earlier is one ms short.
      expect(businessTimeBetween(calendar, start, new Date(end.getTime() - 1))).toBe(ms - 1);
    }
  });

  it.each(names)('%s: add(from, between(from, to)) is the last open instant up to `to`', (name) => {
    const calendar = cal(name);
    const rand = prng(name.length * 104729);
    for (let i = 0; i < 300; i++) {
      const from = new Date(base + Math.floor(rand() * span));
      const to = new Date(from.getTime() + Math.floor(rand() * 20 * D));
      const b = businessTimeBetween(calendar, from, to);
      const back = addBusinessTime(calendar, from, b);
      expect(back.getTime()).toBeLessThanOrEqual(to.getTime());
      expect(businessTimeBetween(calendar, back, to)).toBe(0);
      expect(businessTimeBetween(calendar, from, back)).toBe(b);
    }
  });

  it.each(names)('%s: between is additive and isOpen matches one-ms slices', (name) => {
    const calendar = cal(name);
    const rand = prng(name.length * 31337);
    for (let i = 0; i < 300; i++) {
      const [a, b, c] = [rand(), rand(), rand()].map((x) => base + Math.floor(x * span)).sort((x, y) => x - y) as [number, number, number];
      const ab = businessTimeBetween(calendar, new Date(a), new Date(b));
      const bc = businessTimeBetween(calendar, new Date(b), new Date(c));
      expect(businessTimeBetween(calendar, new Date(a), new Date(c))).toBe(ab + bc);
      expect(businessTimeBetween(calendar, new Date(a), new Date(a + 1))).toBe(isOpen(calendar, new Date(a)) ? 1 : 0);
      const next = nextOpening(calendar, new Date(a));
      expect(isOpen(calendar, next)).toBe(true);
      expect(businessTimeBetween(calendar, new Date(a), next)).toBe(0);
    }
  });
});

describe('validateCalendar', () => {
  const base = (): BusinessCalendar => weekdayCalendar();

  it.each<{ c: CalName }>([{ c: 'china' }, { c: 'weekday' }, { c: 'always' }, { c: 'lunch' }, { c: 'night' }, { c: 'ny' }, { c: 'london' }])(
    '$c is valid',
    ({ c }) => {
      expect(validateCalendar(cal(c))).toEqual([]);
    },
  );

  it.each<{ why: string; change: (c: BusinessCalendar) => void; problems: string[] }>([
    { why: 'unknown zone', change: (c) => { c.timeZone = 'Mars/Olympus'; }, problems: ['timeZone "Mars/Olympus" is not a valid IANA time zone'] },
    { why: 'empty zone', change: (c) => { c.timeZone = ''; }, problems: ['timeZone "" is not a valid IANA time zone'] },
    { why: 'one-digit hour', change: (c) => { c.weeklyHours['1'] = [r('9:00', '18:00')]; }, problems: ['weeklyHours["1"][0].start "9:00" is not a valid HH:MM time (00:00–23:59)'] },
    { why: '24:00 as start', change: (c) => { c.weeklyHours['2'] = [r('24:00', '24:00')]; }, problems: ['weeklyHours["2"][0].start "24:00" is not a valid HH:MM time (00:00–23:59)'] },
    { why: 'minute 60', change: (c) => { c.weeklyHours['3'] = [r('12:60', '18:00')]; }, problems: ['weeklyHours["3"][0].start "12:60" is not a valid HH:MM time (00:00–23:59)'] },
    { why: 'end past 24:00', change: (c) => { c.weeklyHours['1'] = [r('09:00', '24:01')]; }, problems: ['weeklyHours["1"][0].end "24:01" is not a valid HH:MM time (00:00–24:00)'] },
    { why: 'hour 25', change: (c) => { c.weeklyHours['1'] = [r('09:00', '25:00')]; }, problems: ['weeklyHours["1"][0].end "25:00" is not a valid HH:MM time (00:00–24:00)'] },
    { why: 'start after end', change: (c) => { c.weeklyHours['1'] = [r('18:00', '09:00')]; }, problems: ['weeklyHours["1"][0]: start 18:00 is not before end 09:00'] },
    { why: 'start equals end', change: (c) => { c.weeklyHours['5'] = [r('09:00', '09:00')]; }, problems: ['weeklyHours["5"][0]: start 09:00 is not before end 09:00'] },
    { why: 'overnight range must be split', change: (c) => { c.weeklyHours['5'] = [r('22:00', '00:00')]; }, problems: ['weeklyHours["5"][0]: start 22:00 is not before end 00:00'] },
    { why: 'overlap', change: (c) => { c.weeklyHours['1'] = [r('09:00', '12:00'), r('11:30', '18:00')]; }, problems: ['weeklyHours["1"]: ranges 09:00–12:00 and 11:30–18:00 overlap'] },
    { why: 'overlap, unsorted', change: (c) => { c.weeklyHours['4'] = [r('13:00', '18:00'), r('09:00', '13:30')]; }, problems: ['weeklyHours["4"]: ranges 09:00–13:30 and 13:00–18:00 overlap'] },
    { why: 'adjacent ranges are fine', change: (c) => { c.weeklyHours['1'] = [r('09:00', '12:00'), r('12:00', '18:00')]; }, problems: [] },
    { why: 'full day is fine', change: (c) => { c.weeklyHours['7'] = [r('00:00', '24:00')]; }, problems: [] },
    {
      why: 'missing weekday',
      change: (c) => {
        const w: Partial<Record<string, TimeRange[]>> = c.weeklyHours;
        delete w['7'];
      },
      problems: ['weeklyHours["7"] is missing (use [] for a closed day)'],
    },
    {
      why: 'unknown weekday key',
      change: (c) => {
        const w: Record<string, TimeRange[]> = c.weeklyHours;
        w['0'] = [];
      },
      problems: ['weeklyHours has unknown key "0" (ISO weekdays are "1"–"7")'],
    },
    { why: 'impossible holiday', change: (c) => { c.holidays = ['2026-02-30']; }, problems: ['holidays[0]: "2026-02-30" is not a valid YYYY-MM-DD date'] },
    { why: 'slashes in holiday', change: (c) => { c.holidays = ['2026-10-01', '2026/10/02']; }, problems: ['holidays[1]: "2026/10/02" is not a valid YYYY-MM-DD date'] },
    { why: 'bad make-up date', change: (c) => { c.workdays = [{ date: '2026-13-01' }]; }, problems: ['workdays[0].date: "2026-13-01" is not a valid YYYY-MM-DD date'] },
    { why: 'duplicate make-up date', change: (c) => { c.workdays = [{ date: '2026-02-14' }, { date: '2026-02-14', hours: [r('10:00', '11:00')] }]; }, problems: ['workdays[1].date: 2026-02-14 is listed more than once'] },
    { why: 'bad make-up hours', change: (c) => { c.workdays = [{ date: '2026-02-14', hours: [r('10:00', '09:00')] }]; }, problems: ['workdays[0].hours[0]: start 10:00 is not before end 09:00'] },
    {
      why: 'several problems at once',
      change: (c) => {
        c.timeZone = 'Asia/Beijing';
        c.holidays = ['2026-02-29'];
        c.weeklyHours['6'] = [r('10:00', '12:00'), r('11:00', '13:00')];
      },
      problems: [
        'timeZone "Asia/Beijing" is not a valid IANA time zone',
        'weeklyHours["6"]: ranges 10:00–12:00 and 11:00–13:00 overlap',
        'holidays[0]: "2026-02-29" is not a valid YYYY-MM-DD date',
      ],
    },
  ])('$why', ({ change, problems }) => {
    const c = base();
    change(c);
    expect(validateCalendar(c)).toEqual(problems);
  });

  it('calendarProblems names the part of the definition each problem is in', () => {
    const c = base();
    c.timeZone = 'Asia/Beijing';
    c.weeklyHours['6'] = [r('10:00', '09:00')];
    c.holidays = ['2026-02-29'];
    c.workdays = [{ date: '2026-02-14' }, { date: '2026-02-14' }];
    expect(calendarProblems(c).map((p) => p.part)).toEqual(['timeZone', 'weeklyHours', 'holidays', 'workdays']);
    expect(calendarProblems(c).map((p) => p.message)).toEqual(validateCalendar(c));
    expect(calendarProblems(base())).toEqual([]);
  });

  it('the other functions refuse an invalid calendar', () => {
    const c = base();
    c.weeklyHours['1'] = [r('18:00', '09:00')];
    expect(() => isOpen(c, at('2026-03-02T10:00:00+08:00'))).toThrow(/Invalid business calendar: weeklyHours\["1"\]\[0\]: start 18:00/);
    expect(() => addBusinessTime(c, at('2026-03-02T10:00:00+08:00'), H)).toThrow(RangeError);
    expect(() => hoursOn(c, '2026-03-02')).toThrow(RangeError);
  });

  it('sees changes made to a calendar object after it was used', () => {
    const c = weekdayCalendar();
    expect(isOpen(c, at('2026-03-07T10:00:00+08:00'))).toBe(false);
    c.weeklyHours['6'] = [r('09:00', '12:00')];
    expect(isOpen(c, at('2026-03-07T10:00:00+08:00'))).toBe(true);
  });
});

describe('standard calendars', () => {
  it('CHINA_2026_HOLIDAYS lists the seven 2026 statutory holidays', () => {
    expect(CHINA_2026_HOLIDAYS.map((h) => [h.name, h.dates.length, h.dates[0], h.dates.at(-1), h.workdays])).toEqual([
      ['元旦', 3, '2026-01-01', '2026-01-03', ['2026-01-04']],
      ['春节', 9, '2026-02-15', '2026-02-23', ['2026-02-14', '2026-02-28']],
      ['清明节', 3, '2026-04-04', '2026-04-06', []],
      ['劳动节', 5, '2026-05-01', '2026-05-05', ['2026-05-09']],
      ['端午节', 3, '2026-06-19', '2026-06-21', []],
      ['中秋节', 3, '2026-09-25', '2026-09-27', []],
      ['国庆节', 7, '2026-10-01', '2026-10-07', ['2026-09-20', '2026-10-10']],
    ]);
    // Dates are consecutive within each holiday.
    for (const h of CHINA_2026_HOLIDAYS) {
      h.dates.forEach((d, i) => {
        expect(DateTime.fromISO(h.dates[0]!).plus({ days: i }).toISODate()).toBe(d);
      });
    }
  });

  it.each([
    ['china', chinaStandardCalendar, [r('08:30', '18:00')]],
    ['weekday', weekdayCalendar, [r('09:00', '18:00')]],
  ] as const)('%s closes on every holiday date and opens with Monday hours on every make-up day', (_name, make, monday) => {
    const c = make();
    expect(c.timeZone).toBe('Asia/Shanghai');
    for (const h of CHINA_2026_HOLIDAYS) {
      for (const d of h.dates) expect(hoursOn(c, d), d).toEqual([]);
      for (const d of h.workdays) expect(hoursOn(c, d), d).toEqual(monday);
    }
    expect(c.holidays).toHaveLength(33);
    expect(c.workdays).toHaveLength(6);
  });

  it('weekly hours of the standard calendars', () => {
    const china = chinaStandardCalendar();
    expect(china.weeklyHours).toEqual({
      '1': [r('08:30', '18:00')], '2': [r('08:30', '18:00')], '3': [r('08:30', '18:00')], '4': [r('08:30', '18:00')], '5': [r('08:30', '18:00')],
      '6': [r('09:00', '17:00')], '7': [r('09:00', '17:00')],
    });
    const weekday = weekdayCalendar();
    expect(weekday.weeklyHours['6']).toEqual([]);
    expect(weekday.weeklyHours['7']).toEqual([]);
    expect(ALWAYS_OPEN.timeZone).toBe('Asia/Shanghai');
    expect(ALWAYS_OPEN.holidays).toEqual([]);
  });

  it('returns fresh objects and keeps ALWAYS_OPEN frozen', () => {
    const a = chinaStandardCalendar();
    a.weeklyHours['1'].push(r('20:00', '21:00'));
    a.holidays.push('2026-03-02');
    expect(chinaStandardCalendar().weeklyHours['1']).toEqual([r('08:30', '18:00')]);
    expect(chinaStandardCalendar().holidays).not.toContain('2026-03-02');
    expect(Object.isFrozen(ALWAYS_OPEN)).toBe(true);
    expect(Object.isFrozen(ALWAYS_OPEN.weeklyHours['1'])).toBe(true);
  });
});

describe('workdayMinutes: open minutes of a regular working day', () => {
  it('sums Monday’s ranges; a calendar closed on Mondays counts a whole day', () => {
    expect(workdayMinutes(weekdayCalendar())).toBe(9 * 60);
    expect(workdayMinutes(chinaStandardCalendar())).toBe(9 * 60 + 30);
    const split: BusinessCalendar = { ...weekdayCalendar(), weeklyHours: { ...weekdayCalendar().weeklyHours, '1': [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '24:00' }] } };
    expect(workdayMinutes(split)).toBe(3 * 60 + 10.5 * 60);
    const closedMonday: BusinessCalendar = { ...weekdayCalendar(), weeklyHours: { ...weekdayCalendar().weeklyHours, '1': [] } };
    expect(workdayMinutes(closedMonday)).toBe(24 * 60);
  });
});
