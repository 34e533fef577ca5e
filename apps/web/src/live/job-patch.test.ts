import type { Job } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { jobChange, listMayChange, patchJobs } from './job-patch';
import { job } from './test-jobs';

const a = job({ id: 'a', state: 'running', updatedAt: '2026-01-01T00:00:01.000Z' });
const b = job({ id: 'b', state: 'pending', updatedAt: '2026-01-01T00:00:01.000Z' });
const list: readonly Job[] = [a, b];

describe('patchJobs', () => {
  it('replaces a listed job with its newer copy, in place', () => {
    const newer = { ...a, timeUsed: '1:00', updatedAt: '2026-01-01T00:00:02.000Z' };
    const patched = patchJobs(list, jobChange([newer], []));
    expect(patched).toEqual([newer, b]);
    expect(list).toEqual([a, b]);
  });

  it('never rolls a job back to an older copy', () => {
    const older = { ...a, state: 'pending' as const, updatedAt: '2026-01-01T00:00:00.000Z' };
    expect(patchJobs(list, jobChange([older], []))).toBe(list);
  });

  it('keeps the same array when nothing listed changed, so memos hold', () => {
    const other = job({ id: 'z', updatedAt: '2026-01-01T00:00:09.000Z' });
    expect(patchJobs(list, jobChange([other], ['b']))).toBe(list);
  });

  it('takes the newest copy when a batch holds a job twice', () => {
    const second = { ...a, timeUsed: '2:00', updatedAt: '2026-01-01T00:00:03.000Z' };
    const first = { ...a, timeUsed: '1:00', updatedAt: '2026-01-01T00:00:02.000Z' };
    expect(patchJobs(list, jobChange([second, first], []))[0]).toBe(second);
  });
});

describe('listMayChange', () => {
  const later = '2026-01-01T00:00:02.000Z';

  it('is false for a listed job whose state and sort value stay', () => {
    const change = jobChange([{ ...a, timeUsed: '3:00', updatedAt: later }], []);
    expect(listMayChange(list, change, 'submitTime')).toBe(false);
  });

  it('is true when a listed job changes state', () => {
    const change = jobChange([{ ...b, state: 'running', updatedAt: later }], []);
    expect(listMayChange(list, change)).toBe(true);
  });

  it('is true when the value the list is sorted by changes', () => {
    const change = jobChange([{ ...a, timeUsed: '3:00', updatedAt: later }], []);
    expect(listMayChange(list, change, 'timeUsed')).toBe(true);
  });

  it('is true for a job the list does not hold (new, or now matching) and for any removal', () => {
    expect(listMayChange(list, jobChange([job({ id: 'new' })], []))).toBe(true);
    expect(listMayChange(list, jobChange([], ['gone']))).toBe(true);
  });

  it('ignores an older copy of a listed job', () => {
    const stale = { ...b, state: 'failed' as const, updatedAt: '2026-01-01T00:00:00.000Z' };
    expect(listMayChange(list, jobChange([stale], []))).toBe(false);
  });
});
