import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../domain/job';
import { HistoryStore } from './history-store';
import { makeJob, makeTempDir } from './testing';
import type { JobSortField } from './types';

let temp: ReturnType<typeof makeTempDir>;
let store: HistoryStore;

const jobs: Job[] = [
  makeJob({
    id: 'hpc:1',
    schedulerJobId: '1',
    user: 'alice',
    state: 'running',
    partition: 'gpu',
    cpus: 8,
    timeUsed: '1-02:00:00',
  }),
  makeJob({
    id: 'hpc:2',
    schedulerJobId: '2',
    user: 'bob',
    state: 'running',
    partition: 'cpu',
    cpus: 2,
    timeUsed: '9:59',
  }),
  makeJob({
    id: 'hpc:3',
    schedulerJobId: '3',
    user: 'alice',
    state: 'completed',
    name: 'train big',
    exitCode: 0,
    timeUsed: '10:00',
  }),
  makeJob({
    id: 'hpc:4',
    schedulerJobId: '4',
    user: 'alice',
    state: 'failed',
    exitCode: 2,
    reason: 'OutOfMemory',
    timeUsed: '2:00:00',
  }),
  makeJob({
    id: 'gpu:5',
    cluster: 'gpu',
    schedulerJobId: '5',
    user: 'alice',
    state: 'failed',
    exitCode: 1,
    cpus: 4,
  }),
  makeJob({
    id: 'gpu:6',
    cluster: 'gpu',
    schedulerJobId: '6',
    user: 'carol',
    state: 'pending',
    source: 'queue',
    queueId: 'q1',
  }),
];

beforeAll(async () => {
  temp = makeTempDir();
  store = await HistoryStore.open(join(temp.dir, 'scripthut.db'));
  await store.upsertJobs(jobs);
});
afterAll(async () => {
  await store.close();
  temp.remove();
});

const ids = async (page: Promise<{ jobs: Job[] }>): Promise<string[]> =>
  (await page).jobs.map((j) => j.id);

describe('countJobs', () => {
  it('counts every job by cluster and state, cluster first', async () => {
    expect(await store.countJobs()).toEqual([
      { cluster: 'gpu', state: 'failed', count: 1 },
      { cluster: 'gpu', state: 'pending', count: 1 },
      { cluster: 'hpc', state: 'completed', count: 1 },
      { cluster: 'hpc', state: 'failed', count: 1 },
      { cluster: 'hpc', state: 'running', count: 2 },
    ]);
  });

  it('applies the same filters as the list, so the counts add up to its total', async () => {
    const filter = { owners: [{ cluster: 'hpc', user: 'alice' }], text: 'a' };
    const counted = (await store.countJobs(filter)).reduce((sum, c) => sum + c.count, 0);
    expect(counted).toBe((await store.listJobs(filter)).total);
    expect(await store.countJobs({ cluster: 'gpu', user: 'carol' })).toEqual([
      { cluster: 'gpu', state: 'pending', count: 1 },
    ]);
  });

  it('counts the jobs of several owner pairs once each, a repeated pair too, and none for no pair', async () => {
    const owners = [
      { cluster: 'hpc', user: 'alice' },
      { cluster: 'gpu', user: 'alice' },
      { cluster: 'hpc', user: 'bob' },
      { cluster: 'hpc', user: 'alice' },
    ];
    expect(await store.countJobs({ owners })).toEqual([
      { cluster: 'gpu', state: 'failed', count: 1 },
      { cluster: 'hpc', state: 'completed', count: 1 },
      { cluster: 'hpc', state: 'failed', count: 1 },
      { cluster: 'hpc', state: 'running', count: 2 },
    ]);
    expect((await store.listJobs({ owners })).total).toBe(5);
    expect(await store.countJobs({ owners: [] })).toEqual([]);
  });

  it('counts an array as one job, like the list', async () => {
    const arrayStore = store;
    await arrayStore.upsertJobs([
      makeJob({ id: 'hpc:9_1', schedulerJobId: '9_1', arrayId: 'hpc:9_*', state: 'running' }),
      makeJob({ id: 'hpc:9_2', schedulerJobId: '9_2', arrayId: 'hpc:9_*', state: 'running' }),
    ]);
    const running = (rows: Awaited<ReturnType<HistoryStore['countJobs']>>) =>
      rows.find((r) => r.cluster === 'hpc' && r.state === 'running')?.count;
    expect(running(await store.countJobs())).toBe(3);
    expect(running(await store.countJobs({ arrays: 'tasks' }))).toBe(4);
    await store.deleteJobs(['hpc:9_1', 'hpc:9_2', 'hpc:9_*']);
  });

  it('rejects an invalid query with INVALID_INPUT', async () => {
    await expect(store.countJobs({ arrays: 'all' as 'tasks' })).rejects.toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }) as Error,
    );
  });
});

