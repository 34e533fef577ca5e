import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from './history-store';
import { makeTempDir } from './testing';

let temp: ReturnType<typeof makeTempDir>;
let store: HistoryStore;

beforeEach(async () => {
  temp = makeTempDir();
  store = await HistoryStore.open(join(temp.dir, 'scripthut.db'));
  store.createQueue(
    {
      id: 'q1',
      sourceName: 's',
      cluster: 'hpc',
      createdAt: '2026-03-01T12:00:00Z',
      maxConcurrent: 2,
      logDir: '~/logs',
      account: null,
      sourceCommit: null,
    },
    [{ taskId: 'a', position: 0, name: 'a', spec: { command: 'true' }, script: null }],
  );
});
afterEach(() => {
  store.close();
  temp.remove();
});

describe('releaseSubmission', () => {
  it('closes an open submission the scheduler never saw and puts the task back to pending, atomically', () => {
    store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't1', cluster: 'hpc' });
    const released = store.releaseSubmission('t1', 'not found after restart');
    expect(released).toMatchObject({ state: 'rejected', message: 'not found after restart' });
    expect(store.getQueue('q1')?.tasks[0]?.state).toBe('pending');
    expect(store.pendingIntents()).toEqual([]);
    store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't2', cluster: 'hpc' });
    expect(store.pendingIntents().map((s) => s.tag)).toEqual(['t2']);
  });

  it('refuses a settled submission and an unknown tag', () => {
    store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't1', cluster: 'hpc' });
    store.recordSubmissionOutcome({ tag: 't1', state: 'rejected', message: 'bad partition' });
    expect(() => store.releaseSubmission('t1', 'x')).toThrowError(
      expect.objectContaining({ code: 'CONFLICT' }) as Error,
    );
    expect(() => store.releaseSubmission('nope', 'x')).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
    );
    expect(store.getQueue('q1')?.tasks[0]?.state).toBe('failed');
  });
});
