/**
 * One chat's state as a pure reducer over server frames and local actions: history and live
 * frames merge without duplicates (by message id), sent messages wait in `pending` until
 * acknowledged (or seen in a replayed history with their clientId), and what to resend after a
 * reconnect is every pending message, in the order it was written, with its original clientId.
 * The same rules serve both sides; `self` says whose console it is (whose typing to ignore, whose
 * message ends the other side's typing): `chatReducer` is the customer's, `agentChatReducer` one
 * chat of the agent console.
 */
import type { ChatMessage, Conversation, ServerFrame } from './protocol.ts';

export interface PendingMessage {
  clientId: string;
  body: string;
  /** When the customer wrote it (ISO). */
  createdAt: string;
}

export interface ChatState {
  conversation: Conversation | null;
  /** Stored messages, ascending by id, each id once. */
  messages: ChatMessage[];
  /** Written here, not yet acknowledged: shown greyed, resent after a reconnect. */
  pending: PendingMessage[];
  /** Who is typing on the other side (null: nobody). */
  typing: string | null;
  /** Counts typing-on frames, so the view can let an indicator nobody renews fade (see TYPING_FADE_MS). */
  typingSeq: number;
  /** The last refusal of a frame, shown to the customer. */
  refused: string | null;
}

export const EMPTY_CHAT: ChatState = { conversation: null, messages: [], pending: [], typing: null, typingSeq: 0, refused: null };

/**
 * An agent whose console closed mid-word never sends typing off: the indicator fades this long
 * after the last typing-on frame.
 */
export const TYPING_FADE_MS = 8000;

export type ChatAction =
  | { type: 'frame'; frame: ServerFrame }
  | { type: 'send'; message: PendingMessage }
  | { type: 'conversation'; conversation: Conversation }
  /** The typing indicator numbered `seq` faded without being renewed. */
  | { type: 'typingFaded'; seq: number };

/** Adds `incoming` to `existing` (both any order), each id once, ascending by id; the newer copy of an id wins. */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return existing as ChatMessage[];
  const byId = new Map<number, ChatMessage>();
  for (const m of existing) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The highest message id seen: what `hello {after}` asks the server to replay after. */
export function lastMessageId(messages: readonly ChatMessage[]): number {
  let max = 0;
  for (const m of messages) if (m.id > max) max = m.id;
  return max;
}

/** Pending messages whose clientId is not among the stored ones. */
export function unacknowledged(pending: readonly PendingMessage[], stored: readonly ChatMessage[]): PendingMessage[] {
  if (pending.length === 0) return pending as PendingMessage[];
  const seen = new Set(stored.map((m) => m.clientId).filter((c): c is string => c !== null));
  const left = pending.filter((p) => !seen.has(p.clientId));
  return left.length === pending.length ? (pending as PendingMessage[]) : left;
}

export type ChatSide = 'customer' | 'agent';

export function makeChatReducer(self: ChatSide): (state: ChatState, action: ChatAction) => ChatState {
  return (state, action) => reduceChat(self, state, action);
}

export const chatReducer = makeChatReducer('customer');
export const agentChatReducer = makeChatReducer('agent');

function reduceChat(self: ChatSide, state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'send':
      if (state.pending.some((p) => p.clientId === action.message.clientId)) return state;
      return { ...state, pending: [...state.pending, action.message], refused: null };
    case 'conversation':
      return { ...state, conversation: action.conversation, typing: action.conversation.status === 'ended' ? null : state.typing };
    case 'typingFaded':
      return action.seq === state.typingSeq && state.typing !== null ? { ...state, typing: null } : state;
    case 'frame':
      return applyFrame(self, state, action.frame);
  }
}

function applyFrame(self: ChatSide, state: ChatState, f: ServerFrame): ChatState {
  switch (f.type) {
    case 'history': {
      const messages = mergeMessages(state.messages, f.messages);
      return { ...state, conversation: f.conversation, messages, pending: unacknowledged(state.pending, messages) };
    }
    case 'ack': {
      const messages = mergeMessages(state.messages, [f.message]);
      return { ...state, messages, pending: state.pending.filter((p) => p.clientId !== f.clientId && p.clientId !== f.message.clientId) };
    }
    case 'message': {
      const messages = mergeMessages(state.messages, [f.message]);
      // A reply ends the other side's typing; our own message echoed back also settles its pending copy.
      const typing = f.message.author !== self && f.message.author !== 'system' ? null : state.typing;
      return { ...state, messages, typing, pending: unacknowledged(state.pending, [f.message]) };
    }
    case 'typing':
      if (f.who === self) return state;
      return f.on ? { ...state, typing: f.name, typingSeq: state.typingSeq + 1 } : { ...state, typing: null };
    case 'state':
      return { ...state, conversation: f.conversation, typing: f.conversation.status === 'ended' ? null : state.typing };
    case 'error':
      return {
        ...state,
        refused: f.message,
        // A refused message is dropped, not retried forever (the server said no to it, e.g. empty or too long).
        pending: f.clientId ? state.pending.filter((p) => p.clientId !== f.clientId) : state.pending,
      };
    default:
      return state;
  }
}
