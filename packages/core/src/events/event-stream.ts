import type { EventBus, Sequenced, Unsubscribe } from './event-bus';

/**
 * The events every instance published, in one order, as browsers see them.
 * On one process it is the in-process bus (`localStream`); on a shared
 * PostgreSQL database it is the database's event table (`PgEventStream`),
 * so an id means the same event on every instance sharing it.
 *
 * Contract:
 * - ids are gap-free and increase by one: a listener that sees an id jump
 *   missed events (they were pruned while it was away) and must reload;
 * - every listener sees every event once, in id order;
 * - `since(id)` returns the events after `id` up to `lastSeq`, oldest first;
 *   `[]` when `id >= lastSeq` (a client ahead of this instance gets the rest
 *   live); null when some of them are gone (pruned, or never in this stream).
 *   A listener subscribed before calling `since` gets every later event live.
 */
export interface EventStream<E> {
  /** Identifies the stream: ids from another epoch are meaningless here. Only lowercase letters and digits. */
  readonly epoch: string;
  /** The id of the newest event delivered to this instance's listeners (0: none yet). */
  readonly lastSeq: number;
  subscribe(listener: (item: Sequenced<E>) => void): Unsubscribe;
  since(seq: number): Promise<Sequenced<E>[] | null>;
  /** Deletes events past retention (housekeeping); returns how many. */
  prune(now: Date): Promise<number>;
  /** Stops listening; events already published are written first where the stream has a database. */
  close(): Promise<void>;
}

/** The stream of one process: the bus itself, its sequence numbers and its replay buffer. */
export function localStream<E>(bus: EventBus<E>): EventStream<E> {
  return {
    epoch: bus.epoch,
    get lastSeq() {
      return bus.lastSeq;
    },
    subscribe: (listener) => bus.subscribe(listener),
    since: (seq) => Promise.resolve(bus.since(seq)),
    prune: () => Promise.resolve(0),
    close: () => Promise.resolve(),
  };
}
