import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  jsonSource,
  queueTestbed,
  removeDir,
  tickUntil,
  type Testbed,
} from '@scripthut/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/create-app';
import { listenOnLoopback, type Listening } from './listen';
import { FakeCore } from './fake-core';

/** What Chromium sends when the user opens a URL or reloads a page. */
const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let bed: Testbed;
let listening: Listening;
let base: string;
let queueId: string;

beforeAll(async () => {
  bed = await queueTestbed({
    sources: [jsonSource('exp', [{ id: 'a', name: 'A', command: 'echo hello' }])],
  });
  await bed.service.start();
  const core = new FakeCore();
  core.queues = bed.service;
  const webDist = join(bed.dir, 'web');
  mkdirSync(webDist);
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>spa</title>');
  listening = await listenOnLoopback(createApp({ core, webDist }));
  base = listening.base;
  queueId = (await bed.service.run('exp')).id;
  await tickUntil(bed, async () => (await bed.service.getQueue(queueId)).tasks[0]!.state === 'completed');
});
afterAll(async () => {
  listening.close();
  await bed.close();
  await removeDir(bed.dir);
});

const get = (path: string, accept?: string) =>
  fetch(`${base}${path}`, accept ? { headers: { Accept: accept } } : {});

describe('URLs that are both SPA pages and REST resources', () => {
  const pages = () => [
    `/queues/${queueId}/tasks/a/script`,
    `/queues/${queueId}/tasks/a/logs/output`,
    `/queues/${queueId}/tasks/a/logs/error`,
    '/task-sources/exp/dry-run',
  ];

  it('serve the SPA shell to a browser navigating there', async () => {
    for (const path of pages()) {
      const res = await get(path, BROWSER_ACCEPT);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(await res.text(), path).toContain('<title>spa</title>');
    }
  });

  it('serve the resource to clients without a preference for HTML', async () => {
    for (const accept of [undefined, '*/*', 'text/plain']) {
      const script = await get(`/queues/${queueId}/tasks/a/script`, accept);
      expect(script.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await script.text()).toContain('echo hello');
      expect(await (await get(`/queues/${queueId}/tasks/a/logs/output`, accept)).text()).toBe(
        'hello\n',
      );
    }
    const dry = await get('/task-sources/exp/dry-run', 'application/json');
    expect(((await dry.json()) as { task_count: number }).task_count).toBe(1);
  });

  it('always send the file for a download, even to a browser', async () => {
    const res = await get(`/queues/${queueId}/tasks/a/logs/output?download=1`, BROWSER_ACCEPT);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename=${queueId}-a.out`);
    expect(await res.text()).toBe('hello\n');
  });

  it('tell caches that the answer depends on Accept', async () => {
    expect((await get(`/queues/${queueId}/tasks/a/script`)).headers.get('vary')).toMatch(/Accept/i);
  });
});
