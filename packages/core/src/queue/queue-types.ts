import type { LogChunk, LogKind, SubmitSpec } from '../backends/backend';
import type { JobLog } from '../service/job-logs';
import type { Job } from '../domain/job';
import type { Actor } from '../domain/actor';
import type { AttemptOrigin, RetryRequestInput, RetryState } from '../domain/retry';
import type { TaskSpec } from '../domain/task';
import type { TaskState } from '../history/types';

export type { TaskState };

/** The seed's queue states; `cancelled` only when a user cancelled the queue. */
export type QueueDisplayStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

export const TASK_STATES = [
  'pending',
  'submitting',
  'submitted',
  'running',
  'finishing',
  'completed',
  'failed',
  'unknown',
  'cancelled',
  'skipped',
] as const satisfies readonly TaskState[];

export type TaskCounts = Record<TaskState, number>;

/** What lists and live events carry about a queue. */
export interface QueueSummary {
  id: string;
  sourceName: string;
  cluster: string;
  createdAt: string;
  maxConcurrent: number | null;
  status: QueueDisplayStatus;
  taskCount: number;
  counts: TaskCounts;
  cancelledAt: string | null;
  /** A stored problem with the queue as a whole (e.g. its cluster is no longer configured). */
  error: string | null;
  /** Git commit of the source the task source ran from; null when it names none. */
  sourceCommit: string | null;
  /** Why the queue is not progressing although it is not finished; null when it is progressing. */
  blockedReason: string | null;
  /** How a finished queue ended, in words ("1 failed, 3 skipped because a dependency did not complete, 8 completed"); null before. */
  ending: string | null;
  /** Id of the family's first attempt (this queue's own id for a first attempt). */
  originalId: string;
  /** The queue this attempt was made from; null for a first attempt. */
  retryOf: string | null;
  /** 1, 2, 3… within the family. */
  attempt: number;
  /** What this attempt repeats; null for a first attempt. */
  origin: AttemptOrigin | null;
  /** The ScriptHut user who started it (a retry keeps it); null: the shared account. */
  owner: string | null;
}

export interface QueueEvent {
  type: 'queue';
  queue: QueueSummary;
}

export interface QueueTaskView {
  taskId: string;
  position: number;
  name: string;
  state: TaskState;
  spec: TaskSpec;
  /** What is (or will be) given to the backend, `~` resolved; `tag` is the latest submission's. */
  submit: Omit<SubmitSpec, 'tag'>;
  /** The task's job (state, scheduler id, exit code, final outcome); null before submission. */
  job: Job | null;
  /** Tasks of this queue it waits for (in a retry, the ones retried with it). */
  dependsOn: string[];
  /** 0 without dependencies, else one more than its deepest dependency. */
  level: number;
  /** Why it ended without a job of its own ("dependency prep failed (exit 3)"); null otherwise. */
  reason: string | null;
  /** This task in every attempt of the family that holds it, oldest first; exactly one `counts`. */
  attempts: TaskAttempt[];
}

/** One attempt of one task. */
export interface TaskAttempt {
  queueId: string;
  attempt: number;
  state: TaskState;
  /** How it ended when it did not complete ("ran out of memory"); null otherwise. */
  ended: string | null;
  /** The retry state its ending falls under; null when it completed or has not ended. */
  retryState: RetryState | null;
  /** The latest attempt holding the task: the one whose result stands. */
  counts: boolean;
}

/** One queue of the family, as the attempt list shows it. */
export interface QueueAttempt {
  id: string;
  attempt: number;
  status: QueueDisplayStatus;
  createdAt: string;
  taskCount: number;
  origin: AttemptOrigin | null;
}

export interface QueueDetail {
  queue: QueueSummary;
  tasks: QueueTaskView[];
  /** Every attempt of the family, oldest first (this queue among them). */
  attempts: QueueAttempt[];
  /** Every task of the family counted once, in the state of the attempt that counts for it. */
  counted: TaskCounts;
  /** Tasks of the family whose counted attempt ended in each retry state: what "Retry failed" can pick. */
  retryable: Record<RetryState, number>;
}

