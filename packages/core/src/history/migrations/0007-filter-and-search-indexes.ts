import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect';

/**
 * Schema v7: indexes for the Jobs page's filters, its counts, the queue
 * list's counts, and its text search.
 *
 * Filters: the list and its counts filter by cluster and state, by
 * (cluster, user) pairs ("my jobs") or by user, always with `array_id IS
 * NULL`, and sort by submit time. Each index below holds the equality
 * columns, `array_id`, then (submit_time, id) so a page walks it in order,
 * and the columns the counts group by, so a count reads no table row. The
 * v1 index on (cluster, state) is their prefix and is dropped.
 *
 * Search: every word of the search box must be a substring of one of ten
 * columns (job-filters.ts). On SQLite an FTS5 table with the trigram
 * tokenizer indexes them (external content: no copy of the text, keyed by
 * the jobs' rowid; `INSERT INTO jobs_search(jobs_search) VALUES ('rebuild')`
 * rebuilds it); the list asks it for candidates and checks them with the
 * same LIKE as before. The writer keeps it in step (search-index.ts): a
 * trigger on insert or update would cost every upsert statement about as
 * much as the upsert itself, even when it does nothing; deletions, from any
 * path, are a trigger (it has the old values an external-content delete
 * needs). On PostgreSQL a pg_trgm GIN index on the same joined text serves
 * that LIKE directly. Without pg_trgm (not installable there) the index is
 * left out and search scans, with the same results.
 */
const LIST_INDEXES: Array<[name: string, columns: string[]]> = [
  ['jobs_cluster_state_list', ['cluster', 'state', 'array_id', 'submit_time', 'id']],
  ['jobs_cluster_user_list', ['cluster', 'user', 'array_id', 'submit_time', 'id']],
  // The counts of one (cluster, user) pair, in their grouping order (see job-counts.ts).
  ['jobs_cluster_user_state', ['cluster', 'user', 'state', 'array_id']],
  ['jobs_user_list', ['user', 'array_id', 'submit_time', 'id', 'cluster', 'state']],
];

/** The columns search looks in: search-index.ts's list as of v7, copied because a migration never changes. */
const SEARCH_COLUMNS = [
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
] as const;

/** The PostgreSQL index's expression; job-filters.ts `searchText` must produce it exactly. */
const SEARCH_TEXT = `lower(${SEARCH_COLUMNS.map((c) => `coalesce("${c}", '')`).join(` || ' ' || `)})`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, columns] of LIST_INDEXES)
    await db.schema.createIndex(name).on('jobs').columns(columns).execute();
  await db.schema.dropIndex('jobs_cluster_state').execute();
  await db.schema
    .createIndex('tasks_queue_state')
    .on('tasks')
    .columns(['queue_id', 'state'])
    .execute();
  if (isPostgres(db)) await postgresSearchIndex(db);
  else await sqliteSearchIndex(db);
}

async function sqliteSearchIndex(db: Kysely<unknown>): Promise<void> {
  const columns = SEARCH_COLUMNS.map((c) => `"${c}"`).join(', ');
  const old = SEARCH_COLUMNS.map((c) => `old."${c}"`).join(', ');
  await sql
    .raw(
      `create virtual table jobs_search using fts5(${columns}, content='jobs', content_rowid='rowid', tokenize='trigram')`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger jobs_search_delete after delete on jobs begin insert into jobs_search (jobs_search, rowid, ${columns}) values ('delete', old.rowid, ${old}); end`,
    )
    .execute(db);
  await sql`insert into jobs_search (jobs_search) values ('rebuild')`.execute(db);
}

/**
 * pg_trgm ships with PostgreSQL's contrib and is a trusted extension (any
 * user who may create in the database can install it). It is installed once
 * per database, in `public` when that schema exists (so dropping a schema
 * never drops it from under another), and used from wherever it already is.
 * Concurrent first migrations are serialized by an advisory lock; a refused
 * installation is rolled back to a savepoint and leaves search unindexed.
 */
async function postgresSearchIndex(db: Kysely<unknown>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('scripthut:pg_trgm'))`.execute(db);
  let schema = await trgmSchema(db);
  if (schema === null) {
    const available =
      await sql`select 1 from pg_available_extensions where name = 'pg_trgm'`.execute(db);
    if (available.rows.length === 0) return;
    const target = await sql<{ schema: string }>`
      select coalesce((select nspname from pg_namespace where nspname = 'public'), current_schema()) as schema
    `.execute(db);
    await sql`savepoint install_pg_trgm`.execute(db);
    try {
      await sql`create extension if not exists pg_trgm schema ${sql.id(target.rows[0]!.schema)}`.execute(
        db,
      );
      await sql`release savepoint install_pg_trgm`.execute(db);
    } catch {
      await sql`rollback to savepoint install_pg_trgm`.execute(db);
      return;
    }
    schema = await trgmSchema(db);
    if (schema === null) return;
  }
  await sql
    .raw(
      `create index jobs_search_trgm on jobs using gin ((${SEARCH_TEXT}) "${schema}".gin_trgm_ops)`,
    )
    .execute(db);
}

async function trgmSchema(db: Kysely<unknown>): Promise<string | null> {
  const found = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pg_trgm'
  `.execute(db);
  return found.rows[0]?.schema ?? null;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop index if exists jobs_search_trgm`.execute(db);
  } else {
    await sql`drop trigger jobs_search_delete`.execute(db);
    await sql`drop table jobs_search`.execute(db);
  }
  await db.schema.dropIndex('tasks_queue_state').execute();
  await db.schema
    .createIndex('jobs_cluster_state')
    .on('jobs')
    .columns(['cluster', 'state'])
    .execute();
  for (const [name] of LIST_INDEXES) await db.schema.dropIndex(name).execute();
}
