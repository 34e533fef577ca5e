import { randomBytes } from 'node:crypto';
import type { NotificationEventsTable, NotificationMessagesTable } from '../history/schema';
import type { JsonObject } from '../history/types';
import type { StoredEvent, StoredMessage } from './outbox-types';

/** Time-ordered unique ids: `evt_`/`msg_` + base-36 milliseconds + 64 random bits. */
export const newId = (prefix: 'evt' | 'msg', now: Date): string =>
  `${prefix}_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;

export function rowToEvent(r: NotificationEventsTable): StoredEvent {
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

export function rowToMessage(r: NotificationMessagesTable): StoredMessage {
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
