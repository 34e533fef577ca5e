import { sql, type Kysely } from 'kysely';

/**
 * Schema v6: indexes that serve the Jobs page's sorts whole. The list orders
 * by its sort column(s) and then by id in the same direction, so an index on
 * (column, id) walked forward or backward yields a page without sorting the
 * table; the single-column indexes on submit time, state and user were their
 * prefixes and are dropped. Without them, 100,000 jobs sorted by cluster took
 * about 0.5 s a page (every row tied on the column, so all were sorted by id).
 * Sorts by an expression the page rarely uses (elapsed time, lifecycle,
 * exit, source) still sort; they stay under 0.1 s at 100,000 jobs.
 */
const COMPOSITE: Array<[name: string, column: string]> = [
  ['jobs_submit_time_id', 'submit_time'],
  ['jobs_name_id', 'name'],
  ['jobs_user_id', 'user'],
  ['jobs_state_id', 'state'],
  ['jobs_cluster_id', 'cluster'],
  ['jobs_partition_id', 'partition'],
  ['jobs_cpus_id', 'cpus'],
  ['jobs_cpu_efficiency_id', 'cpu_efficiency'],
  ['jobs_memory_efficiency_id', 'memory_efficiency'],
];
const REPLACED: Array<[name: string, column: string]> = [
  ['jobs_submit_time', 'submit_time'],
  ['jobs_state', 'state'],
  ['jobs_user', 'user'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, column] of COMPOSITE)
    await db.schema.createIndex(name).on('jobs').columns([column, 'id']).execute();
  // Job numbers sort shorter-first (9 before 10): the index holds the same expression.
  await sql`create index jobs_job_number_id on jobs (length(scheduler_job_id), scheduler_job_id, id)`.execute(
    db,
  );
  for (const [name] of REPLACED) await db.schema.dropIndex(name).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name, column] of REPLACED)
    await db.schema.createIndex(name).on('jobs').column(column).execute();
  await db.schema.dropIndex('jobs_job_number_id').execute();
  for (const [name] of COMPOSITE) await db.schema.dropIndex(name).execute();
}
