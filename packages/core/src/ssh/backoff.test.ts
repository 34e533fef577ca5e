import { describe, expect, it } from 'vitest';
import { backoffDelayMs, FIX_NEEDED_BACKOFF, NETWORK_BACKOFF } from './backoff';

describe('backoffDelayMs', () => {
  const noJitter = () => 0.5;

  it('doubles from 1 s to a 60 s cap for network failures', () => {
    expect([1, 2, 3, 6, 7, 20].map((n) => backoffDelayMs(NETWORK_BACKOFF, n, noJitter))).toEqual([
      1_000, 2_000, 4_000, 32_000, 60_000, 60_000,
    ]);
  });

  it('waits 60 s up to 10 min when a human must fix something', () => {
    expect([1, 2, 4, 5].map((n) => backoffDelayMs(FIX_NEEDED_BACKOFF, n, noJitter))).toEqual([
      60_000, 120_000, 480_000, 600_000,
    ]);
  });

  it('jitters by at most 20 %', () => {
    expect(backoffDelayMs(NETWORK_BACKOFF, 1, () => 0)).toBe(800);
    expect(backoffDelayMs(NETWORK_BACKOFF, 1, () => 0.999)).toBeLessThanOrEqual(1_200);
  });
});
