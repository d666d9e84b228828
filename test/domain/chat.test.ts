import { describe, expect, it } from 'vitest';
import {
  anyoneCanTake,
  busyNoticeDue,
  checkChatBody,
  compareQueued,
  fillCompany,
  firstReplyMeasure,
  isAvailable,
  queuePositions,
  routeQueue,
  type ChatAgent,
  type QueuedChat,
} from '../../src/domain/chat.ts';

const now = new Date('2026-11-23T06:00:00Z');
const ago = (s: number): Date => new Date(now.getTime() - s * 1000);
const agent = (id: string, over: Partial<ChatAgent> = {}): ChatAgent => ({ id, presence: 'online', lastSeenAt: ago(5), capacity: 3, active: 0, teamIds: [], lastAssignedAt: null, ...over });
const chat = (id: string, over: Partial<QueuedChat> = {}): QueuedChat => ({ id, teamId: null, notAgentId: null, priority: 'normal', queuedAt: ago(60), ...over });

describe('availability', () => {
  it.each([
    ['online, fresh, room', {}, true],
    ['away', { presence: 'away' as const }, false],
    ['offline', { presence: 'offline' as const }, false],
    ['console silent past the timeout', { lastSeenAt: ago(91) }, false],
    ['console silent exactly the timeout', { lastSeenAt: ago(90) }, true],
    ['full', { active: 3 }, false],
    ['one slot left', { active: 2 }, true],
  ])('%s', (_name, over, expected) => {
    expect(isAvailable(agent('a', over), now, 90)).toBe(expected);
  });
});

describe('queue order', () => {
  it('puts urgent before high before normal before low, then the longest waiting first', () => {
    const q = [chat('n-new', { queuedAt: ago(10) }), chat('low', { priority: 'low', queuedAt: ago(500) }), chat('n-old', { queuedAt: ago(100) }), chat('urg', { priority: 'urgent', queuedAt: ago(1) }), chat('hi', { priority: 'high', queuedAt: ago(2) })];
    expect([...q].sort(compareQueued).map((c) => c.id)).toEqual(['urg', 'hi', 'n-old', 'n-new', 'low']);
    expect([...queuePositions(q).entries()]).toEqual([['urg', 1], ['hi', 2], ['n-old', 3], ['n-new', 4], ['low', 5]]);
  });
  it('breaks a tie in time by id, so positions are stable', () => {
    const q = [chat('b'), chat('a')];
    expect([...queuePositions(q).keys()]).toEqual(['a', 'b']);
  });
});

describe('routing', () => {
  it('gives each chat to the least loaded agent, then the one idle longest', () => {
    const agents = [agent('busy', { active: 2 }), agent('idle-recent', { lastAssignedAt: ago(10) }), agent('idle-long', { lastAssignedAt: ago(600) })];
    expect(routeQueue([chat('c1'), chat('c2', { queuedAt: ago(30) })], agents, now, 90)).toEqual([
      { chatId: 'c1', agentId: 'idle-long' },
      { chatId: 'c2', agentId: 'idle-recent' },
    ]);
  });
  it('never fills an agent past capacity; chats nobody can take stay queued', () => {
    const plan = routeQueue([chat('c1', { queuedAt: ago(3) }), chat('c2', { queuedAt: ago(2) }), chat('c3', { queuedAt: ago(1) })], [agent('a', { capacity: 2 })], now, 90);
    expect(plan).toEqual([{ chatId: 'c1', agentId: 'a' }, { chatId: 'c2', agentId: 'a' }]);
  });
  it('compares load relative to capacity', () => {
    const plan = routeQueue([chat('c1')], [agent('small', { capacity: 2, active: 1 }), agent('big', { capacity: 10, active: 3 })], now, 90);
    expect(plan).toEqual([{ chatId: 'c1', agentId: 'big' }]);
  });
  it('sends a chat for a team only to its members, and not back to the agent who transferred it', () => {
    const agents = [agent('outsider'), agent('member', { teamIds: ['t1'] }), agent('passer', { teamIds: ['t1'] })];
    expect(routeQueue([chat('c1', { teamId: 't1', notAgentId: 'passer' })], agents, now, 90)).toEqual([{ chatId: 'c1', agentId: 'member' }]);
    expect(routeQueue([chat('c1', { teamId: 't2' })], agents, now, 90)).toEqual([]);
  });
  it('routes urgent chats first when room is short', () => {
    const plan = routeQueue([chat('normal-old', { queuedAt: ago(600) }), chat('urgent-new', { priority: 'urgent', queuedAt: ago(1) })], [agent('a', { capacity: 1 })], now, 90);
    expect(plan).toEqual([{ chatId: 'urgent-new', agentId: 'a' }]);
  });
  it('skips away, offline and silent agents', () => {
    expect(routeQueue([chat('c')], [agent('away', { presence: 'away' }), agent('off', { presence: 'offline' }), agent('silent', { lastSeenAt: ago(1000) })], now, 90)).toEqual([]);
  });
  it('does not change the agents it was given', () => {
    const agents = [agent('a')];
    routeQueue([chat('c')], agents, now, 90);
    expect(agents[0]!.active).toBe(0);
  });
  it('knows whether anyone could take a chat for a team', () => {
    expect(anyoneCanTake([agent('a', { teamIds: ['t1'] })], 't1', now, 90)).toBe(true);
    expect(anyoneCanTake([agent('a', { teamIds: ['t1'] })], 't2', now, 90)).toBe(false);
    expect(anyoneCanTake([agent('a', { active: 3 })], null, now, 90)).toBe(false);
    expect(anyoneCanTake([], null, now, 90)).toBe(false);
  });
});

