/**
 * The chat console's state as a pure reducer: one tab per chat the agent has open (accepted,
 * offered by routing, or already active on load), each with its own timeline (the shared chat
 * reducer on the agent's side), draft, unread count and viewers. Server frames from the one agent
 * socket are routed to their tab by conversation id — an ack or a refusal by the clientId it
 * answers. Unread counts customer messages that arrive while their tab is not the one shown.
 */
import type { ChatAgent, Conversation, ServerFrame } from '../../../../shared/chat/protocol.ts';
import { agentChatReducer, EMPTY_CHAT, type ChatAction, type ChatState, type PendingMessage } from '../../../../shared/chat/timeline.ts';

export interface ChatTab {
  id: string;
  conversation: Conversation;
  chat: ChatState;
  /** Customer messages that arrived while another tab was shown. */
  unread: number;
  /** The composer's text, kept while the agent looks at other chats. */
  draft: string;
  /** Agents following this chat now (the agent themself included). */
  viewers: ChatAgent[];
  /** Whether the agent has had this tab in front of them (a chat routed in the background has not). */
  seen: boolean;
}

export interface ConsoleState {
  /** Tab ids in the order they opened. */
  order: string[];
  tabs: Record<string, ChatTab>;
  active: string | null;
  /** The last refusal of a frame that named no chat (e.g. a watch refused). */
  notice: string | null;
}

export const EMPTY_CONSOLE: ConsoleState = { order: [], tabs: {}, active: null, notice: null };

export type ConsoleAction =
  /** A chat to show: accepted, routed to the agent (offer), active on load. `focus` brings it to the front. */
  | { type: 'open'; conversation: Conversation; focus?: boolean }
  | { type: 'frame'; frame: ServerFrame }
  | { type: 'select'; id: string }
  | { type: 'draft'; id: string; text: string }
  | { type: 'send'; id: string; message: PendingMessage }
  /** An HTTP answer (end, transfer) with the chat's new state. */
  | { type: 'conversation'; conversation: Conversation }
  | { type: 'typingFaded'; id: string; seq: number }
  | { type: 'close'; id: string };

function newTab(conversation: Conversation): ChatTab {
  return { id: conversation.id, conversation, chat: { ...EMPTY_CHAT, conversation }, unread: 0, draft: '', viewers: [], seen: false };
}

function withTab(state: ConsoleState, id: string, change: (tab: ChatTab) => ChatTab): ConsoleState {
  const tab = state.tabs[id];
  if (!tab) return state;
  const next = change(tab);
  return next === tab ? state : { ...state, tabs: { ...state.tabs, [id]: next } };
}

/** The tab's timeline moved by one action of the shared reducer; the conversation follows the timeline's. */
function chatStep(tab: ChatTab, action: ChatAction): ChatTab {
  const chat = agentChatReducer(tab.chat, action);
  if (chat === tab.chat) return tab;
  return { ...tab, chat, conversation: chat.conversation ?? tab.conversation };
}

/**
 * Customer messages since an agent last wrote: what a chat routed in the background waits on. The
 * system's busy notice is no answer, so it neither counts nor ends the count.
 */
export function waitingOnAgent(chat: ChatState): number {
  let n = 0;
  for (let i = chat.messages.length - 1; i >= 0; i--) {
    const author = chat.messages[i]!.author;
    if (author === 'agent') break;
    if (author === 'customer') n += 1;
  }
  return n;
}

function tabOfClientId(state: ConsoleState, clientId: string): string | null {
  for (const id of state.order) if (state.tabs[id]!.chat.pending.some((p) => p.clientId === clientId)) return id;
  return null;
}

function open(state: ConsoleState, conversation: Conversation, focus: boolean): ConsoleState {
  const existing = state.tabs[conversation.id];
  const active = focus || state.active === null ? conversation.id : state.active;
  if (existing) {
    const tab = chatStep(existing, { type: 'conversation', conversation });
    const shown = active === conversation.id ? { ...tab, unread: 0, seen: true } : tab;
    return { ...state, active, tabs: { ...state.tabs, [conversation.id]: shown } };
  }
  const tab = newTab(conversation);
  return { ...state, active, order: [...state.order, conversation.id], tabs: { ...state.tabs, [conversation.id]: active === conversation.id ? { ...tab, seen: true } : tab } };
}

