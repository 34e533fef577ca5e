import { z } from 'zod';
import { NotificationEventType } from '../domain/notification';

const name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit');

/** The name of an environment variable, never its value: secrets stay out of the file. */
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name such as SCRIPTHUT_SMTP_PASSWORD');

const address = z.string().min(3).max(320).regex(/^[^\s@<>]+@[^\s@<>]+$/, 'an e-mail address such as ops@example.org');

const httpUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'an http(s) URL without user:password');

export const EmailChannelConfig = z.strictObject({
  name,
  type: z.literal('email'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** `starttls`: plain connect, then STARTTLS is required; `secure`: TLS from the first byte (port 465). */
  tls: z.enum(['starttls', 'secure']).default('starttls'),
  /** PEM file of the CA that signed the server's certificate, when it is not a public one. */
  ca_file: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  password_env: envName.optional(),
  from: address,
  to: z.array(address).min(1).max(50),
});

export const SlackChannelConfig = z.strictObject({
  name,
  type: z.literal('slack'),
  /** The incoming-webhook URL is a credential, so only the variable holding it is named here. */
  webhook_url_env: envName,
  allow_private: z.boolean().default(false),
});

export const WebhookChannelConfig = z.strictObject({
  name,
  type: z.literal('webhook'),
  url: httpUrl,
  /** Signing secret (`whsec_<base64>` or any text); without it requests are not signed. */
  secret_env: envName.optional(),
  /** Allow loopback, private and link-local destinations (refused by default: SSRF). */
  allow_private: z.boolean().default(false),
});

export const BrowserChannelConfig = z.strictObject({
  name,
  type: z.literal('browser'),
});

export const ChannelConfig = z.discriminatedUnion('type', [
  EmailChannelConfig,
  SlackChannelConfig,
  WebhookChannelConfig,
  BrowserChannelConfig,
]);
export type ChannelConfig = z.infer<typeof ChannelConfig>;
export type EmailChannelConfig = z.infer<typeof EmailChannelConfig>;
export type SlackChannelConfig = z.infer<typeof SlackChannelConfig>;
export type WebhookChannelConfig = z.infer<typeof WebhookChannelConfig>;

export const RuleConfig = z.strictObject({
  name,
  events: z.array(NotificationEventType).min(1),
  channels: z.array(name).min(1),
  /** Filters; an empty list matches everything. */
  clusters: z.array(z.string().min(1)).default([]),
  task_sources: z.array(z.string().min(1)).default([]),
  users: z.array(z.string().min(1)).default([]),
  /** queue.stalled and cluster.unreachable: how long the condition must last. */
  after_minutes: z.number().min(1).max(10_080).default(30),
  /** Events of this rule within this window go out as one message (a digest when there are several); 0 sends each at once. */
  digest_window_seconds: z.number().int().min(0).max(3600).default(60),
});
export type RuleConfig = z.infer<typeof RuleConfig>;

export const NotificationsConfig = z.strictObject({
  channels: z.array(ChannelConfig).max(50).default([]),
  rules: z.array(RuleConfig).max(200).default([]),
  /** Delivery retries of one message stop after this long; the message is then shown as failed. */
  give_up_after_minutes: z.number().min(1).max(10_080).default(1440),
});
export type NotificationsConfig = z.infer<typeof NotificationsConfig>;
