import { afterAll, describe, expect, it } from 'vitest';
import { slurmJobsOfQueue } from '../src/backends/slurm/testing';
import type { TaskSpecInput } from '../src/domain/task';
import type { QueueDetail } from '../src/queue/queue-types';
import { isDone, startFaultCore, waitUntil, type FaultCore } from './fault-core';
import { connectAs, testbed } from './testbed';

// Small on purpose: the testbed has 2 CPUs shared with other developers.
const t = (
  id: string,
  command: string,
  depends_on: string[] = [],
  extra: Partial<TaskSpecInput> = {},
): TaskSpecInput => ({
  id,
  name: `it-deps ${id}`,
  command,
  depends_on,
  memory: '50M',
  time_limit: '5',
  ...extra,
});

/**
 * A diamond (root → left, right, bad → join) whose `bad` branch fails, a
 * chain below the join, a child of one branch, and independent work.
 * `root` ends at once: a chain must not miss an ultra-fast parent.
 */
const DIAMOND = [
  t('root', 'true'),
  t('left', 'echo left', ['root']),
  t('right', 'echo right', ['root']),
  t('bad', 'echo broken >&2; exit 3', ['root']),
  t('join', 'echo join', ['left', 'right', 'bad']),
  t('after-join', 'echo after', ['join']),
  t('after-left', 'echo after left', ['left']),
  t('free-1', 'echo free 1'),
  t('free-2', 'echo free 2'),
  t('free-join', 'echo free join', ['free-1', 'free-2']),
];

/** 300 MiB against a 64 MiB limit: Slurm's cgroup ends it OUT_OF_MEMORY; with 600M it completes. */
const HOG =
  'python3 -c "b = bytearray(300 * 1024 * 1024); import time; time.sleep(1); print(len(b))"';
const OOM = [
  t('hog', HOG, [], { memory: '64M' }),
  t('use-hog', 'echo used', ['hog']),
  t('side', 'echo side'),
];

const ssh = connectAs('hutuser');
let bed: FaultCore | null = null;
const queueIds: string[] = [];

afterAll(async () => {
  try {
    // Nothing should be left, but a failed run must not leave jobs on the shared testbed.
    const r = await ssh.run(`squeue -h -u hutuser -o '%i %k'`, { timeoutMs: 30_000 });
    const ours = r.stdout
      .split('\n')
      .filter((line) => queueIds.some((id) => line.includes(`scripthut:sh-${id}-`)));
    const ids = ours.map((line) => line.split(' ')[0]).filter(Boolean);
    if (ids.length > 0) await ssh.run(`scancel ${ids.join(' ')}`, { timeoutMs: 30_000 });
  } finally {
    await bed?.dispose();
    await ssh.close();
  }
});

const finished = (core: FaultCore, id: string, timeoutMs: number): Promise<QueueDetail> =>
  waitUntil(
    `queue ${id} to finish`,
    async () => {
      const detail = await core.core.queues.getQueue(id);
      return isDone(detail.queue.status) ? detail : undefined;
    },
    timeoutMs,
    1_000,
    async () =>
      Promise.resolve(
        JSON.stringify((await core.core.queues.getQueue(id)).tasks.map((x) => [x.taskId, x.state])),
      ),
  );

/** Submit and end times of Slurm jobs, from accounting, in epoch seconds. */
async function slurmTimes(
  jobIds: readonly string[],
): Promise<Map<string, { submit: number; end: number }>> {
  const r = await ssh.run(`sacct -n -P -X -j ${jobIds.join(',')} --format=JobIDRaw,Submit,End`, {
    timeoutMs: 30_000,
  });
  const times = new Map<string, { submit: number; end: number }>();
  for (const line of r.stdout.trim().split('\n')) {
    const [id, submit, end] = line.split('|');
    if (id && submit && end)
      times.set(id, { submit: Date.parse(`${submit}Z`), end: Date.parse(`${end}Z`) });
  }
  return times;
}

