import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rightSizeHint, type JobEfficiency } from '../domain/efficiency';
import { HistoryStore } from './history-store';
import { makeJob, makeTempDir } from './testing';

let temp: ReturnType<typeof makeTempDir>;
let store: HistoryStore;
beforeEach(async () => {
  temp = makeTempDir();
  store = await HistoryStore.open(join(temp.dir, 'scripthut.db'));
});
afterEach(() => {
  store.close();
  temp.remove();
});

const GiB = 1024 ** 3;

function finished(
  id: string,
  queueId: string,
  cpuSeconds: number,
  elapsedSeconds: number,
  cpus: number,
  rssGiB: number,
): void {
  const efficiency: JobEfficiency = {
    cpuSeconds,
    elapsedSeconds,
    allocCpus: cpus,
    cpuEfficiency: cpuSeconds / (elapsedSeconds * cpus),
    maxRssBytes: Math.round(rssGiB * GiB),
    requestedMemoryBytes: 4 * GiB,
    memoryEfficiency: (rssGiB * GiB) / (4 * GiB),
  };
  store.upsertJobs([makeJob({ id, queueId, source: 'queue', state: 'completed', efficiency })]);
}

it("sums a queue's CPU use over its allocation and keeps its largest memory use, ignoring other queues", () => {
  finished('q:a:1', 'a', 60, 60, 2, 0.6);
  finished('q:a:2', 'a', 20, 40, 2, 1.1);
  finished('q:b:1', 'b', 1, 100, 1, 3.5);
  store.upsertJobs([makeJob({ id: 'q:a:3', queueId: 'a', source: 'queue', state: 'running' })]);
  const summary = store.efficiencySummary({ queueId: 'a' });
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

it('has nothing to say about a queue without finished tasks', () => {
  expect(store.efficiencySummary({ queueId: 'none' })).toMatchObject({
    jobs: 0,
    cpuEfficiency: null,
    maxRssBytes: null,
  });
});
