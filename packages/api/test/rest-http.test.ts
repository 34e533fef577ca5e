import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSource, queueTestbed, removeDir, tickUntil, type Testbed } from '@scripthut/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/create-app';
import { listenOnLoopback, type Listening } from './listen';
import { FakeCore } from './fake-core';

let bed: Testbed;
let listening: Listening;
let base: string;

beforeAll(async () => {
  bed = await queueTestbed({
    sources: [
      jsonSource('exp', [
        { id: 'a', name: 'A', command: 'seq 1 5; echo "it\'s done" >&2' },
        { id: 'b', name: 'B', command: 'sleep 30' },
        { id: 'c', name: 'C', command: 'true' },
      ], { max_concurrent: 1 }),
      jsonSource('broken', 'not a list' as never),
      jsonSource('inline', Array.from({ length: 3_000 }, (_, i) => ({ id: `t${i}`, name: `T${i}`, command: `echo ${i}` }))),
      jsonSource('twostep', [
        { id: 'one', name: 'One', command: 'exit 7' },
        { id: 'two', name: 'Two', command: 'true', depends_on: ['one'] },
      ]),
    ],
  });
  await bed.service.start();
  const core = new FakeCore();
  core.queues = bed.service;
  const webDist = join(bed.dir, 'web');
  mkdirSync(webDist);
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>spa</title>');
  listening = await listenOnLoopback(createApp({ core, webDist }));
  base = listening.base;
});
afterAll(async () => {
  listening.close();
  await bed.close();
  await removeDir(bed.dir);
});

const get = (path: string) => fetch(`${base}${path}`);
/** Same-origin POSTs, as a browser on the page (or a script naming the server) sends them. */
const post = (path: string, headers: Record<string, string> = {}, body?: string) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { Origin: base, ...headers }, ...(body === undefined ? {} : { body }) });

