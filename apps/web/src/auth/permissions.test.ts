import { describe, expect, it } from 'vitest';
import { jobDenial, queueDenial, type ViewerFacts } from './permissions';

const alice: ViewerFacts = { viewer: { user: 'alice', admin: false }, filterUser: null, myUserByCluster: { hpc: 'alice', lab: 'svc' } };
const admin: ViewerFacts = { ...alice, viewer: { user: 'root', admin: true } };
const shared: ViewerFacts = { ...alice, viewer: { user: null, admin: true } };

describe('what the viewer may change', () => {
  it("offers a named user their own jobs and explains another's", () => {
    expect(jobDenial(alice, { cluster: 'hpc', user: 'alice' })).toBeNull();
    expect(jobDenial(alice, { cluster: 'lab', user: 'svc' })).toBeNull();
    expect(jobDenial(alice, { cluster: 'hpc', user: 'hutuser2' })).toBe(
      'Only hutuser2 or an admin may cancel this job; you are alice on hpc',
    );
  });

  it('offers admins and the shared account everything', () => {
    expect(jobDenial(admin, { cluster: 'hpc', user: 'hutuser2' })).toBeNull();
    expect(jobDenial(shared, { cluster: 'hpc', user: 'hutuser2' })).toBeNull();
    expect(queueDenial(admin, 'bob', 'cancel')).toBeNull();
  });

  it("offers a queue to its owner only, naming the owner otherwise", () => {
    expect(queueDenial(alice, 'alice', 'cancel')).toBeNull();
    expect(queueDenial(alice, 'bob', 'retry')).toBe('Only bob or an admin may retry this queue');
    expect(queueDenial(alice, null, 'cancel')).toBe('Only the shared account or an admin may cancel this queue');
  });
});
