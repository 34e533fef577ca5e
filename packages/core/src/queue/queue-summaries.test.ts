import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../domain/job';
import { HistoryStore } from '../history/history-store';
import { makeJob, makeTempDir } from '../history/testing';
import type { NewQueue, NewTask, TaskState } from '../history/types';
import { listSummaries, loadSummary } from './queue-summaries';

let temp: ReturnType<typeof makeTempDir>;
let store: HistoryStore;

beforeEach(async () => {
  temp = makeTempDir('scripthut-queue-summaries-');
  store = await HistoryStore.open(join(temp.dir, 'scripthut.db'));
});
afterEach(async () => {
  await store.close();
  temp.remove();
});

const newQueue = (id: string, minute: number, o: Partial<NewQueue> = {}): NewQueue => ({
  id,
  sourceName: 'sweep',
  cluster: 'hpc',
  createdAt: `2026-03-01T12:${String(minute).padStart(2, '0')}:00Z`,
  maxConcurrent: 4,
  logDir: `/logs/${id}`,
  account: null,
  sourceCommit: null,
  ...o,
});

/** Tasks t0, t1… in the given states, each linked to job `q:<queue>:<task>` when the store has it. */
const tasksIn = async (queueId: string, states: readonly TaskState[]): Promise<NewTask[]> => {
  const tasks: NewTask[] = [];
  for (const [i, state] of states.entries()) {
    tasks.push({
      taskId: `t${i}`,
      position: i,
      name: `task ${i}`,
      spec: { command: `echo ${i}` },
      script: null,
      state,
      jobId: (await store.getJob(`q:${queueId}:t${i}`))?.id ?? null,
    });
  }
  return tasks;
};

const queueJob = (queueId: string, taskId: string, o: Partial<Job>) =>
  makeJob({ id: `q:${queueId}:${taskId}`, source: 'queue', queueId, taskId, ...o });

/** What listQueues returned before: every queue loaded with its tasks, then summarized. */
const oldPath = async (): ReturnType<typeof listSummaries> => {
  const summaries = [];
  for (const q of await store.listQueues()) {
    const stored = await store.getQueue(q.id);
    if (stored) summaries.push(await loadSummary(store, stored));
  }
  return summaries;
};

