import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelayMs } from './backoff';

const now = new Date('2026-03-01T12:00:00.000Z');

describe('parseRetryAfter', () => {
  it.each([
    ['seconds', '7', 7_000],
    ['seconds with spaces', ' 120 ', 120_000],
    ['an HTTP date', 'Sun, 01 Mar 2026 12:02:30 GMT', 150_000],
    ['an HTTP date already past', 'Sun, 01 Mar 2026 11:59:00 GMT', 0],
    ['more than the cap, in seconds', String(7 * 3600), MAX_RETRY_AFTER_MS],
    ['more than the cap, as a date', 'Tue, 03 Mar 2026 12:00:00 GMT', MAX_RETRY_AFTER_MS],
    ['the first of repeated headers', ['3', '60'], 3_000],
  ] as const)('reads %s', (_what, value, ms) => {
    expect(parseRetryAfter(value as string | string[], now)).toBe(ms);
  });

  it.each([undefined, '', 'soon', '-5', '1.5'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeNull();
  });
});

describe('retryDelayMs', () => {
  it('waits 5 s, 30 s, 5 min, 30 min, 2 h, 5 h and then 5 h again without jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 12].map((n) => retryDelayMs(n, () => 0.5))).toEqual([
      5_000, 30_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 18_000_000, 18_000_000,
    ]);
  });

  it('spreads each delay by at most 10% either way', () => {
    expect(retryDelayMs(2, () => 0)).toBe(27_000);
    expect(retryDelayMs(2, () => 1)).toBe(33_000);
  });
});
