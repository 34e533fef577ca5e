import { describe, expect, it } from 'vitest';
import type { FinalReport } from '../backends/backend';
import { makeJob } from '../history/testing';
import { FakeClock } from '../runtime/fake-clock';
import { ClusterMonitor } from './cluster-monitor';
import type { Job } from '../domain/job';
import type { JobRepository } from './job-repository';
import { MemoryJobRepository, ScriptedBackend, observed } from './testing';

/** Accounting answers only when the test releases it, so a job can be tracked in the middle of a pass. */
class HeldAccounting extends ScriptedBackend {
  release: (() => void) | null = null;
  override finalReports(ids: readonly string[]): Promise<Map<string, FinalReport>> {
    const answer = super.finalReports(ids);
    return new Promise((resolve) => {
      this.release = () => void answer.then(resolve);
    });
  }
}

/** A store whose writes finish only when the test releases them, so a job can be tracked while a pass is writing. */
class HeldWrites implements JobRepository {
  readonly memory = new MemoryJobRepository();
  hold = false;
  release: (() => void) | null = null;
  get jobs(): Map<string, Job> {
    return this.memory.jobs;
  }
  activeJobs(cluster: string): Job[] {
    return this.memory.activeJobs(cluster);
  }
  upsertJobs(jobs: readonly Job[], removed: readonly string[] = []): void | Promise<void> {
    this.memory.upsertJobs(jobs, removed);
    if (!this.hold) return;
    return new Promise((resolve) => {
      this.release = resolve;
    });
  }
}

function setup() {
  const backend = new HeldAccounting();
  const repo = new MemoryJobRepository();
  const monitor = new ClusterMonitor({ name: 'hpc', kind: 'slurm', host: 'h', user: 'alice', backend, repo, clock: new FakeClock(), publish: () => undefined, pollIntervalMs: 60_000 });
  const queueJob = makeJob({ id: 'q:abc:t0', cluster: 'hpc', source: 'queue', queueId: 'abc', taskId: 't0', schedulerJobId: '5', state: 'submitted' });
  return { backend, repo, monitor, queueJob };
}

describe('ClusterMonitor.track', () => {
  it('adopts a job that a pass already recorded as external', async () => {
    const { backend, repo, monitor, queueJob } = setup();
    backend.queue = [observed('5', { rawState: 'PENDING', state: 'submitted' })];
    await monitor.tick();
    expect(repo.jobs.has('hpc:5')).toBe(true);

    await monitor.track(queueJob);
    expect(repo.jobs.has('hpc:5')).toBe(false);
    backend.queue = [observed('5')];
    await monitor.tick();
    expect(repo.jobs.get('q:abc:t0')?.state).toBe('running');
    expect([...repo.jobs.keys()]).toEqual(['q:abc:t0']);
  });

  it('does not record as external a job tracked while the pass that listed it was running', async () => {
    const { backend, repo, monitor, queueJob } = setup();
    backend.queue = [observed('1')];
    await monitor.tick();
    backend.queue = [observed('5', { rawState: 'PENDING', state: 'submitted' })];
    const pass = monitor.tick();
    await new Promise((r) => setImmediate(r));
    await monitor.track(queueJob);
    backend.release?.();
    await pass;
    expect(repo.jobs.has('hpc:5')).toBe(false);
    backend.queue = [observed('5')];
    const next = monitor.tick();
    await new Promise((r) => setImmediate(r));
    backend.release?.();
    await next;
    expect(repo.jobs.get('q:abc:t0')?.state).toBe('running');
  });

  it('replaces the external row of a job tracked while the pass that listed it is still writing', async () => {
    const backend = new ScriptedBackend();
    const repo = new HeldWrites();
    const monitor = new ClusterMonitor({ name: 'hpc', kind: 'slurm', host: 'h', user: 'alice', backend, repo, clock: new FakeClock(), publish: () => undefined, pollIntervalMs: 60_000 });
    const queueJob = makeJob({ id: 'q:abc:t0', cluster: 'hpc', source: 'queue', queueId: 'abc', taskId: 't0', schedulerJobId: '5', state: 'submitted' });
    backend.queue = [observed('5')];
    repo.hold = true;
    const pass = monitor.tick();
    await new Promise((r) => setImmediate(r));
    expect(repo.jobs.has('hpc:5')).toBe(true);
    repo.hold = false;
    await monitor.track(queueJob);
    repo.release?.();
    await pass;
    expect([...repo.jobs.keys()]).toEqual(['q:abc:t0']);
    await monitor.tick();
    expect(repo.jobs.get('q:abc:t0')?.state).toBe('running');
    expect([...repo.jobs.keys()]).toEqual(['q:abc:t0']);
  });
});
