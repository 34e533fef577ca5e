import { jsonSource, queueTestbed, removeDir, tickUntil, type Testbed } from '@scripthut/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appRouter } from '../src/app-router';
import { createCallerFactory } from '../src/trpc';
import { FakeCore } from './fake-core';

let bed: Testbed;
let core: FakeCore;
const api = () => createCallerFactory(appRouter)({ core });

beforeEach(async () => {
  bed = await queueTestbed({
    sources: [
      jsonSource('exp', [
        { id: 'a', name: 'A', command: 'echo hello; echo oops >&2' },
        { id: 'b', name: 'B', command: 'for i in 1 2 3; do echo "b $i"; sleep 0.3; done' },
      ]),
      jsonSource('broken', [{ id: 'x', name: 'X' }] as never),
      // Its tasks inline in the command: over Linux's 128 KiB for one argument.
      jsonSource('inline', Array.from({ length: 3_000 }, (_, i) => ({ id: `t${i}`, name: `T${i}`, command: `echo ${i}` }))),
      jsonSource('chain', [
        { id: 'x', name: 'X', command: 'echo "x was here" >> ran-x; exit 5', memory: '1G' },
        { id: 'y', name: 'Y', command: 'true', depends_on: ['x'] },
        { id: 'z', name: 'Z', command: 'true' },
      ]),
      jsonSource('loop', [
        { id: 'a', name: 'A', command: 'true', deps: ['b'] },
        { id: 'b', name: 'B', command: 'true', deps: ['a'] },
      ] as never),
    ],
  });
  await bed.service.start();
  core = new FakeCore();
  core.queues = bed.service;
});
afterEach(async () => {
  await bed.close();
  await removeDir(bed.dir);
});

