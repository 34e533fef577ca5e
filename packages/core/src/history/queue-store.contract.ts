import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../runtime/clock';
import { type HistoryStore } from './history-store';
import { makeJob } from './testing';
import type { NewQueue, NewTask } from './types';
import { storeBed, type StoreBed } from './store-beds';
import type { StoreKind } from './store-executor';

/** The queue store tests, run on each kind of store. */
export function queueStoreContract(kind: StoreKind): void {
  let bed: StoreBed;
  let store: HistoryStore;
  let now: Date;
  const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };

  const queue: NewQueue = {
    id: 'q1',
    sourceName: 'experiments',
    cluster: 'hpc',
    createdAt: '2026-03-01T12:00:00Z',
    maxConcurrent: 2,
    logDir: '~/.cache/scripthut/logs/q1',
    account: 'lab',
    sourceCommit: '0123456789abcdef0123456789abcdef01234567',
  };
  const tasks: NewTask[] = [
    {
      taskId: 'b',
      position: 1,
      name: 'second',
      spec: { command: 'echo b', cpus: 1 },
      script: null,
    },
    {
      taskId: 'a',
      position: 0,
      name: 'first',
      spec: { command: 'echo a', working_dir: '~', memory: '1G' },
      script: '#!/bin/bash\necho a',
    },
  ];

  beforeEach(async () => {
    now = new Date('2026-03-01T12:00:00.000Z');
    bed = await storeBed(kind);
    store = await bed.open({ clock });
    await store.createQueue(queue, tasks);
  });
  afterEach(async () => {
    await store.close();
    await bed.remove();
  });

  describe('queues and tasks', () => {
    it('keeps the user who owns a queue', async () => {
      await store.createQueue({ ...queue, id: 'owned', owner: 'alice' }, []);
      expect((await store.getQueue('owned'))?.queue.owner).toBe('alice');
      expect((await store.listQueues()).find((q) => q.id === 'owned')?.owner).toBe('alice');
    });

    it('claims only the tasks still pending in an active queue', async () => {
      await store.recordSubmissionIntent({
        queueId: 'q1',
        taskId: 'a',
        tag: 'tag-a',
        cluster: 'hpc',
      });
      const keys = [
        { queueId: 'q1', taskId: 'a' },
        { queueId: 'q1', taskId: 'b' },
        { queueId: 'q1', taskId: 'nope' },
      ];
      expect(await store.claimPendingTasks(keys)).toEqual([{ queueId: 'q1', taskId: 'b' }]);
      await store.updateQueue('q1', { status: 'cancelled' });
      expect(await store.claimPendingTasks(keys)).toEqual([]);
    });

    it('creates a queue with its tasks, ordered by position, as given', async () => {
      const stored = await store.getQueue('q1');
      expect(stored?.queue).toEqual({
        ...queue,
        createdAt: '2026-03-01T12:00:00.000Z',
        status: 'active',
        cancelledAt: null,
        error: null,
        originalId: 'q1',
        retryOf: null,
        attempt: 1,
        origin: null,
        owner: null,
      });
      expect(stored?.tasks.map((t) => [t.taskId, t.state, t.jobId, t.dependsOn, t.reason])).toEqual(
        [
          ['a', 'pending', null, [], null],
          ['b', 'pending', null, [], null],
        ],
      );
      expect(stored?.tasks[0]?.spec).toEqual({ command: 'echo a', working_dir: '~', memory: '1G' });
      expect(stored?.tasks[0]?.script).toBe('#!/bin/bash\necho a');
      expect(await store.getQueue('nope')).toBeNull();
    });

    it("keeps each task's dependencies and the reason it was skipped", async () => {
      await store.createQueue({ ...queue, id: 'd1' }, [
        { taskId: 'prep', position: 0, name: 'prep', spec: {}, script: null },
        { taskId: 'fit', position: 1, name: 'fit', spec: {}, script: null, dependsOn: ['prep'] },
      ]);
      await store.updateTask('d1', 'fit', {
        state: 'skipped',
        reason: 'dependency prep failed (exit 3)',
      });
      expect(
        (await store.getQueue('d1'))?.tasks.map((t) => [t.taskId, t.dependsOn, t.state, t.reason]),
      ).toEqual([
        ['prep', [], 'pending', null],
        ['fit', ['prep'], 'skipped', 'dependency prep failed (exit 3)'],
      ]);
    });

    it('lists the attempts of one family: the first queue and its retries, not other queues', async () => {
      await store.createQueue(
        {
          ...queue,
          id: 'q1r',
          createdAt: '2026-03-01T13:00:00Z',
          originalId: 'q1',
          retryOf: 'q1',
          attempt: 2,
          origin: { mode: 'retry', states: ['out_of_memory'], overrides: { memory: '8G' } },
        },
        [],
      );
      await store.createQueue({ ...queue, id: 'other', createdAt: '2026-03-01T14:00:00Z' }, []);
      expect(
        (await store.listQueues({ originalId: 'q1' })).map((q) => [q.id, q.attempt, q.retryOf]),
      ).toEqual([
        ['q1r', 2, 'q1'],
        ['q1', 1, null],
      ]);
      expect((await store.getQueue('q1r'))?.queue.origin).toEqual({
        mode: 'retry',
        states: ['out_of_memory'],
        overrides: { memory: '8G' },
      });
    });

    it('refuses a duplicate queue id with CONFLICT and keeps the first', async () => {
      await expect(store.createQueue({ ...queue, sourceName: 'other' }, [])).rejects.toThrowError(
        expect.objectContaining({ code: 'CONFLICT' }) as Error,
      );
      expect((await store.getQueue('q1'))?.queue.sourceName).toBe('experiments');
    });

    it('lists queues newest first, filtered by cluster and status', async () => {
      await store.createQueue(
        { ...queue, id: 'q2', cluster: 'gpu', createdAt: '2026-03-02T00:00:00Z' },
        [],
      );
      await store.updateQueue('q1', { status: 'cancelled', cancelledAt: '2026-03-01T13:00:00Z' });
      expect((await store.listQueues()).map((q) => q.id)).toEqual(['q2', 'q1']);
      expect((await store.listQueues({ cluster: 'hpc' })).map((q) => q.id)).toEqual(['q1']);
      expect((await store.listQueues({ statuses: ['active'] })).map((q) => q.id)).toEqual(['q2']);
      expect((await store.getQueue('q1'))?.queue).toMatchObject({
        status: 'cancelled',
        cancelledAt: '2026-03-01T13:00:00.000Z',
      });
    });

    it('updates a task and reports NOT_FOUND for an unknown one', async () => {
      expect(await store.updateTask('q1', 'a', { script: '#!/bin/sh' })).toMatchObject({
        script: '#!/bin/sh',
        state: 'pending',
      });
      await expect(store.updateTask('q1', 'zz', { state: 'failed' })).rejects.toThrowError(
        expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
      );
    });

    it('links a task only to a job that exists (foreign keys are enforced)', async () => {
      await expect(store.updateTask('q1', 'a', { jobId: 'q:q1:a' })).rejects.toThrowError(
        expect.objectContaining({ code: 'CONFLICT' }) as Error,
      );
      await store.upsertJobs([
        makeJob({ id: 'q:q1:a', source: 'queue', queueId: 'q1', taskId: 'a' }),
      ]);
      expect((await store.updateTask('q1', 'a', { jobId: 'q:q1:a' })).jobId).toBe('q:q1:a');
    });
  });

  describe('submission log', () => {
    it('records an intent durably before submission and marks the task submitting', async () => {
      const intent = await store.recordSubmissionIntent({
        queueId: 'q1',
        taskId: 'a',
        tag: 'sh-q1-a-1',
        cluster: 'hpc',
      });
      expect(intent).toMatchObject({
        state: 'intent',
        schedulerJobId: null,
        createdAt: '2026-03-01T12:00:00.000Z',
      });
      expect((await store.getQueue('q1'))?.tasks[0]?.state).toBe('submitting');
      expect((await store.pendingIntents()).map((s) => s.tag)).toEqual(['sh-q1-a-1']);
    });

    it('refuses a reused tag and an unknown task', async () => {
      await store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't1', cluster: 'hpc' });
      await expect(
        store.recordSubmissionIntent({ queueId: 'q1', taskId: 'b', tag: 't1', cluster: 'hpc' }),
      ).rejects.toThrowError(expect.objectContaining({ code: 'CONFLICT' }) as Error);
      expect((await store.getQueue('q1'))?.tasks[1]?.state).toBe('pending');
      await expect(
        store.recordSubmissionIntent({ queueId: 'q1', taskId: 'x', tag: 't2', cluster: 'hpc' }),
      ).rejects.toThrowError(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
    });

    it('records a submitted outcome with its job and links the task, in one step', async () => {
      await store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't1', cluster: 'hpc' });
      now = new Date('2026-03-01T12:00:05.000Z');
      const job = makeJob({
        id: 'q:q1:a',
        schedulerJobId: '555',
        source: 'queue',
        queueId: 'q1',
        taskId: 'a',
        state: 'submitted',
      });
      const outcome = await store.recordSubmissionOutcome({
        tag: 't1',
        state: 'submitted',
        schedulerJobId: '555',
        job,
      });
      expect(outcome).toMatchObject({
        state: 'submitted',
        schedulerJobId: '555',
        updatedAt: '2026-03-01T12:00:05.000Z',
      });
      expect((await store.getJob('q:q1:a'))?.schedulerJobId).toBe('555');
      expect((await store.getQueue('q1'))?.tasks[0]).toMatchObject({
        state: 'submitted',
        jobId: 'q:q1:a',
      });
      expect(await store.pendingIntents()).toEqual([]);
    });

    it('keeps an unknown outcome pending until it is settled, and refuses to change a settled one', async () => {
      await store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't1', cluster: 'hpc' });
      await store.recordSubmissionIntent({ queueId: 'q1', taskId: 'b', tag: 't2', cluster: 'gpu' });
      await store.recordSubmissionOutcome({
        tag: 't1',
        state: 'unknown',
        message: 'sbatch timed out after 30000 ms',
      });
      expect((await store.pendingIntents('hpc')).map((s) => [s.tag, s.state])).toEqual([
        ['t1', 'unknown'],
      ]);
      expect((await store.getQueue('q1'))?.tasks[0]?.state).toBe('submitting');

      await store.recordSubmissionOutcome({
        tag: 't1',
        state: 'rejected',
        message: 'invalid partition',
      });
      expect((await store.getQueue('q1'))?.tasks[0]?.state).toBe('failed');
      await expect(
        store.recordSubmissionOutcome({ tag: 't1', state: 'submitted' }),
      ).rejects.toThrowError(expect.objectContaining({ code: 'CONFLICT' }) as Error);
      await expect(
        store.recordSubmissionOutcome({ tag: 'nope', state: 'submitted' }),
      ).rejects.toThrowError(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
    });
  });
}
