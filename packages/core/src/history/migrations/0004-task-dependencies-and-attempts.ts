import { sql, type Kysely } from 'kysely';

/**
 * Schema v3: task dependencies and queue attempts.
 *
 * - `tasks.depends_on_json`: ids of tasks of the same queue this one waits
 *   for (a JSON array; `[]` for every task stored before). A retry keeps
 *   only the edges to tasks it retries: the others completed earlier.
 * - `tasks.reason`: why a task ended without a job of its own (skipped:
 *   "dependency X failed"); null otherwise.
 * - `queues.original_id`, `retry_of`, `attempt`, `origin_json`: a retry or
 *   rerun is a new queue of the same family. `original_id` is the first
 *   attempt's id (its own for a first attempt, so every existing queue gets
 *   its own id), `retry_of` the queue it was made from, `attempt` counts from
 *   1, `origin_json` says what was retried (null for a first attempt).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tasks')
    .addColumn('depends_on_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('tasks').addColumn('reason', 'text').execute();
  await db.schema.alterTable('queues').addColumn('original_id', 'text').execute();
  await db.schema.alterTable('queues').addColumn('retry_of', 'text').execute();
  await db.schema
    .alterTable('queues')
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('queues').addColumn('origin_json', 'text').execute();
  await sql`update queues set original_id = id`.execute(db);
  await db.schema.createIndex('queues_original_id').on('queues').column('original_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('queues_original_id').execute();
  for (const column of ['origin_json', 'attempt', 'retry_of', 'original_id']) {
    await db.schema.alterTable('queues').dropColumn(column).execute();
  }
  for (const column of ['reason', 'depends_on_json']) {
    await db.schema.alterTable('tasks').dropColumn(column).execute();
  }
}
