import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect';

/**
 * Schema v9: the live event stream shared by the instances of one PostgreSQL
 * database (`events/pg-event-stream.ts`). `stream_events` holds recent events
 * under gap-free ids; the one row of `stream_position` holds the last id
 * given out (its row lock makes writers take ids in commit order) and the
 * stream's epoch, random per database, which clients' resume ids carry.
 * The payload is `json`, not `jsonb`: it is only ever read back whole, and
 * `json` keeps the text as written, where `jsonb` refuses some strings a job
 * may carry (`\u0000`, lone surrogates) and would make a poll's event unwritable.
 * SQLite keeps the in-process stream of its one server: nothing to create.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await db.schema
    .createTable('stream_position')
    .addColumn('singleton', 'integer', (c) => c.primaryKey().check(sql`singleton = 1`))
    .addColumn('last_id', 'bigint', (c) => c.notNull())
    .addColumn('epoch', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into stream_position (singleton, last_id, epoch) values (1, 0, ${randomBytes(8).toString('hex')})`.execute(
    db,
  );
  await db.schema
    .createTable('stream_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Which write of which instance added the row: a write retried after a lost COMMIT finds its rows and adds none.
    .addColumn('batch', 'text', (c) => c.notNull())
    .addColumn('payload', 'json', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stream_events_created_at')
    .on('stream_events')
    .column('created_at')
    .execute();
  await db.schema.createIndex('stream_events_batch').on('stream_events').column('batch').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await db.schema.dropTable('stream_events').execute();
  await db.schema.dropTable('stream_position').execute();
}
