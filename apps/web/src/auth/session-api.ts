/** The server's answer to GET /auth/session (see packages/api/src/auth/auth-routes.ts). */
export interface SessionInfo {
  authRequired: boolean;
  authenticated: boolean;
  /** The logged-in named user; null: the shared account (or not logged in). */
  user: string | null;
  admin: boolean;
  /** The form asks for a user name. */
  namedUsers: boolean;
  /** The shared access token or password logs in too. */
  sharedLogin: boolean;
  oidc: { label: string } | null;
}

/** Codes of the login endpoint's JSON errors; the UI words them, never showing server text. */
export type LoginFailure =
  | { code: 'UNAUTHORIZED' }
  | { code: 'RATE_LIMITED'; retryAfterS: number }
  | { code: 'OTHER'; status: number };

export async function fetchSession(): Promise<SessionInfo> {
  const res = await fetch('/auth/session', {
    headers: { accept: 'application/json' },
    cache: 'no-store',
  });
  if (!res.ok) throw new Error(`GET /auth/session answered ${res.status}`);
  return (await res.json()) as SessionInfo;
}

/** Null on success (the server has set the session cookie). An empty `user`: the shared token or password. */
export async function login(secret: string, user = ''): Promise<LoginFailure | null> {
  const res = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(user === '' ? { secret } : { secret, user }),
  });
  if (res.ok) return null;
  if (res.status === 401) return { code: 'UNAUTHORIZED' };
  if (res.status === 429)
    return { code: 'RATE_LIMITED', retryAfterS: Number(res.headers.get('retry-after') ?? 60) };
  return { code: 'OTHER', status: res.status };
}

export async function logout(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST' });
}
