import type { Job } from '../domain/job';
import type { TaskKey } from '../history/claim-tasks';
import type { QueueOverview } from '../history/queue-counts';
import type {
  NewQueue,
  NewTask,
  QueuePatch,
  QueueRecord,
  QueueStatus,
  QueueWithTasks,
  SubmissionIntent,
  SubmissionOutcome,
  SubmissionRecord,
  TaskPatch,
  TaskRecord,
} from '../history/types';

/** What the queue manager needs from the history store (HistoryStore implements it). */
export interface QueueStore {
  /** Runs `body` as one write transaction: the store calls inside it commit (and fsync) once, together. */
  transaction<T>(body: () => Promise<T>): Promise<T>;
  createQueue(queue: NewQueue, tasks: readonly NewTask[]): Promise<QueueWithTasks>;
  getQueue(id: string): Promise<QueueWithTasks | null>;
  listQueues(filter?: { cluster?: string; statuses?: readonly QueueStatus[]; originalId?: string }): Promise<QueueRecord[]>;
  /** Every queue with its task counts per state, without loading tasks (see queueOverview). */
  queueOverview(): Promise<QueueOverview>;
  updateQueue(id: string, patch: QueuePatch): Promise<QueueRecord>;
  updateTask(queueId: string, taskId: string, patch: TaskPatch): Promise<TaskRecord>;
  recordSubmissionIntent(intent: SubmissionIntent): Promise<SubmissionRecord>;
  recordSubmissionOutcome(outcome: SubmissionOutcome): Promise<SubmissionRecord>;
  /**
   * Closes an open submission the scheduler has no trace of (state
   * `rejected` with `message`) and puts its task back to `pending`, in one
   * transaction, so the task can be submitted again under a new tag.
   */
  releaseSubmission(tag: string, message: string): Promise<SubmissionRecord>;
  /** The tasks of `tasks` still pending in an active queue, locked for the caller's transaction (PostgreSQL: FOR UPDATE SKIP LOCKED). */
  claimPendingTasks(tasks: readonly TaskKey[]): Promise<TaskKey[]>;
  pendingIntents(cluster?: string): Promise<SubmissionRecord[]>;
  getJob(id: string): Promise<Job | null>;
  /** Non-terminal jobs of a cluster (every source). */
  activeJobs(cluster: string): Promise<Job[]>;
}
