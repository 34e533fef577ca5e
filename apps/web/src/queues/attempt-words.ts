import { RETRY_STATE_WORDS, type AttemptOrigin, type RetryState } from '@scripthut/core/domain';

/** "retry of the out of memory tasks, memory 8G" / "rerun of every task": what an attempt repeats. */
export function originWords(origin: AttemptOrigin | null): string {
  if (origin === null) return 'first run';
  if (origin.mode === 'rerun') return 'rerun of every task';
  const states = origin.states.map((s) => RETRY_STATE_WORDS[s]).join(', ');
  const overrides = [
    origin.overrides.memory && `memory ${origin.overrides.memory}`,
    origin.overrides.time_limit && `time limit ${origin.overrides.time_limit}`,
  ].filter(Boolean);
  return `retry of the ${states} tasks${overrides.length > 0 ? `, ${overrides.join(', ')}` : ''}`;
}

/** The states to retry unless the user says otherwise: every failure kind that happened; cancelled and skipped only when nothing else did (a skipped task comes along with the dependency it waits for). */
export function defaultRetryStates(retryable: Record<RetryState, number>): RetryState[] {
  const failures = (['failed', 'timed_out', 'out_of_memory', 'lost'] as const).filter(
    (s) => retryable[s] > 0,
  );
  if (failures.length > 0) return failures;
  return (['cancelled', 'skipped'] as const).filter((s) => retryable[s] > 0);
}
