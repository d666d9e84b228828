import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../web/shared/chat/backoff.ts';
import { newClientId } from '../../web/shared/chat/client-id.ts';
import { parseServerFrame, type ChatMessage, type Conversation } from '../../web/shared/chat/protocol.ts';
import { chatReducer, EMPTY_CHAT, lastMessageId, mergeMessages, unacknowledged, type ChatState, type PendingMessage } from '../../web/shared/chat/timeline.ts';

const msg = (id: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  clientId: null,
  author: 'agent',
  authorName: '小李',
  body: `m${id}`,
  createdAt: new Date(Date.UTC(2026, 10, 23, 8, 0, id)).toISOString(),
  ...extra,
});
const pend = (clientId: string, body = clientId): PendingMessage => ({ clientId, body, createdAt: '2026-11-23T08:00:00.000Z' });
const conv = (extra: Partial<Conversation> = {}): Conversation => ({
  id: 'c1',
  ticketId: 't1',
  ticketNumber: 'GD20261123000001',
  status: 'queued',
  queuePosition: 3,
  agent: null,
  visitorName: '张三',
  startedAt: '2026-11-23T08:00:00.000Z',
  assignedAt: null,
  firstReplyAt: null,
  endedAt: null,
  ...extra,
});
const ids = (s: ChatState): number[] => s.messages.map((m) => m.id);

describe('mergeMessages', () => {
  it.each([
    ['both empty', [], [], []],
    ['history only', [], [1, 2, 3], [1, 2, 3]],
    ['live after history', [1, 2], [3], [1, 2, 3]],
    ['replayed overlap', [1, 2, 3], [2, 3, 4], [1, 2, 3, 4]],
    ['out of order', [5, 1], [3, 2], [1, 2, 3, 5]],
    ['exact repeat', [1, 2], [1, 2], [1, 2]],
    ['duplicates inside one batch', [], [2, 2, 1], [1, 2]],
  ])('%s', (_name, existing: number[], incoming: number[], expected: number[]) => {
    expect(mergeMessages(existing.map((i) => msg(i)), incoming.map((i) => msg(i))).map((m) => m.id)).toEqual(expected);
  });

  it('keeps the newer copy of an id', () => {
    expect(mergeMessages([msg(1, { body: 'old' })], [msg(1, { body: 'new' })])[0]!.body).toBe('new');
  });

  it('lastMessageId is the highest id, 0 for none', () => {
    expect(lastMessageId([])).toBe(0);
    expect(lastMessageId([msg(4), msg(9), msg(2)])).toBe(9);
  });
});

describe('unacknowledged', () => {
  it('drops pending messages whose clientId is stored, keeps the order of the rest', () => {
    const pending = [pend('a'), pend('b'), pend('c')];
    expect(unacknowledged(pending, [msg(1, { clientId: 'b', author: 'customer' })]).map((p) => p.clientId)).toEqual(['a', 'c']);
    expect(unacknowledged(pending, [msg(1)])).toBe(pending);
    expect(unacknowledged([], [msg(1, { clientId: 'a' })])).toEqual([]);
  });
});

