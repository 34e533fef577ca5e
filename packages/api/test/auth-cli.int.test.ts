import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOKEN_HASH_FILE } from '../src/auth/token-store';
import { refusedRun, startServer } from './secret-run';

function workDir(settings: object): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-auth-cli-'));
  const config = join(dir, 'scripthut.yaml');
  writeFileSync(config, JSON.stringify({ settings: { data_dir: join(dir, 'data'), ...settings } }));
  return { dir, config };
}

const tokenIn = (output: string): string | null =>
  /Access token \(shown once[^\n]*\n\n {2}([\w-]{43})\n/.exec(output)?.[1] ?? null;

const login = (base: string, secret: string) =>
  fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ secret }),
  });

describe('scripthut with authentication', () => {
  it.each(['0.0.0.0', '::', '192.0.2.10'])(
    'refuses to bind %s without a login: exit 2, one message saying how to fix it',
    (host) => {
      const { dir, config } = workDir({});
      const r = refusedRun(['--config', config, '--host', host], {}, dir);
      expect(r.status).toBe(2);
      expect(r.output).toMatch(
        new RegExp(
          `^scripthut: refusing to listen on ${host.replace(/\./g, '\\.')}: that address can be reached from other machines and no login is configured\\.\\nEither configure a login`,
        ),
      );
      expect(r.output).toContain('token: true');
      expect(r.output).not.toMatch(/\n\s+at /);
    },
  );

  it('refuses a password_env whose variable is unset', () => {
    const { dir, config } = workDir({ auth: { password_env: 'SCRIPTHUT_TEST_UNSET_PW' } });
    const r = refusedRun(['--config', config, '--port', '0'], {}, dir);
    expect(r.status).toBe(2);
    expect(r.output).toBe(
      'scripthut: settings.auth.password_env names SCRIPTHUT_TEST_UNSET_PW, but that environment variable is not set or empty; set it, or remove password_env\n',
    );
  });

  it('prints a generated token once, keeps only its hash (mode 600), and --reset-token replaces it', async () => {
    const { dir, config } = workDir({ auth: { token: true } });
    const first = await startServer(['--config', config, '--port', '0'], {}, dir);
    await new Promise((r) => setTimeout(r, 300));
    const token = tokenIn(first.output());
    expect(token).not.toBeNull();
    const hashFile = join(dir, 'data', TOKEN_HASH_FILE);
    expect(statSync(hashFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(hashFile, 'utf8')).not.toContain(token!);
    expect((await login(first.url, token!)).status).toBe(200);
    expect((await fetch(`${first.url}/trpc/system.info`)).status).toBe(401);
    await first.stop();

    const second = await startServer(['--config', config, '--port', '0'], {}, dir);
    expect((await login(second.url, token!)).status).toBe(200);
    await second.stop();
    expect(tokenIn(second.output())).toBeNull();

    const reset = await startServer(['--config', config, '--port', '0', '--reset-token'], {}, dir);
    await new Promise((r) => setTimeout(r, 300));
    const fresh = tokenIn(reset.output());
    expect(fresh).not.toBeNull();
    expect(fresh).not.toBe(token);
    expect((await login(reset.url, token!)).status).toBe(401);
    expect((await login(reset.url, fresh!)).status).toBe(200);
    await reset.stop();
  });

  it('refuses --reset-token when no token is configured', () => {
    const { dir, config } = workDir({});
    const r = refusedRun(['--config', config, '--reset-token'], {}, dir);
    expect(r.status).toBe(2);
    expect(r.output).toBe(
      'scripthut: --reset-token: settings.auth.token is not enabled; set settings.auth.token: true first\n',
    );
  });
});
