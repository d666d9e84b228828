/**
 * Business-hours calendars: when customer service is open, and how much open time lies between
 * two instants. Pure: no I/O and no clock — every instant is passed in.
 *
 * Semantics
 * - An instant is open when its local wall-clock time (in `timeZone`) falls inside one of the
 *   ranges of its local date. Ranges are [start, end) in "HH:MM"; "24:00" ends at midnight.
 * - Across DST transitions this is exact: on a spring-forward day a 01:00–03:00 range in New York
 *   is one real hour long, on the fall-back day three; a range wholly inside the skipped hour
 *   never opens.
 * - Precedence for a local date: make-up workday (调休) > holiday > weekly hours. A make-up day
 *   without its own hours uses Monday's.
 *
 * Performance: open time is computed per UTC-aligned day chunk and cached per calendar (keyed by
 * the calendar's JSON, so equal calendars loaded afresh share the cache), so addBusinessTime and
 * businessTimeBetween step day by day and repeated calls hit the cache.
 */
import { IANAZone } from 'luxon';

export interface TimeRange {
  /** "HH:MM" local time, inclusive. */
  start: string;
  /** "HH:MM" local time, exclusive; "24:00" allowed. */
  end: string;
}

export type IsoWeekdayKey = '1' | '2' | '3' | '4' | '5' | '6' | '7';

