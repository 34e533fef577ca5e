import { join } from 'node:path';
import { TEST_PASSWORD } from './auth-server';
import { listeningUrl, startOwnServer } from './own-server';
import { readTestbed } from './testbed';

export interface UsersServer {
  url: string;
  stop: () => Promise<void>;
}

/**
 * A server of its own with named users on the Slurm testbed: the cluster's
 * shared account is hutuser, and bob (not an admin) has his own login there,
 * hutuser2. Both log in with the test password.
 */
export async function startUsersServer(): Promise<UsersServer> {
  const tb = readTestbed();
  const server = await startOwnServer({
    prefix: 'scripthut-e2e-users-',
    configFor: (dir) => ({
      clusters: [
        {
          name: 'testbed',
          type: 'slurm',
          ssh: { host: tb.host, port: tb.port, user: 'hutuser', key_path: tb.keys.hutuser, known_hosts: tb.knownHosts },
          identities: { bob: { user: 'hutuser2', key_path: tb.keys.hutuser2 } },
        },
      ],
      settings: {
        poll_interval: 5,
        data_dir: join(dir, 'data'),
        auth: { users: [{ name: 'bob', password_env: 'SCRIPTHUT_E2E_BOB_PASSWORD' }] },
      },
    }),
    env: { SCRIPTHUT_E2E_BOB_PASSWORD: TEST_PASSWORD },
    ready: (out) => {
      const url = listeningUrl(out);
      return url ? { url } : undefined;
    },
  });
  return { ...server.started, stop: server.stop };
}
