// Who is logged in. The session itself is the server's HttpOnly cookie; the
// page knows only what GET /me says (user, scope, anti-forgery token). When
// any answer says the session has ended, the user goes to the login page and
// comes back to the page they were on.
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from './api/client';
import type { LoginAnswer, Me } from './api/types';
import { loginUrl } from './lib/next_url';

export type SessionState = { status: 'loading' } | { status: 'anonymous' } | { status: 'in'; me: Me };

interface SessionApi {
  state: SessionState;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const location = useLocation();

  const loadMe = useCallback(async () => {
    try {
      const me = await api.get<Me>('/me');
      setCsrfToken(me.csrf_token);
      setState({ status: 'in', me });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setState({ status: 'anonymous' });
      } else {
        throw error;
      }
    }
  }, []);

  useEffect(() => {
    void loadMe().catch(() => setState({ status: 'anonymous' }));
  }, [loadMe]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken('');
      setState({ status: 'anonymous' });
      const here = window.location.pathname + window.location.search;
      if (!here.startsWith('/login')) location.route(loginUrl(here), true);
    });
    return () => setUnauthenticatedHandler(null);
  }, [location]);

  const login = useCallback(
    async (username: string, password: string) => {
      const answer = await api.post<LoginAnswer>('/login', { username, password });
      setCsrfToken(answer.csrf_token);
      await loadMe();
    },
    [loadMe],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/logout');
    } finally {
      setCsrfToken('');
      setState({ status: 'anonymous' });
      location.route('/login');
    }
  }, [location]);

  const value = useMemo(() => ({ state, login, logout }), [state, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

// The logged-in user; only for pages behind the login.
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'in') throw new Error('useMe without a session');
  return state.me;
}
