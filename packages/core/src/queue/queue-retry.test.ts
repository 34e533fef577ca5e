import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend, SubmitSpec } from '../backends/backend';
import type { LocalBackend } from '../backends/local';
import type { TaskSpecInput } from '../domain/task';
import {
  jsonSource,
  localJobSpecs,
  queueTestbed,
  removeDir,
  tickUntil,
  type Testbed,
} from './testing';

const beds: Testbed[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const bed of beds.splice(0)) await bed.close();
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

const t = (id: string, command: string, extra: Partial<TaskSpecInput> = {}): TaskSpecInput => ({
  id,
  name: `retry ${id}`,
  command,
  memory: '1G',
  ...extra,
});
/** Fails the first time it runs in a directory, completes every time after (a flaky step fixed by retrying). */
const FLAKY =
  'if [ -e flaky-ran ]; then echo fixed; else touch flaky-ran; echo first >&2; exit 3; fi';
const TASKS = [
  t('prep', 'true'),
  t('flaky', FLAKY, { depends_on: ['prep'] }),
  t('after', 'echo after', { depends_on: ['flaky'] }),
  t('free', 'echo free'),
  t('gone', 'exit 4'),
];

async function started(o: Partial<Parameters<typeof queueTestbed>[0]> = {}): Promise<Testbed> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'scripthut-retry-'));
  if (!o.dir) dirs.push(dir);
  const bed = await queueTestbed({
    sources: [jsonSource('exp', TASKS, { max_concurrent: 3 })],
    ...o,
    dir,
  });
  beds.push(bed);
  await bed.service.start();
  return bed;
}
const finished = (bed: Testbed, id: string) => async () =>
  ['completed', 'failed', 'cancelled'].includes((await bed.service.getQueue(id)).queue.status);
const states = async (bed: Testbed, id: string) =>
  Object.fromEntries((await bed.service.getQueue(id)).tasks.map((x) => [x.taskId, x.state]));

