import type { Job } from '../domain/job';
import type { QueueRecord, SubmissionRecord, TaskRecord, TaskState } from '../history/types';
import { TASK_STATES, type QueueDisplayStatus, type QueueSummary, type TaskCounts } from './queue-types';

/** Tasks that hold a concurrency slot; `finishing` does too until accounting confirms the end. */
export const IN_FLIGHT_TASK_STATES: ReadonlySet<TaskState> = new Set(['submitting', 'submitted', 'running', 'finishing']);
export const TERMINAL_TASK_STATES: ReadonlySet<TaskState> = new Set(['completed', 'failed', 'unknown', 'cancelled', 'skipped']);

/** A task's state from its job row. A job the scheduler cancelled shows as `cancelled`, with the outcome on the job. */
export function taskStateFromJob(job: Job): TaskState {
  if (job.outcome === 'CANCELLED') return 'cancelled';
  return job.state === 'pending' ? 'submitted' : job.state;
}

export function countTasks(tasks: readonly Pick<TaskRecord, 'state'>[]): TaskCounts {
  const counts = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as TaskCounts;
  for (const t of tasks) counts[t.state]++;
  return counts;
}

/**
 * The terminal status a queue has reached, or null while any task is not
 * terminal. Failed when any task did not complete (failed, lost, cancelled
 * by the scheduler); completed when every one did.
 */
export function finalStatus(tasks: readonly Pick<TaskRecord, 'state'>[]): 'completed' | 'failed' | null {
  return finalStatusOf(countTasks(tasks));
}

/** `finalStatus` from task counts (a state missing from `counts` has no task). */
export function finalStatusOf(counts: Partial<TaskCounts>): 'completed' | 'failed' | null {
  const states = TASK_STATES.filter((s) => (counts[s] ?? 0) > 0);
  if (states.some((s) => !TERMINAL_TASK_STATES.has(s))) return null;
  return states.some((s) => s !== 'completed' && s !== 'skipped') ? 'failed' : 'completed';
}

/** The seed's queue states: pending until a task leaves `pending`, then running, then the terminal status. */
export function displayStatus(queue: Pick<QueueRecord, 'status'>, tasks: readonly Pick<TaskRecord, 'state'>[]): QueueDisplayStatus {
  return displayStatusOf(queue, countTasks(tasks));
}

/** `displayStatus` from task counts. */
export function displayStatusOf(queue: Pick<QueueRecord, 'status'>, counts: Partial<TaskCounts>): QueueDisplayStatus {
  if (queue.status !== 'active') return queue.status;
  const final = finalStatusOf(counts);
  if (final !== null) return final;
  return TASK_STATES.every((s) => s === 'pending' || (counts[s] ?? 0) === 0) ? 'pending' : 'running';
}

/**
 * Pending reasons that will not go away by waiting (the job can never start
 * as submitted), with what they mean. Matched on the reason's first word.
 */
export const STUCK_REASONS: Readonly<Record<string, string>> = {
  PartitionTimeLimit: "the task's time limit is longer than the partition allows",
  PartitionNodeLimit: 'the task asks for more nodes than the partition allows',
  PartitionConfig: "the request does not fit the partition's configuration",
  ReqNodeNotAvail: 'a node the job needs is down, drained or reserved',
  BadConstraints: "no node satisfies the job's constraints",
  InvalidAccount: 'the account is not valid',
  InvalidQOS: 'the QOS is not valid',
  AccountNotAllowed: 'the account may not use this partition',
  QOSNotAllowed: 'the QOS may not use this partition',
  DependencyNeverSatisfied: 'a dependency can never be satisfied',
  JobHeldAdmin: 'the job is held by an administrator',
  JobHeldUser: 'the job is held (release it with `scontrol release`)',
  QOSMaxWallDurationPerJobLimit: "the time limit exceeds the QOS's per-job limit",
  QOSMaxCpuPerJobLimit: "the CPUs asked exceed the QOS's per-job limit",
  QOSMaxMemoryPerJob: "the memory asked exceeds the QOS's per-job limit",
  MaxMemPerLimit: 'the memory asked exceeds the per-CPU or per-node limit',
};

