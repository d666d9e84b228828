/**
 * useApiData whose first load takes the answer preloaded by the app (utils/preload.ts) when there
 * is one — falling back to its own request if that failed — and asks the server itself on reload.
 */
import { useApiData, type ApiData } from '../../../../shared/api/useApiData.ts';
import { takePreloaded } from '../utils/preload.ts';

export function usePreloadedData<T>(path: string): ApiData<T> {
  return useApiData<T>(path, takePreloaded);
}
