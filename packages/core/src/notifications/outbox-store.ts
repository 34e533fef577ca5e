import { randomBytes } from 'node:crypto';
import type { NotificationDelivery, NotificationEvent } from '../domain/notification';
import type { NotificationEventsTable, NotificationMessagesTable } from '../history/schema';
import type { StoreContext } from '../history/store-context';
import type { JsonObject } from '../history/types';

/** An event to record; `dedupeKey` names the fact so that writing it twice records it once. */
export interface NewNotificationEvent extends Omit<NotificationEvent, 'id' | 'createdAt'> {
  dedupeKey: string;
  data: JsonObject;
}

export interface StoredEvent extends NotificationEvent {
  data: JsonObject;
}

/** Where an event goes: one message per (rule, channel) and window. */
export interface RouteTarget {
  rule: string;
  channel: string;
  windowSeconds: number;
}

export interface StoredMessage extends NotificationDelivery {
  /** The rendered body, fixed when the message is sealed, so every retry sends the same bytes. */
  body: JsonObject | null;
  giveUpAt: string | null;
  windowEndsAt: string;
}

/** Time-ordered unique ids: `evt_`/`msg_` + base-36 milliseconds + 64 random bits. */
export const newId = (prefix: 'evt' | 'msg', now: Date): string =>
  `${prefix}_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;

/**
 * The outbox tables of the history database. Every method is one
 * transaction, or joins the caller's (the store's write hooks call
 * `recordEvent` inside the job or queue write that caused the event).
 */
export class OutboxStore {
  constructor(private readonly ctx: StoreContext) {}

  /** Inserts the event unless one with the same dedupe key exists; returns whether it was inserted. */
  recordEvent(event: NewNotificationEvent): boolean {
    const { db, exec, clock } = this.ctx;
    const now = clock.now();
    return exec.write(
      () =>
        exec.run(
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
        ) > 0,
    );
  }

  /** Oldest first. */
  unroutedEvents(limit = 500): StoredEvent[] {
    const { db, exec } = this.ctx;
    return exec
      .read(() => exec.all(db.selectFrom('notification_events').selectAll().where('routed', '=', 0).orderBy('id').limit(limit)))
      .map(rowToEvent);
  }

  /** Newest first. */
  recentEvents(limit: number): StoredEvent[] {
    const { db, exec } = this.ctx;
    return exec
      .read(() => exec.all(db.selectFrom('notification_events').selectAll().orderBy('id', 'desc').limit(limit)))
      .map(rowToEvent);
  }

  /** Adds the event to the open message of each target (opening one when none is collecting) and marks it routed. */
  route(eventId: string, title: string, targets: readonly RouteTarget[]): void {
    const { db, exec, clock } = this.ctx;
    const now = clock.now();
    exec.write(() => {
      for (const t of targets) {
        const open = exec.first(
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
          exec.run(
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
        const linked = exec.run(
          db
            .insertInto('notification_message_events')
            .values({ message_id: messageId, event_id: eventId })
            .onConflict((oc) => oc.columns(['message_id', 'event_id']).doNothing()),
        );
        if (linked > 0) {
          exec.run(
            db
              .updateTable('notification_messages')
              .set((eb) => ({ event_count: eb('event_count', '+', 1) }))
              .where('id', '=', messageId),
          );
        }
      }
      exec.run(db.updateTable('notification_events').set({ routed: 1 }).where('id', '=', eventId));
    });
  }

  /** Collecting messages whose window has closed, oldest first. */
  windowsClosed(): StoredMessage[] {
    const { db, exec, clock } = this.ctx;
    const now = clock.now().toISOString();
    return exec
      .read(() =>
        exec.all(
          db.selectFrom('notification_messages').selectAll().where('state', '=', 'collecting').where('window_ends_at', '<=', now).orderBy('id'),
        ),
      )
      .map(rowToMessage);
  }

  /** Events of a message, oldest first. */
  messageEvents(messageId: string): StoredEvent[] {
    const { db, exec } = this.ctx;
    return exec
      .read(() =>
        exec.all(
          db
            .selectFrom('notification_message_events as me')
            .innerJoin('notification_events as e', 'e.id', 'me.event_id')
            .selectAll('e')
            .where('me.message_id', '=', messageId)
            .orderBy('e.id'),
        ),
      )
      .map(rowToEvent);
  }

  /** Fixes a message's title and body and makes it due now; it is given up at `giveUpAt`. */
  seal(messageId: string, title: string, body: JsonObject, giveUpAt: Date): void {
    const { db, exec, clock } = this.ctx;
    exec.write(() =>
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
  createSealed(id: string, channel: string, title: string, body: JsonObject): void {
    const { db, exec, clock } = this.ctx;
    const now = clock.now();
    exec.write(() =>
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
          created_at: now.toISOString(),
          window_ends_at: now.toISOString(),
          next_attempt_at: now.toISOString(),
          give_up_at: now.toISOString(),
        }),
      ),
    );
  }

  /** Sealed messages due for an attempt, oldest first. Test messages (rule null) are sent by `sendTest` alone. */
  dueMessages(): StoredMessage[] {
    const { db, exec, clock } = this.ctx;
    const now = clock.now().toISOString();
    return exec
      .read(() =>
        exec.all(
          db
            .selectFrom('notification_messages')
            .selectAll()
            .where('state', 'in', ['pending', 'retrying'])
            .where('rule', 'is not', null)
            .where('next_attempt_at', '<=', now)
            .orderBy('id'),
        ),
      )
      .map(rowToMessage);
  }

  /**
   * Messages a crash left in flight: sent or not, nobody knows. They go back
   * to `retrying` now, so the one in flight per channel may arrive twice
   * (webhooks carry the same id; e-mail the same Message-ID).
   */
  recoverInFlight(): number {
    const { db, exec, clock } = this.ctx;
    const now = clock.now().toISOString();
    return exec.write(() => {
      // A test message is sent once, while its user waits; after a crash it is only reported.
      exec.run(
        db
          .updateTable('notification_messages')
          .set({ state: 'failed', next_attempt_at: null, last_answer: 'the server stopped during this test; it may or may not have arrived' })
          .where('state', 'in', ['sending', 'pending'])
          .where('rule', 'is', null),
      );
      return exec.run(
        db
          .updateTable('notification_messages')
          .set({ state: 'retrying', next_attempt_at: now, last_answer: 'the server stopped during this attempt; sending again' })
          .where('state', '=', 'sending'),
      );
    });
  }

  /** Recorded (committed) before the message leaves, so a crash during the attempt is known at the next start. */
  markSending(messageId: string): void {
    const { db, exec, clock } = this.ctx;
    exec.write(() =>
      exec.run(
        db
          .updateTable('notification_messages')
          .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), last_attempt_at: clock.now().toISOString() }))
          .where('id', '=', messageId),
      ),
    );
  }

  markSent(messageId: string, answer: string): void {
    this.#finish(messageId, { state: 'sent', sent_at: this.ctx.clock.now().toISOString(), next_attempt_at: null, last_answer: answer });
  }

  markRetry(messageId: string, nextAttemptAt: Date, answer: string): void {
    this.#finish(messageId, { state: 'retrying', next_attempt_at: nextAttemptAt.toISOString(), last_answer: answer });
  }

  markFailed(messageId: string, answer: string): void {
    this.#finish(messageId, { state: 'failed', next_attempt_at: null, last_answer: answer });
  }

  getMessage(messageId: string): StoredMessage | null {
    const { db, exec } = this.ctx;
    const row = exec.read(() => exec.first(db.selectFrom('notification_messages').selectAll().where('id', '=', messageId)));
    return row === undefined ? null : rowToMessage(row);
  }

  /** Newest first. */
  deliveries(limit: number): StoredMessage[] {
    const { db, exec } = this.ctx;
    return exec
      .read(() => exec.all(db.selectFrom('notification_messages').selectAll().orderBy('id', 'desc').limit(limit)))
      .map(rowToMessage);
  }

  /** Retention: events and finished messages older than the cutoff. Returns the number of events deleted. */
  prune(olderThan: Date): number {
    const { db, exec } = this.ctx;
    const cutoff = olderThan.toISOString();
    return exec.write(() => {
      exec.run(db.deleteFrom('notification_messages').where('created_at', '<', cutoff).where('state', 'in', ['sent', 'failed']));
      return exec.run(
        db
          .deleteFrom('notification_events')
          .where('created_at', '<', cutoff)
          .where('routed', '=', 1)
          .where((eb) =>
            eb.not(eb.exists(eb.selectFrom('notification_message_events').select('event_id').whereRef('event_id', '=', 'notification_events.id'))),
          ),
      );
    });
  }

  #finish(messageId: string, set: Partial<NotificationMessagesTable>): void {
    const { db, exec } = this.ctx;
    exec.write(() => exec.run(db.updateTable('notification_messages').set(set).where('id', '=', messageId)));
  }
}

function rowToEvent(r: NotificationEventsTable): StoredEvent {
  return {
    id: r.id,
    type: r.type as StoredEvent['type'],
    severity: r.severity as StoredEvent['severity'],
    title: r.title,
    text: r.text,
    createdAt: r.created_at,
    cluster: r.cluster,
    queueId: r.queue_id,
    taskSource: r.task_source,
    user: r.user,
    jobId: r.job_id,
    path: r.path,
    browser: r.browser === 1,
    data: JSON.parse(r.data_json) as JsonObject,
  };
}

function rowToMessage(r: NotificationMessagesTable): StoredMessage {
  return {
    id: r.id,
    channel: r.channel,
    rule: r.rule,
    state: r.state as StoredMessage['state'],
    eventCount: r.event_count,
    title: r.title,
    attempts: r.attempts,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    sentAt: r.sent_at,
    lastAnswer: r.last_answer,
    body: r.body_json === null ? null : (JSON.parse(r.body_json) as JsonObject),
    giveUpAt: r.give_up_at,
    windowEndsAt: r.window_ends_at,
  };
}
