import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HistoryStore } from './history-store';
import { storeBed, type StoreBed } from './store-beds';
import type { StoreKind } from './store-executor';

/** The release submission tests, run on each kind of store. */
export function releaseSubmissionContract(kind: StoreKind): void {
  let bed: StoreBed;
  let store: HistoryStore;

  beforeEach(async () => {
    bed = await storeBed(kind);
    store = await bed.open();
    await store.createQueue(
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
  afterEach(async () => {
    await store.close();
    await bed.remove();
  });

  describe('releaseSubmission', () => {
    it('closes an open submission the scheduler never saw and puts the task back to pending, atomically', async () => {
      await store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't1', cluster: 'hpc' });
      const released = await store.releaseSubmission('t1', 'not found after restart');
      expect(released).toMatchObject({ state: 'rejected', message: 'not found after restart' });
      expect((await store.getQueue('q1'))?.tasks[0]?.state).toBe('pending');
      expect(await store.pendingIntents()).toEqual([]);
      await store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't2', cluster: 'hpc' });
      expect((await store.pendingIntents()).map((s) => s.tag)).toEqual(['t2']);
    });

    it('refuses a settled submission and an unknown tag', async () => {
      await store.recordSubmissionIntent({ queueId: 'q1', taskId: 'a', tag: 't1', cluster: 'hpc' });
      await store.recordSubmissionOutcome({
        tag: 't1',
        state: 'rejected',
        message: 'bad partition',
      });
      await expect(store.releaseSubmission('t1', 'x')).rejects.toThrowError(
        expect.objectContaining({ code: 'CONFLICT' }) as Error,
      );
      await expect(store.releaseSubmission('nope', 'x')).rejects.toThrowError(
        expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
      );
      expect((await store.getQueue('q1'))?.tasks[0]?.state).toBe('failed');
    });
  });
}