describe('retrying a finished queue', () => {
  it('runs a new attempt of the failed task and its dependents with the overrides, and the new attempt counts', async () => {
    const bed = await started();
    const first = await bed.service.run('exp');
    await tickUntil(bed, finished(bed, first.id));
    expect(await states(bed, first.id)).toEqual({
      prep: 'completed',
      flaky: 'failed',
      after: 'skipped',
      free: 'completed',
      gone: 'failed',
    });
    expect((await bed.service.getQueue(first.id)).retryable).toMatchObject({ failed: 2, skipped: 1, out_of_memory: 0 });

    const retry = await bed.service.retryQueue(first.id, {
      states: ['failed'],
      overrides: { memory: '8G', time_limit: '2:00:00' },
    });
    expect(retry).toMatchObject({
      originalId: first.id,
      retryOf: first.id,
      attempt: 2,
      taskCount: 3,
      origin: {
        mode: 'retry',
        states: ['failed'],
        overrides: { memory: '8G', time_limit: '2:00:00' },
      },
    });
    await tickUntil(bed, finished(bed, retry.id));

    const detail = await bed.service.getQueue(retry.id);
    expect(await states(bed, retry.id)).toEqual({
      flaky: 'completed',
      after: 'completed',
      gone: 'failed',
    });
    const submit = Object.fromEntries(
      detail.tasks.map((x) => [x.taskId, [x.submit.memory, x.submit.timeLimit]]),
    );
    // Overrides go to the tasks of the chosen state; a dependent brought along keeps its own resources.
    expect(submit).toEqual({
      flaky: ['8G', '2:00:00'],
      after: ['1G', '1:00:00'],
      gone: ['8G', '2:00:00'],
    });
    // prep completed in attempt 1: flaky does not wait for it again.
    expect(detail.tasks.map((x) => [x.taskId, x.dependsOn])).toEqual([
      ['flaky', []],
      ['after', ['flaky']],
      ['gone', []],
    ]);
    expect(detail.tasks.find((x) => x.taskId === 'flaky')?.job).toMatchObject({
      queueId: retry.id,
      state: 'completed',
      memory: '8G',
    });
    expect((await bed.service.taskLog(retry.id, 'flaky', 'output')).content).toBe('fixed\n');
    expect((await bed.service.taskLog(first.id, 'flaky', 'error')).content).toBe('first\n');

    const original = await bed.service.getQueue(first.id);
    expect(original.attempts.map((a) => [a.id, a.attempt, a.status])).toEqual([
      [first.id, 1, 'failed'],
      [retry.id, 2, 'failed'],
    ]);
    const attempts = Object.fromEntries(
      original.tasks.map((x) => [
        x.taskId,
        x.attempts.map((a) => `${a.attempt}:${a.state}${a.counts ? '*' : ''}`),
      ]),
    );
    expect(attempts).toEqual({
      prep: ['1:completed*'],
      flaky: ['1:failed', '2:completed*'],
      after: ['1:skipped', '2:completed*'],
      free: ['1:completed*'],
      gone: ['1:failed', '2:failed*'],
    });
    expect(original.tasks.find((x) => x.taskId === 'gone')?.attempts[1]).toMatchObject({
      ended: 'failed (exit 4)',
    });
    expect(original.counted).toMatchObject({ completed: 4, failed: 1, skipped: 0 });
    expect(original.retryable).toEqual({ failed: 1, timed_out: 0, out_of_memory: 0, lost: 0, cancelled: 0, skipped: 0 });
    expect(original.queue).toMatchObject({ status: 'failed', attempt: 1, retryOf: null });
    // Five tasks in attempt 1 (after skipped, never submitted), three in attempt 2.
    expect(localJobSpecs(bed.dir)).toHaveLength(4 + 3);
  });

  it('retries only the states asked for, bringing an unfinished dependency of a skipped task along', async () => {
    const bed = await started();
    const first = await bed.service.run('exp');
    await tickUntil(bed, finished(bed, first.id));
    const retry = await bed.service.retryQueue(first.id, { states: ['skipped'] });
    expect((await bed.service.getQueue(retry.id)).tasks.map((x) => x.taskId)).toEqual(['flaky', 'after']);
    await tickUntil(bed, finished(bed, retry.id));
    expect(await states(bed, retry.id)).toEqual({ flaky: 'completed', after: 'completed' });
    expect((await bed.service.getQueue(retry.id)).tasks.map((x) => x.submit.memory)).toEqual(['1G', '1G']);
  });

  it('refuses a retry while an attempt runs, and when nothing ended in the states asked for', async () => {
    const bed = await started({
      sources: [jsonSource('exp', [t('slow', 'sleep 30'), t('bad', 'exit 2')])],
    });
    const first = await bed.service.run('exp');
    await expect(bed.service.retryQueue(first.id, { states: ['failed'] })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { problem: 'attempt_running' },
    });
    await tickUntil(bed, async () => (await bed.service.getQueue(first.id)).tasks[0]?.state === 'running');
    await bed.service.cancelQueue(first.id);
    // Cancelled, but its job has not ended yet: still refused.
    await expect(bed.service.rerunQueue(first.id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /Attempt 1 \(queue \w+\) has not finished/,
    });
    await tickUntil(bed, async () =>
      (await bed.service.getQueue(first.id))
        .tasks.every((x) => x.state === 'cancelled' || x.state === 'failed'),
    );
    await expect(
      bed.service.retryQueue(first.id, { states: ['out_of_memory', 'timed_out'] }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /No task of queue \w+ ended out of memory or timed out; there is nothing to retry/,
      details: { problem: 'nothing_to_retry' },
    });
    await expect(bed.service.retryQueue(first.id, { states: [] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      bed.service.retryQueue(first.id, {
        states: ['failed'],
        overrides: { memory: '4G --wrap=x' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /overrides.memory/ });
    await expect(bed.service.retryQueue('nope', { states: ['failed'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reruns every task of the family, from any of its attempts, as its counted attempt ran it', async () => {
    const bed = await started();
    const first = await bed.service.run('exp');
    await tickUntil(bed, finished(bed, first.id));
    const second = await bed.service.retryQueue(first.id, {
      states: ['failed'],
      overrides: { memory: '8G' },
    });
    await tickUntil(bed, finished(bed, second.id));
    const third = await bed.service.rerunQueue(second.id);
    expect(third).toMatchObject({
      originalId: first.id,
      retryOf: second.id,
      attempt: 3,
      taskCount: 5,
      origin: { mode: 'rerun' },
    });
    await tickUntil(bed, finished(bed, third.id));
    const detail = await bed.service.getQueue(third.id);
    expect(detail.tasks.map((x) => [x.taskId, x.submit.memory, x.dependsOn])).toEqual([
      ['prep', '1G', []],
      ['flaky', '8G', ['prep']],
      ['after', '1G', ['flaky']],
      ['free', '1G', []],
      ['gone', '8G', []],
    ]);
    expect(await states(bed, third.id)).toEqual({
      prep: 'completed',
      flaky: 'completed',
      after: 'completed',
      free: 'completed',
      gone: 'failed',
    });
    expect(detail.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(
      (await bed.service.getQueue(first.id))
        .tasks.find((x) => x.taskId === 'prep')
        ?.attempts.map((a) => [a.queueId, a.counts]),
    ).toEqual([
      [first.id, false],
      [third.id, true],
    ]);
  });
});

describe('exactly-once for a retry', () => {
  it('finds the retry job submitted before a crash by its tag and never submits it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripthut-retry-crash-'));
    dirs.push(dir);
    let crash = false;
    const never = new Promise<never>(() => undefined);
    const first = await started({
      dir,
      wrap: (local: LocalBackend): Backend =>
        Object.assign(Object.create(local) as LocalBackend, {
          // After the crash point: the job is really submitted, the answer never comes back.
          submit: async (spec: SubmitSpec) => {
            const result = await local.submit(spec);
            return crash ? never : result;
          },
        }),
    });
    const queue = await first.service.run('exp');
    await tickUntil(first, finished(first, queue.id));
    crash = true;
    // The first process "dies" here: its submission pass never ends, so it is left as it is, never closed.
    beds.splice(beds.indexOf(first), 1);
    const retry = await first.service.retryQueue(queue.id, { states: ['failed'] });
    for (let i = 0; i < 500 && (await first.store.pendingIntents()).length < 2; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(
      (await first.store.pendingIntents())
        .map((s) => [s.queueId, s.taskId, s.state])
        .sort(),
    ).toEqual([
      [retry.id, 'flaky', 'intent'],
      [retry.id, 'gone', 'intent'],
    ]);

    const second = await started({ dir });
    await tickUntil(second, finished(second, retry.id));
    // flaky's job reached the scheduler before the crash: found by its tag. gone's never did: submitted now, once.
    const settled = second.logs
      .filter((l) => l.includes(`queue ${retry.id}`))
      .map(
        (l) =>
          `${/task (\w+):/.exec(l)?.[1]} ${l.includes('found job') ? 'found by tag' : l.includes('never reached the scheduler') ? 'never reached the scheduler' : l}`,
      );
    expect(settled.sort()).toEqual(['flaky found by tag', 'gone never reached the scheduler']);
    const perTag = new Map<string, number>();
    for (const spec of localJobSpecs(dir).filter((s) => s.tag.startsWith(`sh-${retry.id}-`))) {
      const position = /^sh-\w+-(\d+)-/.exec(spec.tag)![1]!;
      perTag.set(position, (perTag.get(position) ?? 0) + 1);
    }
    expect(perTag).toEqual(
      new Map([
        ['0', 1],
        ['1', 1],
        ['2', 1],
      ]),
    );
    expect(await states(second, retry.id)).toEqual({
      flaky: 'completed',
      after: 'completed',
      gone: 'failed',
    });
  });
});
