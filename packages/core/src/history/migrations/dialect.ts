import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * For the few places where one numbered migration must say a thing
 * differently per database (column types); the migration list is one.
 */
export const isPostgres = (db: Kysely<unknown>): boolean =>
  db.getExecutor().adapter instanceof PostgresAdapter;
