import { afterAll, describe, expect, it } from 'vitest';
import type { SubmitSpec } from '../src/backends/backend';
import { renderJobScript } from '../src/backends/slurm/render-job-script';
import { SlurmBackend } from '../src/backends/slurm/slurm-backend';
import { jsonSource, queueTestbed, removeDir, tickUntil, type Testbed } from '../src/queue/testing';
import { connectAs } from './testbed';

const TASKS = 300;
const REJECT_EVERY = 25;

/** Held (never run) jobs with paths that exist on the testbed: the test needs submissions, not runs. */
const heldScript = (spec: SubmitSpec): string =>
  renderJobScript({
    ...spec,
    workingDir: '/tmp',
    stdoutPath: '/dev/null',
    stderrPath: '/dev/null',
  }).replace('\n', '\n#SBATCH --hold\n');

describe('queue submission in batches on the Slurm testbed', () => {
  const ssh = connectAs('hutuser');
  let bed: Testbed | null = null;
  let queueId = '';
  const ourJobs = async (): Promise<string[]> => {
    const r = await ssh.run(`squeue --states=all -h -u hutuser -o '%i %k'`, { timeoutMs: 30_000 });
    return r.stdout
      .split('\n')
      .filter((line) => queueId !== '' && line.includes(` scripthut:sh-${queueId}-`));
  };
  afterAll(async () => {
    try {
      const ids = (await ourJobs()).map((line) => line.split(' ')[0]);
      if (ids.length > 0) await ssh.run(`scancel ${ids.join(' ')}`, { timeoutMs: 60_000 });
    } finally {
      await bed?.close();
      if (bed) await removeDir(bed.dir);
      await ssh.close();
    }
  });

  it('submits 300 tasks exactly once in a few execs; rejected tasks fail with Slurm message, the rest go on', async () => {
    const tasks = Array.from({ length: TASKS }, (_, i) => ({
      id: `t${i}`,
      name: `batch-int ${i}`,
      command: `echo ${i} "it's" '$HOME'`,
      memory: '10M',
      time_limit: '1',
      ...(i % REJECT_EVERY === REJECT_EVERY - 1 ? { partition: 'nope' } : {}),
    }));
    const execs: string[] = [];
    const counting = {
      run: (command: string, options?: Parameters<typeof ssh.run>[1]) => {
        if (command.includes('sbatch')) execs.push(command);
        return ssh.run(command, options);
      },
    };
    bed = await queueTestbed({
      sources: [jsonSource('batch', tasks, { max_concurrent: TASKS })],
      clusterMax: null,
      submitTimeoutMs: 60_000,
      wrap: () => new SlurmBackend(counting, { renderScript: heldScript, submitTimeoutMs: 30_000 }),
    });
    await bed.service.start();
    const queue = await bed.service.run('batch');
    queueId = queue.id;
    const b = bed;
    await tickUntil(
      b,
      async () =>
        (await b.service.getQueue(queue.id))
          .tasks.every((t) => t.state !== 'pending' && t.state !== 'submitting'),
      () => undefined,
      120_000,
    );

    expect(execs.length).toBeLessThanOrEqual(3);
    const detail = await b.service.getQueue(queue.id);
    const rejected = detail.tasks.filter((t) => t.state === 'failed');
    expect(rejected).toHaveLength(TASKS / REJECT_EVERY);
    for (const t of rejected) {
      expect(Number(t.taskId.slice(1)) % REJECT_EVERY).toBe(REJECT_EVERY - 1);
      expect(t.job?.reason).toMatch(/invalid partition/i);
    }
    const lines = await ourJobs();
    const perTag = new Map<string, number>();
    for (const line of lines) {
      const tag = line.split(' ')[1] ?? '';
      perTag.set(tag, (perTag.get(tag) ?? 0) + 1);
    }
    expect(perTag.size).toBe(TASKS - TASKS / REJECT_EVERY);
    expect([...perTag.values()].every((n) => n === 1)).toBe(true);
    const submitted = detail.tasks.filter((t) => t.state !== 'failed');
    expect(new Set(submitted.map((t) => t.job?.schedulerJobId)).size).toBe(submitted.length);
  }, 240_000);
});
