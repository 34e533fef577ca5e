import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from './history-store';
import { importLegacyHistory, LEGACY_IMPORT_META_KEY } from './import-legacy-history';
import { makeJob, makeTempDir } from './testing';

const FIXTURE = join(import.meta.dirname, '__fixtures__', 'job_history.json');

let temp: ReturnType<typeof makeTempDir>;
let store: HistoryStore;
let legacyPath: string;

beforeEach(async () => {
  temp = makeTempDir();
  store = await HistoryStore.open(join(temp.dir, 'scripthut.db'));
  legacyPath = join(temp.dir, 'job_history.json');
  copyFileSync(FIXTURE, legacyPath);
});
afterEach(async () => {
  await store.close();
  temp.remove();
});

describe('importLegacyHistory', () => {
  it('imports queue and external jobs under the new ids, skipping entries it cannot identify', async () => {
    const result = await importLegacyHistory(store, legacyPath);
    expect(result).toEqual({ status: 'imported', jobs: 7, queues: 2, skipped: 3 });
    expect(
      (await store.listJobs({ sort: { field: 'name', dir: 'asc' } }))
        .jobs.map((j) => j.id)
        .sort(),
    ).toEqual([
      'hpc-main:47001_3',
      'hpc-main:47990',
      'lab-2:777',
      'q:20260201-090000-0:broken',
      'q:20260205-101500-0:prep',
      'q:20260205-101500-0:report',
      'q:20260205-101500-0:train',
    ]);
  });

  it('reads naive datetimes as UTC and keeps explicit offsets', async () => {
    await importLegacyHistory(store, legacyPath);
    expect(await store.getJob('q:20260205-101500-0:prep')).toMatchObject({
      submitTime: '2026-02-05T10:15:01.500Z',
      startTime: '2026-02-05T10:15:30.000Z',
      finishTime: '2026-02-05T10:16:11.004Z',
      lastSeen: '2026-02-05T10:16:00.000Z',
      updatedAt: '2026-02-05T10:16:00.000Z',
    });
    expect((await store.getJob('lab-2:777'))?.finishTime).toBe('2026-02-07T22:59:59.000Z');
    // No time at all on the entry: the file's saved_at stands in.
    expect((await store.getJob('hpc-main:47001_3'))?.updatedAt).toBe('2026-02-08T17:45:12.345Z');
  });

  it('maps every field it knows and tolerates numbers given as strings and vice versa', async () => {
    await importLegacyHistory(store, legacyPath);
    expect(await store.getJob('q:20260205-101500-0:train')).toEqual(
      makeJob({
        id: 'q:20260205-101500-0:train',
        cluster: 'hpc-main',
        schedulerJobId: '48212',
        name: 'train',
        user: 'alice',
        state: 'running',
        source: 'queue',
        partition: 'gpu',
        cpus: 8,
        memory: '32G',
        nodes: 'gn003',
        timeUsed: '1:02:03',
        timeLimit: '12:00:00',
        submitTime: '2026-02-05T10:16:12.000Z',
        startTime: '2026-02-05T10:20:00.000Z',
        queueId: '20260205-101500-0',
        taskId: 'train',
        lastSeen: '2026-02-08T17:44:00.000Z',
        stale: true,
        updatedAt: '2026-02-08T17:44:00.000Z',
      }),
    );
    expect(await store.getJob('hpc-main:47990')).toMatchObject({
      schedulerJobId: '47990',
      source: 'external',
      user: 'bob',
    });
  });

  it('keeps unfinished submitted jobs for the poller to reconcile, and retires never-submitted ones', async () => {
    await importLegacyHistory(store, legacyPath);
    expect((await store.activeJobs('hpc-main')).map((j) => j.id)).toEqual([
      'hpc-main:47990',
      'q:20260205-101500-0:train',
    ]);
    expect(await store.getJob('q:20260205-101500-0:report')).toMatchObject({
      state: 'unknown',
      stale: false,
    });
    expect((await store.getJob('q:20260205-101500-0:report'))?.reason).toMatch(/cannot be submitted/);
    expect((await store.getJob('hpc-main:47001_3'))?.state).toBe('unknown');
    expect(await store.getJob('q:20260201-090000-0:broken')).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/invalid partition/) as string,
    });
  });

  it('flags imported completions as unconfirmed by accounting', async () => {
    await importLegacyHistory(store, legacyPath);
    expect(await store.getJob('q:20260205-101500-0:prep')).toMatchObject({
      state: 'completed',
      outcome: null,
    });
    expect((await store.getJob('q:20260205-101500-0:prep'))?.reason).toMatch(/without checking accounting/);
  });

  it('imports queue metadata without tasks, with a status derived from its jobs', async () => {
    await importLegacyHistory(store, legacyPath);
    expect(await store.getQueue('20260205-101500-0')).toEqual({
      queue: {
        id: '20260205-101500-0',
        sourceName: 'ml-pipeline',
        cluster: 'hpc-main',
        createdAt: '2026-02-05T10:15:00.120Z',
        maxConcurrent: 2,
        logDir: '~/.cache/scripthut/logs',
        account: 'lab-account',
        status: 'active',
        cancelledAt: null,
        sourceCommit: null,
        error: null,
        originalId: '20260205-101500-0',
        retryOf: null,
        attempt: 1,
        origin: null,
        owner: null,
      },
      tasks: [],
    });
    expect((await store.getQueue('20260201-090000-0'))?.queue).toMatchObject({
      status: 'failed',
      maxConcurrent: null,
    });
  });

  it('imports once only, even after the imported jobs are gone', async () => {
    await importLegacyHistory(store, legacyPath);
    await store.deleteJobs(['hpc-main:47990']);
    expect(await importLegacyHistory(store, legacyPath)).toEqual({
      status: 'already-done',
      jobs: 0,
      queues: 0,
      skipped: 0,
    });
    expect(await store.getJob('hpc-main:47990')).toBeNull();
    expect(JSON.parse(await store.getMeta(LEGACY_IMPORT_META_KEY) ?? '{}')).toMatchObject({
      path: legacyPath,
      jobs: 7,
    });
  });

  it('leaves a job the store already has untouched', async () => {
    await store.upsertJobs([
      makeJob({ id: 'hpc-main:47990', cluster: 'hpc-main', state: 'completed', name: 'live' }),
    ]);
    const result = await importLegacyHistory(store, legacyPath);
    expect(result.jobs).toBe(6);
    expect(await store.getJob('hpc-main:47990')).toMatchObject({ state: 'completed', name: 'live' });
  });

  it('reports a missing file without marking the import done', async () => {
    const missing = join(temp.dir, 'absent.json');
    expect(await importLegacyHistory(store, missing)).toMatchObject({ status: 'no-file' });
    expect(await store.getMeta(LEGACY_IMPORT_META_KEY)).toBeNull();
  });

  it.each([
    ['not JSON', '{"version": 1, "jobs": [', /is not valid JSON/],
    ['another version', '{"version": 2, "jobs": [], "queues": []}', /version/],
    ['jobs not a list', '{"version": 1, "jobs": {}, "queues": []}', /jobs/],
    ['not an object', '[]', /not a ScriptHut v0.1 history/],
  ])(
    'rejects a malformed file (%s) with the path and imports it once fixed',
    async (_, content, problem) => {
      writeFileSync(legacyPath, content);
      const attempt = importLegacyHistory(store, legacyPath);
      await expect(attempt).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { path: legacyPath },
      });
      await expect(importLegacyHistory(store, legacyPath)).rejects.toThrowError(problem);
      await expect(importLegacyHistory(store, legacyPath)).rejects.toThrowError(legacyPath);
      expect(await store.getMeta(LEGACY_IMPORT_META_KEY)).toBeNull();
      expect((await store.listJobs()).total).toBe(0);

      copyFileSync(FIXTURE, legacyPath);
      expect((await importLegacyHistory(store, legacyPath)).status).toBe('imported');
    },
  );
});
