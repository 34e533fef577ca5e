import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SubmitSpec } from '../backends/backend';
import type { ResolvedTaskFields } from '../backends/cluster-runtime';
import { TaskSpec } from '../domain/task';
import type { JsonObject } from '../history/types';
import { CoreError } from '../runtime/errors';

/** The parts of a submission that depend on the cluster, fixed when the queue is created. */
const ResolvedFields = z.object({
  workingDir: z.string().nullable(),
  partition: z.string().nullable(),
  account: z.string().nullable(),
  stdoutPath: z.string().nullable(),
  stderrPath: z.string().nullable(),
}) satisfies z.ZodType<ResolvedTaskFields>;

/** What `tasks.spec_json` holds: the task as the source gave it (defaults applied) and its resolved fields. */
export const StoredTask = TaskSpec.extend({ resolved: ResolvedFields });
export type StoredTask = z.infer<typeof StoredTask>;

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
