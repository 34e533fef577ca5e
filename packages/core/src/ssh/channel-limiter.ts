interface Waiter {
  grant: (release: () => void) => void;
}

/**
 * A FIFO counting semaphore for exec channels. `acquire` resolves with a
 * release function (idempotent); an aborted waiter leaves the queue and
 * rejects with the signal's reason.
 */
export class ChannelLimiter {
  private activeCount = 0;
  private peakCount = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`maxChannels must be a positive integer, got ${max}`);
  }

  get active(): number {
    return this.activeCount;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Highest `active` seen since construction. */
  get peak(): number {
    return this.peakCount;
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.activeCount < this.max && this.queue.length === 0) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal?.reason as Error);
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      this.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private take(): () => void {
    this.activeCount++;
    this.peakCount = Math.max(this.peakCount, this.activeCount);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.activeCount--;
      const next = this.queue.shift();
      if (next) next.grant(this.take());
    };
  }
}
