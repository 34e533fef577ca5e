import type { StoreContext } from '../history/store-context';
import { newId, rowToEvent } from './outbox-rows';
import type { NewNotificationEvent, RouteTarget, StoredEvent } from './outbox-types';

/** Inserts the event unless one with the same dedupe key exists; returns whether it was inserted. */
export async function recordEvent(
  { db, exec, clock }: StoreContext,
  event: NewNotificationEvent,
): Promise<boolean> {
  const now = clock.now();
  return exec.write(
    async () =>
      (await exec.run(
        db
          .insertInto('notification_events')
          .values({
            id: newId('evt', now),
            type: event.type,
            severity: event.severity,
            title: event.title,
            text: event.text,
            created_at: now.toISOString(),
            cluster: event.cluster,
            queue_id: event.queueId,
            task_source: event.taskSource,
            user: event.user,
            job_id: event.jobId,
            path: event.path,
            browser: event.browser ? 1 : 0,
            data_json: JSON.stringify(event.data),
            dedupe_key: event.dedupeKey,
            routed: 0,
          })
          .onConflict((oc) => oc.column('dedupe_key').doNothing()),
      )) > 0,
  );
}

/** Oldest first. */
export async function unroutedEvents(
  { db, exec }: StoreContext,
  limit: number,
): Promise<StoredEvent[]> {
  return (
    await exec.read(() =>
      exec.all(
        db
          .selectFrom('notification_events')
          .selectAll()
          .where('routed', '=', 0)
          .orderBy('id')
          .limit(limit),
      ),
    )
  ).map(rowToEvent);
}

/** Newest first. */
export async function recentEvents(
  { db, exec }: StoreContext,
  limit: number,
): Promise<StoredEvent[]> {
  return (
    await exec.read(() =>
      exec.all(db.selectFrom('notification_events').selectAll().orderBy('id', 'desc').limit(limit)),
    )
  ).map(rowToEvent);
}

/** Events of a message, oldest first. */
export async function messageEvents(
  { db, exec }: StoreContext,
  messageId: string,
): Promise<StoredEvent[]> {
  return (
    await exec.read(() =>
      exec.all(
        db
          .selectFrom('notification_message_events as me')
          .innerJoin('notification_events as e', 'e.id', 'me.event_id')
          .selectAll('e')
          .where('me.message_id', '=', messageId)
          .orderBy('e.id'),
      ),
    )
  ).map(rowToEvent);
}

/** Adds the event to the open message of each target (opening one when none is collecting) and marks it routed, in one transaction. */
export async function routeEvent(
  { db, exec, clock }: StoreContext,
  eventId: string,
  title: string,
  targets: readonly RouteTarget[],
): Promise<void> {
  const now = clock.now();
  await exec.write(async () => {
    for (const t of targets) {
      const open = await exec.first(
        db
          .selectFrom('notification_messages')
          .select('id')
          .where('channel', '=', t.channel)
          .where('rule', '=', t.rule)
          .where('state', '=', 'collecting')
          .where('window_ends_at', '>', now.toISOString())
          .orderBy('id', 'desc')
          .limit(1),
      );
      let messageId = open?.id;
      if (messageId === undefined) {
        messageId = newId('msg', now);
        await exec.run(
          db.insertInto('notification_messages').values({
            id: messageId,
            channel: t.channel,
            rule: t.rule,
            state: 'collecting',
            event_count: 0,
            attempts: 0,
            title,
            created_at: now.toISOString(),
            window_ends_at: new Date(now.getTime() + t.windowSeconds * 1000).toISOString(),
          }),
        );
      }
      const linked = await exec.run(
        db
          .insertInto('notification_message_events')
          .values({ message_id: messageId, event_id: eventId })
          .onConflict((oc) => oc.columns(['message_id', 'event_id']).doNothing()),
      );
      if (linked > 0) {
        await exec.run(
          db
            .updateTable('notification_messages')
            .set((eb) => ({ event_count: eb('event_count', '+', 1) }))
            .where('id', '=', messageId),
        );
      }
    }
    await exec.run(
      db.updateTable('notification_events').set({ routed: 1 }).where('id', '=', eventId),
    );
  });
}
