import { z } from 'zod';

/**
 * What ScriptHut notifies about. Names are `noun.verb` as in the webhook
 * payload's `type`; adding one is a minor version of the payload schema.
 */
export const NotificationEventType = z.enum([
  'queue.finished',
  'queue.stalled',
  'job.failed',
  'job.out_of_memory',
  'job.timed_out',
  'job.lost',
  'cluster.unreachable',
  'cluster.recovered',
  'source.sync_failed',
]);
export type NotificationEventType = z.infer<typeof NotificationEventType>;

export const NotificationSeverity = z.enum(['info', 'success', 'warning', 'error']);
export type NotificationSeverity = z.infer<typeof NotificationSeverity>;

/** One recorded event as the bell and the API show it. */
export const NotificationEvent = z.object({
  /** `evt_…`, stable: the same id in every message and webhook that carries the event. */
  id: z.string(),
  type: NotificationEventType,
  severity: NotificationSeverity,
  /** One line a user reads once, e.g. `Queue demo (local) finished: 18 completed, 2 failed`. */
  title: z.string(),
  /** A few more lines: the failing task's name and reason, counts. */
  text: z.string(),
  createdAt: z.string(),
  cluster: z.string().nullable(),
  queueId: z.string().nullable(),
  taskSource: z.string().nullable(),
  user: z.string().nullable(),
  jobId: z.string().nullable(),
  /** Path inside the dashboard (`/queues/…`, `/jobs?…`), to join with `public_url`. */
  path: z.string(),
  /** Whether a browser channel takes it (desktop notification when the user allowed them). */
  browser: z.boolean(),
});
export type NotificationEvent = z.infer<typeof NotificationEvent>;

export const DeliveryState = z.enum(['collecting', 'pending', 'sending', 'retrying', 'sent', 'failed']);
export type DeliveryState = z.infer<typeof DeliveryState>;

/** One message to one channel (a single event or a digest of several), for the delivery log. */
export const NotificationDelivery = z.object({
  id: z.string(),
  channel: z.string(),
  /** The rule that routed it; null for a test message. */
  rule: z.string().nullable(),
  state: DeliveryState,
  eventCount: z.number().int(),
  title: z.string(),
  attempts: z.number().int(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  /** The channel's own answer to the last attempt (`HTTP 410: channel_is_archived`, `SMTP 250 OK`). */
  lastAnswer: z.string().nullable(),
});
export type NotificationDelivery = z.infer<typeof NotificationDelivery>;

export const ChannelType = z.enum(['email', 'slack', 'webhook', 'browser']);
export type ChannelType = z.infer<typeof ChannelType>;

/** A configured channel without anything secret: where it points, never a password, token or Slack URL. */
export const ChannelView = z.object({
  name: z.string(),
  type: ChannelType,
  /** `smtp.example.org:587 (STARTTLS) → a@x, b@y`; `https://hooks.example.org/…`; `Slack (URL from SLACK_URL)`. */
  target: z.string(),
  /** Why it cannot send (a variable it names is unset); null when usable. */
  problem: z.string().nullable(),
  /** Implicit browser channel (no config entry). */
  implicit: z.boolean(),
});
export type ChannelView = z.infer<typeof ChannelView>;

export const RuleView = z.object({
  name: z.string(),
  events: z.array(NotificationEventType),
  channels: z.array(z.string()),
  clusters: z.array(z.string()),
  taskSources: z.array(z.string()),
  users: z.array(z.string()),
  afterMinutes: z.number(),
  digestWindowSeconds: z.number(),
});
export type RuleView = z.infer<typeof RuleView>;

export const SendTestResult = z.object({
  ok: z.boolean(),
  answer: z.string(),
  deliveryId: z.string(),
});
export type SendTestResult = z.infer<typeof SendTestResult>;
