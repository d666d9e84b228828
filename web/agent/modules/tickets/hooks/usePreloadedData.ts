/**
 * useApiData whose first load takes the answer preloaded by the app (utils/preload.ts) when there
 * is one — falling back to its own request if that failed — and asks the server itself on reload.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../../../shared/api/client.ts';
import type { ApiData } from '../../../../shared/api/useApiData.ts';
import { takePreloaded } from '../utils/preload.ts';

export function usePreloadedData<T>(path: string): ApiData<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    const early = n === 0 ? takePreloaded<T>(path) : null;
    const answer = early ? early.catch(() => api<T>('GET', path)) : api<T>('GET', path);
    answer.then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e))),
    );
    return () => {
      live = false;
    };
  }, [path, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, error, reload };
}
