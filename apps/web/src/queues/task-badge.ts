import type { Job } from '@scripthut/core/domain';
import { jobBadge, type BadgeView } from '../format/job-badge';
import type { QueueStatus, TaskState } from './queue-types';

/** What the task row knows beside its state and job. */
export interface TaskContext {
  /** Why a skipped task was skipped ("dependency prep failed (exit 3)"). */
  reason?: string | null;
  /** Tasks of the queue it waits for. */
  dependsOn?: readonly string[];
}

/**
 * How a queue task stands, as precisely as its job allows: before submission
 * from the task's own state, afterwards from the job (exit code, final
 * scheduler outcome, pending reason), which may be newer than the task row.
 */
export function taskBadge(state: TaskState, job: Job | null, context: TaskContext = {}): BadgeView {
  switch (state) {
    case 'pending':
      return {
        label: 'Pending',
        tone: 'neutral',
        title:
          context.dependsOn && context.dependsOn.length > 0
            ? `Waiting for ${context.dependsOn.join(', ')} to complete, then for a free slot`
            : 'Waiting for a free slot under the queue’s max_concurrent',
      };
    case 'submitting':
      return { label: 'Submitting…', tone: 'info', title: 'Being handed to the scheduler' };
    case 'skipped':
      return {
        label: 'Skipped',
        tone: 'neutral',
        title: context.reason ?? 'A dependency did not complete; the task was never submitted',
      };
    case 'cancelled':
      if (!job?.schedulerJobId) {
        return { label: 'Cancelled', tone: 'warning', title: 'Cancelled before it was submitted' };
      }
      return job.state === 'failed'
        ? jobBadge(job)
        : { label: 'Cancelled', tone: 'warning', title: null };
    case 'submitted':
    case 'running':
    case 'finishing':
    case 'completed':
    case 'failed':
    case 'unknown':
      if (!job) return { label: FALLBACK_LABELS[state], tone: 'neutral', title: null };
      if (job.schedulerState === 'REJECTED') {
        return {
          label: 'Rejected by the scheduler',
          tone: 'danger',
          title: job.reason ?? job.error,
        };
      }
      return jobBadge(job);
  }
}

const FALLBACK_LABELS = {
  submitted: 'Queued',
  running: 'Running',
  finishing: 'Finishing…',
  completed: 'Completed',
  failed: 'Failed',
  unknown: 'Unknown',
} as const satisfies Partial<Record<TaskState, string>>;

export const QUEUE_STATUS_BADGES = {
  pending: { label: 'Pending', tone: 'neutral', title: 'No task has been submitted yet' },
  running: { label: 'Running', tone: 'progress', title: null },
  completed: { label: 'Completed', tone: 'success', title: 'Every task completed' },
  failed: { label: 'Failed', tone: 'danger', title: 'At least one task did not complete' },
  cancelled: { label: 'Cancelled', tone: 'warning', title: 'Cancelled by a user' },
} as const satisfies Record<QueueStatus, BadgeView>;

const FINISHED_TASK_STATES = {
  pending: false,
  submitting: false,
  submitted: false,
  running: false,
  finishing: false,
  completed: true,
  failed: true,
  unknown: true,
  cancelled: true,
  skipped: true,
} as const satisfies Record<TaskState, boolean>;

/** Mirrors core's TERMINAL_TASK_STATES: nothing more will happen to the task. */
export const isFinishedTask = (state: TaskState): boolean => FINISHED_TASK_STATES[state];

export const isFinishedQueue = (status: QueueStatus): boolean =>
  status === 'completed' || status === 'failed' || status === 'cancelled';
