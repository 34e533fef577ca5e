import { describe, expect, it } from 'vitest';
import { secretKey, signWebhook, verifyWebhook } from './webhook-signature';

// The Standard Webhooks reference vector (spec repository, libraries' tests).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const BODY = '{"test": 2432232314}';

describe('webhook signatures', () => {
  it('signs id.timestamp.body with HMAC-SHA256 of the whsec_ key bytes, as v1,<base64>', () => {
    expect(signWebhook(SECRET, ID, TS, BODY)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('uses a secret without the whsec_ prefix as its UTF-8 bytes', () => {
    expect(secretKey('plain-secret').toString('utf8')).toBe('plain-secret');
    expect(signWebhook('plain-secret', ID, TS, BODY)).not.toBe(signWebhook(SECRET, ID, TS, BODY));
  });

  it('verifies any one of several space-separated signatures within the time tolerance', () => {
    const sig = signWebhook(SECRET, ID, TS, BODY);
    expect(verifyWebhook(SECRET, { id: ID, timestamp: String(TS), signature: `v1,bm90IGl0 ${sig}` }, BODY, TS + 10)).toBe(true);
  });

  it('rejects a changed body, another id, a stale timestamp and another secret', () => {
    const sig = signWebhook(SECRET, ID, TS, BODY);
    expect(verifyWebhook(SECRET, { id: ID, timestamp: String(TS), signature: sig }, BODY + ' ', TS)).toBe(false);
    expect(verifyWebhook(SECRET, { id: 'msg_other', timestamp: String(TS), signature: sig }, BODY, TS)).toBe(false);
    expect(verifyWebhook(SECRET, { id: ID, timestamp: String(TS), signature: sig }, BODY, TS + 301)).toBe(false);
    expect(verifyWebhook('whsec_b3RoZXI=', { id: ID, timestamp: String(TS), signature: sig }, BODY, TS)).toBe(false);
  });
});
