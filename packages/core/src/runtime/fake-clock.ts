import type { Clock } from './clock';

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/** A clock that only moves when a test advances it. */
export class FakeClock implements Clock {
  private nowMs: number;
  private sleepers: Sleeper[] = [];

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.nowMs = start;
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason as Error);
      };
      // Like systemClock: a sleep that ends leaves no listener on a long-lived signal.
      const sleeper: Sleeper = {
        wakeAt: this.nowMs + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Move time forward, waking sleepers in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    for (;;) {
      const next = this.sleepers.filter((s) => s.wakeAt <= target).sort((a, b) => a.wakeAt - b.wakeAt)[0];
      if (!next) break;
      this.nowMs = next.wakeAt;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      next.resolve();
      await flushMicrotasks();
    }
    this.nowMs = target;
    await flushMicrotasks();
  }

  get pendingSleeps(): number {
    return this.sleepers.length;
  }
}

export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}
