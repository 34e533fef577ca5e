import { describe, expect, it } from 'vitest';
import { advisoryLockKey } from './advisory-lock-key';
import { soleLeadership } from './cluster-leadership';

describe('sole leadership (one process on an embedded database)', () => {
  it('leads every cluster it is asked about until it is closed', async () => {
    const leadership = soleLeadership();
    expect(await leadership.claim('hpc')).toBe(true);
    expect(await leadership.claim('gpu')).toBe(true);
    expect(leadership.held()).toEqual(['hpc', 'gpu']);
    await leadership.close();
    expect(await leadership.claim('hpc')).toBe(false);
    expect(leadership.held()).toEqual([]);
  });
});

describe('advisory lock keys', () => {
  it('are signed 64-bit integers, the same for a name every time and different between names', () => {
    const key = advisoryLockKey('hpc');
    expect(key).toBe(advisoryLockKey('hpc'));
    expect(key).not.toBe(advisoryLockKey('hpc2'));
    const value = BigInt(key);
    expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
  });
});