describe('task dependencies and retries on the Slurm testbed', () => {
  it('runs a diamond with a failing branch: dependents skipped, everything else completes, each child after its parents', async () => {
    const tb = testbed();
    bed = await startFaultCore({
      port: tb.port,
      knownHosts: tb.knownHosts,
      sources: {
        diamond: { tasks: DIAMOND, maxConcurrent: 2 },
        oom: { tasks: OOM, maxConcurrent: 2 },
      },
    });
    const queue = await bed.core.queues.run('diamond');
    queueIds.push(queue.id);
    const detail = await finished(bed, queue.id, 240_000);

    expect(Object.fromEntries(detail.tasks.map((x) => [x.taskId, x.state]))).toEqual({
      root: 'completed',
      left: 'completed',
      right: 'completed',
      bad: 'failed',
      join: 'skipped',
      'after-join': 'skipped',
      'after-left': 'completed',
      'free-1': 'completed',
      'free-2': 'completed',
      'free-join': 'completed',
    });
    const byId = new Map(detail.tasks.map((x) => [x.taskId, x]));
    expect(byId.get('bad')?.job).toMatchObject({ outcome: 'FAILED', exitCode: 3 });
    expect(byId.get('join')?.reason).toBe('dependency bad failed (exit 3)');
    expect(byId.get('after-join')?.reason).toBe('dependency bad failed (exit 3), via join');
    expect(detail.queue).toMatchObject({
      status: 'failed',
      counts: { completed: 7, failed: 1, skipped: 2 },
      ending: '1 failed, 2 skipped because a dependency did not complete, 7 completed',
    });
    // ScriptHut orders the tasks itself: no script asks Slurm for a dependency.
    for (const x of detail.tasks)
      expect(await bed.core.queues.taskScript(queue.id, x.taskId)).not.toMatch(/dependency/i);

    // Slurm's own records: one job per task that ran, none for the skipped ones.
    const slurm = await slurmJobsOfQueue(ssh, queue.id);
    for (const x of detail.tasks)
      expect(slurm.get(x.position)?.length ?? 0, x.taskId).toBe(x.state === 'skipped' ? 0 : 1);
    // And every child was submitted only after each of its parents had ended.
    const jobOf = (id: string) => byId.get(id)!.job!.schedulerJobId!;
    const times = await slurmTimes(
      detail.tasks.filter((x) => x.job?.schedulerJobId).map((x) => x.job!.schedulerJobId!),
    );
    for (const x of detail.tasks) {
      if (x.state === 'skipped') continue;
      for (const parent of x.dependsOn) {
        expect(
          times.get(jobOf(x.taskId))!.submit,
          `${x.taskId} after ${parent}`,
        ).toBeGreaterThanOrEqual(times.get(jobOf(parent))!.end);
      }
    }
  }, 300_000);

  it('retries a task that ran out of memory with more memory: the new attempt completes it and its dependent', async () => {
    const core = bed!;
    const first = await core.core.queues.run('oom');
    queueIds.push(first.id);
    const ended = await finished(core, first.id, 180_000);
    expect(ended.tasks.map((x) => [x.taskId, x.state, x.job?.outcome ?? null, x.reason])).toEqual([
      ['hog', 'failed', 'OUT_OF_MEMORY', null],
      ['use-hog', 'skipped', null, 'dependency hog ran out of memory'],
      ['side', 'completed', 'COMPLETED', null],
    ]);
    expect(ended.retryable).toMatchObject({ out_of_memory: 1, skipped: 1, failed: 0 });

    const retry = await core.core.queues.retryQueue(first.id, {
      states: ['out_of_memory'],
      overrides: { memory: '600M' },
    });
    queueIds.push(retry.id);
    expect(retry).toMatchObject({ attempt: 2, retryOf: first.id, taskCount: 2 });
    const second = await finished(core, retry.id, 180_000);
    expect(second.tasks.map((x) => [x.taskId, x.state, x.job?.outcome, x.job?.memory])).toEqual([
      ['hog', 'completed', 'COMPLETED', '600M'],
      ['use-hog', 'completed', 'COMPLETED', '50M'],
    ]);
    expect(second.queue.status).toBe('completed');
    expect((await core.core.queues.taskLog(retry.id, 'hog', 'output')).content).toBe(
      `${300 * 1024 * 1024}\n`,
    );

    const family = await core.core.queues.getQueue(first.id);
    expect(family.counted).toMatchObject({ completed: 3, failed: 0, skipped: 0 });
    expect(
      family.tasks
        .find((x) => x.taskId === 'hog')
        ?.attempts.map((a) => [a.attempt, a.retryState, a.counts]),
    ).toEqual([
      [1, 'out_of_memory', false],
      [2, null, true],
    ]);
    // Exactly once: one Slurm job for each task of the retry, tagged with the retry's queue.
    const slurm = await slurmJobsOfQueue(ssh, retry.id);
    expect([...slurm.values()].map((jobs) => jobs.length)).toEqual([1, 1]);
  }, 300_000);
});
