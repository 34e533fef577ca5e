import type { Kysely } from 'kysely';

/**
 * Schema v10: `queues.owner`, the ScriptHut user who started a queue's
 * family (a retry keeps it), so a user may cancel and retry only their own
 * queues. Existing queues get null: the shared account's, which only admins
 * (and the shared login) may change once named users are configured.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('queues').addColumn('owner', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('queues').dropColumn('owner').execute();
}
