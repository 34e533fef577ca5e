import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startJobCacheSync } from './job-cache-sync';
import { job } from './test-jobs';

const keys = {
  list: [['jobs', 'list']],
  counts: [['jobs', 'counts']],
  get: [['jobs', 'get']],
  queue: [['queues', 'get']],
};
const listKey = (offset: number, field = 'submitTime') => [
  ['jobs', 'list'],
  { input: { limit: 200, offset, sort: { field, dir: 'desc' } }, type: 'query' },
];
const T0 = '2026-01-01T00:00:01.000Z';
const T1 = '2026-01-01T00:00:02.000Z';
const T2 = '2026-01-01T00:00:03.000Z';

let client: QueryClient;
let sync: ReturnType<typeof startJobCacheSync>;
beforeEach(() => {
  vi.useFakeTimers();
  client = new QueryClient();
  sync = startJobCacheSync(client, keys, 300);
});
afterEach(() => {
  sync.stop();
  client.clear();
  vi.useRealTimers();
});

const pageJobs = (offset: number) =>
  client.getQueryData<{ jobs: Array<{ id: string; state: string; timeUsed: string | null }> }>(
    listKey(offset),
  )?.jobs;
const invalidated = () =>
  client.getQueryCache().findAll({ predicate: (q) => q.state.isInvalidated });

describe('startJobCacheSync', () => {
  it('patches a shown job in every cached window at once, and refetches nothing when its place cannot change', () => {
    client.setQueryData(listKey(0), {
      jobs: [job({ id: 'a', updatedAt: T0 }), job({ id: 'b' })],
      total: 2,
    });
    sync.onJobs([job({ id: 'a', timeUsed: '5:00', updatedAt: T1 })], []);
    expect(pageJobs(0)?.map((j) => [j.id, j.timeUsed])).toEqual([
      ['a', '5:00'],
      ['b', null],
    ]);
    vi.advanceTimersByTime(300);
    expect(invalidated().map((q) => q.queryKey[0])).toEqual([]);
  });

  it('never rolls a job back to an older copy', () => {
    client.setQueryData(listKey(0), {
      jobs: [job({ id: 'a', state: 'completed', updatedAt: T2 })],
      total: 1,
    });
    sync.onJobs([job({ id: 'a', state: 'running', updatedAt: T1 })], []);
    expect(pageJobs(0)?.[0]?.state).toBe('completed');
  });

  it('refetches, once per burst, the windows whose membership may change, and the counts', () => {
    client.setQueryData(listKey(0), { jobs: [job({ id: 'a' })], total: 1 });
    client.setQueryData(listKey(200), { jobs: [job({ id: 'z' })], total: 1 });
    client.setQueryData(keys.counts, []);
    sync.onJobs([job({ id: 'new', updatedAt: T1 })], []);
    sync.onJobs([job({ id: 'a', state: 'failed', updatedAt: T1 })], []);
    vi.advanceTimersByTime(299);
    expect(invalidated()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(invalidated()).toHaveLength(3);
  });

  it('patches a job page and the jobs of a queue’s tasks', () => {
    client.setQueryData([['jobs', 'get'], { input: { id: 'a' }, type: 'query' }], job({ id: 'a' }));
    const queueKey = [['queues', 'get'], { input: { id: 'q1' }, type: 'query' }];
    client.setQueryData(queueKey, {
      tasks: [
        { taskId: 't1', job: job({ id: 'a' }) },
        { taskId: 't2', job: null },
      ],
    });
    sync.onJobs([job({ id: 'a', state: 'completed', updatedAt: T1 })], []);
    expect(
      client.getQueryData<{ state: string }>([
        ['jobs', 'get'],
        { input: { id: 'a' }, type: 'query' },
      ])?.state,
    ).toBe('completed');
    expect(
      client
        .getQueryData<{ tasks: Array<{ job: { state: string } | null }> }>(queueKey)
        ?.tasks.map((t) => t.job?.state ?? null),
    ).toEqual(['completed', null]);
  });
});
