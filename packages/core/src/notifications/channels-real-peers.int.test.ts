import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailChannelConfig, SlackChannelConfig, WebhookChannelConfig } from '../config/notifications-schema';
import { systemClock } from '../runtime/clock';
import { redactor } from './channel-sender';
import { EmailSender } from './email-sender';
import { renderMessage } from './render-message';
import { SlackSender } from './slack-sender';
import { startHttpReceiver, type HttpReceiver } from './testing/http-receiver';
import { selfSignedCertificate, startSmtpPeer, type SmtpPeer } from './testing/smtp-peer';
import { WebhookSender } from './webhook-sender';
import type { StoredEvent } from './outbox-types';

const SMTP_PASSWORD = 'scripthut-test-smtp-password-Vb7nM3qL';
const WEBHOOK_SECRET = 'whsec_c2NyaXB0aHV0LXRlc3Qtd2ViaG9vay1zZWNyZXQtSzlwUTJ3';
const redact = redactor([SMTP_PASSWORD, WEBHOOK_SECRET]);

const event: StoredEvent = {
  id: 'evt_0000000001',
  type: 'job.out_of_memory',
  severity: 'error',
  title: 'Task "align sample 7" ran out of memory on hpc',
  text: 'OUT_OF_MEMORY\nTask source align, queue q1\nCluster hpc, user alice',
  createdAt: '2026-03-01T12:00:00.000Z',
  cluster: 'hpc',
  queueId: 'q1',
  taskSource: 'align',
  user: 'alice',
  jobId: 'q:q1:t7',
  path: '/jobs/q%3Aq1%3At7',
  browser: true,
  data: {},
};
const message = (id: string) => {
  const r = renderMessage(id, 'failures', [event], new Date(), 'https://hut.example.org');
  return { id, title: r.title, body: r.body };
};

describe('e-mail through a real SMTP server with STARTTLS and AUTH', () => {
  let peer: SmtpPeer;
  let cert: ReturnType<typeof selfSignedCertificate>;
  beforeAll(async () => {
    cert = selfSignedCertificate();
    peer = await startSmtpPeer({ key: cert.key, cert: cert.cert, user: 'hut', password: SMTP_PASSWORD });
  });
  afterAll(async () => {
    await peer.close();
    cert.remove();
  });
  const channel = (o: Partial<EmailChannelConfig> = {}) =>
    EmailChannelConfig.parse({ name: 'mail', type: 'email', host: '127.0.0.1', port: peer.port, user: 'hut', password_env: 'P', from: 'hut@example.org', to: ['alice@example.org'], ...o });
  const sender = (c: EmailChannelConfig, password = SMTP_PASSWORD) => new EmailSender(c, { timeoutMs: 5_000, password, ca: cert.cert, redact });

  it('delivers over STARTTLS after AUTH; the message has the subject, a stable Message-ID, the reason and the link', async () => {
    const s = sender(channel());
    const result = await s.deliver(message('msg_mail1'));
    s.close();
    expect(result).toMatchObject({ kind: 'sent' });
    expect(result.answer).toMatch(/^SMTP 250/);
    const mail = peer.received.at(-1)!;
    expect(mail.secure).toBe(true);
    expect(mail.user).toBe('hut');
    expect(mail.to).toEqual(['alice@example.org']);
    expect(mail.parsed.subject).toBe('[ScriptHut] Task "align sample 7" ran out of memory on hpc');
    expect(mail.parsed.messageId).toBe('<msg_mail1@scripthut>');
    expect(mail.parsed.headers.get('x-scripthut-message')).toBe('msg_mail1');
    expect(mail.parsed.text).toContain('OUT_OF_MEMORY');
    expect(mail.parsed.text).toContain('Open in ScriptHut: https://hut.example.org/jobs/q%3Aq1%3At7');
  });

  it('stops on a 5xx for good and retries a 4xx, quoting the server', async () => {
    const rejected = sender(channel({ to: ['reject-me@example.org'] }));
    const r1 = await rejected.deliver(message('msg_mail2'));
    rejected.close();
    expect(r1.kind).toBe('permanent');
    expect(r1.answer).toContain('550');
    const later = sender(channel({ to: ['later-me@example.org'] }));
    const r2 = await later.deliver(message('msg_mail3'));
    later.close();
    expect(r2.kind).toBe('retry');
    expect(r2.answer).toContain('451');
  });

  it('reports a wrong password as a 535 that will not heal, without the password', async () => {
    const s = sender(channel(), 'wrong-password-123');
    const result = await s.deliver(message('msg_mail4'));
    s.close();
    expect(result.kind).toBe('permanent');
    expect(result.answer).toContain('535');
    expect(result.answer).not.toContain(SMTP_PASSWORD);
  });

  it('refuses a server whose certificate it cannot verify, and retries (the certificate may be fixed)', async () => {
    const s = new EmailSender(channel(), { timeoutMs: 5_000, password: SMTP_PASSWORD, ca: null, redact });
    const result = await s.deliver(message('msg_mail5'));
    s.close();
    expect(result.kind).toBe('retry');
    expect(result.answer).toMatch(/certificate/i);
  });
});

