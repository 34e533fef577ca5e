import type { Clock } from '../../runtime/clock';

export interface RateLimiter {
  /** Resolves when one more call fits the rate; rejects if `signal` aborts while waiting. */
  take(signal?: AbortSignal): Promise<void>;
}

/**
 * A client-side token bucket (GCRA): `burst` calls at once, then one every
 * 1/`ratePerSecond` s. Fargate throttles RunTask to 20 calls/s, burst and
 * sustained (AmazonECS developerguide, throttling.html), so submissions wait
 * here instead of being refused there.
 */
export function createRateLimiter(o: {
  ratePerSecond: number;
  burst: number;
  clock: Clock;
}): RateLimiter {
  const intervalMs = 1000 / o.ratePerSecond;
  const toleranceMs = (Math.max(1, o.burst) - 1) * intervalMs;
  let theoreticalMs = Number.NEGATIVE_INFINITY;
  return {
    async take(signal) {
      const nowMs = o.clock.now().getTime();
      const startMs = Math.max(theoreticalMs, nowMs);
      theoreticalMs = startMs + intervalMs;
      const waitMs = startMs - nowMs - toleranceMs;
      if (waitMs > 0) await o.clock.sleep(waitMs, signal);
    },
  };
}

/** Runs `fn` over `items` with at most `limit` at a time; resolves when all have settled. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
