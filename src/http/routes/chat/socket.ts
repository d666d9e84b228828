/**
 * The chat WebSocket (docs/chat-protocol.md). One socket per customer chat, or one per agent
 * console following any number of chats. Frames are handled one at a time per socket, so acks
 * come back in the order messages were sent. Live frames come from the live bus (the ticket's
 * events, the chat's state, typing, viewers), so a customer on one server process and an agent
 * on another see each other. A message is stored before it is acknowledged; a repeated clientId
 * gets the stored message's ack again; `hello`/`watch` with the last id seen replays what was
 * missed while disconnected.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Actor } from '../../../domain/policy.ts';
import {
  authorizeCustomerSide,
  chatMessages,
  conversationView,
  getConversationForStaff,
  postAgentChatMessage,
  postCustomerChatMessage,
  refreshWatches,
  toChatMessage,
  touchPresence,
  unwatchConversation,
  viewers,
  watchConversation,
  type ChatMessage,
} from '../../../services/chat/chat.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { liveBus, publishLive, type LiveEvent } from '../../../services/live/live-bus.ts';
import { AppError } from '../../errors.ts';

const clientId = z.string().trim().min(8).max(100).regex(/^[\w.:-]+$/);
const frameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), after: z.number().int().min(0).optional() }),
  z.object({ type: z.literal('watch'), conversationId: z.string().uuid(), after: z.number().int().min(0).optional() }),
  z.object({ type: z.literal('unwatch'), conversationId: z.string().uuid() }),
  z.object({ type: z.literal('message'), clientId, body: z.string().max(20_000), conversationId: z.string().uuid().optional() }),
  z.object({ type: z.literal('typing'), on: z.boolean(), conversationId: z.string().uuid().optional() }),
  z.object({ type: z.literal('ping') }),
]);
type Frame = z.infer<typeof frameSchema>;

const HEARTBEAT_MS = 25_000;

/** Display names of message authors, cached per process (they rarely change; a stale one is harmless for a while). */
const names = new Map<string, { name: string; at: number }>();
async function displayName(ctx: ServiceContext, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const hit = names.get(userId);
  if (hit && Date.now() - hit.at < 300_000) return hit.name;
  const r = await ctx.db.pool.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [userId]);
  const name = r.rows[0]?.display_name ?? '';
  if (names.size > 10_000) names.clear();
  names.set(userId, { name, at: Date.now() });
  return name;
}

/** A ticket event from the bus as a chat message, or null when it is not one (or not for this side). */
async function eventToMessage(ctx: ServiceContext, ticketId: string, e: LiveEvent): Promise<ChatMessage | null> {
  const d = e.data;
  if (d.truncated) {
    // Too large for NOTIFY: read it from the database.
    const id = Number(d.id);
    if (!Number.isFinite(id)) return null;
    return (await chatMessages(ctx.db.pool, ticketId, id - 1, 1)).find((m) => m.id === id) ?? null;
  }
  if (d.kind !== 'message' || d.visibility !== 'public') return null;
  const data = (d.data ?? {}) as Record<string, unknown>;
  return toChatMessage({
    id: Number(d.id),
    clientId: (d.clientId as string | null) ?? null,
    author: data.author,
    authorName: await displayName(ctx, (d.actorId as string | null) ?? null),
    body: (d.body as string | null) ?? '',
    createdAt: String(d.createdAt),
  });
}

interface Followed {
  conversationId: string;
  ticketId: string;
  /** Live frames wait here until the history frame is out, then those already in it are dropped. */
  buffer: (() => Promise<void>)[] | null;
  /**
   * Ids of messages this socket has already sent for the conversation. Not a high-water mark:
   * messages written on another process arrive later than local ones with higher ids.
   */
  sent: Set<number>;
  /** The last state frame sent, so an unchanged state is not sent again. */
  lastState: string;
  unsubscribe: (() => void)[];
}

class ChatSocket {
  readonly id = randomUUID();
  private queue: Promise<void> = Promise.resolve();
  private readonly followed = new Map<string, Followed>();
  private readonly unsubscribe: (() => void)[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly ws: WebSocket,
    private readonly side: { kind: 'customer'; conversationId: string; token: string | null; actor: Actor | null; name: string } | { kind: 'agent'; actor: Actor; name: string },
  ) {}

  send(frame: Record<string, unknown>): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  error(code: string, message: string, clientId?: string): void {
    this.send({ type: 'error', code, message, ...(clientId ? { clientId } : {}) });
  }

  /** Frames are handled in arrival order, one at a time. */
  enqueue(raw: string): void {
    this.queue = this.queue.then(() => this.handle(raw)).catch((err: unknown) => {
      const e = err instanceof AppError ? err : null;
      if (!e) console.error('chat socket error:', err);
      this.error(e?.code ?? 'internal', e?.message ?? 'internal error; it has been logged');
    });
  }

