import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SshConnection } from '@scripthut/core/testing';

/** Test-only: servers that share one PostgreSQL database and the Slurm testbed, and what they say. */

export const POLL_INTERVAL_MS = 5_000;
export const DB_PASSWORD_ENV = 'SCRIPTHUT_TEST_DB_PASSWORD';

export interface Health {
  status: string;
  instance?: { name: string; leads: string[]; notifications: boolean };
  clusters: Record<string, { leader?: string | null; connected: boolean }>;
  store?: { status: string; kind: string };
}

export const health = async (url: string): Promise<Health> =>
  (await (await fetch(`${url}/health`)).json()) as Health;

/**
 * Writes `<dir>/<name>.yaml`: the testbed as cluster `tb`, a task source
 * `lead` of `tasks` tasks that each append their id to `$HOME/<ledger>` on
 * the cluster (the ledger of what really ran), the shared database.
 */
export function writeSharedConfig(o: {
  dir: string;
  name: string;
  ssh: { host: string; port: number; keyPath?: string; knownHostsPath?: string };
  databaseUrl: string;
  tasks: number;
  ledger: string;
  maxConcurrent: number;
}): string {
  const py =
    'import json;print(json.dumps([{"id":"t%03d"%i,"name":"lead t%03d"%i,' +
    `"command":"echo t%03d >> $HOME/${o.ledger}"%i,"memory":"100M","time_limit":"5"} for i in range(${o.tasks})]))`;
  const config = {
    clusters: [
      {
        name: 'tb',
        type: 'slurm',
        ssh: {
          host: o.ssh.host,
          port: o.ssh.port,
          user: 'hutuser',
          key_path: o.ssh.keyPath,
          known_hosts: o.ssh.knownHostsPath,
        },
      },
    ],
    task_sources: [
      {
        name: 'lead',
        cluster: 'tb',
        command: `python3 -c '${py}'`,
        max_concurrent: o.maxConcurrent,
      },
    ],
    settings: {
      poll_interval: POLL_INTERVAL_MS / 1000,
      data_dir: join(o.dir, o.name, 'data'),
      database: o.databaseUrl,
      database_password_env: DB_PASSWORD_ENV,
      instance_name: o.name,
    },
  };
  const path = join(o.dir, `${o.name}.yaml`);
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** How many times each task id appears in the ledger on the cluster. */
export async function readLedger(ssh: SshConnection, ledger: string): Promise<Map<string, number>> {
  const { stdout } = await ssh.run(`cat "$HOME/${ledger}"`, { timeoutMs: 30_000 });
  const runs = new Map<string, number>();
  for (const task of stdout.split('\n').filter(Boolean)) runs.set(task, (runs.get(task) ?? 0) + 1);
  return runs;
}
