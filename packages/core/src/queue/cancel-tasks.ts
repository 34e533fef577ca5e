import type { TaskRecord } from '../history/types';
import type { QueueCluster } from './queue-cluster';
import { TERMINAL_TASK_STATES } from './queue-status';
import type { QueueStore } from './queue-store';
import type { TaskCancelOutcome } from './queue-types';

/**
 * Cancels tasks of one queue: pending ones become `cancelled` without ever
 * being submitted; queued and running jobs are cancelled on the scheduler in
 * one call (their final state arrives with the next polls). Returns one
 * outcome per task, in the order given. `queueCancelled` says whether a job
 * found later for an unknown submission will be cancelled automatically.
 */
export async function cancelTasks(
  store: QueueStore,
  cluster: QueueCluster | undefined,
  queueId: string,
  tasks: readonly TaskRecord[],
  queueCancelled: boolean,
): Promise<TaskCancelOutcome[]> {
  const outcomes = new Map<string, TaskCancelOutcome>();
  const live: { taskId: string; schedulerJobId: string }[] = [];
  const result = (t: TaskRecord, r: TaskCancelOutcome['result'], message: string | null, schedulerJobId: string | null = null): void => {
    outcomes.set(t.taskId, { taskId: t.taskId, result: r, schedulerJobId, message });
  };
  for (const t of tasks) {
    if (t.state === 'pending') {
      await store.updateTask(queueId, t.taskId, { state: 'cancelled' });
      result(t, 'cancelled', null);
    } else if (TERMINAL_TASK_STATES.has(t.state)) {
      result(t, 'already_finished', null);
    } else if (t.state === 'submitting') {
      result(
        t,
        'failed',
        queueCancelled
          ? 'its submission has an unknown outcome; if the job turns up it will be cancelled'
          : 'its submission has an unknown outcome; cancel it once its job is found',
      );
    } else {
      const job = t.jobId === null ? null : await store.getJob(t.jobId);
      if (!job?.schedulerJobId) result(t, 'failed', 'no scheduler job is recorded for this task');
      else if (t.state === 'finishing') result(t, 'already_finished', 'the job has left the queue; its final state is being confirmed', job.schedulerJobId);
      else live.push({ taskId: t.taskId, schedulerJobId: job.schedulerJobId });
    }
  }
  if (live.length > 0) {
    const byTask = new Map(tasks.map((t) => [t.taskId, t]));
    if (!cluster) {
      for (const l of live) result(byTask.get(l.taskId)!, 'failed', 'its cluster is not available here', l.schedulerJobId);
    } else {
      try {
        const answers = new Map((await cluster.backend.cancel(live.map((l) => l.schedulerJobId))).map((a) => [a.schedulerJobId, a]));
        for (const l of live) {
          const a = answers.get(l.schedulerJobId);
          if (a?.ok) result(byTask.get(l.taskId)!, 'cancel_requested', a.message, l.schedulerJobId);
          else result(byTask.get(l.taskId)!, 'failed', a?.message ?? 'the scheduler gave no answer for this job', l.schedulerJobId);
        }
      } catch (e) {
        const message = `the scheduler could not be asked: ${e instanceof Error ? e.message : String(e)}`;
        for (const l of live) result(byTask.get(l.taskId)!, 'failed', message, l.schedulerJobId);
      }
      cluster.monitor.requestRefresh();
    }
  }
  return tasks.map((t) => outcomes.get(t.taskId)!);
}
