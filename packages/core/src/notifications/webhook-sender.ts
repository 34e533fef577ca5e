import type { Clock } from '../runtime/clock';
import type { WebhookChannelConfig } from '../config/notifications-schema';
import { parseRetryAfter } from './backoff';
import type { ChannelSender, DeliveryResult, OutgoingMessage } from './channel-sender';
import { httpPost, type HttpAnswer, type Resolver } from './http-post';
import { webhookHeaders } from './webhook-signature';

export interface HttpSenderDeps {
  clock: Clock;
  timeoutMs: number;
  resolver?: Resolver;
  redact: (text: string) => string;
}

/** HTTP statuses a receiver may get over by itself (Standard Webhooks: 429, 502, 504 throttle; 5xx fail). */
const retryable = (status: number): boolean => status >= 500 || status === 429 || status === 408 || status === 425;

/** How an HTTP answer classifies: 2xx sent, 3xx refused (redirects are not followed), retryable statuses retried, other 4xx failed for good. */
export function classifyHttp(answer: HttpAnswer, now: Date, redact: (t: string) => string): DeliveryResult {
  switch (answer.kind) {
    case 'timeout':
    case 'network':
      return { kind: 'retry', answer: redact(answer.message), retryAfterMs: null };
    case 'refused':
      return { kind: 'permanent', answer: redact(`refused: ${answer.message}`) };
    case 'response': {
      const text = redact(`HTTP ${answer.status}${answer.body.trim() ? `: ${answer.body.trim().slice(0, 300)}` : ''}`);
      if (answer.status >= 200 && answer.status < 300) return { kind: 'sent', answer: text };
      if (answer.status >= 300 && answer.status < 400) {
        return { kind: 'permanent', answer: redact(`HTTP ${answer.status}: redirects are not followed (to ${String(answer.headers.location ?? 'nowhere')})`) };
      }
      if (retryable(answer.status)) return { kind: 'retry', answer: text, retryAfterMs: parseRetryAfter(answer.headers['retry-after'], now) };
      return { kind: 'permanent', answer: text };
    }
  }
}

/** Standard Webhooks: POST the sealed body with `webhook-id` = message id, a fresh timestamp and its signature. */
export class WebhookSender implements ChannelSender {
  constructor(
    private readonly channel: WebhookChannelConfig,
    private readonly secret: string | null,
    private readonly d: HttpSenderDeps,
  ) {}

  async deliver(message: OutgoingMessage): Promise<DeliveryResult> {
    const body = JSON.stringify(message.body);
    const now = this.d.clock.now();
    const headers = webhookHeaders(this.secret, message.id, Math.floor(now.getTime() / 1000), body);
    const answer = await httpPost({
      url: this.channel.url,
      headers: { ...headers },
      body,
      timeoutMs: this.d.timeoutMs,
      allowPrivate: this.channel.allow_private,
      ...(this.d.resolver ? { resolver: this.d.resolver } : {}),
    });
    return classifyHttp(answer, this.d.clock.now(), this.d.redact);
  }
}
