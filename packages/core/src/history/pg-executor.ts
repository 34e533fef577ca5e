import { AsyncLocalStorage } from 'node:async_hooks';
import type { Compilable } from 'kysely';
import type pg from 'pg';
import { CoreError } from '../runtime/errors';
import { toPgStoreError } from './pg-store-error';
import type { RowStatement } from './row-statement';
import { SerialQueue } from './serial-queue';
import type { StoreExecutor } from './store-executor';
import type { StoreHealthTracker } from './store-health';

interface OpenTransaction {
  client: pg.PoolClient;
  open: boolean;
  savepoints: number;
}

/**
 * The StoreExecutor on a pg.Pool. A transaction holds one pooled client for
 * its whole body (found again through AsyncLocalStorage by the store calls
 * inside it); `changes` is the statement's rowCount. Write transactions of
 * this process are serialized like on SQLite, so a read-then-write store
 * method (an outcome checked against the recorded intent) behaves the same;
 * read transactions run beside them as REPEATABLE READ snapshots.
 */
export class PgExecutor implements StoreExecutor {
  readonly kind = 'postgres' as const;
  readonly #current = new AsyncLocalStorage<OpenTransaction>();
  readonly #writes = new SerialQueue();
  #closed = false;

  constructor(
    private readonly pool: pg.Pool,
    /** The URL without its password. */
    readonly path: string,
    private readonly health?: StoreHealthTracker,
  ) {}

  async all<R>(query: Compilable<R>): Promise<R[]> {
    const compiled = query.compile();
    return (await this.#query(compiled.sql, compiled.parameters, false)).rows as R[];
  }

  async first<R>(query: Compilable<R>): Promise<R | undefined> {
    return (await this.all(query))[0];
  }

  async run(query: Compilable<unknown>): Promise<number> {
    const compiled = query.compile();
    return (await this.#query(compiled.sql, compiled.parameters, true)).rowCount ?? 0;
  }

  async runRow<Row>(statement: RowStatement<Row>, row: Row): Promise<number> {
    return (await this.#query(statement.sql, statement.parameters(row), true)).rowCount ?? 0;
  }

  async write<T>(body: () => Promise<T>): Promise<T> {
    const tx = this.#open();
    if (tx !== undefined) return this.#savepoint(tx, body);
    return this.#writes.run(async () => {
      try {
        const result = await this.#transaction('BEGIN', body);
        this.health?.recordWrite(null);
        return result;
      } catch (error) {
        this.health?.recordWrite(error);
        throw error;
      }
    });
  }

  async read<T>(body: () => Promise<T>): Promise<T> {
    if (this.#open() !== undefined) return body();
    return this.#transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', body);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes.idle();
    await this.pool.end();
  }

  #open(): OpenTransaction | undefined {
    const tx = this.#current.getStore();
    return tx?.open === true ? tx : undefined;
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new CoreError('STORE_UNAVAILABLE', `History database ${this.path} is closed`, {
        path: this.path,
      });
    }
  }

  async #query(
    sql: string,
    parameters: readonly unknown[],
    writes: boolean,
  ): Promise<pg.QueryResult> {
    const tx = this.#open();
    if (tx === undefined && writes) return this.write(() => this.#query(sql, parameters, true));
    this.#checkOpen();
    try {
      return await (tx?.client ?? this.pool).query(sql, parameters as unknown[]);
    } catch (error) {
      throw toPgStoreError(error, this.path);
    }
  }

  async #transaction<T>(begin: string, body: () => Promise<T>): Promise<T> {
    this.#checkOpen();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toPgStoreError(error, this.path);
    }
    // A checked-out client has no pool listener: a connection dropped while the transaction is
    // open would otherwise be an unhandled 'error' event that ends the process. Its pending or
    // next query fails instead, and the transaction with it.
    const ignoreError = (): void => undefined;
    client.on('error', ignoreError);
    const tx: OpenTransaction = { client, open: true, savepoints: 0 };
    let broken: unknown = undefined;
    try {
      await client.query(begin);
      const result = await this.#current.run(tx, body);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is gone: it must not go back to the pool.
        broken = rollbackError;
      }
      throw toPgStoreError(error, this.path);
    } finally {
      tx.open = false;
      client.off('error', ignoreError);
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async #savepoint<T>(tx: OpenTransaction, body: () => Promise<T>): Promise<T> {
    const name = `store_sp_${++tx.savepoints}`;
    await this.#query(`SAVEPOINT ${name}`, [], false);
    try {
      const result = await body();
      await this.#query(`RELEASE SAVEPOINT ${name}`, [], false);
      return result;
    } catch (error) {
      await tx.client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
      throw toPgStoreError(error, this.path);
    }
  }
}
