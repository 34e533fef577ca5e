import type { ClusterStatus } from '../domain/cluster';
import { isTerminal, type Job } from '../domain/job';
import type { NotificationEventType, NotificationSeverity } from '../domain/notification';
import type { SourceStatus } from '../domain/source';
import type { JobTransition } from '../history/store-hooks';
import type { QueueRecord, TaskRecord } from '../history/types';
import type { NewNotificationEvent } from './outbox-types';

/**
 * Pure: which notification events a state change is. Each event carries a
 * dedupe key naming the fact, so recording it twice (a poll repeating a
 * final state, a restart) records it once. `browser` is filled in by routing.
 */
export type DetectedEvent = Omit<NewNotificationEvent, 'browser'>;

/** The task source of a queue, for filters; null when the queue is not stored. */
export type QueueSourceLookup = (queueId: string) => string | null;

const FAILURE_TYPES = {
  OUT_OF_MEMORY: 'job.out_of_memory',
  TIMEOUT: 'job.timed_out',
  DEADLINE: 'job.timed_out',
  LOST: 'job.lost',
} as const satisfies Partial<Record<NonNullable<Job['outcome']>, NotificationEventType>>;

const FAILURE_WORDS = {
  'job.failed': 'failed',
  'job.out_of_memory': 'ran out of memory',
  'job.timed_out': 'hit its time limit',
  'job.lost': 'was lost (the scheduler has no record of it)',
} as const;

export type JobEventType = keyof typeof FAILURE_WORDS;

function failureType(job: Job): JobEventType | null {
  if (job.outcome === 'CANCELLED') return null;
  if (job.state === 'unknown') return 'job.lost';
  if (job.state !== 'failed') return null;
  return (job.outcome !== null && job.outcome in FAILURE_TYPES ? FAILURE_TYPES[job.outcome as keyof typeof FAILURE_TYPES] : 'job.failed');
}

/**
 * A job that reached a failed or lost end in this write. A job first seen
 * already ended counts only when it ended after `since` (the notifier's
 * start), so old accounting records do not notify.
 */
export function jobEvents(transitions: readonly JobTransition[], since: Date, sourceOf: QueueSourceLookup): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  for (const { previous, job } of transitions) {
    const type = failureType(job);
    if (type === null) continue;
    if (previous !== null && isTerminal(previous.state)) continue;
    if (previous === null && job.source === 'external' && (job.finishTime ?? job.updatedAt) < since.toISOString()) continue;
    const source = job.queueId === null ? null : sourceOf(job.queueId);
    const what = job.source === 'queue' ? `Task "${job.name}"` : `Job ${job.schedulerJobId ?? job.id} "${job.name}"`;
    const exit = job.exitCode !== null && job.exitCode !== 0 ? ` (exit ${job.exitCode})` : job.signal !== null ? ` (signal ${job.signal})` : '';
    const lines = [
      job.reason ?? job.error ?? job.schedulerState ?? job.outcome ?? 'no reason given',
      source !== null ? `Task source ${source}, queue ${job.queueId}` : null,
      `Cluster ${job.cluster}, user ${job.user}`,
    ].filter((l): l is string => l !== null);
    events.push({
      dedupeKey: `${type}:${job.id}:${job.schedulerJobId ?? ''}`,
      type,
      severity: 'error',
      title: `${what} ${FAILURE_WORDS[type]} on ${job.cluster}${exit}`,
      text: lines.join('\n'),
      cluster: job.cluster,
      queueId: job.queueId,
      taskSource: source,
      user: job.user,
      jobId: job.id,
      path: `/jobs/${encodeURIComponent(job.id)}`,
      data: {
        job: {
          id: job.id,
          name: job.name,
          schedulerJobId: job.schedulerJobId,
          state: job.state,
          outcome: job.outcome,
          exitCode: job.exitCode,
          signal: job.signal,
          reason: job.reason,
          user: job.user,
          queueId: job.queueId,
          taskId: job.taskId,
        },
      },
    });
  }
  return events;
}

