import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from './channel-limiter';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ChannelLimiter', () => {
  it('grants up to max at once and the rest in FIFO order as slots free up', async () => {
    const limiter = new ChannelLimiter(2);
    const order: number[] = [];
    const releases = new Map<number, () => void>();
    const all = [1, 2, 3, 4].map((n) =>
      limiter.acquire().then((release) => {
        order.push(n);
        releases.set(n, release);
      }),
    );
    await tick();
    expect(order).toEqual([1, 2]);
    expect(limiter.waiting).toBe(2);
    releases.get(2)?.();
    releases.get(2)?.(); // idempotent: frees one slot only
    await tick();
    expect(order).toEqual([1, 2, 3]);
    releases.get(1)?.();
    await Promise.all(all);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(limiter.active).toBe(2);
    expect(limiter.peak).toBe(2);
  });

  it('drops an aborted waiter from the queue and rejects it with the abort reason', async () => {
    const limiter = new ChannelLimiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    release();
    await expect(next).resolves.toBeTypeOf('function');
    expect(limiter.active).toBe(1);
  });

  it('rejects a non-positive maximum', () => {
    expect(() => new ChannelLimiter(0)).toThrow(RangeError);
  });
});
