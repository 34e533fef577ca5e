import { newJob, type Job } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { taskBadge } from './task-badge';

const job = (overrides: Partial<Job>): Job =>
  newJob({
    id: 'q:q1:t1',
    cluster: 'hpc',
    schedulerJobId: '42',
    name: 't1',
    user: 'alice',
    state: 'submitted',
    schedulerState: 'PENDING',
    source: 'queue',
    partition: 'debug',
    cpus: 1,
    memory: '1G',
    timeLimit: '1:00:00',
    workDir: '/home/alice',
    command: 'true',
    submitTime: '2026-01-01T00:00:00.000Z',
    queueId: 'q1',
    taskId: 't1',
    updatedAt: '2026-01-01T00:00:00.000Z',

    ...overrides,
  });

describe('taskBadge', () => {
  it('shows a task waiting for a slot as pending, without a job', () => {
    expect(taskBadge('pending', null).label).toBe('Pending');
  });

  it('shows the scheduler reason of a queued task', () => {
    expect(taskBadge('submitted', job({ reason: 'Priority' })).label).toBe('Queued · Priority');
  });

  it('shows the exit code of a failed task and the outcome of a killed one', () => {
    expect(
      taskBadge('failed', job({ state: 'failed', outcome: 'FAILED', exitCode: 2 })).label,
    ).toBe('Failed · exit 2');
    expect(taskBadge('failed', job({ state: 'failed', outcome: 'OUT_OF_MEMORY' })).label).toBe(
      'Out of memory',
    );
  });

  it('tells a task cancelled before submission from one whose job was cancelled', () => {
    expect(taskBadge('cancelled', null)).toMatchObject({
      label: 'Cancelled',
      title: 'Cancelled before it was submitted',
    });
    expect(
      taskBadge('cancelled', job({ state: 'failed', outcome: 'CANCELLED', cancelledBy: 'bob' }))
        .label,
    ).toBe('Cancelled by bob');
  });

  it('says the scheduler rejected a submission, with its message', () => {
    const badge = taskBadge(
      'failed',
      job({
        schedulerJobId: null,
        state: 'failed',
        schedulerState: 'REJECTED',
        outcome: 'FAILED',
        reason: 'invalid partition',
      }),
    );
    expect(badge).toMatchObject({
      label: 'Rejected by the scheduler',
      tone: 'danger',
      title: 'invalid partition',
    });
  });

  it('says why a task was skipped, and what a pending task waits for', () => {
    expect(
      taskBadge('skipped', null, { reason: 'dependency prep ran out of memory' }),
    ).toMatchObject({
      label: 'Skipped',
      title: 'dependency prep ran out of memory',
    });
    expect(taskBadge('pending', null, { dependsOn: ['prep', 'align'] }).title).toBe(
      'Waiting for prep, align to complete, then for a free slot',
    );
  });
});
