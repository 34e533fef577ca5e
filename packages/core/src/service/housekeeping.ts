import type { Clock } from '../runtime/clock';

interface Prunable {
  pruneFinished(olderThan: Date): number;
}

const HOUR_MS = 3_600_000;

/** Prunes finished jobs past retention at start and then hourly. */
export function startHousekeeping(o: {
  store: Prunable;
  clock: Clock;
  retentionDays: number;
  log: (message: string) => void;
}): { start(): void; stop(): void } {
  let controller: AbortController | null = null;
  const prune = (): void => {
    try {
      const cutoff = new Date(o.clock.now().getTime() - o.retentionDays * 24 * HOUR_MS);
      const removed = o.store.pruneFinished(cutoff);
      if (removed > 0) o.log(`history: pruned ${removed} finished job(s) older than ${o.retentionDays} days`);
    } catch (e) {
      o.log(`history: pruning failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return {
    start() {
      if (controller) return;
      const c = new AbortController();
      controller = c;
      void (async () => {
        while (!c.signal.aborted) {
          prune();
          await o.clock.sleep(HOUR_MS, c.signal).catch(() => undefined);
        }
      })();
    },
    stop() {
      controller?.abort(new Error('stopped'));
      controller = null;
    },
  };
}
