import { describe, expect, it } from 'vitest';
import { slurmDuration, timeProgress } from './time-progress';

const seen = '2026-01-01T00:00:00.000Z';
const at = (seconds: number) => Date.parse(seen) + seconds * 1000;

describe('timeProgress', () => {
  it('adds the time since the last poll to the time used the scheduler reported', () => {
    expect(
      timeProgress(
        { state: 'running', timeUsed: '1:00', timeLimit: '10:00', lastSeen: seen },
        at(30),
      ),
    ).toEqual({
      elapsedSeconds: 90,
      limitSeconds: 600,
      ratio: 0.15,
    });
  });

  it('stops at the limit', () => {
    expect(
      timeProgress(
        { state: 'running', timeUsed: '9:50', timeLimit: '10:00', lastSeen: seen },
        at(60),
      )?.ratio,
    ).toBe(1);
  });

  it.each([
    ['a queued job', { state: 'submitted' as const, timeUsed: '0:00', timeLimit: '10:00' }],
    ['an unlimited job', { state: 'running' as const, timeUsed: '5:00', timeLimit: 'UNLIMITED' }],
    ['a job without a limit', { state: 'running' as const, timeUsed: '5:00', timeLimit: null }],
  ])('has none for %s', (_what, job) => {
    expect(timeProgress({ ...job, lastSeen: seen }, at(1))).toBeNull();
  });

  it.each([
    [59, '0:59'],
    [3723, '1:02:03'],
    [90_061, '1-01:01:01'],
  ])('writes %d s as Slurm does: %s', (seconds, text) => {
    expect(slurmDuration(seconds)).toBe(text);
  });
});
