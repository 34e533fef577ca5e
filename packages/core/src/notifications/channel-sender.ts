import type { JsonObject } from '../history/types';

/** What one attempt came to, with the channel's own answer in words. */
export type DeliveryResult =
  | { kind: 'sent'; answer: string }
  /** May heal: 5xx, 429, timeouts, network errors. `retryAfterMs` from the channel when it said. */
  | { kind: 'retry'; answer: string; retryAfterMs: number | null }
  /** Will not heal by retrying: Slack 404/410, webhook 410 or other 4xx, SMTP 5xx, a refused destination. */
  | { kind: 'permanent'; answer: string };

export interface OutgoingMessage {
  /** `msg_…`: the webhook id and e-mail Message-ID, the same on every attempt. */
  id: string;
  title: string;
  body: JsonObject;
}

export interface ChannelSender {
  deliver(message: OutgoingMessage): Promise<DeliveryResult>;
}

/** Answers are shown and logged; no secret value may appear in them. */
export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const values = secrets.filter((s): s is string => s !== undefined && s.length >= 4);
  return (text) => values.reduce((t, v) => t.split(v).join('[redacted]'), text).slice(0, 500);
}
