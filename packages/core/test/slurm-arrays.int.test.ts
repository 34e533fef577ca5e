import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJobScript } from '../src/backends/slurm';
import { SlurmBackend } from '../src/backends/slurm/slurm-backend';
import { arrayRowId, isTerminal, JobState, type Job } from '../src/domain/job';
import { arrayTaskTotal } from '../src/domain/job-array';
import { HistoryStore } from '../src/history/history-store';
import { makeTempDir } from '../src/history/testing';
import { ClusterMonitor } from '../src/poller/cluster-monitor';
import { systemClock } from '../src/runtime/clock';
import { readJobLog } from '../src/service/job-logs';
import { connectAs, sbatch } from './testbed';

const alice = connectAs('hutuser');
const temp = makeTempDir('scripthut-arrays-');
const store = await HistoryStore.open(join(temp.dir, 'scripthut.db'));
const submitted: string[] = [];
/** Files the tests' jobs wrote in the home directory, removed at the end. */
const written: string[] = [];
afterAll(async () => {
  if (submitted.length > 0) await alice.run(`scancel ${submitted.join(' ')}`);
  if (written.length > 0) await alice.run(`rm -f ${written.join(' ')}`);
  await alice.close();
  await store.close();
  temp.remove();
});

const backend = new SlurmBackend(alice, { renderScript: renderJobScript });
const monitor = new ClusterMonitor({
  name: 'tb',
  kind: 'slurm',
  host: 'testbed',
  user: 'hutuser',
  backend,
  repo: {
    activeJobs: async (cluster) => await store.activeJobs(cluster),
    upsertJobs: async (jobs, removed) => await store.upsertJobs(jobs, removed),
  },
  clock: systemClock,
  publish: () => undefined,
  pollIntervalMs: 1_000,
});

