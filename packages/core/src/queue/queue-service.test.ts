import { afterEach, describe, expect, it } from 'vitest';
import type { Backend, SubmitSpec } from '../backends/backend';
import type { LocalBackend } from '../backends/local';
import { IN_FLIGHT_TASK_STATES } from './queue-status';
import type { QueueEvent } from './queue-types';
import { jsonSource, liveLocalJobs, localJobSpecs, queueTestbed, removeDir, tickUntil, type Testbed } from './testing';

const beds: Testbed[] = [];
afterEach(async () => {
  for (const bed of beds.splice(0)) {
    await bed.close();
    await removeDir(bed.dir);
  }
});
async function bed(...args: Parameters<typeof queueTestbed>): Promise<Testbed> {
  const b = await queueTestbed(...args);
  beds.push(b);
  await b.service.start();
  return b;
}
const tasks = (n: number, command: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => ({ id: `t${i}`, name: `Task ${i}`, command: command(i) }));
const allDone = (b: Testbed, id: string) => async () => ['completed', 'failed', 'cancelled'].includes((await b.service.getQueue(id)).queue.status);

/** Counts processes alive at each submit: the ground truth for "in flight". */
function countingBackend(local: LocalBackend, dir: () => string, peak: { max: number }): Backend {
  return Object.assign(Object.create(local) as LocalBackend, {
    submit: async (spec: SubmitSpec) => {
      const result = await local.submit(spec);
      peak.max = Math.max(peak.max, liveLocalJobs(dir()));
      return result;
    },
  });
}

