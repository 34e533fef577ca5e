import type { JobDetail } from '@aws-sdk/client-batch';
import { describe, expect, it } from 'vitest';
import { batchFinalReportOf } from './batch-final-report';
import { BATCH_STATUS_TO_JOB_STATE, BATCH_STATUSES, batchJobStateOf } from './batch-state';

const T0 = Date.parse('2026-12-02T10:00:00Z');

/** A DescribeJobs `JobDetail` as the model shapes it; strings in the cases are AWS's (facts reference §A.4). */
function job(
  over: Partial<JobDetail> & {
    exitCode?: number;
    containerReason?: string;
    attemptReason?: string;
  },
): JobDetail {
  const { exitCode, containerReason, attemptReason, ...rest } = over;
  const ran = rest.startedAt !== undefined;
  const container = {
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(containerReason !== undefined ? { reason: containerReason } : {}),
    logStreamName: ran ? 'jd/default/task1' : undefined,
  };
  return {
    jobId: 'j-1',
    jobName: 'sh-q-1-ab_train',
    jobQueue: 'arn:aws:batch:us-east-1:1:job-queue/q',
    jobDefinition: 'arn:aws:batch:us-east-1:1:job-definition/jd:3',
    status: 'FAILED',
    createdAt: T0,
    startedAt: undefined,
    container,
    attempts: ran
      ? [
          {
            container,
            startedAt: rest.startedAt,
            stoppedAt: rest.stoppedAt,
            ...(attemptReason !== undefined ? { statusReason: attemptReason } : {}),
          },
        ]
      : [],
    ...rest,
  };
}
const ran = { startedAt: T0 + 5_000, stoppedAt: T0 + 65_000 };

describe('Batch status table', () => {
  it('maps every status and nothing else', () => {
    expect(Object.keys(BATCH_STATUS_TO_JOB_STATE).sort()).toEqual([...BATCH_STATUSES].sort());
    expect(batchJobStateOf('RUNNABLE')).toBe('submitted');
    expect(batchJobStateOf('STARTING')).toBe('running');
    expect(batchJobStateOf('SUCCEEDED')).toBe('finishing');
    expect(batchJobStateOf('ZOMBIE')).toBe('unknown');
    expect(batchJobStateOf(undefined)).toBe('unknown');
  });
});

