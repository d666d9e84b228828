/** Loads one API resource for a page: data, error, and a reload. */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './client.ts';

export interface ApiData<T> {
  data: T | undefined;
  error: ApiError | null;
  reload(): void;
}

/**
 * `first`, when given, may supply the first load's answer (an answer the app started early); a
 * failed early answer falls back to the page's own request, and a reload always asks the server.
 */
export function useApiData<T>(path: string | null, first?: (path: string) => Promise<T> | null): ApiData<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setError(null);
    const early = n === 0 ? (first?.(path) ?? null) : null;
    const answer = early ? early.catch(() => api<T>('GET', path)) : api<T>('GET', path);
    answer.then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e))),
    );
    return () => {
      live = false;
    };
  // `first` is read on the first load only; a new function each render must not reload.
  }, [path, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, error, reload };
}