describe('QueueService on the local backend', () => {
  it('runs a 20-task queue with max_concurrent 3: never more than 3 in flight, right final state per task', async () => {
    const peak = { max: 0 };
    let dir = '';
    const source = jsonSource('exp', tasks(20, (i) => (i % 6 === 5 ? `echo out-${i}; echo err-${i} >&2; exit 3` : `sleep 0.2; echo out-${i}`)), { max_concurrent: 3 });
    const b = await bed({ sources: [source], wrap: (local) => countingBackend(local, () => dir, peak) });
    dir = b.dir;
    const events: QueueEvent[] = [];
    b.events.subscribe(({ event }) => event.type === 'queue' && events.push(event));

    const queue = await b.service.run('exp');
    expect(queue).toMatchObject({ sourceName: 'exp', cluster: 'local', taskCount: 20, maxConcurrent: 3 });
    let sampledMax = 0;
    await tickUntil(b, allDone(b, queue.id), async () => {
      const inFlight = (await b.service.getQueue(queue.id)).tasks.filter((t) => IN_FLIGHT_TASK_STATES.has(t.state)).length;
      sampledMax = Math.max(sampledMax, inFlight);
    });

    expect(sampledMax).toBeLessThanOrEqual(3);
    expect(peak.max).toBeLessThanOrEqual(3);
    expect(peak.max).toBeGreaterThan(1);
    const detail = await b.service.getQueue(queue.id);
    expect(detail.queue.status).toBe('failed');
    expect(detail.queue.counts).toMatchObject({ completed: 17, failed: 3, pending: 0 });
    for (const t of detail.tasks) {
      const fails = Number(t.taskId.slice(1)) % 6 === 5;
      expect(t.state).toBe(fails ? 'failed' : 'completed');
      expect(t.job).toMatchObject({ source: 'queue', queueId: queue.id, taskId: t.taskId, exitCode: fails ? 3 : 0, outcome: fails ? 'FAILED' : 'COMPLETED' });
    }
    expect(localJobSpecs(b.dir)).toHaveLength(20);
    expect(events.at(-1)?.queue).toMatchObject({ id: queue.id, status: 'failed', counts: { completed: 17, failed: 3 } });
    expect((await b.service.taskLog(queue.id, 't5', 'error')).content).toBe('err-5\n');
  });

  it('fails only the task the scheduler rejects, with its message, and goes on with the rest', async () => {
    const source = jsonSource('exp', tasks(4, (i) => `echo ${i}`), { max_concurrent: 2 });
    const b = await bed({
      sources: [source],
      wrap: (local) =>
        Object.assign(Object.create(local) as LocalBackend, {
          submit: (spec: SubmitSpec) =>
            spec.name === 'Task 1' ? Promise.resolve({ kind: 'rejected' as const, error: 'sbatch: error: invalid partition specified: gpu' }) : local.submit(spec),
        }),
    });
    const queue = await b.service.run('exp');
    await tickUntil(b, allDone(b, queue.id));
    const detail = await b.service.getQueue(queue.id);
    expect(detail.tasks.map((t) => t.state)).toEqual(['completed', 'failed', 'completed', 'completed']);
    expect(detail.tasks[1]!.job).toMatchObject({ state: 'failed', schedulerJobId: null, reason: 'sbatch: error: invalid partition specified: gpu' });
    expect(detail.queue.status).toBe('failed');
  });

  it('shares a capped cluster between queues: both progress, the cap is never exceeded', async () => {
    const peak = { max: 0 };
    let dir = '';
    const sources = [jsonSource('big', tasks(8, () => 'sleep 0.2'), { max_concurrent: 8 }), jsonSource('small', tasks(2, () => 'sleep 0.2'), { max_concurrent: 8 })];
    const b = await bed({ sources, clusterMax: 2, wrap: (local) => countingBackend(local, () => dir, peak) });
    dir = b.dir;
    const big = await b.service.run('big');
    const small = await b.service.run('small');
    await tickUntil(b, async () => (await allDone(b, big.id)()) && (await allDone(b, small.id)()));
    expect(peak.max).toBeLessThanOrEqual(2);
    expect((await b.service.listQueues()).map((q) => q.status)).toEqual(['completed', 'completed']);
  });

  it('cancels a queue: pending tasks are never submitted, running jobs end CANCELLED', async () => {
    const source = jsonSource('exp', tasks(10, () => 'sleep 30'), { max_concurrent: 3 });
    const b = await bed({ sources: [source] });
    const queue = await b.service.run('exp');
    await tickUntil(b, async () => (await b.service.getQueue(queue.id)).queue.counts.running === 3);

    const result = await b.service.cancelQueue(queue.id);
    expect(result.tasks.filter((t) => t.result === 'cancel_requested')).toHaveLength(3);
    expect(result.tasks.filter((t) => t.result === 'cancelled')).toHaveLength(7);
    expect((await b.service.getQueue(queue.id)).queue.status).toBe('cancelled');
    await tickUntil(b, async () => (await b.service.getQueue(queue.id)).tasks.every((t) => t.state === 'cancelled'));

    const detail = await b.service.getQueue(queue.id);
    expect(detail.tasks.filter((t) => t.job?.outcome === 'CANCELLED')).toHaveLength(3);
    expect(detail.tasks.filter((t) => t.job === null)).toHaveLength(7);
    expect(localJobSpecs(b.dir)).toHaveLength(3);
    await expect(b.service.cancelQueue(queue.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('cancels a single task, pending or running, and the queue goes on', async () => {
    const source = jsonSource('exp', [...tasks(2, () => 'sleep 30'), ...tasks(3, () => 'true').map((t, i) => ({ ...t, id: `q${i}` }))], { max_concurrent: 2 });
    const b = await bed({ sources: [source] });
    const queue = await b.service.run('exp');
    await tickUntil(b, async () => (await b.service.getQueue(queue.id)).queue.counts.running === 2);
    expect(await b.service.cancelTask(queue.id, 'q2')).toMatchObject({ taskId: 'q2', result: 'cancelled' });
    expect(await b.service.cancelTask(queue.id, 't0')).toMatchObject({ taskId: 't0', result: 'cancel_requested' });
    expect(await b.service.cancelTask(queue.id, 't1')).toMatchObject({ result: 'cancel_requested' });
    await tickUntil(b, allDone(b, queue.id));
    const states = Object.fromEntries((await b.service.getQueue(queue.id)).tasks.map((t) => [t.taskId, t.state]));
    expect(states).toEqual({ t0: 'cancelled', t1: 'cancelled', q0: 'completed', q1: 'completed', q2: 'cancelled' });
    expect((await b.service.getQueue(queue.id)).queue.status).toBe('failed');
    await expect(b.service.cancelTask(queue.id, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses unknown sources and queues with NOT_FOUND, and reports a bad source without creating anything', async () => {
    const b = await bed({ sources: [jsonSource('bad', [{ id: 'a', name: 'A' }] as never)] });
    await expect(b.service.run('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(b.service.run('bad')).rejects.toMatchObject({ code: 'TASK_SOURCE_INVALID', message: /field "command" is required/ });
    expect(await b.service.listQueues()).toEqual([]);
    await expect(b.service.getQueue('nope')).rejects.toThrowError(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
  });
});
