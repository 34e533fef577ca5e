import { describe, expect, it } from 'vitest';
import { memoryMiB, timeLimitSeconds } from './resources';

describe('memoryMiB', () => {
  it.each([
    ['4G', 4096],
    ['512M', 512],
    ['512m', 512],
    ['4000', 4000],
    ['1T', 1_048_576],
    ['1500K', 2],
  ])('reads %s as %d MiB', (text, mib) => expect(memoryMiB(text)).toBe(mib));

  it('returns null for text that is not a size', () => {
    expect(memoryMiB('4GB')).toBeNull();
    expect(memoryMiB('0')).toBeNull();
  });
});

describe('timeLimitSeconds', () => {
  it.each([
    ['30', 1_800],
    ['30:15', 1_815],
    ['1:00:00', 3_600],
    ['2-12', 216_000],
    ['2-12:30', 217_800],
    ['2-12:30:15', 217_815],
    ['0:59', 59],
  ])('reads %s as %d s', (text, seconds) => expect(timeLimitSeconds(text)).toBe(seconds));

  it('has no limit for UNLIMITED and INFINITE', () => {
    expect(timeLimitSeconds('UNLIMITED')).toBeNull();
    expect(timeLimitSeconds('INFINITE')).toBeNull();
  });

  it('is NaN for an unreadable limit', () => expect(timeLimitSeconds('1h')).toBeNaN());
});