/** A queue that reached completed or failed, with its counts and the first failing tasks. */
export function queueFinishedEvent(queue: QueueRecord, tasks: readonly TaskRecord[], user: string | null): DetectedEvent | null {
  if (queue.status !== 'completed' && queue.status !== 'failed') return null;
  const counts: Record<string, number> = {};
  for (const t of tasks) counts[t.state] = (counts[t.state] ?? 0) + 1;
  const countText = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  const failing = tasks.filter((t) => t.state !== 'completed' && t.state !== 'skipped');
  const severity: NotificationSeverity = queue.status === 'completed' ? 'success' : 'error';
  const sample = failing.slice(0, 5).map((t) => `${t.name} (${t.state})`);
  return {
    dedupeKey: `queue.finished:${queue.id}`,
    type: 'queue.finished',
    severity,
    title: `Queue ${queue.sourceName} on ${queue.cluster} ${queue.status}: ${countText || 'no tasks'}`,
    text: [
      `${tasks.length} task(s): ${countText || 'none'}`,
      sample.length > 0 ? `Not completed: ${sample.join(', ')}${failing.length > sample.length ? `, and ${failing.length - sample.length} more` : ''}` : null,
    ]
      .filter((l): l is string => l !== null)
      .join('\n'),
    cluster: queue.cluster,
    queueId: queue.id,
    taskSource: queue.sourceName,
    user,
    jobId: null,
    path: `/queues/${encodeURIComponent(queue.id)}`,
    data: {
      queue: { id: queue.id, taskSource: queue.sourceName, cluster: queue.cluster, status: queue.status, taskCount: tasks.length, counts },
      failedTasks: failing.slice(0, 20).map((t) => ({ taskId: t.taskId, name: t.name, state: t.state })),
    },
  };
}

/** A job (of a queue, or external) that has waited `minutes` with a reason that will not clear. */
export function stalledEvent(job: Job, reason: string, minutes: number, source: string | null): DetectedEvent {
  const subject = job.queueId !== null ? `Queue ${source ?? job.queueId} on ${job.cluster}` : `Job ${job.schedulerJobId ?? job.id} on ${job.cluster}`;
  return {
    dedupeKey: `queue.stalled:${job.queueId ?? job.id}:${minutes}`,
    type: 'queue.stalled',
    severity: 'warning',
    title: `${subject} is stalled: "${job.name}" has waited over ${minutes} min`,
    text: `${reason}\nThis reason does not clear by waiting: cancel the task and fix its request.`,
    cluster: job.cluster,
    queueId: job.queueId,
    taskSource: source,
    user: job.user,
    jobId: job.id,
    path: job.queueId !== null ? `/queues/${encodeURIComponent(job.queueId)}` : `/jobs/${encodeURIComponent(job.id)}`,
    data: { afterMinutes: minutes, reason, job: { id: job.id, name: job.name, schedulerJobId: job.schedulerJobId, queueId: job.queueId, taskId: job.taskId } },
  };
}

/** A cluster unreachable since `downSince` for at least `minutes`. */
export function clusterDownEvent(status: ClusterStatus, downSince: Date, minutes: number): DetectedEvent {
  return {
    dedupeKey: `cluster.unreachable:${status.name}:${downSince.toISOString()}:${minutes}`,
    type: 'cluster.unreachable',
    severity: 'error',
    title: `Cluster ${status.name} has been unreachable for over ${minutes} min`,
    text: `${status.lastError ?? status.connection}\nJobs on it show their last known state until it answers again.`,
    cluster: status.name,
    queueId: null,
    taskSource: null,
    user: null,
    jobId: null,
    path: '/',
    data: { cluster: status.name, connection: status.connection, downSince: downSince.toISOString(), afterMinutes: minutes, lastError: status.lastError },
  };
}

export function clusterBackEvent(status: ClusterStatus, downSince: Date, now: Date): DetectedEvent {
  const minutes = Math.round((now.getTime() - downSince.getTime()) / 60_000);
  return {
    dedupeKey: `cluster.recovered:${status.name}:${downSince.toISOString()}`,
    type: 'cluster.recovered',
    severity: 'success',
    title: `Cluster ${status.name} is reachable again (after ${minutes} min)`,
    text: `Polling resumed at ${now.toISOString()}.`,
    cluster: status.name,
    queueId: null,
    taskSource: null,
    user: null,
    jobId: null,
    path: '/',
    data: { cluster: status.name, downSince: downSince.toISOString(), downMinutes: minutes },
  };
}

/** The first failed sync after a good one (or since the checkout was made): one event per failure streak. */
export function sourceFailedEvent(status: SourceStatus): DetectedEvent {
  return {
    dedupeKey: `source.sync_failed:${status.name}:${status.lastSyncAt ?? 'never'}`,
    type: 'source.sync_failed',
    severity: 'error',
    title: `Git source ${status.name} cannot sync (${status.lastErrorKind ?? 'error'})`,
    text: `${status.lastError ?? 'unknown error'}\n${withoutCredentials(status.url)} (${status.branch}); the last good checkout stays in use.`,
    cluster: null,
    queueId: null,
    taskSource: null,
    user: null,
    jobId: null,
    path: '/sources',
    data: { source: status.name, url: withoutCredentials(status.url), branch: status.branch, kind: status.lastErrorKind, error: status.lastError, lastSyncAt: status.lastSyncAt },
  };
}

/** A URL with any `user:password@` removed (a token pasted into a git URL must not travel in a message). */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}
