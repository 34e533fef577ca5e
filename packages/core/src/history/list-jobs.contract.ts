import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../domain/job';
import { type HistoryStore } from './history-store';
import { makeJob } from './testing';
import type { JobSortField } from './types';
import { storeBed, type StoreBed } from './store-beds';
import type { StoreKind } from './store-executor';

/** The list jobs tests, run on each kind of store. */
export function listJobsContract(kind: StoreKind): void {
  let bed: StoreBed;
  let store: HistoryStore;

  const jobs: Job[] = [
    makeJob({
      id: 'hpc:101',
      schedulerJobId: '101',
      name: 'Train-Model',
      user: 'alice',
      state: 'running',
      submitTime: '2026-03-01T10:00:00Z',
      startTime: '2026-03-01T10:05:00Z',
      updatedAt: '2026-03-01T11:00:00Z',
    }),
    makeJob({
      id: 'hpc:102',
      schedulerJobId: '102',
      name: 'preprocess',
      user: 'bob',
      state: 'pending',
      submitTime: '2026-03-01T09:00:00Z',
      updatedAt: '2026-03-01T11:01:00Z',
    }),
    makeJob({
      id: 'hpc:103',
      schedulerJobId: '103',
      name: '100%_done',
      user: 'carol',
      state: 'completed',
      submitTime: '2026-03-01T08:00:00Z',
      startTime: '2026-03-01T08:01:00Z',
      finishTime: '2026-03-01T08:30:00Z',
      updatedAt: '2026-03-01T11:02:00Z',
    }),
    makeJob({
      id: 'gpu:7',
      cluster: 'gpu',
      schedulerJobId: '7',
      name: 'eval',
      user: 'alice',
      state: 'failed',
      submitTime: '2026-03-01T07:00:00Z',
      startTime: '2026-03-01T07:01:00Z',
      finishTime: '2026-03-01T07:10:00Z',
      updatedAt: '2026-03-01T11:03:00Z',
    }),
    makeJob({
      id: 'q:q1:a',
      cluster: 'hpc',
      schedulerJobId: null,
      name: 'task-a',
      user: 'alice',
      state: 'pending',
      source: 'queue',
      queueId: 'q1',
      taskId: 'a',
      updatedAt: '2026-03-01T11:04:00Z',
    }),
    makeJob({
      id: 'q:q1:b',
      cluster: 'hpc',
      schedulerJobId: '200',
      name: 'task-b',
      user: 'alice',
      state: 'submitted',
      source: 'queue',
      queueId: 'q1',
      taskId: 'b',
      submitTime: '2026-03-01T11:00:00Z',
      updatedAt: '2026-03-01T11:05:00Z',
    }),
  ];

  beforeAll(async () => {
    bed = await storeBed(kind);
    store = await bed.open();
    await store.upsertJobs(jobs);
  });
  afterAll(async () => {
    await store.close();
    await bed.remove();
  });

  const ids = (page: { jobs: Job[] }): string[] => page.jobs.map((j) => j.id);

  describe('listJobs filters', () => {
    it('filters by cluster', async () => {
      expect(ids(await store.listJobs({ cluster: 'gpu' }))).toEqual(['gpu:7']);
    });

    it('filters by a set of states, and an empty set matches nothing', async () => {
      expect(
        ids(
          await store.listJobs({
            states: ['pending', 'submitted'],
            sort: { field: 'name', dir: 'asc' },
          }),
        ),
      ).toEqual(['hpc:102', 'q:q1:a', 'q:q1:b']);
      expect(await store.listJobs({ states: [] })).toEqual({ jobs: [], total: 0 });
    });

    it('filters by user, queue and source', async () => {
      expect((await store.listJobs({ user: 'alice' })).total).toBe(4);
      expect(
        ids(await store.listJobs({ queueId: 'q1', sort: { field: 'name', dir: 'asc' } })),
      ).toEqual(['q:q1:a', 'q:q1:b']);
      expect((await store.listJobs({ source: 'external' })).total).toBe(4);
    });

    it('searches name, id, scheduler id and user case-insensitively', async () => {
      expect(ids(await store.listJobs({ text: 'train' }))).toEqual(['hpc:101']);
      expect(ids(await store.listJobs({ text: 'GPU:' }))).toEqual(['gpu:7']);
      expect(ids(await store.listJobs({ text: '200' }))).toEqual(['q:q1:b']);
      expect(ids(await store.listJobs({ text: 'CAROL' }))).toEqual(['hpc:103']);
    });

    it('treats % and _ in the search text literally', async () => {
      expect(ids(await store.listJobs({ text: '0%_' }))).toEqual(['hpc:103']);
      expect((await store.listJobs({ text: 'task_' })).total).toBe(0);
    });

    it('combines filters with AND', async () => {
      expect(
        ids(await store.listJobs({ cluster: 'hpc', user: 'alice', states: ['running'] })),
      ).toEqual(['hpc:101']);
    });

    it('rejects an invalid query with INVALID_INPUT', async () => {
      await expect(store.listJobs({ limit: 0 })).rejects.toThrowError(
        expect.objectContaining({ code: 'INVALID_INPUT' }) as Error,
      );
    });
  });

  describe('listJobs sorting and paging', () => {
    const cases: Array<[JobSortField, 'asc' | 'desc', string[]]> = [
      ['submitTime', 'desc', ['q:q1:b', 'hpc:101', 'hpc:102', 'hpc:103', 'gpu:7', 'q:q1:a']],
      ['submitTime', 'asc', ['gpu:7', 'hpc:103', 'hpc:102', 'hpc:101', 'q:q1:b', 'q:q1:a']],
      ['startTime', 'asc', ['gpu:7', 'hpc:103', 'hpc:101', 'hpc:102', 'q:q1:a', 'q:q1:b']],
      ['finishTime', 'desc', ['hpc:103', 'gpu:7', 'q:q1:b', 'q:q1:a', 'hpc:102', 'hpc:101']],
      ['name', 'asc', ['hpc:103', 'hpc:101', 'gpu:7', 'hpc:102', 'q:q1:a', 'q:q1:b']],
      ['user', 'desc', ['hpc:103', 'hpc:102', 'q:q1:b', 'q:q1:a', 'hpc:101', 'gpu:7']],
      ['state', 'asc', ['hpc:103', 'gpu:7', 'hpc:102', 'q:q1:a', 'hpc:101', 'q:q1:b']],
      ['cluster', 'asc', ['gpu:7', 'hpc:101', 'hpc:102', 'hpc:103', 'q:q1:a', 'q:q1:b']],
      ['schedulerJobId', 'desc', ['gpu:7', 'q:q1:b', 'hpc:103', 'hpc:102', 'hpc:101', 'q:q1:a']],
      ['updatedAt', 'desc', ['q:q1:b', 'q:q1:a', 'gpu:7', 'hpc:103', 'hpc:102', 'hpc:101']],
    ];

    it.each(cases)(
      'sorts by %s %s with nulls last and id, in the same direction, as tie-break',
      async (field, dir, expected) => {
        expect(ids(await store.listJobs({ sort: { field, dir } }))).toEqual(expected);
      },
    );

    it('defaults to newest submission first', async () => {
      expect(ids(await store.listJobs())[0]).toBe('q:q1:b');
    });

    it('pages with limit and offset and reports the total ignoring paging', async () => {
      const sort = { field: 'cluster', dir: 'asc' } as const;
      const first = await store.listJobs({ sort, limit: 4, offset: 0 });
      const second = await store.listJobs({ sort, limit: 4, offset: 4 });
      expect(first.total).toBe(6);
      expect(second.total).toBe(6);
      expect([...ids(first), ...ids(second)]).toEqual([
        'gpu:7',
        'hpc:101',
        'hpc:102',
        'hpc:103',
        'q:q1:a',
        'q:q1:b',
      ]);
      expect(await store.listJobs({ sort, offset: 10 })).toEqual({ jobs: [], total: 6 });
    });
  });
}
