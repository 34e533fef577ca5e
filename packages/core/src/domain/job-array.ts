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
 * How a whole array ended, once every task did: COMPLETED when all
 * completed; else the one outcome the other tasks share (some completed,
 * the rest CANCELLED: CANCELLED); else FAILED when any failed, else LOST.
 * Null while a task is live.
 */
export function arrayOutcome(
  c: ArrayCounts,
  outcomes: ReadonlySet<JobOutcome | null>,
): JobOutcome | null {
  if (c.pending + c.submitted + c.running + c.finishing > 0) return null;
  const others = [...outcomes].filter((o) => o !== 'COMPLETED');
  if (others.length === 0 && outcomes.size > 0) return 'COMPLETED';
  const [only] = others;
  if (others.length === 1 && only != null) return only;
  return c.failed > 0 ? 'FAILED' : 'LOST';
}
