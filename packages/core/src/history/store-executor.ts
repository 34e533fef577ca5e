import type { Compilable } from 'kysely';
import type { RowStatement } from './row-statement';

/** Which database a store runs on; `/health` reports it. */
export type StoreKind = 'sqlite' | 'postgres';

/**
 * Runs Kysely-compiled queries for the query modules, on SQLite or
 * PostgreSQL. Kysely builds and compiles; the executor owns connections and
 * transactions.
 *
 * Transactions: `write` and `read` run `body` as one transaction. A call made
 * while a transaction of the same async call chain is open (tracked with
 * AsyncLocalStorage) joins it as a savepoint, so a failing inner store call
 * that the caller catches undoes only its own writes. Calls inside one
 * transaction must be awaited one at a time (no Promise.all inside a body).
 * A statement run outside any transaction is its own transaction.
 *
 * Every failure leaves as CoreError (STORE_UNAVAILABLE / CONFLICT).
 */
export interface StoreExecutor {
  readonly kind: StoreKind;
  /** What messages and `/health` name: the file path, or the URL without its password. */
  readonly path: string;
  /** Rows as typed by the Kysely query that produced them. */
  all<R>(query: Compilable<R>): Promise<R[]>;
  first<R>(query: Compilable<R>): Promise<R | undefined>;
  /** Executes a write and returns the number of rows it changed. */
  run(query: Compilable<unknown>): Promise<number>;
  /** Runs a row statement for one row; returns the number of rows changed. */
  runRow<Row>(statement: RowStatement<Row>, row: Row): Promise<number>;
  /** One write transaction; transactions of different callers never interleave. */
  write<T>(body: () => Promise<T>): Promise<T>;
  /** One read transaction: every query in `body` sees the same snapshot. */
  read<T>(body: () => Promise<T>): Promise<T>;
  /** Idempotent; waits for the transaction in progress. Later calls fail with STORE_UNAVAILABLE. */
  close(): Promise<void>;
}
