import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../../packages/api/dist/cli.js');

/** The password of the test secrets list (./test-all greps its output for these). */
export const TEST_PASSWORD = readFileSync(
  resolve(import.meta.dirname, '../../packages/api/test/test-secrets.txt'),
  'utf8',
).split('\n')[1]!;

export interface AuthServer {
  url: string;
  /** The access token the server printed at its first start. */
  token: string;
  stop: () => Promise<void>;
}

/**
 * A server of its own with a login configured (generated token and a
 * password from the environment), one local cluster, and a private data dir.
 */
export async function startAuthServer(): Promise<AuthServer> {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-e2e-auth-'));
  const config = join(dir, 'scripthut.yaml');
  writeFileSync(
    config,
    JSON.stringify({
      clusters: [{ name: 'local', type: 'local', max_concurrent: 1 }],
      settings: {
        data_dir: join(dir, 'data'),
        auth: { token: true, password_env: 'SCRIPTHUT_E2E_PASSWORD' },
      },
    }),
  );
  const child: ChildProcess = spawn('node', [CLI, '--config', config, '--port', '0'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      SCRIPTHUT_HOME: dir,
      SCRIPTHUT_E2E_PASSWORD: TEST_PASSWORD,
    },
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const started = await new Promise<{ url: string; token: string }>((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error('the auth server printed no URL and token')),
      20_000,
    );
    child.stdout?.on('data', () => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const token = /\n {2}([\w-]{43})\n/.exec(out)?.[1];
      if (url && token) {
        clearTimeout(timer);
        ok({ url, token });
      }
    });
  });
  return {
    ...started,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
