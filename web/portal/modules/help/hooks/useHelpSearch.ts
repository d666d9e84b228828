/**
 * The help centre's search as the visitor types: GET /kb/public/search, debounced, latest answer
 * only (the shared `useKbSearch`). An empty box searches nothing (the category lists show instead).
 */
import { SEARCH_LIMIT, useKbSearch, type KbSearch } from '../../../../shared/kb/useKbSearch.ts';

export { MAX_QUERY, SEARCH_DEBOUNCE_MS, SEARCH_LIMIT, type SearchAnswer } from '../../../../shared/kb/useKbSearch.ts';
export type HelpSearch = KbSearch;

const publicSearch = (q: string): string => `/kb/public/search?q=${encodeURIComponent(q)}&limit=${SEARCH_LIMIT}`;

export function useHelpSearch(text: string): HelpSearch {
  return useKbSearch(text, publicSearch);
}
