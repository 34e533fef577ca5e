import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryStore } from './history-store';
import { storeBed, type StoreBed } from './store-beds';

// Two instances (two stores, two pools) on one PostgreSQL schema.
let bed: StoreBed;
let first: HistoryStore;
let second: HistoryStore;

beforeEach(async () => {
  bed = await storeBed('postgres');
  first = await bed.open();
  second = await bed.open();
  await first.createQueue(
    {
      id: 'q1',
      sourceName: 'exp',
      cluster: 'hpc',
      createdAt: '2026-03-01T12:00:00Z',
      maxConcurrent: 2,
      logDir: '',
      account: null,
      sourceCommit: null,
    },
    ['a', 'b'].map((taskId, position) => ({
      taskId,
      position,
      name: taskId,
      spec: { command: `echo ${taskId}` },
      script: null,
    })),
  );
});
afterEach(async () => {
  await first.close();
  await second.close();
  await bed.remove();
});

describe('claiming tasks on PostgreSQL (FOR UPDATE SKIP LOCKED)', () => {
  it("skips a task another instance's open transaction holds, and one it has marked submitting", async () => {
    const keys = [
      { queueId: 'q1', taskId: 'a' },
      { queueId: 'q1', taskId: 'b' },
    ];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const firstClaim = first.transaction(async () => {
      const claimed = await first.claimPendingTasks([keys[0]!]);
      held();
      await gate;
      await first.recordSubmissionIntent({
        queueId: 'q1',
        taskId: 'a',
        tag: 'tag-a',
        cluster: 'hpc',
      });
      return claimed;
    });
    await holding;
    // Answers at once (no wait for the first transaction), without the task it holds.
    expect(await second.claimPendingTasks(keys)).toEqual([{ queueId: 'q1', taskId: 'b' }]);
    release();
    expect(await firstClaim).toEqual([{ queueId: 'q1', taskId: 'a' }]);
    expect(await second.claimPendingTasks(keys)).toEqual([{ queueId: 'q1', taskId: 'b' }]);
  });
});
