import type { Job } from '../domain/job';
import type { RetryState } from '../domain/retry';
import type { TaskState } from '../history/types';

type EndingJob = Pick<Job, 'outcome' | 'exitCode' | 'signal' | 'schedulerState'> | null;

/**
 * Which retry state a task's ending falls under; null when it completed or
 * has not ended. A timeout and an out-of-memory are told apart from other
 * failures by the job's final outcome.
 */
export function retryStateOf(state: TaskState, job: EndingJob): RetryState | null {
  switch (state) {
    case 'skipped':
      return 'skipped';
    case 'cancelled':
      return 'cancelled';
    case 'unknown':
      return 'lost';
    case 'failed':
      if (job?.outcome === 'TIMEOUT') return 'timed_out';
      if (job?.outcome === 'OUT_OF_MEMORY') return 'out_of_memory';
      return 'failed';
    case 'pending':
    case 'submitting':
    case 'submitted':
    case 'running':
    case 'finishing':
    case 'completed':
      return null;
  }
}

/** How a task that did not complete ended, as words after its id: "ran out of memory", "failed (exit 3)". */
export function endedWords(state: TaskState, job: EndingJob): string {
  switch (state) {
    case 'cancelled':
      return 'was cancelled';
    case 'unknown':
      return 'was lost';
    case 'skipped':
      return 'was skipped';
    case 'failed':
      return failedWords(job);
    case 'pending':
    case 'submitting':
    case 'submitted':
    case 'running':
    case 'finishing':
    case 'completed':
      return `is ${state}`;
  }
}

function failedWords(job: EndingJob): string {
  if (job?.schedulerState === 'REJECTED') return 'was rejected by the scheduler';
  switch (job?.outcome) {
    case 'TIMEOUT':
      return 'timed out';
    case 'OUT_OF_MEMORY':
      return 'ran out of memory';
    case 'NODE_FAIL':
      return 'failed (node failure)';
    case 'PREEMPTED':
      return 'was preempted';
    case 'BOOT_FAIL':
      return 'failed (boot failure)';
    case 'DEADLINE':
      return 'reached its deadline';
    default:
      if (job?.signal) return `failed (signal ${job.signal})`;
      if (job?.exitCode) return `failed (exit ${job.exitCode})`;
      return 'failed';
  }
}
