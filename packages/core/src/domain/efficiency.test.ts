import { describe, expect, it } from 'vitest';
import { jobEfficiency, rightSizeHint, type EfficiencySummary } from './efficiency';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const summary = (overrides: Partial<EfficiencySummary>): EfficiencySummary => ({
  jobs: 10,
  cpuEfficiency: null,
  minCpuEfficiency: null,
  maxCpuEfficiency: null,
  maxAllocCpus: null,
  busyCpus: null,
  maxRssBytes: null,
  maxRequestedMemoryBytes: null,
  ...overrides,
});

describe('jobEfficiency', () => {
  it('is CPU time over elapsed × CPUs, and memory used over asked', () => {
    expect(
      jobEfficiency({
        cpuSeconds: 30,
        elapsedSeconds: 20,
        allocCpus: 4,
        maxRssBytes: GiB,
        requestedMemoryBytes: 4 * GiB,
      }),
    ).toMatchObject({ cpuEfficiency: 0.375, memoryEfficiency: 0.25 });
  });

  it('has no ratio for a job that ran 0 s or whose figures are missing, and is null with no figure at all', () => {
    expect(
      jobEfficiency({
        cpuSeconds: 0,
        elapsedSeconds: 0,
        allocCpus: 1,
        maxRssBytes: null,
        requestedMemoryBytes: GiB,
      }),
    ).toMatchObject({ cpuEfficiency: null, memoryEfficiency: null });
    expect(
      jobEfficiency({
        cpuSeconds: null,
        elapsedSeconds: null,
        allocCpus: null,
        maxRssBytes: null,
        requestedMemoryBytes: null,
      }),
    ).toBeNull();
  });
});

describe('rightSizeHint', () => {
  it.each([
    [1.1 * GiB, 4 * GiB, '2G'],
    [3.4 * GiB, 8 * GiB, '5G'],
    [300 * MiB, 4 * GiB, '384M'],
    [10 * MiB, GiB, '128M'],
    [900 * MiB, 4 * GiB, '2G'],
  ])(
    'suggests enough for %d bytes used of %d asked with headroom: %s',
    (used, asked, suggested) => {
      expect(
        rightSizeHint(summary({ maxRssBytes: used, maxRequestedMemoryBytes: asked })).memory,
      ).toMatchObject({
        usedBytes: used,
        askedBytes: asked,
        suggested,
      });
    },
  );

  it('suggests nothing when the request is already about right', () => {
    expect(
      rightSizeHint(summary({ maxRssBytes: 1.8 * GiB, maxRequestedMemoryBytes: 2 * GiB })).memory,
    ).toBeNull();
    expect(
      rightSizeHint(summary({ maxRssBytes: null, maxRequestedMemoryBytes: 2 * GiB })).memory,
    ).toBeNull();
  });

  it('suggests fewer CPUs when the jobs kept few of them busy', () => {
    expect(rightSizeHint(summary({ busyCpus: 1.1, maxAllocCpus: 8 })).cpus).toEqual({
      busy: 1.1,
      asked: 8,
      suggested: 2,
    });
    expect(rightSizeHint(summary({ busyCpus: 3.9, maxAllocCpus: 4 })).cpus).toBeNull();
    expect(rightSizeHint(summary({ busyCpus: 0.2, maxAllocCpus: 1 })).cpus).toBeNull();
  });
});
