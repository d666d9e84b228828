/**
 * Inserting a script into a reply: POST /kb/articles/{id}/render fills it in for the ticket and
 * records the insert for the usage report. The request is built once with a new eventId, so a
 * retry after a lost answer sends the same id and the server records the insert once; another
 * click (even on the same script) is a new insert. A search hit inserted is also a search click
 * (POST /kb/articles/{id}/usage), with its search's id and rank, retried the same way.
 */
import { api } from '../../../../shared/api/client.ts';
import { newClientId } from '../../../../shared/chat/client-id.ts';
import { withRetry } from '../../../../shared/kb/retry.ts';
import type { ScriptVariable } from './scripts.ts';

export interface Rendered {
  articleId: string;
  version: number;
  text: string;
  missing: ScriptVariable[];
  recorded?: boolean;
}

type Send = <T>(method: string, path: string, opts: { body: unknown }) => Promise<T>;
type Retry = <T>(send: () => Promise<T>) => Promise<T>;

export interface Io {
  send: Send;
  retry: Retry;
  newId: () => string;
}

const realIo: Io = { send: (method, path, opts) => api(method, path, opts), retry: (send) => withRetry(send), newId: newClientId };

export async function renderForReply(articleId: string, ticketId: string, io: Io = realIo): Promise<Rendered> {
  const body = { ticketId, eventId: io.newId() };
  return io.retry(() => io.send<Rendered>('POST', `/kb/articles/${encodeURIComponent(articleId)}/render`, { body }));
}

export interface ScriptClick {
  articleId: string;
  ticketId: string;
  query: string;
  searchId: number | null;
  /** 1 = first hit. */
  rank: number;
}

export async function recordScriptClick(click: ScriptClick, io: Io = realIo): Promise<void> {
  const body = {
    kind: 'search_click' as const,
    rank: click.rank,
    ...(click.searchId !== null ? { searchId: click.searchId } : { query: click.query }),
    ticketId: click.ticketId,
    eventId: io.newId(),
  };
  await io.retry(() => io.send('POST', `/kb/articles/${encodeURIComponent(click.articleId)}/usage`, { body }));
}
