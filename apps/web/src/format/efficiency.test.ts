import { describe, expect, it } from 'vitest';
import {
  arrayCountsText,
  formatBytes,
  formatBytesShort,
  formatPercent,
  memoryDetail,
} from './efficiency';

describe('efficiency formats', () => {
  it.each([
    [1.1 * 1024 ** 3, '1.1 GB', '1.1G'],
    [4 * 1024 ** 3, '4 GB', '4G'],
    [215_564 * 1024, '211 MB', '211M'],
    [512, '512 B', '512B'],
  ])('writes %d bytes in Slurm units as %s (%s)', (bytes, long, short) => {
    expect(formatBytes(bytes)).toBe(long);
    expect(formatBytesShort(bytes)).toBe(short);
  });

  it.each([
    [0.683, '68%'],
    [1, '100%'],
    [0.004, '0.4%'],
    [0.0004, '<0.1%'],
    [0, '0%'],
    [null, '—'],
  ])('writes the ratio %s as %s', (ratio, text) => {
    expect(formatPercent(ratio)).toBe(text);
  });

  it('says how much memory was used of what was asked', () => {
    expect(
      memoryDetail({
        cpuSeconds: null,
        elapsedSeconds: null,
        allocCpus: null,
        cpuEfficiency: null,
        maxRssBytes: 1.1 * 1024 ** 3,
        requestedMemoryBytes: 4 * 1024 ** 3,
        memoryEfficiency: 0.275,
      }),
    ).toBe('1.1 GB of 4 GB asked');
  });

  it('counts an array’s tasks, what went wrong first, leaving out empty states', () => {
    const counts = {
      pending: 0,
      submitted: 12,
      running: 4,
      finishing: 0,
      completed: 2,
      failed: 2,
      unknown: 0,
      cancelled: 1,
    };
    expect(arrayCountsText(counts, 20)).toBe(
      '20 tasks · 1 failed · 1 cancelled · 2 completed · 4 running · 12 queued',
    );
  });
});
