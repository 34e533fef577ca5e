import type { StoreContext } from '../history/store-context';

/** What one pruning batch removed. */
export interface PrunedBatch {
  messages: number;
  events: number;
}

/**
 * Retention, one short transaction: up to `limit` sent or failed messages
 * created before the cutoff (their event links go with them), then up to
 * `limit` routed events older than the cutoff that no message carries any
 * more. A message still collecting, pending or retrying keeps its events.
 * Callers repeat while a batch comes back full.
 */
export async function pruneOutboxBatch(
  { db, exec }: StoreContext,
  olderThan: Date,
  limit: number,
): Promise<PrunedBatch> {
  const cutoff = olderThan.toISOString();
  return exec.write(async () => {
    const messages = await exec.run(
      db
        .deleteFrom('notification_messages')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('notification_messages')
            .select('id')
            .where('created_at', '<', cutoff)
            .where('state', 'in', ['sent', 'failed'])
            .limit(limit),
        ),
    );
    const events = await exec.run(
      db.deleteFrom('notification_events').where('id', 'in', (eb) =>
        eb
          .selectFrom('notification_events as e')
          .select('e.id')
          .where('e.created_at', '<', cutoff)
          .where('e.routed', '=', 1)
          .where((w) =>
            w.not(
              w.exists(
                w
                  .selectFrom('notification_message_events as me')
                  .select('me.event_id')
                  .whereRef('me.event_id', '=', 'e.id'),
              ),
            ),
          )
          .limit(limit),
      ),
    );
    return { messages, events };
  });
}
