import pg from 'pg';
import type { Clock } from '../runtime/clock';

export interface PgListenerOptions {
  connection: pg.ClientConfig;
  channel: string;
  /** application_name of the connection. */
  applicationName: string;
  /** Longest a connection attempt or a liveness check may take. */
  timeoutMs: number;
  clock: Clock;
  log: (message: string) => void;
  /**
   * Runs on every notification and after every (re)connect: what was
   * committed while nobody listened is only found by reading.
   */
  onWake: () => void;
}

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 10_000;
/** How often the connection proves it is alive (a silent partition never closes a socket). */
const HEARTBEAT_MS = 10_000;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * One dedicated connection that LISTENs on `channel`, kept open: when it
 * fails (an error, the server closing it, a `SELECT 1` every 10 s that fails
 * or times out) it is replaced after a back-off of 0.2 s doubling to 10 s.
 */
export class PgListener {
  readonly #stop = new AbortController();
  readonly #running: Promise<void>;

  constructor(private readonly o: PgListenerOptions) {
    this.#running = this.#loop();
  }

  async close(): Promise<void> {
    this.#stop.abort(new Error('closed'));
    await this.#running;
  }

  async #loop(): Promise<void> {
    let delayMs = RETRY_MIN_MS;
    let lost = false;
    while (!this.#stop.signal.aborted) {
      const client = new pg.Client({
        ...this.o.connection,
        application_name: this.o.applicationName,
        keepAlive: true,
        connectionTimeoutMillis: this.o.timeoutMs,
        query_timeout: this.o.timeoutMs,
      });
      const ended = new Promise<unknown>((resolve) => {
        client.on('error', resolve);
        client.on('end', () => resolve(new Error('connection closed')));
      });
      try {
        await client.connect();
        client.on('notification', () => this.o.onWake());
        await client.query(`LISTEN ${quoteIdent(this.o.channel)}`);
        if (lost) this.o.log('events: listening again; reading what was missed');
        lost = false;
        delayMs = RETRY_MIN_MS;
        this.o.onWake();
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
