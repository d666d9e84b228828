/**
 * SLA clock arithmetic (first response, next response, resolution, complaint reply, …). Pure:
 * `now` is always passed in, states are immutable values (every transition returns a new one).
 *
 * A clock counts either business time on a calendar ('business') or wall-clock time ('calendar',
 * where the calendar argument is ignored), and does not count while paused (ticket waiting on the
 * customer). Invariant while running: `dueAt` is the earliest instant at which the consumed time
 * reaches the target, counting from `runningSince` — so it is `runningSince` itself when the
 * target was already used up before this running segment began.
 *
 * Boundaries: a running clock is 'breached' from the instant consumed time reaches the target
 * (now >= dueAt); a clock stopped at exactly that instant is still 'met' — 'met_late' means
 * consumed > target, as does an overdue (negative) remainingAt.
 */
import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from './business-hours.ts';

export type ClockMode = 'business' | 'calendar';

export interface ClockState {
  targetMs: number;
  mode: ClockMode;
  /** Counted time consumed before the current running segment. */
  consumedMs: number;
  /** Start of the current running segment; null when paused or stopped. */
  runningSince: Date | null;
  /** Set when the clock is met/stopped (final). */
  stoppedAt: Date | null;
  /** Deadline while running; null when paused or stopped. */
  dueAt: Date | null;
}

export type ClockStatus = 'running' | 'warning' | 'breached' | 'paused' | 'met' | 'met_late';

function checkTarget(targetMs: number): void {
  if (!Number.isFinite(targetMs) || targetMs < 0) throw new RangeError(`targetMs must be a finite number >= 0, got ${targetMs}`);
}

function checkWarnFraction(warnFraction: number): void {
  if (!Number.isFinite(warnFraction) || warnFraction < 0 || warnFraction > 1) {
    throw new RangeError(`warnFraction must be between 0 and 1, got ${warnFraction}`);
  }
}

/** Counted time in [from, to) for the clock's mode. */
function elapsed(cal: BusinessCalendar, mode: ClockMode, from: Date, to: Date): number {
  if (mode === 'calendar') return Math.max(0, to.getTime() - from.getTime());
  return businessTimeBetween(cal, from, to);
}

/** The instant at which `ms` more counted time has elapsed after `from`. */
function advance(cal: BusinessCalendar, mode: ClockMode, from: Date, ms: number): Date {
  if (mode === 'calendar') return new Date(from.getTime() + ms);
  return addBusinessTime(cal, from, ms);
}

/** Earliest instant at which a running clock's consumed time reaches `threshold`. */
function reachAt(cal: BusinessCalendar, s: ClockState, runningSince: Date, threshold: number): Date {
  return advance(cal, s.mode, runningSince, Math.max(0, threshold - s.consumedMs));
}

export function startClock(cal: BusinessCalendar, targetMs: number, mode: ClockMode, now: Date): ClockState {
  checkTarget(targetMs);
  const s: ClockState = { targetMs, mode, consumedMs: 0, runningSince: now, stoppedAt: null, dueAt: null };
  return { ...s, dueAt: reachAt(cal, s, now, targetMs) };
}

/** Stops counting; no-op when already paused or stopped. */
export function pauseClock(cal: BusinessCalendar, s: ClockState, now: Date): ClockState {
  if (s.stoppedAt || !s.runningSince) return s;
  return { ...s, consumedMs: consumedAt(cal, s, now), runningSince: null, dueAt: null };
}

/** Counts again from `now`; no-op when running or stopped. dueAt follows from the remaining time. */
export function resumeClock(cal: BusinessCalendar, s: ClockState, now: Date): ClockState {
  if (s.stoppedAt || s.runningSince) return s;
  return { ...s, runningSince: now, dueAt: reachAt(cal, s, now, s.targetMs) };
}

/** Final: records the consumed time and the stop instant; no-op when already stopped. */
export function stopClock(cal: BusinessCalendar, s: ClockState, now: Date): ClockState {
  if (s.stoppedAt) return s;
  return { ...s, consumedMs: consumedAt(cal, s, now), runningSince: null, stoppedAt: now, dueAt: null };
}

/**
 * An admin changed the target: the consumed time stays, dueAt follows the new target when
 * running (it may lie before `now` when the new target is already used up). A stopped clock is
 * final and is returned unchanged. `now` is accepted for symmetry with the other transitions; the
 * deadline follows from the running segment alone.
 */
export function retargetClock(cal: BusinessCalendar, s: ClockState, newTargetMs: number, now: Date): ClockState {
  checkTarget(newTargetMs);
  if (s.stoppedAt) return s;
  if (!s.runningSince) return { ...s, targetMs: newTargetMs };
  const next = { ...s, targetMs: newTargetMs };
  return { ...next, dueAt: reachAt(cal, next, s.runningSince, newTargetMs) };
}

/** Counted time consumed by `now`. */
export function consumedAt(cal: BusinessCalendar, s: ClockState, now: Date): number {
  if (s.stoppedAt || !s.runningSince) return s.consumedMs;
  return s.consumedMs + elapsed(cal, s.mode, s.runningSince, now);
}

/** Target minus consumed; negative when overdue (by that much). */
export function remainingAt(cal: BusinessCalendar, s: ClockState, now: Date): number {
  return s.targetMs - consumedAt(cal, s, now);
}

function warnThreshold(s: ClockState, warnFraction: number): number {
  checkWarnFraction(warnFraction);
  return Math.round((1 - warnFraction) * s.targetMs);
}

/**
 * The instant consumed time reaches (1 − warnFraction) × target, e.g. warnFraction 0.2 → at 80 %;
 * null when the clock is not running.
 */
export function warnAt(s: ClockState, cal: BusinessCalendar, warnFraction: number): Date | null {
  const threshold = warnThreshold(s, warnFraction);
  if (s.stoppedAt || !s.runningSince) return null;
  return reachAt(cal, s, s.runningSince, threshold);
}

export function clockStatus(cal: BusinessCalendar, s: ClockState, now: Date, warnFraction: number): ClockStatus {
  const threshold = warnThreshold(s, warnFraction);
  if (s.stoppedAt) return s.consumedMs > s.targetMs ? 'met_late' : 'met';
  if (!s.runningSince) return 'paused';
  const consumed = consumedAt(cal, s, now);
  if (consumed >= s.targetMs) return 'breached';
  if (consumed >= threshold) return 'warning';
  return 'running';
}

const UNITS = {
  zh: { d: '天', h: '小时', m: '分', s: '秒', sep: '', overdue: '超时 ' },
  en: { d: 'd', h: 'h', m: 'm', s: 's', sep: ' ', overdue: 'overdue ' },
} as const;

/**
 * Human duration: days, hours and minutes (zero parts left out), or seconds when under a minute;
 * truncated, never rounded up. 90061000 → "1天1小时1分" / "1d 1h 1m"; 45000 → "45秒" / "45s";
 * negative → "超时 …" / "overdue …".
 */
export function formatDuration(ms: number, lang: 'zh' | 'en'): string {
  if (!Number.isFinite(ms)) throw new RangeError(`ms must be finite, got ${ms}`);
  const u = UNITS[lang];
  const totalSeconds = Math.floor(Math.abs(ms) / 1000);
  const prefix = ms < 0 && totalSeconds > 0 ? u.overdue : '';
  if (totalSeconds < 60) return `${prefix}${totalSeconds}${u.s}`;
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}${u.d}`);
  if (hours > 0) parts.push(`${hours}${u.h}`);
  if (minutes > 0) parts.push(`${minutes}${u.m}`);
  return prefix + parts.join(u.sep);
}
