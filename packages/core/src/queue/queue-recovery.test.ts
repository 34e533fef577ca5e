import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend, SubmitSpec } from '../backends/backend';
import type { LocalBackend } from '../backends/local';
import { jsonSource, localJobSpecs, queueTestbed, removeDir, tickUntil, type Testbed } from './testing';

const dirs: string[] = [];
const live: Testbed[] = [];
afterEach(async () => {
  for (const b of live.splice(0)) await b.close();
  for (const d of dirs.splice(0)) await removeDir(d);
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'scripthut-recovery-'));
  dirs.push(d);
  return d;
};

const source = jsonSource(
  'exp',
  Array.from({ length: 6 }, (_, i) => ({ id: `t${i}`, name: `Task ${i}`, command: `echo done-${i}` })),
  { max_concurrent: 3 },
);

type Step = 'ok' | 'submit-then-throw' | 'submit-then-hang' | 'hang-before-submit';

/** The first process's backend: each submit call follows the next step; the process "dies" at a hang. */
function crashingBackend(local: LocalBackend, steps: Step[]): Backend {
  const never = new Promise<never>(() => undefined);
  return Object.assign(Object.create(local) as LocalBackend, {
    submit: async (spec: SubmitSpec) => {
      const step = steps.shift() ?? 'ok';
      if (step === 'hang-before-submit') return never;
      const result = await local.submit(spec);
      if (step === 'submit-then-throw') throw new Error('connection reset after sbatch');
      if (step === 'submit-then-hang') return never;
      return result;
    },
  });
}

/** Submissions per task position, counted from the local backend's job records. */
function submissionsPerTask(dir: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const spec of localJobSpecs(dir)) {
    const position = Number(/^sh-[0-9a-f]+-(\d+)-/.exec(spec.tag)?.[1]);
    counts.set(position, (counts.get(position) ?? 0) + 1);
  }
  return counts;
}

