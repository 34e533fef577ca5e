import { CoreError } from '../runtime/errors';
import type { HistoryDatabase } from './schema';
import { rebuildSearchIndex } from './search-index';
import type { StoreContext } from './store-context';

type Table = keyof HistoryDatabase;

/** Every table, parents before children (foreign keys), so inserts go in this order and deletes in reverse. */
export const HISTORY_TABLES = [
  'meta',
  'queues',
  'jobs',
  'tasks',
  'submissions',
  'notification_events',
  'notification_messages',
  'notification_message_events',
  'notification_watches',
] as const satisfies readonly Table[];

/** The rows of every table, as stored. */
export type HistoryRows = { [T in Table]: HistoryDatabase[T][] };

/** Rows per INSERT: under PostgreSQL's 65,535 parameters for the widest table (jobs, 43 columns). */
const CHUNK_ROWS = 500;

/** Tables whose rows mean the database already holds a history (meta alone may hold a health probe). */
const CONTENT_TABLES = [
  'jobs',
  'queues',
  'notification_events',
] as const satisfies readonly Table[];

/**
 * Writes `rows` into the store in ONE transaction. A store that already
 * holds jobs, queues or notification events is a CONFLICT unless `replace`,
 * which deletes everything first in the same transaction. Returns the
 * number of rows written per table.
 */
export async function copyHistoryInto(
  { db, exec }: Pick<StoreContext, 'db' | 'exec'>,
  rows: HistoryRows,
  replace: boolean,
): Promise<Record<Table, number>> {
  return exec.write(async () => {
    if (!replace) {
      for (const table of CONTENT_TABLES) {
        const found = await exec.first(
          db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')),
        );
        const n = Number(found?.n ?? 0);
        if (n > 0) {
          throw new CoreError(
            'CONFLICT',
            `History database ${exec.path} is not empty (${n} row(s) in ${table}); import into an empty database, or replace what it holds with --replace-history`,
            { path: exec.path, table, rows: n },
          );
        }
      }
    }
    for (const table of [...HISTORY_TABLES].reverse()) await exec.run(db.deleteFrom(table));
    const written = {} as Record<Table, number>;
    for (const table of HISTORY_TABLES) {
      const all = rows[table] as readonly object[];
      written[table] = 0;
      for (let start = 0; start < all.length; start += CHUNK_ROWS) {
        const chunk = all.slice(start, start + CHUNK_ROWS);
        // The rows come from the same schema version, so their columns are the table's.
        written[table] += await exec.run(db.insertInto(table).values(chunk));
      }
    }
    await rebuildSearchIndex({ exec });
    return written;
  });
}
