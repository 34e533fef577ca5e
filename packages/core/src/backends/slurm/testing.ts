import type { CommandRunner } from '../../runtime/command-runner';
import { SCRIPTHUT_COMMENT_PREFIX } from './parse-squeue';

/**
 * Test-only: what Slurm itself recorded for a ScriptHut queue, independent
 * of ScriptHut's own database, so fault tests can prove that nothing was
 * lost or submitted twice.
 */

/** One Slurm job that carries a submission tag of the queue. */
export interface TaggedSlurmJob {
  schedulerJobId: string;
  tag: string;
  /** Task position encoded in the tag (`sh-<queue>-<position>-<random>`). */
  position: number;
  /** Slurm's state word (COMPLETED, FAILED, CANCELLED, RUNNING…); null when neither squeue nor sacct knows it yet. */
  state: string | null;
}

/**
 * Every job whose tag belongs to `queueId`: squeue's Comment for jobs
 * slurmctld still holds (MinJobAge), plus accounting's SubmitLine (sacct
 * keeps the `--comment` argument there) for the last `lookbackMinutes`.
 * Grouped by task position; a position with two entries was submitted twice.
 */
export async function slurmJobsOfQueue(
  runner: CommandRunner,
  queueId: string,
  lookbackMinutes = 60,
): Promise<Map<number, TaggedSlurmJob[]>> {
  const tagOf = new RegExp(`${SCRIPTHUT_COMMENT_PREFIX}(sh-${queueId}-(\\d+)-[0-9a-f]+)`);
  const jobs = new Map<string, TaggedSlurmJob>();
  const note = (id: string, text: string, state: string | null): void => {
    const m = tagOf.exec(text);
    if (!m?.[1] || !m[2]) return;
    const known = jobs.get(id);
    jobs.set(id, {
      schedulerJobId: id,
      tag: m[1],
      position: Number(m[2]),
      state: state ?? known?.state ?? null,
    });
  };
  const live = await must(runner, `squeue --all --noheader --states=all --format='%i|%T|%k'`);
  for (const line of live.split('\n')) {
    const [id, state, comment] = line.split('|');
    if (id && comment) note(id.trim(), comment, state?.trim() ?? null);
  }
  const past = await must(
    runner,
    `sacct --noheader --parsable2 --allocations --starttime=now-${lookbackMinutes}minutes --format=JobIDRaw,State,SubmitLine`,
  );
  for (const line of past.split('\n')) {
    const [id, state, ...submitLine] = line.split('|');
    if (id && state) note(id, submitLine.join('|'), state.split(' ')[0] ?? null);
  }
  const byPosition = new Map<number, TaggedSlurmJob[]>();
  for (const job of jobs.values())
    byPosition.set(job.position, [...(byPosition.get(job.position) ?? []), job]);
  return byPosition;
}

/** Slurm's final state words as ScriptHut's task states (null: not final). */
export function taskStateOfSlurm(
  state: string | null,
): 'completed' | 'failed' | 'cancelled' | null {
  switch (state) {
    case 'COMPLETED':
      return 'completed';
    case 'CANCELLED':
      return 'cancelled';
    case 'FAILED':
    case 'TIMEOUT':
    case 'OUT_OF_MEMORY':
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
    case 'DEADLINE':
    case 'PREEMPTED':
      return 'failed';
    default:
      return null;
  }
}

/** Cancels every live job of `queueId` (test cleanup). */
export async function cancelQueueJobs(runner: CommandRunner, queueId: string): Promise<void> {
  const jobs = await slurmJobsOfQueue(runner, queueId);
  const ids = [...jobs.values()].flat().map((j) => j.schedulerJobId);
  if (ids.length > 0) await runner.run(`scancel ${ids.join(' ')}`, { timeoutMs: 30_000 });
}

async function must(runner: CommandRunner, command: string): Promise<string> {
  const result = await runner.run(command, { timeoutMs: 60_000 });
  if (result.exitCode !== 0)
    throw new Error(`${command} failed (${result.exitCode}): ${result.stderr}`);
  return result.stdout;
}