describe('listJobs owners and search words', () => {
  it('keeps the jobs of any (cluster, user) pair, and an empty list matches nothing', async () => {
    const owners = [
      { cluster: 'hpc', user: 'bob' },
      { cluster: 'gpu', user: 'carol' },
    ];
    expect(
      await ids(store.listJobs({ owners, sort: { field: 'schedulerJobId', dir: 'asc' } })),
    ).toEqual(['hpc:2', 'gpu:6']);
    expect((await store.listJobs({ owners: [] })).total).toBe(0);
  });

  it('needs every word of the search to match some column, partition and reason included', async () => {
    expect(await ids(store.listJobs({ text: 'train big' }))).toEqual(['hpc:3']);
    expect(await ids(store.listJobs({ text: 'big train' }))).toEqual(['hpc:3']);
    expect(await ids(store.listJobs({ text: 'outofmemory' }))).toEqual(['hpc:4']);
    expect(await ids(store.listJobs({ text: 'gpu alice', cluster: 'hpc' }))).toEqual(['hpc:1']);
    expect((await store.listJobs({ text: 'train carol' })).total).toBe(0);
  });
});

describe('listJobs sorting by the Jobs table columns', () => {
  const sorted = (field: JobSortField, dir: 'asc' | 'desc') =>
    ids(store.listJobs({ sort: { field, dir } }));

  it('orders elapsed time as a duration, not as text, with jobs without one last', async () => {
    expect(await sorted('timeUsed', 'asc')).toEqual([
      'hpc:2',
      'hpc:3',
      'hpc:4',
      'hpc:1',
      'gpu:5',
      'gpu:6',
    ]);
    expect(await sorted('timeUsed', 'desc')).toEqual([
      'hpc:1',
      'hpc:4',
      'hpc:3',
      'hpc:2',
      'gpu:6',
      'gpu:5',
    ]);
  });

  it('orders states in lifecycle order and scheduler ids as numbers', async () => {
    expect(await sorted('lifecycle', 'asc')).toEqual([
      'gpu:6',
      'hpc:1',
      'hpc:2',
      'hpc:3',
      'gpu:5',
      'hpc:4',
    ]);
    await store.upsertJobs([makeJob({ id: 'hpc:10', schedulerJobId: '10', state: 'completed' })]);
    expect((await sorted('jobNumber', 'desc')).slice(0, 2)).toEqual(['hpc:10', 'gpu:6']);
    await store.deleteJobs(['hpc:10']);
  });

  it('orders by CPUs, exit code, source and partition with nulls last', async () => {
    expect((await sorted('cpus', 'desc')).slice(0, 3)).toEqual(['hpc:1', 'gpu:5', 'hpc:2']);
    expect((await sorted('exit', 'asc')).slice(0, 3)).toEqual(['hpc:3', 'gpu:5', 'hpc:4']);
    expect((await sorted('source', 'desc'))[0]).toBe('gpu:6');
    expect((await sorted('partition', 'asc')).slice(0, 2)).toEqual(['hpc:2', 'hpc:1']);
  });
});
