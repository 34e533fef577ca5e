import { describe, expect, it } from 'vitest';
import { makeJob } from '../history/testing';
import type { SubmissionRecord, TaskRecord, TaskState } from '../history/types';
import { blockedReason, displayStatus, finalStatus, stuckReason, taskStateFromJob } from './queue-status';

const task = (taskId: string, state: TaskState, jobId: string | null = null): TaskRecord => ({
  queueId: 'q',
  taskId,
  position: 0,
  name: taskId,
  spec: {},
  script: null,
  state,
  jobId,
  dependsOn: [],
  reason: null,
});
const states = (...s: TaskState[]) => s.map((st, i) => task(`t${i}`, st));

describe('queue status', () => {
  it.each<[string, TaskState[], string]>([
    ['no task has left pending', ['pending', 'pending'], 'pending'],
    ['a task is being submitted', ['submitting', 'pending'], 'running'],
    ['some done, some still pending', ['completed', 'pending'], 'running'],
    ['all completed', ['completed', 'completed'], 'completed'],
    ['one failed, all ended', ['completed', 'failed'], 'failed'],
    ['one lost, all ended', ['completed', 'unknown'], 'failed'],
    ['one cancelled by the scheduler', ['completed', 'cancelled'], 'failed'],
    ['a failure while others still run', ['failed', 'running'], 'running'],
    ['finishing is not an end', ['completed', 'finishing'], 'running'],
  ])('is the seed status when %s', (_case, taskStates, expected) => {
    expect(displayStatus({ status: 'active' }, states(...taskStates))).toBe(expected);
  });

  it('is cancelled when the user cancelled, whatever the tasks', () => {
    expect(displayStatus({ status: 'cancelled' }, states('running', 'pending'))).toBe('cancelled');
  });

  it('has no final status while any task is not terminal', () => {
    expect(finalStatus(states('completed', 'submitted'))).toBeNull();
    expect(finalStatus([])).toBe('completed');
  });
});

describe('taskStateFromJob', () => {
  it('maps job states and shows a scheduler cancel as cancelled', () => {
    expect(taskStateFromJob(makeJob({ id: 'j', state: 'running' }))).toBe('running');
    expect(taskStateFromJob(makeJob({ id: 'j', state: 'failed', outcome: 'OUT_OF_MEMORY' }))).toBe('failed');
    expect(taskStateFromJob(makeJob({ id: 'j', state: 'failed', outcome: 'CANCELLED' }))).toBe('cancelled');
    expect(taskStateFromJob(makeJob({ id: 'j', state: 'unknown', outcome: 'LOST' }))).toBe('unknown');
  });
});

describe('blocked reason', () => {
  const waiting = (id: string, reason: string | null) => makeJob({ id, state: 'submitted', reason });

  it('explains a queue whose submitted jobs can never start', () => {
    const jobs = new Map([
      ['j0', waiting('j0', 'PartitionTimeLimit')],
      ['j1', waiting('j1', 'ReqNodeNotAvail, UnavailableNodes:node[1-2]')],
    ]);
    const reason = blockedReason([task('a', 'submitted', 'j0'), task('b', 'submitted', 'j1'), task('c', 'pending')], jobs, []);
    expect(reason).toBe(
      "all 2 submitted task(s) are waiting and cannot start: PartitionTimeLimit: the task's time limit is longer than the partition allows; " +
        'ReqNodeNotAvail, UnavailableNodes:node[1-2]: a node the job needs is down, drained or reserved',
    );
  });

  it('says nothing while a job runs or waits for an ordinary reason', () => {
    const jobs = new Map([
      ['j0', waiting('j0', 'PartitionTimeLimit')],
      ['j1', waiting('j1', 'Priority')],
      ['j2', makeJob({ id: 'j2', state: 'running' })],
    ]);
    expect(blockedReason([task('a', 'submitted', 'j0'), task('b', 'submitted', 'j1')], jobs, [])).toBeNull();
    expect(blockedReason([task('a', 'submitted', 'j0'), task('c', 'running', 'j2')], jobs, [])).toBeNull();
  });

  it('explains submissions with an unknown outcome', () => {
    const open: SubmissionRecord[] = [
      { id: 's', queueId: 'q', taskId: 'a', tag: 't', cluster: 'hpc', state: 'unknown', schedulerJobId: null, message: 'submission did not complete: no answer within 60000 ms', createdAt: '', updatedAt: '' },
    ];
    expect(blockedReason([task('a', 'submitting')], new Map(), open)).toMatch(/^1 submission\(s\) have an unknown outcome \(task a: submission did not complete: no answer within 60000 ms\)/);
  });

  it('matches reasons on their first word only', () => {
    expect(stuckReason('Resources')).toBeNull();
    expect(stuckReason('BadConstraints')).toMatch(/no node satisfies/);
    expect(stuckReason(null)).toBeNull();
  });
});
