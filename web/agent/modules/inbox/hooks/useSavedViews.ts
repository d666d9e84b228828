/** The agent's own saved views (GET/POST /me/views, PUT and DELETE /me/views/{id}, PUT /me/views/order). */
import { useCallback } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { moveInOrder, type InboxFilters, type StoredFilters } from '../utils/views.ts';

export interface SavedView {
  id: string;
  name: string;
  /** As stored: read through `fromStored` (views saved before several categories could be chosen). */
  filters: StoredFilters;
}

export function useSavedViews() {
  const views = useApiData<{ items: SavedView[] }>('/me/views');
  const { reload } = views;
  const save = useCallback(async (name: string, filters: InboxFilters) => {
    const v = await api<SavedView>('POST', '/me/views', { body: { name, filters } });
    reload();
    return v;
  }, [reload]);
  /** A new name; the filters are sent back as they were stored. */
  const rename = useCallback(async (view: SavedView, name: string) => {
    const v = await api<SavedView>('PUT', `/me/views/${encodeURIComponent(view.id)}`, { body: { name, filters: view.filters } });
    reload();
    return v;
  }, [reload]);
  const items = views.data?.items;
  /** One place up or down; false when it is already at that end. */
  const move = useCallback(async (id: string, by: -1 | 1) => {
    const order = moveInOrder((items ?? []).map((v) => v.id), id, by);
    if (!order) return false;
    await api('PUT', '/me/views/order', { body: { ids: order } });
    reload();
    return true;
  }, [items, reload]);
  const remove = useCallback(async (id: string) => {
    await api<void>('DELETE', `/me/views/${encodeURIComponent(id)}`);
    reload();
  }, [reload]);
  return { items: items ?? [], error: views.error, save, rename, move, remove };
}
