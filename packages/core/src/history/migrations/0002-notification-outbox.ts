import type { Kysely } from 'kysely';

/**
 * Schema v2: the notification outbox. An event row is written in the same
 * transaction as the state change it reports; messages (one per channel and
 * rule, a digest when several events share a window) are what the delivery
 * worker sends and retries; the link table says which events a message carries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('cluster', 'text')
    .addColumn('queue_id', 'text')
    .addColumn('task_source', 'text')
    .addColumn('user', 'text')
    .addColumn('job_id', 'text')
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('browser', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('data_json', 'text', (c) => c.notNull())
    // One event per fact (a job failing, a queue finishing): a second write of the same fact is ignored.
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('routed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('notification_events_created_at')
    .on('notification_events')
    .column('created_at')
    .execute();
  await db.schema
    .createIndex('notification_events_routed')
    .on('notification_events')
    .column('routed')
    .execute();

  await db.schema
    .createTable('notification_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('rule', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_json', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('window_ends_at', 'text', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('give_up_at', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('last_answer', 'text')
    .execute();
  await db.schema
    .createIndex('notification_messages_state')
    .on('notification_messages')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notification_messages_collecting')
    .on('notification_messages')
    .columns(['channel', 'rule', 'state'])
    .execute();
  await db.schema
    .createIndex('notification_messages_created_at')
    .on('notification_messages')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('notification_message_events')
    .addColumn('message_id', 'text', (c) =>
      c.notNull().references('notification_messages.id').onDelete('cascade'),
    )
    .addColumn('event_id', 'text', (c) =>
      c.notNull().references('notification_events.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('notification_message_events_pk', ['message_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('notification_message_events_event')
    .on('notification_message_events')
    .column('event_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'notification_message_events',
    'notification_messages',
    'notification_events',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
