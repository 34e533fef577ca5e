import type { Job } from '../domain/job';
import type { QueueWithTasks } from '../history/types';
import type { SubmissionRecord } from '../history/types';
import { blockedReason, blockedReasonOf, finalStatus, IN_FLIGHT_TASK_STATES, summarize, summarizeCounts } from './queue-status';
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

/**
 * Every queue's summary, newest first, equal to `loadSummary` of each but
 * without loading any queue's tasks: counts come from one grouped query
 * (`queueOverview`), open submissions are read once for all queues.
 */
export async function listSummaries(store: QueueStore): Promise<QueueSummary[]> {
  const { queues, counts, waiting } = await store.queueOverview();
  const active = queues.filter((q) => q.status === 'active' && (counts.get(q.id)?.submitting ?? 0) > 0);
  const open = active.length > 0 ? byQueue(await store.pendingIntents()) : new Map<string, SubmissionRecord[]>();
  return queues.map((queue) => {
    const perState = counts.get(queue.id) ?? {};
    if (queue.status !== 'active') return summarizeCounts(queue, perState, null);
    const submissions = (perState.submitting ?? 0) > 0 ? (open.get(queue.id) ?? []) : [];
    const groups = waiting.get(queue.id) ?? [];
    const inFlight = groups.reduce((n, g) => n + g.tasks, 0);
    const jobs = groups.map((g) => (g.jobState === null ? undefined : { state: g.jobState, reason: g.reason }));
    return summarizeCounts(queue, perState, blockedReasonOf(submissions, inFlight, jobs));
  });
}

function byQueue(submissions: readonly SubmissionRecord[]): Map<string, SubmissionRecord[]> {
  const map = new Map<string, SubmissionRecord[]>();
  for (const s of submissions) {
    const list = map.get(s.queueId);
    if (list) list.push(s);
    else map.set(s.queueId, [s]);
  }
  return map;
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
