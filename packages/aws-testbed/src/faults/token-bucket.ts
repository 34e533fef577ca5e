/** Classic token bucket: `capacity` burst, refilled at `ratePerSecond`. */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity = Math.max(1, ratePerSecond),
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.lastMs = now();
  }

  /** Takes one token; false when the bucket is empty (the call is throttled). */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((t - this.lastMs) / 1000) * this.ratePerSecond,
    );
    this.lastMs = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
