import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Clock } from '../runtime/clock';

export interface PgEventWriterOptions {
  pool: pg.Pool;
  /** The NOTIFY channel the listeners of this database LISTEN on. */
  channel: string;
  clock: Clock;
  log: (message: string) => void;
  /** Events kept in memory while the database refuses writes; beyond this the oldest are dropped (default 100,000). */
  maxPending?: number;
  /** JSON text per transaction at most (default 8 MB; one larger event still goes, alone). */
  maxBatchBytes?: number;
  /** Runs after each committed batch, so this instance reads its own events without waiting for NOTIFY. */
  onCommitted: () => void;
}

/** Events written per transaction at most. */
const BATCH = 500;
/** A poll's event can hold thousands of jobs: batches are bounded by size too. */
const BATCH_BYTES = 8 * 1024 * 1024;
const MAX_PENDING = 100_000;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 10_000;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A data exception or integrity violation (SQLSTATE class 22, 23): retrying the same rows cannot succeed. */
const refused = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
};

/**
 * Writes this instance's events into `stream_events`, in publish order, in
 * batches. A batch takes the row lock of `stream_position` first and holds it
 * until COMMIT, so writers of every instance take ids one after another in
 * commit order: a reader that sees id N has every id below N committed, with
 * no gaps (a rolled-back batch rolls its ids back too). NOTIFY (the batch's
 * last id; payloads are limited to 8000 bytes, so never the event) is sent by
 * the same transaction, so it arrives only once the rows are visible.
 *
 * A failed batch is kept and retried with back-off; a retry first looks for
 * the batch's rows, in case the COMMIT that failed on the wire went through.
 */
export class PgEventWriter<E> {
  readonly #instance = randomBytes(6).toString('hex');
  #batches = 0;
  /** Each event as JSON, taken at publish (a caller may change its objects afterwards). */
  #pending: string[] = [];
  /** How many of the first pending events the batch under way (or waiting to be retried) holds; overflow never drops them. */
  #inFlight = 0;
  #dropped = 0;
  #flushing: Promise<void> | null = null;
  readonly #stop = new AbortController();

  constructor(private readonly o: PgEventWriterOptions) {}

  enqueue(event: E): void {
    let json: string;
    try {
      json = JSON.stringify(event);
    } catch (error) {
      this.o.log(`events: an event cannot be written as JSON (${message(error)}); it is dropped`);
      return;
    }
    this.#pending.push(json);
    if (this.#pending.length > (this.o.maxPending ?? MAX_PENDING)) {
      this.#pending.splice(this.#inFlight, 1);
      if (this.#dropped++ === 0)
        this.o.log(
          `events: the database has refused writes for a while; dropping the oldest unsent events`,
        );
    }
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = null;
    });
  }

  /** Resolves once every event enqueued so far is written or dropped (tests). */
  async idle(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  /** Waits for the batch under way; a batch that fails now is not retried (its events are reported lost). */
  async close(): Promise<void> {
    this.#stop.abort(new Error('closed'));
    await this.#flushing;
    if (this.#pending.length > 0)
      this.o.log(`events: ${this.#pending.length} event(s) could not be written before shutdown`);
  }

  async #flush(): Promise<void> {
    let delayMs = RETRY_MIN_MS;
    let retry = false;
    /** After a refused batch: how many of the next events go one per transaction, to find the one refused. */
    let singly = 0;
    let key = '';
    let size = 0;
    while (this.#pending.length > 0) {
      if (!retry) {
        key = `${this.#instance}:${++this.#batches}`;
        size = singly > 0 ? 1 : this.#batchSize();
      }
      // A retry writes exactly the events of the first attempt: its rows may already be there under `key`.
      const batch = this.#pending.slice(0, size);
      this.#inFlight = batch.length;
      try {
        await this.#insert(key, batch, retry);
        this.#pending.splice(0, batch.length);
        this.#inFlight = 0;
        retry = false;
        delayMs = RETRY_MIN_MS;
        if (singly > 0) singly--;
        if (this.#dropped > 0) {
          this.o.log(`events: writing again; ${this.#dropped} event(s) were dropped meanwhile`);
          this.#dropped = 0;
        }
        this.o.onCommitted();
      } catch (error) {
        if (this.#stop.signal.aborted) {
          this.#inFlight = 0;
          return;
        }
        if (refused(error)) {
          // This batch can never be written as it is: find the event the database refuses and drop only that one.
          retry = false;
          this.#inFlight = 0;
          if (batch.length > 1) singly = batch.length;
          else {
            this.#pending.splice(0, 1);
            if (singly > 0) singly--;
            this.o.log(`events: the database refused an event (${message(error)}); it is dropped`);
          }
          continue;
        }
        if (!retry)
          this.o.log(`events: could not write to the database (${message(error)}); retrying`);
        retry = true;
        await this.o.clock.sleep(delayMs, this.#stop.signal).catch(() => undefined);
        delayMs = Math.min(delayMs * 2, RETRY_MAX_MS);
      }
    }
  }

  /** How many of the first pending events fit in one batch (at least one). */
  #batchSize(): number {
    const maxBytes = this.o.maxBatchBytes ?? BATCH_BYTES;
    let bytes = 0;
    let size = 0;
    for (const json of this.#pending) {
      bytes += json.length;
      if (size === BATCH || (size > 0 && bytes > maxBytes)) break;
      size++;
    }
    return size;
  }

  async #insert(key: string, batch: readonly string[], retry: boolean): Promise<void> {
    const client = await this.o.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ last_id: string }>(
        'SELECT last_id FROM stream_position WHERE singleton = 1 FOR UPDATE',
      );
      const last = Number(rows[0]?.last_id ?? Number.NaN);
      if (!Number.isSafeInteger(last)) throw new Error('stream_position has no row');
      if (retry) {
        const done = await client.query('SELECT 1 FROM stream_events WHERE batch = $1 LIMIT 1', [
          key,
        ]);
        if ((done.rowCount ?? 0) > 0) {
          await client.query('ROLLBACK');
          return;
        }
      }
      await client.query(
        `INSERT INTO stream_events (id, batch, payload)
           SELECT $1::bigint + t.n, $2, t.p FROM json_array_elements($3::json) WITH ORDINALITY AS t(p, n)`,
        [last, key, `[${batch.join(',')}]`],
      );
      const next = last + batch.length;
      await client.query('UPDATE stream_position SET last_id = $1 WHERE singleton = 1', [next]);
      await client.query('SELECT pg_notify($1, $2)', [this.o.channel, String(next)]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
