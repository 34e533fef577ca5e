import { describe, expect, it } from 'vitest';
import { FakeClock } from '../runtime/fake-clock';
import { ClusterMonitor, type MonitorEvent } from './cluster-monitor';
import { MemoryJobRepository, ScriptedBackend, observed, report } from './testing';

function setup(options: { lostAfterMs?: number; lostAfterChecks?: number } = {}) {
  const clock = new FakeClock();
  const backend = new ScriptedBackend();
  const repo = new MemoryJobRepository();
  const events: MonitorEvent[] = [];
  const monitor = new ClusterMonitor({
    name: 'hpc',
    kind: 'slurm',
    host: 'alice@login:22',
    user: 'alice',
    backend,
    repo,
    clock,
    publish: (e) => events.push(e),
    pollIntervalMs: 60_000,
    lostAfterMs: options.lostAfterMs ?? 600_000,
    lostAfterChecks: options.lostAfterChecks ?? 3,
  });
  const job = (id: string) => repo.jobs.get(`hpc:${id}`);
  return { clock, backend, repo, events, monitor, job };
}

describe('ClusterMonitor', () => {
  it('records every job in the queue as an external job', async () => {
    const { backend, monitor, job } = setup();
    backend.queue = [observed('1'), observed('2', { rawState: 'PENDING', state: 'submitted', reason: 'Priority', user: 'bob' })];
    await monitor.tick();
    expect(job('1')).toMatchObject({ state: 'running', source: 'external', user: 'alice' });
    expect(job('2')).toMatchObject({ state: 'submitted', reason: 'Priority', user: 'bob' });
    expect(monitor.status()).toMatchObject({ healthy: true, jobCount: 2, lastError: null });
  });

  it('keeps a job that left the queue as finishing until accounting answers, never completed', async () => {
    const { backend, monitor, job } = setup();
    backend.queue = [observed('7')];
    await monitor.tick();
    backend.queue = [];
    await monitor.tick();
    expect(job('7')?.state).toBe('finishing');
    expect(job('7')?.outcome).toBeNull();
  });

  it('marks a job FAILED with OUT_OF_MEMORY when accounting reports it', async () => {
    const { backend, monitor, job } = setup();
    backend.queue = [observed('7')];
    await monitor.tick();
    backend.queue = [];
    backend.accounting.set('7', report('7', { rawState: 'OUT_OF_MEMORY', outcome: 'OUT_OF_MEMORY', exitCode: 0, signal: 9 }));
    await monitor.tick();
    expect(job('7')).toMatchObject({ state: 'failed', outcome: 'OUT_OF_MEMORY', signal: 9 });
    expect(monitor.status().jobCount).toBe(0);
  });

  it('keeps the log location accounting reports for a job that ended between two polls', async () => {
    const { backend, monitor, job } = setup();
    backend.queue = [observed('8', { stdoutPath: null })];
    await monitor.tick();
    backend.queue = [];
    backend.accounting.set('8', report('8', { stdoutPath: '/aws/batch/job:jd/default/8' }));
    await monitor.tick();
    expect(job('8')).toMatchObject({ state: 'completed', stdoutPath: '/aws/batch/job:jd/default/8' });
  });

  it('asks accounting once per poll for all finishing jobs', async () => {
    const { backend, monitor } = setup();
    backend.queue = [observed('1'), observed('2'), observed('3')];
    await monitor.tick();
    backend.queue = [];
    await monitor.tick();
    expect(backend.reportCalls).toEqual([['1', '2', '3']]);
    expect(backend.listCalls).toBe(2);
  });

  it('treats a failed queue listing as no information: jobs keep their state, marked stale', async () => {
    const { backend, monitor, job, events } = setup();
    backend.queue = [observed('1')];
    await monitor.tick();
    backend.failNextList = new Error('slurm_load_jobs error: Unable to contact slurm controller');
    await monitor.tick();
    expect(job('1')).toMatchObject({ state: 'running', stale: true });
    expect(backend.reportCalls).toEqual([]);
    expect(monitor.status()).toMatchObject({ healthy: false });
    expect(monitor.status().lastError).toMatch(/Unable to contact slurm controller/);
    const last = events.filter((e) => e.type === 'cluster').at(-1);
    expect(last?.type === 'cluster' && last.status.healthy).toBe(false);
    await monitor.tick();
    expect(job('1')).toMatchObject({ state: 'running', stale: false });
    expect(monitor.status().healthy).toBe(true);
  });

  it('marks a job lost only after enough checks and time without any record', async () => {
    const { backend, monitor, job, clock } = setup({ lostAfterMs: 120_000, lostAfterChecks: 2 });
    backend.queue = [observed('9')];
    await monitor.tick();
    backend.queue = [];
    await monitor.tick();
    await clock.advance(60_000);
    await monitor.tick();
    expect(job('9')?.state).toBe('finishing');
    await clock.advance(61_000);
    await monitor.tick();
    expect(job('9')).toMatchObject({ state: 'unknown', outcome: 'LOST' });
    expect(job('9')?.reason).toMatch(/no record/);
  });

  it('reconciles jobs that were active before a restart', async () => {
    const { backend, repo, events } = setup();
    const first = setup();
    first.backend.queue = [observed('5')];
    await first.monitor.tick();
    repo.upsertJobs([...first.repo.jobs.values()]);
    const restarted = new ClusterMonitor({
      name: 'hpc', kind: 'slurm', host: 'h', user: 'alice', backend, repo, clock: new FakeClock(),
      publish: (e) => events.push(e), pollIntervalMs: 60_000,
    });
    backend.accounting.set('5', report('5', { rawState: 'FAILED', outcome: 'FAILED', exitCode: 3 }));
    await restarted.tick();
    expect(repo.jobs.get('hpc:5')).toMatchObject({ state: 'failed', outcome: 'FAILED', exitCode: 3 });
  });

  it('drops a pending array range once all its tasks have started', async () => {
    const { backend, monitor, repo } = setup();
    backend.queue = [observed('10_[2-3]', { state: 'submitted', rawState: 'PENDING' }), observed('10_1')];
    await monitor.tick();
    backend.queue = [observed('10_1'), observed('10_2'), observed('10_3')];
    await monitor.tick();
    expect([...repo.jobs.keys()].sort()).toEqual(['hpc:10_1', 'hpc:10_2', 'hpc:10_3']);
  });

  it('shares one pass between concurrent tick callers', async () => {
    const { backend, monitor } = setup();
    await Promise.all([monitor.tick(), monitor.tick(), monitor.tick()]);
    expect(backend.listCalls).toBe(1);
  });

  it('refuses a refresh right after a poll and accepts it later', async () => {
    const { monitor, clock } = setup();
    await monitor.tick();
    const refused = monitor.requestRefresh();
    expect(refused.accepted).toBe(false);
    await clock.advance(5_000);
    expect(monitor.requestRefresh()).toEqual({ accepted: true });
  });

  it('polls on its interval and backs off while the cluster fails', async () => {
    const { backend, monitor, clock } = setup();
    monitor.start();
    await clock.advance(0);
    expect(backend.listCalls).toBe(1);
    await clock.advance(60_000);
    expect(backend.listCalls).toBe(2);
    backend.failNextList = new Error('down');
    await clock.advance(60_000);
    expect(backend.listCalls).toBe(3);
    backend.failNextList = new Error('down');
    await clock.advance(60_000);
    expect(backend.listCalls).toBe(4);
    backend.failNextList = new Error('down');
    await clock.advance(60_000);
    expect(backend.listCalls).toBe(4);
    await clock.advance(60_000);
    expect(backend.listCalls).toBe(5);
    await monitor.stop();
  });
});

describe('ClusterMonitor with ended jobs still listed by the queue', () => {
  it('settles a job first seen already ended through accounting, with its precise outcome', async () => {
    const { backend, monitor, job } = setup();
    backend.queue = [observed('30', { rawState: 'FAILED', state: 'failed' })];
    backend.accounting.set('30', report('30', { rawState: 'OUT_OF_MEMORY', outcome: 'OUT_OF_MEMORY', signal: 9 }));
    await monitor.tick();
    expect(job('30')).toMatchObject({ state: 'failed', outcome: 'OUT_OF_MEMORY', signal: 9 });
  });

  it('does not bring a settled job back while the queue still lists it', async () => {
    const { backend, monitor, job, repo } = setup();
    backend.queue = [observed('31', { rawState: 'COMPLETED', state: 'finishing' })];
    backend.accounting.set('31', report('31'));
    await monitor.tick();
    expect(job('31')?.state).toBe('completed');
    repo.jobs.set('hpc:31', { ...job('31')!, name: 'marker' });
    await monitor.tick();
    await monitor.tick();
    expect(job('31')).toMatchObject({ state: 'completed', name: 'marker' });
    expect(backend.reportCalls).toEqual([['31']]);
  });
});
