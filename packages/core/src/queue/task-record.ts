import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SubmitSpec } from '../backends/backend';
import { TaskSpec } from '../domain/task';
import type { JsonObject } from '../history/types';
import { CoreError } from '../runtime/errors';

/** Where a cluster puts things, from its config. */
export interface ClusterSubmitSettings {
  /** Root of task logs; may start with `~`. */
  logDir: string;
  /** Partition for tasks that name none; null: the scheduler's default partition. */
  partition: string | null;
  account: string | null;
}

/** The parts of a submission that depend on the cluster, fixed when the queue is created. */
const ResolvedFields = z.object({
  workingDir: z.string(),
  partition: z.string().nullable(),
  account: z.string().nullable(),
  stdoutPath: z.string(),
  stderrPath: z.string(),
});
type ResolvedFields = z.infer<typeof ResolvedFields>;

/** What `tasks.spec_json` holds: the task as the source gave it (defaults applied) and its resolved fields. */
export const StoredTask = TaskSpec.extend({ resolved: ResolvedFields });
export type StoredTask = z.infer<typeof StoredTask>;

/** `~` and `~/…` against the cluster's home; other paths unchanged. */
export function resolveTilde(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return `${home.replace(/\/+$/, '')}/${path.slice(2)}`;
  return path;
}

/** Log files: `<log_dir>/<queue id>/<task id>.out|.err`, `~` resolved. */
export function storedTask(task: TaskSpec, queueId: string, home: string, cluster: ClusterSubmitSettings): StoredTask {
  const logRoot = resolveTilde(cluster.logDir, home).replace(/\/+$/, '');
  return {
    ...task,
    resolved: {
      workingDir: resolveTilde(task.working_dir, home),
      partition: task.partition ?? cluster.partition,
      account: cluster.account,
      stdoutPath: `${logRoot}/${queueId}/${task.id}.out`,
      stderrPath: `${logRoot}/${queueId}/${task.id}.err`,
    },
  };
}

export function toSubmitSpec(task: StoredTask, tag: string): SubmitSpec {
  return {
    tag,
    name: task.name,
    command: task.command,
    workingDir: task.resolved.workingDir,
    partition: task.resolved.partition,
    cpus: task.cpus,
    memory: task.memory,
    timeLimit: task.time_limit,
    account: task.resolved.account,
    stdoutPath: task.resolved.stdoutPath,
    stderrPath: task.resolved.stderrPath,
  };
}

export function toJson(task: StoredTask): JsonObject {
  return { ...task, resolved: { ...task.resolved } };
}

/** Reads a stored task; a row that does not match is corruption, reported as such. */
export function readStoredTask(spec: JsonObject, queueId: string, taskId: string): StoredTask {
  const parsed = StoredTask.safeParse(spec);
  if (!parsed.success) {
    throw new CoreError('STORE_UNAVAILABLE', `Task ${taskId} of queue ${queueId} has an unreadable stored spec: ${parsed.error.message}`);
  }
  return parsed.data;
}

/**
 * A new tag for each submission attempt: `sh-<queue>-<position>-<random>`.
 * Unique (the store refuses a reused one) and made of characters every
 * scheduler keeps verbatim in a job comment.
 */
export const submissionTag = (queueId: string, position: number): string =>
  `sh-${queueId}-${position}-${randomBytes(4).toString('hex')}`;

export const newQueueId = (): string => randomBytes(4).toString('hex');

export const queueJobId = (queueId: string, taskId: string): string => `q:${queueId}:${taskId}`;
