import type { ClusterStatus } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { LiveStore } from './live-store';

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

describe('LiveStore', () => {
  it('starts loading and becomes ready with the loaded clusters', () => {
    const store = new LiveStore();
    expect(store.getSnapshot().phase.kind).toBe('loading');
    store.beginLoad();
    store.loaded([cluster('hpc')]);
    const snap = store.getSnapshot();
    expect(snap.phase.kind).toBe('ready');
    expect(snap.clusters.map((c) => c.name)).toEqual(['hpc']);
  });

  it('holds cluster events that arrive during a reload and applies them afterwards', () => {
    const store = new LiveStore();
    store.beginLoad();
    store.apply({ type: 'cluster', status: cluster('hpc', { healthy: false, lastError: 'late' }) });
    expect(store.getSnapshot().clusters).toEqual([]);
    store.loaded([cluster('hpc'), cluster('gpu')]);
    expect(store.getSnapshot().clusters.map((c) => [c.name, c.lastError])).toEqual([
      ['hpc', 'late'],
      ['gpu', null],
    ]);
  });

  it('passes every event to event listeners, job events included, also during a reload', () => {
    const store = new LiveStore();
    const seen: string[] = [];
    const off = store.onEvent((e) => seen.push(e.type));
    store.beginLoad();
    store.apply({ type: 'jobs', cluster: 'hpc', upserted: [], removed: ['a'] });
    off();
    store.apply({ type: 'jobs', cluster: 'hpc', upserted: [], removed: ['b'] });
    expect(seen).toEqual(['jobs']);
  });

  it('replaces a cluster status by name and keeps configuration order', () => {
    const store = new LiveStore();
    store.loaded([cluster('a'), cluster('b')]);
    store.apply({ type: 'cluster', status: cluster('a', { healthy: false, lastError: 'boom' }) });
    const clusters = store.getSnapshot().clusters;
    expect(clusters.map((c) => c.name)).toEqual(['a', 'b']);
    expect(clusters[0]?.lastError).toBe('boom');
  });

  it('notifies subscribers only of changes it holds and never mutates an earlier snapshot', () => {
    const store = new LiveStore();
    store.loaded([cluster('a')]);
    const before = store.getSnapshot();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.apply({ type: 'jobs', cluster: 'hpc', upserted: [], removed: ['a'] });
    store.apply({ type: 'cluster', status: cluster('a', { healthy: false }) });
    off();
    store.apply({ type: 'cluster', status: cluster('b') });
    expect(calls).toBe(1);
    expect(before.clusters[0]?.healthy).toBe(true);
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
