import type { Kysely } from 'kysely';

/**
 * Schema v1. Later versions add numbered modules; a released migration is
 * never edited. Types are the portable subset (text, integer) so the same
 * design can be created on PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('scheduler_job_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('user', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('scheduler_state', 'text')
    .addColumn('outcome', 'text')
    .addColumn('exit_code', 'integer')
    .addColumn('signal', 'integer')
    .addColumn('reason', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('partition', 'text')
    .addColumn('cpus', 'integer')
    .addColumn('memory', 'text')
    .addColumn('nodes', 'text')
    .addColumn('time_used', 'text')
    .addColumn('time_limit', 'text')
    .addColumn('work_dir', 'text')
    .addColumn('command', 'text')
    .addColumn('stdout_path', 'text')
    .addColumn('stderr_path', 'text')
    .addColumn('submit_time', 'text')
    .addColumn('start_time', 'text')
    .addColumn('finish_time', 'text')
    .addColumn('queue_id', 'text')
    .addColumn('task_id', 'text')
    .addColumn('error', 'text')
    .addColumn('last_seen', 'text')
    .addColumn('stale', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  const jobIndexes: Array<[string, string[]]> = [
    ['jobs_cluster_state', ['cluster', 'state']],
    ['jobs_cluster_scheduler_job_id', ['cluster', 'scheduler_job_id']],
    ['jobs_state', ['state']],
    ['jobs_user', ['user']],
    ['jobs_queue_id', ['queue_id']],
    ['jobs_submit_time', ['submit_time']],
    ['jobs_updated_at', ['updated_at']],
    ['jobs_finished_at', ['finished_at']],
  ];
  for (const [name, columns] of jobIndexes) {
    await db.schema.createIndex(name).on('jobs').columns(columns).execute();
  }

  await db.schema
    .createTable('queues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('max_concurrent', 'integer')
    .addColumn('log_dir', 'text', (c) => c.notNull())
    .addColumn('account', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('source_commit', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('queues_created_at').on('queues').column('created_at').execute();
  await db.schema.createIndex('queues_cluster').on('queues').column('cluster').execute();

  // Jobs are observations and may outlive or predate their queue row (legacy
  // import, retention), so jobs.queue_id is deliberately not a foreign key.
  await db.schema
    .createTable('tasks')
    .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('spec_json', 'text', (c) => c.notNull())
    .addColumn('script', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.references('jobs.id').onDelete('set null'))
    .addPrimaryKeyConstraint('tasks_pk', ['queue_id', 'task_id'])
    .execute();
  // Without it every job deletion would scan tasks to apply ON DELETE SET NULL.
  await db.schema.createIndex('tasks_job_id').on('tasks').column('job_id').execute();

  await db.schema
    .createTable('submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull().unique())
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('scheduler_job_id', 'text')
    .addColumn('message', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addForeignKeyConstraint(
      'submissions_task_fk',
      ['queue_id', 'task_id'],
      'tasks',
      ['queue_id', 'task_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('submissions_task')
    .on('submissions')
    .columns(['queue_id', 'task_id'])
    .execute();
  await db.schema.createIndex('submissions_state').on('submissions').column('state').execute();

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['submissions', 'tasks', 'queues', 'jobs', 'meta']) {
    await db.schema.dropTable(table).execute();
  }
}
