import type { Job, JobOutcome, JobState } from '@scripthut/core/domain';

export type BadgeTone = 'neutral' | 'info' | 'progress' | 'success' | 'warning' | 'danger';

export interface BadgeView {
  label: string;
  tone: BadgeTone;
  /** Longer explanation for a tooltip; null when the label says it all. */
  title: string | null;
}

type BadgeJob = Pick<
  Job,
  | 'state'
  | 'outcome'
  | 'exitCode'
  | 'signal'
  | 'reason'
  | 'cancelledBy'
  | 'schedulerState'
  | 'error'
>;

const SIGNAL_NAMES: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  6: 'SIGABRT',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  15: 'SIGTERM',
};

/** The usual name of a signal (`SIGKILL`); null for one without a common name. */
export const signalName = (signal: number): string | null => SIGNAL_NAMES[signal] ?? null;

/** `signal 9 (SIGKILL)`, or `signal 40` when it has no common name (never `signal 40 (signal 40)`). */
export function signalText(signal: number): string {
  const name = signalName(signal);
  return name === null ? `signal ${signal}` : `signal ${signal} (${name})`;
}

/** Failure outcomes with a fixed label; FAILED and CANCELLED depend on more fields. */
const FAILURE_LABELS = {
  TIMEOUT: 'Timed out',
  OUT_OF_MEMORY: 'Out of memory',
  NODE_FAIL: 'Node failure',
  PREEMPTED: 'Preempted',
  BOOT_FAIL: 'Boot failure',
  DEADLINE: 'Deadline reached',
} as const satisfies Partial<Record<JobOutcome, string>>;

const joinTitle = (...parts: (string | null | undefined)[]): string | null => {
  const text = parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' — ');
  return text === '' ? null : text;
};

function failedBadge(job: BadgeJob): BadgeView {
  const detail = joinTitle(job.reason, job.error);
  switch (job.outcome) {
    case 'CANCELLED':
      return {
        label: job.cancelledBy ? `Cancelled by ${job.cancelledBy}` : 'Cancelled',
        tone: 'warning',
        title: detail,
      };
    case 'TIMEOUT':
    case 'OUT_OF_MEMORY':
    case 'NODE_FAIL':
    case 'PREEMPTED':
    case 'BOOT_FAIL':
    case 'DEADLINE':
      return { label: FAILURE_LABELS[job.outcome], tone: 'danger', title: detail };
    default:
      if (job.signal !== null && job.signal !== 0) {
        return {
          label: `Failed · signal ${job.signal}`,
          tone: 'danger',
          title: joinTitle(`Killed by ${signalName(job.signal) ?? `signal ${job.signal}`}`, detail),
        };
      }
      if (job.exitCode !== null && job.exitCode !== 0) {
        return { label: `Failed · exit ${job.exitCode}`, tone: 'danger', title: detail };
      }
      return { label: 'Failed', tone: 'danger', title: detail };
  }
}

/** Says exactly how a job stands or ended, in the scheduler-neutral vocabulary. */
export function jobBadge(job: BadgeJob): BadgeView {
  switch (job.state) {
    case 'pending':
      return {
        label: 'Pending',
        tone: 'neutral',
        title: 'Waiting in a ScriptHut queue to be submitted to the scheduler',
      };
    case 'submitted':
      return {
        label: job.reason ? `Queued · ${job.reason}` : 'Queued',
        tone: 'info',
        title: joinTitle(
          'Waiting in the scheduler queue',
          job.reason ? `reason: ${job.reason}` : null,
        ),
      };
    case 'running':
      return { label: 'Running', tone: 'progress', title: null };
    case 'finishing':
      return {
        label: 'Finishing…',
        tone: 'info',
        title: "Left the scheduler's queue; waiting for accounting to confirm how it ended",
      };
    case 'completed':
      return { label: 'Completed', tone: 'success', title: null };
    case 'failed':
      return failedBadge(job);
    case 'unknown':
      if (job.outcome === 'LOST') {
        return {
          label: 'Lost',
          tone: 'warning',
          title: job.reason ?? 'Neither the live queue nor accounting knows this job any more',
        };
      }
      return {
        label: job.schedulerState ? `Unknown · ${job.schedulerState}` : 'Unknown',
        tone: 'warning',
        title: joinTitle('The scheduler reported a state ScriptHut does not recognise', job.reason),
      };
  }
}

/** Short text for the "Exit / Reason" column: how it ended, or why it waits. */
export function exitOrReason(job: BadgeJob): string {
  const parts: string[] = [];
  if (job.signal !== null && job.signal !== 0) parts.push(signalText(job.signal));
  else if (job.exitCode !== null) parts.push(`exit ${job.exitCode}`);
  if (job.reason) parts.push(job.reason);
  else if (job.error) parts.push(job.error);
  return parts.join(' · ');
}

/** Names for the state filter, in lifecycle order. */
export const STATE_FILTER_LABELS = {
  pending: 'Pending',
  submitted: 'Queued',
  running: 'Running',
  finishing: 'Finishing',
  completed: 'Completed',
  failed: 'Failed',
  unknown: 'Lost / unknown',
} as const satisfies Record<JobState, string>;

export const JOB_STATES = Object.keys(STATE_FILTER_LABELS) as JobState[];

/**
 * Mirrors `TERMINAL_JOB_STATES` in core/domain. Kept as a type-checked table
 * here so the SPA imports only types from core and does not bundle zod.
 */
const TERMINAL = {
  pending: false,
  submitted: false,
  running: false,
  finishing: false,
  completed: true,
  failed: true,
  unknown: true,
} as const satisfies Record<JobState, boolean>;

export const isTerminalState = (state: JobState): boolean => TERMINAL[state];
