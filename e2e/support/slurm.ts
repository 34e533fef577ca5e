import { execFileSync } from 'node:child_process';
import { readTestbed } from './testbed';

/** Run a command on the testbed as one of its users, over the system ssh client. */
export function onTestbed(user: string, command: string, stdin?: string): string {
  const tb = readTestbed();
  return execFileSync(
    'ssh',
    ['-p', String(tb.port), '-i', tb.keys[user]!, '-o', `UserKnownHostsFile=${tb.knownHosts}`, '-o', 'BatchMode=yes', `${user}@${tb.host}`, command],
    { encoding: 'utf8', input: stdin ?? '', timeout: 30_000 },
  ).trim();
}

/** Submit a batch script as `user`; returns the Slurm job id. */
export function sbatch(user: string, args: string, body: string): string {
  const out = onTestbed(user, `sbatch --parsable ${args}`, `#!/bin/bash\n${body}\n`);
  const id = /^(\d+)/.exec(out)?.[1];
  if (!id) throw new Error(`sbatch printed no job id: ${out}`);
  return id;
}
