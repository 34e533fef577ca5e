import type { TaskSpec } from '../../domain/task';
import { memoryMiB } from '../../domain/resources';
import type { ResolveTaskResult, TaskFieldProblem } from '../cluster-runtime';
import { fargateSize } from './fargate-size';

export interface EcsTaskRules {
  cluster: string;
  /** Null: the cluster is monitored only. */
  taskDefinition: string | null;
  /** Tasks are sized as Fargate sizes them (launch type or capacity provider FARGATE/FARGATE_SPOT). */
  fargate: boolean;
}

export const PARTITION_REFUSAL =
  'ECS has no partitions; remove partition from the task or run it on a Slurm cluster';

/**
 * The task fields of a queue task on an ECS cluster, or every field ECS
 * cannot honour. `working_dir`: `~` (the default) is the image's working
 * directory; an absolute path is entered with `cd` before the command (see
 * containerCommand); `~/x` and relative paths are refused: a container has no
 * home directory and no other base to resolve them against.
 */
export function resolveEcsTask(task: TaskSpec, rules: EcsTaskRules): ResolveTaskResult {
  const problems: TaskFieldProblem[] = [];
  if (rules.taskDefinition === null) {
    problems.push({
      field: 'command',
      message: `ECS cluster ${rules.cluster} has no task_definition in its config, so it is monitored only and cannot run tasks: add task_definition`,
    });
  }
  if (task.partition !== null) problems.push({ field: 'partition', message: PARTITION_REFUSAL });
  const dir = task.working_dir;
  let workingDir: string | null = null;
  if (dir === '~') workingDir = null;
  else if (dir.startsWith('~')) {
    problems.push({
      field: 'working_dir',
      message: `containers have no home directory: give an absolute path instead of ${dir}, or leave working_dir out for the image's working directory`,
    });
  } else if (!dir.startsWith('/')) {
    problems.push({
      field: 'working_dir',
      message: `give an absolute path (such as /work) instead of ${dir}: a container has no directory to resolve a relative one against`,
    });
  } else workingDir = dir;
  if (rules.fargate) {
    const mib = memoryMiB(task.memory);
    const size = mib === null ? null : fargateSize(task.cpus, mib);
    if (size !== null && !size.ok) problems.push({ field: size.field, message: size.message });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    resolved: { workingDir, partition: null, account: null, stdoutPath: null, stderrPath: null },
  };
}
