/**
 * The agent console's one socket for all its chats (docs/chat-protocol.md): it follows each
 * watched conversation with `watch` and the highest message id seen there, and after every
 * (re)connect says `watch` again for each and resends each one's unacknowledged messages with
 * their original clientIds. The caller keeps the chats' state and answers `lastId` / `pending`.
 */
import { ChatLine, type ConnectionStatus, type LineOptions } from './connection.ts';
import type { ClientFrame, ServerFrame } from './protocol.ts';
import type { PendingMessage } from './timeline.ts';

export interface AgentConnectionOptions extends Omit<LineOptions, 'resume'> {
  /** Highest message id seen in a conversation (0: none yet). */
  lastId(conversationId: string): number;
  /** A conversation's messages written but not acknowledged. */
  pending(conversationId: string): readonly PendingMessage[];
}

export class AgentChatConnection {
  private readonly line: ChatLine;
  /** Watched conversations, in the order they were first watched. */
  private readonly watched = new Set<string>();

  constructor(private readonly opts: AgentConnectionOptions) {
    this.line = new ChatLine({ ...opts, resume: () => this.resumeFrames() });
  }

  /** What goes out after each (re)connect: per conversation its watch, then its resends. */
  resumeFrames(): ClientFrame[] {
    const out: ClientFrame[] = [];
    for (const id of this.watched) {
      out.push({ type: 'watch', conversationId: id, after: this.opts.lastId(id) });
      for (const m of this.opts.pending(id)) out.push(messageFrame(id, m));
    }
    return out;
  }

  start(): void {
    this.line.start();
  }

  stop(): void {
    this.line.stop();
  }

  /** Follows a conversation (again: a repeat asks for what came after the last id seen). */
  watch(conversationId: string): void {
    this.watched.add(conversationId);
    this.line.send({ type: 'watch', conversationId, after: this.opts.lastId(conversationId) });
  }

  unwatch(conversationId: string): void {
    if (!this.watched.delete(conversationId)) return;
    this.line.send({ type: 'unwatch', conversationId });
  }

  isWatching(conversationId: string): boolean {
    return this.watched.has(conversationId);
  }

  /** Sends now if the line is open; otherwise it goes out with the resend after reconnecting. */
  sendMessage(conversationId: string, m: PendingMessage): void {
    this.line.send(messageFrame(conversationId, m));
  }

  sendTyping(conversationId: string, on: boolean): void {
    this.line.send({ type: 'typing', on, conversationId });
  }
}

function messageFrame(conversationId: string, m: PendingMessage): ClientFrame {
  return { type: 'message', clientId: m.clientId, body: m.body, conversationId };
}

export type { ConnectionStatus, ServerFrame };
