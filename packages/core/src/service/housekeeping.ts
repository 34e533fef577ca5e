import type { Clock } from '../runtime/clock';

interface Prunable {
  pruneFinished(olderThan: Date, batchJobs: number): Promise<number>;
  readonly outbox: {
    pruneBatch(olderThan: Date, limit: number): Promise<{ messages: number; events: number }>;
  };
}

const HOUR_MS = 3_600_000;
/** Outbox rows deleted per transaction; other work (polls, deliveries) runs between batches. */
export const OUTBOX_PRUNE_BATCH = 500;
/** Jobs deleted per transaction, likewise (about 0.1 s of SQLite work on the benchmark machine, their removal from the search index included: schema v7). */
export const JOB_PRUNE_BATCH = 1_000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Prunes finished jobs, and sent or failed notifications with the events
 * only they carried, past retention, and the live stream's table (when the
 * stream has one): at start and then hourly. Both go in
 * short batches, each its own transaction, with a turn of the event loop
 * between them, so a large backlog never holds up a poll for long.
 */
export function startHousekeeping(o: {
  store: Prunable;
  clock: Clock;
  retentionDays: number;
  /** The live stream's table, pruned by its own (shorter) retention. */
  events?: { prune(now: Date): Promise<number> };
  log: (message: string) => void;
  outboxBatch?: number;
  jobBatch?: number;
}): {
  start(): void;
  stop(): void;
  /** Resolves when the pass under way (if any) ends; for tests. */ idle(): Promise<void>;
} {
  let controller: AbortController | null = null;
  let pass: Promise<void> = Promise.resolve();
  const batch = o.outboxBatch ?? OUTBOX_PRUNE_BATCH;
  const jobBatch = o.jobBatch ?? JOB_PRUNE_BATCH;
  const failed = (what: string, e: unknown): void =>
    o.log(`history: pruning ${what} failed: ${e instanceof Error ? e.message : String(e)}`);

  const prune = async (signal: AbortSignal): Promise<void> => {
    const cutoff = new Date(o.clock.now().getTime() - o.retentionDays * 24 * HOUR_MS);
    let removed = 0;
    try {
      // Checked before each batch, as for the outbox below.
      while (!signal.aborted) {
        const done = await o.store.pruneFinished(cutoff, jobBatch);
        removed += done;
        if (done < jobBatch) break;
        await nextTurn();
      }
    } catch (e) {
      failed('jobs', e);
    }
    if (removed > 0)
      o.log(`history: pruned ${removed} finished job(s) older than ${o.retentionDays} days`);
    const total = { messages: 0, events: 0 };
    try {
      // Checked before each batch: after stop() the store may be closed during the turn in between.
      while (!signal.aborted) {
        const done = await o.store.outbox.pruneBatch(cutoff, batch);
        total.messages += done.messages;
        total.events += done.events;
        if (done.messages < batch && done.events < batch) break;
        await nextTurn();
      }
    } catch (e) {
      failed('notifications', e);
    }
    if (total.messages + total.events > 0) {
      o.log(
        `history: pruned ${total.messages} notification message(s) and ${total.events} event(s) older than ${o.retentionDays} days`,
      );
    }
    if (o.events && !signal.aborted) {
      try {
        await o.events.prune(o.clock.now());
      } catch (e) {
        failed('the live stream', e);
      }
    }
  };

  return {
    start() {
      if (controller) return;
      const c = new AbortController();
      controller = c;
      void (async () => {
        while (!c.signal.aborted) {
          pass = prune(c.signal);
          await pass;
          await o.clock.sleep(HOUR_MS, c.signal).catch(() => undefined);
        }
      })();
    },
    stop() {
      controller?.abort(new Error('stopped'));
      controller = null;
    },
    idle: () => pass,
  };
}
