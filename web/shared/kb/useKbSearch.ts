/**
 * A knowledge-base search as someone types (the help centre's, the agent's scripts panel): the
 * search ~300 ms after the last keystroke; only the answer to the latest query counts, so a slow
 * answer to an older text never replaces a newer one. An empty box searches nothing. `path`
 * builds the request for a query (GET /kb/public/search or /kb/search with its filters).
 */
import { useEffect, useRef, useState } from 'react';
import { api, type KbSearchHit, type KbSearchResult } from '../api/client.ts';
import { createDebouncer, LatestOnly, type Debouncer } from '../latest.ts';

export const SEARCH_DEBOUNCE_MS = 300;
/** The search endpoint's limit on q; the box allows no more. */
export const MAX_QUERY = 200;
export const SEARCH_LIMIT = 10;

export interface SearchAnswer {
  query: string;
  hits: KbSearchHit[];
  searchId: number | null;
}

export interface KbSearch {
  /** The box holds a query (after trimming): results show (in the help centre, instead of the category lists). */
  active: boolean;
  /** A search is waiting for its debounce or its answer. */
  searching: boolean;
  /** The latest answer (kept on screen while the next search runs). */
  answer: SearchAnswer | null;
  error: Error | null;
}

export function useKbSearch(text: string, path: (query: string) => string): KbSearch {
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const latest = useRef(new LatestOnly());
  const debouncer = useRef<Debouncer | null>(null);
  debouncer.current ??= createDebouncer(SEARCH_DEBOUNCE_MS);
  /** The query the latest search asked (in flight or answered), so a trailing space does not search (and log) it again. */
  const asked = useRef<string | null>(null);
  /** The query of the answer on screen. */
  const answered = useRef<string | null>(null);
  const query = text.trim().slice(0, MAX_QUERY);
  // The latest path builder, read when the search runs: a new function each render does not search again.
  const pathOf = useRef(path);
  pathOf.current = path;

  useEffect(() => {
    const d = debouncer.current!;
    if (query === '') {
      d.cancel();
      latest.current.invalidate();
      asked.current = null;
      answered.current = null;
      setAnswer(null);
      setSearching(false);
      setError(null);
      return;
    }
    if (query === asked.current) {
      // Typed back to what was last asked: drop the newer pending search; its answer is here or on its way.
      d.cancel();
      setSearching(answered.current !== query);
      return;
    }
    setSearching(true);
    d.schedule(() => {
      asked.current = query;
      const ticket = latest.current.begin();
      api<KbSearchResult>('GET', pathOf.current(query)).then(
        (r) => {
          if (!latest.current.isLatest(ticket)) return;
          answered.current = query;
          setAnswer({ query, hits: r.hits, searchId: r.searchId });
          setError(null);
          setSearching(false);
        },
        (e: unknown) => {
          if (!latest.current.isLatest(ticket)) return;
          asked.current = null;
          setError(e instanceof Error ? e : new Error(String(e)));
          setSearching(false);
        },
      );
    });
  }, [query]);

  useEffect(() => () => debouncer.current?.cancel(), []);
  return { active: query !== '', searching, answer, error };
}
