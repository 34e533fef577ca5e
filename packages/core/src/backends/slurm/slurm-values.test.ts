import { describe, expect, it } from 'vitest';
import { durationSeconds, sizeBytes } from './slurm-values';

describe('durationSeconds', () => {
  it.each([
    ['00:00:08', 8],
    ['00:02.642', 2.642],
    ['12:34.5', 754.5],
    ['01:02:03', 3723],
    ['1-02:03:04', 93784],
    ['0:05', 5],
  ])('reads %s as %d s', (raw, seconds) => {
    expect(durationSeconds(raw)).toBeCloseTo(seconds, 6);
  });

  it.each([[''], ['Unknown'], ['INVALID'], ['5']])('reads %j as unknown', (raw) => {
    expect(durationSeconds(raw)).toBeNull();
  });
});

describe('sizeBytes', () => {
  it.each([
    ['4232K', null, 4232 * 1024],
    ['100M', null, 100 * 1024 ** 2],
    ['1.5G', null, 1.5 * 1024 ** 3],
    ['0', null, 0],
    ['4000Mn', null, 4000 * 1024 ** 2],
    ['2Gc', 4, 8 * 1024 ** 3],
  ])('reads %s (%s CPUs) as %d bytes', (raw, cpus, bytes) => {
    expect(sizeBytes(raw, cpus)).toBe(bytes);
  });

  it.each([[''], ['16?'], ['1Gc']])('reads %j as unknown', (raw) => {
    expect(sizeBytes(raw)).toBeNull();
  });
});
