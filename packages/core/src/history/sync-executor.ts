import type Database from 'better-sqlite3';
import type { Compilable } from 'kysely';
import { CoreError } from '../runtime/errors';
import type { RowStatement } from './row-statement';
import type { StoreHealthTracker } from './store-health';
import { toStoreError } from './store-error';

const STATEMENT_CACHE_LIMIT = 256;

/**
 * Runs Kysely-compiled queries synchronously on better-sqlite3. Kysely stays
 * the typed query layer; this skips its async driver because better-sqlite3
 * is synchronous anyway and a store method should be one plain transaction.
 *
 * Every failure leaves through `toStoreError`, so callers only ever see
 * CoreError (STORE_UNAVAILABLE / CONFLICT) from the database.
 */
export class SyncExecutor {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(
    readonly sqlite: Database.Database,
    readonly path: string,
    /** Told the outcome of every outermost write transaction. */
    private readonly health?: StoreHealthTracker,
  ) {}

  /** Rows as typed by the Kysely query that produced them. */
  all<R>(query: Compilable<R>): R[] {
    const compiled = query.compile();
    return this.#statement(compiled.sql).all(...compiled.parameters) as R[];
  }

  first<R>(query: Compilable<R>): R | undefined {
    const compiled = query.compile();
    return this.#statement(compiled.sql).get(...compiled.parameters) as R | undefined;
  }

  /** Executes a write and returns the number of rows it changed. */
  run(query: Compilable<unknown>): number {
    const compiled = query.compile();
    return this.#statement(compiled.sql).run(...compiled.parameters).changes;
  }

  /** Runs a row statement for one row; returns the number of rows changed. */
  runRow<Row>(statement: RowStatement<Row>, row: Row): number {
    return this.#statement(statement.sql).run(...statement.parameters(row)).changes;
  }

  /**
   * One write transaction, BEGIN IMMEDIATE so it takes the write lock up front
   * (waiting up to busy_timeout) instead of failing when it upgrades later.
   */
  write<T>(body: () => T): T {
    if (this.sqlite.inTransaction)
      return this.#guard(() => this.sqlite.transaction(body).immediate());
    try {
      const result = this.#guard(() => this.sqlite.transaction(body).immediate());
      this.health?.recordWrite(null);
      return result;
    } catch (error) {
      this.health?.recordWrite(error);
      throw error;
    }
  }

  /** One read transaction: every query in `body` sees the same snapshot. */
  read<T>(body: () => T): T {
    return this.#guard(() => this.sqlite.transaction(body).deferred());
  }

  /** Idempotent. */
  close(): void {
    this.#statements.clear();
    if (this.sqlite.open) this.#guard(() => this.sqlite.close());
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
