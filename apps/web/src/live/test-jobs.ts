import { newJob, type Job } from '@scripthut/core/domain';

/** A running external job on `hpc` for browser unit tests; override what the test is about. */
export const job = (overrides: Partial<Job> & Pick<Job, 'id'>): Job =>
  newJob({
    cluster: 'hpc',
    schedulerJobId: overrides.id,
    name: `job-${overrides.id}`,
    user: 'alice',
    state: 'running',
    source: 'external',
    submitTime: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
    ...overrides,
  });
