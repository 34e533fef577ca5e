import type { Job } from '../domain/job';
import { RETRY_STATES, type RetryState } from '../domain/retry';
import type { QueueWithTasks, TaskRecord } from '../history/types';
import { countedTasks, familyOf } from './queue-attempts';
import { countTasks, displayStatus, TERMINAL_TASK_STATES } from './queue-status';
import type { QueueStore } from './queue-store';
import { loadSummary } from './queue-summaries';
import type { QueueAttempt, QueueDetail, QueueTaskView, TaskAttempt } from './queue-types';
import { dependencyLevels } from './plan-dependencies';
import { endedWords, retryStateOf } from './task-ending';
import { readStoredTask } from './task-record';

type JobLookup = (id: string | null) => Job | null;

/**
 * A queue with its tasks, their dependency levels, and every attempt of its
 * family. Of other attempts only the jobs of failed tasks are read (to say
 * how they failed), so a family costs little more than the queue itself.
 */
export async function queueDetail(store: QueueStore, stored: QueueWithTasks): Promise<QueueDetail> {
  const members = await familyOf(store, stored);
  const counted = countedTasks(members);
  const countedIn = new Map(counted.map((c) => [c.task.taskId, c.queue.id]));
  const jobOf = await readJobs(store, [
    ...stored.tasks.map((t) => t.jobId),
    ...members.flatMap((m) => m.tasks.filter((t) => t.state === 'failed').map((t) => t.jobId)),
    ...counted.filter((c) => c.task.state === 'failed').map((c) => c.task.jobId),
  ]);
  const attemptsOf = taskAttempts(jobOf, members, stored.queue.id, countedIn);
  const levels = dependencyLevels(stored.tasks);
  const queueId = stored.queue.id;
  return {
    queue: await loadSummary(store, stored),
    tasks: stored.tasks.map((t): QueueTaskView => {
      const { resolved, ...spec } = readStoredTask(t.spec, queueId, t.taskId);
      return {
        taskId: t.taskId,
        position: t.position,
        name: t.name,
        state: t.state,
        spec,
        submit: {
          name: spec.name,
          command: spec.command,
          cpus: spec.cpus,
          memory: spec.memory,
          timeLimit: spec.time_limit,
          ...resolved,
        },
        job: jobOf(t.jobId),
        dependsOn: t.dependsOn,
        level: levels.get(t.taskId) ?? 0,
        reason: t.reason,
        attempts: attemptsOf.get(t.taskId) ?? [],
      };
    }),
    attempts: members.map((m): QueueAttempt => ({
      id: m.queue.id,
      attempt: m.queue.attempt,
      status: displayStatus(m.queue, m.tasks),
      createdAt: m.queue.createdAt,
      taskCount: m.tasks.length,
      origin: m.queue.origin,
    })),
    counted: countTasks(counted.map((c) => c.task)),
    retryable: retryable(
      jobOf,
      counted.map((c) => c.task),
    ),
  };
}

/** The stored jobs among `ids`, read once, as a lookup (null for a null id or a job not stored). */
async function readJobs(
  store: QueueStore,
  ids: ReadonlyArray<string | null>,
): Promise<(id: string | null) => Job | null> {
  const jobs = new Map<string, Job | null>();
  for (const id of ids) if (id !== null && !jobs.has(id)) jobs.set(id, await store.getJob(id));
  return (id) => (id === null ? null : (jobs.get(id) ?? null));
}

function retryable(jobOf: JobLookup, tasks: readonly TaskRecord[]): Record<RetryState, number> {
  const counts = Object.fromEntries(RETRY_STATES.map((s) => [s, 0])) as Record<RetryState, number>;
  for (const t of tasks) {
    const state = retryStateOf(
      t.state,
      t.state === 'failed' ? jobOf(t.jobId) : null,
    );
    if (state !== null) counts[state]++;
  }
  return counts;
}

/** Each task of `queueId` in every attempt holding it, oldest first. */
function taskAttempts(
  jobOf: JobLookup,
  members: readonly QueueWithTasks[],
  queueId: string,
  countedIn: ReadonlyMap<string, string>,
): Map<string, TaskAttempt[]> {
  const wanted = new Set(
    members.find((m) => m.queue.id === queueId)?.tasks.map((t) => t.taskId) ?? [],
  );
  const out = new Map<string, TaskAttempt[]>();
  for (const { queue, tasks } of members) {
    for (const t of tasks) {
      if (!wanted.has(t.taskId)) continue;
      // Only a failure needs its job: its outcome tells a timeout or an out-of-memory from other failures.
      const job = t.state === 'failed' ? jobOf(t.jobId) : null;
      const attempt: TaskAttempt = {
        queueId: queue.id,
        attempt: queue.attempt,
        state: t.state,
        ended:
          t.state !== 'completed' && TERMINAL_TASK_STATES.has(t.state)
            ? endedWords(t.state, job)
            : null,
        retryState: retryStateOf(t.state, job),
        counts: countedIn.get(t.taskId) === queue.id,
      };
      const list = out.get(t.taskId);
      if (list) list.push(attempt);
      else out.set(t.taskId, [attempt]);
    }
  }
  return out;
}
