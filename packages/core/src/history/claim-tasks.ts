import type { StoreContext } from './store-context';

/** A task of a queue, as `claimPendingTasks` takes and returns it. */
export interface TaskKey {
  queueId: string;
  taskId: string;
}

/**
 * Of `tasks`, those still `pending` in an `active` queue, locked for the
 * caller's transaction. On PostgreSQL the rows are taken `FOR UPDATE SKIP
 * LOCKED`: a task another instance's open transaction holds is left out
 * rather than waited for, and one it has already marked `submitting`
 * no longer matches. Call it inside the transaction that records the
 * intents, so claim and intent commit together. SQLite has one writer at a
 * time: the state check alone decides there.
 */
export async function claimPendingTasks(
  { db, exec }: StoreContext,
  tasks: readonly TaskKey[],
): Promise<TaskKey[]> {
  const byQueue = new Map<string, string[]>();
  for (const t of tasks) byQueue.set(t.queueId, [...(byQueue.get(t.queueId) ?? []), t.taskId]);
  return exec.write(async () => {
    const claimed: TaskKey[] = [];
    for (const [queueId, taskIds] of byQueue) {
      let query = db
        .selectFrom('tasks')
        .innerJoin('queues', 'queues.id', 'tasks.queue_id')
        .select(['tasks.queue_id', 'tasks.task_id'])
        .where('tasks.queue_id', '=', queueId)
        .where('tasks.task_id', 'in', taskIds)
        .where('tasks.state', '=', 'pending')
        .where('queues.status', '=', 'active');
      if (exec.kind === 'postgres') query = query.forUpdate('tasks').skipLocked();
      for (const row of await exec.all(query))
        claimed.push({ queueId: row.queue_id, taskId: row.task_id });
    }
    return claimed;
  });
}
