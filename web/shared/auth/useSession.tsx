/** Who is signed in (the pd_session cookie, read through GET /me): undefined while loading, null when nobody. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, type Me } from '../api/client.ts';

interface Session {
  me: Me | null | undefined;
  signIn(username: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    api<Me>('GET', '/me').then(
      (m) => live && setMe(m),
      (e: unknown) => {
        if (!live) return;
        setMe(null);
        if (!(e instanceof ApiError && e.status === 401)) console.warn('session check failed', e);
      },
    );
    return () => {
      live = false;
    };
  }, []);
  const signIn = useCallback(async (username: string, password: string) => {
    const res = await api<{ user: Me }>('POST', '/auth/login', { body: { username, password } });
    setMe(res.user);
    return res.user;
  }, []);
  const signOut = useCallback(async () => {
    await api<void>('POST', '/auth/logout', { body: {} });
    setMe(null);
  }, []);
  const value = useMemo(() => ({ me, signIn, signOut }), [me, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
