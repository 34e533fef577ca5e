import { postgresClientConfig } from '../history/open-postgres-history';
import { storeBed, type StoreBed } from '../history/store-beds';
import { systemClock, type Clock } from '../runtime/clock';
import { EventBus, type Sequenced } from './event-bus';
import { localStream, type EventStream } from './event-stream';
import { PgEventStream } from './pg-event-stream';

/** Test-only: one instance of a stream, with the bus its events are published on. */
export interface StreamInstance<E> {
  bus: EventBus<E>;
  stream: EventStream<E>;
  /** Everything this instance's listener saw, from its start. */
  seen: Sequenced<E>[];
  log: string[];
  /** Resolves once the stream has logged a line containing `text`. */
  logged(text: string): Promise<void>;
  /** Resolves once the listener has seen an event with id `seq` or later. */
  reached(seq: number): Promise<void>;
}

export interface StreamBedOptions {
  /** Retention: how many events `since` can still replay (the bus's buffer, or the table after `prune`). */
  keep?: number;
  clock?: Clock;
  /** PostgreSQL application_name of the instance's connections (tests find its sessions by it). */
  name?: string;
}

/**
 * Test-only: streams of one kind. On SQLite every instance is its own
 * process-local stream; on PostgreSQL every instance of one bed shares a
 * fresh schema, as several servers share one database.
 */
export interface StreamBed {
  kind: StoreBed['kind'];
  instance<E>(options?: StreamBedOptions): Promise<StreamInstance<E>>;
  remove(): Promise<void>;
}

export async function streamBed(kind: StoreBed['kind']): Promise<StreamBed> {
  const store = await storeBed(kind);
  // Opening the store migrates it, which creates the stream's tables.
  await (await store.open()).close();
  const instances: StreamInstance<unknown>[] = [];
  return {
    kind,
    async instance<E>(options: StreamBedOptions = {}) {
      const bus = new EventBus<E>(options.keep);
      const log: string[] = [];
      const logWaiters = new Set<{ text: string; resolve: () => void }>();
      const write = (line: string): void => {
        log.push(line);
        for (const w of logWaiters) {
          if (!line.includes(w.text)) continue;
          logWaiters.delete(w);
          w.resolve();
        }
      };
      const logged = (text: string): Promise<void> =>
        log.some((line) => line.includes(text))
          ? Promise.resolve()
          : new Promise((resolve) => logWaiters.add({ text, resolve }));
      const stream =
        store.postgres === null
          ? localStream(bus)
          : await PgEventStream.open<E>({
              bus,
              connection: postgresClientConfig(store.postgres),
              clock: options.clock ?? systemClock,
              log: write,
              ...(options.keep === undefined ? {} : { keepEvents: options.keep }),
              ...(options.name === undefined ? {} : { applicationName: options.name }),
            });
      const seen: Sequenced<E>[] = [];
      const waiters = new Set<{ seq: number; resolve: () => void }>();
      stream.subscribe((item) => {
        seen.push(item);
        for (const w of waiters) {
          if (item.seq < w.seq) continue;
          waiters.delete(w);
          w.resolve();
        }
      });
      const reached = (seq: number): Promise<void> =>
        (seen.at(-1)?.seq ?? stream.lastSeq) >= seq
          ? Promise.resolve()
          : new Promise((resolve) => waiters.add({ seq, resolve }));
      const instance = { bus, stream, seen, log, logged, reached };
      instances.push(instance as StreamInstance<unknown>);
      return instance;
    },
    async remove() {
      await Promise.all(instances.map((i) => i.stream.close()));
      await store.remove();
    },
  };
}
