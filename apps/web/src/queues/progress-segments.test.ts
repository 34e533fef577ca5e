import { describe, expect, it } from 'vitest';
import { progressSegments, progressText } from './progress-segments';
import type { TaskCounts } from './queue-types';

const counts = (overrides: Partial<TaskCounts>): TaskCounts => ({
  pending: 0,
  submitting: 0,
  submitted: 0,
  running: 0,
  finishing: 0,
  completed: 0,
  failed: 0,
  unknown: 0,
  cancelled: 0,
  skipped: 0,
  ...overrides,
});

describe('progressSegments', () => {
  it('puts every task in exactly one segment', () => {
    const all = counts({
      pending: 1,
      submitting: 2,
      submitted: 3,
      running: 4,
      finishing: 5,
      completed: 6,
      failed: 7,
      unknown: 8,
      cancelled: 9,
      skipped: 10,
    });
    const segments = progressSegments(all);
    expect(segments.reduce((sum, s) => sum + s.count, 0)).toBe(55);
    expect(Object.fromEntries(segments.map((s) => [s.key, s.count]))).toEqual({
      completed: 6,
      failed: 15,
      cancelled: 9,
      skipped: 10,
      running: 9,
      queued: 5,
      pending: 1,
    });
  });
});

describe('progressText', () => {
  it('says how many tasks are done and lists the non-empty states', () => {
    expect(progressText(counts({ completed: 3, failed: 1, running: 2, pending: 4 }), 10)).toBe(
      '4/10 done · 3 completed · 1 failed · 2 running · 4 pending',
    );
  });

  it('counts cancelled tasks as done', () => {
    expect(progressText(counts({ cancelled: 2 }), 2)).toBe('2/2 done · 2 cancelled');
  });

  it('counts skipped tasks as done and names them apart from cancelled ones', () => {
    expect(progressText(counts({ completed: 4, failed: 1, skipped: 2, cancelled: 1 }), 8)).toBe(
      '8/8 done · 4 completed · 1 failed · 1 cancelled · 2 skipped',
    );
  });
});
