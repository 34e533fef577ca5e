import { afterAll, describe, expect, it } from 'vitest';
import { SlurmBackend } from '../src/backends/slurm/slurm-backend';
import { renderJobScript } from '../src/backends/slurm';
import { isTerminal } from '../src/domain/job';
import { ClusterMonitor } from '../src/poller/cluster-monitor';
import { MemoryJobRepository } from '../src/poller/testing';
import { systemClock } from '../src/runtime/clock';
import { connectAs, sbatch } from './testbed';

const alice = connectAs('hutuser');
const bob = connectAs('hutuser2');
afterAll(async () => {
  await alice.close();
  await bob.close();
});

function monitorOn(runner = alice) {
  const repo = new MemoryJobRepository();
  const backend = new SlurmBackend(runner, { renderScript: renderJobScript });
  const monitor = new ClusterMonitor({
    name: 'tb',
    kind: 'slurm',
    host: 'testbed',
    user: 'hutuser',
    backend,
    repo,
    clock: systemClock,
    publish: () => undefined,
    pollIntervalMs: 1_000,
  });
  return { repo, monitor, backend };
}

async function tickUntil(
  monitor: ClusterMonitor,
  done: () => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for jobs to settle');
    await monitor.tick();
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

describe('monitoring the real testbed', () => {
  it('shows how each job really ended, for every user', async () => {
    const { repo, monitor } = monitorOn();
    const ids = {
      completed: await sbatch(alice, '-J it-ok', 'echo fine'),
      exit3: await sbatch(alice, '-J it-exit3', 'exit 3'),
      signal: await sbatch(alice, '-J it-signal', 'kill -9 $$'),
      oom: await sbatch(
        alice,
        '-J it-oom --mem=20M',
        'python3 -c "x=bytearray(300*1024*1024); import time; time.sleep(3)"',
      ),
      timeout: await sbatch(alice, '-J it-timeout --time=1', 'sleep 600'),
      cancelledRunning: await sbatch(alice, '-J it-cancel-run', 'sleep 600'),
      cancelledPending: await sbatch(alice, '-J it-cancel-pend --hold', 'true'),
      otherUser: await sbatch(bob, '-J it-bob', 'echo bob'),
    };
    await tickUntil(
      monitor,
      () => repo.jobs.get(`tb:${ids.cancelledRunning}`)?.state === 'running',
      30_000,
    );
    const pending = repo.jobs.get(`tb:${ids.cancelledPending}`);
    expect(pending).toMatchObject({ state: 'submitted', reason: 'JobHeldUser' });
    await alice.run(`scancel ${ids.cancelledRunning} ${ids.cancelledPending}`);
    const job = (k: keyof typeof ids) => repo.jobs.get(`tb:${ids[k]}`);
    await tickUntil(
      monitor,
      () =>
        Object.keys(ids).every((k) => isTerminal(job(k as keyof typeof ids)?.state ?? 'pending')),
      150_000,
    );

    expect(job('completed')).toMatchObject({
      state: 'completed',
      outcome: 'COMPLETED',
      exitCode: 0,
    });
    expect(job('exit3')).toMatchObject({ state: 'failed', outcome: 'FAILED', exitCode: 3 });
    expect(job('signal')).toMatchObject({ state: 'failed', outcome: 'FAILED', signal: 9 });
    expect(job('oom')).toMatchObject({ state: 'failed', outcome: 'OUT_OF_MEMORY' });
    expect(job('timeout')).toMatchObject({ state: 'failed', outcome: 'TIMEOUT' });
    expect(job('cancelledRunning')).toMatchObject({ state: 'failed', outcome: 'CANCELLED' });
    expect(job('cancelledPending')).toMatchObject({ state: 'failed', outcome: 'CANCELLED' });
    expect(job('otherUser')).toMatchObject({ state: 'completed', user: 'hutuser2' });
  }, 200_000);

  it('keeps last known states, marked stale, when squeue fails, and recovers', async () => {
    // squeue answering as it does while slurmctld is down.
    const down = `squeue() { echo 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)' >&2; return 1; }; `;
    const broken = {
      run: (cmd: string, o?: Parameters<typeof alice.run>[1]) => alice.run(down + cmd, o),
    };
    let failing = false;
    const runner = {
      run: (cmd: string, o?: Parameters<typeof alice.run>[1]) =>
        failing ? broken.run(cmd, o) : alice.run(cmd, o),
    };
    const { repo, monitor } = monitorOn(runner as unknown as typeof alice);
    const id = await sbatch(alice, '-J it-stale', 'sleep 20');
    await tickUntil(monitor, () => repo.jobs.get(`tb:${id}`)?.state === 'running', 30_000);
    failing = true;
    await monitor.tick();
    expect(monitor.status().healthy).toBe(false);
    expect(monitor.status().lastError).toMatch(/squeue failed/);
    expect(repo.jobs.get(`tb:${id}`)).toMatchObject({ state: 'running', stale: true });
    failing = false;
    await monitor.tick();
    expect(monitor.status().healthy).toBe(true);
    expect(repo.jobs.get(`tb:${id}`)).toMatchObject({ state: 'running', stale: false });
    await alice.run(`scancel ${id}`);
  }, 60_000);

  it("refuses to cancel another user's job with Slurm's reason", async () => {
    const { backend } = monitorOn();
    const id = await sbatch(bob, '-J it-bob-hold --hold', 'true');
    const [outcome] = await backend.cancel([id]);
    expect(outcome).toMatchObject({ ok: false });
    expect(outcome?.message).toMatch(/denied|not owner|Access/i);
    await bob.run(`scancel ${id}`);
  }, 30_000);
});
