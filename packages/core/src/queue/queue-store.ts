import type { Job } from '../domain/job';
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
  transaction<T>(body: () => T): T;
  createQueue(queue: NewQueue, tasks: readonly NewTask[]): QueueWithTasks;
  getQueue(id: string): QueueWithTasks | null;
  listQueues(filter?: { cluster?: string; statuses?: readonly QueueStatus[]; originalId?: string }): QueueRecord[];
  /** Every queue with its task counts per state, without loading tasks (see queueOverview). */
  queueOverview(): QueueOverview;
  updateQueue(id: string, patch: QueuePatch): QueueRecord;
  updateTask(queueId: string, taskId: string, patch: TaskPatch): TaskRecord;
  recordSubmissionIntent(intent: SubmissionIntent): SubmissionRecord;
  recordSubmissionOutcome(outcome: SubmissionOutcome): SubmissionRecord;
  /**
   * Closes an open submission the scheduler has no trace of (state
   * `rejected` with `message`) and puts its task back to `pending`, in one
   * transaction, so the task can be submitted again under a new tag.
   */
  releaseSubmission(tag: string, message: string): SubmissionRecord;
  pendingIntents(cluster?: string): SubmissionRecord[];
  getJob(id: string): Job | null;
  /** Non-terminal jobs of a cluster (every source). */
  activeJobs(cluster: string): Job[];
}
