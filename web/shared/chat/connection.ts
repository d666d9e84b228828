/**
 * Live chat connections (docs/chat-protocol.md). `ChatLine` is the socket's life: open, say what
 * the caller wants said after each (re)connect, keep the line alive with pings, reconnect with
 * back-off on any close. `ChatConnection` is the customer's one chat on it (`hello` with the
 * highest message id seen, then every unacknowledged message again with its original clientId);
 * the agent console's many chats on one socket are `AgentChatConnection` (agent-connection.ts).
 * The caller keeps the state (see timeline.ts) and tells the connection what it knows.
 */
import { backoffDelay } from './backoff.ts';
import { parseServerFrame, type ClientFrame, type ServerFrame } from './protocol.ts';
import type { PendingMessage } from './timeline.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface LineOptions {
  /** ws(s)://…/api/v1/chat/ws?… */
  url: string;
  /** The frames to send after each (re)connect, in order (greetings, then resends), read at that moment. */
  resume(): ClientFrame[];
  onFrame(frame: ServerFrame): void;
  onStatus(status: ConnectionStatus): void;
  pingEveryMs?: number;
  /** Without any frame for this long after a ping, the line is taken as dead and reopened. */
  pongTimeoutMs?: number;
}

const OPEN = 1;

export class ChatLine {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly onOffline = (): void => this.socket?.close();
  private readonly onOnline = (): void => this.reconnectNow();

  constructor(private readonly opts: LineOptions) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
    this.open('connecting');
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    s?.close(1000);
    this.opts.onStatus('closed');
  }

  /** Sends now if the line is open (true); otherwise nothing is sent and the caller's `resume` covers it. */
  send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private reconnectNow(): void {
    if (this.stopped) return;
    if (this.socket && this.socket.readyState <= OPEN) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    this.open('reconnecting');
  }

  private open(status: ConnectionStatus): void {
    if (this.stopped) return;
    this.opts.onStatus(status);
    const socket = new WebSocket(this.opts.url);
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      for (const frame of this.opts.resume()) this.send(frame);
      this.startPing();
      this.opts.onStatus('open');
    };
    socket.onmessage = (ev: MessageEvent) => {
      if (this.socket !== socket) return;
      if (this.pongTimer) clearTimeout(this.pongTimer);
      this.pongTimer = null;
      const frame = parseServerFrame(ev.data);
      if (frame && frame.type !== 'pong') this.opts.onFrame(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      if (this.stopped) return;
      this.opts.onStatus('reconnecting');
      const delay = backoffDelay(this.attempt, Math.random());
      this.attempt += 1;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        // Known to be offline: no futile attempts; the 'online' event reconnects at once.
        if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
        this.open('reconnecting');
      }, delay);
    };
  }

  private startPing(): void {
    const every = this.opts.pingEveryMs ?? 25_000;
    const timeout = this.opts.pongTimeoutMs ?? 10_000;
    this.pingTimer = setInterval(() => {
      if (!this.send({ type: 'ping' })) return;
      if (this.pongTimer) return;
      this.pongTimer = setTimeout(() => this.socket?.close(), timeout);
    }, every);
  }

  private clearTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.pingTimer = this.pongTimer = this.retryTimer = null;
  }
}

export interface ConnectionOptions extends Omit<LineOptions, 'resume'> {
  /** The greeting after each (re)connect, given the highest message id seen. */
  greeting(after: number): ClientFrame;
  /** Highest message id seen so far (read at every reconnect). */
  lastId(): number;
  /** Messages written but not acknowledged (read at every reconnect). */
  pending(): readonly PendingMessage[];
  /** conversationId to put on message/typing frames (agents), or undefined (customers). */
  conversationId?: string;
}

/** One chat on its own socket (the customer's side). */
export class ChatConnection {
  private readonly line: ChatLine;

  constructor(private readonly opts: ConnectionOptions) {
    this.line = new ChatLine({ ...opts, resume: () => [opts.greeting(opts.lastId()), ...opts.pending().map((m) => this.messageFrame(m))] });
  }

  start(): void {
    this.line.start();
  }

  stop(): void {
    this.line.stop();
  }

  /** Sends a chat message now if the line is open; otherwise it goes out with the resend after reconnecting. */
  sendMessage(m: PendingMessage): void {
    this.line.send(this.messageFrame(m));
  }

  sendTyping(on: boolean): void {
    this.line.send({ type: 'typing', on, ...(this.opts.conversationId ? { conversationId: this.opts.conversationId } : {}) });
  }

  private messageFrame(m: PendingMessage): ClientFrame {
    return { type: 'message', clientId: m.clientId, body: m.body, ...(this.opts.conversationId ? { conversationId: this.opts.conversationId } : {}) };
  }
}

/** The customer's socket URL on this page's host. */
export function customerSocketUrl(location: Location, conversationId: string, token: string): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = new URLSearchParams({ conversation: conversationId, token });
  return `${proto}//${location.host}/api/v1/chat/ws?${q.toString()}`;
}

/** The agent console's socket URL on this page's host (the session cookie proves the agent). */
export function agentSocketUrl(location: Location): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api/v1/chat/ws`;
}
