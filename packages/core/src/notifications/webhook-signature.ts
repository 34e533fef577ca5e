import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks v1 signing: HMAC-SHA256 over `{id}.{timestamp}.{body}`,
 * sent as `v1,<base64>`. A secret `whsec_<base64>` is the convention's
 * encoding of the key bytes; any other text is used as UTF-8 bytes.
 */
export function secretKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature'?: string;
}

export function webhookHeaders(secret: string | null, id: string, timestampSeconds: number, body: string): WebhookHeaders {
  const headers: WebhookHeaders = { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds) };
  if (secret !== null) headers['webhook-signature'] = signWebhook(secret, id, timestampSeconds, body);
  return headers;
}

/**
 * What a receiver does: any of the space-separated `v1,` signatures must
 * match, compared in constant time, and the timestamp be within
 * `toleranceSeconds` of `nowSeconds`.
 */
export function verifyWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, headers.id, ts, body).slice(3), 'base64');
  return headers.signature.split(' ').some((part) => {
    if (!part.startsWith('v1,')) return false;
    const given = Buffer.from(part.slice(3), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
