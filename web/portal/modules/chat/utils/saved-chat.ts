/** The visitor's chat (id + token) kept in sessionStorage: a reload resumes, a new tab starts afresh. */
const KEY = 'pd_chat';

export interface SavedChat {
  conversationId: string;
  token: string;
}

export function loadSavedChat(): SavedChat | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<SavedChat>;
    return typeof v.conversationId === 'string' && typeof v.token === 'string' ? { conversationId: v.conversationId, token: v.token } : null;
  } catch {
    return null;
  }
}

export function saveChat(chat: SavedChat | null): void {
  try {
    if (chat) window.sessionStorage.setItem(KEY, JSON.stringify(chat));
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // storage blocked (third-party iframe): the chat lives as long as the page
  }
}
