import type { NotificationDelivery, NotificationEvent } from '../domain/notification';
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