describe('listSummaries', () => {
  it('gives every queue of a mixed history the summary loading its tasks gave, without loading them', async () => {
    // Jobs first: tasks reference them.
    await store.upsertJobs([
      queueJob('stuck', 't0', { state: 'submitted', reason: 'PartitionTimeLimit' }),
      queueJob('stuck', 't1', { state: 'submitted', reason: 'ReqNodeNotAvail, UnavailableNodes:n1' }),
      queueJob('stuck', 't2', { state: 'submitted', reason: 'PartitionTimeLimit' }),
      queueJob('moving', 't0', { state: 'submitted', reason: 'PartitionTimeLimit' }),
      queueJob('moving', 't1', { state: 'running' }),
      queueJob('moving', 't2', { state: 'completed', exitCode: 0 }),
      queueJob('done', 't0', { state: 'completed', exitCode: 0 }),
      queueJob('done', 't1', { state: 'failed', exitCode: 3 }),
      queueJob('cancelled', 't0', { state: 'failed', outcome: 'CANCELLED' }),
      queueJob('retry', 't0', { state: 'running' }),
      queueJob('finishing', 't0', { state: 'finishing' }),
    ]);
    await store.createQueue(newQueue('pending', 1), await tasksIn('pending', ['pending', 'pending']));
    await store.createQueue(newQueue('stuck', 2), await tasksIn('stuck', ['submitted', 'submitted', 'submitted', 'pending']));
    await store.createQueue(newQueue('moving', 3), await tasksIn('moving', ['submitted', 'running', 'completed']));
    await store.createQueue(newQueue('done', 4, { status: 'failed' }), await tasksIn('done', ['completed', 'failed', 'skipped', 'unknown']));
    await store.createQueue(newQueue('settling', 5), await tasksIn('settling', ['completed', 'skipped']));
    await store.createQueue(newQueue('cancelled', 6), await tasksIn('cancelled', ['cancelled', 'pending']));
    await store.updateQueue('cancelled', { status: 'cancelled', cancelledAt: '2026-03-01T13:00:00Z' });
    await store.createQueue(
      newQueue('retry', 7, { originalId: 'done', retryOf: 'done', attempt: 2, origin: { mode: 'retry', states: ['failed'], overrides: {} } }),
      await tasksIn('retry', ['running', 'pending']),
    );
    await store.createQueue(newQueue('empty', 8), []);
    await store.createQueue(newQueue('finishing', 9), await tasksIn('finishing', ['finishing']));
    // In flight with no job row: not stuck, whatever the others wait for.
    await store.createQueue(newQueue('unlinked', 10), [{ taskId: 't0', position: 0, name: 't0', spec: {}, script: null, state: 'submitted' }]);
    await store.createQueue(newQueue('unknown-outcome', 11), await tasksIn('unknown-outcome', ['pending', 'pending', 'pending']));
    for (const taskId of ['t0', 't1']) {
      const tag = `tag-${taskId}`;
      await store.recordSubmissionIntent({ queueId: 'unknown-outcome', taskId, tag, cluster: 'hpc' });
      await store.recordSubmissionOutcome({ tag, state: 'unknown', message: 'no answer within 60000 ms' });
    }
    await store.recordSubmissionIntent({ queueId: 'unknown-outcome', taskId: 't2', tag: 'tag-t2', cluster: 'hpc' });
    await store.createQueue(newQueue('other-cluster', 12, { cluster: 'gpu' }), await tasksIn('other-cluster', ['pending']));

    const summaries = await listSummaries(store);
    expect(summaries).toEqual(await oldPath());

    const byId = new Map(summaries.map((s) => [s.id, s]));
    expect(summaries.map((s) => s.id)).toEqual([
      'other-cluster', 'unknown-outcome', 'unlinked', 'finishing', 'empty', 'retry', 'cancelled', 'settling', 'done', 'moving', 'stuck', 'pending',
    ]);
    expect(byId.get('stuck')?.blockedReason).toBe(
      'all 3 submitted task(s) are waiting and cannot start: ' +
        "PartitionTimeLimit: the task's time limit is longer than the partition allows; " +
        'ReqNodeNotAvail, UnavailableNodes:n1: a node the job needs is down, drained or reserved',
    );
    expect(byId.get('unknown-outcome')?.blockedReason).toMatch(/^2 submission\(s\) have an unknown outcome \(task t0: no answer within 60000 ms\)/);
    expect(byId.get('moving')).toMatchObject({ status: 'running', blockedReason: null, taskCount: 3 });
    expect(byId.get('done')).toMatchObject({ status: 'failed', ending: '1 failed, 1 lost, 1 skipped because a dependency did not complete, 1 completed' });
    expect(byId.get('settling')).toMatchObject({ status: 'completed', blockedReason: null });
    expect(byId.get('cancelled')).toMatchObject({ status: 'cancelled', counts: { cancelled: 1, pending: 1 } });
    expect(byId.get('retry')).toMatchObject({ originalId: 'done', retryOf: 'done', attempt: 2, status: 'running' });
    expect(byId.get('empty')).toMatchObject({ taskCount: 0, status: 'completed', ending: 'no tasks' });
    expect(byId.get('pending')).toMatchObject({ status: 'pending', counts: { pending: 2, completed: 0 } });
  });

  it('lists a thousand queues without loading any queue, task or job one by one', async () => {
    for (let q = 0; q < 1_000; q++) {
      await store.createQueue(newQueue(`q${q}`, q % 60), await tasksIn(`q${q}`, ['pending', 'completed', 'failed', 'pending']));
    }
    const noLoading = new Proxy(store, {
      get(target, name: keyof HistoryStore) {
        if (name === 'getQueue' || name === 'getJob') throw new Error(`listSummaries called ${name}`);
        const value = target[name];
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const summaries = await listSummaries(noLoading);
    expect(summaries).toHaveLength(1_000);
    expect(summaries.every((s) => s.taskCount === 4 && s.counts.pending === 2 && s.counts.failed === 1 && s.status === 'running')).toBe(true);
  });
});
