import { CompiledQuery, sql, type Compilable } from 'kysely';
import type { JobRow } from './schema';
import type { StoreContext } from './store-context';

/**
 * The columns text search looks in (job-filters.ts), in the order of
 * migration 0007's trigram table and index expression.
 */
export const SEARCH_COLUMNS = [
  'name',
  'id',
  'scheduler_job_id',
  'user',
  'cluster',
  'partition',
  'nodes',
  'queue_id',
  'state',
  'reason',
] as const satisfies ReadonlyArray<keyof JobRow>;

type SearchedRow = Pick<JobRow, (typeof SEARCH_COLUMNS)[number]>;

const IDS_PER_READ = 500;
const COLUMNS = SEARCH_COLUMNS.map((c) => `"${c}"`).join(', ');
const PLACES = SEARCH_COLUMNS.map(() => '?').join(', ');
const UNINDEX_HEAD = `insert into jobs_search (jobs_search, rowid, ${COLUMNS}) values`;
const UNINDEX_ROW = `('delete', ?, ${PLACES})`;
const INDEX_HEAD = `insert into jobs_search (rowid, ${COLUMNS}) select rowid, ${COLUMNS} from jobs where id in`;
/** Rows per statement: 11 parameters each, under SQLite's 32,766. */
const IDS_PER_WRITE = 500;

const raw = (text: string, parameters: unknown[] = []): Compilable<unknown> => ({
  compile: () => CompiledQuery.raw(text, parameters),
});

const sameSearch = (a: SearchedRow, b: SearchedRow): boolean =>
  SEARCH_COLUMNS.every((c) => a[c] === b[c]);

/**
 * Writes job rows with `write` and keeps SQLite's trigram table
 * (`jobs_search`, migration 0007) in step, inside the caller's transaction.
 * The searched columns of the stored rows are read first; a job that is new,
 * or whose searched columns changed, is taken out of the index with those
 * stored values (an external-content table must be told what it indexed)
 * and indexed again from the row as written. A poll that only moves elapsed
 * times re-indexes nothing. `onlyNew`: `write` leaves stored rows as they
 * are (insert or ignore), so only new jobs are indexed. Deleted jobs leave
 * the table by a trigger. No-op on PostgreSQL, whose index is its own.
 */
export async function writeSearchedRows(
  { db, exec }: Pick<StoreContext, 'db' | 'exec'>,
  rows: readonly JobRow[],
  write: () => Promise<void>,
  o: { onlyNew?: boolean } = {},
): Promise<void> {
  if (exec.kind !== 'sqlite' || rows.length === 0) return write();
  // Last write wins within a batch, as in the table.
  const latest = new Map(rows.map((row) => [row.id, row]));
  const ids = [...latest.keys()];
  const stored = new Map<string, SearchedRow & { rowid: number }>();
  for (let start = 0; start < ids.length; start += IDS_PER_READ) {
    const found = await exec.all(
      db
        .selectFrom('jobs')
        .select([sql<number>`rowid`.as('rowid'), ...SEARCH_COLUMNS])
        .where('id', 'in', ids.slice(start, start + IDS_PER_READ)),
    );
    for (const r of found) stored.set(r.id, r);
  }
  await write();
  const changed = [...latest].filter(([id, row]) => {
    const before = stored.get(id);
    return before === undefined || (o.onlyNew !== true && !sameSearch(before, row));
  });
  for (let start = 0; start < changed.length; start += IDS_PER_WRITE) {
    const chunk = changed.slice(start, start + IDS_PER_WRITE).map(([id]) => id);
    const previous = chunk.flatMap((id) => {
      const before = stored.get(id);
      return before === undefined ? [] : [[before.rowid, ...SEARCH_COLUMNS.map((c) => before[c])]];
    });
    if (previous.length > 0)
      await exec.run(
        raw(`${UNINDEX_HEAD} ${previous.map(() => UNINDEX_ROW).join(', ')}`, previous.flat()),
      );
    await exec.run(raw(`${INDEX_HEAD} (${chunk.map(() => '?').join(', ')})`, chunk));
  }
}

/** SQLite: indexes every stored job again (after rows were copied in without the writer). */
export async function rebuildSearchIndex({ exec }: Pick<StoreContext, 'exec'>): Promise<void> {
  if (exec.kind === 'sqlite')
    await exec.run(raw(`insert into jobs_search (jobs_search) values ('rebuild')`));
}
