/** The agent's script search: GET /kb/search for published scripts, debounced, latest answer only (shared `useKbSearch`). */
import { useKbSearch, type KbSearch } from '../../../../shared/kb/useKbSearch.ts';

export const SCRIPT_SEARCH_LIMIT = 8;
const scriptSearch = (q: string): string => `/kb/search?q=${encodeURIComponent(q)}&kind=script&limit=${SCRIPT_SEARCH_LIMIT}`;

export function useScriptSearch(text: string): KbSearch {
  return useKbSearch(text, scriptSearch);
}