describe('batchFinalReportOf', () => {
  it.each([
    [
      'success',
      job({
        status: 'SUCCEEDED',
        ...ran,
        exitCode: 0,
        statusReason: 'Essential container in task exited',
      }),
      'COMPLETED',
      0,
    ],
    [
      'exit 3',
      job({ ...ran, exitCode: 3, statusReason: 'Essential container in task exited' }),
      'FAILED',
      3,
    ],
    [
      'cancelled before start',
      job({ isCancelled: true, statusReason: 'Cancelled from ScriptHut by ada' }),
      'CANCELLED',
      null,
    ],
    [
      'terminated while running',
      job({ ...ran, isTerminated: true, exitCode: 143, statusReason: 'Terminated by operator' }),
      'CANCELLED',
      143,
    ],
    [
      'OOM with exit 137',
      job({
        ...ran,
        exitCode: 137,
        containerReason: 'OutOfMemoryError: Container killed due to memory usage',
        statusReason: 'Essential container in task exited',
      }),
      'OUT_OF_MEMORY',
      137,
    ],
    [
      'OOM with exit 0',
      job({
        ...ran,
        exitCode: 0,
        containerReason: 'OutOfMemoryError: Container killed due to memory usage',
        statusReason: 'Essential container in task exited',
      }),
      'OUT_OF_MEMORY',
      0,
    ],
    [
      'OOM reported on a SUCCEEDED job',
      job({
        status: 'SUCCEEDED',
        ...ran,
        exitCode: 0,
        containerReason: 'OutOfMemoryError: Container killed due to memory usage',
      }),
      'OUT_OF_MEMORY',
      0,
    ],
    [
      'timeout',
      job({ ...ran, exitCode: 137, statusReason: 'Job attempt duration exceeded timeout' }),
      'TIMEOUT',
      137,
    ],
    [
      'timeout also flagged terminated',
      job({
        ...ran,
        exitCode: 137,
        isTerminated: true,
        statusReason: 'Job attempt duration exceeded timeout',
      }),
      'TIMEOUT',
      137,
    ],
    [
      'host terminated without exit code',
      job({
        ...ran,
        statusReason: 'Host EC2 (instance i-0abc123def) terminated.',
        attemptReason: 'Host EC2 (instance i-0abc123def) terminated.',
      }),
      'NODE_FAIL',
      null,
    ],
    [
      'CannotPullContainerError',
      job({
        containerReason:
          'CannotPullContainerError: pull image manifest has been retried 5 time(s): repository not found',
        statusReason: 'Task failed to start',
      }),
      'BOOT_FAIL',
      null,
    ],
    [
      'CannotStartContainerError',
      job({
        containerReason:
          'CannotStartContainerError: Error response from daemon: failed to initialize logging driver',
      }),
      'BOOT_FAIL',
      null,
    ],
    [
      'queue time-limit action',
      job({
        isCancelled: true,
        statusReason:
          'Canceled by JobStateTimeLimit action due to reason: CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
      }),
      'CANCELLED',
      null,
    ],
    [
      'failed after starting, no exit code, no known words',
      job({ ...ran, statusReason: 'Something new AWS says' }),
      'FAILED',
      null,
    ],
    [
      'failed before starting, no exit code',
      job({ statusReason: 'Job definition is not valid' }),
      'BOOT_FAIL',
      null,
    ],
  ])('%s', (_label, detail, outcome, exitCode) => {
    const r = batchFinalReportOf(detail, '/aws/batch/job');
    expect(r?.outcome).toBe(outcome);
    expect(r?.exitCode).toBe(exitCode);
  });

  it("keeps AWS's words, times and the log stream", () => {
    const r = batchFinalReportOf(
      job({
        ...ran,
        exitCode: 137,
        containerReason: 'OutOfMemoryError: Container killed due to memory usage',
        statusReason: 'Essential container in task exited',
      }),
      '/aws/batch/job',
    );
    expect(r).toEqual({
      schedulerJobId: 'j-1',
      rawState: 'FAILED',
      outcome: 'OUT_OF_MEMORY',
      exitCode: 137,
      signal: null,
      cancelledBy: null,
      reason:
        'Essential container in task exited; OutOfMemoryError: Container killed due to memory usage',
      startTime: '2026-12-02T10:00:05.000Z',
      finishTime: '2026-12-02T10:01:05.000Z',
      elapsed: '1:00',
      stdoutPath: '/aws/batch/job:jd/default/task1',
    });
  });

  it('names the ScriptHut user who cancelled', () => {
    expect(
      batchFinalReportOf(
        job({ isCancelled: true, statusReason: 'Cancelled from ScriptHut by ada' }),
        'g',
      )?.cancelledBy,
    ).toBe('ada');
  });

  it('gives no report for a job between attempts (back in RUNNABLE)', () => {
    const between = job({
      status: 'RUNNABLE',
      ...ran,
      exitCode: 1,
      retryStrategy: { attempts: 3 },
    });
    expect(batchFinalReportOf(between, 'g')).toBeNull();
  });

  it('shows which attempt ended the job', () => {
    const d = job({ ...ran, exitCode: 1, retryStrategy: { attempts: 2 } });
    d.attempts = [d.attempts![0]!, d.attempts![0]!];
    expect(batchFinalReportOf(d, 'g')?.rawState).toBe('FAILED (attempt 2 of 2)');
  });

  it("uses the log group of the job definition's awslogs options", () => {
    const d = job({ status: 'SUCCEEDED', ...ran, exitCode: 0 });
    d.container = {
      ...d.container,
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/my/jobs' } },
    };
    expect(batchFinalReportOf(d, '/aws/batch/job')?.stdoutPath).toBe('/my/jobs:jd/default/task1');
  });
});
