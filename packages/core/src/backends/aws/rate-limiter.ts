import type { Clock } from '../../runtime/clock';

/**
 * A client-side limit on calls per second (GCRA: each call reserves the next
 * slot; up to `burst` calls pass at once after a quiet period). Keeps one
 * ScriptHut under an account-wide quota (Batch 50 TPS, GetLogEvents 10 TPS)
 * instead of relying on throttling answers.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private readonly burst: number;
  /** When the next call would be due if no burst were allowed (ms since epoch). */
  private dueAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    callsPerSecond: number,
    private readonly clock: Clock,
    burst = Math.max(1, Math.min(5, Math.floor(callsPerSecond))),
  ) {
    if (!(callsPerSecond > 0))
      throw new RangeError(`callsPerSecond must be positive, got ${callsPerSecond}`);
    this.intervalMs = 1000 / callsPerSecond;
    this.burst = Math.max(1, burst);
  }

  /** Resolves when the caller may make its call; rejects if `signal` aborts first. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now().getTime();
    const due = Math.max(this.dueAtMs, now);
    const waitMs = due - now - (this.burst - 1) * this.intervalMs;
    this.dueAtMs = due + this.intervalMs;
    if (waitMs > 0) await this.clock.sleep(Math.ceil(waitMs), signal);
  }
}
