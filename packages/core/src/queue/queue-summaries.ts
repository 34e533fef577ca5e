import type { Job } from '../domain/job';
import type { QueueWithTasks } from '../history/types';
import { blockedReason, finalStatus, IN_FLIGHT_TASK_STATES, summarize } from './queue-status';
import type { QueueStore } from './queue-store';
import type { QueueSummary } from './queue-types';

/** The summary of a stored queue, with its blocked reason computed from its in-flight jobs and open submissions. */
export async function loadSummary(store: QueueStore, stored: QueueWithTasks): Promise<QueueSummary> {
  const { queue, tasks } = stored;
  if (queue.status !== 'active') return summarize(queue, tasks, null);
  const jobs = new Map<string, Job>();
  for (const t of tasks) {
    if (t.jobId === null || !IN_FLIGHT_TASK_STATES.has(t.state)) continue;
    const job = await store.getJob(t.jobId);
    if (job) jobs.set(job.id, job);
  }
  const open = tasks.some((t) => t.state === 'submitting')
    ? (await store.pendingIntents(queue.cluster)).filter((s) => s.queueId === queue.id)
    : [];
  return summarize(queue, tasks, blockedReason(tasks, jobs, open));
}

/** Persists the terminal status of an active queue whose tasks have all ended; returns the queue as stored. */
export async function settleQueueStatus(
  store: QueueStore,
  stored: QueueWithTasks,
): Promise<QueueWithTasks> {
  if (stored.queue.status !== 'active') return stored;
  const final = finalStatus(stored.tasks);
  if (final === null) return stored;
  return { ...stored, queue: await store.updateQueue(stored.queue.id, { status: final }) };
}
