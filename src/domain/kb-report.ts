/**
 * Knowledge-base usage report rules (issue 5; seed 001 5.2 keeps content current and useful, 5.4
 * wants it measured): the KPI formulas, the "mostly unhelpful" threshold, how a search query is
 * normalised before it is stored or grouped, and the report's date range in the company's time
 * zone. Pure: no I/O, no clock (`now` is passed in).
 */
import { DateTime, IANAZone } from 'luxon';

/** Rates are ratios 0–1 rounded to three decimals; null when there is nothing to divide by. */
function ratio(part: number, whole: number): number | null {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return null;
  const r = Math.min(Math.max(part, 0), whole) / whole;
  return Math.round(r * 1000) / 1000;
}

/** Helpful rate: the share of "was this helpful" answers that said yes; null with no answers. */
export function helpfulRate(yes: number, no: number): number | null {
  return ratio(yes, yes + no);
}

/** Click-through rate: the share of searches after which a result was opened; null with no searches. */
export function clickThroughRate(searchesWithClick: number, searches: number): number | null {
  return ratio(searchesWithClick, searches);
}

/**
 * "Mostly unhelpful": enough readers answered (a couple of votes say little) and fewer than half
 * of them found it helpful. Such content is due for rewriting before its review date.
 */
export const MOSTLY_UNHELPFUL = { minAnswers: 5, belowRate: 0.5 } as const;

export function isMostlyUnhelpful(yes: number, no: number, rule: { minAnswers: number; belowRate: number } = MOSTLY_UNHELPFUL): boolean {
  if (yes + no < rule.minAnswers) return false;
  const rate = helpfulRate(yes, no);
  return rate !== null && rate < rule.belowRate;
}

/** Content that nobody viewed, inserted or opened from a search in the period. */
export function isUnused(u: { views: number; inserts: number; searchClicks: number }): boolean {
  return u.views + u.inserts + u.searchClicks === 0;
}

export const MAX_QUERY_LENGTH = 200;
const EMAIL = /[^\s@]+@[^\s@]+\.[a-z]{2,}/g;
// A digit and at least five more (spaces and hyphens between allowed), with up to four letters
// before: phone numbers (138 1234 5678, 010-12345678), waybills (sf1234567890), order numbers.
const NUMBER = /(?:[a-z]{1,4})?\d(?:[\s-]*\d){5,}/g;
export const NUMBER_PLACEHOLDER = '〔号码〕';
export const EMAIL_PLACEHOLDER = '〔邮箱〕';

/**
 * A search query as stored and grouped: full-width forms folded (NFKC), lower case, whitespace
 * collapsed, at most 200 characters, and personal data people type into search boxes replaced —
 * "SF1234567890 到哪了" and "YT9876543210 到哪了" are the same question, and the log is no
 * place for phone numbers. Empty when nothing is left.
 */
export function normaliseKbQuery(raw: string): string {
  const s = raw.normalize('NFKC').toLowerCase().replace(EMAIL, ` ${EMAIL_PLACEHOLDER} `).replace(NUMBER, ` ${NUMBER_PLACEHOLDER} `);
  const collapsed = s.replace(/\s+/g, ' ').trim()
    // The placeholders stand as words of their own, but not padded against Chinese text.
    .replace(new RegExp(` ?(${NUMBER_PLACEHOLDER}|${EMAIL_PLACEHOLDER}) ?`, 'g'), (m, p: string, offset: number, all: string) => {
      const before = offset > 0 && /[a-z0-9]/.test(all[offset - 1]!) ? ' ' : '';
      const end = offset + m.length;
      const after = end < all.length && /[a-z0-9]/.test(all[end]!) ? ' ' : '';
      return `${before}${p}${after}`;
    });
  return Array.from(collapsed).slice(0, MAX_QUERY_LENGTH).join('').trim();
}

export const DEFAULT_REPORT_DAYS = 30;
export const MAX_REPORT_DAYS = 366;

export interface ReportRange {
  /** Local dates, inclusive, in the company's time zone. */
  from: string;
  to: string;
  timeZone: string;
  /** The instants: [start, end). */
  start: Date;
  end: Date;
}

export type RangeResult = { ok: true; range: ReportRange } | { ok: false; message: string };

/**
 * The report's period: local dates (YYYY-MM-DD, inclusive) in the company's time zone. Without
 * `to`, today; without `from`, the 30 days ending with `to`. At most 366 days; never `from` after `to`.
 */
export function reportRange(input: { from?: string | undefined; to?: string | undefined }, now: Date, timeZone: string): RangeResult {
  if (!IANAZone.isValidZone(timeZone)) return { ok: false, message: `time zone ${timeZone} is not known` };
  const day = (raw: string, name: string): DateTime | string => {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? DateTime.fromISO(raw, { zone: timeZone }) : null;
    return d?.isValid ? d.startOf('day') : `${name}: "${raw}" is not a date (YYYY-MM-DD)`;
  };
  const to = input.to === undefined ? DateTime.fromJSDate(now, { zone: timeZone }).startOf('day') : day(input.to, 'to');
  if (typeof to === 'string') return { ok: false, message: to };
  const from = input.from === undefined ? to.minus({ days: DEFAULT_REPORT_DAYS - 1 }) : day(input.from, 'from');
  if (typeof from === 'string') return { ok: false, message: from };
  if (from > to) return { ok: false, message: `from (${from.toISODate()}) is after to (${to.toISODate()})` };
  const days = Math.round(to.diff(from, 'days').days) + 1;
  if (days > MAX_REPORT_DAYS) return { ok: false, message: `the period is ${days} days; at most ${MAX_REPORT_DAYS}` };
  return {
    ok: true,
    range: { from: from.toISODate()!, to: to.toISODate()!, timeZone, start: from.toJSDate(), end: to.plus({ days: 1 }).startOf('day').toJSDate() },
  };
}

/** An instant as the company's wall clock: 2026-05-01T18:00:00.000+08:00. */
export function zonedIso(d: Date | null, timeZone: string): string | null {
  return d ? DateTime.fromJSDate(d, { zone: timeZone }).toISO() : null;
}
