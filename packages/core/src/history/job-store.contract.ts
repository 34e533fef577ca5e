import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../runtime/errors';
import type { HistoryStore } from './history-store';
import { storeBed, type StoreBed } from './store-beds';
import type { StoreKind } from './store-executor';
import { makeJob } from './testing';

/** Jobs, pruning and meta of the history store, run on each kind of store. */
export function jobStoreContract(kind: StoreKind): void {
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

  describe('reopening', () => {
    it('keeps the history across reopens', async () => {
      await store.upsertJobs([makeJob({ id: 'hpc:1', schedulerJobId: '1' })]);
      await store.setMeta('k', 'v');
      await store.close();
      store = await bed.open();
      await store.close();
      store = await bed.open();
      expect((await store.getJob('hpc:1'))?.schedulerJobId).toBe('1');
      expect(await store.getMeta('k')).toBe('v');
    });

    it('fails with STORE_UNAVAILABLE once closed', async () => {
      await store.close();
      await expect(store.getJob('x')).rejects.toThrowError(
        expect.objectContaining({ code: 'STORE_UNAVAILABLE' }) as Error,
      );
      await store.close();
    });
  });

  describe('upsertJobs / getJob', () => {
    it('returns a job exactly as written', async () => {
      const job = makeJob({
        id: 'hpc:42',
        schedulerJobId: '42',
        state: 'failed',
        schedulerState: 'OUT_OF_MEMORY',
        outcome: 'OUT_OF_MEMORY',
        exitCode: 0,
        signal: 9,
        reason: 'OutOfMemory',
        cancelledBy: null,
        partition: 'short',
        cpus: 4,
        memory: '8G',
        nodes: 'node01',
        timeUsed: '0:42',
        timeLimit: '1:00:00',
        workDir: '/home/alice',
        command: 'python train.py',
        stdoutPath: '/logs/42.out',
        stderrPath: '/logs/42.err',
        submitTime: '2026-03-01T10:00:00.000Z',
        startTime: '2026-03-01T10:01:00.000Z',
        finishTime: '2026-03-01T10:02:00.000Z',
        lastSeen: '2026-03-01T10:01:30.000Z',
        stale: true,
      });
      await store.upsertJobs([job]);
      expect(await store.getJob('hpc:42')).toEqual(job);
      expect(await store.getJob('hpc:missing')).toBeNull();
    });

    it('stores times in canonical UTC form so text order is time order', async () => {
      await store.upsertJobs([
        makeJob({
          id: 'a',
          submitTime: '2026-03-01T12:00:00+02:00',
          updatedAt: '2026-03-01T10:00:00Z',
        }),
      ]);
      const job = await store.getJob('a');
      expect(job?.submitTime).toBe('2026-03-01T10:00:00.000Z');
      expect(job?.updatedAt).toBe('2026-03-01T10:00:00.000Z');
    });

    it('refuses a time without a zone and writes nothing from that batch', async () => {
      const write = async () =>
        await store.upsertJobs([
          makeJob({ id: 'ok' }),
          makeJob({ id: 'bad', startTime: '2026-03-01T10:00:00' }),
        ]);
      await expect(write()).rejects.toThrowError(CoreError);
      await expect(write()).rejects.toThrowError(/bad startTime/);
      expect(await store.getJob('ok')).toBeNull();
    });

    it('replaces a stored job, and the last copy of an id in one batch wins', async () => {
      await store.upsertJobs([makeJob({ id: 'a', state: 'pending' })]);
      await store.upsertJobs([
        makeJob({ id: 'a', state: 'running' }),
        makeJob({ id: 'a', state: 'completed', name: 'last' }),
      ]);
      expect(await store.getJob('a')).toMatchObject({ state: 'completed', name: 'last' });
      expect((await store.listJobs()).total).toBe(1);
    });
  });

  describe('deleteJobs', () => {
    it('deletes by id, ignores unknown ids, and can ride along with an upsert in one transaction', async () => {
      await store.upsertJobs([makeJob({ id: 'a' }), makeJob({ id: 'b' }), makeJob({ id: 'c' })]);
      await store.deleteJobs(['a', 'nope']);
      await store.upsertJobs([makeJob({ id: 'd' })], ['b']);
      expect(
        (await store.listJobs({ sort: { field: 'name', dir: 'asc' } })).jobs.map((j) => j.id),
      ).toEqual(['c', 'd']);
      await store.upsertJobs([], ['c']);
      expect(await store.getJob('c')).toBeNull();
    });
  });

  describe('activeJobs', () => {
    it('returns the non-terminal jobs of one cluster', async () => {
      await store.upsertJobs([
        makeJob({ id: 'hpc:1', state: 'pending' }),
        makeJob({ id: 'hpc:2', state: 'submitted' }),
        makeJob({ id: 'hpc:3', state: 'running' }),
        makeJob({ id: 'hpc:4', state: 'finishing' }),
        makeJob({ id: 'hpc:5', state: 'completed' }),
        makeJob({ id: 'hpc:6', state: 'failed' }),
        makeJob({ id: 'hpc:7', state: 'unknown' }),
        makeJob({ id: 'other:1', cluster: 'other', state: 'running' }),
      ]);
      expect((await store.activeJobs('hpc')).map((j) => j.id)).toEqual([
        'hpc:1',
        'hpc:2',
        'hpc:3',
        'hpc:4',
      ]);
    });
  });

  describe('pruneFinished', () => {
    const cutoff = new Date('2026-03-01T00:00:00.000Z');

    it('deletes terminal jobs that finished before the cutoff, using updatedAt when finish time is missing', async () => {
      await store.upsertJobs([
        makeJob({
          id: 'old-done',
          state: 'completed',
          finishTime: '2026-02-01T00:00:00Z',
          updatedAt: '2026-03-05T00:00:00Z',
        }),
        makeJob({ id: 'new-done', state: 'completed', finishTime: '2026-03-02T00:00:00Z' }),
        makeJob({
          id: 'old-lost',
          state: 'unknown',
          finishTime: null,
          updatedAt: '2026-02-01T00:00:00Z',
        }),
        makeJob({
          id: 'recent-lost',
          state: 'unknown',
          finishTime: null,
          updatedAt: '2026-03-02T00:00:00Z',
        }),
        makeJob({ id: 'old-running', state: 'running', updatedAt: '2026-01-01T00:00:00Z' }),
      ]);
      expect(await store.pruneFinished(cutoff)).toBe(2);
      expect(
        (await store.listJobs({ sort: { field: 'name', dir: 'asc' } })).jobs
          .map((j) => j.id)
          .sort(),
      ).toEqual(['new-done', 'old-running', 'recent-lost']);
    });

    it('deletes old queues with no jobs left and no task waiting, and keeps the others', async () => {
      const queue = (id: string, createdAt: string) => ({
        id,
        sourceName: 'src',
        cluster: 'hpc',
        createdAt,
        maxConcurrent: null,
        logDir: '/logs',
        account: null,
        sourceCommit: null,
      });
      await store.createQueue(queue('q-empty', '2026-02-01T00:00:00Z'), [
        { taskId: 't', position: 0, name: 't', spec: {}, script: null, state: 'failed' },
      ]);
      await store.createQueue(queue('q-waiting', '2026-02-01T00:00:00Z'), [
        { taskId: 't', position: 0, name: 't', spec: {}, script: null },
      ]);
      await store.createQueue(queue('q-with-job', '2026-02-01T00:00:00Z'), []);
      await store.createQueue(queue('q-recent', '2026-03-02T00:00:00Z'), []);
      await store.upsertJobs([
        makeJob({ id: 'q:q-with-job:t', source: 'queue', queueId: 'q-with-job', state: 'running' }),
      ]);
      await store.pruneFinished(cutoff);
      expect((await store.listQueues()).map((q) => q.id).sort()).toEqual([
        'q-recent',
        'q-waiting',
        'q-with-job',
      ]);
    });
  });

  describe('pruneFinished in batches', () => {
    const cutoff = new Date('2026-03-01T00:00:00.000Z');

    it('deletes at most one batch per call, and the emptied old queues with the call that finds the rest smaller than a batch', async () => {
      await store.createQueue(
        {
          id: 'q-old',
          sourceName: 'src',
          cluster: 'hpc',
          createdAt: '2026-02-01T00:00:00Z',
          maxConcurrent: null,
          logDir: '/logs',
          account: null,
          sourceCommit: null,
        },
        [],
      );
      await store.upsertJobs([
        ...Array.from({ length: 5 }, (_, i) =>
          makeJob({
            id: `old-${i}`,
            state: 'failed',
            finishTime: '2026-02-01T00:00:00Z',
            queueId: 'q-old',
            source: 'queue',
          }),
        ),
        makeJob({ id: 'new-done', state: 'completed', finishTime: '2026-03-02T00:00:00Z' }),
      ]);
      const calls = [await store.pruneFinished(cutoff, 2), await store.pruneFinished(cutoff, 2)];
      expect(calls).toEqual([2, 2]);
      expect(await store.getQueue('q-old')).not.toBeNull();
      expect(await store.pruneFinished(cutoff, 2)).toBe(1);
      expect(await store.getQueue('q-old')).toBeNull();
      expect((await store.listJobs()).jobs.map((j) => j.id)).toEqual(['new-done']);
      expect(await store.pruneFinished(cutoff, 2)).toBe(0);
    });

    it('refuses a batch size that is not a whole number of at least 1', async () => {
      await expect(store.pruneFinished(cutoff, 0)).rejects.toThrow(
        /batchJobs must be a whole number ≥ 1, got 0/,
      );
    });
  });

  describe('meta', () => {
    it('returns null for a missing key and the last value set otherwise', async () => {
      expect(await store.getMeta('legacy_import_done')).toBeNull();
      await store.setMeta('legacy_import_done', 'a');
      await store.setMeta('legacy_import_done', 'b');
      expect(await store.getMeta('legacy_import_done')).toBe('b');
    });
  });
}
