import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listeningUrl, startOwnServer } from './own-server';

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
  const server = await startOwnServer({
    prefix: 'scripthut-e2e-auth-',
    configFor: (dir) => ({
      clusters: [{ name: 'local', type: 'local', max_concurrent: 1 }],
      settings: {
        data_dir: join(dir, 'data'),
        auth: { token: true, password_env: 'SCRIPTHUT_E2E_PASSWORD' },
      },
    }),
    env: { SCRIPTHUT_E2E_PASSWORD: TEST_PASSWORD },
    ready: (out) => {
      const url = listeningUrl(out);
      const token = /\n {2}([\w-]{43})\n/.exec(out)?.[1];
      return url && token ? { url, token } : undefined;
    },
  });
  return { ...server.started, stop: server.stop };
}
