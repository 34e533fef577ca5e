import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../runtime/fake-clock';
import { createRateLimiter, forEachConcurrently } from './rate-limiter';

describe('createRateLimiter', () => {
  it('lets a burst through, then one call per interval', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ ratePerSecond: 20, burst: 3, clock });
    const done: number[] = [];
    const start = clock.now().getTime();
    const calls = Array.from({ length: 6 }, () =>
      limiter.take().then(() => done.push(clock.now().getTime() - start)),
    );
    await clock.advance(0);
    expect(done).toEqual([0, 0, 0]);
    await clock.advance(1_000);
    await Promise.all(calls);
    expect(done).toEqual([0, 0, 0, 50, 100, 150]);
  });

  it('refills while idle, up to the burst', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 2, clock });
    await limiter.take();
    await limiter.take();
    await clock.advance(5_000);
    const before = clock.pendingSleeps;
    await limiter.take();
    await limiter.take();
    expect(clock.pendingSleeps).toBe(before);
  });
});

describe('forEachConcurrently', () => {
  it('never runs more than the limit at once and runs every item', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      seen.push(n);
      running--;
    });
    expect(most).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
