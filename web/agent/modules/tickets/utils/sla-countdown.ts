/**
 * SLA clocks as counting-down badges: the server reports each clock's remaining business time at
 * the moment it answered (remainingMs) and its deadline; the badge counts down from that answer
 * and the page re-reads the ticket every minute, so hours outside the calendar never drift far.
 * Pure: `now` and the answer's time are passed in.
 */
import type { AgentMessageKey } from '../../../../shared/i18n/agent-dictionaries.ts';

export interface ClockView {
  clock: string;
  targetMs: number;
  mode: string;
  status: string;
  dueAt: string | null;
  remainingMs: number | null;
  consumedMs: number;
  stoppedAt: string | null;
  breachedAt: string | null;
}

export type ClockTone = 'ok' | 'warning' | 'breached' | 'paused' | 'met';

export interface ClockBadge {
  tone: ClockTone;
  /** Business time left now (negative: overdue); null once the clock stopped. */
  remainingMs: number | null;
}

/** The badge of one clock `nowMs`, given the server answered at `answeredAtMs`. */
export function clockBadge(c: ClockView, answeredAtMs: number, nowMs: number): ClockBadge {
  if (c.stoppedAt !== null || c.remainingMs === null) return { tone: c.breachedAt ? 'breached' : 'met', remainingMs: null };
  if (c.status === 'paused') return { tone: 'paused', remainingMs: c.remainingMs };
  const remainingMs = c.remainingMs - Math.max(0, nowMs - answeredAtMs);
  if (c.status === 'breached' || c.breachedAt !== null || remainingMs <= 0) return { tone: 'breached', remainingMs };
  return { tone: c.status === 'warning' ? 'warning' : 'ok', remainingMs };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The translator the page's i18n gives (tests pass the dictionaries' own). */
export type Translate = (key: AgentMessageKey, params?: Record<string, string | number>) => string;

/** A duration in words, two units at most: 2天3小时, 1小时05分, 4分30秒 / 2 d 3 h, 1 h 05 min, 4 min 30 s. */
export function formatDuration(ms: number, t: Translate): string {
  const abs = Math.floor(Math.abs(ms) / 1000) * 1000;
  const d = Math.floor(abs / DAY);
  const h = Math.floor((abs % DAY) / HOUR);
  const m = Math.floor((abs % HOUR) / MINUTE);
  const s = Math.floor((abs % MINUTE) / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (d > 0) return t('sla.duration.dh', { d, h });
  if (h > 0) return t('sla.duration.hm', { h, m: two(m) });
  if (m > 0) return t('sla.duration.ms', { m, s: two(s) });
  return t('sla.duration.s', { s });
}

/** The badge's text: 剩余 1小时05分 / 1 h 05 min left; 已超时 5分00秒 / 5 min 00 s overdue; paused; met. */
export function countdownText(b: ClockBadge, t: Translate): string {
  if (b.remainingMs === null) return t(b.tone === 'breached' ? 'sla.breachedStopped' : 'sla.met');
  const left = formatDuration(b.remainingMs, t);
  if (b.tone === 'paused') return t('sla.paused', { left });
  if (b.remainingMs <= 0) return t('sla.overdue', { left });
  return t('sla.left', { left });
}
