import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../runtime/clock';
import { HistoryStore } from './history-store';
import { makeJob, makeTempDir } from './testing';
import type { NewQueue, NewTask } from './types';

let temp: ReturnType<typeof makeTempDir>;
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
  { taskId: 'b', position: 1, name: 'second', spec: { command: 'echo b', cpus: 1 }, script: null },
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
  temp = makeTempDir();
  store = await HistoryStore.open(join(temp.dir, 'scripthut.db'), { clock });
  store.createQueue(queue, tasks);
});
afterEach(() => {
  store.close();
  temp.remove();
});

describe('queues and tasks', () => {
  it('creates a queue with its tasks, ordered by position, as given', () => {
    const stored = store.getQueue('q1');
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
    });
    expect(stored?.tasks.map((t) => [t.taskId, t.state, t.jobId, t.dependsOn, t.reason])).toEqual([
      ['a', 'pending', null, [], null],
      ['b', 'pending', null, [], null],
    ]);
    expect(stored?.tasks[0]?.spec).toEqual({ command: 'echo a', working_dir: '~', memory: '1G' });
    expect(stored?.tasks[0]?.script).toBe('#!/bin/bash\necho a');
    expect(store.getQueue('nope')).toBeNull();
  });

  it("keeps each task's dependencies and the reason it was skipped", () => {
    store.createQueue({ ...queue, id: 'd1' }, [
      { taskId: 'prep', position: 0, name: 'prep', spec: {}, script: null },
      { taskId: 'fit', position: 1, name: 'fit', spec: {}, script: null, dependsOn: ['prep'] },
    ]);
    store.updateTask('d1', 'fit', { state: 'skipped', reason: 'dependency prep failed (exit 3)' });
    expect(
      store.getQueue('d1')?.tasks.map((t) => [t.taskId, t.dependsOn, t.state, t.reason]),
    ).toEqual([
      ['prep', [], 'pending', null],
      ['fit', ['prep'], 'skipped', 'dependency prep failed (exit 3)'],
    ]);
  });

  it('lists the attempts of one family: the first queue and its retries, not other queues', () => {
    store.createQueue(
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
    store.createQueue({ ...queue, id: 'other', createdAt: '2026-03-01T14:00:00Z' }, []);
    expect(store.listQueues({ originalId: 'q1' }).map((q) => [q.id, q.attempt, q.retryOf])).toEqual(
      [
        ['q1r', 2, 'q1'],
        ['q1', 1, null],
      ],
    );
    expect(store.getQueue('q1r')?.queue.origin).toEqual({
      mode: 'retry',
      states: ['out_of_memory'],
      overrides: { memory: '8G' },
    });
  });

  it('refuses a duplicate queue id with CONFLICT and keeps the first', () => {
    expect(() => store.createQueue({ ...queue, sourceName: 'other' }, [])).toThrowError(
      expect.objectContaining({ code: 'CONFLICT' }) as Error,
    );
    expect(store.getQueue('q1')?.queue.sourceName).toBe('experiments');
  });

  it('lists queues newest first, filtered by cluster and status', () => {
    store.createQueue(
      { ...queue, id: 'q2', cluster: 'gpu', createdAt: '2026-03-02T00:00:00Z' },
      [],
    );
    store.updateQueue('q1', { status: 'cancelled', cancelledAt: '2026-03-01T13:00:00Z' });
    expect(store.listQueues().map((q) => q.id)).toEqual(['q2', 'q1']);
    expect(store.listQueues({ cluster: 'hpc' }).map((q) => q.id)).toEqual(['q1']);
    expect(store.listQueues({ statuses: ['active'] }).map((q) => q.id)).toEqual(['q2']);
    expect(store.getQueue('q1')?.queue).toMatchObject({
      status: 'cancelled',
      cancelledAt: '2026-03-01T13:00:00.000Z',
    });
  });

  it('updates a task and reports NOT_FOUND for an unknown one', () => {
    expect(store.updateTask('q1', 'a', { script: '#!/bin/sh' })).toMatchObject({
      script: '#!/bin/sh',
      state: 'pending',
    });
    expect(() => store.updateTask('q1', 'zz', { state: 'failed' })).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
    );
  });

  it('links a task only to a job that exists (foreign keys are enforced)', () => {
    expect(() => store.updateTask('q1', 'a', { jobId: 'q:q1:a' })).toThrowError(
      expect.objectContaining({ code: 'CONFLICT' }) as Error,
    );
    store.upsertJobs([makeJob({ id: 'q:q1:a', source: 'queue', queueId: 'q1', taskId: 'a' })]);
    expect(store.updateTask('q1', 'a', { jobId: 'q:q1:a' }).jobId).toBe('q:q1:a');
  });
});

describe('submission log', () => {
  it('records an intent durably before submission and marks the task submitting', () => {
    const intent = store.recordSubmissionIntent({
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
    expect(store.getQueue('q1')?.tasks[0]?.state).toBe('submitting');
    expect(store.pendingIntents().map((s) => s.tag)).toEqual(['sh-q1-a-1']);
  });

  it('refuses a reused tag and an unknown task', () => {
    store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't1', cluster: 'hpc' });
    expect(() =>
      store.recordSubmissionIntent({ queueId: 'q1', taskId: 'b', tag: 't1', cluster: 'hpc' }),
    ).toThrowError(expect.objectContaining({ code: 'CONFLICT' }) as Error);
    expect(store.getQueue('q1')?.tasks[1]?.state).toBe('pending');
    expect(() =>
      store.recordSubmissionIntent({ queueId: 'q1', taskId: 'x', tag: 't2', cluster: 'hpc' }),
    ).toThrowError(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
  });

  it('records a submitted outcome with its job and links the task, in one step', () => {
    store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't1', cluster: 'hpc' });
    now = new Date('2026-03-01T12:00:05.000Z');
    const job = makeJob({
      id: 'q:q1:a',
      schedulerJobId: '555',
      source: 'queue',
      queueId: 'q1',
      taskId: 'a',
      state: 'submitted',
    });
    const outcome = store.recordSubmissionOutcome({
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
    expect(store.getJob('q:q1:a')?.schedulerJobId).toBe('555');
    expect(store.getQueue('q1')?.tasks[0]).toMatchObject({ state: 'submitted', jobId: 'q:q1:a' });
    expect(store.pendingIntents()).toEqual([]);
  });

  it('keeps an unknown outcome pending until it is settled, and refuses to change a settled one', () => {
    store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't1', cluster: 'hpc' });
    store.recordSubmissionIntent({ queueId: 'q1', taskId: 'b', tag: 't2', cluster: 'gpu' });
    store.recordSubmissionOutcome({
      tag: 't1',
      state: 'unknown',
      message: 'sbatch timed out after 30000 ms',
    });
    expect(store.pendingIntents('hpc').map((s) => [s.tag, s.state])).toEqual([['t1', 'unknown']]);
    expect(store.getQueue('q1')?.tasks[0]?.state).toBe('submitting');

    store.recordSubmissionOutcome({ tag: 't1', state: 'rejected', message: 'invalid partition' });
    expect(store.getQueue('q1')?.tasks[0]?.state).toBe('failed');
    expect(() => store.recordSubmissionOutcome({ tag: 't1', state: 'submitted' })).toThrowError(
      expect.objectContaining({ code: 'CONFLICT' }) as Error,
    );
    expect(() => store.recordSubmissionOutcome({ tag: 'nope', state: 'submitted' })).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
    );
  });
});
