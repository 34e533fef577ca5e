import type { QueueRow, SubmissionRow, TaskRow } from './schema';
import type { AttemptOrigin } from '../domain/retry';
import type {
  JsonObject,
  QueueRecord,
  QueueStatus,
  SubmissionRecord,
  SubmissionState,
  TaskRecord,
  TaskState,
} from './types';

// Rows are only written through the mappers below, so state texts and JSON are trusted.

export const queueToRow = (queue: QueueRecord): QueueRow => ({
  id: queue.id,
  source_name: queue.sourceName,
  cluster: queue.cluster,
  created_at: queue.createdAt,
  max_concurrent: queue.maxConcurrent,
  log_dir: queue.logDir,
  account: queue.account,
  status: queue.status,
  cancelled_at: queue.cancelledAt,
  source_commit: queue.sourceCommit,
  error: queue.error,
  original_id: queue.originalId,
  retry_of: queue.retryOf,
  attempt: queue.attempt,
  origin_json: queue.origin === null ? null : JSON.stringify(queue.origin),
  owner: queue.owner,
});

export const rowToQueue = (row: QueueRow): QueueRecord => ({
  id: row.id,
  sourceName: row.source_name,
  cluster: row.cluster,
  createdAt: row.created_at,
  maxConcurrent: row.max_concurrent,
  logDir: row.log_dir,
  account: row.account,
  status: row.status as QueueStatus,
  cancelledAt: row.cancelled_at,
  sourceCommit: row.source_commit,
  error: row.error,
  originalId: row.original_id ?? row.id,
  retryOf: row.retry_of,
  attempt: row.attempt,
  origin: row.origin_json === null ? null : (JSON.parse(row.origin_json) as AttemptOrigin),
  owner: row.owner ?? null,
});

export const taskToRow = (task: TaskRecord): TaskRow => ({
  queue_id: task.queueId,
  task_id: task.taskId,
  position: task.position,
  name: task.name,
  spec_json: JSON.stringify(task.spec),
  script: task.script,
  state: task.state,
  job_id: task.jobId,
  depends_on_json: JSON.stringify(task.dependsOn),
  reason: task.reason,
});

export const rowToTask = (row: TaskRow): TaskRecord => ({
  queueId: row.queue_id,
  taskId: row.task_id,
  position: row.position,
  name: row.name,
  spec: JSON.parse(row.spec_json) as JsonObject,
  script: row.script,
  state: row.state as TaskState,
  jobId: row.job_id,
  dependsOn: JSON.parse(row.depends_on_json) as string[],
  reason: row.reason,
});

export const rowToSubmission = (row: SubmissionRow): SubmissionRecord => ({
  id: row.id,
  queueId: row.queue_id,
  taskId: row.task_id,
  tag: row.tag,
  cluster: row.cluster,
  state: row.state as SubmissionState,
  schedulerJobId: row.scheduler_job_id,
  message: row.message,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
