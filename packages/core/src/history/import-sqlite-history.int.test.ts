import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HistoryStore } from './history-store';
import { importSqliteHistory } from './import-sqlite-history';
import { storeBed, type StoreBed } from './store-beds';
import { makeJob, makeTempDir } from './testing';

let temp: ReturnType<typeof makeTempDir>;
let sourcePath: string;
let bed: StoreBed;
let target: HistoryStore;

/** A SQLite history with a row in every table: a queue with a submitted and a waiting task, a job, meta, and the outbox. */
async function writeSource(): Promise<void> {
  const source = await HistoryStore.open(sourcePath);
  await source.createQueue(
    {
      id: 'q1',
      sourceName: 'exp',
      cluster: 'hpc',
      createdAt: '2026-03-01T12:00:00Z',
      maxConcurrent: 2,
      logDir: '/logs/q1',
      account: null,
      sourceCommit: null,
    },
    [
      {
        taskId: 'a',
        position: 0,
        name: 'a',
        spec: { command: 'echo a' },
        script: '#!/bin/bash\necho a',
      },
      {
        taskId: 'b',
        position: 1,
        name: 'b',
        spec: { command: 'echo b' },
        script: null,
        dependsOn: ['a'],
      },
    ],
  );
  await source.recordSubmissionIntent({
    queueId: 'q1',
    taskId: 'a',
    tag: 'sh-q1-0',
    cluster: 'hpc',
  });
  await source.recordSubmissionOutcome({
    tag: 'sh-q1-0',
    state: 'submitted',
    schedulerJobId: '101',
    job: makeJob({
      id: 'q:q1:a',
      schedulerJobId: '101',
      source: 'queue',
      queueId: 'q1',
      taskId: 'a',
      state: 'failed',
      outcome: 'OUT_OF_MEMORY',
      finishTime: '2026-03-01T12:30:00Z',
      efficiency: {
        cpuSeconds: 30,
        elapsedSeconds: 60,
        allocCpus: 1,
        cpuEfficiency: 0.5,
        maxRssBytes: 5 * 1024 ** 3,
        requestedMemoryBytes: 4 * 1024 ** 3,
        memoryEfficiency: 1.25,
      },
    }),
  });
  await source.upsertJobs([makeJob({ id: 'hpc:7', schedulerJobId: '7', name: 'external' })]);
  await source.setMeta('legacy_import_done', '{"jobs":0}');
  await source.outbox.recordEvent({
    type: 'job.out_of_memory',
    severity: 'error',
    title: 'a ran out of memory',
    text: 'q1 task a',
    cluster: 'hpc',
    queueId: 'q1',
    taskSource: 'exp',
    user: 'alice',
    jobId: 'q:q1:a',
    path: '/queues/q1',
    browser: true,
    dedupeKey: 'oom:q:q1:a',
    data: { exitCode: null },
  });
  await source.outbox.putOutage({
    cluster: 'gpu',
    since: '2026-03-01T11:00:00.000Z',
    announced: true,
  });
  await source.close();
}

beforeEach(async () => {
  temp = makeTempDir();
  sourcePath = join(temp.dir, 'scripthut.db');
  await writeSource();
  bed = await storeBed('postgres');
  target = await bed.open();
});
afterEach(async () => {
  await target.close();
  await bed.remove();
  temp.remove();
});

it('copies every table of a SQLite history into PostgreSQL, values as they were', async () => {
  const source = await HistoryStore.open(sourcePath);
  const expected = {
    queue: await source.getQueue('q1'),
    job: await source.getJob('q:q1:a'),
    external: await source.getJob('hpc:7'),
    events: await source.outbox.recentEvents(10),
  };
  await source.close();

  const { rows } = await importSqliteHistory(target, sourcePath);
  expect(rows).toMatchObject({
    queues: 1,
    tasks: 2,
    jobs: 2,
    submissions: 1,
    meta: 1,
    notification_events: 1,
    notification_watches: 1,
  });
  expect(await target.getQueue('q1')).toEqual(expected.queue);
  expect(await target.getJob('q:q1:a')).toEqual(expected.job);
  expect((await target.getJob('q:q1:a'))?.efficiency?.maxRssBytes).toBe(5 * 1024 ** 3);
  expect(await target.getJob('hpc:7')).toEqual(expected.external);
  expect(await target.getMeta('legacy_import_done')).toBe('{"jobs":0}');
  expect(await target.outbox.recentEvents(10)).toEqual(expected.events);
  expect((await target.outbox.watches()).outages).toEqual([
    { cluster: 'gpu', since: '2026-03-01T11:00:00.000Z', announced: true },
  ]);
  // The copy is a working store: the waiting task can still be submitted.
  await target.recordSubmissionIntent({
    queueId: 'q1',
    taskId: 'b',
    tag: 'sh-q1-1',
    cluster: 'hpc',
  });
  expect((await target.pendingIntents()).map((s) => s.tag)).toEqual(['sh-q1-1']);
});

it('refuses a target that already holds a history, unless told to replace it', async () => {
  await target.upsertJobs([makeJob({ id: 'pg:1', name: 'already here' })]);
  await expect(importSqliteHistory(target, sourcePath)).rejects.toMatchObject({
    code: 'CONFLICT',
    message: expect.stringMatching(
      /is not empty \(1 row\(s\) in jobs\).*--replace-history/,
    ) as string,
  });
  expect(await target.getJob('pg:1')).not.toBeNull();
  expect(await target.getQueue('q1')).toBeNull();

  await importSqliteHistory(target, sourcePath, { replace: true });
  expect(await target.getJob('pg:1')).toBeNull();
  expect((await target.listJobs()).total).toBe(2);
});

it('says which file is missing', async () => {
  await expect(importSqliteHistory(target, join(temp.dir, 'nope.db'))).rejects.toMatchObject({
    code: 'NOT_FOUND',
    message: `No SQLite history at ${join(temp.dir, 'nope.db')}`,
  });
});
