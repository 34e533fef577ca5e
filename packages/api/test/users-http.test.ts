import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreError, OidcConfig, type Actor } from '@scripthut/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpSecurity } from '../src/auth/http-security';
import { createOidcLogin } from '../src/auth/oidc-login';
import { buildUserDirectory } from '../src/auth/user-directory';
import { createApp } from '../src/create-app';
import { FakeCore } from './fake-core';
import { cookieOf, trpcGet, trpcPost, type TrpcErrorBody } from './http-harness';
import { startOidcProvider, type OidcProvider } from './oidc-provider';

const PASSWORD = 'correct horse battery staple';
let provider: OidcProvider;
let server: Server;
let base: string;
let core: FakeCore;

beforeEach(async () => {
  provider = await startOidcProvider();
  // Listening first, so the callback address (part of the OIDC client) is known before the app is built.
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const users = await buildUserDirectory(
    [
      { name: 'alice', password_env: 'ALICE_PW', admin: false },
      { name: 'root', admin: true },
    ],
    { ALICE_PW: PASSWORD },
  );
  if (!users.ok) throw new Error(users.message);
  const oidc = createOidcLogin({
    config: OidcConfig.parse({ issuer: provider.issuer, client_id: provider.clientId, client_secret_env: 'X' }),
    clientSecret: provider.clientSecret,
    redirectUri: `${base}/auth/oidc/callback`,
  });
  core = new FakeCore();
  server.on('request', createApp({ core, webDist: null, security: createHttpSecurity({ verifier: null, users: users.directory, oidc }) }));
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await provider.close();
});

const login = (body: object) =>
  fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(body) });
const session = async (cookie: string) => (await fetch(`${base}/auth/session`, { headers: { cookie } })).json() as Promise<Record<string, unknown>>;

/** The browser's part of the code flow: start, the provider's approval, the callback. */
async function oidcLogin(): Promise<{ callback: Response; cookie: string }> {
  const start = await fetch(`${base}/auth/oidc/start`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const stateCookie = cookieOf(start);
  const approved = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const callback = await fetch(approved.headers.get('location')!, { redirect: 'manual', headers: { cookie: stateCookie } });
  const cookie = (callback.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith('scripthut_session=')) ?? '';
  return { callback, cookie };
}

describe('named users', () => {
  it('logs a user in by name and password, and the session says who they are', async () => {
    const res = await login({ user: 'alice', secret: PASSWORD });
    expect(res.status).toBe(200);
    expect(await session(cookieOf(res))).toMatchObject({ authenticated: true, user: 'alice', admin: false, namedUsers: true, sharedLogin: false, oidc: { label: 'Log in with single sign-on' } });
    const info = await trpcGet(base, 'system.info', null, { cookie: cookieOf(res) });
    expect(((await info.json()) as { result: { data: { viewer: unknown } } }).result.data.viewer).toEqual({ user: 'alice', admin: false });
  });

  it('refuses a wrong password, an unknown user, a user without a password, and no user at all alike', async () => {
    for (const body of [{ user: 'alice', secret: 'wrong password!' }, { user: 'mallory', secret: PASSWORD }, { user: 'root', secret: PASSWORD }, { secret: PASSWORD }]) {
      const res = await login(body);
      expect(res.status).toBe(401);
      expect(cookieOf(res)).toBe('');
    }
  });

  it('passes the logged-in user to core, so its refusals reach the caller as FORBIDDEN', async () => {
    const res = await login({ user: 'alice', secret: PASSWORD });
    const asked: unknown[] = [];
    core.cancelJob = (_id: string, actor?: Actor) => {
      asked.push(actor);
      return Promise.reject(new CoreError('FORBIDDEN', `${actor?.user} may not cancel job hpc:1`));
    };
    const cancel = await trpcPost(base, 'jobs.cancel', { id: 'hpc:1' }, { cookie: cookieOf(res), origin: base });
    expect(cancel.status).toBe(403);
    const body = (await cancel.json()) as TrpcErrorBody;
    expect([body.error.data.code, body.error.message]).toEqual(['FORBIDDEN', 'alice may not cancel job hpc:1']);
    expect(asked).toEqual([{ user: 'alice', admin: false }]);
  });
});

describe('OIDC login', () => {
  it('logs in the configured user the id_token names, with PKCE and a client secret', async () => {
    const { callback, cookie } = await oidcLogin();
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/');
    expect(await session(cookie)).toMatchObject({ authenticated: true, user: 'alice', admin: false });
    expect(provider.refusals).toEqual([]);
  });

  it('refuses a token signed with a key the provider does not publish', async () => {
    provider.faults.foreignKey = true;
    const { callback, cookie } = await oidcLogin();
    expect(callback.status).toBe(401);
    expect(await callback.text()).toContain("The login could not be verified: the id_token signature does not verify with the provider's keys");
    expect(cookie).toBe('');
  });

  it('refuses a token for another login (nonce), another client, or one that has expired', async () => {
    for (const [fault, words] of [
      [{ nonce: 'replayed' }, 'nonce mismatch'],
      [{ audience: 'someone-else' }, 'not client scripthut-test'],
      [{ expiresInS: -600 }, 'expired'],
    ] as const) {
      provider.faults = fault;
      const { callback, cookie } = await oidcLogin();
      expect(callback.status).toBe(401);
      expect(await callback.text()).toContain(words);
      expect(cookie).toBe('');
    }
  });

  it('refuses a provider user who is not configured here, and a callback without this browser\'s state cookie', async () => {
    provider.user = 'mallory';
    const { callback } = await oidcLogin();
    expect(callback.status).toBe(403);
    expect(await callback.text()).toContain('mallory is not a ScriptHut user here');

    provider.user = 'alice';
    const start = await fetch(`${base}/auth/oidc/start`, { redirect: 'manual' });
    const approved = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const forged = await fetch(approved.headers.get('location')!, { redirect: 'manual' });
    expect(forged.status).toBe(400);
    expect(cookieOf(forged)).not.toMatch(/^scripthut_session=./);
  });
});
