/**
 * The WebSocket side of the chat client with a scripted socket and fake timers: greeting with the
 * last id seen, resend of unacknowledged messages with their clientIds after every (re)connect,
 * back-off between attempts, ping keep-alive and a dead line closed when no frame answers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatConnection, customerSocketUrl, type ConnectionStatus } from '../../web/shared/chat/connection.ts';
import type { ServerFrame } from '../../web/shared/chat/protocol.ts';
import type { PendingMessage } from '../../web/shared/chat/timeline.ts';

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.();
  }
  // The server's side:
  accept(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  push(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(): void {
    this.close();
  }
}

let pending: PendingMessage[];
let last: number;
let frames: ServerFrame[];
let statuses: ConnectionStatus[];
const win = new EventTarget();

function connect(): ChatConnection {
  const c = new ChatConnection({
    url: 'ws://host/api/v1/chat/ws?conversation=c1&token=t',
    greeting: (after) => ({ type: 'hello', after }),
    lastId: () => last,
    pending: () => pending,
    onFrame: (f) => frames.push(f),
    onStatus: (s) => statuses.push(s),
    pingEveryMs: 1000,
    pongTimeoutMs: 500,
  });
  c.start();
  return c;
}
const sock = (i: number): FakeSocket => FakeSocket.all[i]!;

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  pending = [];
  last = 0;
  frames = [];
  statuses = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('window', win);
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('ChatConnection', () => {
  it('greets with hello after the last id, then resends every pending message with its clientId, in order', () => {
    last = 41;
    pending = [{ clientId: 'p1', body: '一', createdAt: '' }, { clientId: 'p2', body: '二', createdAt: '' }];
    const c = connect();
    expect(statuses).toEqual(['connecting']);
    sock(0).accept();
    expect(sock(0).sent).toEqual([
      { type: 'hello', after: 41 },
      { type: 'message', clientId: 'p1', body: '一' },
      { type: 'message', clientId: 'p2', body: '二' },
    ]);
    expect(statuses.at(-1)).toBe('open');
    c.stop();
  });

  it('reconnects after a drop with growing back-off, greeting with the newest id and resending what is still pending', () => {
    const c = connect();
    sock(0).accept();
    sock(0).push({ type: 'message', conversationId: 'c1', message: { id: 7, clientId: null, author: 'agent', authorName: 'a', body: 'hi', createdAt: '' } });
    expect(frames.map((f) => f.type)).toEqual(['message']);

    last = 7;
    pending = [{ clientId: 'lost', body: '断网时写的', createdAt: '' }];
    sock(0).drop();
    expect(statuses.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(249);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1); // 250 ms: half of 500 with random 0
    expect(FakeSocket.all).toHaveLength(2);
    sock(1).drop(); // refused again: the next wait doubles
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);
    sock(2).accept();
    expect(sock(2).sent).toEqual([{ type: 'hello', after: 7 }, { type: 'message', clientId: 'lost', body: '断网时写的' }]);
    c.stop();
  });

  it('a send while the line is down is not lost: it goes out with the resend', () => {
    const c = connect();
    sock(0).accept();
    sock(0).drop();
    const m = { clientId: 'x1', body: '你好', createdAt: '' };
    pending = [m];
    c.sendMessage(m); // socket closed: nothing thrown, nothing sent
    vi.advanceTimersByTime(250);
    sock(1).accept();
    expect(sock(1).sent.filter((f) => f.type === 'message')).toEqual([{ type: 'message', clientId: 'x1', body: '你好' }]);
    c.stop();
  });

  it('pings to keep the line alive; a line that answers nothing is closed and reopened', () => {
    const c = connect();
    sock(0).accept();
    vi.advanceTimersByTime(1000);
    expect(sock(0).sent.at(-1)).toEqual({ type: 'ping' });
    sock(0).push({ type: 'pong' });
    vi.advanceTimersByTime(600);
    expect(sock(0).readyState).toBe(1);
    expect(frames).toEqual([]); // pong is not a chat frame
    vi.advanceTimersByTime(400); // next ping, no answer
    vi.advanceTimersByTime(500);
    expect(sock(0).readyState).toBe(3);
    vi.advanceTimersByTime(250);
    expect(FakeSocket.all).toHaveLength(2);
    c.stop();
  });

  it('the browser going offline closes the line; coming back online reconnects at once', () => {
    const c = connect();
    sock(0).accept();
    win.dispatchEvent(new Event('offline'));
    expect(sock(0).readyState).toBe(3);
    win.dispatchEvent(new Event('online'));
    expect(FakeSocket.all).toHaveLength(2);
    c.stop();
  });

  it('while the browser knows it is offline, the back-off timer makes no attempt; online does', () => {
    vi.stubGlobal('navigator', { onLine: false });
    const c = connect();
    sock(0).accept();
    sock(0).drop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    vi.stubGlobal('navigator', { onLine: true });
    win.dispatchEvent(new Event('online'));
    expect(FakeSocket.all).toHaveLength(2);
    c.stop();
  });

  it('stop closes for good: no reconnect', () => {
    const c = connect();
    sock(0).accept();
    c.stop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(statuses.at(-1)).toBe('closed');
  });

  it('ignores frames it does not understand', () => {
    const c = connect();
    sock(0).accept();
    sock(0).onmessage?.({ data: 'not json' });
    sock(0).push({ type: 'from-the-future' });
    expect(frames).toEqual([]);
    c.stop();
  });

  it('builds the customer URL on the page host, wss on https', () => {
    expect(customerSocketUrl({ protocol: 'https:', host: 'kf.example.cn' } as Location, 'c 1', 't&x')).toBe('wss://kf.example.cn/api/v1/chat/ws?conversation=c+1&token=t%26x');
    expect(customerSocketUrl({ protocol: 'http:', host: '127.0.0.1:3000' } as Location, 'c1', 't')).toBe('ws://127.0.0.1:3000/api/v1/chat/ws?conversation=c1&token=t');
  });
});
