import type { NotificationMessagesTable } from '../history/schema';
import type { StoreContext } from '../history/store-context';
import type { JsonObject } from '../history/types';
import { rowToMessage } from './outbox-rows';
import type { StoredMessage } from './outbox-types';

/** Collecting messages whose window has closed, oldest first. */
export async function windowsClosed({ db, exec, clock }: StoreContext): Promise<StoredMessage[]> {
  const now = clock.now().toISOString();
  return (
    await exec.read(() =>
      exec.all(
        db
          .selectFrom('notification_messages')
          .selectAll()
          .where('state', '=', 'collecting')
          .where('window_ends_at', '<=', now)
          .orderBy('id'),
      ),
    )
  ).map(rowToMessage);
}

/** Fixes a message's title and body and makes it due now; it is given up at `giveUpAt`. */
export async function sealMessage(
  { db, exec, clock }: StoreContext,
  messageId: string,
  title: string,
  body: JsonObject,
  giveUpAt: Date,
): Promise<void> {
  await exec.write(() =>
    exec.run(
      db
        .updateTable('notification_messages')
        .set({
          state: 'pending',
          title,
          body_json: JSON.stringify(body),
          next_attempt_at: clock.now().toISOString(),
          give_up_at: giveUpAt.toISOString(),
        })
        .where('id', '=', messageId)
        .where('state', '=', 'collecting'),
    ),
  );
}

/** A message created and sealed at once (a test message). */
export async function createSealed(
  { db, exec, clock }: StoreContext,
  id: string,
  channel: string,
  title: string,
  body: JsonObject,
): Promise<void> {
  const now = clock.now().toISOString();
  await exec.write(() =>
    exec.run(
      db.insertInto('notification_messages').values({
        id,
        channel,
        rule: null,
        state: 'pending',
        event_count: 0,
        attempts: 0,
        title,
        body_json: JSON.stringify(body),
        created_at: now,
        window_ends_at: now,
        next_attempt_at: now,
        give_up_at: now,
      }),
    ),
  );
}

/** Sealed messages due for an attempt (test messages, rule null, are sent by `sendTest` alone). */
function due({ db, clock }: StoreContext) {
  return db
    .selectFrom('notification_messages')
    .where('state', 'in', ['pending', 'retrying'])
    .where('rule', 'is not', null)
    .where('next_attempt_at', '<=', clock.now().toISOString());
}

/** The channels with a due message. */
export async function dueChannels(ctx: StoreContext): Promise<string[]> {
  const { exec } = ctx;
  return (await exec.read(() => exec.all(due(ctx).select('channel').distinct()))).map(
    (r) => r.channel,
  );
}

/** The channel's oldest due message; null when none is due. */
export async function nextDue(ctx: StoreContext, channel: string): Promise<StoredMessage | null> {
  const { exec } = ctx;
  const row = await exec.read(() =>
    exec.first(due(ctx).selectAll().where('channel', '=', channel).orderBy('id').limit(1)),
  );
  return row === undefined ? null : rowToMessage(row);
}

/**
 * Messages a crash left in flight: sent or not, nobody knows. They go back
 * to `retrying` now, so the one in flight per channel may arrive twice
 * (webhooks carry the same id; e-mail the same Message-ID). Returns how many.
 */
export async function recoverInFlight({ db, exec, clock }: StoreContext): Promise<number> {
  const now = clock.now().toISOString();
  return exec.write(async () => {
    // A test message is sent once, while its user waits; after a crash it is only reported.
    await exec.run(
      db
        .updateTable('notification_messages')
        .set({
          state: 'failed',
          next_attempt_at: null,
          last_answer: 'the server stopped during this test; it may or may not have arrived',
        })
        .where('state', 'in', ['sending', 'pending'])
        .where('rule', 'is', null),
    );
    return await exec.run(
      db
        .updateTable('notification_messages')
        .set({
          state: 'retrying',
          next_attempt_at: now,
          last_answer: 'the server stopped during this attempt; sending again',
        })
        .where('state', '=', 'sending'),
    );
  });
}

/** Recorded (committed) before the message leaves, so a crash during the attempt is known at the next start. */
export async function markSending(
  { db, exec, clock }: StoreContext,
  messageId: string,
): Promise<void> {
  await exec.write(() =>
    exec.run(
      db
        .updateTable('notification_messages')
        .set((eb) => ({
          state: 'sending',
          attempts: eb('attempts', '+', 1),
          last_attempt_at: clock.now().toISOString(),
        }))
        .where('id', '=', messageId),
    ),
  );
}

/** The outcome of an attempt (sent, retrying, failed). */
export async function finishAttempt(
  { db, exec }: StoreContext,
  messageId: string,
  set: Partial<NotificationMessagesTable>,
): Promise<void> {
  await exec.write(() =>
    exec.run(db.updateTable('notification_messages').set(set).where('id', '=', messageId)),
  );
}

export async function getMessage(
  { db, exec }: StoreContext,
  messageId: string,
): Promise<StoredMessage | null> {
  const row = await exec.read(() =>
    exec.first(db.selectFrom('notification_messages').selectAll().where('id', '=', messageId)),
  );
  return row === undefined ? null : rowToMessage(row);
}

/** Newest first. */
export async function deliveries(
  { db, exec }: StoreContext,
  limit: number,
): Promise<StoredMessage[]> {
  return (
    await exec.read(() =>
      exec.all(
        db.selectFrom('notification_messages').selectAll().orderBy('id', 'desc').limit(limit),
      ),
    )
  ).map(rowToMessage);
}
