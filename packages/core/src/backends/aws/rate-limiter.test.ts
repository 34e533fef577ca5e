import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from '../../runtime/fake-clock';
import { RateLimiter } from './rate-limiter';
import { mapBounded, chunks } from './map-bounded';

describe('RateLimiter', () => {
  it('lets a burst through, then spaces calls at the rate', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(10, clock, 2);
    const start = clock.now().getTime();
    const passed: number[] = [];
    const calls = Array.from({ length: 5 }, () =>
      limiter.take().then(() => passed.push(clock.now().getTime() - start)),
    );
    await flushMicrotasks();
    await clock.advance(1_000);
    await Promise.all(calls);
    expect(passed).toEqual([0, 0, 100, 200, 300]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimiter(0, new FakeClock())).toThrow(RangeError);
  });
});

describe('mapBounded', () => {
  it('keeps at most `limit` calls in flight and results in order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(most).toBe(3);
  });

  it('cuts ids into slices', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 100)).toEqual([]);
  });
});
