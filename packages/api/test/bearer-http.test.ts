import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_TOKENS_FILE } from '../src/auth/api-token-file';
import { ApiTokenStore } from '../src/auth/api-tokens';
import { createHttpSecurity } from '../src/auth/http-security';
import { hashSecret, verifySecret } from '../src/auth/secret-hash';
import { FakeCore, fakeJob } from './fake-core';
import { serve, trpcGet, trpcPost, type Harness, type TrpcErrorBody } from './http-harness';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

/** A server with a login configured (so nothing is open without credentials) and a token store in a fresh data dir. */
async function start(o: { login?: boolean; maxFailures?: number } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'scripthut-bearer-'));
  const serverStore = new ApiTokenStore(dataDir);
  const hash = await hashSecret('browser-password-only-1');
  const security = createHttpSecurity({
    verifier: o.login === false ? null : (s) => verifySecret(s, hash),
    bearerVerifier: (t) => serverStore.verify(t),
    limiter: { maxFailuresPerClient: o.maxFailures ?? 50 },
  });
  const core = new FakeCore();
  core.upsert(fakeJob('8'));
  harness = await serve({ core, security, webDist: null });
  // The `scripthut token` commands run as another process with their own store on the same file.
  return { base: harness.base, core, dataDir, tokens: new ApiTokenStore(dataDir) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('bearer tokens for tools', () => {
  it('opens tRPC queries, mutations and REST routes without a cookie or an Origin header', async () => {
    const { base, core, tokens } = await start();
    const { token } = await tokens.create('ci');
    const list = await trpcGet(base, 'jobs.list', {}, bearer(token));
    expect(list.status).toBe(200);
    const cancel = await trpcPost(base, 'jobs.cancel', { id: 'hpc:8' }, bearer(token));
    expect(cancel.status).toBe(200);
    expect(core.cancelled).toEqual(['hpc:8']);
    expect((await trpcPost(base, 'clusters.refresh', {}, bearer(token))).status).toBe(200);
    expect(core.refreshCalls).toBe(1);
    const rest = await fetch(`${base}/queues/list`, { headers: bearer(token) });
    expect(rest.status).toBe(200);
    expect(await (await fetch(`${base}/auth/session`, { headers: bearer(token) })).json()).toEqual({ authRequired: true, authenticated: true, user: null, admin: true, namedUsers: false, sharedLogin: true, oidc: null });
    expect((await trpcGet(base, 'jobs.list', {})).status).toBe(401);
  });

  it('refuses a wrong, malformed or revoked token with 401 saying how to get one, on tRPC and REST', async () => {
    const { base, core, tokens } = await start();
    const { token, record } = await tokens.create('laptop');
    expect((await trpcGet(base, 'jobs.list', {}, bearer(token))).status).toBe(200);
    tokens.revoke(record.id);
    const wrong = `${token.slice(0, -4)}AAAA`;
    for (const headers of [bearer(token), bearer(wrong), bearer('not-a-token'), { authorization: 'Basic eDp5' }]) {
      const query = await trpcGet(base, 'jobs.list', {}, headers);
      expect(query.status).toBe(401);
      const body = (await query.json()) as TrpcErrorBody;
      expect(body.error.data.code).toBe('UNAUTHORIZED');
      expect(body.error.message).toContain('scripthut token create NAME');
      const rest = await fetch(`${base}/queues/list`, { headers });
      expect(rest.status).toBe(401);
      expect(((await rest.json()) as { error: string }).error).toContain('scripthut token create NAME');
    }
    // A refused token is refused even with an Origin that would pass the browser's checks.
    expect((await trpcPost(base, 'jobs.cancel', { id: 'hpc:8' }, { ...bearer(token), origin: base })).status).toBe(401);
    expect(core.cancelled).toEqual([]);
  });

  it('counts refused tokens against the login limiter: after 5, even a live token waits', async () => {
    const { base, tokens } = await start({ maxFailures: 5 });
    const { token } = await tokens.create('ci');
    for (let i = 0; i < 5; i++) expect((await trpcGet(base, 'jobs.list', {}, bearer(`guess-${i}`))).status).toBe(401);
    const limited = await trpcGet(base, 'jobs.list', {}, bearer(token));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('900');
    expect(((await limited.json()) as TrpcErrorBody).error).toMatchObject({ message: 'Too many refused tokens or logins from this address; try again in 15 minute(s)', data: { code: 'TOO_MANY_REQUESTS' } });
    const rest = await fetch(`${base}/queues/list`, { headers: bearer(token) });
    expect(rest.status).toBe(429);
    expect(await rest.json()).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('refuses a wrong token even where no login is configured (a loopback server open to browsers)', async () => {
    const { base, tokens } = await start({ login: false });
    const { token } = await tokens.create('ci');
    expect((await trpcGet(base, 'jobs.list', {})).status).toBe(200);
    expect((await trpcGet(base, 'jobs.list', {}, bearer(token))).status).toBe(200);
    expect((await trpcGet(base, 'jobs.list', {}, bearer(`${token.slice(0, -1)}x`))).status).toBe(401);
  });

  it('keeps only a hash at rest, in a file of mode 600, and records the last use', async () => {
    const { base, dataDir, tokens } = await start();
    const { token, record } = await tokens.create('ci');
    const file = join(dataDir, API_TOKENS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(readFileSync(file, 'utf8')).not.toContain(token.slice(-43));
    expect(record.hash).toMatch(/^scrypt\$/);
    expect((await trpcGet(base, 'jobs.list', {}, bearer(token))).status).toBe(200);
    const [stored] = tokens.list();
    expect(stored).toMatchObject({ id: record.id, name: 'ci', revoked_at: null });
    expect(stored?.last_used_at).not.toBeNull();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
