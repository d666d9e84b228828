/** The agent's own chat presence and capacity: read from the server on load, changed with PUT /chat/presence. */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../../../shared/api/client.ts';
import type { PresenceStatus, PresenceView } from '../utils/types.ts';

export interface Presence {
  presence: PresenceView | null;
  saving: boolean;
  error: string | null;
  set(change: { status: PresenceStatus; capacity?: number }): Promise<void>;
}

export function usePresence(): Presence {
  const [presence, setPresence] = useState<PresenceView | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api<PresenceView>('GET', '/chat/presence/me').then(
      (p) => live && setPresence(p),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  const set = useCallback(async (change: { status: PresenceStatus; capacity?: number }) => {
    setSaving(true);
    setError(null);
    // The switch shows the choice at once; the server's answer replaces it, a refusal puts it back.
    let before: PresenceView | null = null;
    setPresence((p) => {
      before = p;
      return p ? { ...p, ...change } : p;
    });
    try {
      setPresence(await api<PresenceView>('PUT', '/chat/presence', { body: change }));
    } catch (e) {
      setPresence(before);
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  }, []);

  return { presence, saving, error, set };
}
