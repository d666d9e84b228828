/** The supervisor dashboard's pure parts: chart data shaping, the text alternatives' numbers, durations and countdowns, the board's order, the period, and who sees it in the navigation. */
import { describe, expect, it } from 'vitest';
import { navFor, STAFF_ROLES } from '../../web/agent/app/nav.ts';
import { boardOrder, joinList, CHANNEL_COLORS, complianceLevel, compliancePercent, firstResponseBars, formatDuration, hourLabel, peakHours, periodRange, remainingLabel, slaTargetPercent, volumeBars } from '../../web/agent/modules/dashboard/utils/chart-data.ts';
import { CHANNELS, type Channel, type ChannelCounts, type Overview } from '../../web/agent/modules/dashboard/utils/types.ts';

const zero = (): ChannelCounts => ({ phone: 0, chat: 0, email: 0, walk_in: 0, web: 0, api: 0 });
function volume(entries: [number, Channel, number][]): Overview['volume'] {
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, total: 0, byChannel: zero() }));
  const byChannel = zero();
  let total = 0;
  for (const [h, c, n] of entries) {
    byHour[h]!.byChannel[c] += n;
    byHour[h]!.total += n;
    byChannel[c] += n;
    total += n;
  }
  return { total, byChannel, byHour };
}
const name = (c: Channel): string => `«${c}»`;

