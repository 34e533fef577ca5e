import type { ObservedJob } from '../backend';
import { arrayTaskId } from './array-task-id';
import { arrayTaskOutput } from './array-task-output';
import { SQUEUE_FIELDS } from './commands';
import { fieldIndex, field } from './field-index';
import { mapRecords } from './record-separator';
import { jobStateOf } from './slurm-state';
import { count, duration, utcTime } from './slurm-values';

/** Prefix of the `--comment` renderJobScript puts on every ScriptHut job. */
export const SCRIPTHUT_COMMENT_PREFIX = 'scripthut:';

/** One squeue record: the backend's ObservedJob plus what submissions are recognised by. */
export interface SqueueJob extends ObservedJob {
  /** Slurm `--comment`, null when the job has none. */
  comment: string | null;
  /** The ScriptHut submission tag when the comment is `scripthut:<tag>`, else null. */
  tag: string | null;
}

const AT = fieldIndex(SQUEUE_FIELDS);

/**
 * Parses the output of `squeueCommand()`. Pending array tasks stay one record
 * (`123_[5-9]`); started tasks are `123_4`. `startTime` is null while a job
 * waits in the queue: squeue prints the scheduler's *expected* start there.
 *
 * @throws CoreError SCHEDULER_ERROR when the output is not squeueCommand's
 *   shape: it must never read as an empty queue.
 */
export function parseSqueue(stdout: string): SqueueJob[] {
  return mapRecords(stdout, SQUEUE_FIELDS.length, 'squeue', toJob);
}

/** `(null)` is how squeue prints an unset string field. */
function text(raw: string): string | null {
  return raw === '' || raw === '(null)' ? null : raw;
}

function toJob(v: readonly string[]): SqueueJob {
  const rawState = field(v, AT.State);
  const state = jobStateOf(rawState);
  const comment = text(field(v, AT.Comment));
  const reason = field(v, AT.Reason);
  const partition = field(v, AT.Partition);
  const memory = field(v, AT.MinMemory);
  const nodes = field(v, AT.NodeList);
  const schedulerJobId = field(v, AT.JobArrayID);
  const array = arrayTaskId(schedulerJobId);
  const workDir = text(field(v, AT.WorkDir));
  return {
    schedulerJobId,
    name: field(v, AT.Name),
    user: field(v, AT.UserName),
    rawState,
    state,
    reason: reason === '' || reason === 'None' ? null : reason,
    partition: partition === '' ? null : partition,
    cpus: count(field(v, AT.NumCPUs)),
    memory: memory === '' || memory === 'N/A' ? null : memory,
    nodes: nodes === '' || nodes === '(null)' || nodes === 'None assigned' ? null : nodes,
    timeUsed: duration(field(v, AT.TimeUsed)),
    timeLimit: duration(field(v, AT.TimeLimit)),
    submitTime: utcTime(field(v, AT.SubmitTime)),
    startTime: state === 'submitted' ? null : utcTime(field(v, AT.StartTime)),
    workDir,
    command: text(field(v, AT.Command)),
    stdoutPath: arrayTaskOutput(text(field(v, AT.STDOUT)), schedulerJobId, workDir),
    stderrPath: arrayTaskOutput(text(field(v, AT.STDERR)), schedulerJobId, workDir),
    comment,
    tag: comment?.startsWith(SCRIPTHUT_COMMENT_PREFIX)
      ? comment.slice(SCRIPTHUT_COMMENT_PREFIX.length)
      : null,
    arrayJobId: array?.arrayJobId ?? null,
    arrayTasks: array?.tasks ?? null,
  };
}
