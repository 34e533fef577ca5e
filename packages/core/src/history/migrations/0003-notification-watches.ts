import type { Kysely } from 'kysely';

/**
 * Schema v3: the clocks of notifications that are only news after a while
 * (a job waiting for a reason that never clears, a cluster unreachable), so
 * that a restart neither starts them again nor announces an outage twice.
 * `subject` is the job id (`stall`) or the cluster name (`outage`);
 * `announced` says the outage was notified, so its end is notified too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_watches')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addColumn('announced', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('notification_watches_pk', ['kind', 'subject'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notification_watches').execute();
}
