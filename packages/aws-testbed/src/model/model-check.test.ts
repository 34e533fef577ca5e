import { describe, expect, it } from 'vitest';
import { checkOperation } from './model-check';

describe('checkOperation', () => {
  it('accepts a valid SubmitJob input', () => {
    expect(
      checkOperation('batch', 'SubmitJob', 'input', {
        jobName: 'a',
        jobQueue: 'q',
        jobDefinition: 'jd',
        containerOverrides: {
          command: ['true'],
          resourceRequirements: [{ type: 'VCPU', value: '1' }],
        },
      }),
    ).toEqual([]);
  });

  it('reports an unknown member', () => {
    expect(
      checkOperation('batch', 'SubmitJob', 'input', {
        jobName: 'a',
        jobQueue: 'q',
        jobDefinition: 'd',
        queue: 'x',
      }),
    ).toEqual([{ path: 'queue', message: 'unknown member of SubmitJobRequest' }]);
  });

  it('reports a missing required member', () => {
    expect(checkOperation('batch', 'SubmitJob', 'input', { jobName: 'a', jobQueue: 'q' })).toEqual([
      { path: 'jobDefinition', message: 'missing required member of SubmitJobRequest' },
    ]);
  });

  it('reports a wrong enum value deep in a list', () => {
    const found = checkOperation('batch', 'ListJobs', 'output', {
      jobSummaryList: [{ jobId: '1', jobName: 'n', status: 'CANCELLED' }],
    });
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe('jobSummaryList[0].status');
    expect(found[0]?.message).toMatch(/^'CANCELLED' is not one of JobStatus/);
  });

  it('reports wrong types and out-of-range values', () => {
    const found = checkOperation('logs', 'GetLogEvents', 'input', {
      logStreamName: 's',
      limit: 20_000,
      startFromHead: 'yes',
    });
    expect(found.map((v) => v.path).sort()).toEqual(['limit', 'startFromHead']);
    expect(
      checkOperation('ecs', 'DescribeTasks', 'output', { tasks: [{ createdAt: '2024' }] }),
    ).toEqual([
      { path: 'tasks[0].createdAt', message: 'expected epoch seconds as a number (Timestamp)' },
    ]);
  });

  it('checks patterns and lengths', () => {
    const found = checkOperation('ecs', 'RunTask', 'input', {
      taskDefinition: 'td',
      tags: [{ key: '', value: 'v' }],
    });
    expect(found).toEqual([{ path: 'tags[0].key', message: 'length 0 is below the minimum 1' }]);
    expect(
      checkOperation('logs', 'GetLogEvents', 'input', {
        logGroupName: '/ok',
        logStreamName: 'a:b',
      }),
    ).toEqual([
      { path: 'logStreamName', message: "'a:b' does not match LogStreamName pattern [^:*]*" },
    ]);
  });

  it('does not report JobDetail.startedAt, which AWS omits until a job starts', () => {
    expect(
      checkOperation('batch', 'DescribeJobs', 'output', {
        jobs: [
          { jobName: 'n', jobId: '1', jobQueue: 'q', status: 'SUBMITTED', jobDefinition: 'd' },
        ],
      }),
    ).toEqual([]);
  });

  it('throws for an operation the model does not have', () => {
    expect(() => checkOperation('batch', 'LaunchRockets', 'input', {})).toThrow(/no operation/);
  });
});
