import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SettingsConfig } from '@scripthut/core';
import { describe, expect, it } from 'vitest';
import { prepareAuth, type StartupAuthInput } from './startup-auth';

const PASSWORD = 'pw-for-startup-tests-42';
const input = (settings: unknown, over: Partial<StartupAuthInput> = {}): StartupAuthInput => ({
  settings: SettingsConfig.parse(settings),
  host: '127.0.0.1',
  dataDir: mkdtempSync(join(tmpdir(), 'scripthut-auth-')),
  resetToken: false,
  env: {},
  log: () => {},
  ...over,
});

describe('prepareAuth', () => {
  it('needs no login on loopback', async () => {
    const auth = await prepareAuth(input({}));
    expect(auth).toMatchObject({ ok: true, newToken: null });
    expect(auth.ok && auth.security.authRequired).toBe(false);
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'example.org'])('refuses to bind %s without a login, saying how to fix it', async (host) => {
    const auth = await prepareAuth(input({}, { host }));
    expect(auth.ok).toBe(false);
    expect(!auth.ok && auth.message).toMatch(new RegExp(`^refusing to listen on ${host.replace(/\./g, '\\.')}: .*no login is configured\\.\\nEither configure a login`));
    expect(!auth.ok && auth.message).toContain('token: true');
    expect(!auth.ok && auth.message).toContain('password_env');
  });

  it('binds anywhere with named users, whose passwords come from the variables they name', async () => {
    const users = { auth: { users: [{ name: 'alice', password_env: 'ALICE_PW' }, { name: 'bob', admin: true }] } };
    const auth = await prepareAuth(input(users, { host: '0.0.0.0', env: { ALICE_PW: PASSWORD } }));
    expect(auth.ok && auth.security.authRequired).toBe(true);
    expect(auth.ok && (await auth.security.users?.verifyPassword('alice', PASSWORD))).toEqual({ user: 'alice', admin: false });
    expect(auth.ok && (await auth.security.users?.verifyPassword('bob', PASSWORD))).toBeNull();
    expect(auth.ok && auth.security.users?.actorOf('bob')).toEqual({ user: 'bob', admin: true });
    const missing = await prepareAuth(input(users));
    expect(!missing.ok && missing.message).toBe(
      "settings.auth.users: alice's password_env names ALICE_PW, but that environment variable is not set or empty; set it, or remove password_env",
    );
  });

  it('binds anywhere with a token, generated once and verifiable', async () => {
    const i = input({ auth: { token: true } }, { host: '0.0.0.0' });
    const first = await prepareAuth(i);
    if (!first.ok || first.newToken === null) throw new Error('expected a new token');
    expect(await first.security.verifier?.(first.newToken)).toBe(true);
    expect(await first.security.verifier?.('wrong')).toBe(false);
    const second = await prepareAuth(i);
    expect(second.ok && second.newToken).toBeNull();
  });

  it('takes a password from the named environment variable, never from the file', async () => {
    const auth = await prepareAuth(input({ auth: { password_env: 'HUT_PW' } }, { host: '0.0.0.0', env: { HUT_PW: PASSWORD } }));
    if (!auth.ok) throw new Error(auth.message);
    expect(await auth.security.verifier?.(PASSWORD)).toBe(true);
    expect(() => SettingsConfig.parse({ auth: { password: PASSWORD } })).toThrow(/password/);
  });

  it('refuses a missing or short password without echoing it', async () => {
    const missing = await prepareAuth(input({ auth: { password_env: 'HUT_PW' } }));
    expect(!missing.ok && missing.message).toBe('settings.auth.password_env names HUT_PW, but that environment variable is not set or empty; set it, or remove password_env');
    const short = await prepareAuth(input({ auth: { password_env: 'HUT_PW' } }, { env: { HUT_PW: 'hunter2' } }));
    expect(!short.ok && short.message).toBe('the password in HUT_PW is shorter than 12 characters; choose a longer one');
  });

  it('refuses --reset-token when no token is configured', async () => {
    const auth = await prepareAuth(input({}, { resetToken: true }));
    expect(!auth.ok && auth.message).toMatch(/^--reset-token: settings\.auth\.token is not enabled/);
  });
});
