import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, apiGet, apiSend } from './api';
import type { Me } from './types';

interface Session {
  me: Me | null;
  loading: boolean;
  signIn: (username: string, password: string) => Promise<Me>;
  signOut: () => Promise<void>;
  can: (permission: string) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    apiGet<Me>('/auth/me')
      .then(setMe)
      .catch(() => setMe(null))
      .finally(() => setLoading(false));
    const onSignedOut = () => setMe(null);
    window.addEventListener('peh:signed-out', onSignedOut);
    return () => window.removeEventListener('peh:signed-out', onSignedOut);
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    // the answer's token is for machines: the browser keeps its session in the HttpOnly cookie set by the API
    await apiSend('POST', '/auth/login', { username, password });
    const who = await apiGet<Me>('/auth/me');
    setMe(who);
    return who;
  }, []);

  const signOut = useCallback(async () => {
    await apiSend('POST', '/auth/logout').catch((e: unknown) => {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
    });
    setMe(null);
  }, []);

  const can = useCallback((permission: string) => !!me?.permissions.includes(permission), [me]);

  return <SessionContext.Provider value={{ me, loading, signIn, signOut, can }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** Where each role starts. */
export function homeOf(me: Me): string {
  switch (me.role) {
    case 'officer':
      return '/app/scorecard';
    case 'auditor':
      return '/app/findings';
    case 'appraiser':
      return '/app/scorecard';
    case 'operator':
      return '/app/connectors';
    default:
      return '/app/users';
  }
}
