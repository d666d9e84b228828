/** A WebSocket chat client for tests and the benchmark: collects frames and waits for the ones asked for. */
import WebSocket from 'ws';

export type ChatFrame = { type: string; [k: string]: any };

export class ChatWs {
  readonly frames: ChatFrame[] = [];
  private waiters: { test: (f: ChatFrame) => boolean; resolve: (f: ChatFrame) => void }[] = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as ChatFrame;
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(f)) return true;
        w.resolve(f);
        return false;
      });
    });
    ws.on('close', () => {
      this.closed = true;
    });
  }

  /** Customer: `?conversation=…&token=…`; agent: a Bearer token. */
  static async open(baseUrl: string, opts: { conversationId?: string; token?: string; bearer?: string }): Promise<ChatWs> {
    const u = new URL('/api/v1/chat/ws', baseUrl.replace(/^http/, 'ws'));
    if (opts.conversationId) u.searchParams.set('conversation', opts.conversationId);
    if (opts.token) u.searchParams.set('token', opts.token);
    const ws = new WebSocket(u, opts.bearer ? { headers: { authorization: `Bearer ${opts.bearer}` } } : {});
    const c = new ChatWs(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return c;
  }

  send(frame: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame (already received or still to come) matching `test`. */
  next(test: (f: ChatFrame) => boolean, ms = 5_000, from = 0): Promise<ChatFrame> {
    const seen = this.frames.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame in ${ms} ms; got ${JSON.stringify(this.frames.slice(-5))}`)), ms);
      this.waiters.push({ test, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  }

  /** Frames of `type` received so far. */
  all(type: string): ChatFrame[] {
    return this.frames.filter((f) => f.type === type);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
