import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect';

/**
 * Schema v5: scheduler arrays as one row, and efficiency of finished jobs.
 * `array_id` links a task (or a pending range of tasks) to its array's own
 * row, which carries `array_counts` (JSON, tasks by state). The efficiency
 * figures are columns so the job list sorts by them in SQL. On SQLite
 * `real` is an 8-byte float and `integer` 8 bytes; PostgreSQL says the same
 * with `double precision` (its `real` has 4 bytes, 7 digits) and `bigint`
 * (its `integer` stops at 2 GiB, below a job's MaxRSS).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const float = pg ? 'double precision' : 'real';
  const bytes = pg ? 'bigint' : 'integer';
  const columns: Array<[string, 'text' | 'integer' | 'real' | 'double precision' | 'bigint']> = [
    ['array_id', 'text'],
    ['array_tasks', 'integer'],
    ['array_counts', 'text'],
    ['cpu_seconds', float],
    ['elapsed_seconds', float],
    ['alloc_cpus', 'integer'],
    ['cpu_efficiency', float],
    ['max_rss_bytes', bytes],
    ['requested_memory_bytes', bytes],
    ['memory_efficiency', float],
  ];
  for (const [name, type] of columns) {
    await db.schema.alterTable('jobs').addColumn(name, type).execute();
  }
  // Partial: most jobs are in no array, and a full index would tempt SQLite to
  // answer the list's `array_id IS NULL` from it and sort every row, instead of
  // walking the index of the sort column.
  await db.schema
    .createIndex('jobs_array_id')
    .on('jobs')
    .column('array_id')
    .where(sql.ref('array_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_array_id').execute();
  for (const name of [
    'memory_efficiency',
    'requested_memory_bytes',
    'max_rss_bytes',
    'cpu_efficiency',
    'alloc_cpus',
    'elapsed_seconds',
    'cpu_seconds',
    'array_counts',
    'array_tasks',
    'array_id',
  ]) {
    await db.schema.alterTable('jobs').dropColumn(name).execute();
  }
}
