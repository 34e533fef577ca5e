import { BatchClient, SubmitJobCommand } from '@aws-sdk/client-batch';
import type { AwsTestServer } from '@scripthut/aws-testbed';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterRuntime } from '../cluster-runtime';
import { arrayRowId, type Job } from '../../domain/job';
import { HistoryStore } from '../../history/history-store';
import { makeTempDir } from '../../history/testing';
import { ClusterMonitor } from '../../poller/cluster-monitor';
import { systemClock } from '../../runtime/clock';
import { cancelJobs } from '../../service/cancel-jobs';
import { readJobLog } from '../../service/job-logs';
import { batchClusterFor, startBatchTestbed } from './testing';

// Array jobs submitted outside ScriptHut (SubmitJob arrayProperties), watched through the
// real SDK, the monitor and the history store, against the project's AWS test server.
let server: AwsTestServer;
let cluster: ClusterRuntime;
let batch: BatchClient;
let monitor: ClusterMonitor;
const temp = makeTempDir('scripthut-batch-arrays-');
const store = await HistoryStore.open(join(temp.dir, 'scripthut.db'));

beforeAll(async () => {
  server = await startBatchTestbed({ timeScale: 0.02 });
  cluster = batchClusterFor(server);
  batch = new BatchClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTESTBED', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
  });
  monitor = new ClusterMonitor({
    name: 'aws',
    kind: 'batch',
    host: 'q',
    user: null,
    backend: cluster.backend,
    repo: {
      activeJobs: (name) => store.activeJobs(name),
      upsertJobs: (jobs, removed) => store.upsertJobs(jobs, removed),
    },
    clock: systemClock,
    publish: () => undefined,
    pollIntervalMs: 200,
  });
});
afterAll(async () => {
  await cluster?.close?.();
  expect(server.violations()).toEqual([]);
  await server.close();
  await store.close();
  temp.remove();
});

async function submitArray(name: string, size: number, command: string): Promise<string> {
  const answer = await batch.send(
    new SubmitJobCommand({
      jobName: name,
      jobQueue: 'q',
      jobDefinition: 'jd',
      arrayProperties: { size },
      containerOverrides: { command: ['bash', '-c', command] },
      tags: { owner: 'grace' },
    }),
  );
  return answer.jobId!;
}

/** Polls (monitor tick) until `done` holds for what the store says. */
async function pollUntil(what: string, done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await monitor.tick();
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const arrayRow = (parent: string): Promise<Job | null> => store.getJob(arrayRowId('aws', parent));
const tasksOf = async (parent: string): Promise<Job[]> =>
  (await store.listJobs({ arrayId: arrayRowId('aws', parent), limit: 100 })).jobs;

describe('AWS Batch array jobs', () => {
  it('lists the children <parent>:<index> as tasks of the parent, not the parent itself', async () => {
    const parent = await submitArray(
      'sweep-list',
      3,
      'sleep 2; echo "index $AWS_BATCH_JOB_ARRAY_INDEX"',
    );
    let listed: Awaited<ReturnType<typeof cluster.backend.listJobs>> = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      listed = (await cluster.backend.listJobs()).filter((j) =>
        j.schedulerJobId.startsWith(parent),
      );
      if (listed.length === 3 && listed.every((j) => j.rawState === 'RUNNING')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed.map((j) => j.schedulerJobId).sort()).toEqual(
      [0, 1, 2].map((i) => `${parent}:${i}`),
    );
    for (const task of listed)
      expect(task).toMatchObject({
        arrayJobId: parent,
        arrayTasks: 1,
        name: 'sweep-list',
        user: 'grace',
        partition: 'q',
        rawState: 'RUNNING',
      });
  });

  it('stores an array as one row with counts per state that expands to its tasks, each with its own log', async () => {
    const parent = await submitArray(
      'sweep-row',
      3,
      'sleep 0.5; echo "index $AWS_BATCH_JOB_ARRAY_INDEX"',
    );
    await pollUntil('the array row', async () => (await arrayRow(parent)) !== null);
    expect((await store.listJobs({ text: 'sweep-row' })).jobs.map((j) => j.id)).toEqual([
      arrayRowId('aws', parent),
    ]);
    expect(await arrayRow(parent)).toMatchObject({
      schedulerJobId: parent,
      name: 'sweep-row',
      arrayTasks: 3,
    });

    await pollUntil('every task completed', async () => (await arrayRow(parent))?.state === 'completed');
    expect(await arrayRow(parent)).toMatchObject({
      outcome: 'COMPLETED',
      arrayTasks: 3,
      arrayCounts: { completed: 3, running: 0, submitted: 0, failed: 0 },
    });
    const tasks = await tasksOf(parent);
    expect(tasks.map((t) => t.schedulerJobId).sort()).toEqual(
      [0, 1, 2].map((i) => `${parent}:${i}`),
    );
    for (const task of tasks) {
      const index = task.schedulerJobId!.split(':').at(-1);
      const log = await readJobLog(cluster.backend, task, 'output');
      expect(log.content.trim()).toBe(`index ${index}`);
    }
    expect((await store.listJobs({ text: 'sweep-row' })).total).toBe(1);
  });

  it('cancels one task alone, and the array row stops every other task', async () => {
    const parent = await submitArray('sweep-cancel', 4, 'sleep 60');
    const running = async (): Promise<Job[]> =>
      (await tasksOf(parent)).filter((t) => t.state === 'running');
    await pollUntil('four tasks running', async () => (await running()).length === 4);

    const deps = {
      getJob: (id: string) => store.getJob(id),
      cluster: () => ({ backend: cluster.backend, monitor: { requestRefresh: () => undefined } }),
    };
    const one = `aws:${parent}:1`;
    expect(await cancelJobs([one], deps)).toEqual([
      { id: one, schedulerJobId: `${parent}:1`, ok: true, message: null },
    ]);
    await pollUntil('task 1 cancelled', async () => (await store.getJob(one))?.outcome === 'CANCELLED');
    expect(
      (await running())
        .map((t) => t.schedulerJobId)
        .sort(),
    ).toEqual([0, 2, 3].map((i) => `${parent}:${i}`));
    expect((await arrayRow(parent))?.arrayCounts).toMatchObject({ running: 3, failed: 1, cancelled: 1 });

    const row = arrayRowId('aws', parent);
    expect(await cancelJobs([row], deps)).toEqual([
      { id: row, schedulerJobId: parent, ok: true, message: null },
    ]);
    await pollUntil('the whole array ended', async () => (await arrayRow(parent))?.outcome !== null);
    expect(await arrayRow(parent)).toMatchObject({
      state: 'failed',
      outcome: 'CANCELLED',
      arrayCounts: { failed: 4, cancelled: 4, running: 0 },
    });
  });
});
