import { describe, expect, it } from 'vitest';
import type { JobOutcome } from '../domain/job';
import type { TaskState } from '../history/types';
import { endingText } from './queue-status';
import { countTasks } from './queue-status';
import { endedWords, retryStateOf } from './task-ending';

const job = (
  outcome: JobOutcome | null,
  o: { exitCode?: number; signal?: number; rejected?: boolean } = {},
) => ({
  outcome,
  exitCode: o.exitCode ?? null,
  signal: o.signal ?? null,
  schedulerState: o.rejected ? 'REJECTED' : null,
});

describe('how a task ended', () => {
  it.each<[string, TaskState, ReturnType<typeof job> | null, string, string | null]>([
    ['a non-zero exit', 'failed', job('FAILED', { exitCode: 3 }), 'failed (exit 3)', 'failed'],
    [
      'a kill by signal',
      'failed',
      job('FAILED', { exitCode: 0, signal: 9 }),
      'failed (signal 9)',
      'failed',
    ],
    ['a timeout', 'failed', job('TIMEOUT'), 'timed out', 'timed_out'],
    ['an out-of-memory kill', 'failed', job('OUT_OF_MEMORY'), 'ran out of memory', 'out_of_memory'],
    ['a node failure', 'failed', job('NODE_FAIL'), 'failed (node failure)', 'failed'],
    [
      'a refusal by the scheduler',
      'failed',
      job('FAILED', { rejected: true }),
      'was rejected by the scheduler',
      'failed',
    ],
    ['a lost job', 'unknown', job('LOST'), 'was lost', 'lost'],
    ['a cancel', 'cancelled', job('CANCELLED'), 'was cancelled', 'cancelled'],
    ['a cancel before submission', 'cancelled', null, 'was cancelled', 'cancelled'],
    ['a skip', 'skipped', null, 'was skipped', 'skipped'],
  ])('words %s and files it under its retry state', (_case, state, j, words, retry) => {
    expect(endedWords(state, j)).toBe(words);
    expect(retryStateOf(state, j)).toBe(retry);
  });

  it('has no retry state while a task has not ended, nor once it completed', () => {
    for (const state of [
      'pending',
      'submitting',
      'submitted',
      'running',
      'finishing',
      'completed',
    ] as const)
      expect(retryStateOf(state, null)).toBeNull();
  });
});

describe('endingText', () => {
  it('counts skipped tasks and says why they were skipped', () => {
    const tasks = (['failed', 'skipped', 'skipped', 'completed', 'completed'] as const).map(
      (state) => ({ state }),
    );
    expect(endingText(countTasks(tasks))).toBe(
      '1 failed, 2 skipped because a dependency did not complete, 2 completed',
    );
  });

  it('names lost and cancelled tasks, and tasks of a cancelled queue still ending', () => {
    const tasks = (['unknown', 'cancelled', 'running'] as const).map((state) => ({ state }));
    expect(endingText(countTasks(tasks))).toBe('1 lost, 1 cancelled, 1 not ended yet');
  });
});
