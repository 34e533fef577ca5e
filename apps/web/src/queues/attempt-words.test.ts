import { describe, expect, it } from 'vitest';
import { defaultRetryStates, originWords } from './attempt-words';

const none = { failed: 0, timed_out: 0, out_of_memory: 0, lost: 0, cancelled: 0, skipped: 0 };

describe('originWords', () => {
  it.each([
    [null, 'first run'],
    [{ mode: 'rerun' as const }, 'rerun of every task'],
    [
      { mode: 'retry' as const, states: ['out_of_memory' as const], overrides: { memory: '8G' } },
      'retry of the out of memory tasks, memory 8G',
    ],
    [
      {
        mode: 'retry' as const,
        states: ['failed' as const, 'timed_out' as const],
        overrides: { time_limit: '2:00:00' },
      },
      'retry of the failed, timed out tasks, time limit 2:00:00',
    ],
  ])('words %j as "%s"', (origin, words) => {
    expect(originWords(origin)).toBe(words);
  });
});

describe('defaultRetryStates', () => {
  it('picks every failure kind that happened, not cancelled or skipped tasks', () => {
    expect(
      defaultRetryStates({ ...none, failed: 1, out_of_memory: 2, cancelled: 1, skipped: 3 }),
    ).toEqual(['failed', 'out_of_memory']);
  });

  it('picks cancelled and skipped tasks when nothing failed', () => {
    expect(defaultRetryStates({ ...none, cancelled: 1, skipped: 3 })).toEqual([
      'cancelled',
      'skipped',
    ]);
    expect(defaultRetryStates(none)).toEqual([]);
  });
});
