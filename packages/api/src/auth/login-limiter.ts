export interface LoginLimiterOptions {
  /** Failed logins one client may make per window before it must wait. */
  maxFailuresPerClient?: number;
  /** Failed logins from all clients together per window (slows a distributed guesser). */
  maxFailuresTotal?: number;
  windowMs?: number;
  now?: () => number;
}

interface Window {
  startMs: number;
  failures: number;
}

/** Fixed-window counters of failed logins, per client address and in total. */
export class LoginLimiter {
  private readonly clients = new Map<string, Window>();
  private total: Window;
  private readonly maxPerClient: number;
  private readonly maxTotal: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(o: LoginLimiterOptions = {}) {
    this.maxPerClient = o.maxFailuresPerClient ?? 5;
    this.maxTotal = o.maxFailuresTotal ?? 100;
    this.windowMs = o.windowMs ?? 15 * 60_000;
    this.now = o.now ?? Date.now;
    this.total = { startMs: this.now(), failures: 0 };
  }

  /** 0 when `client` may try to log in now, else how long it must wait. */
  retryAfterMs(client: string): number {
    const nowMs = this.now();
    const own = this.current(this.clients.get(client), nowMs);
    this.total = this.current(this.total, nowMs);
    const waits = [own, this.total]
      .filter((w, i) => w.failures >= (i === 0 ? this.maxPerClient : this.maxTotal))
      .map((w) => w.startMs + this.windowMs - nowMs);
    return waits.length === 0 ? 0 : Math.max(1, ...waits);
  }

  failed(client: string): void {
    const nowMs = this.now();
    const own = this.current(this.clients.get(client), nowMs);
    own.failures++;
    this.clients.set(client, own);
    this.total = this.current(this.total, nowMs);
    this.total.failures++;
    if (this.clients.size > 10_000) this.prune(nowMs);
  }

  succeeded(client: string): void {
    this.clients.delete(client);
  }

  private current(w: Window | undefined, nowMs: number): Window {
    return w && nowMs - w.startMs < this.windowMs ? w : { startMs: nowMs, failures: 0 };
  }

  private prune(nowMs: number): void {
    for (const [client, w] of this.clients)
      if (nowMs - w.startMs >= this.windowMs) this.clients.delete(client);
  }
}
