import { afterEach, describe, expect, it } from 'vitest';
import { createHttpSecurity } from '../src/auth/http-security';
import { FakeCore, fakeJob } from './fake-core';
import { rawGet, refusedStream, serve, trpcGet, trpcPost, type Harness, type TrpcErrorBody } from './http-harness';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

/** No login configured: the local single-user default. */
async function start(allowedOrigins: string[] = []) {
  const core = new FakeCore();
  core.upsert(fakeJob('1'));
  harness = await serve({ core, webDist: null, security: createHttpSecurity({ verifier: null, allowedOrigins }) });
  return { base: harness.base, core };
}

describe('Origin checks on state-changing requests and subscriptions', () => {
  it('lets the page itself cancel a job (same Origin, or a same-origin Referer)', async () => {
    const { base, core } = await start();
    expect((await trpcPost(base, 'jobs.cancel', { id: 'hpc:1' }, { origin: base })).status).toBe(200);
    expect((await trpcPost(base, 'jobs.cancel', { id: 'hpc:1' }, { referer: `${base}/jobs/hpc:1` })).status).toBe(200);
    expect(core.cancelled).toEqual(['hpc:1', 'hpc:1']);
  });

  it('refuses a mutation from another origin, an opaque origin, or with neither Origin nor Referer, before it runs', async () => {
    const { base, core } = await start();
    const refused: Record<string, string>[] = [{ origin: 'http://evil.example' }, { origin: 'null' }, {}, { referer: 'http://evil.example/x' }, { origin: 'http://127.0.0.1:1' }];
    for (const headers of refused) {
      const res = await trpcPost(base, 'jobs.cancel', { id: 'hpc:1' }, headers);
      expect(res.status).toBe(403);
      const body = (await res.json()) as TrpcErrorBody;
      expect(body.error.data.code).toBe('FORBIDDEN');
      expect(body.error.message).toMatch(/^Refused: /);
    }
    expect((await trpcPost(base, 'clusters.refresh', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect(core.cancelled).toEqual([]);
    expect(core.refreshCalls).toBe(0);
  });

  it('refuses a cross-site form post (text/plain body) without running it', async () => {
    const { base, core } = await start();
    const res = await fetch(`${base}/trpc/jobs.cancel`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'http://evil.example' },
      body: JSON.stringify({ id: 'hpc:1' }),
    });
    expect(res.status).toBe(415);
    expect(core.cancelled).toEqual([]);
  });

  it('accepts an origin listed in settings.allowed_origins', async () => {
    const { base, core } = await start(['https://hut.example.org']);
    expect((await trpcPost(base, 'jobs.cancel', { id: 'hpc:1' }, { origin: 'https://hut.example.org' })).status).toBe(200);
    expect(core.cancelled).toEqual(['hpc:1']);
  });

  it('refuses a subscription from another origin or without Origin and Referer', async () => {
    const { base } = await start();
    const url = `${base}/trpc/events.stream?input=%7B%7D`;
    expect((await refusedStream(url)).code).toBe('FORBIDDEN');
    expect((await refusedStream(url, { origin: 'http://evil.example' })).code).toBe('FORBIDDEN');
    expect((await refusedStream(`${base}/trpc/jobs.logFollow?input=${encodeURIComponent('{"id":"hpc:1","kind":"output"}')}`, { referer: 'http://evil.example/' })).code).toBe('FORBIDDEN');
  });

  it('refuses REST POSTs from other origins with a JSON 403', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/queues/q1/cancel`, { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'FORBIDDEN', error: expect.stringMatching(/^Refused: the request comes from "http:\/\/evil.example"/) as unknown });
    expect((await fetch(`${base}/queues/q1/cancel`, { method: 'POST' })).status).toBe(403);
  });

  it('lets plain queries through without Origin (a cross-site page cannot read the answer)', async () => {
    const { base } = await start();
    expect((await trpcGet(base, 'jobs.list', {})).status).toBe(200);
  });

  it('answers only loopback host names without a login (DNS rebinding)', async () => {
    const { base } = await start(['https://hut.example.org']);
    const port = new URL(base).port;
    const withHost = (host: string, path = '/health') => rawGet(base, path, { host });
    expect((await withHost(`localhost:${port}`)).status).toBe(200);
    expect((await withHost(`[::1]:${port}`)).status).toBe(200);
    expect((await withHost('hut.example.org')).status).toBe(200);
    const rebound = await withHost(`evil.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await withHost(`evil.example:${port}`, '/trpc/jobs.list')).status).toBe(403);
  });
});

describe('limits and headers', () => {
  it('refuses bodies over 64 KB with 413 before anything runs', async () => {
    const { base, core } = await start();
    const res = await trpcPost(base, 'jobs.cancel', { id: 'x'.repeat(70_000) }, { origin: base });
    expect(res.status).toBe(413);
    expect(core.cancelled).toEqual([]);
  });

  it('sends the security headers on the SPA, API and errors alike', async () => {
    const { base } = await start();
    for (const res of [await fetch(`${base}/`), await fetch(`${base}/health`), await trpcGet(base, 'jobs.list', {}), await fetch(`${base}/nope`, { method: 'POST' })]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('answers unknown routes and malformed URLs without stack traces', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/queues/%E0%A4%A/tasks/a/script`);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toMatch(/at \w+ \(|node_modules|\/work\//);
  });
});
