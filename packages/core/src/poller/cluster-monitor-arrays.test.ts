import { describe, expect, it } from 'vitest';
import { jobIdOf, loadCapture } from '../backends/slurm/load-capture';
import { parseSqueue } from '../backends/slurm/parse-squeue';
import { arrayRowId } from '../domain/job';
import { FakeClock } from '../runtime/fake-clock';
import { ClusterMonitor, type MonitorEvent } from './cluster-monitor';
import { MemoryJobRepository, ScriptedBackend, report } from './testing';

function setup() {
  const backend = new ScriptedBackend();
  const repo = new MemoryJobRepository();
  const events: MonitorEvent[] = [];
  const monitor = new ClusterMonitor({
    name: 'hpc',
    kind: 'slurm',
    host: 'login',
    user: 'hutuser',
    backend,
    repo,
    clock: new FakeClock(),
    publish: (e) => events.push(e),
    pollIntervalMs: 60_000,
  });
  return { backend, repo, monitor, events, job: (id: string) => repo.jobs.get(`hpc:${id}`) };
}

/** Records of one array from a captured squeue output. */
const arrayRecords = (capture: string, scenario: string) =>
  parseSqueue(loadCapture(capture).stdout).filter(
    (j) => j.arrayJobId === jobIdOf(scenario) || j.schedulerJobId === jobIdOf(scenario),
  );

describe('ClusterMonitor with array jobs', () => {
  it('links running tasks and the pending rest of a throttled array to the array', async () => {
    const { backend, monitor, job } = setup();
    const base = jobIdOf('array-cancel');
    backend.queue = arrayRecords('squeue-array-running', 'array-cancel');
    await monitor.tick();
    expect(job(`${base}_1`)).toMatchObject({
      state: 'running',
      arrayId: arrayRowId('hpc', base),
      arrayTasks: 1,
    });
    expect(job(`${base}_[3-6%4]`)).toMatchObject({
      state: 'submitted',
      arrayId: arrayRowId('hpc', base),
      arrayTasks: 4,
    });
  });

  it('settles an array cancelled before any task started as its range, not as a new job under the bare id', async () => {
    const { backend, monitor, job, repo } = setup();
    const base = jobIdOf('array-pending');
    const range = `${base}_[5-9]`;
    backend.queue = arrayRecords('squeue-live', 'array-pending');
    await monitor.tick();
    expect(job(range)).toMatchObject({ state: 'submitted', arrayTasks: 5 });

    // squeue now lists it as the bare id, CANCELLED; accounting has the range.
    backend.queue = arrayRecords('squeue-finished', 'array-pending');
    expect(backend.queue.map((j) => j.schedulerJobId)).toEqual([base]);
    await monitor.tick();
    expect(job(range)?.state).toBe('finishing');
    backend.accounting.set(
      range,
      report(range, { rawState: 'CANCELLED by 1001', outcome: 'CANCELLED', startTime: null }),
    );
    await monitor.tick();
    await monitor.tick();
    expect(job(range)).toMatchObject({ state: 'failed', outcome: 'CANCELLED', arrayTasks: 5 });
    expect(job(base)).toBeUndefined();
    expect([...repo.jobs.keys()]).toEqual([`hpc:${range}`]);
  });

  it('keeps what accounting says a finished task used', async () => {
    const { backend, monitor, job } = setup();
    const base = jobIdOf('array-throttled');
    backend.queue = arrayRecords('squeue-finished', 'array-throttled');
    const efficiency = {
      cpuSeconds: 0.5,
      elapsedSeconds: 1,
      allocCpus: 1,
      cpuEfficiency: 0.5,
      maxRssBytes: 3_000_000,
      requestedMemoryBytes: 100 * 2 ** 20,
      memoryEfficiency: 3_000_000 / (100 * 2 ** 20),
    };
    backend.accounting.set(`${base}_8`, report(`${base}_8`, { efficiency }));
    await monitor.tick();
    expect(job(`${base}_8`)).toMatchObject({ state: 'completed', efficiency });
  });
});
