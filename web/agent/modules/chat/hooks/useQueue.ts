/**
 * The waiting queue, oldest (and most urgent) first as the server orders it. Polled every few
 * seconds while the page is visible, and at once when the console asks (an accept, an offer, a
 * chat changing state): the agent socket carries no queue frames, and a modest poll keeps one
 * GET per agent per interval however busy the queue is.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../../../../shared/api/client.ts';
import type { Conversation } from '../utils/types.ts';

export const QUEUE_POLL_MS = 5000;

export interface Queue {
  items: Conversation[] | null;
  error: string | null;
  refresh(): void;
}

export function useQueue(pollMs = QUEUE_POLL_MS): Queue {
  const [items, setItems] = useState<Conversation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const again = useRef(false);
  const live = useRef(true);

  const refresh = useCallback(() => {
    // One request at a time; a refresh asked for meanwhile runs once after it.
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    api<{ items: Conversation[] }>('GET', '/chat/queue').then(
      (r) => {
        if (!live.current) return;
        setItems(r.items);
        setError(null);
      },
      (e: unknown) => live.current && setError(e instanceof ApiError ? e.message : String(e)),
    ).finally(() => {
      inFlight.current = false;
      if (again.current && live.current) {
        again.current = false;
        refresh();
      }
    });
  }, []);

  useEffect(() => {
    live.current = true;
    refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, pollMs);
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live.current = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [pollMs, refresh]);

  return { items, error, refresh };
}
