import { z } from 'zod';
import { TaskMemory, TaskTimeLimit } from './task';

/**
 * How a task ended, as a user picks what to retry. `failed` is any other
 * failure (non-zero exit, signal, node failure, refused by the scheduler);
 * `lost` is the `unknown` task state; `skipped` a task whose dependency did
 * not complete.
 */
export const RetryState = z.enum([
  'failed',
  'timed_out',
  'out_of_memory',
  'lost',
  'cancelled',
  'skipped',
]);
export type RetryState = z.infer<typeof RetryState>;
export const RETRY_STATES = RetryState.options;

/** Words for each retry state, as buttons and messages show them. */
export const RETRY_STATE_WORDS = {
  failed: 'failed',
  timed_out: 'timed out',
  out_of_memory: 'out of memory',
  lost: 'lost',
  cancelled: 'cancelled',
  skipped: 'skipped',
} as const satisfies Record<RetryState, string>;

/** Resources a retry gives the tasks of the chosen states instead of their own. */
export const RetryOverrides = z.strictObject({
  memory: TaskMemory.optional(),
  time_limit: TaskTimeLimit.optional(),
});
export type RetryOverrides = z.infer<typeof RetryOverrides>;

/** "Retry failed": a new attempt of the tasks whose last attempt ended in one of `states`. */
export const RetryRequest = z.strictObject({
  states: z.array(RetryState).min(1).max(RETRY_STATES.length),
  overrides: RetryOverrides.default({}),
});
export type RetryRequest = z.infer<typeof RetryRequest>;
export type RetryRequestInput = z.input<typeof RetryRequest>;

/** Why a queue exists: the first attempt (null), a retry of some states, or a rerun of every task. */
export const AttemptOrigin = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('retry'),
    states: z.array(RetryState),
    overrides: RetryOverrides,
  }),
  z.strictObject({ mode: z.literal('rerun') }),
]);
export type AttemptOrigin = z.infer<typeof AttemptOrigin>;