describe('chatReducer', () => {
  const history = (messages: ChatMessage[], c = conv()) => ({ type: 'frame' as const, frame: { type: 'history' as const, conversation: c, messages } });

  it('history then live message then a replayed history after a reconnect: each message once', () => {
    let s = chatReducer(EMPTY_CHAT, history([msg(1), msg(2)]));
    s = chatReducer(s, { type: 'frame', frame: { type: 'message', conversationId: 'c1', message: msg(3) } });
    s = chatReducer(s, { type: 'frame', frame: { type: 'message', conversationId: 'c1', message: msg(3) } });
    s = chatReducer(s, history([msg(3), msg(4)]));
    expect(ids(s)).toEqual([1, 2, 3, 4]);
  });

  it('a sent message is pending until acked; the ack stores it once', () => {
    let s = chatReducer(EMPTY_CHAT, { type: 'send', message: pend('x', 'hello') });
    s = chatReducer(s, { type: 'send', message: pend('x', 'hello') });
    expect(s.pending.map((p) => p.clientId)).toEqual(['x']);
    const stored = msg(7, { clientId: 'x', author: 'customer', body: 'hello' });
    s = chatReducer(s, { type: 'frame', frame: { type: 'ack', clientId: 'x', message: stored } });
    s = chatReducer(s, { type: 'frame', frame: { type: 'ack', clientId: 'x', message: stored } });
    expect(s.pending).toEqual([]);
    expect(ids(s)).toEqual([7]);
  });

  it('a message stored before the line dropped (ack lost) is settled by the replayed history, so it is not shown twice', () => {
    let s = chatReducer(EMPTY_CHAT, history([msg(1)]));
    s = chatReducer(s, { type: 'send', message: pend('lost-ack') });
    s = chatReducer(s, { type: 'send', message: pend('never-sent') });
    s = chatReducer(s, history([msg(2, { clientId: 'lost-ack', author: 'customer' }), msg(3)]));
    expect(ids(s)).toEqual([1, 2, 3]);
    expect(s.pending.map((p) => p.clientId)).toEqual(['never-sent']);
  });

  it('the agent typing shows, its reply clears it; the customer’s own typing echo is ignored', () => {
    let s = chatReducer(EMPTY_CHAT, { type: 'frame', frame: { type: 'typing', conversationId: 'c1', who: 'agent', name: '小李', on: true } });
    expect(s.typing).toBe('小李');
    expect(chatReducer(s, { type: 'frame', frame: { type: 'typing', conversationId: 'c1', who: 'customer', name: '张三', on: false } }).typing).toBe('小李');
    expect(chatReducer(s, { type: 'frame', frame: { type: 'typing', conversationId: 'c1', who: 'agent', name: '小李', on: false } }).typing).toBeNull();
    expect(chatReducer(s, { type: 'frame', frame: { type: 'message', conversationId: 'c1', message: msg(5) } }).typing).toBeNull();
  });

  it('a typing indicator nobody renews fades; a renewed one does not fade on the old timer', () => {
    const on = { type: 'frame' as const, frame: { type: 'typing' as const, conversationId: 'c1', who: 'agent' as const, name: '小李', on: true } };
    let s = chatReducer(EMPTY_CHAT, on);
    const first = s.typingSeq;
    s = chatReducer(s, on);
    expect(s.typingSeq).toBe(first + 1);
    expect(chatReducer(s, { type: 'typingFaded', seq: first }).typing).toBe('小李');
    expect(chatReducer(s, { type: 'typingFaded', seq: s.typingSeq }).typing).toBeNull();
  });

  it('state frames move the conversation from queued to active to ended; ending clears typing', () => {
    let s = chatReducer(EMPTY_CHAT, history([]));
    expect(s.conversation?.queuePosition).toBe(3);
    s = chatReducer(s, { type: 'frame', frame: { type: 'state', conversation: conv({ queuePosition: 1 }) } });
    expect(s.conversation?.queuePosition).toBe(1);
    s = chatReducer(s, { type: 'frame', frame: { type: 'state', conversation: conv({ status: 'active', queuePosition: null, agent: { id: 'a', displayName: '小李' } }) } });
    expect(s.conversation?.agent?.displayName).toBe('小李');
    s = chatReducer(s, { type: 'frame', frame: { type: 'typing', conversationId: 'c1', who: 'agent', name: '小李', on: true } });
    s = chatReducer(s, { type: 'frame', frame: { type: 'state', conversation: conv({ status: 'ended', queuePosition: null }) } });
    expect(s.conversation?.status).toBe('ended');
    expect(s.typing).toBeNull();
  });

  it('a refused message leaves pending and its reason shows', () => {
    let s = chatReducer(EMPTY_CHAT, { type: 'send', message: pend('bad') });
    s = chatReducer(s, { type: 'frame', frame: { type: 'error', code: 'validation_failed', message: 'empty body', clientId: 'bad' } });
    expect(s.pending).toEqual([]);
    expect(s.refused).toBe('empty body');
    s = chatReducer(s, { type: 'send', message: pend('next') });
    expect(s.refused).toBeNull();
  });

  it('ignores frames it has nothing to do with', () => {
    const s = chatReducer(EMPTY_CHAT, history([msg(1)]));
    expect(chatReducer(s, { type: 'frame', frame: { type: 'viewers', conversationId: 'c1', agents: [] } })).toBe(s);
    expect(chatReducer(s, { type: 'frame', frame: { type: 'pong' } })).toBe(s);
  });
});

describe('parseServerFrame', () => {
  it.each([
    ['not JSON', '{', null],
    ['not an object', '[1]', null],
    ['unknown type', '{"type":"party"}', null],
    ['message without a message', '{"type":"message","conversationId":"c1"}', null],
    ['message with a non-numeric id', '{"type":"message","message":{"id":"1","body":"x","author":"agent","authorName":"a"}}', null],
    ['pong', '{"type":"pong"}', 'pong'],
    ['ack', JSON.stringify({ type: 'ack', clientId: 'x', message: msg(1) }), 'ack'],
    ['history', JSON.stringify({ type: 'history', conversation: conv(), messages: [msg(1)] }), 'history'],
    ['history with a broken message', JSON.stringify({ type: 'history', conversation: conv(), messages: [{ id: 1 }] }), null],
    ['typing', '{"type":"typing","who":"agent","name":"a","on":true}', 'typing'],
    ['error', '{"type":"error","code":"x","message":"y"}', 'error'],
  ])('%s', (_name, data, type) => {
    expect(parseServerFrame(data)?.type ?? null).toBe(type);
  });

  it('a binary frame is not understood', () => {
    expect(parseServerFrame(new ArrayBuffer(4))).toBeNull();
  });
});

describe('backoffDelay', () => {
  it.each([
    [0, 0, 250],
    [0, 0.999999, 500],
    [1, 0, 500],
    [2, 0.5, 1500],
    [5, 0, 7500],
    [10, 1, 15_000],
    [1000, 1, 15_000],
  ])('attempt %i, random %d → %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, random)).toBe(expected);
  });

  it('never below half the capped exponential, never above the cap', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      for (const r of [0, 0.3, 0.7, 1, -1, 2]) {
        const d = backoffDelay(attempt, r);
        expect(d).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.baseMs / 2);
        expect(d).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
      }
    }
  });
});

describe('newClientId', () => {
  it('makes version-4 UUIDs', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const id = newClientId();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(200);
  });

  it('sets the version and variant bits whatever the random bytes', () => {
    expect(newClientId((b) => b.fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(newClientId((b) => b.fill(0))).toBe('00000000-0000-4000-8000-000000000000');
  });
});
