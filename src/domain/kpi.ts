/**
 * KPI formulas of the supervisor dashboard (SPEC A1, A3): first-response time (average and
 * percentiles), SLA compliance, volume by channel and by hour on the company's clock, and an SLA
 * clock's risk state. Pure: the service computes the same sums in SQL over the period's rows and
 * shapes its answer here; `now` is always passed in.
 */
import { DateTime } from 'luxon';

export const CHANNELS = ['phone', 'chat', 'email', 'walk_in', 'web', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export const HOURS = Array.from({ length: 24 }, (_, h) => h);

/**
 * The p-th percentile (0 ≤ p ≤ 1) with linear interpolation between the closest ranks — what
 * PostgreSQL's percentile_cont computes, so the SQL and this rule agree. null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile ${p} is outside 0..1`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function average(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

export interface FirstResponseStats {
  /** Tickets answered (a first public reply) among those created in the period. */
  responded: number;
  averageMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
}

/** First-response time: from a ticket's creation to its first public reply by staff; negative gaps (clock skew) count as 0. */
export function firstResponseTime(pairs: readonly { createdAt: Date; firstRespondedAt: Date | null }[]): FirstResponseStats {
  const ms = pairs.filter((p) => p.firstRespondedAt !== null).map((p) => Math.max(0, p.firstRespondedAt!.getTime() - p.createdAt.getTime()));
  const round = (x: number | null): number | null => (x === null ? null : Math.round(x));
  return { responded: ms.length, averageMs: round(average(ms)), p50Ms: round(percentile(ms, 0.5)), p90Ms: round(percentile(ms, 0.9)) };
}

export interface SlaClockFacts {
  dueAt: Date | null;
  warnAt: Date | null;
  /** Running since (null: paused or never started). */
  runningSince: Date | null;
  stoppedAt: Date | null;
  breachedAt: Date | null;
}

/**
 * A clock's outcome: met (stopped before or at its deadline and never breached), breached (the
 * sweep marked it, or it stopped after its deadline, or it still runs past it), or open.
 */
export function clockOutcome(c: SlaClockFacts, now: Date): 'met' | 'breached' | 'open' {
  if (c.breachedAt !== null) return 'breached';
  if (c.stoppedAt !== null) return c.dueAt !== null && c.stoppedAt.getTime() > c.dueAt.getTime() ? 'breached' : 'met';
  if (c.runningSince !== null && c.dueAt !== null && c.dueAt.getTime() <= now.getTime()) return 'breached';
  return 'open';
}

/** SLA compliance: met / (met + breached), 0–1; clocks still open are not decided yet. null when none is decided. */
export function complianceRate(met: number, breached: number): number | null {
  if (met < 0 || breached < 0) throw new RangeError('counts are never negative');
  return met + breached === 0 ? null : met / (met + breached);
}

export type RiskState = 'breached' | 'at_risk' | 'ok' | 'paused' | 'stopped';

/**
 * Where a live clock stands now: breached (past due or marked), at risk (its warning time has
 * come), ok, paused (not running: pending on the customer, say), stopped (met or done).
 */
export function riskState(c: SlaClockFacts, now: Date): RiskState {
  if (c.stoppedAt !== null) return 'stopped';
  if (c.breachedAt !== null) return 'breached';
  if (c.runningSince === null) return 'paused';
  const t = now.getTime();
  if (c.dueAt !== null && c.dueAt.getTime() <= t) return 'breached';
  if (c.warnAt !== null && c.warnAt.getTime() <= t) return 'at_risk';
  return 'ok';
}

/** The hour (0–23) of an instant on the company's clock. */
export function localHour(at: Date, timeZone: string): number {
  return DateTime.fromJSDate(at, { zone: timeZone }).hour;
}

export interface VolumeRow {
  channel: string;
  hour: number;
  count: number;
}

export interface Volume {
  total: number;
  byChannel: Record<Channel, number>;
  /** All 24 hours, each with every channel (zeros included): what a stacked bar chart needs. */
  byHour: { hour: number; total: number; byChannel: Record<Channel, number> }[];
}

const zeroChannels = (): Record<Channel, number> => Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
const isChannel = (c: string): c is Channel => (CHANNELS as readonly string[]).includes(c);

/** Sparse (channel, hour, count) rows — SQL's GROUP BY — into full buckets; unknown channels and hours outside 0–23 are refused. */
export function volumeBuckets(rows: readonly VolumeRow[]): Volume {
  const byChannel = zeroChannels();
  const byHour = HOURS.map((hour) => ({ hour, total: 0, byChannel: zeroChannels() }));
  let total = 0;
  for (const r of rows) {
    if (!isChannel(r.channel)) throw new RangeError(`unknown channel ${r.channel}`);
    if (!Number.isInteger(r.hour) || r.hour < 0 || r.hour > 23) throw new RangeError(`hour ${r.hour} is outside 0..23`);
    if (!Number.isInteger(r.count) || r.count < 0) throw new RangeError(`count ${r.count} is not a count`);
    byChannel[r.channel] += r.count;
    byHour[r.hour]!.byChannel[r.channel] += r.count;
    byHour[r.hour]!.total += r.count;
    total += r.count;
  }
  return { total, byChannel, byHour };
}

/** Volume straight from tickets' creation instants (the reference the SQL grouping is tested against). */
export function volumeOf(tickets: readonly { channel: string; createdAt: Date }[], timeZone: string): Volume {
  const counts = new Map<string, VolumeRow>();
  for (const t of tickets) {
    const hour = localHour(t.createdAt, timeZone);
    const key = `${t.channel}|${hour}`;
    const row = counts.get(key) ?? { channel: t.channel, hour, count: 0 };
    row.count += 1;
    counts.set(key, row);
  }
  return volumeBuckets([...counts.values()]);
}
