import type { ChannelConfig, NotificationsConfig } from '../config/notifications-schema';
import type { ChannelView } from '../domain/notification';
import type { Clock } from '../runtime/clock';
import { redactor, type ChannelSender } from './channel-sender';
import { EmailSender } from './email-sender';
import type { Resolver } from './http-post';
import { SlackSender } from './slack-sender';
import { WebhookSender } from './webhook-sender';

export interface BuildChannelsDeps {
  environment: Record<string, string | undefined>;
  clock: Clock;
  /** Reads a CA file named in the config; null when unreadable. */
  readCa: (path: string) => string | null;
  timeoutMs?: number;
  resolver?: Resolver;
}

export interface BuiltChannels {
  senders: Map<string, ChannelSender & { close?: () => void }>;
  views: ChannelView[];
  /** Every secret value the channels use, for redaction anywhere a text is shown. */
  secrets: string[];
}

/** Every environment variable the notifications config names (main.ts passes exactly these to core). */
export function notificationEnvNames(config: NotificationsConfig): string[] {
  return config.channels.flatMap((c) => {
    switch (c.type) {
      case 'email':
        return c.password_env === undefined ? [] : [c.password_env];
      case 'slack':
        return [c.webhook_url_env];
      case 'webhook':
        return c.secret_env === undefined ? [] : [c.secret_env];
      case 'browser':
        return [];
    }
  });
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** A webhook URL shown without its path and query, which may carry a token. */
const originOnly = (url: string): string => {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(invalid URL)';
  }
};

/** Senders and secret-free views of the configured channels, plus the implicit browser channel when none is configured. */
export function buildChannels(config: NotificationsConfig, d: BuildChannelsDeps): BuiltChannels {
  const env = (name: string | undefined): string | null => (name === undefined ? null : (d.environment[name] ?? null) || null);
  const secrets = notificationEnvNames(config)
    .map((n) => env(n))
    .filter((v): v is string => v !== null);
  const redact = redactor(secrets);
  const timeoutMs = d.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const http = { clock: d.clock, timeoutMs, redact, ...(d.resolver ? { resolver: d.resolver } : {}) };
  const senders = new Map<string, ChannelSender & { close?: () => void }>();
  const views: ChannelView[] = [];
  const view = (c: ChannelConfig, target: string, problem: string | null): void => {
    views.push({ name: c.name, type: c.type, target, problem, implicit: false });
  };
  for (const c of config.channels) {
    switch (c.type) {
      case 'email': {
        const password = env(c.password_env);
        const ca = c.ca_file === undefined ? null : d.readCa(c.ca_file);
        const problem =
          c.password_env !== undefined && password === null
            ? `environment variable ${c.password_env} is not set`
            : c.ca_file !== undefined && ca === null
              ? `cannot read ${c.ca_file}`
              : null;
        senders.set(c.name, new EmailSender(c, { timeoutMs, password, ca, redact }));
        view(c, `${c.host}:${c.port} (${c.tls === 'secure' ? 'TLS' : 'STARTTLS'}${c.user ? `, as ${c.user}` : ''}) → ${c.to.join(', ')}`, problem);
        break;
      }
      case 'slack': {
        const url = env(c.webhook_url_env);
        senders.set(
          c.name,
          url !== null
            ? new SlackSender(c, url, http)
            : { deliver: () => Promise.resolve({ kind: 'permanent', answer: `environment variable ${c.webhook_url_env} was not set when the server started` }) },
        );
        view(c, `Slack incoming webhook (URL from ${c.webhook_url_env})`, url === null ? `environment variable ${c.webhook_url_env} is not set` : null);
        break;
      }
      case 'webhook': {
        const secret = env(c.secret_env);
        senders.set(c.name, new WebhookSender(c, secret, http));
        const problem = c.secret_env !== undefined && secret === null ? `environment variable ${c.secret_env} is not set` : null;
        view(c, `${originOnly(c.url)}${secret !== null ? ' (signed)' : ' (unsigned)'}${c.allow_private ? ', private addresses allowed' : ''}`, problem);
        break;
      }
      case 'browser':
        view(c, 'this browser, when you allow notifications', null);
        break;
    }
  }
  if (!config.channels.some((c) => c.type === 'browser')) {
    views.push({ name: 'browser', type: 'browser', target: 'this browser, when you allow notifications', problem: null, implicit: true });
  }
  return { senders, views, secrets };
}