  async start(): Promise<void> {
    const bus = liveBus(this.ctx.db);
    if (this.side.kind === 'agent') {
      const agentId = this.side.actor.userId;
      this.unsubscribe.push(bus.subscribe(`agent:${agentId}`, (e) => this.later(async () => this.send({ type: 'offer', conversation: await conversationView(this.ctx, String(e.data.conversationId)) }))));
      await touchPresence(this.ctx, agentId);
    }
    this.heartbeat = setInterval(() => {
      this.later(async () => {
        if (this.side.kind === 'agent') {
          await touchPresence(this.ctx, this.side.actor.userId);
          if (this.followed.size) await refreshWatches(this.ctx, this.id);
        }
      });
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Work triggered by the bus goes through the same queue as frames, so its output stays ordered. */
  private later(fn: () => Promise<void>): void {
    this.queue = this.queue.then(fn).catch((err: unknown) => console.error('chat socket live error:', err));
  }

  private async handle(raw: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.error('invalid_json', 'frame is not valid JSON');
    }
    const parsed = frameSchema.safeParse(json);
    if (!parsed.success) {
      const cid = typeof (json as { clientId?: unknown })?.clientId === 'string' ? String((json as { clientId: string }).clientId).slice(0, 100) : undefined;
      return this.error('validation_failed', parsed.error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; '), cid);
    }
    await this.onFrame(parsed.data);
  }

  private async onFrame(f: Frame): Promise<void> {
    const side = this.side;
    switch (f.type) {
      case 'ping':
        return this.send({ type: 'pong' });
      case 'hello': {
        if (side.kind !== 'customer') return this.error('validation_failed', 'agents send watch, not hello');
        const c = await authorizeCustomerSide(this.ctx, { conversationId: side.conversationId, token: side.token, actor: side.actor });
        await this.follow(side.conversationId, c.ticket_id, f.after ?? 0, 'customer');
        return;
      }
      case 'watch': {
        if (side.kind !== 'agent') return this.error('forbidden', 'customers follow their own chat with hello');
        const { conversation } = await getConversationForStaff(this.ctx, side.actor, f.conversationId);
        await watchConversation(this.ctx, f.conversationId, this.id, side.actor.userId);
        await this.follow(f.conversationId, conversation.ticketId, f.after ?? 0, 'agent');
        return;
      }
      case 'unwatch': {
        if (side.kind !== 'agent') return;
        this.stopFollowing(f.conversationId);
        await unwatchConversation(this.ctx, f.conversationId, this.id);
        return;
      }
      case 'message': {
        const r =
          side.kind === 'customer'
            ? await postCustomerChatMessage(this.ctx, { conversationId: side.conversationId, token: side.token, actor: side.actor }, { clientId: f.clientId, body: f.body }).catch((err: unknown) => this.refuse(err, f.clientId))
            : f.conversationId
              ? await postAgentChatMessage(this.ctx, side.actor, f.conversationId, { clientId: f.clientId, body: f.body }).catch((err: unknown) => this.refuse(err, f.clientId))
              : this.refuse(new AppError('validation_failed', 'conversationId: agents name the conversation'), f.clientId);
        if (r) this.send({ type: 'ack', clientId: f.clientId, message: r.message });
        return;
      }
      case 'typing': {
        const conversationId = side.kind === 'customer' ? side.conversationId : f.conversationId;
        if (!conversationId || !this.followed.has(conversationId)) return this.error('validation_failed', 'follow the conversation (hello / watch) before typing in it');
        await publishLive(this.ctx.db.pool, {
          topic: `chat:${conversationId}`,
          type: 'typing',
          data: { conversationId, who: side.kind, name: side.name, on: f.on, from: this.id },
        });
        return;
      }
    }
  }

  private refuse(err: unknown, clientId: string): null {
    if (err instanceof AppError) {
      this.error(err.code, err.message, clientId);
      return null;
    }
    throw err;
  }

  private async follow(conversationId: string, ticketId: string, after: number, as: 'customer' | 'agent'): Promise<void> {
    this.stopFollowing(conversationId);
    const bus = liveBus(this.ctx.db);
    const f: Followed = { conversationId, ticketId, buffer: [], sent: new Set(), lastState: '', unsubscribe: [] };
    const sendState = async (): Promise<void> => {
      const conversation = await conversationView(this.ctx, conversationId);
      const json = JSON.stringify(conversation);
      if (json === f.lastState) return;
      f.lastState = json;
      this.send({ type: 'state', conversation });
    };
    this.followed.set(conversationId, f);
    const push = (job: () => Promise<void>): void => {
      if (f.buffer) f.buffer.push(job);
      else this.later(job);
    };
    f.unsubscribe.push(
      bus.subscribe(`ticket:${ticketId}`, (e) =>
        push(async () => {
          const m = await eventToMessage(this.ctx, ticketId, e);
          if (m && !f.sent.has(m.id)) {
            f.sent.add(m.id);
            this.send({ type: 'message', conversationId, message: m });
          }
          if (e.data.kind === 'chat_ended' || e.data.kind === 'chat_transfer') await sendState();
        }),
      ),
      bus.subscribe(`chat:${conversationId}`, (e) =>
        push(async () => {
          if (e.type === 'typing') {
            if (e.data.from === this.id || (as === 'customer' && e.data.who === 'customer')) return;
            this.send({ type: 'typing', conversationId, who: e.data.who, name: e.data.name, on: e.data.on });
          } else if (e.type === 'viewers') {
            if (as === 'agent') this.send({ type: 'viewers', conversationId, agents: e.data.agents });
          } else if (e.type === 'state') {
            await sendState();
          }
        }),
      ),
    );
    if (as === 'customer') {
      // While waiting, the customer's place in the queue changes as others are served.
      f.unsubscribe.push(
        bus.subscribe('chat-queue', () =>
          push(async () => {
            if (f.lastState === '' || JSON.parse(f.lastState).status === 'queued') await sendState();
          }),
        ),
      );
    }
    await bus.ready();
    const conversation = await conversationView(this.ctx, conversationId);
    f.lastState = JSON.stringify(conversation);
    const messages = await chatMessages(this.ctx.db.pool, ticketId, after, 1000, after > 0 ? 10 : 0);
    for (const m of messages) f.sent.add(m.id);
    this.send({ type: 'history', conversation, messages });
    if (as === 'agent') this.send({ type: 'viewers', conversationId, agents: await viewers(this.ctx, conversationId) });
    const buffered = f.buffer ?? [];
    f.buffer = null;
    for (const job of buffered) await job();
  }

  private stopFollowing(conversationId: string): void {
    const f = this.followed.get(conversationId);
    if (!f) return;
    for (const u of f.unsubscribe) u();
    this.followed.delete(conversationId);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const u of this.unsubscribe) u();
    const ids = [...this.followed.keys()];
    for (const id of ids) this.stopFollowing(id);
    if (this.side.kind === 'agent') for (const id of ids) await unwatchConversation(this.ctx, id, this.id).catch(() => undefined);
  }
}

const wsQuery = z.object({ conversation: z.string().uuid().optional(), token: z.string().max(200).optional() });

async function sideFor(ctx: ServiceContext, req: FastifyRequest): Promise<ConstructorParameters<typeof ChatSocket>[2]> {
  const q = wsQuery.safeParse(req.query);
  if (!q.success) throw new AppError('validation_failed', 'query: conversation must be a conversation id');
  const actor = req.actor;
  if (q.data.conversation) {
    const c = await authorizeCustomerSide(ctx, { conversationId: q.data.conversation, token: q.data.token ?? null, actor });
    return { kind: 'customer', conversationId: c.id, token: q.data.token ?? null, actor, name: c.visitor_name };
  }
  if (!actor) throw new AppError('unauthenticated', 'customers connect with ?conversation=<id>&token=<visitorToken>; agents log in first');
  if (actor.role === 'customer' || actor.role === 'qa_inspector' || actor.role === 'integration') throw new AppError('forbidden', 'only agents, team leads, supervisors and admins open the agent chat socket');
  return { kind: 'agent', actor, name: (await displayName(ctx, actor.userId)) ?? '' };
}

export async function chatSocketRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  app.get('/chat/ws', { websocket: true, schema: { hide: true } }, (ws, req) => {
    // Listeners are attached at once (messages may arrive while the caller is being checked).
    const early: string[] = [];
    let sock: ChatSocket | null = null;
    let gone = false;
    ws.on('message', (data, isBinary) => {
      const raw = isBinary ? '' : data.toString();
      if (sock) sock.enqueue(raw);
      else early.push(raw);
    });
    let unsubscribeAccount: (() => void) | null = null;
    ws.on('close', () => {
      gone = true;
      unsubscribeAccount?.();
      void sock?.close();
    });
    ws.on('error', () => undefined);
    sideFor(ctx, req)
      .then(async (side) => {
        if (gone) return;
        // An admin disabling a signed-in account ends its chat socket at once, as the staff live socket (setAccountDisabled publishes it).
        if (side.actor) {
          unsubscribeAccount = liveBus(ctx.db).subscribe(`user:${side.actor.userId}`, (e) => {
            if (e.type !== 'account_disabled') return;
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'error', code: 'unauthenticated', message: 'the account has been disabled' }));
            ws.close(4401, 'account_disabled');
          });
        }
        sock = new ChatSocket(ctx, ws, side);
        await sock.start();
        for (const raw of early.splice(0)) sock.enqueue(raw);
        if (gone) await sock.close();
      })
      .catch((err: unknown) => {
        const e = err instanceof AppError ? err : new AppError('internal', 'could not open the chat socket');
        if (!(err instanceof AppError)) console.error('chat socket open failed:', err);
        ws.send(JSON.stringify({ type: 'error', code: e.code, message: e.message }));
        ws.close(e.code === 'not_found' || e.code === 'unauthenticated' || e.code === 'forbidden' ? 4403 : 1011, e.code);
      });
  });
}
