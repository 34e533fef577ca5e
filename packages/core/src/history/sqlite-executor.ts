import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { Compilable } from 'kysely';
import { CoreError } from '../runtime/errors';
import type { RowStatement } from './row-statement';
import { SerialQueue } from './serial-queue';
import type { StoreExecutor } from './store-executor';
import type { StoreHealthTracker } from './store-health';
import { toStoreError } from './store-error';

const STATEMENT_CACHE_LIMIT = 256;

/** The transaction an async call chain is in; `open` turns false at commit or rollback. */
interface OpenTransaction {
  open: boolean;
  savepoints: number;
}

/**
 * The StoreExecutor on better-sqlite3. Statements run synchronously on the
 * one connection; the methods are async so the store has one shape for
 * every database. Transactions (BEGIN IMMEDIATE for writes, so the write lock
 * is taken up front, waiting up to busy_timeout) are serialized by a
 * SerialQueue: while one caller's transaction awaits, no other caller's
 * statement reaches the connection.
 */
export class SqliteExecutor implements StoreExecutor {
  readonly kind = 'sqlite' as const;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #current = new AsyncLocalStorage<OpenTransaction>();
  readonly #queue = new SerialQueue();

  constructor(
    readonly sqlite: Database.Database,
    readonly path: string,
    /** Told the outcome of every outermost write transaction. */
    private readonly health?: StoreHealthTracker,
  ) {}

  all<R>(query: Compilable<R>): Promise<R[]> {
    const compiled = query.compile();
    return this.#statementCall(
      () => this.#statement(compiled.sql).all(...compiled.parameters) as R[],
    );
  }

  first<R>(query: Compilable<R>): Promise<R | undefined> {
    const compiled = query.compile();
    return this.#statementCall(
      () => this.#statement(compiled.sql).get(...compiled.parameters) as R | undefined,
    );
  }

  run(query: Compilable<unknown>): Promise<number> {
    const compiled = query.compile();
    return this.#statementCall(
      () => this.#statement(compiled.sql).run(...compiled.parameters).changes,
      true,
    );
  }

  runRow<Row>(statement: RowStatement<Row>, row: Row): Promise<number> {
    return this.#statementCall(
      () => this.#statement(statement.sql).run(...statement.parameters(row)).changes,
      true,
    );
  }

  async write<T>(body: () => Promise<T>): Promise<T> {
    const tx = this.#open();
    if (tx !== undefined) return this.#savepoint(tx, body);
    return this.#queue.run(async () => {
      try {
        const result = await this.#transaction('BEGIN IMMEDIATE', body);
        this.health?.recordWrite(null);
        return result;
      } catch (error) {
        this.health?.recordWrite(error);
        throw error;
      }
    });
  }

  async read<T>(body: () => Promise<T>): Promise<T> {
    const tx = this.#open();
    if (tx !== undefined) return body();
    return this.#queue.run(() => this.#transaction('BEGIN DEFERRED', body));
  }

  async close(): Promise<void> {
    await this.#queue.idle();
    this.#statements.clear();
    if (this.sqlite.open) this.#guard(() => this.sqlite.close());
  }

  #open(): OpenTransaction | undefined {
    const tx = this.#current.getStore();
    return tx?.open === true ? tx : undefined;
  }

  async #statementCall<T>(body: () => T, writes = false): Promise<T> {
    if (this.#open() !== undefined) return this.#guard(body);
    // Outside a transaction: wait for the one in progress, then autocommit.
    const wrap = (): Promise<T> => Promise.resolve(this.#guard(body));
    return writes ? this.write(wrap) : this.#queue.run(wrap);
  }

  async #transaction<T>(begin: string, body: () => Promise<T>): Promise<T> {
    this.#guard(() => this.sqlite.exec(begin));
    const tx: OpenTransaction = { open: true, savepoints: 0 };
    try {
      const result = await this.#current.run(tx, body);
      this.#guard(() => this.sqlite.exec('COMMIT'));
      return result;
    } catch (error) {
      // SQLite has already rolled back after some errors (SQLITE_FULL, I/O).
      if (this.sqlite.open && this.sqlite.inTransaction) this.#rollback('ROLLBACK');
      throw toStoreError(error, this.path);
    } finally {
      tx.open = false;
    }
  }

  async #savepoint<T>(tx: OpenTransaction, body: () => Promise<T>): Promise<T> {
    const name = `store_sp_${++tx.savepoints}`;
    this.#guard(() => this.sqlite.exec(`SAVEPOINT ${name}`));
    try {
      const result = await body();
      this.#guard(() => this.sqlite.exec(`RELEASE ${name}`));
      return result;
    } catch (error) {
      if (this.sqlite.open && this.sqlite.inTransaction) this.#rollback(`ROLLBACK TO ${name}`, name);
      throw toStoreError(error, this.path);
    }
  }

  /** Best effort: the error that made the rollback necessary is the one reported. */
  #rollback(statement: string, savepoint?: string): void {
    try {
      this.sqlite.exec(statement);
      if (savepoint !== undefined) this.sqlite.exec(`RELEASE ${savepoint}`);
    } catch {
      // The connection already ended the transaction.
    }
  }

  #guard<T>(body: () => T): T {
    if (!this.sqlite.open) {
      throw new CoreError('STORE_UNAVAILABLE', `History database ${this.path} is closed`, {
        path: this.path,
      });
    }
    try {
      return body();
    } catch (error) {
      throw toStoreError(error, this.path);
    }
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      // Query shapes are bounded except for IN-list lengths; a full reset is enough.
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.clear();
      statement = this.sqlite.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
