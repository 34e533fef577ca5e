import { JobState, type ArrayCounts, type JobOutcome } from './job';

export const emptyArrayCounts = (): ArrayCounts =>
  ({ ...Object.fromEntries(JobState.options.map((s) => [s, 0])), cancelled: 0 }) as ArrayCounts;

/** Tasks in an array's counts (`cancelled` is part of `failed`, not added again). */
export const arrayTaskTotal = (c: ArrayCounts): number =>
  JobState.options.reduce((sum, state) => sum + c[state], 0);

/**
 * The state an array's own row shows, from its tasks:
 * - every task ended: `completed` when all completed, else `failed` when any
 *   failed, else `unknown`;
 * - a task runs, or some ended while others wait: `running` (the array is
 *   under way, a throttle or the scheduler holds the rest);
 * - every live task is finishing: `finishing`;
 * - none started yet: `submitted` (`pending` when none reached the scheduler).
 */
export function arrayState(c: ArrayCounts): JobState {
  const waiting = c.pending + c.submitted;
  if (waiting + c.running + c.finishing === 0) {
    if (c.failed > 0) return 'failed';
    return c.unknown > 0 ? 'unknown' : 'completed';
  }
  if (c.running > 0) return 'running';
  if (waiting === 0) return 'finishing';
  if (c.finishing + c.completed + c.failed + c.unknown > 0) return 'running';
  return c.submitted > 0 ? 'submitted' : 'pending';
}

/**
 * How a whole array ended, once every task did: the tasks' outcome when
 * they all share one, else FAILED when any failed, else LOST. Null while a
 * task is live.
 */
export function arrayOutcome(
  c: ArrayCounts,
  outcomes: ReadonlySet<JobOutcome | null>,
): JobOutcome | null {
  if (c.pending + c.submitted + c.running + c.finishing > 0) return null;
  const [only] = outcomes;
  if (outcomes.size === 1 && only != null) return only;
  return c.failed > 0 ? 'FAILED' : 'LOST';
}
