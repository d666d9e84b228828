/**
 * The console's live side: one agent socket for every open chat, the tabs' state (console-state.ts),
 * the chats already active on load (GET /chat/mine), and the actions — accept, send, typing, end,
 * transfer, close. Chats routed to the agent arrive as `offer` frames and open as tabs by themselves.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { AgentChatConnection } from '../../../../shared/chat/agent-connection.ts';
import { newClientId } from '../../../../shared/chat/client-id.ts';
import { agentSocketUrl, type ConnectionStatus } from '../../../../shared/chat/connection.ts';
import { lastMessageId, TYPING_FADE_MS } from '../../../../shared/chat/timeline.ts';
import { consoleReducer, EMPTY_CONSOLE, type ConsoleState } from '../utils/console-state.ts';
import type { Conversation, TransferInput } from '../utils/types.ts';

export interface ChatConsole {
  state: ConsoleState;
  status: ConnectionStatus;
  /** Takes a waiting chat and brings its tab to the front. */
  accept(id: string): Promise<void>;
  select(id: string): void;
  setDraft(id: string, text: string): void;
  send(id: string, body: string): void;
  typing(id: string, on: boolean): void;
  end(id: string): Promise<void>;
  transfer(id: string, input: TransferInput): Promise<void>;
  close(id: string): void;
}

export function useChatConsole(onChange: () => void): ChatConsole {
  const [state, dispatch] = useReducer(consoleReducer, EMPTY_CONSOLE);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const stateRef = useRef(state);
  stateRef.current = state;
  const conn = useRef<AgentChatConnection | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  const follow = useCallback((c: Conversation, focus: boolean) => {
    dispatch({ type: 'open', conversation: c, focus });
    if (conn.current && !conn.current.isWatching(c.id)) conn.current.watch(c.id);
  }, []);

  useEffect(() => {
    let live = true;
    const c = new AgentChatConnection({
      url: agentSocketUrl(window.location),
      lastId: (id) => lastMessageId(stateRef.current.tabs[id]?.chat.messages ?? []),
      pending: (id) => stateRef.current.tabs[id]?.chat.pending ?? [],
      onFrame: (frame) => {
        if (!live) return;
        if (frame.type === 'offer') {
          follow(frame.conversation, false);
          changed.current();
          return;
        }
        dispatch({ type: 'frame', frame });
        if (frame.type === 'state') changed.current();
      },
      onStatus: (s) => live && setStatus(s),
    });
    conn.current = c;
    c.start();
    api<{ items: Conversation[] }>('GET', '/chat/mine').then(
      (r) => {
        if (live) for (const conv of r.items) follow(conv, false);
      },
      (e: unknown) => console.warn('chat: could not load my chats', e),
    );
    return () => {
      live = false;
      c.stop();
      conn.current = null;
    };
  }, [follow]);

  // A customer whose page closed mid-word never sends typing off: each tab's indicator fades.
  const fades = useRef(new Map<string, { seq: number; timer: ReturnType<typeof setTimeout> }>());
  useEffect(() => {
    const timers = fades.current;
    for (const id of state.order) {
      const { typing, typingSeq } = state.tabs[id]!.chat;
      const had = timers.get(id);
      if (typing === null) {
        if (had) clearTimeout(had.timer);
        timers.delete(id);
      } else if (!had || had.seq !== typingSeq) {
        if (had) clearTimeout(had.timer);
        timers.set(id, { seq: typingSeq, timer: setTimeout(() => dispatch({ type: 'typingFaded', id, seq: typingSeq }), TYPING_FADE_MS) });
      }
    }
    for (const [id, t] of timers) {
      if (!state.tabs[id]) {
        clearTimeout(t.timer);
        timers.delete(id);
      }
    }
  }, [state]);
  useEffect(() => () => fades.current.forEach((t) => clearTimeout(t.timer)), []);

  const accept = useCallback(async (id: string) => {
    try {
      const r = await api<{ conversation: Conversation }>('POST', `/chat/conversations/${encodeURIComponent(id)}/accept`, { body: {} });
      follow(r.conversation, true);
    } finally {
      changed.current();
    }
  }, [follow]);

  const select = useCallback((id: string) => dispatch({ type: 'select', id }), []);
  const setDraft = useCallback((id: string, text: string) => dispatch({ type: 'draft', id, text }), []);
  const send = useCallback((id: string, body: string) => {
    const message = { clientId: newClientId(), body, createdAt: new Date().toISOString() };
    dispatch({ type: 'send', id, message });
    conn.current?.sendMessage(id, message);
  }, []);
  const typing = useCallback((id: string, on: boolean) => conn.current?.sendTyping(id, on), []);
  const end = useCallback(async (id: string) => {
    const r = await api<{ conversation: Conversation }>('POST', `/chat/conversations/${encodeURIComponent(id)}/end`, { body: {} });
    dispatch({ type: 'conversation', conversation: r.conversation });
  }, []);
  const transfer = useCallback(async (id: string, input: TransferInput) => {
    const r = await api<{ conversation: Conversation }>('POST', `/chat/conversations/${encodeURIComponent(id)}/transfer`, { body: input });
    dispatch({ type: 'conversation', conversation: r.conversation });
    changed.current();
  }, []);
  const close = useCallback((id: string) => {
    conn.current?.unwatch(id);
    dispatch({ type: 'close', id });
  }, []);

  return { state, status, accept, select, setDraft, send, typing, end, transfer, close };
}
