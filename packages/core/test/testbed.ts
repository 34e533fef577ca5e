import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { systemClock } from '../src/runtime/clock';
import { createSshConnection, type SshConnection } from '../src/ssh';

/** The project's Slurm + sshd testbed (testbed/up.sh writes connection.env). */
export interface Testbed {
  host: string;
  port: number;
  knownHosts: string;
  key(user: string): string;
}

const ENV = '/var/tmp/scripthut-testbed/connection.env';

export function testbed(): Testbed {
  if (!existsSync(ENV))
    throw new Error(`Testbed not running (${ENV} missing): sudo bash testbed/up.sh`);
  const vars = new Map(
    readFileSync(ENV, 'utf8')
      .split('\n')
      .flatMap((l) => {
        const m = /^([A-Za-z0-9_]+)=(.*)$/.exec(l);
        return m ? [[m[1]!, m[2]!.replace(/^"|"$/g, '')] as const] : [];
      }),
  );
  return {
    host: vars.get('HUT_SSH_HOST')!,
    port: Number(vars.get('HUT_SSH_PORT')),
    knownHosts: vars.get('HUT_SSH_KNOWN_HOSTS')!,
    key: (user) => vars.get(`HUT_KEY_${user}`)!,
  };
}

export function connectAs(user: string): SshConnection {
  const tb = testbed();
  return createSshConnection(
    {
      host: tb.host,
      port: tb.port,
      user,
      keyPath: tb.key(user),
      knownHostsPath: tb.knownHosts,
      homeDir: homedir(),
    },
    { clock: systemClock },
  );
}

/** Submit a batch script as the connection's user; returns the job id. */
export async function sbatch(ssh: SshConnection, args: string, script: string): Promise<string> {
  const r = await ssh.run(`sbatch --parsable ${args}`, {
    stdin: `#!/bin/bash\n${script}\n`,
    timeoutMs: 30_000,
  });
  const id = /^(\d+)/.exec(r.stdout)?.[1];
  if (r.exitCode !== 0 || !id) throw new Error(`sbatch failed: ${r.stderr}`);
  return id;
}
