import { CoreError } from '../runtime/errors';
import { canonicalTime } from './job-rows';
import { queueToRow, rowToQueue, rowToTask, taskToRow } from './queue-rows';
import type { StoreContext } from './store-context';
import type {
  NewQueue,
  NewTask,
  QueuePatch,
  QueueRecord,
  QueueStatus,
  QueueWithTasks,
  TaskPatch,
  TaskRecord,
} from './types';

const TASK_CHUNK_ROWS = 1_000;

/** Queue and all its tasks in one transaction. A duplicate queue id is a CONFLICT. */
export async function createQueue(
  ctx: StoreContext,
  queue: NewQueue,
  tasks: readonly NewTask[],
): Promise<QueueWithTasks> {
  const record: QueueRecord = {
    ...queue,
    createdAt: canonicalTime(queue.createdAt, `queue ${queue.id} createdAt`),
    status: queue.status ?? 'active',
    cancelledAt: null,
    error: null,
    originalId: queue.originalId ?? queue.id,
    retryOf: queue.retryOf ?? null,
    attempt: queue.attempt ?? 1,
    origin: queue.origin ?? null,
    owner: queue.owner ?? null,
  };
  const taskRecords: TaskRecord[] = tasks.map((task) => ({
    ...task,
    queueId: queue.id,
    state: task.state ?? 'pending',
    jobId: task.jobId ?? null,
    dependsOn: task.dependsOn ?? [],
    reason: task.reason ?? null,
  }));
  const { db, exec } = ctx;
  await exec.write(async () => {
    await exec.run(db.insertInto('queues').values(queueToRow(record)));
    for (let start = 0; start < taskRecords.length; start += TASK_CHUNK_ROWS) {
      const chunk = taskRecords.slice(start, start + TASK_CHUNK_ROWS).map(taskToRow);
      await exec.run(db.insertInto('tasks').values(chunk));
    }
  });
  return { queue: record, tasks: [...taskRecords].sort((a, b) => a.position - b.position) };
}

export async function getQueue(
  { db, exec }: StoreContext,
  id: string,
): Promise<QueueWithTasks | null> {
  return exec.read(async () => {
    const row = await exec.first(db.selectFrom('queues').selectAll().where('id', '=', id));
    if (row === undefined) return null;
    const tasks = await exec.all(
      db
        .selectFrom('tasks')
        .selectAll()
        .where('queue_id', '=', id)
        .orderBy('position')
        .orderBy('task_id'),
    );
    return { queue: rowToQueue(row), tasks: tasks.map(rowToTask) };
  });
}

export interface ListQueuesFilter {
  cluster?: string;
  statuses?: readonly QueueStatus[];
  /** The attempts of one family: the queue with this id and every retry or rerun of it. */
  originalId?: string;
}

/** Newest first. */
export async function listQueues(
  { db, exec }: StoreContext,
  filter: ListQueuesFilter = {},
): Promise<QueueRecord[]> {
  let query = db.selectFrom('queues').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (filter.cluster !== undefined) query = query.where('cluster', '=', filter.cluster);
  if (filter.originalId !== undefined) query = query.where('original_id', '=', filter.originalId);
  if (filter.statuses !== undefined) {
    if (filter.statuses.length === 0) return [];
    query = query.where('status', 'in', filter.statuses);
  }
  const rows = await exec.read(() => exec.all(query));
  return rows.map(rowToQueue);
}

/** Applies the patch and returns the updated queue; NOT_FOUND when there is no such queue. */
export async function updateQueue(
  { db, exec, hooks }: StoreContext,
  id: string,
  patch: QueuePatch,
): Promise<QueueRecord> {
  const cancelledAt =
    patch.cancelledAt == null
      ? patch.cancelledAt
      : canonicalTime(patch.cancelledAt, `queue ${id} cancelledAt`);
  return exec.write(async () => {
    const set = {
      status: patch.status,
      cancelled_at: cancelledAt,
      error: patch.error,
      source_commit: patch.sourceCommit,
    };
    const observer = hooks?.current;
    const before =
      observer?.queueStatusChanged && patch.status !== undefined
        ? await exec.first(db.selectFrom('queues').select('status').where('id', '=', id))
        : undefined;
    if (Object.values(set).some((value) => value !== undefined)) {
      await exec.run(db.updateTable('queues').set(set).where('id', '=', id));
    }
    const row = await exec.first(db.selectFrom('queues').selectAll().where('id', '=', id));
    if (row === undefined) throw new CoreError('NOT_FOUND', `No queue ${id}`, { queueId: id });
    const queue = rowToQueue(row);
    if (observer && before !== undefined && before.status !== queue.status) {
      const tasks = await exec.all(
        db.selectFrom('tasks').selectAll().where('queue_id', '=', id).orderBy('position'),
      );
      await observer.queueStatusChanged?.(
        queue,
        before.status as QueueRecord['status'],
        tasks.map(rowToTask),
      );
    }
    return queue;
  });
}

/** Applies the patch and returns the updated task; NOT_FOUND when there is no such task. */
export async function updateTask(
  ctx: StoreContext,
  queueId: string,
  taskId: string,
  patch: TaskPatch,
): Promise<TaskRecord> {
  return ctx.exec.write(async () => applyTaskPatch(ctx, queueId, taskId, patch));
}

/** The body of `updateTask`, for callers already inside a write transaction. */
export async function applyTaskPatch(
  { db, exec }: StoreContext,
  queueId: string,
  taskId: string,
  patch: TaskPatch,
): Promise<TaskRecord> {
  const set = {
    state: patch.state,
    job_id: patch.jobId,
    script: patch.script,
    reason: patch.reason,
  };
  if (Object.values(set).some((value) => value !== undefined)) {
    await exec.run(
      db
        .updateTable('tasks')
        .set(set)
        .where('queue_id', '=', queueId)
        .where('task_id', '=', taskId),
    );
  }
  const row = await exec.first(
    db
      .selectFrom('tasks')
      .selectAll()
      .where('queue_id', '=', queueId)
      .where('task_id', '=', taskId),
  );
  if (row === undefined)
    throw new CoreError('NOT_FOUND', `No task ${taskId} in queue ${queueId}`, { queueId, taskId });
  return rowToTask(row);
}
