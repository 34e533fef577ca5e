interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

/**
 * Holds the current connected session, if any, and the commands waiting for
 * one. Waiters are released all at once when a session opens, or rejected
 * together when waiting has become pointless.
 */
export class SessionGate<T> {
  private current: T | null = null;
  private readonly waiters = new Set<Waiter<T>>();

  get value(): T | null {
    return this.current;
  }

  open(value: T): void {
    this.current = value;
    for (const waiter of [...this.waiters]) waiter.resolve(value);
    this.waiters.clear();
  }

  /** Forget `value` if it is the current session. */
  shut(value: T): void {
    if (this.current === value) this.current = null;
  }

  rejectAll(error: Error): void {
    for (const waiter of [...this.waiters]) waiter.reject(error);
    this.waiters.clear();
  }

  /** The current session, or the next one; rejects with the signal's reason on abort. */
  wait(signal: AbortSignal): Promise<T> {
    if (this.current !== null) return Promise.resolve(this.current);
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(waiter);
        reject(signal.reason as Error);
      };
      const waiter: Waiter<T> = {
        resolve: (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      this.waiters.add(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