/** Polls once a second until `done` holds for what the store says, calling `each` after every poll. */
async function pollUntil(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  each: () => unknown = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await monitor.tick();
    await each();
    if (await done()) return;
    if (Date.now() > deadline) throw new Error('timed out waiting for the testbed');
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

const unique = (label: string): string => `it-${label}-${Math.random().toString(36).slice(2, 8)}`;

describe('arrays and efficiency on the real testbed', () => {
  it('shows an array of 20 throttled to 4 as one row whose counts follow its tasks', async () => {
    const name = unique('array');
    const base = await sbatch(
      alice,
      `-J ${name} --hold --array=1-20%4 --time=2 --mem=20M`,
      'sleep 1',
    );
    submitted.push(base);
    const rows = async (): Promise<Job[]> => (await store.listJobs({ text: name })).jobs;
    const array = async (): Promise<Job | undefined> => await store.getJob(arrayRowId('tb', base)) ?? undefined;

    await pollUntil(async () => await array() !== undefined, 30_000);
    expect(await rows()).toHaveLength(1);
    expect(await array()).toMatchObject({
      schedulerJobId: base,
      name,
      state: 'submitted',
      arrayTasks: 20,
      arrayCounts: { submitted: 20, running: 0, completed: 0 },
    });
    expect(
      (await store.listJobs({ arrayId: arrayRowId('tb', base) })).jobs.map((j) => j.schedulerJobId),
    ).toEqual([`${base}_[1-20%4]`]);

    await alice.run(`scontrol release ${base}`);
    let mostRunning = 0;
    const tasks = async (): Promise<Job[]> => (await store.listJobs({ arrayId: arrayRowId('tb', base), limit: 100 })).jobs;
    await pollUntil(
      async () => (await array())?.state === 'completed',
      180_000,
      async () => {
        const counts = (await array())?.arrayCounts;
        expect(await rows()).toHaveLength(1);
        expect(counts && arrayTaskTotal(counts)).toBe(20);
        mostRunning = Math.max(mostRunning, counts?.running ?? 0);
        // The row's counts are its tasks' states, a pending range counting as its size.
        const fromTasks = new Map<string, number>();
        for (const t of await tasks())
          fromTasks.set(t.state, (fromTasks.get(t.state) ?? 0) + (t.arrayTasks ?? 0));
        for (const state of JobState.options)
          expect(fromTasks.get(state) ?? 0).toBe(counts?.[state]);
      },
    );
    expect(mostRunning).toBeLessThanOrEqual(4);
    expect(await array()).toMatchObject({
      state: 'completed',
      outcome: 'COMPLETED',
      arrayTasks: 20,
      arrayCounts: { completed: 20, submitted: 0, running: 0, finishing: 0, failed: 0 },
    });
    expect(
      (await tasks())
        .map((t) => t.schedulerJobId)
        .sort(),
    ).toEqual(Array.from({ length: 20 }, (_, i) => `${base}_${i + 1}`).sort());
    expect((await store.listJobs({ text: name })).total).toBe(1);
  }, 240_000);

  it('gives a finished job the CPU and memory efficiency sacct reports', async () => {
    const name = unique('burn');
    // Busy for 3 s holding 150 MiB of touched memory, sampled every 2 s by jobacct_gather.
    const id = await sbatch(
      alice,
      `-J ${name} --time=2 --mem=300M`,
      'python3 -c "import time; b = b\\"x\\" * (150 << 20); t = time.time()\nwhile time.time() - t < 3: pass"',
    );
    submitted.push(id);
    const job = async (): Promise<Job | null> => await store.getJob(`tb:${id}`);
    await pollUntil(async () => isTerminal((await job())?.state ?? 'pending'), 120_000);
    expect(await job()).toMatchObject({ state: 'completed', outcome: 'COMPLETED' });

    // sacct's own figures, read in other units: CPUTimeRAW is Elapsed × AllocCPUS in seconds, MaxRSS in bytes.
    const out = await alice.run(
      `sacct -P -n --noconvert -j ${id} -o JobID,TotalCPU,CPUTimeRAW,MaxRSS,ReqMem`,
    );
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    const allocation = lines.find((l) => l[0] === id)!;
    const [minutes, seconds] = (allocation[1] ?? '').split(':');
    const totalCpu = Number(minutes) * 60 + Number(seconds);
    const cpuTime = Number(allocation[2]);
    const maxRss = Math.max(...lines.filter((l) => l[0] !== id).map((l) => Number(l[3] || 0)));

    const efficiency = (await job())?.efficiency;
    expect(efficiency?.cpuSeconds).toBeCloseTo(totalCpu, 3);
    expect(efficiency?.cpuEfficiency).toBeCloseTo(totalCpu / cpuTime, 3);
    expect(efficiency?.maxRssBytes).toBe(maxRss);
    expect(efficiency?.requestedMemoryBytes).toBe(300 * 2 ** 20);
    expect(allocation[4]).toBe('300M');
    expect(efficiency?.maxRssBytes).toBeGreaterThan(150 * 2 ** 20);
    expect(efficiency?.memoryEfficiency).toBeCloseTo(maxRss / (300 * 2 ** 20), 6);
  }, 150_000);

  it('opens each array task’s own log file, Slurm’s default for arrays', async () => {
    const name = unique('logs');
    // No --output: each task writes slurm-<array>_<index>.out in the submit directory (home).
    const base = await sbatch(
      alice,
      `-J ${name} --array=1-3 --time=2`,
      'echo "task index $SLURM_ARRAY_TASK_ID"; sleep 4',
    );
    submitted.push(base);
    written.push(`slurm-${base}_1.out`, `slurm-${base}_2.out`, `slurm-${base}_3.out`);
    await pollUntil(
      async () => (await store.getJob(arrayRowId('tb', base)))?.state === 'completed',
      120_000,
    );
    const tasks = (await store.listJobs({ arrayId: arrayRowId('tb', base) })).jobs;
    expect(tasks.map((t) => t.schedulerJobId).sort()).toEqual([1, 2, 3].map((i) => `${base}_${i}`));
    for (const task of tasks) {
      const index = task.schedulerJobId!.split('_')[1]!;
      const log = await readJobLog(backend, task, 'output');
      expect(log).toMatchObject({
        unavailable: null,
        exists: true,
        path: expect.stringMatching(new RegExp(`/slurm-${base}_${index}\\.out$`)) as unknown,
      });
      expect(log.content.trim()).toBe(`task index ${index}`);
    }
  }, 150_000);
});
