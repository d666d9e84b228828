/** Loads one API resource for a page: data, error, and a reload. */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './client.ts';

export interface ApiData<T> {
  data: T | undefined;
  error: ApiError | null;
  reload(): void;
}

export function useApiData<T>(path: string | null): ApiData<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setError(null);
    api<T>('GET', path).then(
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
