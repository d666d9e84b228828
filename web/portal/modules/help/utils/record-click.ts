/**
 * A help-centre visitor opened a search hit: POST /kb/public/{id}/usage as a search_click with the
 * search's id, the hit's 1-based rank and a new eventId. The body is built once, so a retry after
 * a lost answer sends the same eventId and the server keeps the click once; another click (even
 * on the same hit) is a new event.
 */
import { api } from '../../../../shared/api/client.ts';
import { newClientId } from '../../../../shared/chat/client-id.ts';
import { helpClientId } from './help-client-id.ts';
import { withRetry } from '../../../../shared/kb/retry.ts';

export interface SearchClick {
  articleId: string;
  /** What was searched for: sent when the search was not logged (no searchId). */
  query: string;
  searchId: number | null;
  /** 1 = first hit. */
  rank: number;
}

export async function recordSearchClick(click: SearchClick): Promise<void> {
  const body = {
    kind: 'search_click' as const,
    rank: click.rank,
    ...(click.searchId !== null ? { searchId: click.searchId } : { query: click.query }),
    clientId: helpClientId(),
    eventId: newClientId(),
  };
  await withRetry(() => api('POST', `/kb/public/${encodeURIComponent(click.articleId)}/usage`, { body }));
}
