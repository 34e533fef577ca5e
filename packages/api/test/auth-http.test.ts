import { afterEach, describe, expect, it } from 'vitest';
import { createHttpSecurity, type HttpSecurityOptions } from '../src/auth/http-security';
import { hashSecret, verifySecret } from '../src/auth/secret-hash';
import { FakeCore } from './fake-core';
import { cookieOf, refusedStream, serve, trpcGet, trpcPost, type Harness, type TrpcErrorBody } from './http-harness';

const TOKEN = 'test-token-5f0c2a9d81e44b7c';
let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function start(options: Partial<HttpSecurityOptions> = {}, core = new FakeCore()) {
  const hash = await hashSecret(TOKEN);
  const security = createHttpSecurity({ verifier: (s) => verifySecret(s, hash), ...options });
  harness = await serve({ core, security, webDist: null });
  const base = harness.base;
  const login = (secret: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, ...headers },
      body: JSON.stringify({ secret }),
    });
  return { base, core, security, login };
}

describe('login and sessions', () => {
  it('refuses every tRPC call and REST route without a session, with UNAUTHORIZED', async () => {
    const { base, core } = await start();
    const query = await trpcGet(base, 'jobs.list', {});
    expect(query.status).toBe(401);
    expect(((await query.json()) as TrpcErrorBody).error.data.code).toBe('UNAUTHORIZED');
    const mutation = await trpcPost(base, 'clusters.refresh', {}, { origin: base });
    expect(mutation.status).toBe(401);
    expect(core.refreshCalls).toBe(0);
    const stream = await refusedStream(`${base}/trpc/events.stream?input=%7B%7D`, { referer: `${base}/` });
    expect(stream.code).toBe('UNAUTHORIZED');
    const rest = await fetch(`${base}/queues/list`);
    expect(rest.status).toBe(401);
    expect(await rest.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('keeps /health public but tells only the overall status', async () => {
    const { base, login } = await start();
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    const cookie = cookieOf(await login(TOKEN));
    expect(await (await fetch(`${base}/health`, { headers: { cookie } })).json()).toHaveProperty('clusters');
  });

  it('sets an HttpOnly SameSite=Strict cookie holding a 256-bit random id, and it opens the API', async () => {
    const { base, login } = await start();
    const res = await login(TOKEN);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^scripthut_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(setCookie).not.toContain('Secure');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const cookie = cookieOf(res);
    expect((await trpcGet(base, 'jobs.list', {}, { cookie })).status).toBe(200);
    expect(await (await fetch(`${base}/auth/session`, { headers: { cookie } })).json()).toEqual({ authRequired: true, authenticated: true, user: null, admin: true, namedUsers: false, sharedLogin: true, oidc: null });
  });

  it('marks the cookie Secure over TLS as reported by a trusted proxy, or when configured', async () => {
    const proxied = await start({ trustProxy: true });
    const viaTls = await proxied.login(TOKEN, { 'x-forwarded-proto': 'https' });
    expect(viaTls.headers.get('set-cookie')).toContain('; Secure');
    await harness?.close();
    const untrusted = await start();
    expect((await untrusted.login(TOKEN, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).not.toContain('Secure');
    await harness?.close();
    const forced = await start({ secureCookies: true });
    expect((await forced.login(TOKEN)).headers.get('set-cookie')).toContain('; Secure');
  });

  it('refuses a wrong secret with 401 and no cookie', async () => {
    const { login } = await start();
    const res = await login('wrong-token');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.json()).toEqual({ error: 'Wrong access token or password', code: 'UNAUTHORIZED', details: null });
  });

  it('rate-limits failed logins per client: after 5 failures even the right token waits', async () => {
    let nowMs = 1_000_000;
    const { login } = await start({ now: () => nowMs });
    for (let i = 0; i < 5; i++) expect((await login(`guess-${i}`)).status).toBe(401);
    const limited = await login(TOKEN);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('900');
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    nowMs += 15 * 60_000;
    expect((await login(TOKEN)).status).toBe(200);
  });

  it('ends a session on logout and after the idle time', async () => {
    let nowMs = 0;
    const { base, login } = await start({ now: () => nowMs, sessionIdleMs: 60_000 });
    const first = cookieOf(await login(TOKEN));
    const logout = await fetch(`${base}/auth/logout`, { method: 'POST', headers: { cookie: first, origin: base } });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await trpcGet(base, 'jobs.list', {}, { cookie: first })).status).toBe(401);

    const second = cookieOf(await login(TOKEN));
    nowMs += 59_000;
    expect((await trpcGet(base, 'jobs.list', {}, { cookie: second })).status).toBe(200);
    nowMs += 61_000;
    expect((await trpcGet(base, 'jobs.list', {}, { cookie: second })).status).toBe(401);
  });

  it('rejects malformed login bodies with a 400 that names the expected shape', async () => {
    const { base, login } = await start();
    const post = (body: string, type = 'application/json') =>
      fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': type, origin: base }, body });
    for (const res of [
      await post('{"secret": 1}'),
      await post('{"secret": "x", "admin": true}'),
      await post('{"secret": ""}'),
      await post(`{"secret": "${'a'.repeat(1025)}"}`),
      await post(`secret=${TOKEN}`, 'application/x-www-form-urlencoded'),
    ]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'INVALID_INPUT', error: expect.stringContaining('{"secret"') as unknown });
    }
    const broken = await post('{"secret":');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'Malformed JSON body', code: 'INVALID_INPUT', details: null });
    expect((await login(TOKEN)).status).toBe(200);
  });

  it('answers a browser navigation without a session with the SPA shell (the login form)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const webDist = mkdtempSync(join(tmpdir(), 'scripthut-web-'));
    writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>spa</title>');
    const hash = await hashSecret(TOKEN);
    harness = await serve({ core: new FakeCore(), webDist, security: createHttpSecurity({ verifier: (s) => verifySecret(s, hash) }) });
    const page = await fetch(`${harness.base}/queues/q1/tasks/a/logs/output`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>spa</title>');
    const api = await fetch(`${harness.base}/queues/q1/tasks/a/logs/output`);
    expect(api.status).toBe(401);
  });
});
