import type {
  ChannelView,
  NotificationDelivery,
  NotificationEvent,
  RuleView,
  SendTestResult,
} from '../domain/notification';

/** A recorded notification event, as the stream carries it when it is committed. */
export interface NotificationStreamEvent {
  type: 'notification';
  event: NotificationEvent;
}

/** What the API may ask of notifications. Nothing returned holds a secret. */
export interface NotificationsApi {
  /** Newest first. */
  recent(limit: number): Promise<NotificationEvent[]>;
  /** Newest first. */
  deliveries(limit: number): Promise<NotificationDelivery[]>;
  channels(): ChannelView[];
  rules(): RuleView[];
  /** One test message now, no retries; NOT_FOUND for an unknown channel, INVALID_INPUT for a browser one. */
  sendTest(channel: string): Promise<SendTestResult>;
}
