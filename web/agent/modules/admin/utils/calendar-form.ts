/**
 * A new business calendar from its form: the name and code, a time zone, each weekday's hours
 * written "09:00-12:00, 13:30-18:00" (empty: closed), and holidays and make-up workdays one date
 * per line. Checked here first, so the admin is told which field and which day before anything
 * is sent; the server checks again (validateCalendar).
 */
import { textToDates } from './list-text.ts';

export interface TimeRange { start: string; end: string }
export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type RangesProblem = 'format' | 'order' | 'overlap';

export function rangesToText(ranges: readonly TimeRange[]): string {
  return ranges.map((r) => `${r.start}-${r.end}`).join(', ');
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const minutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** One day's hours: ranges split by commas (or 、;), each start-end (– and ~ also read as -), in order, not overlapping. */
export function textToRanges(text: string): { ok: true; value: TimeRange[] } | { ok: false; problem: RangesProblem } {
  const parts = text.split(/[,,、;;]+/).map((p) => p.trim()).filter(Boolean);
  const out: TimeRange[] = [];
  for (const p of parts) {
    const m = /^(\d{1,2}:\d{2})\s*[-–—~至到]\s*(\d{1,2}:\d{2})$/.exec(p);
    if (!m) return { ok: false, problem: 'format' };
    const [start, end] = [m[1]!.padStart(5, '0'), m[2]!.padStart(5, '0')];
    if (!TIME.test(start) || !TIME.test(end)) return { ok: false, problem: 'format' };
    if (minutes(start) >= minutes(end)) return { ok: false, problem: 'order' };
    out.push({ start, end });
  }
  out.sort((a, b) => minutes(a.start) - minutes(b.start));
  for (let i = 1; i < out.length; i++) if (minutes(out[i]!.start) < minutes(out[i - 1]!.end)) return { ok: false, problem: 'overlap' };
  return { ok: true, value: out };
}

/** An IANA zone the browser knows (the server's list is the same tz database). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface CalendarForm {
  code: string;
  name: string;
  timeZone: string;
  weekly: Record<Weekday, string>;
  holidays: string;
  workdays: string;
}

export type CalendarFormProblem =
  | { field: 'code' | 'name' | 'timeZone'; problem: 'required' | 'format' }
  | { field: `day${Weekday}`; problem: RangesProblem }
  | { field: 'holidays' | 'workdays'; problem: 'bad_date'; line: number };

export interface CalendarBody {
  code: string;
  name: string;
  definition: { timeZone: string; weeklyHours: Record<Weekday, TimeRange[]>; holidays: string[]; workdays: { date: string }[] };
}

/** A Monday-to-Friday 09:00–18:00 week to start from. */
export function defaultWeek(): Record<Weekday, string> {
  return { '1': '09:00-18:00', '2': '09:00-18:00', '3': '09:00-18:00', '4': '09:00-18:00', '5': '09:00-18:00', '6': '', '7': '' };
}

export function calendarBody(form: CalendarForm): { ok: true; body: CalendarBody } | { ok: false; problems: CalendarFormProblem[] } {
  const problems: CalendarFormProblem[] = [];
  const code = form.code.trim();
  const name = form.name.trim();
  const timeZone = form.timeZone.trim();
  if (!code) problems.push({ field: 'code', problem: 'required' });
  else if (!/^[a-z0-9_.-]{2,40}$/.test(code)) problems.push({ field: 'code', problem: 'format' });
  if (!name) problems.push({ field: 'name', problem: 'required' });
  if (!timeZone) problems.push({ field: 'timeZone', problem: 'required' });
  else if (!isTimeZone(timeZone)) problems.push({ field: 'timeZone', problem: 'format' });
  const weeklyHours = {} as Record<Weekday, TimeRange[]>;
  for (const d of WEEKDAYS) {
    const r = textToRanges(form.weekly[d]);
    if (r.ok) weeklyHours[d] = r.value;
    else problems.push({ field: `day${d}`, problem: r.problem });
  }
  const holidays = textToDates(form.holidays);
  if (!holidays.ok) problems.push({ field: 'holidays', problem: 'bad_date', line: holidays.line });
  const workdays = textToDates(form.workdays);
  if (!workdays.ok) problems.push({ field: 'workdays', problem: 'bad_date', line: workdays.line });
  if (problems.length || !holidays.ok || !workdays.ok) return { ok: false, problems };
  return { ok: true, body: { code, name, definition: { timeZone, weeklyHours, holidays: holidays.value, workdays: workdays.value.map((date) => ({ date })) } } };
}
