import type { JobState } from '../domain/job';
import { rowToQueue } from './queue-rows';
import type { StoreContext } from './store-context';
import type { QueueRecord, TaskState } from './types';

/** Task states whose job can hold a queue up (`submitting` has no job yet; its open submission is looked at instead). */
const WAITING_ON_JOB_STATES = ['submitted', 'running', 'finishing'] as const satisfies readonly TaskState[];

/** In-flight tasks of an active queue whose jobs are in the same state with the same reason. */
export interface WaitingJobGroup {
  /** Null when the task has no job row (not linked yet, or pruned). */
  jobState: JobState | null;
  reason: string | null;
  tasks: number;
}

/** Every queue with its task counts, read from one snapshot without loading any task. */
export interface QueueOverview {
  /** Newest first, as `listQueues`. */
  queues: QueueRecord[];
  /** Tasks per state of each queue; a queue without tasks, and a state no task is in, are absent. */
  counts: Map<string, Partial<Record<TaskState, number>>>;
  /**
   * Active queues only: their `submitted`/`running`/`finishing` tasks grouped
   * by their job's state and reason, ordered by the first task (position) of
   * each group. Absent for a queue without such tasks.
   */
  waiting: Map<string, WaitingJobGroup[]>;
}

/**
 * The queue list's data in one read transaction: the queue rows, one
 * `GROUP BY queue_id, state` over tasks, and one grouped join of active
 * queues' in-flight tasks with their jobs (for blocked reasons). Its cost
 * grows with the number of tasks but never builds a task record.
 */
export function queueOverview({ db, exec }: StoreContext): Promise<QueueOverview> {
  return exec.read(async () => {
    const queues = (
      await exec.all(db.selectFrom('queues').selectAll().orderBy('created_at', 'desc').orderBy('id'))
    ).map(rowToQueue);
    const countRows = await exec.all(
      db
        .selectFrom('tasks')
        .select((eb) => ['queue_id', 'state', eb.fn.countAll<number>().as('tasks')])
        .groupBy(['queue_id', 'state']),
    );
    const counts = new Map<string, Partial<Record<TaskState, number>>>();
    for (const row of countRows) {
      let perState = counts.get(row.queue_id);
      if (perState === undefined) counts.set(row.queue_id, (perState = {}));
      perState[row.state as TaskState] = Number(row.tasks);
    }
    const waitingRows = await exec.all(
      db
        .selectFrom('tasks')
        .leftJoin('jobs', 'jobs.id', 'tasks.job_id')
        .select((eb) => [
          'tasks.queue_id as queue_id',
          'jobs.state as job_state',
          'jobs.reason as reason',
          eb.fn.countAll<number>().as('tasks'),
          eb.fn.min('tasks.position').as('first_position'),
        ])
        // Through the tasks' primary key, one active queue at a time: finished queues' tasks are never read.
        .where('tasks.queue_id', 'in', (eb) => eb.selectFrom('queues').select('id').where('status', '=', 'active'))
        .where('tasks.state', 'in', WAITING_ON_JOB_STATES)
        .groupBy(['tasks.queue_id', 'jobs.state', 'jobs.reason'])
        .orderBy('tasks.queue_id')
        .orderBy('first_position'),
    );
    const waiting = new Map<string, WaitingJobGroup[]>();
    for (const row of waitingRows) {
      let groups = waiting.get(row.queue_id);
      if (groups === undefined) waiting.set(row.queue_id, (groups = []));
      groups.push({ jobState: row.job_state as JobState | null, reason: row.reason, tasks: Number(row.tasks) });
    }
    return { queues, counts, waiting };
  });
}
