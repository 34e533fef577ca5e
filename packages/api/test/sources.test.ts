import { SHARED_ACTOR } from '@scripthut/core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreError, type CoreEvent } from '@scripthut/core';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/app-router';
import { createApp } from '../src/create-app';
import { createCallerFactory } from '../src/trpc';
import { FakeCore } from './fake-core';
import { fakeSource } from './fake-sources';

const nonFastForward = () =>
  new CoreError(
    'CONFLICT',
    'Branch "main" of git@example.test:org/jobs.git was rewritten upstream (force-pushed)',
    {
      kind: 'non_fast_forward',
      remoteSha: 'b'.repeat(40),
    },
  );

describe('sources through a tRPC caller', () => {
  it('lists, syncs and resets, publishing each status as a source event', async () => {
    const core = new FakeCore();
    const events: CoreEvent[] = [];
    core.events.subscribe((item) => events.push(item.event));
    const api = createCallerFactory(appRouter)({ core, actor: SHARED_ACTOR });
    expect(await api.sources.list()).toEqual([fakeSource('jobs')]);
    expect(await api.sources.sync({ name: 'jobs' })).toMatchObject({
      name: 'jobs',
      lastError: null,
    });
    expect(await api.sources.reset({ name: 'jobs' })).toMatchObject({ name: 'jobs' });
    expect(core.sources.calls).toEqual([
      { op: 'sync', name: 'jobs' },
      { op: 'reset', name: 'jobs' },
    ]);
    expect(events.map((e) => e.type)).toEqual(['source', 'source']);
  });

  it('fails a sync with the mapped code, the core code and the error kind', async () => {
    const core = new FakeCore();
    core.sources.failures.set('jobs', nonFastForward());
    const api = createCallerFactory(appRouter)({ core, actor: SHARED_ACTOR });
    const error = await api.sources.sync({ name: 'jobs' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('force-pushed') as string,
    });
    expect(core.sources.list()[0]).toMatchObject({ lastErrorKind: 'non_fast_forward' });
  });

  it('refuses unknown and malformed source names', async () => {
    const api = createCallerFactory(appRouter)({ core: new FakeCore(), actor: SHARED_ACTOR });
    await expect(api.sources.sync({ name: 'other' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.sources.sync({ name: '../etc' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('sources over REST', () => {
  let core: FakeCore;
  let server: Server;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    core = new FakeCore();
    core.sources.statuses = [
      fakeSource('jobs'),
      fakeSource('broken', {
        cloned: false,
        commit: null,
        lastError: 'Permission denied',
        lastErrorKind: 'auth_failed',
      }),
    ];
    dir = mkdtempSync(join(tmpdir(), 'sources-rest-'));
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>spa</title>');
    server = createApp({ core, webDist: join(dir, 'web') }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (accept: string) => fetch(`${base}/sources`, { headers: { Accept: accept } });
  const post = (path: string) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { Origin: base } });

  it('answers GET /sources with JSON for API clients and curl, and with the SPA for a browser', async () => {
    for (const accept of ['application/json', '*/*']) {
      const res = await get(accept);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('vary')).toMatch(/Accept/);
      const body = (await res.json()) as Record<string, unknown>[];
      expect(body.map((s) => s.name)).toEqual(['jobs', 'broken']);
      expect(body[0]).toMatchObject({
        branch: 'main',
        cloned: true,
        commit: { sha: 'a'.repeat(40), subject: 'Add jobs' },
        last_sync_at: '2026-01-01T00:00:05.000Z',
        last_error: null,
      });
      expect(body[1]).toMatchObject({
        cloned: false,
        last_error: 'Permission denied',
        last_error_kind: 'auth_failed',
      });
    }
    const page = await get('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>spa</title>');
  });

  it('syncs one source on POST /sources/:name/sync and answers errors with their code and kind', async () => {
    const ok = await post('/sources/jobs/sync');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ name: 'jobs', last_error: null });

    core.sources.failures.set('jobs', nonFastForward());
    const refused = await post('/sources/jobs/sync');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      code: 'CONFLICT',
      details: { kind: 'non_fast_forward' },
    });

    const reset = await post('/sources/jobs/reset');
    expect(reset.status).toBe(200);
    expect((await post('/sources/nope/sync')).status).toBe(404);
  });
});
