import { newJob, type Job } from '../domain/job';

/** Test helper: a running external job with overrides. */
export function fakeJobFor(overrides: Partial<Job> = {}): Job {
  return newJob({
    id: 'hpc:1',
    cluster: 'hpc',
    schedulerJobId: '1',
    name: 'job',
    user: 'alice',
    state: 'running',
    schedulerState: 'RUNNING',
    source: 'external',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });
}
