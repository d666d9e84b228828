/**
 * The dashboard's data shaping, pure: the report's numbers into what each ECharts option needs and
 * into the sentences and tables that are the charts' text alternatives. Labels come in as
 * functions so these stay free of React and the i18n instance.
 */
import type { Lang } from '../../../../shared/i18n/translate.ts';
import { CHANNELS, type Channel, type ComplianceKpi, type FirstResponseKpi, type Overview } from './types.ts';

/** One colour per channel, the same in every chart (and distinguishable in grey: alternating lightness). */
export const CHANNEL_COLORS: Record<Channel, string> = { phone: '#1f5fbf', chat: '#e8590c', email: '#2b8a3e', walk_in: '#862e9c', web: '#868e96', api: '#c92a2a' };

export interface StackedBars {
  /** 00–23. */
  categories: string[];
  /** Only channels with tickets in the period, in the fixed channel order. */
  series: { channel: Channel; name: string; color: string; data: number[] }[];
}

export const hourLabel = (h: number): string => String(h).padStart(2, '0');

/** Volume by hour, one stacked series per channel that has any ticket. */
export function volumeBars(volume: Overview['volume'], channelName: (c: Channel) => string): StackedBars {
  const byHour = [...volume.byHour].sort((a, b) => a.hour - b.hour);
  return {
    categories: byHour.map((b) => hourLabel(b.hour)),
    series: CHANNELS.filter((c) => volume.byChannel[c] > 0).map((c) => ({ channel: c, name: channelName(c), color: CHANNEL_COLORS[c], data: byHour.map((b) => b.byChannel[c]) })),
  };
}

/** The busiest hours (most tickets first, earlier hour on a tie); none when the period is empty. */
export function peakHours(volume: Overview['volume'], n = 3): { hour: number; total: number }[] {
  return volume.byHour.filter((b) => b.total > 0).sort((a, b) => b.total - a.total || a.hour - b.hour).slice(0, n).map((b) => ({ hour: b.hour, total: b.total }));
}

/** A duration the way a supervisor reads it: 45 秒, 1 分 30 秒, 2 小时 5 分 / 45 s, 1 min 30 s, 2 h 5 min; null as —. */
export function formatDuration(ms: number | null, lang: Lang): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '-' : '';
  const s = Math.round(Math.abs(ms) / 1000);
  const [d, h, m, sec] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60];
  const u = lang === 'zh' ? { d: '天', h: '小时', m: '分', s: '秒' } : { d: 'd', h: 'h', m: 'min', s: 's' };
  const parts: string[] = [];
  if (d) parts.push(`${d} ${u.d}`);
  if (h) parts.push(`${h} ${u.h}`);
  if (m && !d) parts.push(`${m} ${u.m}`);
  if ((sec || parts.length === 0) && !d && !h) parts.push(`${sec} ${u.s}`);
  return sign + parts.join(' ');
}

/** First response by channel as grouped bars in seconds (average and p90); channels without an answer are left out. */
export function firstResponseBars(byChannel: readonly FirstResponseKpi[], channelName: (c: Channel) => string): { categories: string[]; channels: Channel[]; averageS: number[]; p90S: number[] } {
  const rows = CHANNELS.map((c) => byChannel.find((x) => x.channel === c)).filter((x): x is FirstResponseKpi & { channel: Channel } => x !== undefined && x.channel !== null && x.responded > 0);
  const s = (ms: number | null): number => Math.round((ms ?? 0) / 100) / 10;
  return { categories: rows.map((r) => channelName(r.channel)), channels: rows.map((r) => r.channel), averageS: rows.map((r) => s(r.averageMs)), p90S: rows.map((r) => s(r.p90Ms)) };
}

/** Compliance as a percentage with one decimal (the gauge's value); null when nothing was decided. */
export function compliancePercent(k: Pick<ComplianceKpi, 'rate'>): number | null {
  return k.rate === null ? null : Math.round(k.rate * 1000) / 10;
}

/** The SLA-compliance target as a percentage with one decimal (setting reports.targets, 0.95 → 95). */
export function slaTargetPercent(targets: Pick<Overview['targets'], 'slaCompliance'>): number {
  return Math.round(targets.slaCompliance * 1000) / 10;
}

/** Where the gauge's needle sits against the target: at or above it good, within 10 points warn, else bad. */
export function complianceLevel(percent: number | null, targetPercent = 95): 'none' | 'good' | 'warn' | 'bad' {
  if (percent === null) return 'none';
  if (percent >= targetPercent) return 'good';
  return percent >= targetPercent - 10 ? 'warn' : 'bad';
}

/** Until a deadline as a countdown, or how long it is past: 「剩 12 分」 / 「超时 3 小时 2 分」. */
export function remainingLabel(ms: number | null, lang: Lang): { text: string; overdue: boolean } {
  if (ms === null) return { text: '—', overdue: false };
  const overdue = ms <= 0;
  const d = formatDuration(Math.abs(ms), lang);
  if (lang === 'zh') return { text: overdue ? `超时 ${d}` : `剩 ${d}`, overdue };
  return { text: overdue ? `${d} overdue` : `${d} left`, overdue };
}

/** The board's order: available first, then online, away, offline; within each the busiest first, then by name. */
export function boardOrder<T extends { available: boolean; presence: 'online' | 'away' | 'offline'; openTickets: number; chatsActive: number; displayName: string }>(agents: readonly T[]): T[] {
  const rank = (a: T): number => (a.available ? 0 : a.presence === 'online' ? 1 : a.presence === 'away' ? 2 : 3);
  return [...agents].sort((a, b) => rank(a) - rank(b) || b.openTickets + b.chatsActive - (a.openTickets + a.chatsActive) || a.displayName.localeCompare(b.displayName, 'zh-CN'));
}

/** Period choices: local dates (YYYY-MM-DD) ending today in the company's zone. */
export function periodRange(days: 1 | 7 | 30, now: Date, timeZone = 'Asia/Shanghai'): { from: string; to: string } {
  const local = (d: Date): string => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const to = local(now);
  // Noon of today minus whole days: a DST shift of an hour cannot land on the wrong date.
  const [y, m, d] = to.split('-').map(Number) as [number, number, number];
  const from = new Date(Date.UTC(y, m - 1, d - (days - 1), 12));
  return { from: from.toISOString().slice(0, 10), to };
}

/** A list in a sentence as the language writes it: 电话 2 张、在线 3 张 / phone 2, chat 3. */
export function joinList(items: readonly string[], lang: Lang): string {
  return new Intl.ListFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { style: 'long', type: 'conjunction' }).format(items);
}
