import type { ResolveTaskResult, TaskFieldProblem } from '../cluster-runtime';
import type { TaskSpec } from '../../domain/task';
import { memoryMiB, timeLimitSeconds } from '../../domain/resources';
import { jobQueueNameOf } from './batch-job-detail';
import {
  commandTooLong,
  MAX_COMMAND_BYTES,
  MIN_TIMEOUT_S,
  timeLimitTooShort,
} from './submit-job-input';

export interface BatchTaskTarget {
  cluster: string;
  jobQueue: string;
  jobDefinition: string | null;
}

/**
 * The fields of a task on an AWS Batch cluster, or every field it cannot
 * honour. `working_dir` `~` (the default) means the image's working
 * directory; an absolute path is entered by a wrapper (see batch-command.ts);
 * `~/x` is refused: containers have no home directory to resolve it in.
 */
export function resolveBatchTask(task: TaskSpec, t: BatchTaskTarget): ResolveTaskResult {
  const problems: TaskFieldProblem[] = [];
  if (t.jobDefinition === null) {
    problems.push({
      field: 'command',
      message: `cluster ${t.cluster} has no job_definition: set job_definition in its configuration to run tasks on it`,
    });
  }
  const queueName = jobQueueNameOf(t.jobQueue);
  if (task.partition !== null && task.partition !== queueName && task.partition !== t.jobQueue) {
    problems.push({
      field: 'partition',
      message: `AWS Batch has no partitions; this cluster submits to job queue ${queueName}: remove partition, or set it to ${queueName}`,
    });
  }
  let workingDir: string | null = null;
  if (task.working_dir === '~') workingDir = null;
  else if (task.working_dir.startsWith('~')) {
    problems.push({
      field: 'working_dir',
      message: `${task.working_dir}: containers have no home directory; give an absolute path such as /work, or leave working_dir out for the image's own`,
    });
  } else if (!task.working_dir.startsWith('/')) {
    problems.push({
      field: 'working_dir',
      message: `${task.working_dir} is relative; give an absolute path inside the container`,
    });
  } else workingDir = task.working_dir;
  const mib = memoryMiB(task.memory);
  if (mib === null || mib < 4)
    problems.push({
      field: 'memory',
      message: `memory ${task.memory} is below the 4 MiB AWS Batch needs`,
    });
  const limitS = timeLimitSeconds(task.time_limit);
  if (Number.isNaN(limitS))
    problems.push({
      field: 'time_limit',
      message: `time_limit ${task.time_limit} is not a duration`,
    });
  else if (limitS !== null && limitS < MIN_TIMEOUT_S)
    problems.push({ field: 'time_limit', message: timeLimitTooShort(task.time_limit, limitS) });
  const bytes = Buffer.byteLength(task.command);
  if (bytes > MAX_COMMAND_BYTES)
    problems.push({ field: 'command', message: commandTooLong(bytes) });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    resolved: {
      workingDir,
      partition: queueName,
      account: null,
      stdoutPath: null,
      stderrPath: null,
    },
  };
}
