import { newClientId } from '../../../../shared/chat/client-id.ts';

const CLIENT_KEY = 'pd.help.clientId';

/**
 * One id per browser, kept in localStorage: a "was this helpful" vote is counted once per article
 * however often it is sent, and a search click is kept once per (this id, the click's eventId).
 */
export function helpClientId(): string {
  try {
    const saved = window.localStorage.getItem(CLIENT_KEY);
    if (saved) return saved;
    const id = newClientId();
    window.localStorage.setItem(CLIENT_KEY, id);
    return id;
  } catch {
    return newClientId();
  }
}
