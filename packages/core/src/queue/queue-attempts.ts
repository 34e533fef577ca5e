import { RETRY_STATE_WORDS, type AttemptOrigin, type RetryState } from '../domain/retry';
import type { TaskSpec } from '../domain/task';
import type { QueueRecord, QueueWithTasks, TaskRecord } from '../history/types';
import { CoreError } from '../runtime/errors';
import { TERMINAL_TASK_STATES } from './queue-status';
import type { QueueStore } from './queue-store';
import { retryStateOf } from './task-ending';
import { readStoredTask } from './task-record';

/**
 * Attempts. A retry or rerun is a new queue of the same family (same
 * `originalId`, next `attempt`), never new rows inside a finished queue: a
 * new queue id gives every task a new job id, new log paths and new
 * submission tags, so the exactly-once machinery (intent before submit,
 * recovery by tag) applies to it unchanged, and the earlier attempts stay
 * as they ended. For each task the latest attempt that holds it counts.
 */

/** One task in the attempt that counts for it. */
export interface CountedTask {
  queue: QueueRecord;
  task: TaskRecord;
}

/** Every attempt of the family `stored` belongs to, oldest first, `stored` itself as given. */
export async function familyOf(
  store: QueueStore,
  stored: QueueWithTasks,
): Promise<QueueWithTasks[]> {
  const members = (await store.listQueues({ originalId: stored.queue.originalId })).sort(
    (a, b) => a.attempt - b.attempt || a.createdAt.localeCompare(b.createdAt),
  );
  const family: QueueWithTasks[] = [];
  for (const q of members) {
    const member = q.id === stored.queue.id ? stored : await store.getQueue(q.id);
    if (member) family.push(member);
  }
  return family.some((m) => m === stored) ? family : [...family, stored];
}

/** Each task of the family in the latest attempt that holds it, in the order of the attempt that first held it. */
export function countedTasks(family: readonly QueueWithTasks[]): CountedTask[] {
  const counted = new Map<string, CountedTask>();
  for (const { queue, tasks } of family) {
    for (const task of tasks) {
      // Re-setting an existing key keeps the first insertion's place in the map's order.
      counted.set(task.taskId, { queue, task });
    }
  }
  return [...counted.values()];
}

export interface RetryCandidate {
  taskId: string;
  /** How the counted attempt ended; null when it completed (or has not ended). */
  retryState: RetryState | null;
  completed: boolean;
  /** Every dependency as the source gave it. */
  dependsOn: readonly string[];
}

export interface RetryPlan {
  /** Tasks of the new attempt, in the order given. */
  taskIds: string[];
  /** The tasks of the chosen states: the ones overrides apply to. */
  chosen: Set<string>;
  /** Each task's dependencies inside the new attempt; the others completed in an earlier attempt. */
  dependsOn: Map<string, string[]>;
}

/**
 * Which tasks a new attempt runs. `all`: every task. Otherwise the tasks
 * whose counted attempt ended in one of `states`, plus, until nothing
 * changes, every task that depends on one of them (it must run again after
 * it) and every dependency of one of them that has not completed (else it
 * could never start). Pure.
 */
export function planRetry(
  tasks: readonly RetryCandidate[],
  states: ReadonlySet<RetryState> | 'all',
): RetryPlan {
  const chosen = new Set(
    tasks
      .filter((t) => states === 'all' || (t.retryState !== null && states.has(t.retryState)))
      .map((t) => t.taskId),
  );
  const byId = new Map(tasks.map((t) => [t.taskId, t]));
  const dependents = new Map<string, string[]>();
  for (const t of tasks) {
    for (const d of t.dependsOn) {
      const list = dependents.get(d);
      if (list) list.push(t.taskId);
      else dependents.set(d, [t.taskId]);
    }
  }
  const included = new Set(chosen);
  const todo = [...chosen];
  const include = (id: string): void => {
    if (included.has(id) || !byId.has(id)) return;
    included.add(id);
    todo.push(id);
  };
  while (todo.length > 0) {
    const id = todo.pop()!;
    for (const next of dependents.get(id) ?? []) include(next);
    for (const dep of byId.get(id)?.dependsOn ?? []) if (!byId.get(dep)?.completed) include(dep);
  }
  const taskIds = tasks.filter((t) => included.has(t.taskId)).map((t) => t.taskId);
  const dependsOn = new Map(
    taskIds.map((id) => [id, byId.get(id)!.dependsOn.filter((d) => included.has(d))]),
  );
  return { taskIds, chosen, dependsOn };
}

/** What a new attempt is made of: its family fields, its tasks as they will run, and their dependencies inside it. */
export interface NextAttempt {
  family: Pick<QueueRecord, 'originalId' | 'retryOf' | 'attempt' | 'origin'>;
  specs: TaskSpec[];
  dependsOn: Map<string, string[]>;
}

/**
 * The next attempt of `stored`'s family for `origin`, or CONFLICT when an
 * attempt has not finished (a queue still active, or a cancelled one whose
 * jobs have not ended) or when there is nothing to retry. Each task runs as
 * its counted attempt ran it (earlier overrides kept); this retry's
 * overrides apply to the tasks of the chosen states only.
 */
export async function nextAttempt(
  store: QueueStore,
  stored: QueueWithTasks,
  origin: AttemptOrigin,
): Promise<NextAttempt> {
  const family = await familyOf(store, stored);
  const unfinished = family.find(
    (m) => m.queue.status === 'active' || m.tasks.some((t) => !TERMINAL_TASK_STATES.has(t.state)),
  );
  if (unfinished) {
    throw new CoreError(
      'CONFLICT',
      `Attempt ${unfinished.queue.attempt} (queue ${unfinished.queue.id}) has not finished; a new attempt can start once it has`,
      {
        queueId: stored.queue.id,
        problem: 'attempt_running',
        runningQueueId: unfinished.queue.id,
      },
    );
  }
  const counted = countedTasks(family);
  const candidates: RetryCandidate[] = [];
  for (const { task } of counted) {
    candidates.push({
      taskId: task.taskId,
      retryState: retryStateOf(
        task.state,
        task.state === 'failed' && task.jobId !== null ? await store.getJob(task.jobId) : null,
      ),
      completed: task.state === 'completed',
      dependsOn: readStoredTask(task.spec, task.queueId, task.taskId).depends_on,
    });
  }
  const plan = planRetry(candidates, origin.mode === 'rerun' ? 'all' : new Set(origin.states));
  if (plan.taskIds.length === 0) {
    const words =
      origin.mode === 'retry'
        ? origin.states.map((s) => RETRY_STATE_WORDS[s]).join(' or ')
        : 'anything';
    throw new CoreError(
      'CONFLICT',
      `No task of queue ${stored.queue.id} ended ${words}; there is nothing to retry`,
      {
        queueId: stored.queue.id,
        problem: 'nothing_to_retry',
      },
    );
  }
  const byId = new Map(counted.map((c) => [c.task.taskId, c.task]));
  const overrides = origin.mode === 'retry' ? origin.overrides : {};
  const specs = plan.taskIds.map((id): TaskSpec => {
    const task = byId.get(id)!;
    const { resolved: _resolved, ...spec } = readStoredTask(task.spec, task.queueId, id);
    return plan.chosen.has(id) ? { ...spec, ...overrides } : spec;
  });
  return {
    family: {
      originalId: stored.queue.originalId,
      retryOf: stored.queue.id,
      attempt: Math.max(...family.map((m) => m.queue.attempt)) + 1,
      origin,
    },
    specs,
    dependsOn: plan.dependsOn,
  };
}
