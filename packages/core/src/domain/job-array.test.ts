import { describe, expect, it } from 'vitest';
import type { ArrayCounts } from './job';
import { arrayState, arrayTaskTotal, emptyArrayCounts } from './job-array';

const counts = (over: Partial<ArrayCounts>): ArrayCounts => ({ ...emptyArrayCounts(), ...over });

describe('arrayState', () => {
  it.each([
    ['no task started yet', { submitted: 20 }, 'submitted'],
    ['a task runs', { running: 1, submitted: 19 }, 'running'],
    ['some ended, the rest wait behind the throttle', { completed: 4, submitted: 16 }, 'running'],
    ['every live task is finishing', { finishing: 2, completed: 18 }, 'finishing'],
    ['all completed', { completed: 20 }, 'completed'],
    ['one failed', { completed: 19, failed: 1 }, 'failed'],
    ['one lost, none failed', { completed: 19, unknown: 1 }, 'unknown'],
  ] as const)('is %s -> %s', (_what, over, state) => {
    expect(arrayState(counts(over))).toBe(state);
  });

  it('counts cancelled tasks once, as part of the failed ones', () => {
    expect(arrayTaskTotal(counts({ failed: 3, cancelled: 3, completed: 1 }))).toBe(4);
  });
});
