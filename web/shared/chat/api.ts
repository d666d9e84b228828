/** The customer side's HTTP calls of the chat protocol. */
import { api } from '../api/client.ts';
import type { ChatMessage, Conversation } from './protocol.ts';

export interface StartChatInput {
  name: string;
  phone?: string;
  message?: string;
  clientId: string;
  /** A team code: the chat goes to that team only (the widget's data-team). */
  team?: string;
}

export function startConversation(input: StartChatInput): Promise<{ conversation: Conversation; visitorToken: string }> {
  return api('POST', '/chat/conversations', { body: input });
}

export function getConversation(id: string, token: string): Promise<{ conversation: Conversation; messages: ChatMessage[] }> {
  return api('GET', `/chat/conversations/${encodeURIComponent(id)}`, { headers: { 'x-chat-token': token } });
}

export function endConversation(id: string, token: string): Promise<{ conversation: Conversation }> {
  return api('POST', `/chat/conversations/${encodeURIComponent(id)}/end`, { body: {}, headers: { 'x-chat-token': token } });
}