export interface BusinessCalendar {
  /** IANA time zone, e.g. "Asia/Shanghai". */
  timeZone: string;
  /** ISO weekday 1 = Monday … 7 = Sunday; [] = closed all day. */
  weeklyHours: Record<IsoWeekdayKey, TimeRange[]>;
  /** "YYYY-MM-DD" local dates that are fully closed. */
  holidays: string[];
  /** Make-up working days (调休): open even on a weekend or holiday; hours default to Monday's. */
  workdays: { date: string; hours?: TimeRange[] }[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far nextOpening / addBusinessTime look for open time before giving up. */
const SEARCH_DAYS = 366;
const WEEKDAY_KEYS: readonly IsoWeekdayKey[] = ['1', '2', '3', '4', '5', '6', '7'];

// ---------------------------------------------------------------------------------------------
// Parsing and validation

const HHMM = /^(\d{2}):(\d{2})$/;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since local midnight, or null when not a valid "HH:MM" (24:00 only when `isEnd`). */
function parseHHMM(value: unknown, isEnd: boolean): number | null {
  if (typeof value !== 'string') return null;
  const m = HHMM.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return isEnd ? 1440 : null;
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** Days since 1970-01-01 of a "YYYY-MM-DD" date, or null when it is not a real calendar date. */
function parseYMD(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = YMD.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return Math.round(t.getTime() / DAY);
}

function formatYMD(dayNum: number): string {
  return new Date(dayNum * DAY).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday) of a day number; 1970-01-01 was a Thursday. */
function isoWeekday(dayNum: number): number {
  return ((((dayNum + 3) % 7) + 7) % 7) + 1;
}

function validateRanges(label: string, ranges: unknown, problems: string[]): void {
  if (!Array.isArray(ranges)) {
    problems.push(`${label} must be a list of time ranges`);
    return;
  }
  const good: { start: number; end: number; text: string }[] = [];
  ranges.forEach((r: unknown, i: number) => {
    const range = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const start = parseHHMM(range['start'], false);
    const end = parseHHMM(range['end'], true);
    if (start === null) {
      problems.push(`${label}[${i}].start ${JSON.stringify(range['start'])} is not a valid HH:MM time (00:00–23:59)`);
    }
    if (end === null) {
      problems.push(`${label}[${i}].end ${JSON.stringify(range['end'])} is not a valid HH:MM time (00:00–24:00)`);
    }
    if (start === null || end === null) return;
    if (start >= end) {
      problems.push(`${label}[${i}]: start ${String(range['start'])} is not before end ${String(range['end'])}`);
      return;
    }
    good.push({ start, end, text: `${String(range['start'])}–${String(range['end'])}` });
  });
  good.sort((a, b) => a.start - b.start);
  for (let i = 1; i < good.length; i++) {
    const prev = good[i - 1]!;
    const cur = good[i]!;
    if (cur.start < prev.end) problems.push(`${label}: ranges ${prev.text} and ${cur.text} overlap`);
  }
}

/** The parts of a calendar definition a problem can be in (what a form shows it by). */
export type CalendarPart = 'timeZone' | 'weeklyHours' | 'holidays' | 'workdays';

/** Human-readable problems with the calendar; [] when it is valid. */
export function validateCalendar(cal: BusinessCalendar): string[] {
  return calendarProblems(cal).map((p) => p.message);
}

/** The calendar's problems, each with the part of the definition it is in. */
export function calendarProblems(cal: BusinessCalendar): { part: CalendarPart; message: string }[] {
  const out: { part: CalendarPart; message: string }[] = [];
  const section = (part: CalendarPart, check: (problems: string[]) => void): void => {
    const problems: string[] = [];
    check(problems);
    for (const message of problems) out.push({ part, message });
  };
  const c = cal as unknown as Record<string, unknown>;

  section('timeZone', (problems) => {
    const tz = c['timeZone'];
    if (typeof tz !== 'string' || !IANAZone.isValidZone(tz)) {
      problems.push(`timeZone ${JSON.stringify(tz)} is not a valid IANA time zone`);
    }
  });

  section('weeklyHours', (problems) => {
    const weekly = c['weeklyHours'];
    if (typeof weekly !== 'object' || weekly === null) {
      problems.push('weeklyHours must map ISO weekdays "1" (Monday) … "7" (Sunday) to time ranges');
      return;
    }
    const w = weekly as Record<string, unknown>;
    for (const key of WEEKDAY_KEYS) {
      if (!(key in w)) problems.push(`weeklyHours["${key}"] is missing (use [] for a closed day)`);
      else validateRanges(`weeklyHours["${key}"]`, w[key], problems);
    }
    for (const key of Object.keys(w)) {
      if (!(WEEKDAY_KEYS as readonly string[]).includes(key)) {
        problems.push(`weeklyHours has unknown key "${key}" (ISO weekdays are "1"–"7")`);
      }
    }
  });

  section('holidays', (problems) => {
    const holidays = c['holidays'];
    if (!Array.isArray(holidays)) {
      problems.push('holidays must be a list of YYYY-MM-DD dates');
      return;
    }
    holidays.forEach((d: unknown, i: number) => {
      if (parseYMD(d) === null) problems.push(`holidays[${i}]: ${JSON.stringify(d)} is not a valid YYYY-MM-DD date`);
    });
  });

  section('workdays', (problems) => {
    const workdays = c['workdays'];
    if (!Array.isArray(workdays)) {
      problems.push('workdays must be a list of { date, hours? }');
      return;
    }
    const seen = new Set<number>();
    workdays.forEach((w: unknown, i: number) => {
      const wd = (typeof w === 'object' && w !== null ? w : {}) as Record<string, unknown>;
      const day = parseYMD(wd['date']);
      if (day === null) {
        problems.push(`workdays[${i}].date: ${JSON.stringify(wd['date'])} is not a valid YYYY-MM-DD date`);
      } else if (seen.has(day)) {
        problems.push(`workdays[${i}].date: ${String(wd['date'])} is listed more than once`);
      } else {
        seen.add(day);
      }
      if (wd['hours'] !== undefined) validateRanges(`workdays[${i}].hours`, wd['hours'], problems);
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Compiled calendars

/** Local minute ranges as a flat sorted list [start0, end0, start1, end1, …]. */
type MinuteRanges = readonly number[];

class Compiled {
  readonly zone: IANAZone;
  /** Offset (ms) used to align chunks roughly with local midnight. */
  private readonly chunkShift: number;
  private readonly weekly: MinuteRanges[];
  private readonly holidays: Set<number>;
  private readonly workdays: Map<number, MinuteRanges>;
  private readonly dayCache = new Map<number, number[]>();
  private readonly chunkCache = new Map<number, number[]>();

  constructor(cal: BusinessCalendar) {
    const problems = validateCalendar(cal);
    if (problems.length > 0) throw new RangeError(`Invalid business calendar: ${problems.join('; ')}`);
    this.zone = IANAZone.create(cal.timeZone);
    this.chunkShift = this.offsetMs(Date.UTC(2026, 0, 1));
    this.weekly = [[]];
    for (const key of WEEKDAY_KEYS) this.weekly.push(toMinuteRanges(cal.weeklyHours[key]));
    this.holidays = new Set(cal.holidays.map((d) => parseYMD(d)!));
    const monday = this.weekly[1]!;
    this.workdays = new Map(
      cal.workdays.map((w) => [parseYMD(w.date)!, w.hours ? toMinuteRanges(w.hours) : monday]),
    );
  }

  offsetMs(t: number): number {
    return this.zone.offset(t) * MINUTE;
  }

  rangesOn(dayNum: number): MinuteRanges {
    const work = this.workdays.get(dayNum);
    if (work) return work;
    if (this.holidays.has(dayNum)) return [];
    return this.weekly[isoWeekday(dayNum)]!;
  }

  chunkOf(t: number): number {
    return Math.floor((t + this.chunkShift) / DAY);
  }

  /**
   * Open intervals (UTC ms, flat [s, e, …], sorted, merged) inside chunk c, i.e. within
   * [c·DAY − shift, (c+1)·DAY − shift). Chunks are disjoint and ordered, so walking chunks walks
   * time forward even in zones whose wall clock jumps back across midnight.
   */
  chunk(c: number): number[] {
    let out = this.chunkCache.get(c);
    if (out) return out;
    const lo = c * DAY - this.chunkShift;
    const hi = lo + DAY;
    const parts: number[] = [];
    // A local day's instants lie within a day or so of the chunk of the same number.
    for (let d = c - 2; d <= c + 2; d++) {
      const iv = this.day(d);
      for (let i = 0; i < iv.length; i += 2) {
        const s = Math.max(iv[i]!, lo);
        const e = Math.min(iv[i + 1]!, hi);
        if (s < e) parts.push(s, e);
      }
    }
    out = mergeIntervals(parts);
    if (this.chunkCache.size >= 4096) this.chunkCache.clear();
    this.chunkCache.set(c, out);
    return out;
  }

  /** Instants (flat [s, e, …]) whose local wall-clock time is inside the ranges of local day d. */
  private day(d: number): number[] {
    let out = this.dayCache.get(d);
    if (out) return out;
    const ranges = this.rangesOn(d);
    out = [];
    if (ranges.length > 0) {
      const wallStart = d * DAY; // local midnight, read as if it were UTC
      // Every instant of this local day lies in [wallStart − 14h, wallStart + 24h + 12h].
      const tA = wallStart - 15 * 3_600_000;
      const tB = wallStart + 37 * 3_600_000;
      const oA = this.offsetMs(tA);
      const oB = this.offsetMs(tB);
      if (oA === oB) {
        for (let i = 0; i < ranges.length; i += 2) {
          out.push(wallStart + ranges[i]! * MINUTE - oA, wallStart + ranges[i + 1]! * MINUTE - oA);
        }
      } else {
        // One offset change in the window: find its instant, then each wall range maps to
        // instants before the change at the old offset and after it at the new one.
        let lo = tA;
        let hi = tB;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.offsetMs(mid) === oA) lo = mid;
          else hi = mid;
        }
        const change = hi;
        const parts: number[] = [];
        for (let i = 0; i < ranges.length; i += 2) {
          const ws = wallStart + ranges[i]! * MINUTE;
          const we = wallStart + ranges[i + 1]! * MINUTE;
          const s1 = ws - oA;
          const e1 = Math.min(we - oA, change);
          if (s1 < e1) parts.push(s1, e1);
          const s2 = Math.max(ws - oB, change);
          const e2 = we - oB;
          if (s2 < e2) parts.push(s2, e2);
        }
        out = mergeIntervals(parts);
      }
    }
    if (this.dayCache.size >= 4096) this.dayCache.clear();
    this.dayCache.set(d, out);
    return out;
  }
}

function toMinuteRanges(ranges: readonly TimeRange[]): MinuteRanges {
  const pairs = ranges
    .map((r) => [parseHHMM(r.start, false)!, parseHHMM(r.end, true)!] as const)
    .sort((a, b) => a[0] - b[0]);
  return pairs.flat();
}

function mergeIntervals(flat: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [s, e] of pairs) {
    const last = out.length - 1;
    if (last > 0 && s <= out[last]!) out[last] = Math.max(out[last]!, e);
    else out.push(s, e);
  }
  return out;
}

const compiledCache = new Map<string, Compiled>();

function compile(cal: BusinessCalendar): Compiled {
  const key = JSON.stringify(cal);
  let compiled = compiledCache.get(key);
  if (!compiled) {
    compiled = new Compiled(cal);
    if (compiledCache.size >= 64) {
      const oldest = compiledCache.keys().next().value;
      if (oldest !== undefined) compiledCache.delete(oldest);
    }
    compiledCache.set(key, compiled);
  }
  return compiled;
}

function instant(d: Date, name: string): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Queries

/** Effective ranges on a local date ("YYYY-MM-DD"), after holidays and make-up days. */
export function hoursOn(cal: BusinessCalendar, localDate: string): TimeRange[] {
  const dayNum = parseYMD(localDate);
  if (dayNum === null) throw new RangeError(`localDate ${JSON.stringify(localDate)} is not a valid YYYY-MM-DD date`);
  compile(cal); // validates
  const work = cal.workdays.find((w) => parseYMD(w.date) === dayNum);
  let ranges: TimeRange[];
  if (work) ranges = work.hours ?? cal.weeklyHours['1'];
  else if (cal.holidays.some((h) => parseYMD(h) === dayNum)) ranges = [];
  else ranges = cal.weeklyHours[String(isoWeekday(dayNum)) as IsoWeekdayKey];
  return ranges
    .map((r) => ({ start: r.start, end: r.end }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

export function isOpen(cal: BusinessCalendar, at: Date): boolean {
  const t = instant(at, 'at');
  const c = compile(cal);
  const iv = c.chunk(c.chunkOf(t));
  for (let i = 0; i < iv.length; i += 2) {
    if (t >= iv[i]! && t < iv[i + 1]!) return true;
  }
  return false;
}

/** `at` (as a new Date) when open, else the next instant the calendar opens. */
export function nextOpening(cal: BusinessCalendar, at: Date): Date {
  const t = instant(at, 'at');
  const c = compile(cal);
  const first = c.chunkOf(t);
  for (let k = first; k <= first + SEARCH_DAYS + 1; k++) {
    const iv = c.chunk(k);
    for (let i = 0; i < iv.length; i += 2) {
      if (iv[i + 1]! > t) return new Date(Math.max(iv[i]!, t));
    }
  }
  throw new RangeError(`No business hours within ${SEARCH_DAYS} days after ${at.toISOString()}`);
}

/**
 * The instant at which `ms` of open time has elapsed after `start`. ms = 0 returns `start`
 * unchanged (as a new Date), even when closed. When the time runs out exactly at a closing time,
 * that closing instant is returned (not the next opening).
 */
export function addBusinessTime(cal: BusinessCalendar, start: Date, ms: number): Date {
  const t = instant(start, 'start');
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ms must be a finite number >= 0, got ${ms}`);
  if (ms === 0) return new Date(t);
  const c = compile(cal);
  let remaining = ms;
  let closedChunks = 0;
  for (let k = c.chunkOf(t); ; k++) {
    const iv = c.chunk(k);
    let open = false;
    for (let i = 0; i < iv.length; i += 2) {
      const e = iv[i + 1]!;
      if (e <= t) continue;
      open = true;
      const s = Math.max(iv[i]!, t);
      const available = e - s;
      if (remaining <= available) return new Date(s + remaining);
      remaining -= available;
    }
    closedChunks = open ? 0 : closedChunks + 1;
    if (closedChunks > SEARCH_DAYS + 1) {
      throw new RangeError(`No business hours within ${SEARCH_DAYS} days (from ${start.toISOString()})`);
    }
  }
}

/** Open milliseconds in [from, to); 0 when to <= from. */
export function businessTimeBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const a = instant(from, 'from');
  const b = instant(to, 'to');
  if (b <= a) return 0;
  const c = compile(cal);
  let total = 0;
  const last = c.chunkOf(b);
  for (let k = c.chunkOf(a); k <= last; k++) {
    const iv = c.chunk(k);
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i]!, a);
      const e = Math.min(iv[i + 1]!, b);
      if (s < e) total += e - s;
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Standard calendars

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const ALL_DAY: TimeRange[] = [{ start: '00:00', end: '24:00' }];

/** Open around the clock, every day; Asia/Shanghai; no holidays. */
export const ALWAYS_OPEN: BusinessCalendar = deepFreeze({
  timeZone: 'Asia/Shanghai',
  weeklyHours: { '1': ALL_DAY, '2': ALL_DAY, '3': ALL_DAY, '4': ALL_DAY, '5': ALL_DAY, '6': ALL_DAY, '7': ALL_DAY },
  holidays: [],
  workdays: [],
});

/** China's 2026 statutory holidays (国务院办公厅 2026 年部分节假日安排) and their make-up workdays. */
export const CHINA_2026_HOLIDAYS: { name: string; dates: string[]; workdays: string[] }[] = deepFreeze([
  { name: '元旦', dates: ['2026-01-01', '2026-01-02', '2026-01-03'], workdays: ['2026-01-04'] },
  {
    name: '春节',
    dates: ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23'],
    workdays: ['2026-02-14', '2026-02-28'],
  },
  { name: '清明节', dates: ['2026-04-04', '2026-04-05', '2026-04-06'], workdays: [] },
  { name: '劳动节', dates: ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'], workdays: ['2026-05-09'] },
  { name: '端午节', dates: ['2026-06-19', '2026-06-20', '2026-06-21'], workdays: [] },
  { name: '中秋节', dates: ['2026-09-25', '2026-09-26', '2026-09-27'], workdays: [] },
  {
    name: '国庆节',
    dates: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
    workdays: ['2026-09-20', '2026-10-10'],
  },
]);

function chinaHolidayData(): Pick<BusinessCalendar, 'holidays' | 'workdays'> {
  return {
    holidays: CHINA_2026_HOLIDAYS.flatMap((h) => h.dates),
    workdays: CHINA_2026_HOLIDAYS.flatMap((h) => h.workdays).map((date) => ({ date })),
  };
}

function hours(start: string, end: string): TimeRange[] {
  return [{ start, end }];
}

/**
 * Customer service, seven days a week: Mon–Fri 08:30–18:00, Sat–Sun 09:00–17:00, Asia/Shanghai;
 * closed on 2026 statutory holidays, make-up days open with Monday's hours. A fresh object.
 */
export function chinaStandardCalendar(): BusinessCalendar {
  const weekday = (): TimeRange[] => hours('08:30', '18:00');
  const weekend = (): TimeRange[] => hours('09:00', '17:00');
  return {
    timeZone: 'Asia/Shanghai',
    weeklyHours: { '1': weekday(), '2': weekday(), '3': weekday(), '4': weekday(), '5': weekday(), '6': weekend(), '7': weekend() },
    ...chinaHolidayData(),
  };
}

/**
 * Office working days for "N working days" clocks: Mon–Fri 09:00–18:00, Asia/Shanghai, weekends
 * and 2026 statutory holidays closed, make-up days open 09:00–18:00. A fresh object.
 */
export function weekdayCalendar(): BusinessCalendar {
  const weekday = (): TimeRange[] => hours('09:00', '18:00');
  return {
    timeZone: 'Asia/Shanghai',
    weeklyHours: { '1': weekday(), '2': weekday(), '3': weekday(), '4': weekday(), '5': weekday(), '6': [], '7': [] },
    ...chinaHolidayData(),
  };
}

/** Open minutes on a regular working day (the calendar's Monday; 24 h when Monday is closed). */
export function workdayMinutes(cal: BusinessCalendar): number {
  const total = (cal.weeklyHours['1'] ?? []).reduce((sum, r) => sum + (parseHHMM(r.end, true) ?? 0) - (parseHHMM(r.start, false) ?? 0), 0);
  return total > 0 ? total : 24 * 60;
}
