/**
 * The chat console's pure parts: the tabs' state (frames routed to their chat, an ack or refusal by
 * its clientId, unread counts, drafts kept across switches, closing), the agent side of the shared
 * timeline reducer, the agent socket's resume frames, the typing notifier's debounce and renewal,
 * the queue's waiting time, and the tabs' keyboard rule.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { navFor, STAFF_ROLES } from '../../web/agent/app/nav.ts';
import { AgentChatConnection } from '../../web/shared/chat/agent-connection.ts';
import type { ChatMessage, Conversation, ServerFrame } from '../../web/shared/chat/protocol.ts';
import { agentChatReducer, EMPTY_CHAT } from '../../web/shared/chat/timeline.ts';
import { consoleReducer, EMPTY_CONSOLE, isMine, totalUnread, waitingOnAgent, type ConsoleAction, type ConsoleState } from '../../web/agent/modules/chat/utils/console-state.ts';
import { formatWait, pastTarget, waitedMs } from '../../web/agent/modules/chat/utils/queue-wait.ts';
import { tabKeyTarget } from '../../web/agent/modules/chat/utils/tab-keys.ts';
import { TypingNotifier, type TypingClock } from '../../web/agent/modules/chat/utils/typing-notifier.ts';

const ME = { id: 'agent-1', displayName: '王晓芳' };

function conv(id: string, over: Partial<Conversation> = {}): Conversation {
  return {
    id, ticketId: `t-${id}`, ticketNumber: `GD-${id}`, status: 'active', queuePosition: null, agent: ME, visitorName: `客户${id}`,
    startedAt: '2026-12-01T08:00:00Z', assignedAt: '2026-12-01T08:00:10Z', firstReplyAt: null, endedAt: null, ...over,
  };
}
const msg = (id: number, author: ChatMessage['author'] = 'customer', clientId: string | null = null): ChatMessage => ({ id, clientId, author, authorName: author === 'agent' ? ME.displayName : '客户', body: `m${id}`, createdAt: '2026-12-01T08:01:00Z' });
const frame = (f: ServerFrame): ConsoleAction => ({ type: 'frame', frame: f });
const run = (actions: ConsoleAction[], from: ConsoleState = EMPTY_CONSOLE): ConsoleState => actions.reduce(consoleReducer, from);

describe('console tabs', () => {
  it('opens a tab per chat once; the first opened is in front, an offer opens in the background, focus brings one forward', () => {
    let s = run([{ type: 'open', conversation: conv('a') }, frame({ type: 'offer', conversation: conv('b') }), { type: 'open', conversation: conv('a') }]);
    expect(s.order).toEqual(['a', 'b']);
    expect(s.active).toBe('a');
    expect(s.tabs.b!.seen).toBe(false);
    s = consoleReducer(s, { type: 'open', conversation: conv('b'), focus: true });
    expect(s.active).toBe('b');
    expect(s.tabs.b!.seen).toBe(true);
  });

  it('routes history, messages, typing and viewers to their chat; unread counts customer messages of chats not in front', () => {
    let s = run([{ type: 'open', conversation: conv('a') }, { type: 'open', conversation: conv('b') }]);
    s = run([
      frame({ type: 'history', conversation: conv('a'), messages: [msg(1)] }),
      frame({ type: 'history', conversation: conv('b'), messages: [msg(2), msg(3, 'agent')] }),
      frame({ type: 'message', conversationId: 'b', message: msg(5) }),
      frame({ type: 'message', conversationId: 'b', message: msg(5) }), // a repeat counts once
      frame({ type: 'message', conversationId: 'b', message: msg(6, 'system') }), // the busy notice is not the customer
      frame({ type: 'message', conversationId: 'a', message: msg(7) }), // in front: read
      frame({ type: 'typing', conversationId: 'b', who: 'customer', name: '客户b', on: true }),
      frame({ type: 'viewers', conversationId: 'b', agents: [ME, { id: 'lead', displayName: '赵组长' }] }),
      frame({ type: 'message', conversationId: 'zzz', message: msg(8) }), // not open: ignored
    ], s);
    expect(s.tabs.a!.chat.messages.map((m) => m.id)).toEqual([1, 7]);
    expect(s.tabs.a!.unread).toBe(0);
    expect(s.tabs.b!.chat.messages.map((m) => m.id)).toEqual([2, 3, 5, 6]);
    expect(s.tabs.b!.unread).toBe(1);
    expect(s.tabs.b!.chat.typing).toBe('客户b');
    expect(s.tabs.b!.viewers.map((v) => v.displayName)).toEqual(['王晓芳', '赵组长']);
    expect(s.tabs.zzz).toBeUndefined();
    expect(totalUnread(s)).toBe(1);
    s = consoleReducer(s, { type: 'select', id: 'b' });
    expect(s.tabs.b!.unread).toBe(0);
    expect(totalUnread(s)).toBe(0);
  });

  it('a chat routed in the background starts with what the customer wrote since an agent last did as unread', () => {
    const s = run([
      { type: 'open', conversation: conv('a') },
      frame({ type: 'offer', conversation: conv('b') }),
      frame({ type: 'history', conversation: conv('b'), messages: [msg(1), msg(2, 'system'), msg(3)] }),
    ]);
    expect(s.tabs.b!.unread).toBe(2);
    expect(waitingOnAgent({ ...EMPTY_CHAT, messages: [msg(1), msg(2, 'agent'), msg(3), msg(4, 'system')] })).toBe(1);
    expect(waitingOnAgent(EMPTY_CHAT)).toBe(0);
  });

  it('keeps each chat\u2019s draft across switches; sending clears it and waits for the ack by clientId', () => {
    let s = run([
      { type: 'open', conversation: conv('a') }, { type: 'open', conversation: conv('b') },
      { type: 'draft', id: 'a', text: '请稍等' }, { type: 'select', id: 'b' }, { type: 'draft', id: 'b', text: '二十公斤可以寄' }, { type: 'select', id: 'a' },
    ]);
    expect(s.tabs.a!.draft).toBe('请稍等');
    expect(s.tabs.b!.draft).toBe('二十公斤可以寄');
    s = consoleReducer(s, { type: 'send', id: 'b', message: { clientId: 'cid-b-1', body: '二十公斤可以寄', createdAt: '2026-12-01T08:02:00Z' } });
    expect(s.tabs.b!.draft).toBe('');
    expect(s.tabs.b!.chat.pending.map((p) => p.clientId)).toEqual(['cid-b-1']);
    // The ack names no conversation: it finds its chat by the clientId.
    s = consoleReducer(s, frame({ type: 'ack', clientId: 'cid-b-1', message: msg(9, 'agent', 'cid-b-1') }));
    expect(s.tabs.b!.chat.pending).toEqual([]);
    expect(s.tabs.b!.chat.messages.map((m) => m.id)).toEqual([9]);
    expect(s.tabs.a!.chat.messages).toEqual([]);
    expect(s.tabs.a!.draft).toBe('请稍等');
  });

  it('a refused message leaves pending and comes back into an empty composer; a refusal naming no chat is a notice', () => {
    let s = run([{ type: 'open', conversation: conv('a') }, { type: 'send', id: 'a', message: { clientId: 'cid-1', body: '这个我不知道', createdAt: '2026-12-01T08:02:00Z' } }]);
    s = consoleReducer(s, frame({ type: 'error', code: 'guard_blocked', message: '不规范用语', clientId: 'cid-1' }));
    expect(s.tabs.a!.chat.pending).toEqual([]);
    expect(s.tabs.a!.chat.refused).toBe('不规范用语');
    expect(s.tabs.a!.draft).toBe('这个我不知道');
    // Not over something the agent has typed since.
    s = run([{ type: 'draft', id: 'a', text: '新的话' }, { type: 'send', id: 'a', message: { clientId: 'cid-2', body: 'x', createdAt: '2026-12-01T08:03:00Z' } }, { type: 'draft', id: 'a', text: '又写了' }], s);
    s = consoleReducer(s, frame({ type: 'error', code: 'conflict', message: 'ended', clientId: 'cid-2' }));
    expect(s.tabs.a!.draft).toBe('又写了');
    s = consoleReducer(s, frame({ type: 'error', code: 'forbidden', message: '不是你的会话' }));
    expect(s.notice).toBe('不是你的会话');
  });

  it('state frames and HTTP answers move the chat: ended or transferred away is no longer the agent\u2019s', () => {
    let s = run([{ type: 'open', conversation: conv('a') }, { type: 'open', conversation: conv('b') }]);
    expect(isMine(s.tabs.a!.conversation, ME.id)).toBe(true);
    s = consoleReducer(s, frame({ type: 'state', conversation: conv('a', { status: 'ended', endedAt: '2026-12-01T08:09:00Z' }) }));
    s = consoleReducer(s, { type: 'conversation', conversation: conv('b', { status: 'queued', agent: null, queuePosition: 1 }) });
    expect(isMine(s.tabs.a!.conversation, ME.id)).toBe(false);
    expect(isMine(s.tabs.b!.conversation, ME.id)).toBe(false);
    expect(isMine(conv('c', { agent: { id: 'other', displayName: '小李' } }), ME.id)).toBe(false);
  });

  it('closing the tab in front brings its neighbour forward (the next, else the previous)', () => {
    let s = run([{ type: 'open', conversation: conv('a') }, { type: 'open', conversation: conv('b') }, { type: 'open', conversation: conv('c') }, { type: 'select', id: 'b' }]);
    s = consoleReducer(s, frame({ type: 'message', conversationId: 'c', message: msg(1) }));
    s = consoleReducer(s, { type: 'close', id: 'b' });
    expect(s.order).toEqual(['a', 'c']);
    expect(s.active).toBe('c');
    expect(s.tabs.c!.unread).toBe(0);
    s = consoleReducer(s, { type: 'close', id: 'c' });
    expect(s.active).toBe('a');
    s = run([{ type: 'close', id: 'a' }, { type: 'close', id: 'a' }], s);
    expect(s).toMatchObject({ order: [], active: null });
  });

  it('a typing indicator fades only on its own timer', () => {
    let s = run([{ type: 'open', conversation: conv('a') }, frame({ type: 'typing', conversationId: 'a', who: 'customer', name: '客户a', on: true })]);
    const seq = s.tabs.a!.chat.typingSeq;
    s = consoleReducer(s, frame({ type: 'typing', conversationId: 'a', who: 'customer', name: '客户a', on: true }));
    expect(consoleReducer(s, { type: 'typingFaded', id: 'a', seq }).tabs.a!.chat.typing).toBe('客户a');
    expect(consoleReducer(s, { type: 'typingFaded', id: 'a', seq: seq + 1 }).tabs.a!.chat.typing).toBeNull();
  });
});

describe('the agent side of the timeline reducer', () => {
  it('shows the customer typing, ignores other agents\u2019 typing, and a customer message ends the indicator', () => {
    let s = agentChatReducer(EMPTY_CHAT, { type: 'frame', frame: { type: 'typing', conversationId: 'a', who: 'customer', name: '张女士', on: true } });
    expect(s.typing).toBe('张女士');
    expect(agentChatReducer(s, { type: 'frame', frame: { type: 'typing', conversationId: 'a', who: 'agent', name: '赵组长', on: false } }).typing).toBe('张女士');
    expect(agentChatReducer(s, { type: 'frame', frame: { type: 'message', conversationId: 'a', message: msg(1, 'agent') } }).typing).toBe('张女士');
    s = agentChatReducer(s, { type: 'frame', frame: { type: 'message', conversationId: 'a', message: msg(2) } });
    expect(s.typing).toBeNull();
  });
});

describe('the agent socket', () => {
  it('after a (re)connect: per watched chat its watch with the last id seen, then its unacknowledged messages', () => {
    const last: Record<string, number> = { a: 12, b: 0 };
    const pending = { a: [{ clientId: 'p1', body: '还在吗', createdAt: 'x' }], b: [] };
    const c = new AgentChatConnection({
      url: 'ws://host/api/v1/chat/ws', onFrame: () => undefined, onStatus: () => undefined,
      lastId: (id) => last[id] ?? 0, pending: (id) => pending[id as 'a' | 'b'] ?? [],
    });
    // The line is not open: nothing goes out now, all of it goes out on open.
    c.watch('a');
    c.watch('b');
    c.watch('x');
    c.unwatch('x');
    expect(c.isWatching('x')).toBe(false);
    expect(c.resumeFrames()).toEqual([
      { type: 'watch', conversationId: 'a', after: 12 },
      { type: 'message', clientId: 'p1', body: '还在吗', conversationId: 'a' },
      { type: 'watch', conversationId: 'b', after: 0 },
    ]);
  });
});

describe('typing notifier', () => {
  let t = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 0;
  const clock: TypingClock = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const id = ++nextId;
      timers.push({ at: t + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      timers = timers.filter((x) => x.id !== h);
    },
  };
  const advance = (ms: number): void => {
    t += ms;
    for (const x of timers.filter((y) => y.at <= t)) {
      timers = timers.filter((y) => y !== x);
      x.fn();
    }
  };
  beforeEach(() => {
    t = 0;
    timers = [];
  });

  it('on at the first keystroke, once; off after a pause', () => {
    const sent: boolean[] = [];
    const n = new TypingNotifier((on) => sent.push(on), clock, 2500, 4000);
    n.input('请');
    advance(500);
    n.input('请稍');
    advance(2000);
    n.input('请稍等');
    expect(sent).toEqual([true]);
    advance(2499);
    expect(sent).toEqual([true]);
    advance(1);
    expect(sent).toEqual([true, false]);
  });

  it('renewed while typing goes on (the other side fades an unrenewed indicator)', () => {
    const sent: boolean[] = [];
    const n = new TypingNotifier((on) => sent.push(on), clock, 2500, 4000);
    for (let i = 0; i < 10; i++) {
      n.input('x'.repeat(i + 1));
      advance(1000);
    }
    expect(sent).toEqual([true, true, true]); // at 0, 4 s and 8 s
  });

  it('off at once when sent, emptied or left; never off without on', () => {
    const sent: boolean[] = [];
    const n = new TypingNotifier((on) => sent.push(on), clock);
    n.stop();
    n.input('   ');
    expect(sent).toEqual([]);
    n.input('好');
    n.input('');
    expect(sent).toEqual([true, false]);
    n.input('好的');
    n.stop();
    n.stop();
    advance(10_000);
    expect(sent).toEqual([true, false, true, false]);
  });
});

describe('queue waiting time', () => {
  afterEach(() => vi.useRealTimers());
  it('formats m:ss, h:mm:ss past an hour; never negative', () => {
    expect(formatWait(0)).toBe('0:00');
    expect(formatWait(59_999)).toBe('0:59');
    expect(formatWait(65_000)).toBe('1:05');
    expect(formatWait(3_600_000 + 61_000)).toBe('1:01:01');
    expect(formatWait(-5)).toBe('0:00');
  });
  it('measures from the start and marks the 60 s first-reply norm (C4)', () => {
    const start = '2026-12-01T08:00:00.000Z';
    expect(waitedMs(start, Date.parse(start) + 61_000)).toBe(61_000);
    expect(waitedMs(start, Date.parse(start) - 3000)).toBe(0); // the browser's clock behind the server's
    expect(waitedMs('not a date', 0)).toBe(0);
    expect(pastTarget(60_000)).toBe(false);
    expect(pastTarget(60_001)).toBe(true);
  });
});

describe('tab keys', () => {
  it('arrows move and wrap, Home and End jump, other keys are not tab keys', () => {
    expect(tabKeyTarget('ArrowRight', 0, 3)).toBe(1);
    expect(tabKeyTarget('ArrowRight', 2, 3)).toBe(0);
    expect(tabKeyTarget('ArrowLeft', 0, 3)).toBe(2);
    expect(tabKeyTarget('ArrowDown', 1, 3)).toBe(2);
    expect(tabKeyTarget('ArrowUp', 1, 3)).toBe(0);
    expect(tabKeyTarget('Home', 2, 3)).toBe(0);
    expect(tabKeyTarget('End', 0, 3)).toBe(2);
    expect(tabKeyTarget('Enter', 0, 3)).toBeNull();
    expect(tabKeyTarget('ArrowRight', 0, 0)).toBeNull();
  });
});

describe('navigation', () => {
  it('the console is in the menu of those who work chats (the server\u2019s chat roles), not the QA inspector\u2019s', () => {
    const withChat = STAFF_ROLES.filter((r) => navFor(r).some((n) => n.to === '/chat'));
    expect(withChat).toEqual(['agent', 'team_lead', 'supervisor', 'admin']);
  });
});
