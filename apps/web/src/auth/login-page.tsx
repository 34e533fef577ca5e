import { useState, type FormEvent } from 'react';
import { login, type LoginFailure } from './session-api';

const describe = (failure: LoginFailure): string => {
  switch (failure.code) {
    case 'UNAUTHORIZED':
      return 'That access token or password is not right.';
    case 'RATE_LIMITED':
      return `Too many failed attempts. Try again in ${Math.max(1, Math.ceil(failure.retryAfterS / 60))} minute(s).`;
    case 'OTHER':
      return `The server refused the login (HTTP ${failure.status}).`;
  }
};

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    login(secret)
      .then((failure) => {
        if (failure === null) {
          setSecret('');
          onLoggedIn();
        } else {
          setError(describe(failure));
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
          Log in with the access token printed when the server first started, or with the password
          set for it.
        </p>
        <label htmlFor="login-secret">Access token or password</label>
        <input
          id="login-secret"
          data-testid="login-secret"
          type="password"
          autoComplete="current-password"
          required
          maxLength={1024}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          autoFocus
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
      </form>
    </main>
  );
}