describe('REST endpoints over real HTTP', () => {
  it('serves the seed endpoints end to end, beside the SPA pages', async () => {
    const sources = (await (await get('/task-sources')).json()) as { name: string; max_concurrent: number }[];
    expect(sources.map((s) => [s.name, s.max_concurrent])).toEqual([
      ['exp', 1],
      ['broken', 3],
      ['inline', 3],
      ['twostep', 3],
    ]);
    const dry = (await (await get('/task-sources/exp/dry-run')).json()) as { task_count: number; tasks: { task_id: string; script: string }[] };
    expect(dry.task_count).toBe(3);
    expect(dry.tasks[0]?.script).toContain('seq 1 5');

    const run = await post('/task-sources/exp/run');
    expect(run.status).toBe(201);
    const created = (await run.json()) as { queue_id: string; source_name: string; cluster_name: string; task_count: number; status: string };
    expect(created).toMatchObject({ source_name: 'exp', cluster_name: 'local', task_count: 3 });
    const id = created.queue_id;
    await tickUntil(bed, async () => (await bed.service.getQueue(id)).tasks[0]!.state === 'completed');

    const list = (await (await get('/queues/list')).json()) as { queue_id: string; status: string }[];
    expect(list).toEqual([expect.objectContaining({ queue_id: id, status: 'running' })]);
    for (const page of ['/queues', `/queues/${id}`]) {
      const res = await get(page);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('<title>spa</title>');
    }

    const script = await get(`/queues/${id}/tasks/a/script`);
    expect(script.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await script.text()).toContain('seq 1 5');
    expect(await (await get(`/queues/${id}/tasks/a/logs/output?tail=2`)).text()).toBe('4\n5\n');
    expect(await (await get(`/queues/${id}/tasks/a/logs/error`)).text()).toBe("it's done\n");
    const download = await get(`/queues/${id}/tasks/a/logs/output?download=1`);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename=${id}-a.out`);
    expect(await download.text()).toBe('1\n2\n3\n4\n5\n');
    const missing = await get(`/queues/${id}/tasks/c/logs/output`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('No log: the task is pending and has not been submitted yet\n');

    const cancel = await post(`/queues/${id}/cancel`);
    const cancelled = (await cancel.json()) as { status: string; tasks: { task_id: string; result: string }[] };
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.tasks.map((t) => [t.task_id, t.result])).toEqual([
      ['a', 'already_finished'],
      ['b', 'cancel_requested'],
      ['c', 'cancelled'],
    ]);
  });

  it('maps errors to statuses with the core code, and validates parameters', async () => {
    const broken = await post('/task-sources/broken/run');
    expect(broken.status).toBe(422);
    expect(await broken.json()).toMatchObject({ code: 'TASK_SOURCE_INVALID', details: { problem: 'wrong_shape' } });
    const inline = await post('/task-sources/inline/run');
    expect(inline.status).toBe(422);
    expect(await inline.json()).toMatchObject({
      code: 'TASK_SOURCE_INVALID',
      error: expect.stringMatching(/^Task source "inline": its command is [\d,]+ bytes long, too long for the operating system to start/) as string,
      details: { problem: 'command_too_long', limitBytes: 131_072 },
    });
    const unknown = await post('/task-sources/nope/run');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await get('/queues/nope/tasks/a/script')).status).toBe(404);
    expect((await get('/queues/x/tasks/a/logs/secrets')).status).toBe(400);
    expect((await get('/queues/x/tasks/a/logs/output?tail=-3')).status).toBe(400);
    expect((await get('/queues/x/tasks/a%2F..%2Fb/script')).status).toBe(400);
  });

  it('refuses cross-site POSTs', async () => {
    const res = await post('/task-sources/exp/run', { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' });
    expect(res.status).toBe(403);
    for (const action of ['retry', 'rerun']) {
      const refused = await fetch(`${base}/queues/q1/${action}`, { method: 'POST', headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' }, body: '{"states":["failed"]}' });
      expect(refused.status).toBe(403);
    }
  });

  it('retries the failed tasks of a finished queue and reruns it, as scripts call it', async () => {
    const created = (await (await post('/task-sources/twostep/run')).json()) as { queue_id: string };
    const id = created.queue_id;
    await tickUntil(bed, async () => (await bed.service.getQueue(id)).queue.status === 'failed');
    const listed = ((await (await get('/queues/list')).json()) as Record<string, unknown>[]).find((q) => q.queue_id === id);
    expect(listed).toMatchObject({ status: 'failed', counts: { failed: 1, skipped: 1 }, ending: '1 failed, 1 skipped because a dependency did not complete', original_id: id, retry_of: null, attempt: 1 });

    const retryPost = (body: string) => post(`/queues/${id}/retry`, { 'Content-Type': 'application/json' }, body);
    const bad = await retryPost('{"states":["exploded"]}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_INPUT', error: /states/ });
    expect((await retryPost('{"states":["failed"],"memory":"2G --uid=0"}')).status).toBe(400);
    expect((await post(`/queues/${id}/retry`)).status).toBe(400);
    const nothing = await retryPost('{"states":["timed_out"]}');
    expect(nothing.status).toBe(409);
    expect(await nothing.json()).toMatchObject({ code: 'CONFLICT', details: { problem: 'nothing_to_retry' } });

    const retry = await retryPost('{"states":["failed"],"memory":"2G","time_limit":"30"}');
    expect(retry.status).toBe(201);
    const attempt = (await retry.json()) as { queue_id: string };
    expect(attempt).toMatchObject({ original_id: id, retry_of: id, attempt: 2, source_name: 'twostep', cluster_name: 'local', task_count: 2 });
    expect((await post(`/queues/${id}/rerun`)).status).toBe(409);
    await tickUntil(bed, async () => (await bed.service.getQueue(attempt.queue_id)).queue.status === 'failed');
    expect((await bed.service.getQueue(attempt.queue_id)).tasks.map((t) => [t.taskId, t.submit.memory, t.submit.timeLimit])).toEqual([
      ['one', '2G', '30'],
      ['two', '4G', '1:00:00'],
    ]);

    const rerun = await post(`/queues/${attempt.queue_id}/rerun`);
    expect(rerun.status).toBe(201);
    expect(await rerun.json()).toMatchObject({ original_id: id, retry_of: attempt.queue_id, attempt: 3, task_count: 2 });
    expect((await post('/queues/nope/rerun')).status).toBe(404);
  });
});
