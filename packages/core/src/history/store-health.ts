import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../runtime/clock';
import { isCoreError } from '../runtime/errors';
import type { StoreKind } from './store-executor';

/** The history database as `/health` shows it. */
export interface StoreHealth {
  status: 'ok' | 'unavailable';
  /** Which database holds the history. */
  kind: StoreKind;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  path: string;
  /** The last write failure, in words (names the path and the cause); null when ok. */
  error: string | null;
  /** When writes started failing; null when ok. */
  since: string | null;
}

/** Below this much free space a failed store is not considered recovered, whatever a tiny probe write says. */
const MIN_FREE_BYTES = 1024 * 1024;
const PROBE_INTERVAL_MS = 2_000;

/**
 * Remembers whether the last write transaction failed for lack of the
 * store (disk full, read-only, I/O error). A successful write clears it.
 * While failing, `current()` probes at most every 2 s whether the cause is
 * gone (free space, writable file and directory, then a small write), so
 * the state recovers without a restart even when nothing else writes.
 */
export class StoreHealthTracker {
  #failure: { message: string; at: Date } | null = null;
  #lastProbeMs = -Infinity;

  constructor(
    private readonly path: string,
    private readonly clock: Clock,
    private readonly kind: StoreKind = 'sqlite',
  ) {}

  /** Called after every write transaction with its error, or null when it committed. */
  recordWrite(error: unknown): void {
    if (error === null) this.#failure = null;
    else if (isCoreError(error) && error.code === 'STORE_UNAVAILABLE') {
      this.#failure ??= { message: error.message, at: this.clock.now() };
      this.#failure.message = error.message;
    }
  }

  /** `probeWrite` performs one small write transaction (through the executor, so success clears the failure). */
  async current(probeWrite: () => Promise<void>): Promise<StoreHealth> {
    if (this.#failure !== null && this.path !== ':memory:') {
      const nowMs = this.clock.now().getTime();
      if (nowMs - this.#lastProbeMs >= PROBE_INTERVAL_MS) {
        this.#lastProbeMs = nowMs;
        if (this.causeGone()) {
          try {
            await probeWrite();
          } catch {
            // Still failing: the write recorded why.
          }
        }
      }
    }
    const failure = this.#failure;
    return {
      status: failure === null ? 'ok' : 'unavailable',
      kind: this.kind,
      path: this.path,
      error: failure?.message ?? null,
      since: failure?.at.toISOString() ?? null,
    };
  }

  private causeGone(): boolean {
    // A database server has no local file to look at: the probe write is the test.
    if (this.kind === 'postgres') return true;
    try {
      const fs = statfsSync(dirname(this.path));
      if (fs.bavail * fs.bsize < MIN_FREE_BYTES) return false;
      for (const target of [this.path, dirname(this.path)]) accessSync(target, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }
}