describe('volumeBars: stacked bars by hour', () => {
  it('24 categories, one series per channel with tickets, in channel order, with its colour', () => {
    const b = volumeBars(volume([[9, 'chat', 2], [9, 'phone', 1], [23, 'email', 1]]), name);
    expect(b.categories).toEqual(Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')));
    expect(b.series.map((s) => s.channel)).toEqual(['phone', 'chat', 'email']);
    expect(b.series.map((s) => s.name)).toEqual(['«phone»', '«chat»', '«email»']);
    const chat = b.series.find((s) => s.channel === 'chat')!;
    expect(chat.data).toHaveLength(24);
    expect(chat.data[9]).toBe(2);
    expect(chat.data.reduce((a, x) => a + x, 0)).toBe(2);
    expect(chat.color).toBe(CHANNEL_COLORS.chat);
  });
  it('no tickets: no series, still 24 hours', () => {
    const b = volumeBars(volume([]), name);
    expect(b.series).toEqual([]);
    expect(b.categories).toHaveLength(24);
  });
  it('hours out of order in the answer are put in order', () => {
    const v = volume([[1, 'web', 5]]);
    v.byHour.reverse();
    expect(volumeBars(v, name).series[0]!.data[1]).toBe(5);
  });
  it('every channel has a distinct colour', () => expect(new Set(CHANNELS.map((c) => CHANNEL_COLORS[c])).size).toBe(CHANNELS.length));
});

describe('peakHours', () => {
  it.each<[[number, Channel, number][], number, { hour: number; total: number }[]]>([
    [[], 3, []],
    [[[9, 'chat', 2], [14, 'phone', 5], [10, 'chat', 2], [3, 'web', 1]], 3, [{ hour: 14, total: 5 }, { hour: 9, total: 2 }, { hour: 10, total: 2 }]],
    [[[9, 'chat', 2], [9, 'phone', 2], [8, 'chat', 1]], 1, [{ hour: 9, total: 4 }]],
  ])('%j top %d', (entries, n, expected) => expect(peakHours(volume(entries), n)).toEqual(expected));
  it('hourLabel pads', () => expect([0, 9, 23].map(hourLabel)).toEqual(['00', '09', '23']));
});

describe('formatDuration', () => {
  it.each<[number | null, string, string]>([
    [null, '—', '—'],
    [Number.NaN, '—', '—'],
    [0, '0 秒', '0 s'],
    [499, '0 秒', '0 s'],
    [500, '1 秒', '1 s'],
    [45_000, '45 秒', '45 s'],
    [60_000, '1 分', '1 min'],
    [90_000, '1 分 30 秒', '1 min 30 s'],
    [3_600_000, '1 小时', '1 h'],
    [3_600_000 + 5 * 60_000 + 7_000, '1 小时 5 分', '1 h 5 min'],
    [86_400_000 * 2 + 3_600_000 * 3 + 60_000, '2 天 3 小时', '2 d 3 h'],
    [-90_000, '-1 分 30 秒', '-1 min 30 s'],
  ])('%s ms', (ms, zh, en) => {
    expect(formatDuration(ms, 'zh')).toBe(zh);
    expect(formatDuration(ms, 'en')).toBe(en);
  });
});

describe('remainingLabel: countdown or overdue', () => {
  it.each<[number | null, string, string, boolean]>([
    [null, '—', '—', false],
    [12 * 60_000, '剩 12 分', '12 min left', false],
    [0, '超时 0 秒', '0 s overdue', true],
    [-(3 * 3_600_000 + 2 * 60_000), '超时 3 小时 2 分', '3 h 2 min overdue', true],
  ])('%s', (ms, zh, en, overdue) => {
    expect(remainingLabel(ms, 'zh')).toEqual({ text: zh, overdue });
    expect(remainingLabel(ms, 'en')).toEqual({ text: en, overdue });
  });
});

describe('firstResponseBars', () => {
  const k = (channel: Channel | null, responded: number, averageMs: number | null, p90Ms: number | null) => ({ channel, created: responded + 1, responded, averageMs, p50Ms: averageMs, p90Ms });
  it('channels in fixed order, only those answered, seconds with one decimal', () => {
    const b = firstResponseBars([k('email', 0, null, null), k('chat', 2, 60_000, 84_000), k('phone', 1, 600_049, 600_051), k(null, 3, 1, 1)], name);
    expect(b).toEqual({ categories: ['«phone»', '«chat»'], channels: ['phone', 'chat'], averageS: [600, 60], p90S: [600.1, 84] });
  });
  it('nothing answered: empty', () => expect(firstResponseBars([], name).categories).toEqual([]));
});

describe('compliancePercent and complianceLevel', () => {
  it.each<[number | null, number | null, string]>([
    [null, null, 'none'],
    [1, 100, 'good'],
    [0.95, 95, 'good'],
    [0.9499, 95, 'good'], // shown rounded: 95.0 %, at the target
    [0.9449, 94.5, 'warn'],
    [0.85, 85, 'warn'],
    [0.8499, 85, 'warn'],
    [1 / 3, 33.3, 'bad'],
    [0, 0, 'bad'],
  ])('rate %s → %s %%, %s', (rate, percent, level) => {
    expect(compliancePercent({ rate })).toBe(percent);
    expect(complianceLevel(compliancePercent({ rate }))).toBe(level);
  });
  it('another target', () => expect(complianceLevel(90, 90)).toBe('good'));
});

describe('boardOrder', () => {
  const a = (displayName: string, presence: 'online' | 'away' | 'offline', available: boolean, openTickets = 0, chatsActive = 0) => ({ displayName, presence, available, openTickets, chatsActive });
  it('available, online, away, offline; busiest first; then by name', () => {
    const sorted = boardOrder([a('丁', 'offline', false, 9), a('乙', 'online', true, 1), a('甲', 'online', true, 1), a('丙', 'away', false), a('戊', 'online', false), a('己', 'online', true, 3, 1)]);
    expect(sorted.map((x) => x.displayName)).toEqual(['己', '甲', '乙', '戊', '丙', '丁']);
  });
  it('does not change its input', () => {
    const list = [a('b', 'offline', false), a('a', 'online', true)];
    boardOrder(list);
    expect(list.map((x) => x.displayName)).toEqual(['b', 'a']);
  });
});

describe('periodRange: local dates ending today on the company clock', () => {
  it.each<[string, 1 | 7 | 30, string, string]>([
    ['2026-05-10T04:00:00Z', 1, '2026-05-10', '2026-05-10'],
    ['2026-05-10T04:00:00Z', 7, '2026-05-04', '2026-05-10'],
    ['2026-05-10T17:00:00Z', 1, '2026-05-11', '2026-05-11'], // 01:00 the next day in Shanghai
    ['2026-03-05T04:00:00Z', 7, '2026-02-27', '2026-03-05'],
    ['2026-01-15T04:00:00Z', 30, '2025-12-17', '2026-01-15'],
  ])('%s, %d days → %s..%s', (now, days, from, to) => expect(periodRange(days, new Date(now))).toEqual({ from, to }));
});

describe('navigation: the dashboard is for leads, supervisors and admins', () => {
  it.each(STAFF_ROLES.map((r) => [r, ['team_lead', 'supervisor', 'admin'].includes(r)] as const))('%s → %s', (role, sees) => {
    expect(navFor(role).some((n) => n.to === '/dashboard')).toBe(sees);
  });
});

describe('joinList', () => {
  it.each<[string[], string, string]>([
    [[], '', ''],
    [['电话 2 张'], '电话 2 张', 'phone 2'],
  ])('%j', (items, zh, en) => {
    expect(joinList(items, 'zh')).toBe(zh);
    if (items.length) expect(joinList(['phone 2'], 'en')).toBe(en);
  });
  it('several', () => {
    expect(joinList(['电话 2 张', '在线 3 张', '邮件 1 张'], 'zh')).toBe('电话 2 张、在线 3 张和邮件 1 张');
    expect(joinList(['phone 2', 'chat 3', 'email 1'], 'en')).toBe('phone 2, chat 3 and email 1');
  });
});

describe('the SLA target from the reports.targets setting', () => {
  it('turns the fraction into the gauge\'s percentage and judges against it', () => {
    expect(slaTargetPercent({ slaCompliance: 0.95 })).toBe(95);
    expect(slaTargetPercent({ slaCompliance: 0.925 })).toBe(92.5);
    expect(slaTargetPercent({ slaCompliance: 1 })).toBe(100);
    // 91 % is short of the default 95 % (warn), meets an 90 % target, and is bad against 100 % less 10 points.
    expect(complianceLevel(91, slaTargetPercent({ slaCompliance: 0.95 }))).toBe('warn');
    expect(complianceLevel(91, slaTargetPercent({ slaCompliance: 0.9 }))).toBe('good');
    expect(complianceLevel(89.9, slaTargetPercent({ slaCompliance: 1 }))).toBe('bad');
  });
});