describe('busy notice (C4)', () => {
  const spell = ago(50);
  it.each([
    ['nothing waiting', { awaitingSince: null, noticeFor: null, status: 'active' as const }, false, false],
    ['ended chat', { awaitingSince: spell, noticeFor: null, status: 'ended' as const }, true, false],
    ['queued with nobody able to take it: at once', { awaitingSince: ago(1), noticeFor: null, status: 'queued' as const }, true, true],
    ['queued, agents have room, not yet at the threshold', { awaitingSince: ago(44), noticeFor: null, status: 'queued' as const }, false, false],
    ['at the threshold', { awaitingSince: ago(45), noticeFor: null, status: 'active' as const }, false, true],
    ['past the threshold', { awaitingSince: spell, noticeFor: null, status: 'active' as const }, false, true],
    ['already sent for this waiting spell', { awaitingSince: spell, noticeFor: spell, status: 'active' as const }, true, false],
    ['sent for an earlier spell; this one is past the threshold', { awaitingSince: spell, noticeFor: ago(500), status: 'active' as const }, false, true],
  ])('%s', (_name, state, noAgent, expected) => {
    expect(busyNoticeDue(state, now, 45, noAgent)).toBe(expected);
  });
});

describe('first reply within 60 s (C4)', () => {
  it.each([
    ['no customer message yet', null, null, 0, { firstReplyMs: null, withinTarget: null }],
    ['answered in 59 s', ago(100), ago(41), 0, { firstReplyMs: 59_000, withinTarget: true }],
    ['answered in exactly 60 s', ago(100), ago(40), 0, { firstReplyMs: 60_000, withinTarget: true }],
    ['answered in 61 s', ago(100), ago(39), 0, { firstReplyMs: 61_000, withinTarget: false }],
    ['unanswered, 30 s so far', ago(30), null, 0, { firstReplyMs: null, withinTarget: null }],
    ['unanswered past 60 s', ago(61), null, 0, { firstReplyMs: null, withinTarget: false }],
    ['reply stamped before the message (clock skew) counts as 0', ago(10), ago(11), 0, { firstReplyMs: 0, withinTarget: true }],
  ])('%s', (_name, first, reply, _x, expected) => {
    expect(firstReplyMeasure(first, reply, now, 60)).toEqual(expected);
  });
});

describe('scripts and message bodies', () => {
  it('fills the company name (C5)', () => {
    expect(fillCompany('您好,{公司}快递客服,请问有什么可以帮您?', '顺达')).toBe('您好,顺达快递客服,请问有什么可以帮您?');
    expect(fillCompany('{公司}{公司}', '甲')).toBe('甲甲');
    expect(fillCompany('没有变量', '甲')).toBe('没有变量');
  });
  it.each([
    ['plain', '你好', { ok: true, body: '你好' }],
    ['trimmed', '  你好 \n', { ok: true, body: '你好' }],
    ['newlines kept inside', '第一行\n第二行', { ok: true, body: '第一行\n第二行' }],
    ['HTML kept as text (escaped when shown)', '<b>hi</b>', { ok: true, body: '<b>hi</b>' }],
    ['empty', '   ', { ok: false }],
    ['not a string', 42, { ok: false }],
    ['control character', 'a\u0000b', { ok: false }],
    ['bell', 'a\u0007b', { ok: false }],
    ['exactly 4 000 characters', '件'.repeat(4000), { ok: true }],
    ['over 4 000 characters', '件'.repeat(4001), { ok: false }],
    ['emoji count as one character each', '😀'.repeat(4000), { ok: true }],
  ])('%s', (_name, body, expected) => {
    expect(checkChatBody(body)).toMatchObject(expected);
  });
});
