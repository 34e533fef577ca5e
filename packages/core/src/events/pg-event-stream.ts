import pg from 'pg';
import type { Clock } from '../runtime/clock';
import type { Sequenced, Unsubscribe } from './event-bus';
import type { EventStream } from './event-stream';
import { PgEventWriter } from './pg-event-writer';
import { PgListener } from './pg-listener';

export interface PgEventStreamOptions<E> {
  /** This instance's bus: every event published on it is written to the shared stream. */
  bus: { subscribe(listener: (item: Sequenced<E>) => void): Unsubscribe };
  /** The store's database and schema (`postgresClientConfig`); the stream opens its own connections. */
  connection: pg.ClientConfig;
  clock: Clock;
  log: (message: string) => void;
  /** Events kept for clients that resume: at most this many (default 10,000)… */
  keepEvents?: number;
  /** …and none older than this (default one hour). */
  keepMs?: number;
  /** application_name of its connections (the listening one adds `-listen`); default `scripthut-events`. */
  applicationName?: string;
  /** Longest a connection attempt or a listener's liveness check may take (default 10 s). */
  timeoutMs?: number;
}

/** More missed events than this are not replayed: reloading is cheaper. */
const MAX_REPLAY = 10_000;
/** Rows per read: a poll's event may be megabytes. */
const READ_BATCH = 100;
const READ_RETRY_MS = 1_000;

interface EventRow {
  id: string;
  payload: unknown;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The event stream of a shared PostgreSQL database (see README.md). Writes go
 * through PgEventWriter (gap-free ids in commit order). Each instance LISTENs
 * on one dedicated connection (PgListener); a NOTIFY, a commit of its own or
 * a (re)connect of that connection makes it read the rows after the last id
 * it delivered, in id order, and hand them to its listeners, so nothing
 * committed while it was not listening is lost and nothing is delivered twice.
 */
export class PgEventStream<E> implements EventStream<E> {
  readonly #listeners = new Set<(item: Sequenced<E>) => void>();
  readonly #stop = new AbortController();
  readonly #writer: PgEventWriter<E>;
  readonly #off: Unsubscribe;
  #delivered: number;
  #reading: Promise<void> | null = null;
  #readAgain = false;
  #readRetry: Promise<void> | null = null;
  readonly #listener: PgListener;
  #closing: Promise<void> | null = null;

  private constructor(
    private readonly o: PgEventStreamOptions<E>,
    private readonly pool: pg.Pool,
    readonly epoch: string,
    lastId: number,
    channel: string,
  ) {
    this.#delivered = lastId;
    this.#writer = new PgEventWriter<E>({
      pool,
      channel,
      clock: o.clock,
      log: o.log,
      onCommitted: () => this.#catchUp(),
    });
    this.#off = o.bus.subscribe(({ event }) => this.#writer.enqueue(event));
    const name = o.applicationName ?? 'scripthut-events';
    this.#listener = new PgListener({
      connection: o.connection,
      channel,
      applicationName: `${name}-listen`,
      timeoutMs: o.timeoutMs ?? 10_000,
      clock: o.clock,
      log: o.log,
      onWake: () => this.#catchUp(),
    });
  }

  /** Reads the stream's epoch and position (the store must have migrated the database), then starts listening. */
  static async open<E>(o: PgEventStreamOptions<E>): Promise<PgEventStream<E>> {
    const pool = new pg.Pool({
      ...o.connection,
      application_name: o.applicationName ?? 'scripthut-events',
      max: 3,
      keepAlive: true,
      connectionTimeoutMillis: o.timeoutMs ?? 10_000,
    });
    pool.on('error', () => undefined);
    try {
      const { rows } = await pool.query<{ epoch: string; last_id: string; schema: string }>(
        'SELECT epoch, last_id, current_schema() AS schema FROM stream_position WHERE singleton = 1',
      );
      const row = rows[0];
      if (row === undefined) throw new Error('stream_position has no row');
      return new PgEventStream(
        o,
        pool,
        row.epoch,
        Number(row.last_id),
        `scripthut_events:${row.schema}`,
      );
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  get lastSeq(): number {
    return this.#delivered;
  }

  subscribe(listener: (item: Sequenced<E>) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async since(seq: number): Promise<Sequenced<E>[] | null> {
    const upTo = this.#delivered;
    if (seq >= upTo) return [];
    if (upTo - seq > MAX_REPLAY) return null;
    const { rows } = await this.pool.query<EventRow>(
      'SELECT id, payload FROM stream_events WHERE id > $1 AND id <= $2 ORDER BY id',
      [seq, upTo],
    );
    // Ids have no gaps, so a missing row was pruned.
    if (rows.length !== upTo - seq) return null;
    return rows.map(toItem<E>);
  }

  async prune(now: Date): Promise<number> {
    const keepEvents = this.o.keepEvents ?? 10_000;
    const cutoff = new Date(now.getTime() - (this.o.keepMs ?? 3_600_000));
    const result = await this.pool.query(
      `DELETE FROM stream_events
        WHERE id <= (SELECT last_id FROM stream_position WHERE singleton = 1) - $1 OR created_at < $2`,
      [keepEvents, cutoff],
    );
    return result.rowCount ?? 0;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#off();
    await this.#writer.close();
    this.#stop.abort(new Error('closed'));
    await Promise.all([this.#listener.close(), this.#reading, this.#readRetry]);
    this.#listeners.clear();
    await this.pool.end().catch(() => undefined);
  }

  /** Reads and delivers what was committed after the last delivered id; calls during a read make it read again. */
  #catchUp(): void {
    if (this.#stop.signal.aborted) return;
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = this.#read().finally(() => {
      this.#reading = null;
    });
  }

  async #read(): Promise<void> {
    try {
      do {
        this.#readAgain = false;
        let rows: EventRow[];
        do {
          ({ rows } = await this.pool.query<EventRow>(
            'SELECT id, payload FROM stream_events WHERE id > $1 ORDER BY id LIMIT $2',
            [this.#delivered, READ_BATCH],
          ));
          for (const row of rows) this.#deliver(toItem<E>(row));
        } while (rows.length === READ_BATCH && !this.#stop.signal.aborted);
      } while (this.#readAgain && !this.#stop.signal.aborted);
    } catch (error) {
      if (this.#stop.signal.aborted) return;
      this.o.log(`events: could not read the stream (${message(error)}); trying again`);
      this.#readRetry ??= this.o.clock.sleep(READ_RETRY_MS, this.#stop.signal).then(
        () => {
          this.#readRetry = null;
          this.#catchUp();
        },
        () => undefined,
      );
    }
  }

  #deliver(item: Sequenced<E>): void {
    this.#delivered = item.seq;
    for (const listener of this.#listeners) {
      try {
        listener(item);
      } catch (error) {
        this.o.log(`events: a listener failed on event ${item.seq}: ${message(error)}`);
      }
    }
  }
}

const toItem = <E>(row: EventRow): Sequenced<E> => ({
  seq: Number(row.id),
  event: row.payload as E,
});