describe('queues through a tRPC caller', () => {
  it('lists task sources, dry-runs and runs one, and reports the queue', async () => {
    expect(await api().taskSources.list()).toEqual([
      { name: 'exp', cluster: 'local', command: expect.any(String) as string, maxConcurrent: 3, description: '', available: true },
      expect.objectContaining({ name: 'broken' }),
      expect.objectContaining({ name: 'inline' }),
      expect.objectContaining({ name: 'chain' }),
      expect.objectContaining({ name: 'loop' }),
    ]);
    const dry = await api().taskSources.dryRun({ name: 'exp' });
    expect(dry.tasks.map((t) => t.taskId)).toEqual(['a', 'b']);
    expect(await api().queues.list()).toEqual([]);

    const queue = await api().taskSources.run({ name: 'exp' });
    expect(queue).toMatchObject({ sourceName: 'exp', taskCount: 2 });
    await tickUntil(bed, async () => (await bed.service.getQueue(queue.id)).queue.status === 'completed');
    const detail = await api().queues.get({ id: queue.id });
    expect(detail.tasks.map((t) => [t.taskId, t.state, t.job?.exitCode])).toEqual([
      ['a', 'completed', 0],
      ['b', 'completed', 0],
    ]);
    expect((await api().queues.list()).map((q) => q.id)).toEqual([queue.id]);
    expect((await api().queues.script({ queueId: queue.id, taskId: 'a' })).script).toContain('echo hello; echo oops >&2');
    expect(await api().queues.log({ queueId: queue.id, taskId: 'a', kind: 'error' })).toMatchObject({ exists: true, content: 'oops\n' });
    expect(await api().queues.log({ queueId: queue.id, taskId: 'b', kind: 'output', tail: 1 })).toMatchObject({ content: 'b 3\n' });
  });

  it('streams a log while the job runs, resumable by byte offset', async () => {
    const queue = await api().taskSources.run({ name: 'exp' });
    const controller = new AbortController();
    const ticking = (async () => {
      while (!controller.signal.aborted) {
        await bed.monitor.tick();
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const stream = await api().queues.logFollow({ queueId: queue.id, taskId: 'b', kind: 'output' });
    const seen: unknown[] = [];
    for await (const item of stream) seen.push(item);
    controller.abort();
    await ticking;
    const chunks = seen.map((s) => (Array.isArray(s) ? s : [null, s]) as [string | null, { kind: string; text?: string }]);
    expect(chunks.map(([, c]) => c.text ?? '').join('')).toBe('b 1\nb 2\nb 3\n');
    expect(chunks.at(-1)?.[1]).toMatchObject({ kind: 'end' });
    expect(chunks.at(-1)?.[0]).toBe('12');

    const resumed: unknown[] = [];
    for await (const item of await api().queues.logFollow({ queueId: queue.id, taskId: 'b', kind: 'output', lastEventId: '8' })) resumed.push(item);
    expect((resumed[0] as [string, { text: string }])[1].text).toBe('b 3\n');
  }, 20_000);

  it('cancels a queue and a task', async () => {
    const queue = await api().taskSources.run({ name: 'exp' });
    await expect(api().queues.cancelTask({ queueId: queue.id, taskId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const result = await api().queues.cancel({ id: queue.id });
    expect(result.tasks.map((t) => t.taskId)).toEqual(['a', 'b']);
    await expect(api().queues.cancel({ id: queue.id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('maps core errors and rejects bad input', async () => {
    await expect(api().taskSources.run({ name: 'broken' })).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      message: expect.stringMatching(/tasks\[0\] \(id "x"\) field "command" is required but missing/) as string,
      cause: { code: 'TASK_SOURCE_INVALID', details: { problem: 'invalid_tasks' } },
    });
    await expect(api().taskSources.dryRun({ name: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api().taskSources.run({ name: 'inline' })).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      message: expect.stringMatching(/^Task source "inline": its command is [\d,]+ bytes long, too long for the operating system to start on cluster "local" .*131,072 bytes.*Put the command in a script file/) as string,
      cause: { code: 'TASK_SOURCE_INVALID', details: { problem: 'command_too_long', limitBytes: 131_072 } },
    });
    await expect(api().taskSources.dryRun({ name: 'inline' })).rejects.toMatchObject({ code: 'UNPROCESSABLE_CONTENT' });
    expect(await api().queues.list()).toEqual([]);
    await expect(api().queues.get({ id: '../etc' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api().queues.log({ queueId: 'q', taskId: 'a', kind: 'output', tail: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api().queues.log({ queueId: 'q', taskId: 'a', kind: 'stdout' as 'output' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api().queues.get({ id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('runs a dependency chain, retries the failed task with more memory and reruns the whole queue', async () => {
    const first = await api().taskSources.run({ name: 'chain' });
    await tickUntil(bed, async () => (await bed.service.getQueue(first.id)).queue.status === 'failed');
    const detail = await api().queues.get({ id: first.id });
    expect(detail.tasks.map((t) => [t.taskId, t.state, t.level, t.dependsOn, t.reason])).toEqual([
      ['x', 'failed', 0, [], null],
      ['y', 'skipped', 1, ['x'], 'dependency x failed (exit 5)'],
      ['z', 'completed', 0, [], null],
    ]);
    expect(detail.queue).toMatchObject({ counts: { skipped: 1 }, ending: '1 failed, 1 skipped because a dependency did not complete, 1 completed' });

    const retry = await api().queues.retry({ id: first.id, states: ['failed'], overrides: { memory: '6G' } });
    expect(retry).toMatchObject({ originalId: first.id, retryOf: first.id, attempt: 2, taskCount: 2 });
    await expect(api().queues.rerun({ id: first.id })).rejects.toMatchObject({ code: 'CONFLICT', cause: { code: 'CONFLICT', details: { problem: 'attempt_running' } } });
    await tickUntil(bed, async () => (await bed.service.getQueue(retry.id)).queue.status === 'failed');
    const again = await api().queues.get({ id: retry.id });
    expect(again.tasks.map((t) => [t.taskId, t.submit.memory, t.state])).toEqual([
      ['x', '6G', 'failed'],
      ['y', '4G', 'skipped'],
    ]);
    expect(again.attempts.map((a) => [a.attempt, a.id])).toEqual([
      [1, first.id],
      [2, retry.id],
    ]);
    expect(again.tasks[0]?.attempts.map((a) => [a.attempt, a.ended, a.counts])).toEqual([
      [1, 'failed (exit 5)', false],
      [2, 'failed (exit 5)', true],
    ]);

    const rerun = await api().queues.rerun({ id: retry.id });
    expect(rerun).toMatchObject({ attempt: 3, taskCount: 3, origin: { mode: 'rerun' } });
    await tickUntil(bed, async () => (await bed.service.getQueue(rerun.id)).queue.status === 'failed');
    expect((await api().queues.get({ id: first.id })).counted).toMatchObject({ completed: 1, failed: 1, skipped: 1 });
  });

  it('refuses a bad retry before it reaches the queue, and a cycle before anything runs', async () => {
    await expect(api().queues.retry({ id: 'q1', states: [] })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /states/ });
    await expect(api().queues.retry({ id: 'q1', states: ['broken' as 'failed'] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api().queues.retry({ id: 'q1', states: ['failed'], overrides: { memory: '1G; rm -rf ~' } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /overrides\.memory/ });
    await expect(api().queues.retry({ id: 'nope', states: ['failed'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api().taskSources.run({ name: 'loop' })).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      message: /tasks\[0\] \(id "a"\) field "deps" is part of a cycle: "a" → "b" → "a"/,
    });
    expect(await api().queues.list()).toEqual([]);
  });
});
