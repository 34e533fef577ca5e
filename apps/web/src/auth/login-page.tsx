import { useState, type FormEvent } from 'react';
import { login, type LoginFailure, type SessionInfo } from './session-api';

const describe = (failure: LoginFailure, named: boolean): string => {
  switch (failure.code) {
    case 'UNAUTHORIZED':
      return named ? 'That user name or password is not right.' : 'That access token or password is not right.';
    case 'RATE_LIMITED':
      return `Too many failed attempts. Try again in ${Math.max(1, Math.ceil(failure.retryAfterS / 60))} minute(s).`;
    case 'OTHER':
      return `The server refused the login (HTTP ${failure.status}).`;
  }
};

export function LoginPage({ session, onLoggedIn }: { session: SessionInfo | null; onLoggedIn: () => void }) {
  const namedUsers = session?.namedUsers ?? false;
  const sharedLogin = session?.sharedLogin ?? true;
  const [user, setUser] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    login(secret, user.trim())
      .then((failure) => {
        if (failure === null) {
          setSecret('');
          onLoggedIn();
        } else {
          setError(describe(failure, user.trim() !== ''));
        }
      })
      .catch(() => setError('The server cannot be reached.'))
      .finally(() => setBusy(false));
  };

  return (
    <main className="login-page">
      <form
        className="login-card"
        data-testid="login-form"
        onSubmit={submit}
        aria-labelledby="login-title"
      >
        <h1 id="login-title" className="login-card__title">
          <img src="/favicon.svg" alt="" width="22" height="22" />
          ScriptHut
        </h1>
        <p className="login-card__hint">
          {namedUsers
            ? sharedLogin
              ? 'Log in with your user name and password, or leave the user name empty for the shared access token or password.'
              : 'Log in with your user name and password.'
            : 'Log in with the access token printed when the server first started, or with the password set for it.'}
        </p>
        {namedUsers && (
          <>
            <label htmlFor="login-user">User name</label>
            <input
              id="login-user"
              data-testid="login-user"
              type="text"
              autoComplete="username"
              required={!sharedLogin}
              maxLength={64}
              value={user}
              onChange={(e) => setUser(e.target.value)}
              autoFocus
            />
          </>
        )}
        <label htmlFor="login-secret">{namedUsers ? 'Password' : 'Access token or password'}</label>
        <input
          id="login-secret"
          data-testid="login-secret"
          type="password"
          autoComplete="current-password"
          required
          maxLength={1024}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          autoFocus={!namedUsers}
        />
        {error && (
          <p className="login-card__error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button
          type="submit"
          className="button"
          data-testid="login-submit"
          disabled={busy || secret === ''}
        >
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        {session?.oidc && (
          <a className="button" href="/auth/oidc/start" data-testid="login-oidc">
            {session.oidc.label}
          </a>
        )}
      </form>
    </main>
  );
}