/** Lets the first life run until its submission pass is stuck at the crash point. */
async function firstLife(dir: string, steps: Step[]): Promise<{ queueId: string; bed: Testbed }> {
  const bed = await queueTestbed({ dir, sources: [source], wrap: (local) => crashingBackend(local, steps) });
  await bed.service.start();
  const queue = await bed.service.run('exp');
  for (let i = 0; i < 500 && steps.length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
  return { queueId: queue.id, bed };
}

async function secondLife(dir: string, wrap?: (local: LocalBackend) => Backend): Promise<Testbed> {
  const bed = await queueTestbed({ dir, sources: [source], ...(wrap ? { wrap } : {}) });
  live.push(bed);
  await bed.service.start();
  return bed;
}

describe('exactly-once submission across crashes', () => {
  it('finds jobs submitted before a crash (outcome unknown or never recorded) and submits nothing twice', async () => {
    const dir = tempDir();
    const { queueId, bed: dead } = await firstLife(dir, ['ok', 'submit-then-throw', 'submit-then-hang']);
    // One submitMany per pass: its answers are recorded together, so the crash leaves every intent of the pass open.
    const before = (await dead.store.pendingIntents()).map((s) => [s.taskId, s.state]).sort();
    expect(before).toEqual([
      ['t0', 'intent'],
      ['t1', 'intent'],
      ['t2', 'intent'],
    ]);
    expect(submissionsPerTask(dir)).toEqual(new Map([[0, 1], [1, 1], [2, 1]]));

    const bed = await secondLife(dir);
    expect(await bed.store.pendingIntents()).toEqual([]);
    await tickUntil(bed, async () => (await bed.service.getQueue(queueId)).queue.status === 'completed');

    expect(submissionsPerTask(dir)).toEqual(new Map([0, 1, 2, 3, 4, 5].map((p) => [p, 1])));
    const detail = await bed.service.getQueue(queueId);
    expect(detail.tasks.map((t) => [t.taskId, t.state, t.job?.exitCode])).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => [`t${i}`, 'completed', 0]),
    );
    expect((await bed.service.taskLog(queueId, 't2', 'output')).content).toBe('done-2\n');
  });

  it('puts a task whose intent never reached the scheduler back to pending and submits it once', async () => {
    const dir = tempDir();
    const { queueId } = await firstLife(dir, ['ok', 'hang-before-submit']);
    expect(submissionsPerTask(dir)).toEqual(new Map([[0, 1]]));

    const bed = await secondLife(dir);
    await tickUntil(bed, async () => (await bed.service.getQueue(queueId)).queue.status === 'completed');
    expect(submissionsPerTask(dir)).toEqual(new Map([0, 1, 2, 3, 4, 5].map((p) => [p, 1])));
    expect(bed.logs.some((l) => l.includes('never reached the scheduler'))).toBe(true);
  });

  it('waits for a backend that lists jobs late (findByTagsLagMs) before it submits a task again', async () => {
    const dir = tempDir();
    const { queueId } = await firstLife(dir, ['ok', 'submit-then-hang']);
    // The first life's jobs for t0 and t1 exist; t2 was never sent.
    expect(submissionsPerTask(dir)).toEqual(new Map([[0, 1], [1, 1]]));

    // As AWS may after a crash: the jobs appear in lookups only a while after the restart.
    const hiddenUntil = Date.now() + 300;
    const bed = await secondLife(dir, (local) =>
      Object.assign(Object.create(local) as LocalBackend, {
        findByTagsLagMs: 600,
        findByTags: (tags: readonly string[]) => (Date.now() < hiddenUntil ? Promise.resolve(new Map<string, string>()) : local.findByTags(tags)),
      }),
    );
    expect((await bed.store.pendingIntents()).map((s) => s.taskId).sort()).toEqual(['t0', 't1', 't2']);
    expect(bed.logs.some((l) => l.includes('3 submission(s) left open by the previous process not found by tag yet'))).toBe(true);
    await tickUntil(bed, async () => (await bed.service.getQueue(queueId)).queue.status === 'completed');

    expect(submissionsPerTask(dir)).toEqual(new Map([0, 1, 2, 3, 4, 5].map((p) => [p, 1])));
    expect(bed.logs.filter((l) => / found job .* by tag /.test(l))).toHaveLength(2);
  });

  it('keeps a task blocked, with the reason, when the scheduler cannot be asked about tags', async () => {
    const dir = tempDir();
    const { queueId } = await firstLife(dir, ['ok', 'submit-then-hang']);
    const bed = await queueTestbed({
      dir,
      sources: [source],
      wrap: (local) =>
        Object.assign(Object.create(local) as LocalBackend, {
          findByTags: () => Promise.reject(new Error('sacct: Unable to contact slurm controller')),
        }),
    });
    live.push(bed);
    await bed.service.start();
    await tickUntil(bed, async () => (await bed.service.getQueue(queueId)).queue.blockedReason !== null);
    await bed.monitor.tick();
    await bed.service.idle();
    const detail = await bed.service.getQueue(queueId);
    // The whole first pass (t0..t2) is open: none is submitted again, and no other task takes their slots.
    expect(detail.tasks.map((t) => t.state)).toEqual(['submitting', 'submitting', 'submitting', 'pending', 'pending', 'pending']);
    expect(detail.queue.status).toBe('running');
    expect(detail.queue.blockedReason).toMatch(/unknown outcome \(task t\d: the server stopped while submitting this task and looking the job up by its tag failed \(sacct: Unable to contact slurm controller\)/);
    expect(submissionsPerTask(dir).get(1)).toBe(1);
  });

  it('resumes a queue after a clean restart: pending tasks are submitted, running ones tracked to the end', async () => {
    const dir = tempDir();
    const first = await queueTestbed({ dir, sources: [{ ...source, max_concurrent: 2 }] });
    await first.service.start();
    const queue = await first.service.run('exp');
    await first.service.idle();
    expect((await first.service.getQueue(queue.id)).queue.counts).toMatchObject({ submitted: 2, pending: 4 });
    await first.close();

    const bed = await secondLife(dir);
    await tickUntil(bed, async () => (await bed.service.getQueue(queue.id)).queue.status === 'completed');
    expect(submissionsPerTask(dir)).toEqual(new Map([0, 1, 2, 3, 4, 5].map((p) => [p, 1])));
  });
});
