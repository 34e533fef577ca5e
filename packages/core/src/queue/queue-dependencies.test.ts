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
afterEach(async () => {
  for (const bed of beds.splice(0)) {
    await bed.close();
    await removeDir(bed.dir);
  }
});

const t = (id: string, command: string, depends_on: string[] = []): TaskSpecInput => ({
  id,
  name: `dep ${id}`,
  command,
  depends_on,
});

/**
 * A diamond (a → b, c → d) whose c branch fails, a chain below d, and
 * independent work. `a` ends at once: its dependents must not miss it.
 */
const DIAMOND = [
  t('a', 'true'),
  t('b', 'echo b', ['a']),
  t('c', 'echo c >&2; exit 3', ['a']),
  t('d', 'echo d', ['b', 'c']),
  t('e', 'echo e', ['d']),
  t('x', 'sleep 0.2; echo x'),
  t('y', 'echo y', ['x']),
];

/** Records, at each submit, the states of the submitted task's dependencies as the store held them. */
function watchingBackend(
  local: LocalBackend,
  seen: Map<string, string[]>,
  bed: () => Testbed | null,
): Backend {
  return Object.assign(Object.create(local) as LocalBackend, {
    submit: async (spec: SubmitSpec) => {
      const b = bed();
      const queue = (await b?.store.listQueues())?.[0];
      const tasks = queue ? ((await b?.store.getQueue(queue.id))?.tasks ?? []) : [];
      const task = tasks.find((x) => x.name === spec.name);
      if (task)
        seen.set(
          task.taskId,
          task.dependsOn.map((d) => tasks.find((x) => x.taskId === d)?.state ?? 'missing'),
        );
      return local.submit(spec);
    },
  });
}

describe('a queue with task dependencies', () => {
  it('starts a task only after everything it depends on completed, skips what a failure blocks, and runs the rest', async () => {
    const seen = new Map<string, string[]>();
    let bed: Testbed | null = null;
    bed = await queueTestbed({
      sources: [jsonSource('dag', DIAMOND, { max_concurrent: 4 })],
      wrap: (local) => watchingBackend(local, seen, () => bed),
    });
    beds.push(bed);
    await bed.service.start();
    const b = bed;
    const queue = await b.service.run('dag');
    await tickUntil(
      b,
      async () =>
        (await b.service.getQueue(queue.id)).queue.status !== 'running' &&
        (await b.service.getQueue(queue.id)).queue.status !== 'pending',
    );

    const detail = await b.service.getQueue(queue.id);
    const byId = Object.fromEntries(detail.tasks.map((x) => [x.taskId, x]));
    expect(Object.fromEntries(detail.tasks.map((x) => [x.taskId, x.state]))).toEqual({
      a: 'completed',
      b: 'completed',
      c: 'failed',
      d: 'skipped',
      e: 'skipped',
      x: 'completed',
      y: 'completed',
    });
    expect(byId.d?.reason).toBe('dependency c failed (exit 3)');
    expect(byId.e?.reason).toBe('dependency c failed (exit 3), via d');
    expect(byId.d?.job).toBeNull();
    // Every submitted task found all its dependencies completed; skipped ones were never submitted.
    expect(Object.fromEntries(seen)).toEqual({
      a: [],
      b: ['completed'],
      c: ['completed'],
      x: [],
      y: ['completed'],
    });
    expect(localJobSpecs(b.dir)).toHaveLength(5);
    expect(detail.queue).toMatchObject({
      status: 'failed',
      counts: { completed: 4, failed: 1, skipped: 2 },
      ending: '1 failed, 2 skipped because a dependency did not complete, 4 completed',
    });
    expect(detail.tasks.map((x) => [x.taskId, x.level, x.dependsOn])).toEqual([
      ['a', 0, []],
      ['b', 1, ['a']],
      ['c', 1, ['a']],
      ['d', 2, ['b', 'c']],
      ['e', 3, ['d']],
      ['x', 0, []],
      ['y', 1, ['x']],
    ]);
  });

  it('skips the dependents of a task cancelled by the user and finishes the queue', async () => {
    const bed = await queueTestbed({
      sources: [
        jsonSource('dag', [t('slow', 'sleep 30'), t('after', 'true', ['slow']), t('free', 'true')]),
      ],
    });
    beds.push(bed);
    await bed.service.start();
    const queue = await bed.service.run('dag');
    await tickUntil(bed, async () => (await bed.service.getQueue(queue.id)).tasks[0]?.state === 'running');
    await bed.service.cancelTask(queue.id, 'slow');
    await tickUntil(bed, async () => (await bed.service.getQueue(queue.id)).queue.status === 'failed');
    const detail = await bed.service.getQueue(queue.id);
    expect(detail.tasks.map((x) => [x.taskId, x.state, x.reason])).toEqual([
      ['slow', 'cancelled', null],
      ['after', 'skipped', 'dependency slow was cancelled'],
      ['free', 'completed', null],
    ]);
  });

  it('refuses a source with a cycle on run and on dry run, creating nothing', async () => {
    const bed = await queueTestbed({
      sources: [jsonSource('loop', [t('a', 'true', ['b']), t('b', 'true', ['a'])])],
    });
    beds.push(bed);
    await bed.service.start();
    await expect(bed.service.dryRun('loop')).rejects.toMatchObject({
      code: 'TASK_SOURCE_INVALID',
      message: /tasks\[0\] \(id "a"\) field "depends_on" is part of a cycle: "a" → "b" → "a"/,
    });
    await expect(bed.service.run('loop')).rejects.toMatchObject({
      code: 'TASK_SOURCE_INVALID',
      details: { problem: 'invalid_tasks' },
    });
    expect(await bed.service.listQueues()).toEqual([]);
  });
});
