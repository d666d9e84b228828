/** The live chat protocol's shapes (docs/chat-protocol.md), shared by the customer and agent sides. */

export interface ChatAgent {
  id: string;
  displayName: string;
}

export interface Conversation {
  id: string;
  ticketId: string;
  ticketNumber: string;
  status: 'queued' | 'active' | 'ended';
  /** 1 = next; null unless queued. */
  queuePosition: number | null;
  agent: ChatAgent | null;
  visitorName: string;
  /** The ticket's subject (what the customer asked about); older servers leave it out. */
  topic?: string;
  /** Staff: the customer record the chat belongs to (a guest's until linked). */
  customerId?: string;
  startedAt: string;
  assignedAt: string | null;
  firstReplyAt: string | null;
  endedAt: string | null;
}

export interface ChatMessage {
  /** The ticket event id, increasing. */
  id: number;
  clientId: string | null;
  author: 'customer' | 'agent' | 'system';
  authorName: string;
  /** Plain text: rendered as text, never as HTML. */
  body: string;
  createdAt: string;
}

export type ClientFrame =
  | { type: 'hello'; after?: number }
  | { type: 'watch'; conversationId: string; after?: number }
  | { type: 'unwatch'; conversationId: string }
  | { type: 'message'; clientId: string; body: string; conversationId?: string }
  | { type: 'typing'; on: boolean; conversationId?: string }
  | { type: 'ping' };

export type ServerFrame =
  | { type: 'history'; conversation: Conversation; messages: ChatMessage[] }
  | { type: 'ack'; clientId: string; message: ChatMessage }
  | { type: 'message'; conversationId: string; message: ChatMessage }
  | { type: 'typing'; conversationId: string; who: 'customer' | 'agent'; name: string; on: boolean }
  | { type: 'state'; conversation: Conversation }
  | { type: 'viewers'; conversationId: string; agents: ChatAgent[] }
  | { type: 'offer'; conversation: Conversation }
  | { type: 'error'; code: string; message: string; clientId?: string }
  | { type: 'pong' };

const SERVER_TYPES = new Set(['history', 'ack', 'message', 'typing', 'state', 'viewers', 'offer', 'error', 'pong']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isChatMessage(v: unknown): v is ChatMessage {
  return isObject(v) && typeof v.id === 'number' && typeof v.body === 'string' && typeof v.author === 'string' && typeof v.authorName === 'string';
}

function isConversation(v: unknown): v is Conversation {
  return isObject(v) && typeof v.id === 'string' && typeof v.status === 'string';
}

/**
 * A frame from the server, or null when it is not one we understand (a frame of a newer server,
 * or garbage): the client ignores it rather than breaking on it.
 */
export function parseServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(v) || typeof v.type !== 'string' || !SERVER_TYPES.has(v.type)) return null;
  switch (v.type) {
    case 'history':
      return isConversation(v.conversation) && Array.isArray(v.messages) && v.messages.every(isChatMessage) ? (v as unknown as ServerFrame) : null;
    case 'ack':
      return typeof v.clientId === 'string' && isChatMessage(v.message) ? (v as unknown as ServerFrame) : null;
    case 'message':
      return isChatMessage(v.message) ? (v as unknown as ServerFrame) : null;
    case 'state':
    case 'offer':
      return isConversation(v.conversation) ? (v as unknown as ServerFrame) : null;
    case 'typing':
      return typeof v.on === 'boolean' ? (v as unknown as ServerFrame) : null;
    default:
      return v as unknown as ServerFrame;
  }
}
