import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobEfficiency } from '../domain/efficiency';
import { arrayRowId, type Job } from '../domain/job';
import { type HistoryStore } from './history-store';
import { makeJob } from './testing';
import { storeBed, type StoreBed } from './store-beds';
import type { StoreKind } from './store-executor';

/** The array rows tests, run on each kind of store. */
export function arrayRowsContract(kind: StoreKind): void {
  let bed: StoreBed;
  let store: HistoryStore;
  beforeEach(async () => {
    bed = await storeBed(kind);
    store = await bed.open();
  });
  afterEach(async () => {
    await store.close();
    await bed.remove();
  });

  const ARRAY = arrayRowId('hpc', '5');

  function task(id: string, overrides: Partial<Job> = {}): Job {
    return makeJob({
      id: `hpc:${id}`,
      schedulerJobId: id,
      name: 'sweep',
      arrayId: ARRAY,
      arrayTasks: 1,
      submitTime: '2026-03-01T10:00:00.000Z',
      ...overrides,
    });
  }

  const pendingRange = (id: string, tasks: number): Job =>
    task(id, { state: 'submitted', arrayTasks: tasks, reason: 'JobArrayTaskLimit' });

  const efficiency = (
    cpuSeconds: number,
    elapsedSeconds: number,
    maxRssMiB: number,
  ): JobEfficiency => ({
    cpuSeconds,
    elapsedSeconds,
    allocCpus: 1,
    cpuEfficiency: cpuSeconds / elapsedSeconds,
    maxRssBytes: maxRssMiB * 2 ** 20,
    requestedMemoryBytes: 4096 * 2 ** 20,
    memoryEfficiency: (maxRssMiB * 2 ** 20) / (4096 * 2 ** 20),
  });

  describe('an array as one row', () => {
    it('lists an array as one row counting its tasks by state, a pending range as its size', async () => {
      await store.upsertJobs([
        task('5_1', { state: 'running', startTime: '2026-03-01T10:01:00.000Z' }),
        task('5_2', {
          state: 'completed',
          outcome: 'COMPLETED',
          startTime: '2026-03-01T10:00:30.000Z',
        }),
        pendingRange('5_[3-20%4]', 18),
        makeJob({ id: 'hpc:9', schedulerJobId: '9' }),
      ]);
      const page = await store.listJobs();
      expect(page.total).toBe(2);
      expect(page.jobs.find((j) => j.id === ARRAY)).toMatchObject({
        schedulerJobId: '5',
        name: 'sweep',
        state: 'running',
        arrayId: null,
        arrayTasks: 20,
        arrayCounts: {
          pending: 0,
          submitted: 18,
          running: 1,
          finishing: 0,
          completed: 1,
          failed: 0,
          unknown: 0,
        },
        submitTime: '2026-03-01T10:00:00.000Z',
        startTime: '2026-03-01T10:00:30.000Z',
        finishTime: null,
      });
      expect(
        (await store.listJobs({ arrayId: ARRAY })).jobs.map((j) => j.schedulerJobId).sort(),
      ).toEqual(['5_1', '5_2', '5_[3-20%4]']);
      expect((await store.listJobs({ arrays: 'tasks' })).total).toBe(4);
    });

    it('counts again as the range shrinks and tasks end, and ends with the outcome the tasks share', async () => {
      await store.upsertJobs([pendingRange('5_[1-2]', 2)]);
      await store.upsertJobs(
        [task('5_1', { state: 'running' }), pendingRange('5_[2]', 1)],
        ['hpc:5_[1-2]'],
      );
      expect((await store.getJob(ARRAY))?.arrayCounts).toMatchObject({ running: 1, submitted: 1 });
      const { upserted } = await store.upsertJobs(
        [
          task('5_1', {
            state: 'failed',
            outcome: 'CANCELLED',
            finishTime: '2026-03-01T10:05:00.000Z',
          }),
          task('5_2', {
            state: 'failed',
            outcome: 'CANCELLED',
            finishTime: '2026-03-01T10:04:00.000Z',
          }),
        ],
        ['hpc:5_[2]'],
      );
      expect(upserted).toHaveLength(1);
      expect(upserted[0]).toMatchObject({
        id: ARRAY,
        state: 'failed',
        outcome: 'CANCELLED',
        arrayTasks: 2,
        arrayCounts: { failed: 2, cancelled: 2 },
        finishTime: '2026-03-01T10:05:00.000Z',
      });
      expect(await store.getJob(ARRAY)).toEqual(upserted[0]);
    });

    it('ends an array as its tasks did: the failure they share, FAILED when they differ, COMPLETED when all completed', async () => {
      await store.upsertJobs([
        task('5_1', { state: 'completed', outcome: 'COMPLETED' }),
        task('5_2', { state: 'failed', outcome: 'OUT_OF_MEMORY' }),
      ]);
      expect(await store.getJob(ARRAY)).toMatchObject({
        state: 'failed',
        outcome: 'OUT_OF_MEMORY',
        arrayCounts: { failed: 1, cancelled: 0 },
      });
      await store.upsertJobs([task('5_3', { state: 'failed', outcome: 'TIMEOUT' })]);
      expect(await store.getJob(ARRAY)).toMatchObject({ state: 'failed', outcome: 'FAILED' });
      await store.upsertJobs([
        task('5_2', { state: 'completed', outcome: 'COMPLETED' }),
        task('5_3', { state: 'completed', outcome: 'COMPLETED' }),
      ]);
      expect(await store.getJob(ARRAY)).toMatchObject({ state: 'completed', outcome: 'COMPLETED' });
    });

    it('removes the array row with its last task, and says so', async () => {
      await store.upsertJobs([pendingRange('5_[1-3]', 3)]);
      expect(await store.upsertJobs([], ['hpc:5_[1-3]'])).toEqual({
        upserted: [],
        removed: [ARRAY],
      });
      expect(await store.getJob(ARRAY)).toBeNull();
    });

    it('sums CPU time over allocated CPU time of the tasks that have it, and keeps the most memory', async () => {
      await store.upsertJobs([
        task('5_1', { state: 'completed', efficiency: efficiency(30, 60, 900) }),
        task('5_2', { state: 'completed', efficiency: efficiency(10, 40, 1100) }),
        task('5_3', { state: 'running' }),
      ]);
      expect((await store.getJob(ARRAY))?.efficiency).toEqual({
        cpuSeconds: 40,
        elapsedSeconds: 100,
        allocCpus: 1,
        cpuEfficiency: 0.4,
        maxRssBytes: 1100 * 2 ** 20,
        requestedMemoryBytes: 4096 * 2 ** 20,
        memoryEfficiency: 1100 / 4096,
      });
    });

    it('never gives the poller an array row to reconcile', async () => {
      await store.upsertJobs([task('5_1', { state: 'running' })]);
      expect((await store.activeJobs('hpc')).map((j) => j.id)).toEqual(['hpc:5_1']);
    });
  });

  describe('sorting by efficiency', () => {
    it('sorts by CPU and memory efficiency in SQL, unknown last either way, and pages stay right', async () => {
      const at = (id: string, cpu: number | null, rssMiB: number) =>
        makeJob({
          id,
          state: 'completed',
          efficiency: cpu === null ? null : efficiency(cpu, 100, rssMiB),
        });
      await store.upsertJobs([
        at('a', 90, 100),
        at('b', 10, 3000),
        at('c', null, 0),
        at('d', 50, 2000),
      ]);
      const order = async (
        field: 'cpuEfficiency' | 'memoryEfficiency',
        dir: 'asc' | 'desc',
        offset = 0,
      ) => (await store.listJobs({ sort: { field, dir }, limit: 2, offset })).jobs.map((j) => j.id);
      expect([
        ...(await order('cpuEfficiency', 'asc')),
        ...(await order('cpuEfficiency', 'asc', 2)),
      ]).toEqual(['b', 'd', 'a', 'c']);
      expect([
        ...(await order('cpuEfficiency', 'desc')),
        ...(await order('cpuEfficiency', 'desc', 2)),
      ]).toEqual(['a', 'd', 'b', 'c']);
      expect(await order('memoryEfficiency', 'desc')).toEqual(['b', 'd']);
      expect((await store.getJob('b'))?.efficiency?.cpuEfficiency).toBeCloseTo(0.1, 10);
    });
  });
}
