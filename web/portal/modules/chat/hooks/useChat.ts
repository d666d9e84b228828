/** The live chat of one conversation: state from the reducer, the connection, send / typing / end. */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { endConversation, getConversation } from '../../../../shared/chat/api.ts';
import { newClientId } from '../../../../shared/chat/client-id.ts';
import { ChatConnection, customerSocketUrl, type ConnectionStatus } from '../../../../shared/chat/connection.ts';
import { chatReducer, EMPTY_CHAT, lastMessageId, TYPING_FADE_MS, type ChatState } from '../../../../shared/chat/timeline.ts';
import type { SavedChat } from '../utils/saved-chat.ts';

export interface LiveChat {
  state: ChatState;
  status: ConnectionStatus;
  send(body: string): void;
  typing(on: boolean): void;
  end(): Promise<void>;
}

export function useChat(chat: SavedChat): LiveChat {
  const [state, dispatch] = useReducer(chatReducer, EMPTY_CHAT);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const stateRef = useRef(state);
  stateRef.current = state;
  const conn = useRef<ChatConnection | null>(null);

  useEffect(() => {
    let live = true;
    // The HTTP read shows the conversation at once; the socket's history then fills any gap.
    getConversation(chat.conversationId, chat.token).then(
      (r) => live && dispatch({ type: 'frame', frame: { type: 'history', conversation: r.conversation, messages: r.messages } }),
      (e: unknown) => console.warn('chat read failed', e),
    );
    const c = new ChatConnection({
      url: customerSocketUrl(window.location, chat.conversationId, chat.token),
      greeting: (after) => ({ type: 'hello', after }),
      lastId: () => lastMessageId(stateRef.current.messages),
      pending: () => stateRef.current.pending,
      onFrame: (frame) => dispatch({ type: 'frame', frame }),
      onStatus: (s) => live && setStatus(s),
    });
    conn.current = c;
    c.start();
    return () => {
      live = false;
      c.stop();
      conn.current = null;
    };
  }, [chat.conversationId, chat.token]);

  useEffect(() => {
    if (state.typing === null) return;
    const seq = state.typingSeq;
    const timer = setTimeout(() => dispatch({ type: 'typingFaded', seq }), TYPING_FADE_MS);
    return () => clearTimeout(timer);
  }, [state.typing, state.typingSeq]);

  const send = useCallback((body: string) => {
    const message = { clientId: newClientId(), body, createdAt: new Date().toISOString() };
    dispatch({ type: 'send', message });
    conn.current?.sendMessage(message);
  }, []);
  const typing = useCallback((on: boolean) => conn.current?.sendTyping(on), []);
  const end = useCallback(async () => {
    const r = await endConversation(chat.conversationId, chat.token);
    dispatch({ type: 'conversation', conversation: r.conversation });
  }, [chat.conversationId, chat.token]);

  return { state, status, send, typing, end };
}
