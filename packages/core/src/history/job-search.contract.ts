import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../domain/job';
import type { HistoryStore } from './history-store';
import { storeBed, type StoreBed } from './store-beds';
import type { StoreKind } from './store-executor';
import { makeJob } from './testing';

/**
 * Text search of the job list, run on each kind of store: substring
 * semantics over ten columns, whatever index serves it (SQLite's trigram
 * table, PostgreSQL's trigram index, or a scan), and an index that follows
 * every write.
 */
export function jobSearchContract(kind: StoreKind): void {
  let bed: StoreBed;
  let store: HistoryStore;

  const jobs: Job[] = [
    makeJob({
      id: 'hpc:501',
      schedulerJobId: '501',
      name: 'abc',
      user: 'alice',
      state: 'pending',
      reason: 'QOSMaxJobsPerUserLimit',
      partition: 'bigmem',
      updatedAt: '2026-03-01T10:00:00Z',
    }),
    makeJob({
      id: 'hpc:502',
      schedulerJobId: '502',
      name: 'Resample "raw" AND merge*',
      user: 'bob',
      state: 'running',
      nodes: 'node[017-018]',
      updatedAt: '2026-03-01T10:01:00Z',
    }),
    makeJob({
      id: 'gpu:9',
      cluster: 'gpu',
      schedulerJobId: '9',
      name: 'EVAL-ab',
      user: 'carol',
      state: 'failed',
      source: 'queue',
      queueId: 'sweep-2026',
      taskId: 't1',
      finishTime: '2026-02-01T00:00:00Z',
      updatedAt: '2026-02-01T00:00:00Z',
    }),
  ];

  beforeEach(async () => {
    bed = await storeBed(kind);
    store = await bed.open();
    await store.upsertJobs(jobs);
  });
  afterEach(async () => {
    await store.close();
    await bed.remove();
  });

  const found = async (text: string): Promise<string[]> => {
    const page = await store.listJobs({ text, sort: { field: 'jobNumber', dir: 'asc' } });
    const counted = (await store.countJobs({ text })).reduce((sum, c) => sum + c.count, 0);
    expect(counted, `countJobs of "${text}" agrees with the list`).toBe(page.total);
    return page.jobs.map((j) => j.id);
  };

  describe('job search', () => {
    it('finds a substring of any searched column, of three characters or more', async () => {
      expect(await found('QOSMax')).toEqual(['hpc:501']);
      expect(await found('gmem')).toEqual(['hpc:501']);
      expect(await found('[017-')).toEqual(['hpc:502']);
      expect(await found('sweep-20')).toEqual(['gpu:9']);
      expect(await found('unnin')).toEqual(['hpc:502']);
      expect(await found('pu:9')).toEqual(['gpu:9']);
    });

    it('finds words shorter than three characters by the same rule', async () => {
      expect(await found('bc')).toEqual(['hpc:501']);
      expect(await found('9')).toEqual(['gpu:9']);
      expect(await found('50')).toEqual(['hpc:501', 'hpc:502']);
    });

    it('needs every word, each in any column, and never matches across two columns', async () => {
      expect(await found('alice abc')).toEqual(['hpc:501']);
      expect(await found('alice merge')).toEqual([]);
      // name 'abc' then id 'hpc:501': only a search over the columns run together would find it.
      expect(await found('abchpc')).toEqual([]);
      expect(await found('cbob')).toEqual([]);
    });

    it('takes quotes, operators and wildcards of the index syntax literally', async () => {
      expect(await found('"raw"')).toEqual(['hpc:502']);
      expect(await found('AND')).toEqual(['hpc:502']);
      expect(await found('merge*')).toEqual(['hpc:502']);
      expect(await found('e*')).toEqual(['hpc:502']);
      expect(await found('"')).toEqual(['hpc:502']);
      expect(await found('r*a')).toEqual([]);
    });

    it('follows renames, state and reason changes, deletions and pruning', async () => {
      await store.upsertJobs([
        { ...jobs[0]!, name: 'renamed-job', reason: 'Dependency', state: 'running' },
      ]);
      expect(await found('abc')).toEqual([]);
      expect(await found('renamed')).toEqual(['hpc:501']);
      expect(await found('QOSMax')).toEqual([]);
      expect(await found('Dependency')).toEqual(['hpc:501']);
      expect(await found('running')).toEqual(['hpc:501', 'hpc:502']);

      await store.deleteJobs(['hpc:502']);
      expect(await found('merge')).toEqual([]);

      expect(await store.pruneFinished(new Date('2026-02-15T00:00:00Z'))).toBe(1);
      expect(await found('sweep-20')).toEqual([]);

      await store.upsertJobs([{ ...jobs[1]!, name: 'back again' }]);
      expect(await found('again')).toEqual(['hpc:502']);
    });
  });
}
