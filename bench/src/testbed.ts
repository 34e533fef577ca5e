import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { systemClock, type CommandResult, type CommandRunner } from '@scripthut/core';
import { createSshConnection, type SshConnection } from '../../packages/core/src/ssh';
import { sleep } from './measure';

/** Connection details the project's testbed writes (testbed/up.sh). */
export interface Testbed {
  host: string;
  port: number;
  knownHosts: string;
  /** Slurm ClusterName; also the cluster name the benchmarks configure, so job ids read `hut:<id>`. */
  cluster: string;
  keys: Record<string, string>;
}

export const TESTBED_ENV =
  process.env.SCRIPTHUT_TESTBED_ENV ?? '/var/tmp/scripthut-testbed/connection.env';

/**
 * Records (live jobs + jobs ended within MinJobAge, array tasks one each) the
 * benchmarks let the controller hold. The testbed's MaxJobCount is 40,000 and
 * sbatch blocks for everyone once it is reached, so stay far below it.
 */
export const RECORD_BUDGET = 30_000;

export function readTestbed(path = TESTBED_ENV): Testbed {
  if (!existsSync(path))
    throw new Error(
      `Testbed not running: ${path} is missing. Start it with: sudo bash testbed/up.sh`,
    );
  const vars = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (m) vars.set(m[1]!, m[2]!.replace(/^"|"$/g, ''));
  }
  const keys: Record<string, string> = {};
  for (const [k, v] of vars) if (k.startsWith('HUT_KEY_')) keys[k.slice('HUT_KEY_'.length)] = v;
  const need = (k: string): string => {
    const v = vars.get(k);
    if (v === undefined) throw new Error(`${path} has no ${k}`);
    return v;
  };
  return {
    host: need('HUT_SSH_HOST'),
    port: Number(need('HUT_SSH_PORT')),
    knownHosts: need('HUT_SSH_KNOWN_HOSTS'),
    cluster: vars.get('HUT_CLUSTER') ?? 'hut',
    keys,
  };
}

export function keyOf(testbed: Testbed, user: string): string {
  const key = testbed.keys[user];
  if (key === undefined) throw new Error(`the testbed has no key for ${user}`);
  return key;
}

/** The project's persistent ssh2 connection (the same class the server uses). */
export function connect(testbed: Testbed, user = 'hutuser'): SshConnection {
  return createSshConnection(
    {
      host: testbed.host,
      port: testbed.port,
      user,
      keyPath: keyOf(testbed, user),
      knownHostsPath: testbed.knownHosts,
      homeDir: homedir(),
    },
    { clock: systemClock },
  );
}

/** Runs a command that must succeed; the error carries its stderr. */
export async function sh(
  runner: CommandRunner,
  command: string,
  timeoutMs = 120_000,
): Promise<CommandResult> {
  const result = await runner.run(command, { timeoutMs, maxOutputBytes: 256 * 1024 * 1024 });
  if (result.exitCode !== 0) {
    throw new Error(
      `remote command failed (exit ${String(result.exitCode)}): ${command.slice(0, 120)}\n${result.stderr.trim().slice(0, 500)}`,
    );
  }
  return result;
}

/** A job name no other developer uses, so cleanup can cancel exactly this benchmark's jobs. */
export function uniqueJobName(label: string): string {
  return `shbench-${label}-${randomBytes(3).toString('hex')}`;
}

/** Job records slurmctld holds now, every user, finished-within-MinJobAge and array tasks included. */
export async function countRecords(runner: CommandRunner): Promise<number> {
  const out = await sh(runner, 'squeue --all --states=all --array --noheader --format=%i | wc -l');
  return Number(out.stdout.trim());
}

/**
 * Waits (up to MinJobAge + 1 min) until `planned` more records fit in
 * RECORD_BUDGET, so a benchmark never pushes the shared controller towards
 * MaxJobCount. Throws when there is still no room.
 */
export async function ensureRoom(runner: CommandRunner, planned: number): Promise<number> {
  const deadline = Date.now() + 360_000;
  for (;;) {
    const held = await countRecords(runner);
    if (held + planned <= RECORD_BUDGET) return held;
    if (Date.now() > deadline) {
      throw new Error(
        `slurmctld holds ${held} job records; adding ${planned} would pass the benchmark budget of ${RECORD_BUDGET} (MaxJobCount 40000)`,
      );
    }
    console.log(
      `   waiting for room: slurmctld holds ${held} records, need ${planned} more under ${RECORD_BUDGET}…`,
    );
    await sleep(15_000);
  }
}

/** Ids printed by `sbatch --parsable` (`<id>` or `<id>;<cluster>`), one per line. */
export function parsableIds(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim().split(';')[0] ?? '')
    .filter((id) => /^\d+$/.test(id));
}

/** Options shared by every held benchmark job: tiny, short, never started. */
export const HELD_JOB_OPTIONS = '--hold --parsable --output=/dev/null --time=5 --mem=10M';

/** `n` held jobs named `name`, submitted by one exec running a shell loop. Returns their ids. */
export async function submitHeld(
  runner: CommandRunner,
  name: string,
  n: number,
): Promise<string[]> {
  const loop = `for i in $(seq 1 ${n}); do sbatch ${HELD_JOB_OPTIONS} --job-name=${name} --wrap=true || exit 1; done`;
  const ids = parsableIds((await sh(runner, loop, 600_000)).stdout);
  if (ids.length !== n)
    throw new Error(`asked for ${n} held jobs, sbatch returned ${ids.length} ids`);
  return ids;
}

/** Cancels every job of `user` named `name` (and nothing else: other developers share the testbed). */
export async function cancelByName(
  runner: CommandRunner,
  user: string,
  name: string,
): Promise<void> {
  await sh(runner, `scancel --user=${user} --name=${name}`, 120_000);
}

/** Cleanup that must not hide the benchmark's own error. */
export async function quietly(what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    console.log(`   cleanup (${what}) failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