describe('webhooks to loopback receivers', () => {
  let rx: HttpReceiver;
  beforeAll(async () => {
    rx = await startHttpReceiver({ secret: WEBHOOK_SECRET });
  });
  afterAll(() => rx.close());
  const hook = (o: Partial<WebhookChannelConfig> = {}) =>
    new WebhookSender(WebhookChannelConfig.parse({ name: 'hook', type: 'webhook', url: rx.url, allow_private: true, ...o }), WEBHOOK_SECRET, { clock: systemClock, timeoutMs: 1_000, redact });

  it('posts the versioned JSON body with Standard Webhooks headers the receiver verifies', async () => {
    const result = await hook().deliver(message('msg_hook1'));
    expect(result).toEqual({ kind: 'sent', answer: 'HTTP 200: ok' });
    const req = rx.received.at(-1)!;
    expect(req.signatureValid).toBe(true);
    expect(req.headers['webhook-id']).toBe('msg_hook1');
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body) as { type: string; schema_version: number; data: { event_ids: string[]; events: { url: string }[] } };
    expect(body).toMatchObject({ type: 'job.out_of_memory', schema_version: 1, data: { event_ids: ['evt_0000000001'] } });
    expect(body.data.events[0]!.url).toBe('https://hut.example.org/jobs/q%3Aq1%3At7');
  });

  it('classifies a 500 and a timeout as retryable and a 429 with its Retry-After', async () => {
    rx.answers.push({ status: 500, body: 'boom' }, 'hang', { status: 429, headers: { 'retry-after': '7' }, body: 'slow down' });
    expect(await hook().deliver(message('msg_hook2'))).toEqual({ kind: 'retry', answer: 'HTTP 500: boom', retryAfterMs: null });
    expect(await hook().deliver(message('msg_hook2'))).toEqual({ kind: 'retry', answer: 'no answer within 1000 ms', retryAfterMs: null });
    expect(await hook().deliver(message('msg_hook2'))).toEqual({ kind: 'retry', answer: 'HTTP 429: slow down', retryAfterMs: 7_000 });
  });

  it('does not follow a redirect, and stops on 410', async () => {
    const before = rx.received.length;
    rx.answers.push({ status: 302, headers: { location: 'http://169.254.169.254/latest' } }, { status: 410, body: 'gone' });
    expect(await hook().deliver(message('msg_hook3'))).toEqual({ kind: 'permanent', answer: 'HTTP 302: redirects are not followed (to http://169.254.169.254/latest)' });
    expect(await hook().deliver(message('msg_hook3'))).toEqual({ kind: 'permanent', answer: 'HTTP 410: gone' });
    expect(rx.received.length - before).toBe(2);
  });

  it('refuses loopback and names resolving to private addresses unless allow_private is set', async () => {
    const before = rx.received.length;
    const refused = await hook({ allow_private: false }).deliver(message('msg_hook4'));
    expect(refused.kind).toBe('permanent');
    expect(refused.answer).toContain('127.0.0.1 is a loopback, private or link-local address');
    const viaDns = new WebhookSender(
      WebhookChannelConfig.parse({ name: 'hook', type: 'webhook', url: rx.url.replace('127.0.0.1', 'hooks.example.org') }),
      WEBHOOK_SECRET,
      { clock: systemClock, timeoutMs: 1_000, redact, resolver: () => Promise.resolve([{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }]) },
    );
    const r = await viaDns.deliver(message('msg_hook5'));
    expect(r.kind).toBe('permanent');
    expect(r.answer).toContain('hooks.example.org resolves to 10.0.0.7');
    expect(rx.received.length).toBe(before);
  });
});

describe('Slack incoming webhooks to a loopback receiver', () => {
  let rx: HttpReceiver;
  beforeAll(async () => {
    rx = await startHttpReceiver({ path: '/services/T000/B000/XXXX' });
  });
  afterAll(() => rx.close());
  const slack = () =>
    new SlackSender(SlackChannelConfig.parse({ name: 'chat', type: 'slack', webhook_url_env: 'S', allow_private: true }), rx.url, {
      clock: systemClock,
      timeoutMs: 1_000,
      redact: redactor([rx.url]),
    });

  it('posts text and a mrkdwn section with the link', async () => {
    expect(await slack().deliver(message('msg_s1'))).toEqual({ kind: 'sent', answer: 'HTTP 200: ok' });
    const body = JSON.parse(rx.received.at(-1)!.body) as { text: string; blocks: { text: { text: string } }[] };
    expect(body.text).toBe('Task "align sample 7" ran out of memory on hpc');
    expect(body.blocks[0]!.text.text).toContain('<https://hut.example.org/jobs/q%3Aq1%3At7|Open in ScriptHut>');
  });

  it('stops on channel_is_archived (410) and channel_not_found (404), retries rate limits', async () => {
    rx.answers.push({ status: 410, body: 'channel_is_archived' }, { status: 404, body: 'channel_not_found' }, { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' });
    expect(await slack().deliver(message('msg_s2'))).toEqual({ kind: 'permanent', answer: 'HTTP 410: channel_is_archived' });
    expect(await slack().deliver(message('msg_s2'))).toEqual({ kind: 'permanent', answer: 'HTTP 404: channel_not_found' });
    expect(await slack().deliver(message('msg_s2'))).toEqual({ kind: 'retry', answer: 'HTTP 429: rate_limited', retryAfterMs: 1_000 });
  });
});