function applyFrame(state: ConsoleState, f: ServerFrame): ConsoleState {
  switch (f.type) {
    case 'offer':
      return open(state, f.conversation, false);
    case 'history':
      return withTab(state, f.conversation.id, (tab) => {
        const next = chatStep(tab, { type: 'frame', frame: f });
        // A chat routed here in the background: what the customer already wrote is unread.
        return !next.seen && state.active !== tab.id ? { ...next, unread: waitingOnAgent(next.chat) } : next;
      });
    case 'state':
      return withTab(state, f.conversation.id, (tab) => chatStep(tab, { type: 'frame', frame: f }));
    case 'message':
      return withTab(state, f.conversationId, (tab) => {
        const isNew = !tab.chat.messages.some((m) => m.id === f.message.id);
        const next = chatStep(tab, { type: 'frame', frame: f });
        return isNew && f.message.author === 'customer' && state.active !== tab.id ? { ...next, unread: next.unread + 1 } : next;
      });
    case 'typing':
      return withTab(state, f.conversationId, (tab) => chatStep(tab, { type: 'frame', frame: f }));
    case 'viewers':
      return withTab(state, f.conversationId, (tab) => ({ ...tab, viewers: f.agents }));
    case 'ack': {
      const id = tabOfClientId(state, f.clientId) ?? (f.message.clientId ? tabOfClientId(state, f.message.clientId) : null);
      return id ? withTab(state, id, (tab) => chatStep(tab, { type: 'frame', frame: f })) : state;
    }
    case 'error': {
      const id = f.clientId ? tabOfClientId(state, f.clientId) : null;
      if (!id) return { ...state, notice: f.message };
      return withTab(state, id, (tab) => {
        const refused = tab.chat.pending.find((p) => p.clientId === f.clientId);
        const next = chatStep(tab, { type: 'frame', frame: f });
        // The refused text comes back into an empty composer, so the agent can edit and resend it.
        return refused && next.draft.trim() === '' ? { ...next, draft: refused.body } : next;
      });
    }
    default:
      return state;
  }
}

export function consoleReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'open':
      return open(state, action.conversation, action.focus ?? false);
    case 'frame':
      return applyFrame(state, action.frame);
    case 'select':
      if (!state.tabs[action.id]) return state;
      return withTab({ ...state, active: action.id }, action.id, (tab) => (tab.unread === 0 && tab.seen ? tab : { ...tab, unread: 0, seen: true }));
    case 'draft':
      return withTab(state, action.id, (tab) => (tab.draft === action.text ? tab : { ...tab, draft: action.text }));
    case 'send':
      return withTab(state, action.id, (tab) => ({ ...chatStep(tab, { type: 'send', message: action.message }), draft: '' }));
    case 'conversation':
      return withTab(state, action.conversation.id, (tab) => chatStep(tab, { type: 'conversation', conversation: action.conversation }));
    case 'typingFaded':
      return withTab(state, action.id, (tab) => chatStep(tab, { type: 'typingFaded', seq: action.seq }));
    case 'close': {
      const i = state.order.indexOf(action.id);
      if (i < 0) return state;
      const order = state.order.filter((id) => id !== action.id);
      const tabs = { ...state.tabs };
      delete tabs[action.id];
      // The neighbour takes the front: the one after it, else the one before.
      const active = state.active === action.id ? (order[i] ?? order[i - 1] ?? null) : state.active;
      const next = { ...state, order, tabs, active };
      return active && active !== state.active ? consoleReducer(next, { type: 'select', id: active }) : next;
    }
  }
}

/** Unread messages over all tabs (the page title's count). */
export const totalUnread = (state: ConsoleState): number => state.order.reduce((n, id) => n + state.tabs[id]!.unread, 0);

/** Whether the chat is still this agent's to write in: active and theirs (not ended, not transferred away). */
export function isMine(conversation: Conversation, meId: string): boolean {
  return conversation.status === 'active' && conversation.agent?.id === meId;
}
