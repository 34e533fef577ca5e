import { afterAll, describe, expect, it } from 'vitest';
import { renderJobScript } from '../src/backends/slurm';
import { SlurmBackend } from '../src/backends/slurm/slurm-backend';
import { isTerminal } from '../src/domain/job';
import { ClusterMonitor } from '../src/poller/cluster-monitor';
import { MemoryJobRepository } from '../src/poller/testing';
import { systemClock } from '../src/runtime/clock';
import { connectAs, sbatch } from './testbed';

const alice = connectAs('hutuser');
const dir = `it-read-only-${Math.random().toString(36).slice(2, 8)}`;
afterAll(async () => {
  await alice.run(`rmdir ~/${dir}`);
  await alice.close();
});

describe('a job Slurm could not launch, on the real testbed', () => {
  it('says in words that it could not start because its output directory is not writable', async () => {
    await alice.run(`mkdir ~/${dir} && chmod 555 ~/${dir}`);
    const repo = new MemoryJobRepository();
    const monitor = new ClusterMonitor({
      name: 'tb',
      kind: 'slurm',
      host: 'testbed',
      user: 'hutuser',
      backend: new SlurmBackend(alice, { renderScript: renderJobScript }),
      repo,
      clock: systemClock,
      publish: () => undefined,
      pollIntervalMs: 1_000,
    });
    const id = await sbatch(alice, `-J it-unwritable --time=5 -o ~/${dir}/x.out`, 'echo lost');
    const job = () => repo.jobs.get(`tb:${id}`);
    const deadline = Date.now() + 90_000;
    while (!isTerminal(job()?.state ?? 'pending')) {
      if (Date.now() > deadline) throw new Error(`job ${id} did not end: ${JSON.stringify(job())}`);
      await monitor.tick();
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(job()).toMatchObject({
      state: 'failed',
      outcome: 'FAILED',
      schedulerState: 'FAILED',
      exitCode: null,
      signal: null,
    });
    expect(job()?.reason).toMatch(
      /^Could not start: Slurm could not open the job's output or error file \(slurmd error 4021, shown by sacct as signal 53\)\. Check that the directory of --output/,
    );
  }, 120_000);
});
