/** The SLA badges' countdown: tone from the server's status and the time since it answered; the text in zh and en. */
import { describe, expect, it } from 'vitest';
import { translateWith } from '../../web/shared/i18n/core.ts';
import { AGENT_DICTIONARIES, type AgentMessageKey } from '../../web/shared/i18n/agent-dictionaries.ts';
import { clockBadge, countdownText, formatDuration, type ClockView, type Translate } from '../../web/agent/modules/tickets/utils/sla-countdown.ts';

const tr = (lang: 'zh' | 'en'): Translate => (key: AgentMessageKey, params) => translateWith(AGENT_DICTIONARIES, lang, key, params);
const zh = tr('zh');
const en = tr('en');
const S = 1000;
const M = 60 * S;
const H = 60 * M;

const clock = (over: Partial<ClockView> = {}): ClockView => ({
  clock: 'first_response', targetMs: 24 * H, mode: 'business', status: 'running', dueAt: '2026-01-05T10:00:00.000Z',
  remainingMs: 2 * H, consumedMs: 22 * H, stoppedAt: null, breachedAt: null, ...over,
});

describe('formatDuration', () => {
  it.each([
    [0, '0秒', '0 s'],
    [59 * S + 999, '59秒', '59 s'],
    [4 * M + 30 * S, '4分30秒', '4 min 30 s'],
    [H + 5 * M, '1小时05分', '1 h 05 min'],
    [23 * H + 59 * M + 59 * S, '23小时59分', '23 h 59 min'],
    [2 * 24 * H + 3 * H + 10 * M, '2天3小时', '2 d 3 h'],
    [-(5 * M), '5分00秒', '5 min 00 s'],
  ])('%d ms → %s / %s', (ms, z, e) => {
    expect(formatDuration(ms, zh)).toBe(z);
    expect(formatDuration(ms, en)).toBe(e);
  });
});

describe('clockBadge and countdownText', () => {
  it('counts down from the answer by the time since', () => {
    const b = clockBadge(clock(), 0, 30 * M);
    expect(b).toEqual({ tone: 'ok', remainingMs: 90 * M });
    expect(countdownText(b, zh)).toBe('剩余 1小时30分');
    expect(countdownText(b, en)).toBe('1 h 30 min left');
  });
  it('is amber when the server says the clock is at risk', () => {
    const b = clockBadge(clock({ status: 'warning', remainingMs: 10 * M }), 0, 0);
    expect(b.tone).toBe('warning');
    expect(countdownText(b, zh)).toBe('剩余 10分00秒');
  });
  it('turns red when the time runs out on the page, and counts the overdue time', () => {
    const b = clockBadge(clock({ remainingMs: M }), 0, 3 * M);
    expect(b).toEqual({ tone: 'breached', remainingMs: -2 * M });
    expect(countdownText(b, zh)).toBe('已超时 2分00秒');
    expect(countdownText(b, en)).toBe('2 min 00 s overdue');
  });
  it('is red when the server marked the breach even with time left by the arithmetic', () => {
    expect(clockBadge(clock({ status: 'breached', remainingMs: 5 * M }), 0, 0).tone).toBe('breached');
  });
  it('does not count while paused', () => {
    const b = clockBadge(clock({ status: 'paused', remainingMs: 3 * H }), 0, H);
    expect(b).toEqual({ tone: 'paused', remainingMs: 3 * H });
    expect(countdownText(b, zh)).toBe('已暂停 · 剩余 3小时00分');
    expect(countdownText(b, en)).toBe('paused · 3 h 00 min left');
  });
  it('says met or breached once the clock stopped', () => {
    const met = clockBadge(clock({ stoppedAt: '2026-01-05T09:00:00.000Z', remainingMs: null, status: 'met' }), 0, H);
    expect([met.tone, countdownText(met, zh), countdownText(met, en)]).toEqual(['met', '已达成', 'met']);
    const late = clockBadge(clock({ stoppedAt: '2026-01-05T11:00:00.000Z', breachedAt: '2026-01-05T10:00:00.000Z', remainingMs: null }), 0, H);
    expect([late.tone, countdownText(late, zh), countdownText(late, en)]).toEqual(['breached', '已超时', 'breached']);
  });
  it('ignores a clock set back (answer time after now)', () => {
    expect(clockBadge(clock(), 10 * M, 0).remainingMs).toBe(2 * H);
  });
});
