import type { ObservedJob } from '../backend';
import { SQUEUE_FIELDS, type SqueueField } from './commands';
import { readNamedRecords } from './record-separator';
import { jobStateOf } from './slurm-state';
import { count, duration, orNull, utcTime } from './slurm-values';

/** Prefix of the `--comment` renderJobScript puts on every ScriptHut job. */
export const SCRIPTHUT_COMMENT_PREFIX = 'scripthut:';

/** One squeue record: the backend's ObservedJob plus what submissions are recognised by. */
export interface SqueueJob extends ObservedJob {
  /** Slurm `--comment`, null when the job has none. */
  comment: string | null;
  /** The ScriptHut submission tag when the comment is `scripthut:<tag>`, else null. */
  tag: string | null;
}

/**
 * Parses the output of `squeueCommand()`. Pending array tasks stay one record
 * (`123_[5-9]`); started tasks are `123_4`. `startTime` is null while a job
 * waits in the queue: squeue prints the scheduler's *expected* start there.
 *
 * @throws CoreError SCHEDULER_ERROR when the output is not squeueCommand's
 *   shape: it must never read as an empty queue.
 */
export function parseSqueue(stdout: string): SqueueJob[] {
  return readNamedRecords(stdout, SQUEUE_FIELDS, 'squeue').map(toJob);
}

function toJob(f: Record<SqueueField, string>): SqueueJob {
  const state = jobStateOf(f.State);
  const comment = orNull(f.Comment, '(null)');
  return {
    schedulerJobId: f.JobArrayID,
    name: f.Name,
    user: f.UserName,
    rawState: f.State,
    state,
    reason: orNull(f.Reason, 'None'),
    partition: orNull(f.Partition),
    cpus: count(f.NumCPUs),
    memory: orNull(f.MinMemory, 'N/A'),
    nodes: orNull(f.NodeList, '(null)', 'None assigned'),
    timeUsed: duration(f.TimeUsed),
    timeLimit: duration(f.TimeLimit),
    submitTime: utcTime(f.SubmitTime),
    startTime: state === 'submitted' ? null : utcTime(f.StartTime),
    workDir: orNull(f.WorkDir, '(null)'),
    command: orNull(f.Command, '(null)'),
    stdoutPath: orNull(f.STDOUT, '(null)'),
    stderrPath: orNull(f.STDERR, '(null)'),
    comment,
    tag: comment?.startsWith(SCRIPTHUT_COMMENT_PREFIX)
      ? comment.slice(SCRIPTHUT_COMMENT_PREFIX.length)
      : null,
  };
}
