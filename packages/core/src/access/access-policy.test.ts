import { describe, expect, it } from 'vitest';
import { isCoreError } from '../runtime/errors';
import { AccessPolicy } from './access-policy';

const policy = new AccessPolicy({ hpc: { alice: 'alice', bob: 'bob2' } }, { hpc: 'svc', gpu: 'svc' });
const alice = { user: 'alice', admin: false };
const carol = { user: 'carol', admin: false };
const root = { user: 'root', admin: true };

function refusal(f: () => void): string {
  try {
    f();
  } catch (e) {
    if (isCoreError(e) && e.code === 'FORBIDDEN') return e.message;
    throw e;
  }
  throw new Error('expected FORBIDDEN');
}

describe('AccessPolicy', () => {
  it('names each user by their own login where they have one, else the shared account', () => {
    expect(policy.myUserByCluster('alice')).toEqual({ hpc: 'alice', gpu: 'svc' });
    expect(policy.myUserByCluster('carol')).toEqual({ hpc: 'svc', gpu: 'svc' });
    expect(policy.myUserByCluster(null)).toEqual({ hpc: 'svc', gpu: 'svc' });
    expect(policy.identityOwning('hpc', 'bob2')).toBe('bob');
    expect(policy.identityOwning('hpc', 'svc')).toBeNull();
  });

  it("lets a user cancel their own cluster user's jobs and refuses another's, saying whose it is", () => {
    expect(policy.mayCancelJob(alice, { cluster: 'hpc', user: 'alice' })).toBe(true);
    expect(
      refusal(() => policy.assertMayCancelJob(alice, { id: 'hpc:12', cluster: 'hpc', user: 'bob2' })),
    ).toBe('alice may not cancel job hpc:12: it belongs to bob2 on hpc (alice is alice there); only the job\'s owner or an admin may');
    // Without an identity, the shared account's jobs are everyone's, as before named users.
    expect(policy.mayCancelJob(carol, { cluster: 'hpc', user: 'svc' })).toBe(true);
    expect(policy.mayCancelJob(carol, { cluster: 'hpc', user: 'alice' })).toBe(false);
  });

  it('lets admins and the shared account cancel anything', () => {
    expect(policy.mayCancelJob(root, { cluster: 'hpc', user: 'alice' })).toBe(true);
    expect(policy.mayCancelJob({ user: null, admin: true }, { cluster: 'hpc', user: 'bob2' })).toBe(true);
    expect(policy.mayChangeQueue(root, { owner: 'alice' })).toBe(true);
  });

  it('lets only the owner (or an admin) change a queue; the shared account owns queues from before', () => {
    expect(policy.mayChangeQueue(alice, { owner: 'alice' })).toBe(true);
    expect(refusal(() => policy.assertMayChangeQueue(carol, { id: 'q1', owner: 'alice' }, 'retry'))).toBe(
      'carol may not retry queue q1: it belongs to alice, and only its owner or an admin may',
    );
    expect(refusal(() => policy.assertMayChangeQueue(carol, { id: 'q0', owner: null }, 'cancel'))).toBe(
      'carol may not cancel queue q0: it belongs to the shared account, and only its owner or an admin may',
    );
  });
});