export function stuckReason(reason: string | null): string | null {
  const word = reason?.trim().split(/[\s,(]/)[0] ?? '';
  const meaning = STUCK_REASONS[word];
  return meaning === undefined ? null : `${reason!.trim()}: ${meaning}`;
}

/**
 * Why a queue that is not finished does not progress, or null. Submissions
 * whose outcome is unknown block their tasks (never resubmitted blindly); a
 * queue whose in-flight jobs are all waiting for a reason that cannot
 * resolve is stuck until the user acts.
 */
export function blockedReason(
  tasks: readonly TaskRecord[],
  jobsById: ReadonlyMap<string, Job>,
  openSubmissions: readonly SubmissionRecord[],
): string | null {
  const inFlight = tasks.filter((t) => IN_FLIGHT_TASK_STATES.has(t.state) && t.state !== 'submitting');
  const waiting = inFlight.map((t) => (t.jobId === null ? undefined : jobsById.get(t.jobId)));
  return blockedReasonOf(openSubmissions, inFlight.length, waiting);
}

/**
 * `blockedReason` from the queue's open submissions, its number of
 * submitted/running/finishing tasks and their jobs in task order (undefined:
 * no job stored). An entry may stand for several tasks whose jobs share a
 * state and reason; only which reasons occur, and in which order, matters.
 */
export function blockedReasonOf(
  openSubmissions: readonly SubmissionRecord[],
  inFlightTasks: number,
  waiting: readonly (Pick<Job, 'state' | 'reason'> | undefined)[],
): string | null {
  const reasons: string[] = [];
  const unknown = openSubmissions.filter((s) => s.state === 'unknown');
  if (unknown.length > 0) {
    const first = unknown[0]!;
    reasons.push(
      `${unknown.length} submission(s) have an unknown outcome (task ${first.taskId}: ${first.message ?? 'no answer'}); ` +
        'ScriptHut looks them up by tag and will not submit those tasks again until it knows',
    );
  }
  if (inFlightTasks > 0 && waiting.every((j) => j !== undefined && j.state === 'submitted' && stuckReason(j.reason) !== null)) {
    const distinct = [...new Set(waiting.map((j) => stuckReason(j!.reason)!))];
    reasons.push(`all ${inFlightTasks} submitted task(s) are waiting and cannot start: ${distinct.slice(0, 3).join('; ')}`);
  }
  return reasons.length === 0 ? null : reasons.join('. ');
}

export function summarize(
  queue: QueueRecord,
  tasks: readonly TaskRecord[],
  blocked: string | null,
): QueueSummary {
  return summarizeCounts(queue, countTasks(tasks), blocked);
}

/** `summarize` from task counts (a state missing from `counts` has no task). */
export function summarizeCounts(queue: QueueRecord, partial: Partial<TaskCounts>, blocked: string | null): QueueSummary {
  const counts = Object.fromEntries(TASK_STATES.map((s) => [s, partial[s] ?? 0])) as TaskCounts;
  const status = displayStatusOf(queue, counts);
  return {
    id: queue.id,
    sourceName: queue.sourceName,
    cluster: queue.cluster,
    createdAt: queue.createdAt,
    maxConcurrent: queue.maxConcurrent,
    status,
    taskCount: TASK_STATES.reduce((n, s) => n + counts[s], 0),
    counts,
    cancelledAt: queue.cancelledAt,
    error: queue.error,
    sourceCommit: queue.sourceCommit,
    blockedReason: status === 'pending' || status === 'running' ? blocked : null,
    ending: status === 'pending' || status === 'running' ? null : endingText(counts),
    originalId: queue.originalId,
    retryOf: queue.retryOf,
    attempt: queue.attempt,
    origin: queue.origin,
    owner: queue.owner,
  };
}

const ENDING_WORDS: readonly [TaskState, string][] = [
  ['failed', 'failed'],
  ['unknown', 'lost'],
  ['cancelled', 'cancelled'],
  ['skipped', 'skipped because a dependency did not complete'],
  ['completed', 'completed'],
];

/** "1 failed, 3 skipped because a dependency did not complete, 8 completed": the end states a finished queue's tasks reached. */
export function endingText(counts: TaskCounts): string {
  const parts = ENDING_WORDS.filter(([state]) => counts[state] > 0).map(([state, words]) => `${counts[state]} ${words}`);
  const open = TASK_STATES.filter((s) => !TERMINAL_TASK_STATES.has(s)).reduce((n, s) => n + counts[s], 0);
  if (open > 0) parts.push(`${open} not ended yet`);
  return parts.length === 0 ? 'no tasks' : parts.join(', ');
}
