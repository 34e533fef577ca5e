import pg from 'pg';
import type { Clock } from '../runtime/clock';
import type { Sequenced, Unsubscribe } from './event-bus';
import type { EventStream } from './event-stream';
import { PgEventWriter } from './pg-event-writer';

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
const READ_BATCH = 1_000;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 10_000;
/** How often the listening connection proves it is alive (a silent partition never closes a socket). */
const HEARTBEAT_MS = 10_000;

interface EventRow {
  id: string;
  payload: unknown;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * The event stream of a shared PostgreSQL database (see README.md). Writes go
 * through PgEventWriter (gap-free ids in commit order). Each instance LISTENs
 * on one dedicated connection; a NOTIFY, or a commit of its own, makes it
 * read the rows after the last id it delivered, in id order, and hand them to
 * its listeners. After the listening connection is lost it reconnects with
 * back-off and reads from that same id, so nothing published meanwhile is
 * lost and nothing is delivered twice.
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
  #listening: Promise<void>;
  #closing: Promise<void> | null = null;

  private constructor(
    private readonly o: PgEventStreamOptions<E>,
    private readonly pool: pg.Pool,
    readonly epoch: string,
    lastId: number,
    private readonly channel: string,
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
    this.#listening = this.#listenLoop();
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
    await Promise.all([this.#listening, this.#reading, this.#readRetry]);
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
      this.#readRetry ??= this.o.clock.sleep(RETRY_MIN_MS * 5, this.#stop.signal).then(
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

  /** Keeps one LISTEN connection open; after each (re)connect, reads what was missed. */
  async #listenLoop(): Promise<void> {
    let delayMs = RETRY_MIN_MS;
    let lost = false;
    while (!this.#stop.signal.aborted) {
      const timeoutMs = this.o.timeoutMs ?? 10_000;
      const client = new pg.Client({
        ...this.o.connection,
        application_name: `${this.o.applicationName ?? 'scripthut-events'}-listen`,
        keepAlive: true,
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs,
      });
      const ended = new Promise<unknown>((resolve) => {
        client.on('error', resolve);
        client.on('end', () => resolve(new Error('connection closed')));
      });
      try {
        await client.connect();
        client.on('notification', () => this.#catchUp());
        await client.query(`LISTEN ${quoteIdent(this.channel)}`);
        if (lost) this.o.log(`events: listening again; reading from event ${this.#delivered}`);
        lost = false;
        delayMs = RETRY_MIN_MS;
        this.#catchUp();
        const alive = new AbortController();
        const why = await Promise.race([
          ended,
          this.#heartbeat(client, alive.signal),
          this.#stopped(),
        ]);
        alive.abort();
        if (this.#stop.signal.aborted) break;
        this.o.log(`events: lost the listening connection (${message(why)}); reconnecting`);
        lost = true;
      } catch (error) {
        if (this.#stop.signal.aborted) break;
        if (!lost) this.o.log(`events: cannot listen (${message(error)}); retrying`);
        lost = true;
      } finally {
        client.removeAllListeners('notification');
        await client.end().catch(() => undefined);
      }
      await this.o.clock.sleep(delayMs, this.#stop.signal).catch(() => undefined);
      delayMs = Math.min(delayMs * 2, RETRY_MAX_MS);
    }
  }

  /** Resolves with the error of the first failed round trip on `client`. */
  async #heartbeat(client: pg.Client, alive: AbortSignal): Promise<unknown> {
    const signal = AbortSignal.any([alive, this.#stop.signal]);
    for (;;) {
      try {
        await this.o.clock.sleep(HEARTBEAT_MS, signal);
        await client.query('SELECT 1');
      } catch (error) {
        return error;
      }
    }
  }

  #stopped(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#stop.signal.aborted) resolve();
      else this.#stop.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}

const toItem = <E>(row: EventRow): Sequenced<E> => ({
  seq: Number(row.id),
  event: row.payload as E,
});
