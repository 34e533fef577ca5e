import { newJob, type ClusterStatus, type Job } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { LiveStore } from './live-store';

const job = (id: string, overrides: Partial<Job> = {}): Job =>
  newJob({
    id,
    cluster: 'hpc',
    schedulerJobId: id,
    name: `job-${id}`,
    user: 'alice',
    state: 'running',
    schedulerState: 'RUNNING',
    source: 'external',
    partition: 'debug',
    cpus: 1,
    memory: '1G',
    nodes: 'node1',
    timeUsed: '1:00',
    timeLimit: '10:00',
    submitTime: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',

    ...overrides,
  });

const cluster = (name: string, overrides: Partial<ClusterStatus> = {}): ClusterStatus => ({
  name,
  kind: 'slurm',
  host: `alice@${name}:22`,
  user: 'alice',
  connection: 'connected',
  healthy: true,
  lastPollAt: null,
  lastPollDurationMs: null,
  nextPollAt: null,
  lastError: null,
  jobCount: 0,
  ...overrides,
});

const T1 = '2026-01-01T00:01:00.000Z';
const T2 = '2026-01-01T00:02:00.000Z';

describe('LiveStore', () => {
  it('starts loading and becomes ready with the loaded jobs', () => {
    const store = new LiveStore();
    expect(store.getSnapshot().phase.kind).toBe('loading');
    store.beginLoad();
    store.loaded([job('a'), job('b')], 2, [cluster('hpc')]);
    const snap = store.getSnapshot();
    expect(snap.phase.kind).toBe('ready');
    expect([...snap.jobs.keys()]).toEqual(['a', 'b']);
    expect(snap.clusters.map((c) => c.name)).toEqual(['hpc']);
  });

  it('applies upserts and removals from the stream', () => {
    const store = new LiveStore();
    store.loaded([job('a'), job('b')], 2, []);
    store.apply({
      type: 'jobs',
      cluster: 'hpc',
      upserted: [job('a', { state: 'completed', updatedAt: T1 }), job('c')],
      removed: ['b'],
    });
    const jobs = store.getSnapshot().jobs;
    expect(jobs.get('a')?.state).toBe('completed');
    expect(jobs.has('b')).toBe(false);
    expect(jobs.has('c')).toBe(true);
  });

  it('holds events that arrive during a reload and applies them afterwards', () => {
    const store = new LiveStore();
    store.beginLoad();
    store.apply({
      type: 'jobs',
      cluster: 'hpc',
      upserted: [job('late', { updatedAt: T2 })],
      removed: [],
    });
    expect(store.getSnapshot().jobs.size).toBe(0);
    store.loaded([job('a')], 1, []);
    expect([...store.getSnapshot().jobs.keys()].sort()).toEqual(['a', 'late']);
  });

  it('does not let a held event roll back a newer job from the loaded list', () => {
    const store = new LiveStore();
    store.beginLoad();
    store.apply({
      type: 'jobs',
      cluster: 'hpc',
      upserted: [job('a', { state: 'running', updatedAt: T1 })],
      removed: [],
    });
    store.loaded([job('a', { state: 'completed', updatedAt: T2 })], 1, []);
    expect(store.getSnapshot().jobs.get('a')?.state).toBe('completed');
  });

  it('replaces a cluster status by name and keeps configuration order', () => {
    const store = new LiveStore();
    store.loaded([], 0, [cluster('a'), cluster('b')]);
    store.apply({ type: 'cluster', status: cluster('a', { healthy: false, lastError: 'boom' }) });
    const clusters = store.getSnapshot().clusters;
    expect(clusters.map((c) => c.name)).toEqual(['a', 'b']);
    expect(clusters[0]?.lastError).toBe('boom');
  });

  it('notifies subscribers and never mutates an earlier snapshot', () => {
    const store = new LiveStore();
    store.loaded([job('a')], 1, []);
    const before = store.getSnapshot();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.apply({ type: 'jobs', cluster: 'hpc', upserted: [], removed: ['a'] });
    off();
    store.apply({ type: 'jobs', cluster: 'hpc', upserted: [job('z')], removed: [] });
    expect(calls).toBe(1);
    expect(before.jobs.has('a')).toBe(true);
  });

  it('reports a failed load and recovers on the next one', () => {
    const store = new LiveStore();
    store.beginLoad();
    store.failed('Server unreachable');
    expect(store.getSnapshot().phase).toEqual({ kind: 'error', message: 'Server unreachable' });
    store.beginLoad();
    expect(store.getSnapshot().phase.kind).toBe('loading');
  });
});