export interface TaskSourceInfo {
  name: string;
  cluster: string;
  command: string;
  maxConcurrent: number;
  description: string;
  /** False when its cluster is not running here (unknown, unsupported or misconfigured). */
  available: boolean;
}

export interface DryRunTask {
  taskId: string;
  name: string;
  spec: TaskSpec;
  submit: SubmitSpec;
  /** The exact job script, rendered for queue id `preview` and tag `preview`. */
  script: string;
}

export interface DryRunResult {
  source: string;
  cluster: string;
  /** `$HOME` on the cluster, as resolved for `~`. */
  home: string | null;
  taskCount: number;
  tasks: DryRunTask[];
}

export type TaskCancelResult =
  /** Never submitted; will never be. */
  | 'cancelled'
  /** The scheduler accepted the cancel; the job's final state arrives with the next polls. */
  | 'cancel_requested'
  | 'already_finished'
  /** The scheduler refused or could not be asked; `message` says why. */
  | 'failed';

export interface TaskCancelOutcome {
  taskId: string;
  result: TaskCancelResult;
  schedulerJobId: string | null;
  message: string | null;
}

export interface QueueCancelResult {
  queueId: string;
  tasks: TaskCancelOutcome[];
}

export type { LogChunk, LogKind };

/** A queue task's log: its job's log (see JobLog), or why there is none yet. */
export interface TaskLog extends Omit<JobLog, 'jobId'> {
  queueId: string;
  taskId: string;
  /** Null before the task has a job. */
  jobId: string | null;
}

/** The queue half of core, as the API sees it. */
export interface QueueApi {
  listTaskSources(): TaskSourceInfo[];
  /** `actor` (default: the shared account) runs the task source as themselves where they have a login of their own. */
  dryRun(sourceName: string, actor?: Actor): Promise<DryRunResult>;
  /** The queue is owned by `actor`'s user (null for the shared account) and submits as them. */
  run(sourceName: string, actor?: Actor): Promise<QueueSummary>;
  listQueues(): Promise<QueueSummary[]>;
  getQueue(queueId: string): Promise<QueueDetail>;
  /** FORBIDDEN unless `actor` owns the queue or is an admin (so for cancelTask, retryQueue and rerunQueue). */
  cancelQueue(queueId: string, actor?: Actor): Promise<QueueCancelResult>;
  cancelTask(queueId: string, taskId: string, actor?: Actor): Promise<TaskCancelOutcome>;
  /**
   * "Retry failed": a new attempt (a new queue of the family) of the tasks
   * whose counted attempt ended in one of `states`, their dependents, and
   * their dependencies that have not completed; `overrides` apply to the
   * tasks of the chosen states. CONFLICT while any attempt of the family is
   * unfinished, or when no task ended so.
   */
  retryQueue(queueId: string, request: RetryRequestInput, actor?: Actor): Promise<QueueSummary>;
  /** "Rerun all": a new attempt of every task of the family, each as its counted attempt ran it. */
  rerunQueue(queueId: string, actor?: Actor): Promise<QueueSummary>;
  /** The stored script of a task: the one submitted, or the one that will be. */
  taskScript(queueId: string, taskId: string): Promise<string>;
  taskLog(queueId: string, taskId: string, kind: LogKind, options?: { tail?: number }): Promise<TaskLog>;
  /** Whole file, bounded; OUTPUT_TOO_LARGE beyond the limit. */
  downloadTaskLog(queueId: string, taskId: string, kind: LogKind): Promise<TaskLog>;
  /** Appended text from `from` (a cursor of a read or chunk; null: the start) until the job has ended. */
  followTaskLog(queueId: string, taskId: string, kind: LogKind, options?: { signal?: AbortSignal; from?: string | null }): AsyncIterable<LogChunk>;
}
