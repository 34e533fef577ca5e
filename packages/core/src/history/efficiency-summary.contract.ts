import { afterEach, beforeEach, expect, it } from 'vitest';
import { rightSizeHint, type JobEfficiency } from '../domain/efficiency';
import { type HistoryStore } from './history-store';
import { makeJob } from './testing';
import { storeBed, type StoreBed } from './store-beds';
import type { StoreKind } from './store-executor';

/** The efficiency summary tests, run on each kind of store. */
export function efficiencySummaryContract(kind: StoreKind): void {
  let bed: StoreBed;
  let store: HistoryStore;
  beforeEach(async () => {
    bed = await storeBed(kind);
    store = await bed.open();
  });
  afterEach(async () => {
    await store.close();
    await bed.remove();
  });

  const GiB = 1024 ** 3;

  async function finished(
    id: string,
    queueId: string,
    cpuSeconds: number,
    elapsedSeconds: number,
    cpus: number,
    rssGiB: number,
  ): Promise<void> {
    const efficiency: JobEfficiency = {
      cpuSeconds,
      elapsedSeconds,
      allocCpus: cpus,
      cpuEfficiency: cpuSeconds / (elapsedSeconds * cpus),
      maxRssBytes: Math.round(rssGiB * GiB),
      requestedMemoryBytes: 4 * GiB,
      memoryEfficiency: (rssGiB * GiB) / (4 * GiB),
    };
    await store.upsertJobs([
      makeJob({ id, queueId, source: 'queue', state: 'completed', efficiency }),
    ]);
  }

  it("sums a queue's CPU use over its allocation and keeps its largest memory use, ignoring other queues", async () => {
    await finished('q:a:1', 'a', 60, 60, 2, 0.6);
    await finished('q:a:2', 'a', 20, 40, 2, 1.1);
    await finished('q:b:1', 'b', 1, 100, 1, 3.5);
    await store.upsertJobs([
      makeJob({ id: 'q:a:3', queueId: 'a', source: 'queue', state: 'running' }),
    ]);
    const summary = await store.efficiencySummary({ queueId: 'a' });
    expect(summary).toEqual({
      jobs: 2,
      cpuEfficiency: 80 / 200,
      minCpuEfficiency: 0.25,
      maxCpuEfficiency: 0.5,
      maxAllocCpus: 2,
      busyCpus: 80 / 100,
      maxRssBytes: Math.round(1.1 * GiB),
      maxRequestedMemoryBytes: 4 * GiB,
    });
    expect(rightSizeHint(summary)).toMatchObject({
      memory: { suggested: '2G' },
      cpus: { suggested: 1, asked: 2 },
    });
  });

  it('has nothing to say about a queue without finished tasks', async () => {
    expect(await store.efficiencySummary({ queueId: 'none' })).toMatchObject({
      jobs: 0,
      cpuEfficiency: null,
      maxRssBytes: null,
    });
  });
}
