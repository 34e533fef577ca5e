import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { AuthContext, type AuthState } from './auth-context';
import { LoginPage } from './login-page';
import { fetchSession, logout as postLogout, type SessionInfo } from './session-api';
import { onUnauthorized } from './unauthorized-signal';
import './auth.css';

type Status = 'checking' | 'login' | 'ready' | 'unreachable';

/**
 * Renders `children` only once the server says no login is needed or the
 * browser has a session; otherwise the login form. Any API request answered
 * 401 later (session expired) brings the form back, unmounting the app so
 * its queries and live stream stop.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('checking');
  const [session, setSession] = useState<SessionInfo | null>(null);
  const authRequired = session?.authRequired ?? false;
  const user = session?.user ?? null;

  const check = useCallback(() => {
    fetchSession().then(
      (s) => {
        setSession(s);
        setStatus(s.authRequired && !s.authenticated ? 'login' : 'ready');
      },
      () => setStatus('unreachable'),
    );
  }, []);

  useEffect(check, [check]);
  useEffect(() => onUnauthorized(() => setStatus('login')), []);

  const state = useMemo<AuthState>(
    () => ({
      authRequired,
      user,
      logout: async () => {
        await postLogout();
        setStatus('login');
      },
    }),
    [authRequired, user],
  );

  if (status === 'checking') return null;
  if (status === 'unreachable') {
    return (
      <main className="login-page">
        <div className="login-card" role="alert">
          <p>The ScriptHut server cannot be reached.</p>
          <button type="button" className="button" onClick={check}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (status === 'login') return <LoginPage session={session} onLoggedIn={check} />;
  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}
